/** Messages as JSON lines (one JSON object per line) for export. */
import { decodeText, toBase64 } from './bytes';

export interface JsonLineMessage {
  time: number;
  topic: string;
  exchange?: string;
  qos?: number;
  retain?: boolean;
  redelivered?: boolean;
  size: number;
  payload: Uint8Array;
  truncated?: boolean;
  properties?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  /** The payload as a codec decoded it (gzip, MessagePack, Protobuf…): JSON value, or text. */
  decoded?: { codec: string; schema?: string; value: unknown };
}

/** A JSON-safe copy: byte arrays (Uint8Array, Buffer, ArrayBuffer) become base64 strings, bigint decimal strings. */
export function toJsonSafe(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) {
    return toBase64(value);
  }
  if (value instanceof ArrayBuffer) {
    return toBase64(new Uint8Array(value));
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString();
  }
  if (typeof value !== 'object' || value === null || depth > 32) {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => toJsonSafe(v, depth + 1) ?? null);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = toJsonSafe(v, depth + 1);
  }
  return out;
}

/**
 * One message as one line of JSON (no line break at the end):
 * `{"time":"2024-05-01T12:00:00.000Z","topic":"a/b","qos":0,"retain":false,"size":14,"payload":"…"}`.
 * The payload is `payload` when it is text, else `payloadBase64`; `"truncated":true` when the
 * bytes are only the first part of `size`. `decoded` (`{"codec":"gzip → MessagePack","value":…}`) when a
 * codec decoded the payload.
 */
export function toJsonLine(m: JsonLineMessage): string {
  const line: Record<string, unknown> = { time: new Date(m.time).toISOString(), topic: m.topic };
  if (m.exchange !== undefined) {
    line.exchange = m.exchange;
  }
  if (m.qos !== undefined) {
    line.qos = m.qos;
  }
  if (m.retain !== undefined) {
    line.retain = m.retain;
  }
  if (m.redelivered !== undefined) {
    line.redelivered = m.redelivered;
  }
  line.size = m.size;
  if (m.truncated) {
    line.truncated = true;
  }
  if (m.properties && Object.keys(m.properties).length > 0) {
    line.properties = toJsonSafe(m.properties);
  }
  if (m.headers && Object.keys(m.headers).length > 0) {
    line.headers = toJsonSafe(m.headers);
  }
  const text = decodeText(m.payload, m.truncated ?? false);
  if (text !== undefined) {
    line.payload = text;
  } else {
    line.payloadBase64 = toBase64(m.payload);
  }
  if (m.decoded) {
    line.decoded = { codec: m.decoded.codec, ...(m.decoded.schema ? { schema: m.decoded.schema } : {}), value: toJsonSafe(m.decoded.value) };
  }
  // JSON.stringify escapes U+2028/2029 and lone surrogates, so the line never breaks.
  return JSON.stringify(line);
}
