// The publish and inspect panels as the rest of the extension sees them: open one, revive them
// after a reload (serializers), the payload documents they open, the settings they read.
import * as vscode from 'vscode';
import { DEFAULT_BUFFER_OPTIONS, type InspectorBufferOptions } from '../core/inspect/buffer';
import { isInspectPanelState, type InspectSource } from '../core/protocol/inspect';
import { isPublishPanelState, type PublishDraft } from '../core/protocol/publish';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { TapManager } from '../core/amqp/taps';
import type { PublishEncodingHost } from '../core/messageFiles/publishEncoding';
import type { Logger } from '../shared/log';
import type { PanelOpener } from '../shared/panelOpener';
import { setting } from '../shared/settings';
import { InspectPanel, type InspectDecoder, type InspectDeps } from './inspectPanel';
import { VIEW_TYPES, type PostObserver } from './panelHost';
import { PayloadDocuments } from './payloadDocuments';
import { PublishPanel, type PublishDeps, type PublishOpenOptions } from './publishPanel';

export function inspectorSettings(): InspectorBufferOptions {
  const keepBytes = Math.round(setting('inspector.maxPayloadMegabytes') * 1024 * 1024);
  return {
    ...DEFAULT_BUFFER_OPTIONS,
    // Clamped to the manifest's ranges by setting(): a workspace may override settings, and a bad value must not break the panel.
    messages: setting('inspector.bufferMessages'),
    keepBytes,
    // Never more than is kept.
    displayBytes: Math.min(keepBytes, setting('inspector.displayKilobytes') * 1024),
  };
}

export class Panels implements PanelOpener, vscode.Disposable {
  readonly documents = new PayloadDocuments();
  private readonly inspectDeps: InspectDeps;
  private readonly publishDeps: PublishDeps;
  private readonly disposables: vscode.Disposable[] = [];

  /** `observer` sees every post to an inspector's webview (only under test: PanelPostCounts). */
  constructor(
    registry: BrokerRegistry,
    taps: TapManager,
    log: Logger,
    context: Pick<vscode.ExtensionContext, 'extensionUri' | 'globalState'>,
    decoder: InspectDecoder,
    observer?: PostObserver,
    /** The publish panel's Encoding control (payload decoders, Sparkplug B). */
    readonly encoding?: PublishEncodingHost,
  ) {
    this.inspectDeps = { registry, taps, log, extensionUri: context.extensionUri, documents: this.documents, bufferOptions: inspectorSettings, observer, decoder };
    this.publishDeps = { registry, log, extensionUri: context.extensionUri, state: context.globalState, ...(encoding ? { encoding } : {}) };
    this.disposables.push(
      this.documents,
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES.inspect, {
        deserializeWebviewPanel: (panel, state: unknown) => this.reviveInspector(panel, state).then(() => undefined),
      }),
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES.publish, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const s = isPublishPanelState(state) ? state : undefined;
          PublishPanel.revive(panel, this.publishDeps, { brokerId: s?.brokerId && registry.get(s.brokerId) ? s.brokerId : undefined, draft: s?.draft });
        },
      }),
      { dispose: () => InspectPanel.all().forEach((p) => p.dispose()) },
      { dispose: () => PublishPanel.instance?.dispose() },
    );
  }

  /** Brings back an inspector VS Code restored after a reload (its serializer); undefined when its state or broker is gone. */
  async reviveInspector(panel: vscode.WebviewPanel, state: unknown): Promise<InspectPanel | undefined> {
    if (isInspectPanelState(state) && this.inspectDeps.registry.get(state.source.brokerId)) {
      return InspectPanel.revive(panel, this.inspectDeps, state.source);
    }
    panel.dispose(); // its broker is gone: nothing to show
    return undefined;
  }

  inspect(source: InspectSource, options: { preserveFocus?: boolean } = {}): Promise<InspectPanel> {
    return InspectPanel.createOrShow(this.inspectDeps, source, options);
  }

  publish(options: PublishOpenOptions = {}): PublishPanel {
    return PublishPanel.createOrShow(this.publishDeps, options);
  }

  publishHistory(brokerId: string): readonly { readonly draft: PublishDraft }[] {
    return PublishPanel.instance?.history(brokerId) ?? [];
  }

  get inspectors(): InspectPanel[] {
    return InspectPanel.all();
  }

  get publisher(): PublishPanel | undefined {
    return PublishPanel.instance;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables.splice(0)).dispose();
  }
}
