/**
 * The inspector panel's protocol: what the host posts to the inspect webview, what the webview
 * posts back, the replies each request gets, and the state the webview keeps for a reload. No DOM,
 * no Node APIs: the host and the inspect bundle import this file (shared.ts has the handshake).
 */
import type { ReplyTypes } from './requests';
import { guardOf, HANDSHAKE_GUARDS, isNum, isObject, isStr, type Delivery, type DoneReply, type ErrorMessage, type Guard, type HandshakeMessage, type InitMessage, type QoS } from './shared';

/** A value of an MQTT 5 property, AMQP property or header, made JSON-safe for display. */
export type PropertyValue = string | number | boolean | null | readonly PropertyValue[] | { readonly [key: string]: PropertyValue };

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
  /** AMQP: the broker's redelivered flag as it delivered the message (delivered before, then put back). */
  readonly redelivered?: boolean;
  /**
   * AMQP peek: the message was taken and put back (ack_requeue_true), so the broker now marks it
   * redelivered — on every peek, the first one too (whose `redelivered` is still false).
   */
  readonly returned?: boolean;
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
  /** MQTT 5: the subscriptions (topic filters) the message matched, from its subscription identifiers. */
  readonly matched?: readonly string[];
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
// Messages

/** Messages the host posts to the inspect webview. */
export type InspectHostMessage =
  | InitMessage<{ readonly panel: 'inspect'; readonly inspect: InspectInit }>
  | ErrorMessage
  /** New messages, oldest first. At most 10 of these per second per panel. `total` counts every message the source delivered. */
  | {
      readonly type: 'messages/append';
      readonly messages: readonly InspectedMessage[];
      readonly total: number;
      /**
       * Messages that arrived since the last post but were dropped before it (more than the list
       * keeps arrived between two posts): counted in `total`, never posted. The webview marks the
       * gap before `messages[0]` with "N not shown" rather than leaving it silent.
       */
      readonly skipped?: number;
    }
  /** The whole recent list (after reveal, resume or reload): replaces what the webview shows. */
  | { readonly type: 'messages/snapshot'; readonly messages: readonly InspectedMessage[]; readonly total: number }
  | { readonly type: 'status'; readonly status: FeedStatus }
  | DoneReply
  | DecodedReply;

/** A payload decoded on the host (codec registry), as the Decoded tab shows it. Text only, never HTML. */
export interface DecodedPayload {
  /** The codec chain in words, e.g. `gzip → MessagePack`, or `none`. */
  readonly codec: string;
  /** The same as ids, outermost first. */
  readonly codecs: readonly string[];
  /** The schema or type used (protobuf type, Avro schema, Sparkplug B). */
  readonly schema?: string;
  /** Where the choice came from: `chosen` (Decode as…), `decoders.json`, `hints` (content-type, topic), `detected` (magic bytes), `none`. */
  readonly by: 'chosen' | 'mapping' | 'hints' | 'detected' | 'none';
  /** A mapping's description (`sensors/+/raw → msgpack in .vscode/decoders.json`). */
  readonly mapping?: string;
  /** The decoded value as pretty JSON or text (capped at the inspector's payload limit). */
  readonly text: string;
  readonly warnings: readonly string[];
  readonly error?: string;
  /** Stopped at the payload limit (decompression bomb) or the input was already cut. */
  readonly truncated?: boolean;
  /** The limit decoding was held to, in bytes. */
  readonly limit: number;
}

/** The reply to `inspect/decode` and `inspect/decodeAs`. */
export interface DecodedReply {
  readonly type: 'decoded';
  readonly inReplyTo: number;
  readonly seq: number;
  /** Undefined when Decode as… was cancelled. */
  readonly decoded?: DecodedPayload;
}

/** Init, the lists and the status are posted again on every `ready`; replies wait for it. */
export const INSPECT_DELIVERY = {
  init: 'rebuilt',
  'messages/append': 'rebuilt',
  'messages/snapshot': 'rebuilt',
  status: 'rebuilt',
  error: 'queued',
  done: 'queued',
  decoded: 'queued',
} as const satisfies Record<InspectHostMessage['type'], Delivery>;

/** What the inspect webview asks or tells the host (besides the handshake). */
export type InspectCommand =
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
  /** Decode the kept payload on the host (codec chosen by `codec`, a decoders.json mapping, the hints or magic bytes). */
  | { readonly type: 'inspect/decode'; readonly id: number; readonly seq: number; readonly codec?: string }
  /** Pick a codec or protobuf type for the message's topic (and save it to .vscode/decoders.json); replies with the new decode. */
  | { readonly type: 'inspect/decodeAs'; readonly id: number; readonly seq: number }
  /** The decoded JSON as an untitled editor document. */
  | { readonly type: 'inspect/openDecoded'; readonly id: number; readonly seq: number; readonly codec?: string }
  /** The decoded JSON to the clipboard. */
  | { readonly type: 'inspect/copyDecoded'; readonly id: number; readonly seq: number; readonly codec?: string };

/** Messages the inspect webview posts to the host. `ready` is always first. */
export type InspectWebviewMessage = HandshakeMessage | InspectCommand;

/** The inspect webview's requests (they carry `id`). */
export type InspectRequest = Extract<InspectCommand, { readonly id: number }>;

/** The reply each request gets when it succeeds (an `error` reply when it fails). */
export type InspectReplies = { readonly [K in InspectRequest['type']]: K extends 'inspect/decode' | 'inspect/decodeAs' ? DecodedReply : DoneReply };

/** The same at run time (the webview's Requester checks each reply against it). */
export const INSPECT_REPLY_TYPES = {
  'inspect/openInEditor': 'done',
  'inspect/compareInEditor': 'done',
  'inspect/export': 'done',
  'inspect/refresh': 'done',
  'inspect/decode': 'decoded',
  'inspect/decodeAs': 'decoded',
  'inspect/openDecoded': 'done',
  'inspect/copyDecoded': 'done',
} as const satisfies ReplyTypes<InspectRequest, InspectReplies>;

const seqRequest: Guard = (v) => isNum(v.id) && isNum(v.seq);
const codecRequest: Guard = (v) => seqRequest(v) && (v.codec === undefined || (isStr(v.codec) && v.codec.length <= 200));

const INSPECT_GUARDS = {
  ...HANDSHAKE_GUARDS,
  'inspect/pause': (v) => typeof v.paused === 'boolean',
  'inspect/clear': () => true,
  'inspect/openInEditor': seqRequest,
  'inspect/compareInEditor': seqRequest,
  'inspect/export': (v) => isNum(v.id) && (v.seqs === undefined || (Array.isArray(v.seqs) && v.seqs.every(isNum))),
  'inspect/refresh': (v) => isNum(v.id),
  'inspect/decode': codecRequest,
  'inspect/decodeAs': seqRequest,
  'inspect/openDecoded': codecRequest,
  'inspect/copyDecoded': codecRequest,
} satisfies Record<InspectWebviewMessage['type'], Guard>;

/** Checks what the inspect webview posted: the host trusts nothing that crosses the boundary unchecked. */
export const isInspectWebviewMessage = guardOf<InspectWebviewMessage>(INSPECT_GUARDS);

// ---------------------------------------------------------------------------------------------
// State

/** State the inspect webview keeps with setState (small, no payloads) and the serializer revives from. */
export interface InspectPanelState {
  readonly panel: 'inspect';
  readonly source: InspectSource;
  readonly filter?: string;
  readonly view?: string;
}

export function isInspectSource(s: unknown): s is InspectSource {
  if (!isObject(s)) {
    return false;
  }
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

export function isInspectPanelState(value: unknown): value is InspectPanelState {
  return isObject(value) && value.panel === 'inspect' && isInspectSource(value.source);
}
