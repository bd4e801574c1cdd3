// The publish and inspect panels as the rest of the extension sees them: open one, revive them
// after a reload (serializers), the payload documents they open, the settings they read.
import * as vscode from 'vscode';
import { DEFAULT_BUFFER_OPTIONS, type InspectorBufferOptions } from '../core/inspect/buffer';
import { isInspectPanelState, type InspectSource } from '../core/protocol/inspect';
import { isPublishPanelState } from '../core/protocol/publish';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { TapManager } from '../amqp/amqpTaps';
import type { Logger } from '../shared/log';
import { InspectPanel, type InspectDeps } from './inspectPanel';
import { VIEW_TYPES, type PostObserver } from './panelHost';
import { PayloadDocuments } from './payloadDocuments';
import { PublishPanel, type PublishDeps, type PublishOpenOptions } from './publishPanel';

function clamp(v: number, min: number, max: number, fallback: number): number {
  return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

export function inspectorSettings(): InspectorBufferOptions {
  const c = vscode.workspace.getConfiguration('brokerExplorer.inspector');
  const keepBytes = Math.round(clamp(c.get<number>('maxPayloadMegabytes', 10), 0.01, 100, 10) * 1024 * 1024);
  return {
    ...DEFAULT_BUFFER_OPTIONS,
    // Clamped: a workspace may override settings, and a bad value must not break the panel.
    messages: clamp(Math.round(c.get<number>('bufferMessages', DEFAULT_BUFFER_OPTIONS.messages)), 100, 1_000_000, DEFAULT_BUFFER_OPTIONS.messages),
    keepBytes,
    // Never more than is kept.
    displayBytes: Math.min(keepBytes, Math.round(clamp(c.get<number>('displayKilobytes', 1024), 16, 102_400, 1024)) * 1024),
  };
}

export class Panels implements vscode.Disposable {
  readonly documents = new PayloadDocuments();
  private readonly inspectDeps: InspectDeps;
  private readonly publishDeps: PublishDeps;
  private readonly disposables: vscode.Disposable[] = [];

  /** `observer` sees every post to an inspector's webview (only under test: PanelPostCounts). */
  constructor(registry: BrokerRegistry, taps: TapManager, log: Logger, context: Pick<vscode.ExtensionContext, 'extensionUri' | 'globalState'>, observer?: PostObserver) {
    this.inspectDeps = { registry, taps, log, extensionUri: context.extensionUri, documents: this.documents, bufferOptions: inspectorSettings, observer };
    this.publishDeps = { registry, log, extensionUri: context.extensionUri, state: context.globalState };
    this.disposables.push(
      this.documents,
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES.inspect, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          if (isInspectPanelState(state) && registry.get(state.source.brokerId)) {
            await InspectPanel.revive(panel, this.inspectDeps, state.source);
          } else {
            panel.dispose(); // its broker is gone: nothing to show
          }
        },
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

  inspect(source: InspectSource, options: { preserveFocus?: boolean } = {}): Promise<InspectPanel> {
    return InspectPanel.createOrShow(this.inspectDeps, source, options);
  }

  publish(options: PublishOpenOptions = {}): PublishPanel {
    return PublishPanel.createOrShow(this.publishDeps, options);
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
