/**
 * The publish panel's protocol: the draft as typed in the panel, the connections it can send
 * through, its history, what the host posts to the publish webview and what the webview posts
 * back, the replies each request gets, and the state kept for a reload. No DOM, no Node APIs:
 * the host, src/core and the publish bundle import this file (shared.ts has the handshake).
 */
import type { ReplyTypes } from './requests';
import { guardOf, HANDSHAKE_GUARDS, isNum, isObject, isStr, type Delivery, type DoneReply, type ErrorMessage, type Guard, type HandshakeMessage, type InitMessage, type QoS } from './shared';

export type BrokerKind = 'mqtt' | 'amqp';

export interface UserProperty {
  readonly key: string;
  readonly value: string;
}

export type PayloadFormat = 'text' | 'json' | 'base64' | 'hex';

/** The message as typed in the publish panel (also the history entry). */
export interface PublishDraft {
  readonly payload: string;
  readonly format: PayloadFormat;
  /**
   * Encoded on the host before it is sent, written as a message file's `Encoding:` header
   * (`protobuf acme.Reading, gzip`, `msgpack`, `sparkplug`); the payload is then the JSON to encode.
   */
  readonly encoding?: string;
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
    /** AMQP content_encoding (gzip, deflate, br…), e.g. from a message file's `Encoding:`. */
    readonly contentEncoding?: string;
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
  /** MQTT 5: the highest QoS the broker accepts (its CONNACK's Maximum QoS), when below 2. */
  readonly maximumQoS?: 0 | 1;
  /** MQTT 5: false when the broker keeps no retained messages (Retain Available off). */
  readonly retainAvailable?: boolean;
}

export interface PublishInit {
  readonly targets: readonly PublishTarget[];
  /** Chosen connection, and the draft to start from (prefilled from a tree node or the last send). */
  readonly brokerId?: string;
  readonly draft: PublishDraft;
  /** Sent messages for this broker (newest first). */
  readonly history: readonly HistoryEntry[];
  /** The session's "Simulate edge node" mode (Sparkplug B), never saved. */
  readonly simulate?: boolean;
}

/** A metric the last NBIRTH / DBIRTH announced (the NCMD / DCMD builder offers them by name). */
export interface BirthMetricInfo {
  readonly name: string;
  readonly datatype: string;
  readonly alias?: number | string;
}

/** Reply to `publish/encodingInfo`: what the Encoding control offers for a destination. */
export interface PublishEncodingInfoReply {
  readonly type: 'publish/encodingInfo';
  readonly inReplyTo: number;
  /** The message types of the workspace's .proto files. */
  readonly types: readonly string[];
  /** The encoding a .vscode/decoders.json mapping (or the Sparkplug namespace) gives this destination. */
  readonly mapped?: string;
  /** NCMD / DCMD: the metrics of the last BIRTH of that edge node or device (empty when none was seen). */
  readonly metrics?: readonly BirthMetricInfo[];
}

/** Reply to `publish/encode`: the encoded size, or what is wrong in words. */
export interface PublishEncodedReply {
  readonly type: 'publish/encoded';
  readonly inReplyTo: number;
  readonly bytes?: number;
  readonly error?: string;
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
// Messages

/** Reply to `publish/send`. */
export interface PublishResultReply {
  readonly type: 'publish/result';
  readonly inReplyTo: number;
  readonly outcome: PublishOutcome;
}

/** Reply to `publish/loadFile`: the file's bytes (undefined when the user cancelled). */
export interface PublishFileReply {
  readonly type: 'publish/file';
  readonly inReplyTo: number;
  readonly name?: string;
  readonly bytes?: Uint8Array;
}

/** Messages the host posts to the publish webview. */
export type PublishHostMessage =
  | InitMessage<{ readonly panel: 'publish'; readonly publish: PublishInit }>
  | ErrorMessage
  | PublishResultReply
  | { readonly type: 'publish/targets'; readonly targets: readonly PublishTarget[] }
  | { readonly type: 'publish/history'; readonly brokerId: string; readonly history: readonly HistoryEntry[] }
  | PublishFileReply
  | PublishEncodingInfoReply
  | PublishEncodedReply
  | DoneReply;

/** Targets and histories travel in init too: only replies wait for the page. */
export const PUBLISH_DELIVERY = {
  init: 'rebuilt',
  'publish/targets': 'rebuilt',
  'publish/history': 'rebuilt',
  error: 'queued',
  'publish/result': 'queued',
  'publish/file': 'queued',
  'publish/encodingInfo': 'queued',
  'publish/encoded': 'queued',
  done: 'queued',
} as const satisfies Record<PublishHostMessage['type'], Delivery>;

/** What the publish webview asks or tells the host (besides the handshake). */
export type PublishCommand =
  | { readonly type: 'publish/send'; readonly id: number; readonly brokerId: string; readonly draft: PublishDraft }
  | { readonly type: 'publish/loadFile'; readonly id: number }
  /** Copy `mosquitto_pub …` / `rabbitmqadmin publish …` for this draft to the clipboard. */
  | { readonly type: 'publish/copyCommand'; readonly id: number; readonly brokerId: string; readonly draft: PublishDraft }
  | { readonly type: 'publish/selectBroker'; readonly brokerId: string }
  /** The Encoding control's choices for a destination (types, a mapping, BIRTH metrics). */
  | { readonly type: 'publish/encodingInfo'; readonly id: number; readonly brokerId: string; readonly topic?: string; readonly exchange?: string; readonly routingKey?: string }
  /** Encodes the draft as Send would (the size or the error next to the field); sends nothing. */
  | { readonly type: 'publish/encode'; readonly id: number; readonly brokerId: string; readonly draft: PublishDraft }
  /** The "Simulate edge node" checkbox. */
  | { readonly type: 'publish/simulate'; readonly simulate: boolean };

/** Messages the publish webview posts to the host. `ready` is always first. */
export type PublishWebviewMessage = HandshakeMessage | PublishCommand;

/** The publish webview's requests (they carry `id`). */
export type PublishRequest = Extract<PublishCommand, { readonly id: number }>;

/** The reply each request gets when it succeeds (an `error` reply when it fails). */
export type PublishReplies = {
  readonly 'publish/send': PublishResultReply;
  readonly 'publish/loadFile': PublishFileReply;
  readonly 'publish/copyCommand': DoneReply;
  readonly 'publish/encodingInfo': PublishEncodingInfoReply;
  readonly 'publish/encode': PublishEncodedReply;
};

/** The same at run time, for a Requester in the publish webview. */
export const PUBLISH_REPLY_TYPES = {
  'publish/send': 'publish/result',
  'publish/loadFile': 'publish/file',
  'publish/copyCommand': 'done',
  'publish/encodingInfo': 'publish/encodingInfo',
  'publish/encode': 'publish/encoded',
} as const satisfies ReplyTypes<PublishRequest, PublishReplies>;

function isDraft(v: unknown): v is PublishDraft {
  if (!isObject(v) || !isStr(v.payload) || !['text', 'json', 'base64', 'hex'].includes(v.format as string) || (v.encoding !== undefined && !isStr(v.encoding))) {
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

const draftRequest: Guard = (v) => isNum(v.id) && isStr(v.brokerId) && isDraft(v.draft);

const PUBLISH_GUARDS = {
  ...HANDSHAKE_GUARDS,
  'publish/send': draftRequest,
  'publish/copyCommand': draftRequest,
  'publish/loadFile': (v) => isNum(v.id),
  'publish/selectBroker': (v) => isStr(v.brokerId),
  'publish/encodingInfo': (v) => isNum(v.id) && isStr(v.brokerId) && [v.topic, v.exchange, v.routingKey].every((x) => x === undefined || isStr(x)),
  'publish/encode': draftRequest,
  'publish/simulate': (v) => typeof v.simulate === 'boolean',
} satisfies Record<PublishWebviewMessage['type'], Guard>;

/** Checks what the publish webview posted: the host trusts nothing that crosses the boundary unchecked. */
export const isPublishWebviewMessage = guardOf<PublishWebviewMessage>(PUBLISH_GUARDS);

// ---------------------------------------------------------------------------------------------
// State

/** State the publish webview keeps with setState (small, no payloads) and the serializer revives from. */
export interface PublishPanelState {
  readonly panel: 'publish';
  readonly brokerId?: string;
  readonly draft?: PublishDraft;
}

export function isPublishPanelState(value: unknown): value is PublishPanelState {
  return isObject(value) && value.panel === 'publish' && (value.brokerId === undefined || isStr(value.brokerId)) && (value.draft === undefined || isDraft(value.draft));
}
