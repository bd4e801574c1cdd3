/** The headers and system variables of message files, with docs for hover and completion. */
import * as l10n from '@vscode/l10n';
import type { MessageKind, MessageVerb } from './types';

export type HeaderValueType = 'qos' | 'boolean' | 'string' | 'uint' | 'seconds' | 'milliseconds' | 'keyValue' | 'deliveryMode' | 'payloadFormat' | 'count' | 'duration';

export interface HeaderInfo {
  /** Canonical spelling (names are case-insensitive). */
  readonly name: string;
  readonly kinds: readonly MessageKind[];
  readonly verbs: readonly MessageVerb[];
  readonly type: HeaderValueType;
  /** May appear more than once (each adds one entry). */
  readonly repeatable?: boolean;
  /** Values to offer in completion. */
  readonly values?: readonly string[];
  /** Inclusive bounds for numbers. */
  readonly min?: number;
  readonly max?: number;
  /** One or two sentences for hover and completion. */
  readonly doc: string;
  readonly example: string;
  /** The header that means the same for the other protocol. */
  readonly otherKind?: string;
}

const BOTH: readonly MessageKind[] = ['mqtt', 'amqp'];
const MQTT: readonly MessageKind[] = ['mqtt'];
const AMQP: readonly MessageKind[] = ['amqp'];
const PUB: readonly MessageVerb[] = ['PUBLISH'];
const PUB_SUB: readonly MessageVerb[] = ['PUBLISH', 'SUBSCRIBE'];

export const HEADER_NAMES: readonly HeaderInfo[] = [
  // MQTT
  { name: 'QoS', kinds: MQTT, verbs: PUB, type: 'qos', values: ['0', '1', '2'], doc: 'MQTT quality of service: 0 (at most once, default), 1 (at least once) or 2 (exactly once).', example: 'QoS: 1' },
  { name: 'Retain', kinds: MQTT, verbs: PUB, type: 'boolean', values: ['true', 'false'], doc: 'true: the broker keeps the message as the topic\'s retained message and gives it to every new subscriber. Default false.', example: 'Retain: true' },
  { name: 'Content-Type', kinds: BOTH, verbs: PUB, type: 'string', values: ['application/json', 'text/plain', 'application/octet-stream'], doc: 'MIME type of the payload (MQTT 5 property / AMQP property). A JSON type (application/json, …+json) makes the body checked as JSON.', example: 'Content-Type: application/json' },
  { name: 'Encoding', kinds: BOTH, verbs: PUB, type: 'string', values: ['msgpack', 'cbor', 'protobuf', 'gzip', 'msgpack, gzip', 'json, gzip'], doc: 'Encodes the body before sending, in the order written: msgpack, cbor, protobuf TYPE (a message type of the workspace .proto files) or json take the JSON body; gzip, zlib, deflate or brotli compress the bytes. Sets Content-Type (and AMQP content_encoding) when not given.', example: 'Encoding: protobuf acme.telemetry.Reading, gzip' },
  { name: 'Payload-Format-Indicator', kinds: MQTT, verbs: PUB, type: 'payloadFormat', values: ['utf-8', 'unspecified'], doc: 'MQTT 5: utf-8 (or 1, true) says the payload is UTF-8 text; unspecified (or 0, false) says nothing (the default).', example: 'Payload-Format-Indicator: utf-8' },
  { name: 'Response-Topic', kinds: MQTT, verbs: PUB, type: 'string', doc: 'MQTT 5: the topic a responder should answer on (no wildcards). auto: a fresh topic and correlation data for each run, and an EXPECT without a topic listens for the reply there.', values: ['auto'], example: 'Response-Topic: auto', otherKind: 'Reply-To' },
  { name: 'Correlation-Data', kinds: MQTT, verbs: PUB, type: 'string', doc: 'MQTT 5: data that ties a response to its request, sent as the UTF-8 bytes of the value.', example: 'Correlation-Data: {{$uuid}}', otherKind: 'Correlation-Id' },
  { name: 'Message-Expiry-Interval', kinds: MQTT, verbs: PUB, type: 'seconds', min: 0, max: 4_294_967_295, doc: 'MQTT 5: the broker drops the message when it is not delivered within this time. Whole seconds, or a duration such as 5m or 1h.', example: 'Message-Expiry-Interval: 60', otherKind: 'Expiration' },
  { name: 'Topic-Alias', kinds: MQTT, verbs: PUB, type: 'uint', min: 1, max: 65_535, doc: 'MQTT 5: a number standing for the topic on this connection (1 to the broker\'s topic alias maximum).', example: 'Topic-Alias: 1' },
  { name: 'User-Property', kinds: MQTT, verbs: PUB, type: 'keyValue', repeatable: true, doc: 'MQTT 5 user property, key=value (split at the first "="; write a key containing "=" as a JSON string: "a=b"=c). Repeat the header for more.', example: 'User-Property: site=north', otherKind: 'Header' },
  // AMQP
  { name: 'Routing-Key', kinds: AMQP, verbs: PUB_SUB, type: 'string', doc: 'PUBLISH: the routing key (with the default exchange: the queue name). SUBSCRIBE: the binding pattern of the tap (default #).', example: 'Routing-Key: info' },
  { name: 'Header', kinds: AMQP, verbs: PUB, type: 'keyValue', repeatable: true, doc: 'An AMQP header, key=value (split at the first "="; write a key containing "=" as a JSON string). Repeat the header for more.', example: 'Header: x-source=north', otherKind: 'User-Property' },
  { name: 'Delivery-Mode', kinds: AMQP, verbs: PUB, type: 'deliveryMode', values: ['persistent', 'transient'], doc: '1 or transient, 2 or persistent (written to disk by durable queues).', example: 'Delivery-Mode: persistent' },
  { name: 'Correlation-Id', kinds: AMQP, verbs: PUB, type: 'string', doc: 'AMQP property that ties a reply to its request.', example: 'Correlation-Id: {{$uuid}}', otherKind: 'Correlation-Data' },
  { name: 'Reply-To', kinds: AMQP, verbs: PUB, type: 'string', doc: 'AMQP property: the queue to reply to. auto: a temporary exclusive queue and a fresh correlation id for each run, and an EXPECT without Queue or Exchange listens for the reply there.', values: ['auto'], example: 'Reply-To: auto', otherKind: 'Response-Topic' },
  { name: 'Expiration', kinds: AMQP, verbs: PUB, type: 'milliseconds', min: 0, max: 4_294_967_295, doc: 'AMQP per-message TTL: whole milliseconds, or a duration such as 30s or 5m.', example: 'Expiration: 60000', otherKind: 'Message-Expiry-Interval' },
  { name: 'Message-Id', kinds: AMQP, verbs: PUB, type: 'string', doc: 'AMQP property: an id for the message.', example: 'Message-Id: {{$uuid}}' },
  { name: 'Type', kinds: AMQP, verbs: PUB, type: 'string', doc: 'AMQP property: the message type name.', example: 'Type: reading' },
  { name: 'Priority', kinds: AMQP, verbs: PUB, type: 'uint', min: 0, max: 255, doc: 'AMQP priority 0 to 255 (priority queues usually use 0 to 10).', example: 'Priority: 5' },
  { name: 'Mandatory', kinds: AMQP, verbs: PUB, type: 'boolean', values: ['true', 'false'], doc: 'true: the broker returns the message when no queue receives it, and sending reports it as unroutable. Default true; false lets the broker drop it silently.', example: 'Mandatory: true' },
  { name: 'Vhost', kinds: AMQP, verbs: PUB_SUB, type: 'string', values: ['/'], doc: 'The virtual host this message is meant for. A connection is on one vhost: sending is refused when it is on another.', example: 'Vhost: /' },
  // both
  { name: 'Repeat', kinds: BOTH, verbs: PUB, type: 'count', min: 1, max: 100_000, doc: 'Send the message this many times ("Send ×N"); variables are evaluated again for each one.', example: 'Repeat: 10' },
  { name: 'Interval', kinds: BOTH, verbs: PUB, type: 'duration', min: 0, max: 86_400_000, doc: 'Pause between repeated sends: 500ms, 2s, 1m (a bare number is milliseconds). Default 0.', example: 'Interval: 1s' },
];

const BY_LOWER = new Map(HEADER_NAMES.map((h) => [h.name.toLowerCase(), h]));

/** The catalog entry of a header name (case-insensitive). */
export function findHeader(name: string): HeaderInfo | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

export interface SystemVariableInfo {
  /** With the `$`: '$uuid'. */
  readonly name: string;
  /** Argument names, e.g. ['MIN', 'MAX']. */
  readonly args: readonly string[];
  readonly doc: string;
  readonly example: string;
  /** Reads something from this machine (refused in an untrusted workspace). */
  readonly local?: boolean;
}

export const SYSTEM_VARIABLES: readonly SystemVariableInfo[] = [
  { name: '$uuid', args: [], doc: 'A random UUID (version 4), new at each use.', example: '{{$uuid}}' },
  { name: '$isoTimestamp', args: [], doc: 'The current time in UTC, ISO 8601 with milliseconds: 2024-05-01T12:00:00.000Z.', example: '{{$isoTimestamp}}' },
  { name: '$timestamp', args: [], doc: 'The current time in whole seconds since 1970-01-01 UTC (Unix time).', example: '{{$timestamp}}' },
  { name: '$randomInt', args: ['MIN', 'MAX'], doc: 'A random whole number from MIN (included) to MAX (excluded), as in REST Client.', example: '{{$randomInt 0 100}}' },
  { name: '$env', args: ['NAME'], doc: 'The value of the environment variable NAME of VS Code\'s process. An error when it is not set; refused in an untrusted workspace.', example: '{{$env SENSOR_TOKEN}}', local: true },
];

const SYS = new Map(SYSTEM_VARIABLES.map((v) => [v.name.toLowerCase(), v]));

/** The catalog entry of a system variable ('$uuid'; case-insensitive). */
export function findSystemVariable(name: string): SystemVariableInfo | undefined {
  return SYS.get(name.toLowerCase());
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) {
    return max + 1;
  }
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) {
      return max + 1;
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest candidate (case-insensitive), when it is close enough to be a typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const max = w.length < 4 ? 1 : Math.min(3, Math.max(2, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    let d = editDistance(w, lc, max);
    if (d > max && w.length >= 3 && (lc.startsWith(w) || w.startsWith(lc))) {
      d = max; // a prefix or an abbreviation: PUB, Payload-Format
    }
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

export type ValueResult = { readonly ok: true; readonly value: string | number | boolean | { key: string; value: string } } | { readonly ok: false; readonly error: string };

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of "500ms", "2s", "1.5m"; a bare number has `bareUnit`. */
export function parseDuration(text: string, bareUnit: 'ms' | 's'): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) {
    return undefined;
  }
  return Number(m[1]) * UNIT_MS[(m[2] ?? bareUnit).toLowerCase()]!;
}

/** key=value, with an optional JSON-string key: "a=b"=c. */
export function parseKeyValue(text: string): { key: string; value: string } | string {
  let key: string;
  let rest: string;
  if (text.startsWith('"')) {
    const close = closingQuote(text, 0);
    if (close < 0) {
      return l10n.t('The quoted key has no closing quote');
    }
    try {
      key = JSON.parse(text.slice(0, close + 1)) as string;
    } catch {
      return l10n.t('The quoted key is not a valid JSON string');
    }
    rest = text.slice(close + 1).trimStart();
    if (!rest.startsWith('=')) {
      return l10n.t('Expected = after the quoted key: "key"=value');
    }
    return { key, value: rest.slice(1).trim() };
  }
  const eq = text.indexOf('=');
  if (eq < 0) {
    return l10n.t('Expected key=value, e.g. site=north');
  }
  key = text.slice(0, eq).trim();
  if (key === '') {
    return l10n.t('The key before "=" is empty');
  }
  return { key, value: text.slice(eq + 1).trim() };
}

/** Index of the quote closing the JSON string opened at `open`, or -1. */
export function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i++;
    } else if (c === 34) {
      return i;
    }
  }
  return -1;
}

function uintIn(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) {
    return undefined;
  }
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

const fmt = (n: number) => n.toLocaleString('en');

/** Checks and converts a header value (already substituted). */
export function parseHeaderValue(info: HeaderInfo, raw: string): ValueResult {
  const text = raw.trim();
  const min = info.min ?? 0;
  const max = info.max ?? Number.MAX_SAFE_INTEGER;
  switch (info.type) {
    case 'string':
      return { ok: true, value: text };
    case 'qos':
      return text === '0' || text === '1' || text === '2' ? { ok: true, value: Number(text) } : { ok: false, error: l10n.t('QoS "{0}" does not exist: use 0 (at most once), 1 (at least once) or 2 (exactly once)', text) };
    case 'boolean': {
      const l = text.toLowerCase();
      return l === 'true' || l === 'false' ? { ok: true, value: l === 'true' } : { ok: false, error: l10n.t('{0} must be true or false, not "{1}"', info.name, text) };
    }
    case 'payloadFormat': {
      const l = text.toLowerCase();
      if (l === 'utf-8' || l === 'utf8' || l === '1' || l === 'true') {
        return { ok: true, value: true };
      }
      if (l === 'unspecified' || l === '0' || l === 'false') {
        return { ok: true, value: false };
      }
      return { ok: false, error: l10n.t('Payload-Format-Indicator must be utf-8 (1) or unspecified (0), not "{0}"', text) };
    }
    case 'deliveryMode': {
      const l = text.toLowerCase();
      if (l === '1' || l === 'transient' || l === 'non-persistent') {
        return { ok: true, value: 1 };
      }
      if (l === '2' || l === 'persistent') {
        return { ok: true, value: 2 };
      }
      return { ok: false, error: l10n.t('Delivery-Mode must be 1 (transient) or 2 (persistent), not "{0}"', text) };
    }
    case 'uint':
    case 'count': {
      const n = uintIn(text, min, max);
      return n === undefined ? { ok: false, error: l10n.t('{0} must be a whole number from {1} to {2}, not "{3}"', info.name, fmt(min), fmt(max), text) } : { ok: true, value: n };
    }
    case 'seconds': {
      const ms = parseDuration(text, 's');
      if (ms === undefined || ms % 1000 !== 0 || ms / 1000 > max) {
        return { ok: false, error: l10n.t('{0} must be whole seconds from 0 to {1} (e.g. 60, 5m, 1h), not "{2}"', info.name, fmt(max), text) };
      }
      return { ok: true, value: ms / 1000 };
    }
    case 'milliseconds':
    case 'duration': {
      const ms = parseDuration(text, 'ms');
      if (ms === undefined || !Number.isInteger(ms) || ms > max) {
        return { ok: false, error: l10n.t('{0} must be a duration such as 500ms, 2s or 1m (a bare number is milliseconds), at most {1} ms, not "{2}"', info.name, fmt(max), text) };
      }
      return { ok: true, value: info.type === 'milliseconds' ? String(ms) : ms };
    }
    case 'keyValue': {
      const kv = parseKeyValue(text);
      return typeof kv === 'string' ? { ok: false, error: `${info.name}: ${kv}` } : { ok: true, value: kv };
    }
    default:
      return { ok: false, error: l10n.t('Unknown header type') };
  }
}

/** application/json, text/json, application/vnd.x+json (parameters allowed). */
export function isJsonContentType(value: string): boolean {
  return /^\s*[\w.+-]+\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(value);
}
