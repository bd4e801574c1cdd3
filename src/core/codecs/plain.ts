// The end of every chain when no codec claims the bytes: JSON, text, or bytes (base64 + hex).
// Light and synchronous: part of the registry, not a lazy bundle.
import { decodeText, toBase64 } from '../format/bytes';
import { hexDump } from '../format/hexdump';
import { jsonText } from './jsonable';
import type { CodecImpl, CodecOutput } from './types';
import { errorText, l10n } from './words';

/** Bytes shown as hex in `text` at most (the value keeps them all as base64). */
const HEX_TEXT_BYTES = 4096;

function bytesOutput(bytes: Uint8Array, warnings: string[] = []): CodecOutput {
  return { value: { $base64: toBase64(bytes) }, text: hexDump(bytes, { maxBytes: HEX_TEXT_BYTES }), warnings };
}

export function decodeJson(bytes: Uint8Array, truncated = false): CodecOutput {
  const text = decodeText(bytes, truncated);
  if (text === undefined) {
    return { ...bytesOutput(bytes), error: l10n.t('JSON: the bytes are not UTF-8 text') };
  }
  try {
    const value: unknown = JSON.parse(text);
    return { value, text: jsonText(value) };
  } catch (e) {
    return { value: text, text, error: l10n.t('JSON: {0}', errorText(e)) };
  }
}

/** Best effort: JSON when it parses, else text, else bytes. */
export function decodePlain(bytes: Uint8Array, truncated = false): CodecOutput {
  const text = decodeText(bytes, truncated);
  if (text === undefined) {
    return bytesOutput(bytes);
  }
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      const value: unknown = JSON.parse(text);
      return { value, text: jsonText(value) };
    } catch {
      // text that looks like JSON but is not: shown as text
    }
  }
  return { value: text, text };
}

export const PLAIN_IMPLS: Record<'json' | 'text' | 'bytes' | 'auto', CodecImpl> = {
  json: { decode: (b, ctx) => decodeJson(b, ctx.truncated), encode: (json) => ({ bytes: new TextEncoder().encode(JSON.stringify(json) ?? 'null') }) },
  text: {
    decode: (b, ctx) => {
      const text = decodeText(b, ctx.truncated);
      return text === undefined ? { ...bytesOutput(b), error: l10n.t('Text: the bytes are not UTF-8 text') } : { value: text, text };
    },
    encode: (json) => ({ bytes: new TextEncoder().encode(typeof json === 'string' ? json : (JSON.stringify(json) ?? 'null')) }),
  },
  bytes: { decode: (b) => bytesOutput(b) },
  auto: { decode: (b, ctx) => decodePlain(b, ctx.truncated) },
};
