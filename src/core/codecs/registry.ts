// The codec registry: which codecs exist, which one the hints or the first bytes select, and the
// decode/encode chains (gzip → MessagePack …). Light: each codec's implementation is a dynamic
// import() that esbuild.mjs turns into its own bundle (dist/codecs/<name>.js), loaded on first use.
// Decoding never throws: a fault comes back as `error`, in words, with what could be decoded.
import * as vscodeL10n from '@vscode/l10n';
import { codecsFromHints, isGzip, isSelfDescribedCbor, isZlib } from './hints';
import { jsonText } from './jsonable';
import { PLAIN_IMPLS } from './plain';
import type { Codec, CodecImpl, CodecOutput, DecodeContext, DecodeHints, DecodeResult, EncodeContext, EncodeResult } from './types';
import { errorText, l10n, type Translate } from './words';

/** What each implementation bundle exports. */
interface ImplModule {
  codecs: Record<string, CodecImpl>;
  useL10n(t: Translate): void;
}

const translate: Translate = (message, ...args) => vscodeL10n.t(message, ...args);

/** Each module loads once; it gets the extension's `l10n.t` (its bundle has its own copy of words.ts). */
const modules = new Map<string, Promise<ImplModule>>();
function lazy(name: string, load: () => Promise<ImplModule>): () => Promise<ImplModule> {
  return () => {
    let m = modules.get(name);
    if (!m) {
      m = load().then((mod) => {
        mod.useL10n(translate);
        return mod;
      });
      // A failed load (a missing bundle) is tried again next time.
      m.catch(() => modules.delete(name));
      modules.set(name, m);
    }
    return m;
  };
}

// The specifiers below are matched by esbuild.mjs (plugin lazy-codecs): keep them literal.
export const loadCompression = lazy('compression', () => import('./impl/compression'));
export const loadMsgpack = lazy('msgpack', () => import('./impl/msgpack'));
export const loadCbor = lazy('cbor', () => import('./impl/cbor'));
export const loadSparkplug = lazy('sparkplug', () => import('./impl/sparkplug'));
export const loadProtobuf = lazy('protobuf', () => import('./impl/protobuf'));
export const loadAvro = lazy('avro', () => import('./impl/avro'));

const from = (load: () => Promise<ImplModule>, id: string) => async (): Promise<CodecImpl> => {
  const impl = (await load()).codecs[id];
  if (!impl) {
    throw new Error(`codec ${id} missing from its bundle`);
  }
  return impl;
};
const plain = (id: keyof typeof PLAIN_IMPLS) => async (): Promise<CodecImpl> => PLAIN_IMPLS[id];

/** The built-in codecs, in the order "Decode as…" lists them. */
export const BUILTIN_CODECS: readonly Codec[] = [
  { id: 'json', label: 'JSON', canEncode: true, load: plain('json') },
  { id: 'text', label: 'Text (UTF-8)', canEncode: true, load: plain('text') },
  { id: 'bytes', label: 'Bytes (hex)', load: plain('bytes') },
  { id: 'gzip', label: 'gzip', transform: true, canEncode: true, detect: isGzip, load: from(loadCompression, 'gzip') },
  { id: 'zlib', label: 'zlib', transform: true, canEncode: true, detect: isZlib, load: from(loadCompression, 'zlib') },
  { id: 'deflate', label: 'deflate (raw or zlib)', transform: true, canEncode: true, load: from(loadCompression, 'deflate') },
  { id: 'brotli', label: 'Brotli', transform: true, canEncode: true, load: from(loadCompression, 'brotli') },
  { id: 'msgpack', label: 'MessagePack', canEncode: true, load: from(loadMsgpack, 'msgpack') },
  { id: 'cbor', label: 'CBOR', canEncode: true, detect: isSelfDescribedCbor, load: from(loadCbor, 'cbor') },
  { id: 'sparkplug', label: 'Sparkplug B', canEncode: true, load: from(loadSparkplug, 'sparkplug') },
  { id: 'sparkplug-state', label: 'Sparkplug STATE', load: from(loadSparkplug, 'sparkplug-state') },
  { id: 'protobuf', label: 'Protobuf', needsSchema: true, canEncode: true, load: from(loadProtobuf, 'protobuf') },
  { id: 'avro', label: 'Avro', needsSchema: true, canEncode: true, load: from(loadAvro, 'avro') },
];

/** Chains longer than this stop (gzip in gzip in gzip …). */
const MAX_CHAIN = 4;

/** A codec id list from `gzip+msgpack`, `gzip → msgpack`, `gzip>msgpack` or `gzip, msgpack`. */
export function parseChain(chain: string): string[] {
  return chain
    .split(/\s*(?:\+|→|>|,)\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export class CodecRegistry {
  private readonly codecs = new Map<string, Codec>();
  private readonly impls = new Map<string, Promise<CodecImpl>>();
  /** The implementations already loaded: a decode calls them without waiting on their promise. */
  private readonly loaded = new Map<string, CodecImpl>();
  private readonly chains = new Map<string, readonly string[]>();

  constructor(codecs: readonly Codec[] = BUILTIN_CODECS) {
    for (const c of codecs) {
      this.register(c);
    }
  }

  register(codec: Codec): void {
    this.codecs.set(codec.id, codec);
    this.impls.delete(codec.id);
    this.loaded.delete(codec.id);
  }

  get(id: string): Codec | undefined {
    return this.codecs.get(id);
  }

  /** Every codec, for a "Decode as…" picker. */
  list(): readonly Codec[] {
    return [...this.codecs.values()];
  }

  /** The codec the first bytes prove (magic numbers only), or undefined. */
  detect(bytes: Uint8Array, hints: DecodeHints = {}): string | undefined {
    for (const c of this.codecs.values()) {
      if (c.detect?.(bytes, hints)) {
        return c.id;
      }
    }
    return undefined;
  }

  /** The codec chain the hints select before any byte is read (content-encoding, content-type, topic). */
  select(hints: DecodeHints | undefined): string[] {
    return codecsFromHints(hints).filter((id) => this.codecs.has(id));
  }

  private impl(codec: Codec): Promise<CodecImpl> {
    let p = this.impls.get(codec.id);
    if (!p) {
      p = codec.load();
      p.then(
        (impl) => this.impls.get(codec.id) === p && this.loaded.set(codec.id, impl),
        () => this.impls.delete(codec.id),
      );
      this.impls.set(codec.id, p);
    }
    return p;
  }

  /**
   * Decodes `bytes`: the explicit `ctx.codec` chain when given, else what the hints select, else what
   * the magic bytes prove, each transform handing its output to the next; what is left over is
   * shown as JSON, text or bytes. Never throws.
   */
  async decode(bytes: Uint8Array, ctx: DecodeContext): Promise<DecodeResult> {
    const explicit = ctx.codec ? this.chain(ctx.codec) : undefined;
    const planned = explicit ?? this.select(ctx.hints);
    let next = 0; // planned[next] is the next codec (explicit chains are shared: never changed)
    const used: string[] = [];
    const warnings: string[] = [];
    let error: string | undefined;
    let truncated = ctx.truncated === true;
    let current = bytes;
    for (let step = 0; step < MAX_CHAIN; step++) {
      const byMagic = next >= planned.length && !explicit;
      const id = next < planned.length ? planned[next++] : explicit ? undefined : this.detect(current, ctx.hints);
      if (id === undefined) {
        break;
      }
      const codec = this.codecs.get(id);
      if (!codec) {
        error = l10n.t('Unknown codec "{0}"', id);
        break;
      }
      const ran = this.run(codec, current, truncated === (ctx.truncated === true) ? ctx : { ...ctx, truncated });
      const out = ran instanceof Promise ? await ran : ran;
      if (codec.transform) {
        if (byMagic && out.error && !out.inner?.length) {
          // Magic bytes that were not a stream after all (a text starting with "x^"): show the bytes as they are.
          break;
        }
        used.push(id);
        if (out.warnings?.length) {
          warnings.push(...out.warnings);
        }
        error ??= out.error;
        truncated ||= out.truncated === true || out.error !== undefined;
        current = out.inner ?? new Uint8Array(0);
        continue;
      }
      used.push(id);
      return this.result(used, out, warnings, error, truncated);
    }
    if (used.length >= MAX_CHAIN) {
      warnings.push(l10n.t('Stopped after {0} codecs one inside the other', MAX_CHAIN));
    }
    // Nothing (more) claims the bytes: JSON, text or bytes.
    const out = PLAIN_IMPLS.auto.decode(current, { ...ctx, truncated }) as CodecOutput;
    return this.result(used, out, warnings, error, truncated);
  }

  /** Runs one codec; never throws. Synchronous once its implementation is loaded and when it decodes synchronously. */
  private run(codec: Codec, bytes: Uint8Array, ctx: DecodeContext): CodecOutput | Promise<CodecOutput> {
    const failed = (e: unknown): CodecOutput => ({ error: l10n.t('{0}: {1}', codec.label, errorText(e)) });
    const impl = this.loaded.get(codec.id);
    if (!impl) {
      return this.impl(codec).then((i) => i.decode(bytes, ctx)).catch(failed);
    }
    try {
      const out = impl.decode(bytes, ctx);
      return out instanceof Promise ? out.catch(failed) : out;
    } catch (e) {
      return failed(e);
    }
  }

  private result(used: string[], out: CodecOutput, warnings: string[], error: string | undefined, truncated: boolean): DecodeResult {
    const value = out.value === undefined ? null : out.value;
    // Made once per result, not by spreads: this runs for every decoded message (bench P11).
    const result: { -readonly [K in keyof DecodeResult]: DecodeResult[K] } = {
      value,
      text: out.text ?? jsonText(value),
      codec: used.length === 1 ? (this.codecs.get(used[0]!)?.label ?? used[0]!) : used.length ? used.map((id) => this.codecs.get(id)?.label ?? id).join(' → ') : l10n.t('none'),
      codecs: used,
      warnings: out.warnings?.length ? (warnings.length ? [...warnings, ...out.warnings] : [...out.warnings]) : warnings,
    };
    if (out.schema) {
      result.schema = out.schema;
    }
    const failure = error ?? out.error;
    if (failure) {
      result.error = failure;
    }
    if (truncated || out.truncated) {
      result.truncated = true;
    }
    return result;
  }

  /** An explicit chain, parsed once per text (callers pass the same few, per message). */
  private chain(text: string): readonly string[] {
    let ids = this.chains.get(text);
    if (!ids) {
      if (this.chains.size >= 64) {
        this.chains.clear();
      }
      ids = parseChain(text);
      this.chains.set(text, ids);
    }
    return ids;
  }

  /**
   * Encodes JSON with a codec or a chain, written as for decode, outermost first: `gzip+msgpack`
   * is MessagePack, then gzip, and decodes back with the same chain. Never throws.
   */
  async encode(chain: string, json: unknown, ctx: EncodeContext = {}): Promise<EncodeResult> {
    let input: unknown = json;
    let bytes: Uint8Array | undefined;
    for (const id of parseChain(chain).reverse()) {
      const codec = this.codecs.get(id);
      if (!codec?.canEncode) {
        return { error: codec ? l10n.t('{0} cannot encode', codec.label) : l10n.t('Unknown codec "{0}"', id) };
      }
      try {
        const impl = await this.impl(codec);
        const r = await impl.encode!(input, ctx);
        if (r.error !== undefined) {
          return r;
        }
        bytes = r.bytes;
        input = r.bytes;
      } catch (e) {
        return { error: l10n.t('{0}: {1}', codec.label, errorText(e)) };
      }
    }
    if (!bytes) {
      return { error: l10n.t('No codec given') };
    }
    if (ctx.limit !== undefined && bytes.length > ctx.limit) {
      return { error: l10n.t('The encoded payload has {0} bytes, more than the limit of {1}', bytes.length, ctx.limit) };
    }
    return { bytes };
  }
}

/** The registry the glue uses. */
export const codecRegistry = new CodecRegistry();
