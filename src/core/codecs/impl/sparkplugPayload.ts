// Sparkplug B payloads through protobufjs, from the schema in ../sparkplug/schema.ts. The
// Payload level is read field by field so that a cut or corrupt payload keeps the metrics before
// the fault; each Metric is decoded by protobufjs's generated decoder. Values are made JSON-able
// and typed by their `datatype` (Int8–Int32 are sign-extended from uint32, Int64 from uint64).
import Long from 'long';
import * as protobuf from 'protobufjs';
import { toBase64, fromBase64 } from '../../format/bytes';
import { DATATYPES, SPARKPLUG_B_PACKAGE, SPARKPLUG_B_PROTO, datatypeNumber } from '../sparkplug/schema';
import type { SparkplugDecoded, SparkplugHostState, SparkplugMetric, SparkplugPayload, SparkplugPayloadInput } from '../sparkplug/types';
import { decodeText } from '../../format/bytes';
import { errorText, l10n } from '../words';

// protobufjs finds `long` by an eval'd require that a bundle cannot see: hand it over, so uint64
// fields are Long objects (exact) in the bundle as in the tests.
protobuf.util.Long = Long;
protobuf.configure();

const root = protobuf.parse(SPARKPLUG_B_PROTO).root;
const T = (name: string) => root.lookupType(`${SPARKPLUG_B_PACKAGE}.Payload${name ? `.${name}` : ''}`);
export const PayloadType = T('');
const MetricType = T('Metric');

type LongLike = Long | number;
type Msg = Record<string, unknown>;

function toNum(v: unknown, signed = false): number | string {
  if (typeof v === 'number') {
    return v;
  }
  if (Long.isLong(v)) {
    const l = signed ? v.toSigned() : v;
    return l.lessThanOrEqual(Number.MAX_SAFE_INTEGER) && l.greaterThanOrEqual(Number.MIN_SAFE_INTEGER) ? l.toNumber() : l.toString();
  }
  return Number(v);
}

/** The shortest decimal that reads back as the same float32: 21.5, 0.1 — not 0.10000000149011612. */
function float32(v: number): number {
  if (!Number.isFinite(v)) {
    return v;
  }
  for (let p = 6; p <= 9; p++) {
    const n = Number(v.toPrecision(p));
    if (Math.fround(n) === v) {
      return n;
    }
  }
  return v;
}

function valueField(m: Msg): string | undefined {
  // The oneof's virtual property names the field that is set.
  const f = m.value;
  return typeof f === 'string' ? f : undefined;
}

/** A oneof value typed by its Sparkplug data type. */
function typed(datatype: number, field: string | undefined, raw: unknown, depth: number): unknown {
  if (field === undefined) {
    return null;
  }
  switch (field) {
    case 'intValue':
    case 'longValue': {
      if (field === 'intValue') {
        const u = Number(raw) >>> 0;
        switch (datatype) {
          case 1:
            return (u << 24) >> 24;
          case 2:
            return (u << 16) >> 16;
          case 3:
            return u | 0;
          default:
            return u;
        }
      }
      const n = toNum(raw, datatype === 1 || datatype === 2 || datatype === 3 || datatype === 4);
      return datatype === 13 && typeof n === 'number' ? n : n;
    }
    case 'floatValue':
      return float32(raw as number);
    case 'doubleValue':
    case 'booleanValue':
    case 'stringValue':
      return raw;
    case 'bytesValue':
      return { $base64: toBase64(raw as Uint8Array) };
    case 'datasetValue':
      return dataSet(raw as Msg, depth);
    case 'templateValue':
      return template(raw as Msg, depth);
    case 'propertysetValue':
      return propertySet(raw as Msg, depth);
    case 'propertysetsValue':
      return ((raw as Msg).propertyset as Msg[] | undefined)?.map((s) => propertySet(s, depth)) ?? [];
    default:
      return { extension: true };
  }
}

function dataSet(d: Msg, depth: number): unknown {
  const types = (d.types as number[] | undefined) ?? [];
  return {
    columns: d.columns ?? [],
    types: types.map((t) => DATATYPES[t] ?? t),
    rows: ((d.rows as Msg[] | undefined) ?? []).map((r) => ((r.elements as Msg[] | undefined) ?? []).map((e, i) => typed(types[i] ?? 0, valueField(e), e[valueField(e) ?? ''], depth + 1))),
  };
}

function propertySet(p: Msg, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = (p.keys as string[] | undefined) ?? [];
  const values = (p.values as Msg[] | undefined) ?? [];
  keys.forEach((k, i) => {
    const v = values[i];
    out[k] = !v || v.isNull ? null : typed((v.type as number | undefined) ?? 0, valueField(v), v[valueField(v) ?? ''], depth + 1);
  });
  return out;
}

function template(t: Msg, depth: number): unknown {
  if (depth > 16) {
    return '…(nested too deep)';
  }
  return {
    ...(t.version !== undefined && t.version !== '' ? { version: t.version } : {}),
    ...(t.templateRef ? { templateRef: t.templateRef } : {}),
    isDefinition: t.isDefinition === true,
    metrics: ((t.metrics as Msg[] | undefined) ?? []).map((m) => metric(m, depth + 1)),
    parameters: ((t.parameters as Msg[] | undefined) ?? []).map((p) => ({ name: p.name, type: DATATYPES[p.type as number] ?? p.type, value: typed((p.type as number | undefined) ?? 0, valueField(p), p[valueField(p) ?? ''], depth + 1) })),
  };
}

const has = (m: Msg, key: string) => Object.prototype.hasOwnProperty.call(m, key);

function metric(m: Msg, depth = 0): SparkplugMetric {
  const datatype = (m.datatype as number | undefined) ?? 0;
  const field = valueField(m);
  const out: SparkplugMetric = { datatype, value: m.isNull === true ? null : typed(datatype, field, field ? m[field] : undefined, depth) };
  if (has(m, 'name')) {
    out.name = m.name as string;
  }
  if (has(m, 'alias')) {
    out.alias = toNum(m.alias);
  }
  if (has(m, 'timestamp')) {
    out.timestamp = toNum(m.timestamp) as number;
  }
  if (m.isNull === true) {
    out.isNull = true;
  }
  if (m.isHistorical === true) {
    out.isHistorical = true;
  }
  if (m.isTransient === true) {
    out.isTransient = true;
  }
  if (m.properties) {
    out.properties = propertySet(m.properties as Msg, depth);
  }
  if (m.metadata) {
    const md = PayloadMetaData.toObject(m.metadata as protobuf.Message, { longs: Number });
    out.metadata = md;
  }
  return out;
}
const PayloadMetaData = T('MetaData');

/** Decodes a Sparkplug B payload as far as it goes; never throws. */
export function decodeSparkplugPayload(bytes: Uint8Array): SparkplugDecoded {
  const payload: SparkplugPayload = { metrics: [] };
  const reader = protobuf.Reader.create(bytes);
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      switch (tag >>> 3) {
        case 1:
          payload.timestamp = toNum(reader.uint64()) as number;
          break;
        case 2:
          payload.metrics.push(metric(MetricType.decode(reader, reader.uint32()) as unknown as Msg));
          break;
        case 3:
          payload.seq = toNum(reader.uint64()) as number;
          break;
        case 4:
          payload.uuid = reader.string();
          break;
        case 5:
          payload.body = reader.bytes();
          break;
        default:
          if (tag === 0) {
            throw new Error(l10n.t('invalid field number 0 at byte {0}', reader.pos - 1));
          }
          reader.skipType(tag & 7);
      }
    }
    return { payload };
  } catch (e) {
    const text = errorText(e);
    const words = /index out of range/.test(text)
      ? l10n.t('Sparkplug B: the payload ends early (cut or incomplete) after {0} metrics', payload.metrics.length)
      : l10n.t('Sparkplug B: the payload is corrupt after {0} metrics ({1})', payload.metrics.length, text);
    return { payload, error: words };
  }
}

/** The decoded payload as JSON (bytes as base64). */
export function payloadJson(p: SparkplugPayload): Record<string, unknown> {
  return {
    ...(p.timestamp !== undefined ? { timestamp: p.timestamp } : {}),
    ...(p.seq !== undefined ? { seq: p.seq } : {}),
    ...(p.uuid !== undefined ? { uuid: p.uuid } : {}),
    ...(p.body !== undefined ? { body: { $base64: toBase64(p.body) } } : {}),
    metrics: p.metrics.map((m) => ({ ...m, datatype: DATATYPES[m.datatype] ?? m.datatype })),
  };
}

function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) {
    return v;
  }
  if (typeof v === 'string') {
    return fromBase64(v);
  }
  if (v && typeof v === 'object' && typeof (v as { $base64?: unknown }).$base64 === 'string') {
    return fromBase64((v as { $base64: string }).$base64);
  }
  throw new Error(l10n.t('a Bytes value is base64 text or {"$base64": …}'));
}

function long(v: unknown, unsigned: boolean): Long {
  if (Long.isLong(v)) {
    return v;
  }
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    return Long.fromString(v, unsigned);
  }
  if (typeof v === 'bigint') {
    return Long.fromString(v.toString(), unsigned);
  }
  if (typeof v === 'number' && Number.isInteger(v)) {
    return Long.fromNumber(v, v >= 0 && unsigned);
  }
  throw new Error(l10n.t('{0} is not an integer', JSON.stringify(v) ?? typeof v));
}

/** A metric value in the oneof field its data type calls for (Sparkplug 3.0: Int8–UInt32 in int_value). */
function setValue(out: Msg, datatype: number, value: unknown): void {
  if (value === null || value === undefined) {
    out.isNull = true;
    return;
  }
  switch (datatype) {
    case 1:
    case 2:
    case 3:
    case 5:
    case 6:
    case 7: {
      if (typeof value !== 'number' && typeof value !== 'string') {
        throw new Error(l10n.t('{0} is not an integer', JSON.stringify(value) ?? typeof value));
      }
      const n = Number(value);
      if (!Number.isInteger(n)) {
        throw new Error(l10n.t('{0} is not an integer', String(value)));
      }
      out.intValue = n >>> 0;
      return;
    }
    case 4:
    case 8:
    case 13:
      out.longValue = value instanceof Date ? Long.fromNumber(value.getTime(), true) : long(value, datatype !== 4).toUnsigned();
      return;
    case 9:
      out.floatValue = Number(value);
      return;
    case 10:
      out.doubleValue = Number(value);
      return;
    case 11:
      out.booleanValue = value === true || value === 'true' || value === 1;
      return;
    case 12:
    case 14:
    case 15:
      out.stringValue = typeof value === 'string' ? value : JSON.stringify(value);
      return;
    case 17:
    case 18:
      out.bytesValue = bytesOf(value);
      return;
    default:
      throw new Error(l10n.t('metrics of type {0} cannot be encoded here', DATATYPES[datatype] ?? String(datatype)));
  }
}

/** Encodes a payload (metrics with a data type each); throws with a message in words. */
export function encodeSparkplugPayload(input: SparkplugPayloadInput): Uint8Array {
  const metrics = input.metrics.map((m, i) => {
    const datatype = typeof m.datatype === 'number' ? m.datatype : m.datatype !== undefined ? datatypeNumber(m.datatype) : undefined;
    if (datatype === undefined) {
      throw new Error(l10n.t('metric {0} ({1}) has no known data type', i + 1, m.name ?? String(m.alias ?? '?')));
    }
    const out: Msg = { datatype };
    if (m.name !== undefined) {
      out.name = m.name;
    }
    if (m.alias !== undefined) {
      out.alias = Long.fromNumber(m.alias, true);
    }
    if (m.timestamp !== undefined) {
      out.timestamp = Long.fromNumber(m.timestamp, true);
    }
    try {
      setValue(out, datatype, m.value);
    } catch (e) {
      throw new Error(l10n.t('metric {0} ({1}): {2}', i + 1, m.name ?? String(m.alias ?? '?'), errorText(e)), { cause: e });
    }
    return out;
  });
  const msg: Msg = { metrics };
  if (input.timestamp !== undefined) {
    msg.timestamp = Long.fromNumber(input.timestamp, true);
  }
  if (input.seq !== undefined) {
    msg.seq = Long.fromNumber(input.seq, true);
  }
  if (input.uuid !== undefined) {
    msg.uuid = input.uuid;
  }
  return PayloadType.encode(PayloadType.fromObject(msg)).finish();
}

/** A STATE payload: Sparkplug 3.0 JSON `{"online": true, "timestamp": …}` or 2.2 text ONLINE / OFFLINE. */
export function decodeHostState(bytes: Uint8Array): { state?: SparkplugHostState; error?: string } {
  const text = decodeText(bytes)?.trim();
  if (text === undefined) {
    return { error: l10n.t('Sparkplug STATE: the payload is not text') };
  }
  if (text === 'ONLINE' || text === 'OFFLINE') {
    return { state: { online: text === 'ONLINE' } };
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && typeof (v as { online?: unknown }).online === 'boolean') {
      const ts = (v as { timestamp?: unknown }).timestamp;
      return { state: { online: (v as { online: boolean }).online, ...(typeof ts === 'number' ? { timestamp: ts } : {}) } };
    }
  } catch {
    // not JSON: said below
  }
  return { error: l10n.t('Sparkplug STATE: expected {"online": true|false, "timestamp": …} or ONLINE / OFFLINE') };
}

export type { LongLike };
