// Avro through avsc: raw binary with a mapped writer schema (.avsc), and Confluent Schema Registry
// framing (magic byte 0, a 4-byte big-endian schema id, then Avro binary) with ids mapped to
// schema files. 64-bit longs are exact (bigint, shown as numbers when safe, else decimal text).
import * as avro from 'avsc';
import { jsonText, toJsonable } from '../jsonable';
import type { AvroChoice, CodecImpl, CodecOutput, EncodeResult } from '../types';
import { errorText, l10n } from '../words';

export { useL10n } from '../words';

/** Exact 64-bit longs (avsc's default refuses or rounds values past 2^53). */
const ExactLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string | number),
  toJSON: (n: bigint) => (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString()),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** Fresh options each time: avsc fills the registry with the schema's named types. */
const options = (): Partial<avro.ForSchemaOptions> => ({ wrapUnions: 'auto', registry: { long: ExactLong } });

const byText = new Map<string, avro.Type>();
const byObject = new WeakMap<object, avro.Type>();

/** The avsc type of a schema (parsed JSON or its text), cached; throws with avsc's message. */
export function avroType(schema: unknown): avro.Type {
  if (typeof schema === 'object' && schema !== null) {
    let t = byObject.get(schema);
    if (!t) {
      t = avro.Type.forSchema(schema as avro.Schema, options());
      byObject.set(schema, t);
    }
    return t;
  }
  const text = String(schema);
  let t = byText.get(text);
  if (!t) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text; // a primitive type name such as "string"
    }
    t = avro.Type.forSchema(parsed as avro.Schema, options());
    if (byText.size > 256) {
      byText.clear();
    }
    byText.set(text, t);
  }
  return t;
}

/** Checks an .avsc text or object: undefined when avsc accepts it, else its complaint in words. */
export function checkAvroSchema(schema: unknown): string | undefined {
  try {
    avroType(schema);
    return undefined;
  } catch (e) {
    return errorText(e);
  }
}

function schemaName(t: avro.Type, fallback?: string): string {
  return fallback ?? (t.name ?? t.typeName);
}

function decodeWith(schema: unknown, bytes: Buffer, label: string, warnings: string[]): CodecOutput {
  let type: avro.Type;
  try {
    type = avroType(schema);
  } catch (e) {
    return { error: l10n.t('Avro schema {0}: {1}', label, errorText(e)), warnings };
  }
  const name = schemaName(type, label || undefined);
  try {
    const decoded: { value: unknown; offset: number } = type.decode(bytes, 0);
    const { value, offset } = decoded;
    if (offset < 0) {
      return { error: l10n.t('Avro ({0}): the data ends early (cut or incomplete), or does not match the schema', name), schema: name, warnings };
    }
    if (offset < bytes.length) {
      warnings.push(l10n.t('{0} bytes after the Avro value (another schema, or more than one value?)', bytes.length - offset));
    }
    const json = toJsonable(value);
    return { value: json, text: jsonText(json), schema: name, warnings };
  } catch (e) {
    return { error: l10n.t('Avro ({0}): the data does not match the schema ({1})', name, errorText(e)), schema: name, warnings };
  }
}

/** Raw Avro binary with `choice.schema`, or Confluent framing when the payload has it and `choice.ids` are mapped. */
export function decodeAvro(bytes: Uint8Array, choice: AvroChoice | undefined): CodecOutput {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const warnings: string[] = [];
  const framed = buf.length >= 5 && buf[0] === 0;
  if (framed && choice?.ids?.size) {
    const id = buf.readUInt32BE(1);
    const schema = choice.ids.get(id);
    if (schema === undefined) {
      return { error: l10n.t('Avro: Confluent schema id {0} is not mapped to a schema file (mapped: {1})', id, [...choice.ids.keys()].join(', ')) };
    }
    const out = decodeWith(schema, buf.subarray(5), choice.name ?? `id ${id}`, warnings);
    return { ...out, schema: `${out.schema ?? ''} (Confluent id ${id})`.trim() };
  }
  if (choice?.schema === undefined) {
    return {
      error: framed
        ? l10n.t('Avro: the payload has Confluent framing (schema id {0}); map the id to a schema file in .vscode/decoders.json', buf.length >= 5 ? buf.readUInt32BE(1) : 0)
        : l10n.t('Avro: no schema chosen (map one in .vscode/decoders.json or use Decode as…)'),
    };
  }
  return decodeWith(choice.schema, buf, choice.name ?? '', warnings);
}

/** What the decoder shows back to what avsc takes: `{ $base64 }` → Buffer, integers of long fields as avsc converts them. */
function fromShown(v: unknown, depth = 0): unknown {
  if (depth > 64 || v === null || typeof v !== 'object') {
    return v;
  }
  if (Array.isArray(v)) {
    return v.map((x) => fromShown(x, depth + 1));
  }
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === '$base64' && typeof (v as { $base64: unknown }).$base64 === 'string') {
    return Buffer.from((v as { $base64: string }).$base64, 'base64');
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromShown(x, depth + 1)]));
}

/** JSON → Avro binary; with `confluentId`, framed as the Confluent serializer does. */
export function encodeAvro(json: unknown, choice: (AvroChoice & { confluentId?: number }) | undefined): EncodeResult {
  const schema = choice?.confluentId !== undefined ? (choice.ids?.get(choice.confluentId) ?? choice.schema) : choice?.schema;
  if (schema === undefined) {
    return { error: l10n.t('Avro: no schema chosen') };
  }
  try {
    const type = avroType(schema);
    const value: unknown = type.clone(fromShown(json), { wrapUnions: true });
    const paths: string[] = [];
    if (!type.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '(top)') })) {
      return { error: l10n.t('Avro ({0}): values do not fit the schema at {1}', schemaName(type, choice?.name), paths.join(', ')) };
    }
    const body = type.toBuffer(value);
    if (choice?.confluentId === undefined) {
      return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.length) };
    }
    const out = Buffer.alloc(5 + body.length);
    out.writeUInt32BE(choice.confluentId, 1);
    body.copy(out, 5);
    return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.length) };
  } catch (e) {
    return { error: l10n.t('Avro: {0}', errorText(e)) };
  }
}

const avroCodec: CodecImpl = {
  decode: (bytes, ctx) => decodeAvro(bytes, ctx.avro),
  encode: (json, ctx) => encodeAvro(json, ctx.avro),
};

export const codecs: Record<string, CodecImpl> = { avro: avroCodec };
