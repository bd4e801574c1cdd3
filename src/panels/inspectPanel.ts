// The inspector: a live list of messages of one source (an MQTT topic or subtree, an AMQP exchange
// tap, a queue peek) in a webview. Messages are buffered here and posted in batches at most 10
// times a second, only while the panel is visible; a reveal or reload gets a snapshot.
import * as vscode from 'vscode';
import type { AmqpConnection } from '../core/amqp/amqpConnection';
import type { BrokerConnection } from '../core/brokers/connection';
import type { Disposable as CoreDisposable } from '../core/brokers/events';
import { DEFAULT_BUFFER_OPTIONS, InspectorBuffer, type IncomingMessage, type InspectorBufferOptions } from '../core/inspect/buffer';
import { fromPeekedMessage } from '../core/inspect/incoming';
import { toJsonLine } from '../core/format/jsonl';
import { mayBeEncoded } from '../core/format/encoded';
import type { DecodedPayload, FeedStatus, InspectedMessage, InspectCommand, InspectReplies, InspectSource } from '../core/protocol/inspect';
import { dispatch, type Handlers } from '../core/protocol/requests';
import { initMessage } from '../core/protocol/shared';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { TapManager } from '../core/amqp/taps';
import type { Logger } from '../shared/log';
import { startMqttFeed, startTapFeed, type FeedSink } from './inspectFeeds';
import { sourceKey, sourceTitle } from './inspectSource';
import { PanelHost, VIEW_TYPES, type PostObserver } from './panelHost';
import type { PayloadDocuments } from './payloadDocuments';

/** At most this many posts per second to one webview. */
export const POSTS_PER_SECOND = 10;

/** What a kept message is decoded with (src/codecs/payloadDecoder.ts: PayloadDecoders). */
export interface InspectDecoder {
  decode(req: InspectDecodeRequest): Promise<DecodedPayload>;
  /** Decode as…: a picker; undefined when cancelled. */
  decodeAs(req: InspectDecodeRequest): Promise<DecodedPayload | undefined>;
}

export interface InspectDecodeRequest {
  readonly brokerId: string;
  readonly message: { readonly topic: string; readonly exchange?: string; readonly properties?: InspectedProperties; readonly payload: Uint8Array; readonly size: number };
  readonly queue?: string;
  readonly codec?: string;
  readonly limit: number;
}
type InspectedProperties = NonNullable<InspectedMessage['properties']>;

export interface InspectDeps {
  readonly registry: BrokerRegistry;
  readonly taps: TapManager;
  readonly log: Logger;
  readonly extensionUri: vscode.Uri;
  readonly documents: PayloadDocuments;
  /** Buffer sizes from the settings. */
  readonly bufferOptions: () => InspectorBufferOptions;
  /** Sees every post to the webview (only under test: PanelPostCounts). */
  readonly observer?: PostObserver;
  /** Decodes payloads on display (the Decoded tab). */
  readonly decoder: InspectDecoder;
}

const done = (text: string) => ({ type: 'done', text }) as const;

export class InspectPanel extends PanelHost<'inspect'> {
  private static readonly panels = new Map<string, InspectPanel>();
  readonly buffer: InspectorBuffer;
  private feed: CoreDisposable | undefined;
  private paused = false;
  private status: FeedStatus = { state: 'connecting', text: vscode.l10n.t('Starting…') };
  /** What the header said before Pause, shown again on Resume (unless the feed changed meanwhile). */
  private beforePause: FeedStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastPost = 0;
  private readonly key: string;
  /** How feeds reach this panel. */
  private readonly sink: FeedSink = {
    add: (m) => this.add(m),
    setStatus: (status) => this.setStatus(status),
    adopt: (feed) => this.adopt(feed),
    ended: () => (this.feed = undefined),
  };

  /** Opens (or reveals) the inspector of a source. */
  static async createOrShow(deps: InspectDeps, source: InspectSource, options: { preserveFocus?: boolean } = {}): Promise<InspectPanel> {
    const key = sourceKey(source);
    const existing = InspectPanel.panels.get(key);
    if (existing && !existing.isDisposed) {
      existing.panel.reveal(undefined, options.preserveFocus);
      const c = existing.connection;
      if (existing.source.kind === 'amqpPeek' && c?.state.kind === 'connected') {
        await existing.peek(c as AmqpConnection); // peeking again means fresh messages
      } else if (c?.state.kind === 'connected') {
        await existing.ensureFeed(c); // e.g. a tap that was stopped: tapping again restarts it
      }
      return existing;
    }
    const name = deps.registry.get(source.brokerId)?.profile.name ?? source.brokerId;
    const panel = vscode.window.createWebviewPanel(VIEW_TYPES.inspect, sourceTitle(source, name), { viewColumn: vscode.ViewColumn.Active, preserveFocus: options.preserveFocus });
    const inspector = new InspectPanel(panel, deps, source);
    try {
      await inspector.start();
    } catch (err) {
      inspector.setStatus({ state: 'error', text: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    return inspector;
  }

  /** Brings back a panel VS Code restored after a reload (WebviewPanelSerializer). */
  static async revive(panel: vscode.WebviewPanel, deps: InspectDeps, source: InspectSource): Promise<InspectPanel> {
    const inspector = new InspectPanel(panel, deps, source);
    // A peek changes the queue (messages come back redelivered; a quorum queue counts it against
    // its delivery limit): a restored peek waits for the user to ask again.
    inspector.peekHeld = source.kind === 'amqpPeek';
    await inspector.start().catch((err: unknown) => inspector.setStatus({ state: 'error', text: err instanceof Error ? err.message : String(err) }));
    return inspector;
  }

  /** Open inspectors (Panels closes them on dispose; tests and benchmarks look them up). */
  static all(): InspectPanel[] {
    return [...InspectPanel.panels.values()];
  }

  /** A restored peek inspector does not peek until asked (see revive). */
  private peekHeld = false;

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: InspectDeps,
    readonly source: InspectSource,
  ) {
    super(panel, 'inspect', deps.log, deps.extensionUri, deps.observer);
    this.key = sourceKey(source);
    InspectPanel.panels.set(this.key, this);
    this.buffer = new InspectorBuffer({ ...DEFAULT_BUFFER_OPTIONS, ...deps.bufferOptions() });
    this.disposables.push(
      deps.documents.register(this.key, (seq) => {
        const m = this.buffer.get(seq);
        return m && { topic: m.topic, payload: m.payload, size: m.size };
      }),
    );
  }

  private get connection(): BrokerConnection | undefined {
    return this.deps.registry.get(this.source.brokerId);
  }

  private get brokerName(): string {
    return this.connection?.profile.name ?? this.source.brokerId;
  }

  protected onReady(): void {
    const o = this.buffer.options;
    this.post(
      initMessage(
        {
          panel: 'inspect',
          inspect: { source: this.source, brokerName: this.brokerName, bufferMessages: o.messages, displayBytes: o.displayBytes, keepBytes: o.keepBytes, paused: this.paused },
        },
        vscode.l10n.bundle,
      ),
    );
    this.post({ type: 'status', status: this.status });
    this.post({ type: 'messages/snapshot', messages: this.buffer.snapshot(), total: this.buffer.total });
  }

  protected onVisibility(visible: boolean): void {
    if (visible) {
      this.schedule();
    }
  }

  private setStatus(status: FeedStatus): void {
    if (this.paused && status.state !== 'paused') {
      this.beforePause = status; // shown on Resume
    }
    this.status = this.paused && status.state === 'live' ? { state: 'paused', text: vscode.l10n.t('Paused — messages are still collected') } : status;
    this.post({ type: 'status', status: this.status });
  }

  /** Adds a message; posting follows within 100 ms (batched). */
  add(m: IncomingMessage): void {
    this.buffer.push(m);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.paused || !this.panel.visible || !this.isReady) {
      return;
    }
    const wait = Math.max(0, this.lastPost + 1000 / POSTS_PER_SECOND - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.paused || !this.panel.visible || !this.isReady || !this.buffer.pending) {
        return;
      }
      this.lastPost = Date.now();
      const messages = this.buffer.takeBatch();
      const skipped = this.buffer.takeSkipped();
      this.post({ type: 'messages/append', messages, total: this.buffer.total, ...(skipped ? { skipped } : {}) });
    }, wait);
  }

  private async start(): Promise<void> {
    const c = this.connection;
    if (!c) {
      this.setStatus({ state: 'error', text: vscode.l10n.t('This broker is no longer configured.') });
      return;
    }
    const stateSub = c.onDidChangeState((state) => {
      if (state.kind === 'connected') {
        this.setStatus({ state: 'live', text: vscode.l10n.t('Connected to {0}', c.profile.name) });
        // A feed that could not start (broker down at first) or that stopped with the connection.
        if (this.source.kind !== 'amqpPeek') {
          void this.ensureFeed(c);
        }
      } else if (state.kind === 'failed') {
        this.setStatus({ state: 'disconnected', text: vscode.l10n.t('Disconnected: {0}', state.reason) });
      } else if (state.kind === 'reconnecting' || state.kind === 'connecting') {
        this.setStatus({ state: 'connecting', text: state.kind === 'reconnecting' ? vscode.l10n.t('Reconnecting — {0}', state.reason) : vscode.l10n.t('Connecting…') });
      } else {
        this.setStatus({ state: 'disconnected', text: vscode.l10n.t('Disconnected') });
      }
    });
    this.disposables.push({ dispose: () => stateSub.dispose() });
    if (c.state.kind !== 'connected') {
      const state = await this.deps.registry.connect(c.id);
      if (state.kind !== 'connected') {
        this.setStatus({ state: 'disconnected', text: state.kind === 'failed' ? `Not connected: ${state.reason}` : 'Not connected' });
        return;
      }
    }
    await this.ensureFeed(c);
  }

  private feedStarting: Promise<void> | undefined;

  /** Starts the feed once (concurrent callers share the attempt); a failure shows in the header. */
  private ensureFeed(c: BrokerConnection): Promise<void> {
    if (this.feed || this.isDisposed) {
      return Promise.resolve();
    }
    this.feedStarting ??= this.startFeed(c)
      .catch((err: unknown) => this.setStatus({ state: 'error', text: err instanceof Error ? err.message : String(err) }))
      .finally(() => (this.feedStarting = undefined));
    return this.feedStarting;
  }

  /** Sets the feed, unless the panel was closed while it was starting (then it is undone). */
  private adopt(feed: CoreDisposable): boolean {
    if (this.isDisposed) {
      feed.dispose();
      return false;
    }
    this.feed = feed;
    return true;
  }

  private async startFeed(c: BrokerConnection): Promise<void> {
    const s = this.source;
    if (s.kind === 'mqtt') {
      startMqttFeed(c, s, this.sink);
    } else if (s.kind === 'amqpTap') {
      await startTapFeed(this.deps.taps, c as AmqpConnection, s, this.sink);
    } else if (this.peekHeld) {
      this.setStatus({
        state: 'stopped',
        text: vscode.l10n.t(
          'Restored after a reload, not peeked again: a peek takes the messages and puts them back marked redelivered (a quorum queue counts it against its delivery limit). Press Refresh to peek {0}.',
          s.queue,
        ),
      });
    } else {
      await this.peek(c as AmqpConnection);
    }
  }

  /** Reads the queue again (peeked messages go back and come back marked redelivered). */
  private async peek(c: AmqpConnection): Promise<void> {
    if (this.source.kind !== 'amqpPeek') {
      return;
    }
    this.peekHeld = false; // asked for: by Refresh, or by Peek Queue on this panel's queue
    const s = this.source;
    this.setStatus({ state: 'connecting', text: vscode.l10n.t('Peeking {0}…', s.queue) });
    const messages = await c.management.peek(s.vhost, s.queue, s.count, this.buffer.options.keepBytes);
    this.buffer.clear();
    for (const m of messages) {
      this.buffer.push(fromPeekedMessage(m, Date.now()));
    }
    this.setStatus({ state: 'stopped', text: vscode.l10n.t('{0} message(s) peeked from {1}; they were put back and are now marked redelivered', messages.length, s.queue) });
    this.post({ type: 'messages/snapshot', messages: this.buffer.snapshot(), total: this.buffer.total });
  }

  private readonly handlers = {
    'inspect/pause': (m) => this.pause(m.paused),
    'inspect/clear': () => this.buffer.clear(),
    'inspect/openInEditor': async (m) => {
      const kept = this.buffer.get(m.seq);
      if (!kept) {
        throw new Error(vscode.l10n.t('That message is no longer kept (the buffer holds the newest ones only).'));
      }
      await this.deps.documents.open(this.key, kept.seq, kept.topic, kept.payload, kept.size);
      return done(vscode.l10n.t('Opened in an editor'));
    },
    'inspect/compareInEditor': async (m) => {
      await this.compareWithPrevious(m.seq);
      return done(vscode.l10n.t('Opened the diff editor'));
    },
    'inspect/export': async (m) => done(await this.exportLines(m.seqs)),
    'inspect/decode': async (m) => ({ type: 'decoded', seq: m.seq, decoded: await this.decoded(m.seq, m.codec) }),
    'inspect/decodeAs': async (m) => {
      const decoded = await this.deps.decoder.decodeAs(this.decodeRequest(m.seq));
      return { type: 'decoded', seq: m.seq, ...(decoded ? { decoded } : {}) };
    },
    'inspect/openDecoded': async (m) => {
      const d = await this.decoded(m.seq, m.codec);
      const json = d.codecs.length > 0 || /^[[{]/.test(d.text.trimStart());
      const doc = await vscode.workspace.openTextDocument({ content: d.text, language: json ? 'json' : 'plaintext' });
      await vscode.window.showTextDocument(doc, { preview: true });
      return done(vscode.l10n.t('Opened the decoded payload ({0}) in an editor', d.codec));
    },
    'inspect/copyDecoded': async (m) => {
      const d = await this.decoded(m.seq, m.codec);
      await vscode.env.clipboard.writeText(d.text);
      return done(vscode.l10n.t('Copied the decoded payload ({0})', d.codec));
    },
    'inspect/refresh': async () => {
      const c = this.connection;
      if (this.source.kind === 'amqpPeek' && c) {
        await this.peek(c as AmqpConnection);
      }
      return done(vscode.l10n.t('Refreshed'));
    },
  } satisfies Handlers<InspectCommand, InspectReplies>;

  private decodeRequest(seq: number, codec?: string): InspectDecodeRequest {
    const kept = this.buffer.get(seq);
    if (!kept) {
      throw new Error(vscode.l10n.t('That message is no longer kept (the buffer holds the newest ones only).'));
    }
    return {
      brokerId: this.source.brokerId,
      message: kept,
      ...(this.source.kind === 'amqpPeek' ? { queue: this.source.queue } : {}),
      ...(codec !== undefined ? { codec } : {}),
      limit: this.buffer.options.keepBytes,
    };
  }

  /** The kept payload of a message decoded (on display, on the host): what the Decoded tab shows. */
  decoded(seq: number, codec?: string): Promise<DecodedPayload> {
    return this.deps.decoder.decode(this.decodeRequest(seq, codec));
  }

  /** What the webview asked or told; a request's reply goes back to it. */
  async handle(message: InspectCommand): Promise<void> {
    await dispatch<InspectCommand, InspectReplies>(this.handlers, message, (reply) => this.post(reply));
  }

  private pause(paused: boolean): void {
    if (paused && !this.paused) {
      this.beforePause = this.status;
    }
    this.paused = paused;
    if (this.paused) {
      this.setStatus({ state: 'paused', text: vscode.l10n.t('Paused — messages are still collected') });
    } else {
      this.post({ type: 'messages/snapshot', messages: this.buffer.snapshot(), total: this.buffer.total });
      this.setStatus(this.beforePause ?? { state: 'live', text: vscode.l10n.t('Live on {0}', this.brokerName) });
      this.beforePause = undefined;
    }
  }

  /** Opens VS Code's diff editor: the previous kept message on the same topic against this one. */
  private async compareWithPrevious(seq: number): Promise<void> {
    const m = this.buffer.get(seq);
    if (!m) {
      throw new Error(vscode.l10n.t('That message is no longer kept (the buffer holds the newest ones only).'));
    }
    const previous = this.buffer.previousOnTopic(m.topic, seq);
    if (!previous) {
      throw new Error(vscode.l10n.t('No earlier message on {0} is kept to compare with.', m.topic));
    }
    const left = this.deps.documents.uriFor(this.key, previous.seq, previous.topic, previous.payload, previous.size);
    const right = this.deps.documents.uriFor(this.key, m.seq, m.topic, m.payload, m.size);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${m.topic}: #${previous.seq} ↔ #${m.seq}`, { preview: true });
  }

  /** A payload that may be encoded (as the tree decides: binary, spBv1.0/, a non-JSON content type), decoded for export. */
  private async decodedForExport(m: Parameters<typeof mayBeEncoded>[1] & { readonly seq: number; readonly topic: string }): Promise<{ decoded?: { codec: string; schema?: string; value: unknown } }> {
    if (!mayBeEncoded(m.topic, m)) {
      return {};
    }
    const d = await this.deps.decoder.decode(this.decodeRequest(m.seq)).catch(() => undefined);
    if (!d || d.codecs.length === 0 || d.error) {
      return {};
    }
    let value: unknown = d.text;
    try {
      value = JSON.parse(d.text);
    } catch {
      // Text (a codec that gives text): kept as a string.
    }
    return { decoded: { codec: d.codec, ...(d.schema ? { schema: d.schema } : {}), value } };
  }

  /** Writes the kept messages (all, or the given ones) as JSON lines to a file the user picks; payloads a codec decodes also as `decoded`. */
  async exportLines(seqs?: readonly number[], target?: vscode.Uri): Promise<string> {
    const wanted = seqs && new Set(seqs);
    const lines: string[] = [];
    for (const m of this.buffer.all()) {
      if (!wanted || wanted.has(m.seq)) {
        lines.push(toJsonLine({ ...m, truncated: m.payload.length < m.size, ...(await this.decodedForExport(m)) }));
      }
    }
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export messages as JSON lines'),
        filters: { 'JSON lines': ['jsonl'] },
        defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), 'messages.jsonl'),
      }));
    if (!uri) {
      return 'Export cancelled';
    }
    await vscode.workspace.fs.writeFile(uri, Buffer.from(lines.join('\n') + (lines.length ? '\n' : ''), 'utf8'));
    return `Exported ${lines.length} message(s) to ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}`;
  }

  protected onDispose(): void {
    clearTimeout(this.timer);
    this.feed?.dispose();
    this.feed = undefined;
    if (InspectPanel.panels.get(this.key) === this) {
      InspectPanel.panels.delete(this.key);
    }
  }
}
