// The publish panel: one panel, retargeted when opened from another node. Sends drafts through the
// registry's connections, keeps a history of sent messages per broker, loads payload files, copies
// the equivalent mosquitto_pub / rabbitmqadmin command.
import * as vscode from 'vscode';
import { AmqpConnection } from '../core/amqp/amqpConnection';
import { mosquittoPubCommand, rabbitmqadminPublishCommand } from '../core/publish/shellCommands';
import { SHELL_LABEL, shellKindOf, type ShellKind } from '../core/format/shellQuote';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import type { HistoryEntry, PublishEncodingInfoReply, PublishCommand, PublishDraft, PublishOutcome, PublishReplies, PublishTarget } from '../core/protocol/publish';
import type { DecodeHints } from '../core/codecs/types';
import { encodeForSend, type PublishEncodingHost } from '../core/messageFiles/publishEncoding';
import { dispatch, type Handlers } from '../core/protocol/requests';
import { initMessage } from '../core/protocol/shared';
import { sendDraft } from '../core/publish/publish';
import { encodeDraftPayload } from '../core/publish/payload';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { Logger } from '../shared/log';
import { PanelHost, VIEW_TYPES } from './panelHost';
import { payloadLimitBytes } from '../shared/settings';

const HISTORY_KEY = 'brokerExplorer.publishHistory';
/** Sent messages kept per broker. */
export const HISTORY_PER_BROKER = 30;
/** Larger payloads are sent but not kept in the history (it lives in VS Code's global state). */
export const HISTORY_PAYLOAD_LIMIT = 256 * 1024;
/** Files larger than this are refused by "Load from file". */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface PublishDeps {
  readonly registry: BrokerRegistry;
  readonly log: Logger;
  readonly extensionUri: vscode.Uri;
  readonly state: vscode.Memento;
  readonly encoding?: PublishEncodingHost;
}

export interface PublishOpenOptions {
  readonly brokerId?: string;
  readonly draft?: PublishDraft;
}

/** The size of what is sent for a draft (0 when its payload does not read in its format). */
function checkedSize(draft: PublishDraft): number {
  try {
    return encodeDraftPayload(draft).length;
  } catch {
    return 0;
  }
}

function emptyDraft(kind: 'mqtt' | 'amqp' | undefined): PublishDraft {
  return kind === 'amqp'
    ? { payload: '{}', format: 'json', amqp: { exchange: '', routingKey: '', mandatory: true, contentType: 'application/json', deliveryMode: 2 } }
    : { payload: '{}', format: 'json', mqtt: { topic: '', qos: 0, retain: false } };
}

export class PublishPanel extends PanelHost<'publish'> {
  private static current: PublishPanel | undefined;
  private brokerId: string | undefined;
  private draft: PublishDraft;

  static createOrShow(deps: PublishDeps, options: PublishOpenOptions = {}): PublishPanel {
    const existing = PublishPanel.current;
    if (existing && !existing.isDisposed) {
      existing.retarget(options);
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPES.publish, vscode.l10n.t('Publish'), vscode.ViewColumn.Active);
    return new PublishPanel(panel, deps, options);
  }

  static revive(panel: vscode.WebviewPanel, deps: PublishDeps, options: PublishOpenOptions): PublishPanel {
    return new PublishPanel(panel, deps, options);
  }

  /** The open panel, if any (tests). */
  static get instance(): PublishPanel | undefined {
    return PublishPanel.current && !PublishPanel.current.isDisposed ? PublishPanel.current : undefined;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: PublishDeps,
    options: PublishOpenOptions,
  ) {
    super(panel, 'publish', deps.log, deps.extensionUri);
    PublishPanel.current = this;
    this.brokerId = options.brokerId ?? this.defaultBroker();
    this.draft = options.draft ?? this.lastDraft(this.brokerId) ?? emptyDraft(this.kindOf(this.brokerId));
    this.updateTitle();
    this.disposables.push(deps.registry.onDidChange(() => this.post({ type: 'publish/targets', targets: this.targets() })));
  }

  private kindOf(brokerId: string | undefined): 'mqtt' | 'amqp' | undefined {
    return brokerId ? this.deps.registry.get(brokerId)?.profile.kind : undefined;
  }

  private defaultBroker(): string | undefined {
    const all = this.deps.registry.list();
    return (all.find((c) => c.state.kind === 'connected') ?? all[0])?.id;
  }

  private retarget(options: PublishOpenOptions): void {
    if (options.brokerId) {
      this.brokerId = options.brokerId;
    }
    this.draft = options.draft ?? this.lastDraft(this.brokerId) ?? emptyDraft(this.kindOf(this.brokerId));
    this.updateTitle();
    if (this.isReady) {
      this.onReady();
    }
  }

  private updateTitle(): void {
    const name = this.brokerId ? this.deps.registry.get(this.brokerId)?.profile.name : undefined;
    this.panel.title = name ? vscode.l10n.t('Publish — {0}', name) : vscode.l10n.t('Publish');
  }

  targets(): PublishTarget[] {
    return this.deps.registry.list().map((c) => ({
      brokerId: c.id,
      name: c.profile.name,
      kind: c.profile.kind,
      connected: c.state.kind === 'connected',
      ...(c instanceof MqttConnection
        ? {
            mqttVersion: c.protocolVersion,
            reconnecting: c.isReconnecting,
            // What the broker's CONNACK refuses is disabled in the form (and refused on send anyway).
            ...(c.capabilities.maximumQoS < 2 ? { maximumQoS: c.capabilities.maximumQoS as 0 | 1 } : {}),
            ...(c.capabilities.retainAvailable ? {} : { retainAvailable: false }),
          }
        : {}),
    }));
  }

  private allHistory(): Record<string, HistoryEntry[]> {
    return this.deps.state.get<Record<string, HistoryEntry[]>>(HISTORY_KEY, {});
  }

  history(brokerId: string | undefined): HistoryEntry[] {
    return brokerId ? (this.allHistory()[brokerId] ?? []) : [];
  }

  private lastDraft(brokerId: string | undefined): PublishDraft | undefined {
    return this.history(brokerId)[0]?.draft;
  }

  private async remember(brokerId: string, draft: PublishDraft, outcome: PublishOutcome): Promise<void> {
    if (draft.payload.length > HISTORY_PAYLOAD_LIMIT) {
      return;
    }
    const all = this.allHistory();
    const same = (d: PublishDraft): boolean => JSON.stringify(d) === JSON.stringify(draft);
    const list = [{ time: Date.now(), brokerId, draft, result: outcome.text }, ...(all[brokerId] ?? []).filter((e) => !same(e.draft))].slice(0, HISTORY_PER_BROKER);
    // Only brokers that still exist keep a history (workspace brokers of other folders are not loaded here: keep theirs).
    const known = new Set(this.deps.registry.list().map((c) => c.id));
    const next: Record<string, HistoryEntry[]> = Object.fromEntries(Object.entries(all).filter(([id]) => known.has(id) || id.startsWith('ws-')));
    next[brokerId] = list;
    await this.deps.state.update(HISTORY_KEY, next);
  }

  protected onReady(): void {
    this.post(
      initMessage(
        {
          panel: 'publish',
          publish: { targets: this.targets(), brokerId: this.brokerId, draft: this.draft, history: this.history(this.brokerId), simulate: this.deps.encoding?.guard.simulate === true },
        },
        vscode.l10n.bundle,
      ),
    );
  }

  /** Sends a draft through a broker (the webview's Send button; tests call it directly). */
  async send(brokerId: string, draft: PublishDraft): Promise<PublishOutcome> {
    const c = this.deps.registry.get(brokerId);
    if (!c) {
      return { ok: false, text: vscode.l10n.t('Not sent: that broker is no longer configured.') };
    }
    const encoded = await this.encode(brokerId, draft);
    if ('error' in encoded) {
      return { ok: false, text: vscode.l10n.t('Not sent: {0}', encoded.error) };
    }
    // A Sparkplug B command is confirmed once per edge node; an edge node's own messages need Simulate edge node.
    const refusal = draft.mqtt && this.deps.encoding ? await this.deps.encoding.guard.check(draft.mqtt.topic) : undefined;
    const outcome = refusal !== undefined ? { ok: false as const, text: vscode.l10n.t('Not sent: {0}', refusal) } : await sendDraft(c, encoded.draft, { maxPayloadBytes: payloadLimitBytes() });
    this.deps.log.info(`Publish panel → "${c.profile.name}": ${outcome.text}`);
    this.brokerId = brokerId;
    this.draft = draft;
    if (outcome.ok) {
      await this.remember(brokerId, draft, outcome);
    }
    return outcome;
  }

  /** The draft as it is sent: encoded on the host when it names an encoding (the Encoding control). */
  private encode(brokerId: string, draft: PublishDraft): Promise<{ readonly draft: PublishDraft } | { readonly error: string }> {
    const c = this.deps.registry.get(brokerId);
    const e = this.deps.encoding;
    return encodeForSend(
      draft,
      {
        ...(e ? { protobufTypes: e.protobufTypes, sparkplug: { state: e.sparkplugState(brokerId), simulate: e.guard.simulate } } : {}),
        limit: payloadLimitBytes(),
      },
      c instanceof MqttConnection ? c.protocolVersion : undefined,
    );
  }

  /** What the Encoding control offers for a destination: the workspace's protobuf types, a mapping's encoding, the BIRTH's metrics. */
  async encodingInfo(brokerId: string, where: { readonly topic?: string; readonly exchange?: string; readonly routingKey?: string }): Promise<Omit<PublishEncodingInfoReply, 'type' | 'inReplyTo'>> {
    const e = this.deps.encoding;
    if (!e) {
      return { types: [] };
    }
    const hints: DecodeHints = where.topic !== undefined ? { topic: where.topic } : { exchange: where.exchange ?? '', routingKey: where.routingKey ?? '' };
    const [types, mapped] = await Promise.all([e.types(), e.mapped(hints)]);
    const metrics = where.topic !== undefined ? e.birthMetrics(brokerId, where.topic) : undefined;
    return { types, ...(mapped ? { mapped } : {}), ...(metrics ? { metrics } : {}) };
  }

  /** Encodes a draft as Send would, sending nothing: the size, or what is wrong in words. */
  async encodePreview(brokerId: string, draft: PublishDraft): Promise<{ readonly bytes?: number; readonly error?: string }> {
    const r = await this.encode(brokerId, draft);
    return 'error' in r ? { error: r.error } : { bytes: checkedSize(r.draft) };
  }

  /** Sends whose result just went out and whose broker's history follows it (the webview adds the entry itself first). */
  private readonly historyAfterReply = new Map<number, string>();

  private readonly handlers = {
    'publish/send': async (message) => {
      const outcome = await this.send(message.brokerId, message.draft);
      if (outcome.ok) {
        this.historyAfterReply.set(message.id, message.brokerId);
      }
      return { type: 'publish/result', outcome };
    },
    'publish/selectBroker': (message) => {
      this.brokerId = message.brokerId;
      this.updateTitle();
      this.postHistory(message.brokerId);
    },
    'publish/encodingInfo': async (message) => ({ type: 'publish/encodingInfo', ...(await this.encodingInfo(message.brokerId, message)) }),
    'publish/encode': async (message) => ({ type: 'publish/encoded', ...(await this.encodePreview(message.brokerId, message.draft)) }),
    'publish/simulate': (message) => {
      if (this.deps.encoding) {
        this.deps.encoding.guard.simulate = message.simulate;
        this.deps.log.info(`Publish panel: Simulate edge node ${message.simulate ? 'on' : 'off'}`);
      }
    },
    'publish/loadFile': async () => {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, title: vscode.l10n.t('Payload file'), openLabel: vscode.l10n.t('Load') });
      const uri = picked?.[0];
      if (!uri) {
        return { type: 'publish/file' };
      }
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) {
        throw new Error(vscode.l10n.t('{0} is {1} MB: the publish panel loads files up to 50 MB.', uri.path.split('/').pop() ?? '', (stat.size / 1048576).toFixed(1)));
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      return { type: 'publish/file', name: uri.path.split('/').pop(), bytes };
    },
    'publish/copyCommand': async (message) => {
      const shell = shellKindOf(vscode.env.shell);
      // The command sends the encoded bytes, as Send would.
      const encoded = await this.encode(message.brokerId, message.draft);
      if ('error' in encoded) {
        throw new Error(encoded.error);
      }
      const text = this.command(message.brokerId, encoded.draft, shell);
      await vscode.env.clipboard.writeText(text);
      return { type: 'done', text: vscode.l10n.t('Copied for {0}: {1}', SHELL_LABEL[shell], text.length > 120 ? `${text.slice(0, 117)}…` : text) };
    },
  } satisfies Handlers<PublishCommand, PublishReplies>;

  async handle(message: PublishCommand): Promise<void> {
    await dispatch<PublishCommand, PublishReplies>(this.handlers, message, (reply) => this.post(reply));
    const historyOf = 'id' in message ? this.historyAfterReply.get(message.id) : undefined;
    if (historyOf !== undefined && 'id' in message) {
      this.historyAfterReply.delete(message.id);
      this.postHistory(historyOf);
    }
  }

  private postHistory(brokerId: string): void {
    this.post({ type: 'publish/history', brokerId, history: this.history(brokerId) });
  }

  /** The shell command that sends the same message (the password comes from an environment variable). */
  command(brokerId: string, draft: PublishDraft, shell: ShellKind = 'posix'): string {
    const c = this.deps.registry.get(brokerId);
    if (!c) {
      throw new Error(vscode.l10n.t('That broker is no longer configured.'));
    }
    if (c instanceof AmqpConnection) {
      const url = new URL(c.managementUrl);
      return rabbitmqadminPublishCommand({ host: url.hostname, managementPort: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), vhost: c.profile.vhost, username: c.profile.username }, draft, shell);
    }
    const p = c.profile;
    if (p.kind !== 'mqtt') {
      throw new Error('Unknown broker kind');
    }
    return mosquittoPubCommand(
      { host: p.host, port: p.port, username: p.username, protocol: p.protocol, caFile: p.tls?.caFile, mqttVersion: c instanceof MqttConnection ? c.protocolVersion : p.protocolVersion },
      draft,
      shell,
    );
  }

  protected onDispose(): void {
    if (PublishPanel.current === this) {
      PublishPanel.current = undefined;
    }
  }
}
