// Decoded values made JSON-able: what MessagePack, CBOR, Avro and protobuf give (Map, bigint, bytes,
// Date, tags, Long) becomes plain JSON that the inspector, the diff and "Open in Editor" can show.
import { toBase64 } from '../format/bytes';

/** Deeper than this is shown as a marker (a hostile payload could nest very deep). */
const MAX_DEPTH = 200;

function isLong(v: object): v is { low: number; high: number; unsigned: boolean; toString(): string } {
  return 'low' in v && 'high' in v && 'unsigned' in v && typeof (v as { toString?: unknown }).toString === 'function';
}

function num(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

/**
 * A JSON-able copy of `v`: bytes → `{ "$base64": … }`, bigint and Long → number when safe, else a
 * decimal string; Map → object (keys as text) or `{ "$map": [[k, v], …] }` when a key is not
 * text or a number; Date → ISO text; undefined → null; NaN / Infinity → text.
 */
export function toJsonable(v: unknown, depth = 0): unknown {
  if (v === null || v === undefined) {
    return null;
  }
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return num(v);
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    case 'object':
      break;
    default:
      // symbol, function: not data
      return typeof v;
  }
  if (depth >= MAX_DEPTH) {
    return '…(nested too deep)';
  }
  if (v instanceof Uint8Array) {
    return { $base64: toBase64(v) };
  }
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  }
  if (Array.isArray(v)) {
    return v.map((x) => toJsonable(x, depth + 1));
  }
  if (v instanceof Map) {
    const keys = [...v.keys()];
    if (keys.every((k) => typeof k === 'string' || typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean')) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v) {
        out[String(k)] = toJsonable(x, depth + 1);
      }
      return out;
    }
    return { $map: [...v].map(([k, x]) => [toJsonable(k, depth + 1), toJsonable(x, depth + 1)]) };
  }
  if (v instanceof Set) {
    return [...v].map((x) => toJsonable(x, depth + 1));
  }
  if (isLong(v)) {
    const s = v.toString();
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : s;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = toJsonable(x, depth + 1);
  }
  return out;
}

/** Pretty JSON of a JSON-able value. */
export function jsonText(v: unknown): string {
  return JSON.stringify(v, null, 2) ?? 'null';
}
