/**
 * The typed message protocol between the extension host and its webviews (publish and inspect
 * panels). No DOM, no Node APIs: both bundles import this file. Bump PROTOCOL_VERSION on any
 * incompatible change; a webview built for another version says so instead of misbehaving.
 *
 * Requests carry `id`; replies carry `inReplyTo`. The webview posts `ready` first and the host
 * queues everything until then. Payloads travel as Uint8Array (structured clone), never as HTML.
 */
export const PROTOCOL_VERSION = 2;

export type PanelKind = 'publish' | 'inspect';
export type BrokerKind = 'mqtt' | 'amqp';
export type QoS = 0 | 1 | 2;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** A value of an MQTT 5 property, AMQP property or header, made JSON-safe for display. */
export type PropertyValue = string | number | boolean | null | readonly PropertyValue[] | { readonly [key: string]: PropertyValue };

// ---------------------------------------------------------------------------------------------
// Inspector

/** One message in the inspector. */
export interface InspectedMessage {
  /** Sequence number within the panel (1, 2, …), unique while the panel lives, kept across clear. */
  readonly seq: number;
  /** Receive time, ms since the epoch. */
  readonly time: number;
  /** MQTT topic, or AMQP routing key. */
  readonly topic: string;
  /** AMQP: the exchange it was published to ('' = default exchange). */
  readonly exchange?: string;
  readonly qos?: QoS;
  readonly retain?: boolean;
  /** AMQP: redelivered flag (peeked messages come back redelivered). */
  readonly redelivered?: boolean;
  /** Full payload size in bytes. */
  readonly size: number;
  /** The first bytes of the payload (at most the display cap); the host keeps the rest. */
  readonly payload: Uint8Array;
  /** True when `payload` is shorter than `size` (the host holds more, up to its own limit). */
  readonly truncated: boolean;
  /** MQTT 5 properties / AMQP properties, by name (contentType, correlationData, userProperties…). */
  readonly properties?: Readonly<Record<string, PropertyValue>>;
  /** AMQP headers. */
  readonly headers?: Readonly<Record<string, PropertyValue>>;
}

/** What an inspector shows, and how to get it back after a reload (kept in webview state). */
export type InspectSource =
  /** MQTT: messages whose topic matches `filter` (a topic, or `a/b/#` for a subtree). */
  | { readonly kind: 'mqtt'; readonly brokerId: string; readonly filter: string }
  /** AMQP: what flows through an exchange (a tap with a binding pattern). */
  | { readonly kind: 'amqpTap'; readonly brokerId: string; readonly vhost: string; readonly exchange: string; readonly pattern: string }
  /** AMQP: messages peeked from a queue (a one-off list; "peek again" refreshes it). */
  | { readonly kind: 'amqpPeek'; readonly brokerId: string; readonly vhost: string; readonly queue: string; readonly count: number };

export interface InspectInit {
  readonly source: InspectSource;
  /** Broker display name, e.g. "local mosquitto". */
  readonly brokerName: string;
  /** Messages the webview keeps (setting brokerExplorer.inspector.bufferMessages). */
  readonly bufferMessages: number;
  /** Payload bytes sent to the webview per message (display cap). */
  readonly displayBytes: number;
  /** Payload bytes the host keeps per message (setting brokerExplorer.inspector.maxPayloadMegabytes). */
  readonly keepBytes: number;
  readonly paused: boolean;
}

/** Connection/feed state shown in the inspector's header. */
export interface FeedStatus {
  readonly state: 'live' | 'paused' | 'connecting' | 'disconnected' | 'stopped' | 'error';
  /** Plain words, e.g. "Disconnected: broker restarting — reconnecting in 4 s". */
  readonly text: string;
}

// ---------------------------------------------------------------------------------------------
// Publish

export interface UserProperty {
  readonly key: string;
  readonly value: string;
}

export type PayloadFormat = 'text' | 'json' | 'base64' | 'hex';

/** The message as typed in the publish panel (also the history entry). */
export interface PublishDraft {
  readonly payload: string;
  readonly format: PayloadFormat;
  readonly mqtt?: {
    readonly topic: string;
    readonly qos: QoS;
    readonly retain: boolean;
    /** MQTT 5 properties (ignored with an MQTT 3.1.1 connection, which the panel says). */
    readonly contentType?: string;
    readonly payloadFormatIndicator?: boolean;
    readonly responseTopic?: string;
    /** Correlation data as text (sent as UTF-8 bytes). */
    readonly correlationData?: string;
    readonly messageExpiryInterval?: number;
    readonly topicAlias?: number;
    readonly userProperties?: readonly UserProperty[];
  };
  readonly amqp?: {
    readonly exchange: string;
    readonly routingKey: string;
    readonly mandatory: boolean;
    readonly headers?: readonly UserProperty[];
    readonly contentType?: string;
    readonly deliveryMode?: 1 | 2;
    readonly correlationId?: string;
    readonly replyTo?: string;
    /** Milliseconds, as text (AMQP's expiration is a string). */
    readonly expiration?: string;
    readonly messageId?: string;
    readonly type?: string;
    readonly priority?: number;
  };
}

/** A connection the publish panel can send through. */
export interface PublishTarget {
  readonly brokerId: string;
  readonly name: string;
  readonly kind: BrokerKind;
  readonly connected: boolean;
  /** MQTT: an established connection was lost and is coming back (QoS 1/2 are queued meanwhile). */
  readonly reconnecting?: boolean;
  /** MQTT: 5 or 4 (3.1.1) for the current connection. */
  readonly mqttVersion?: 4 | 5;
}

export interface PublishInit {
  readonly targets: readonly PublishTarget[];
  /** Chosen connection, and the draft to start from (prefilled from a tree node or the last send). */
  readonly brokerId?: string;
  readonly draft: PublishDraft;
  /** Sent messages for this broker (newest first). */
  readonly history: readonly HistoryEntry[];
}

export interface HistoryEntry {
  readonly time: number;
  readonly brokerId: string;
  readonly draft: PublishDraft;
  /** Outcome text when it was sent ("puback", "routed"…). */
  readonly result: string;
}

export type PublishOutcome =
  | { readonly ok: true; readonly text: string; readonly detail?: string; /** Waiting in the connection's outbox, not sent yet. */ readonly queued?: boolean }
  | { readonly ok: false; readonly text: string };

// ---------------------------------------------------------------------------------------------
// Localization

/**
 * The extension's l10n bundle for VS Code's display language (`vscode.l10n.bundle`): English
 * message → translation. Absent when VS Code runs in English (or has no translation): the webview
 * then shows its English strings as they are. The webview hands it to `@vscode/l10n`'s `config`.
 */
export type L10nBundle = Readonly<Record<string, string>>;

/** A bundle the webview may pass to `l10n.config`: a plain object of strings, nothing else. */
export function isL10nBundle(value: unknown): value is L10nBundle {
  return isObject(value) && !Array.isArray(value) && Object.values(value).every(isStr);
}

// ---------------------------------------------------------------------------------------------
// Messages

/** Messages the host posts to a webview. `init` carries the l10n bundle, read before the first render. */
export type HostMessage =
  | { readonly type: 'init'; readonly protocol: number; readonly l10n?: L10nBundle; readonly panel: 'inspect'; readonly inspect: InspectInit }
  | { readonly type: 'init'; readonly protocol: number; readonly l10n?: L10nBundle; readonly panel: 'publish'; readonly publish: PublishInit }
  | { readonly type: 'error'; readonly message: string; readonly inReplyTo?: number }
  // inspect
  /** New messages, oldest first. At most 10 of these per second per panel. `total` counts every message the source delivered. */
  | { readonly type: 'messages/append'; readonly messages: readonly InspectedMessage[]; readonly total: number }
  /** The whole recent list (after reveal, resume or reload): replaces what the webview shows. */
  | { readonly type: 'messages/snapshot'; readonly messages: readonly InspectedMessage[]; readonly total: number }
  | { readonly type: 'status'; readonly status: FeedStatus }
  // publish
  | { readonly type: 'publish/result'; readonly inReplyTo: number; readonly outcome: PublishOutcome }
  | { readonly type: 'publish/targets'; readonly targets: readonly PublishTarget[] }
  | { readonly type: 'publish/history'; readonly brokerId: string; readonly history: readonly HistoryEntry[] }
  /** Reply to `publish/loadFile`: the file's bytes (undefined when the user cancelled). */
  | { readonly type: 'publish/file'; readonly inReplyTo: number; readonly name?: string; readonly bytes?: Uint8Array }
  /** Generic acknowledgement of a request that needs no data back (copy, export…), with text to show. */
  | { readonly type: 'done'; readonly inReplyTo: number; readonly text: string };

/** Messages a webview posts to the host. `ready` is always first. */
export type WebviewMessage =
  | { readonly type: 'ready'; readonly protocol: number }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
  // inspect
  | { readonly type: 'inspect/pause'; readonly paused: boolean }
  | { readonly type: 'inspect/clear' }
  /** Open the full payload of a message as a read-only editor document. */
  | { readonly type: 'inspect/openInEditor'; readonly id: number; readonly seq: number }
  /** VS Code's diff editor: the message against the previous one on the same topic. */
  | { readonly type: 'inspect/compareInEditor'; readonly id: number; readonly seq: number }
  /** Save the messages (those with these seqs, or all the host keeps) as JSON lines. */
  | { readonly type: 'inspect/export'; readonly id: number; readonly seqs?: readonly number[] }
  /** AMQP peek: read the queue again. */
  | { readonly type: 'inspect/refresh'; readonly id: number }
  // publish
  | { readonly type: 'publish/send'; readonly id: number; readonly brokerId: string; readonly draft: PublishDraft }
  | { readonly type: 'publish/loadFile'; readonly id: number }
  /** Copy `mosquitto_pub …` / `rabbitmqadmin publish …` for this draft to the clipboard. */
  | { readonly type: 'publish/copyCommand'; readonly id: number; readonly brokerId: string; readonly draft: PublishDraft }
  | { readonly type: 'publish/selectBroker'; readonly brokerId: string };

export type WebviewMessageType = WebviewMessage['type'];

/** The `init` message the host posts on every `ready`, with the l10n bundle when VS Code is not in English. */
export type InitMessage = Extract<HostMessage, { type: 'init' }>;

/** An `init` for a panel: `bundle` (vscode.l10n.bundle) travels only when there is one. */
export function initMessage(init: { panel: 'inspect'; inspect: InspectInit } | { panel: 'publish'; publish: PublishInit }, bundle: L10nBundle | undefined): InitMessage {
  return { type: 'init', protocol: PROTOCOL_VERSION, ...(isL10nBundle(bundle) ? { l10n: bundle } : {}), ...init };
}

function isDraft(v: unknown): v is PublishDraft {
  if (!isObject(v) || !isStr(v.payload) || !['text', 'json', 'base64', 'hex'].includes(v.format as string)) {
    return false;
  }
  const m = v.mqtt;
  const a = v.amqp;
  if (m !== undefined && (!isObject(m) || !isStr(m.topic) || ![0, 1, 2].includes(m.qos as number) || typeof m.retain !== 'boolean')) {
    return false;
  }
  if (a !== undefined && (!isObject(a) || !isStr(a.exchange) || !isStr(a.routingKey) || typeof a.mandatory !== 'boolean')) {
    return false;
  }
  return m !== undefined || a !== undefined;
}

/** Checks what a webview posted: the host trusts nothing that crosses the boundary unchecked. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (!isObject(value)) {
    return false;
  }
  const v = value;
  switch (v.type) {
    case 'ready':
      return isNum(v.protocol);
    case 'log':
      return (v.level === 'info' || v.level === 'warn' || v.level === 'error') && isStr(v.message);
    case 'inspect/pause':
      return typeof v.paused === 'boolean';
    case 'inspect/clear':
      return true;
    case 'inspect/openInEditor':
    case 'inspect/compareInEditor':
      return isNum(v.id) && isNum(v.seq);
    case 'inspect/export':
      return isNum(v.id) && (v.seqs === undefined || (Array.isArray(v.seqs) && v.seqs.every(isNum)));
    case 'inspect/refresh':
    case 'publish/loadFile':
      return isNum(v.id);
    case 'publish/send':
    case 'publish/copyCommand':
      return isNum(v.id) && isStr(v.brokerId) && isDraft(v.draft);
    case 'publish/selectBroker':
      return isStr(v.brokerId);
    default:
      return false;
  }
}

/** State a webview keeps with setState (small, no payloads) and the serializer revives from. */
export type PanelState =
  | { readonly panel: 'inspect'; readonly source: InspectSource; readonly filter?: string; readonly view?: string }
  | { readonly panel: 'publish'; readonly brokerId?: string; readonly draft?: PublishDraft };

export function isPanelState(value: unknown): value is PanelState {
  if (!isObject(value)) {
    return false;
  }
  if (value.panel === 'publish') {
    return (value.brokerId === undefined || isStr(value.brokerId)) && (value.draft === undefined || isDraft(value.draft));
  }
  if (value.panel === 'inspect' && isObject(value.source)) {
    const s = value.source;
    switch (s.kind) {
      case 'mqtt':
        return isStr(s.brokerId) && isStr(s.filter);
      case 'amqpTap':
        return isStr(s.brokerId) && isStr(s.vhost) && isStr(s.exchange) && isStr(s.pattern);
      case 'amqpPeek':
        return isStr(s.brokerId) && isStr(s.vhost) && isStr(s.queue) && isNum(s.count);
      default:
        return false;
    }
  }
  return false;
}
