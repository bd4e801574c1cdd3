/**
 * The payload without a DOM: its formats, conversions between them (the same bytes), the live
 * check of what is typed, loaded files and byte counts. Every text shown goes through `l10n.t()`.
 */
import * as l10n from '@vscode/l10n';
import type { PayloadFormat } from '../../../src/core/protocol/publish';
import { decodeText, formatJson, fromBase64, fromHex, toBase64, toHex, utf8Encode } from '../../../src/core/format';
import { encodeDraftPayload } from '../../../src/core/publish/payload';

export const FORMATS: readonly PayloadFormat[] = ['text', 'json', 'base64', 'hex'];
/** A format's name as shown (JSON, Base64 and Hex are names: only "Text" is translated). */
export function formatLabel(format: PayloadFormat): string {
  switch (format) {
    case 'text':
      return l10n.t('Text');
    case 'json':
      return 'JSON';
    case 'base64':
      return 'Base64';
    case 'hex':
      return 'Hex';
  }
}

// Payload

/** The payload's bytes, or the reason it can't be encoded in its format. */
function bytesOf(payload: string, format: PayloadFormat): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  try {
    switch (format) {
      case 'base64':
        return { ok: true, bytes: fromBase64(payload) };
      case 'hex':
        return { ok: true, bytes: fromHex(payload) };
      default:
        return { ok: true, bytes: utf8Encode(payload) };
    }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export type Conversion =
  | { readonly ok: true; readonly payload: string }
  /** `invalid`: the payload isn't valid in its current format (switch without converting); `binary`: the bytes aren't text (stay). */
  | { readonly ok: false; readonly reason: 'invalid' | 'binary'; readonly error: string };

/**
 * The same bytes in another format: text ↔ base64 ↔ hex, JSON ↔ text (the text is kept as is).
 * Fails, in plain words, when the payload isn't valid in `from` or the bytes aren't UTF-8 text.
 */
export function convertPayload(payload: string, from: PayloadFormat, to: PayloadFormat): Conversion {
  const isText = (f: PayloadFormat) => f === 'text' || f === 'json';
  if (from === to || (isText(from) && isText(to)) || payload.trim() === '') {
    return { ok: true, payload: payload.trim() === '' && !isText(from) ? '' : payload };
  }
  const source = bytesOf(payload, from);
  if (!source.ok) {
    return { ok: false, reason: 'invalid', error: l10n.t('The payload is not valid {0}, so it was not converted. {1}', formatLabel(from), source.error) };
  }
  switch (to) {
    case 'base64':
      return { ok: true, payload: toBase64(source.bytes) };
    case 'hex':
      return { ok: true, payload: toHex(source.bytes, ' ') };
    default: {
      const text = decodeText(source.bytes);
      return text === undefined
        ? { ok: false, reason: 'binary', error: l10n.t('These {0} are not UTF-8 text: keep them as {1}.', byteCount(source.bytes.length), formatLabel(from)) }
        : { ok: true, payload: text };
    }
  }
}

export type PayloadCheck =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly error: string; readonly line?: number; readonly column?: number };

/** Live check of the payload as typed: its encoded size, or what is wrong (JSON with line:column). */
export function checkPayload(payload: string, format: PayloadFormat): PayloadCheck {
  if (format === 'json') {
    if (payload.trim() === '') {
      return { ok: false, error: l10n.t('Empty: a JSON payload needs a value, e.g. {} or "text".') };
    }
    const r = formatJson(payload, 2);
    if (!r.ok) {
      return { ok: false, error: r.error, line: r.line, column: r.column };
    }
  }
  try {
    return { ok: true, bytes: encodeDraftPayload({ payload, format, mqtt: { topic: '', qos: 0, retain: false } }).length };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The 0-based offset of a 1-based line and column in `text` (clamped to its length). */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) {
      return text.length;
    }
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/**
 * Pretty-printed JSON (2 spaces), or undefined when the text isn't JSON; `asSent` when indenting
 * would have written more than the formatter's limit (deep nesting), and the text stays as it is.
 */
export function prettyJson(payload: string): { readonly text: string; readonly asSent: boolean } | undefined {
  const r = formatJson(payload, 2);
  return r.ok ? { text: r.pretty, asSent: r.asSent === true } : undefined;
}

/** A loaded file as a payload: text stays text (JSON when it parses), other bytes become base64 or hex. */
export function payloadFromFile(bytes: Uint8Array, current: PayloadFormat): { format: PayloadFormat; payload: string } {
  const text = decodeText(bytes);
  if (text !== undefined) {
    const t = text.trim();
    const json = (t.startsWith('{') || t.startsWith('[')) && formatJson(text, 2).ok;
    return { format: json ? 'json' : 'text', payload: text };
  }
  return current === 'hex' ? { format: 'hex', payload: toHex(bytes, ' ') } : { format: 'base64', payload: toBase64(bytes) };
}

/** "1 byte", "1,024 bytes". */
export function byteCount(n: number): string {
  const count = n.toLocaleString('en-US');
  return n === 1 ? l10n.t('{0} byte', count) : l10n.t('{0} bytes', count);
}
