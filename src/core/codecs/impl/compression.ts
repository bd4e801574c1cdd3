// gzip, zlib and raw deflate through node:zlib (the host's own; no library). Streaming, so that a
// decompression bomb stops at the limit: the output is cut there and marked, never held whole.
// A cut or corrupt stream gives what came out before the fault, and the fault in words.
import * as zlib from 'node:zlib';
import type { CodecImpl, CodecOutput, EncodeResult } from '../types';
import { errorText, l10n } from '../words';

export { useL10n } from '../words';

type Kind = 'gzip' | 'zlib' | 'deflate' | 'brotli';

function inflater(kind: Kind, bytes: Uint8Array): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress {
  const options = { chunkSize: 16 * 1024 };
  if (kind === 'gzip') {
    return zlib.createGunzip(options);
  }
  if (kind === 'brotli') {
    return zlib.createBrotliDecompress(options);
  }
  // "deflate" as HTTP and AMQP content-encoding means zlib-wrapped data; some senders send raw
  // deflate. The zlib header (CM 8, FCHECK) tells which.
  if (kind === 'zlib' || hasZlibHeader(bytes)) {
    return zlib.createInflate(options);
  }
  return zlib.createInflateRaw(options);
}

/** A zlib stream header: CM = 8 (deflate), window ≤ 32 KB, (CMF·256 + FLG) divisible by 31, no preset dictionary. */
export function hasZlibHeader(b: Uint8Array): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && b[0]! >> 4 <= 7 && ((b[0]! << 8) | b[1]!) % 31 === 0 && (b[1]! & 0x20) === 0;
}

function faultWords(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'Z_BUF_ERROR') {
    return l10n.t('the compressed data ends early (cut or incomplete)');
  }
  if (code === 'Z_DATA_ERROR' || code?.startsWith('ERR__ERROR_FORMAT') || code?.startsWith('ERR_BROTLI')) {
    return l10n.t('the compressed data is corrupt ({0})', errorText(e));
  }
  return errorText(e);
}

/** Decompresses up to `limit` bytes; resolves (never rejects) with what came out. */
export function inflate(kind: Kind, bytes: Uint8Array, limit: number): Promise<CodecOutput> {
  return new Promise((resolve) => {
    const stream = inflater(kind, bytes);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (out: Omit<CodecOutput, 'inner'>) => {
      if (done) {
        return;
      }
      done = true;
      stream.removeAllListeners('data');
      stream.destroy();
      resolve({ ...out, inner: new Uint8Array(Buffer.concat(chunks, Math.min(size, limit))) });
    };
    stream.on('data', (chunk: Buffer) => {
      if (done) {
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
      if (size > limit) {
        finish({
          truncated: true,
          warnings: [l10n.t('Decompressed output stopped at the limit of {0} bytes (the rest was not decompressed).', limit)],
        });
      }
    });
    stream.on('error', (e) => {
      finish({ error: l10n.t('{0}: {1}', kind, faultWords(e)) });
    });
    stream.on('end', () => finish({}));
    stream.end(bytes);
  });
}

function compress(kind: Kind, input: unknown): EncodeResult {
  try {
    const bytes = input instanceof Uint8Array ? input : Buffer.from(JSON.stringify(input) ?? 'null', 'utf8');
    const out = kind === 'gzip' ? zlib.gzipSync(bytes) : kind === 'zlib' ? zlib.deflateSync(bytes) : kind === 'brotli' ? zlib.brotliCompressSync(bytes) : zlib.deflateRawSync(bytes);
    return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.length) };
  } catch (e) {
    return { error: errorText(e) };
  }
}

const impl = (kind: Kind): CodecImpl => ({
  decode: (bytes, ctx) => inflate(kind, bytes, ctx.limit),
  encode: (json) => compress(kind, json),
});

export const codecs: Record<string, CodecImpl> = { gzip: impl('gzip'), zlib: impl('zlib'), deflate: impl('deflate'), brotli: impl('brotli') };
