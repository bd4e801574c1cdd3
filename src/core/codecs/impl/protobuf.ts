// Protobuf with the workspace's own schemas: .proto texts parsed by protobufjs, imports resolved
// through a file reader the glue hands in (it reads workspace files; tests read fixtures), the
// message types listed for a "Decode as…" picker. Decoding says unknown fields (by path and
// number), keeps what was decoded before a fault, shows google.protobuf.Timestamp / Duration as
// text, 64-bit integers and enums as the protobuf JSON mapping does (decimal text, names).
import Long from 'long';
import * as protobuf from 'protobufjs';
import { posix } from 'node:path';
import { jsonText } from '../jsonable';
import type { CodecImpl, CodecOutput, EncodeResult, ProtobufChoice } from '../types';
import { errorText, l10n } from '../words';

export { useL10n } from '../words';

protobuf.util.Long = Long;
protobuf.configure();

// google.protobuf.Timestamp and Duration as the JSON mapping writes them (RFC 3339, "1.5s").
type WrapperThis = { fromObject(o: Record<string, unknown>): protobuf.Message; toObject(m: protobuf.Message, o?: protobuf.IConversionOptions): Record<string, unknown> };
const wrappers = protobuf.wrappers as Record<string, protobuf.IWrapper>;
const secondsOf = (v: unknown) => (Long.isLong(v) ? v.toNumber() : Number(v ?? 0));
wrappers['.google.protobuf.Timestamp'] = {
  fromObject(this: WrapperThis, o: Record<string, unknown> | string) {
    if (typeof o === 'string') {
      const ms = Date.parse(o);
      if (Number.isNaN(ms)) {
        throw new Error(l10n.t('"{0}" is not an RFC 3339 time', o));
      }
      const frac = /\.(\d+)/.exec(o)?.[1] ?? '';
      return this.fromObject({ seconds: Math.floor(ms / 1000), nanos: Number(frac.padEnd(9, '0').slice(0, 9)) });
    }
    return this.fromObject(o);
  },
  toObject(this: WrapperThis, m: protobuf.Message, o?: protobuf.IConversionOptions) {
    const { seconds, nanos } = m as unknown as { seconds?: unknown; nanos?: number };
    if (!o?.json) {
      return this.toObject(m, o);
    }
    const s = secondsOf(seconds);
    const date = new Date(s * 1000);
    if (Number.isNaN(date.getTime())) {
      return this.toObject(m, o);
    }
    const base = date.toISOString().slice(0, 19);
    const n = nanos ?? 0;
    // 0, 3, 6 or 9 fraction digits, as the JSON mapping writes them.
    const digits = String(n).padStart(9, '0');
    const frac = !n ? '' : n % 1e6 === 0 ? `.${digits.slice(0, 3)}` : n % 1e3 === 0 ? `.${digits.slice(0, 6)}` : `.${digits}`;
    return `${base}${frac}Z` as unknown as Record<string, unknown>;
  },
};
wrappers['.google.protobuf.Duration'] = {
  fromObject(this: WrapperThis, o: Record<string, unknown> | string) {
    if (typeof o === 'string') {
      const m = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/.exec(o);
      if (!m) {
        throw new Error(l10n.t('"{0}" is not a duration such as "1.5s"', o));
      }
      const sign = m[1] ? -1 : 1;
      return this.fromObject({ seconds: sign * Number(m[2]), nanos: sign * Number((m[3] ?? '').padEnd(9, '0')) });
    }
    return this.fromObject(o);
  },
  toObject(this: WrapperThis, m: protobuf.Message, o?: protobuf.IConversionOptions) {
    if (!o?.json) {
      return this.toObject(m, o);
    }
    const { seconds, nanos } = m as unknown as { seconds?: unknown; nanos?: number };
    const s = secondsOf(seconds);
    const n = Math.abs(nanos ?? 0);
    const sign = s < 0 || (nanos ?? 0) < 0 ? '-' : '';
    return `${sign}${Math.abs(s)}${n ? `.${String(n).padStart(9, '0').replace(/0+$/, '')}` : ''}s` as unknown as Record<string, unknown>;
  },
};

/** Reads a file by path; undefined when there is none. The glue reads the workspace (and trust-restricted extra folders). */
export type ProtoFileReader = (path: string) => string | undefined | Promise<string | undefined>;

export interface ProtoSchemaError {
  readonly file: string;
  readonly message: string;
}

/** The parsed schemas: an opaque handle to pass back in `ProtobufChoice.schemas`, with what was found. */
export interface ProtoSchemaSet {
  /** Fully qualified message types, e.g. `acme.telemetry.Reading`, sorted, the workspace's first. */
  readonly types: readonly string[];
  readonly enums: readonly string[];
  /** Every file read, entry files and imports. */
  readonly files: readonly string[];
  readonly errors: readonly ProtoSchemaError[];
}

interface SchemaSetImpl extends ProtoSchemaSet {
  readonly root: protobuf.Root;
}

const PARSE: protobuf.IParseOptions = { keepCase: true, alternateCommentMode: true };

/**
 * Parses the given .proto files and everything they import. An import is looked up under each
 * `includeDirs` entry (as protoc's -I), then beside the importing file, then as written;
 * google/protobuf/*.proto well-known types come with protobufjs. Never throws: a file that does not
 * parse, an import not found or a type that does not resolve is in `errors`.
 */
export async function loadProtoSchemas(files: readonly string[], read: ProtoFileReader, options: { includeDirs?: readonly string[] } = {}): Promise<ProtoSchemaSet> {
  const root = new protobuf.Root();
  const errors: ProtoSchemaError[] = [];
  const seen = new Set<string>();
  const common = protobuf.common as unknown as { get(name: string): protobuf.INamespace | null };

  const addFile = async (path: string, text: string): Promise<void> => {
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(text, root, { ...PARSE });
    } catch (e) {
      errors.push({ file: path, message: errorText(e) });
      return;
    }
    for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
      await addImport(imp, path);
    }
  };

  const addImport = async (imp: string, from: string): Promise<void> => {
    if (seen.has(`import:${imp}`)) {
      return;
    }
    seen.add(`import:${imp}`);
    const wellKnown = common.get(imp);
    if (wellKnown) {
      try {
        root.addJSON((wellKnown as { nested?: Record<string, protobuf.AnyNestedObject> }).nested ?? {});
      } catch (e) {
        // Already defined by another well-known file: protobufjs shares google.protobuf among them.
        if (!/duplicate name/.test(errorText(e))) {
          errors.push({ file: imp, message: errorText(e) });
        }
      }
      return;
    }
    const candidates = [...(options.includeDirs ?? []).map((d) => posix.join(d, imp)), posix.join(posix.dirname(from), imp), imp];
    for (const c of candidates) {
      if (seen.has(c)) {
        return;
      }
      const text = await readSafe(c);
      if (text !== undefined) {
        seen.add(c);
        await addFile(c, text);
        return;
      }
    }
    errors.push({ file: from, message: l10n.t('import "{0}" not found (looked in: {1})', imp, candidates.join(', ')) });
  };

  const readSafe = async (path: string): Promise<string | undefined> => {
    try {
      return await read(path);
    } catch {
      return undefined;
    }
  };

  for (const f of files) {
    if (seen.has(f)) {
      continue;
    }
    seen.add(f);
    const text = await readSafe(f);
    if (text === undefined) {
      errors.push({ file: f, message: l10n.t('the file cannot be read') });
      continue;
    }
    await addFile(f, text);
  }
  try {
    root.resolveAll();
  } catch (e) {
    errors.push({ file: '', message: errorText(e) });
  }
  const types: string[] = [];
  const enums: string[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const n of ns.nestedArray) {
      if (n instanceof protobuf.Type) {
        types.push(n.fullName.slice(1));
      } else if (n instanceof protobuf.Enum) {
        enums.push(n.fullName.slice(1));
      }
      if (n instanceof protobuf.Namespace || n instanceof protobuf.Type) {
        walk(n);
      }
    }
  };
  walk(root);
  const order = (a: string, b: string) => Number(a.startsWith('google.protobuf.')) - Number(b.startsWith('google.protobuf.')) || a.localeCompare(b);
  const set: SchemaSetImpl = { root, types: types.sort(order), enums: enums.sort(order), files: [...seen].filter((s) => !s.startsWith('import:')), errors };
  return set;
}

const looked = new WeakMap<protobuf.Root, Map<string, protobuf.Type>>();
const schemaNames = new WeakMap<protobuf.Type, string>();

function lookup(choice: ProtobufChoice | undefined): protobuf.Type | string {
  if (!choice) {
    return l10n.t('Protobuf: no message type chosen (map one in .vscode/decoders.json or use Decode as…)');
  }
  const root = (choice.schemas as SchemaSetImpl | undefined)?.root;
  if (!(root instanceof protobuf.Root)) {
    return l10n.t('Protobuf: no schemas loaded');
  }
  // lookupType walks the namespaces each time: one lookup per root and type name.
  let types = looked.get(root);
  if (!types) {
    types = new Map();
    looked.set(root, types);
  }
  const known = types.get(choice.type);
  if (known) {
    return known;
  }
  try {
    const t = root.lookupType(choice.type.startsWith('.') ? choice.type : `.${choice.type}`);
    types.set(choice.type, t);
    return t;
  } catch {
    return l10n.t('Protobuf: no message type "{0}" in the loaded .proto files', choice.type);
  }
}

const TO_JSON: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, json: true, oneofs: true };

const WIRE = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit'];

interface Scan {
  unknown: string[];
  /** Offset after the last top-level field that was whole. */
  goodEnd: number;
  error?: string;
}

/**
 * Walks the wire format beside the type: unknown fields by path, and where a fault is. One reader
 * for the whole payload; a nested message is walked in place up to its end. `path` holds the
 * field names down to here (one array for the walk: a path is written only for an unknown field).
 */
function scan(type: protobuf.Type, r: protobuf.Reader, end: number, path: string[], out: Scan, depth: number, top: boolean): void {
  const fields = type.fieldsById;
  while (r.pos < end) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    if (id === 0 || wire > 5) {
      throw new Error(l10n.t('invalid field tag {0} at byte {1}', tag, r.pos - 1));
    }
    const field = fields[id];
    if (!field) {
      out.unknown.push(`${path.length ? `${path.join('.')}.` : ''}#${id} (${WIRE[wire]})`);
      r.skipType(wire);
    } else if (wire === 2 && field.resolvedType instanceof protobuf.Type && depth < 32) {
      const len = r.uint32();
      const stop = r.pos + len;
      if (stop > end) {
        throw new RangeError('index out of range');
      }
      path.push(field.name);
      scan(field.resolvedType, r, stop, path, out, depth + 1, false);
      path.pop();
      r.pos = stop;
    } else {
      r.skipType(wire);
    }
    if (r.pos > end) {
      throw new RangeError('index out of range');
    }
    if (top) {
      out.goodEnd = r.pos;
    }
  }
}

function faultWords(e: unknown): string {
  const text = errorText(e);
  return /index out of range/.test(text) ? l10n.t('the data ends early (cut or incomplete)') : text;
}

/** Decodes with a type from the loaded schemas; never throws. */
export function decodeProtobuf(bytes: Uint8Array, choice: ProtobufChoice | undefined): CodecOutput {
  const type = lookup(choice);
  if (typeof type === 'string') {
    return { error: type };
  }
  // fullName walks the namespaces on every read: once per type.
  let schema = schemaNames.get(type);
  if (schema === undefined) {
    schema = type.fullName.slice(1);
    schemaNames.set(type, schema);
  }
  const warnings: string[] = [];
  // The wire walk finds unknown fields and faults that protobufjs lets pass (its Node reader
  // cuts a string that runs past the end instead of failing).
  const s: Scan = { unknown: [], goodEnd: 0 };
  let error: string | undefined;
  try {
    const r = protobuf.Reader.create(bytes);
    scan(type, r, r.len, [], s, 0, true);
  } catch (e) {
    error = l10n.t('Protobuf ({0}): {1} after byte {2} of {3}', schema, faultWords(e), s.goodEnd, bytes.length);
  }
  let message: protobuf.Message;
  try {
    // After a fault: decode as far as the last whole field.
    message = type.decode(error ? bytes.subarray(0, s.goodEnd) : bytes);
  } catch (e) {
    if (e instanceof protobuf.util.ProtocolError && e.instance) {
      // proto2 required fields missing: what was decoded is there.
      message = e.instance as protobuf.Message;
      error ??= l10n.t('Protobuf ({0}): {1}', schema, errorText(e));
    } else {
      return { error: error ?? l10n.t('Protobuf ({0}): {1}', schema, faultWords(e)), schema };
    }
  }
  if (s.unknown.length) {
    warnings.push(l10n.t('{0} fields not in {1}: {2}', s.unknown.length, schema, s.unknown.slice(0, 20).join(', ') + (s.unknown.length > 20 ? ' …' : '')));
  }
  const value = type.toObject(message, TO_JSON);
  return { value, text: jsonText(value), schema, warnings, ...(error ? { error } : {}) };
}

const TIME_TYPES = new Set(['.google.protobuf.Timestamp', '.google.protobuf.Duration']);

/**
 * The JSON the decoder shows, made ready for protobufjs's fromObject: Timestamp and Duration
 * text become messages (fromObject wants objects there), and keys the type has no field for are
 * collected (fromObject would drop them silently).
 */
function prepare(type: protobuf.Type, json: unknown, path: string, unknown: string[], depth = 0): unknown {
  if (typeof json === 'string' && TIME_TYPES.has(type.fullName)) {
    return type.fromObject(json as unknown as Record<string, unknown>);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json) || depth > 32 || type.fullName === '.google.protobuf.Any' || TIME_TYPES.has(type.fullName)) {
    return json;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) {
    const field = type.fields[k] ?? type.fieldsArray.find((f) => protobuf.util.camelCase(f.name) === k);
    if (!field) {
      if (!type.oneofs?.[k]) {
        unknown.push(`${path}${k}`);
      }
      continue;
    }
    const sub = field.resolvedType;
    if (sub instanceof protobuf.Type && v !== null && v !== undefined) {
      if (field.map && typeof v === 'object') {
        out[k] = Object.fromEntries(Object.entries(v as object).map(([mk, mv]) => [mk, prepare(sub, mv, `${path}${k}.`, unknown, depth + 1)]));
      } else if (field.repeated && Array.isArray(v)) {
        out[k] = v.map((item) => prepare(sub, item, `${path}${k}.`, unknown, depth + 1));
      } else {
        out[k] = prepare(sub, v, `${path}${k}.`, unknown, depth + 1);
      }
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** JSON → protobuf bytes with a type from the loaded schemas. */
export function encodeProtobuf(json: unknown, choice: ProtobufChoice | undefined): EncodeResult {
  const type = lookup(choice);
  if (typeof type === 'string') {
    return { error: type };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    return { error: l10n.t('Protobuf: a message is a JSON object') };
  }
  try {
    const extra: string[] = [];
    const ready = prepare(type, json, '', extra) as Record<string, unknown>;
    if (extra.length) {
      return { error: l10n.t('Protobuf ({0}): no such fields: {1}', type.fullName.slice(1), extra.join(', ')) };
    }
    return { bytes: type.encode(type.fromObject(ready)).finish() };
  } catch (e) {
    return { error: l10n.t('Protobuf ({0}): {1}', type.fullName.slice(1), errorText(e)) };
  }
}

const protobufCodec: CodecImpl = {
  decode: (bytes, ctx) => decodeProtobuf(bytes, ctx.protobuf),
  encode: (json, ctx) => encodeProtobuf(json, ctx.protobuf),
};

export const codecs: Record<string, CodecImpl> = { protobuf: protobufCodec };
