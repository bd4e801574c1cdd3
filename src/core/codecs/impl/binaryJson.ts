// What MessagePack and CBOR share: a payload may hold one value or several one after another
// (a sequence); a cut payload keeps the values that were whole, and says where it stopped.
import { jsonText, toJsonable } from '../jsonable';
import type { CodecOutput } from '../types';
import { errorText, l10n } from '../words';

/** A library's error as plain words: "ends early" for a cut payload, else its own message. */
export function faultWords(e: unknown): string {
  const text = errorText(e);
  if (/outside the bounds|Insufficient data|Unexpected end|end of (input|stream|data)/i.test(text)) {
    return l10n.t('the data ends early (cut or incomplete)');
  }
  return text;
}

/**
 * Decodes values one after another with `next` (which throws at a fault) until `end`. One value
 * is the result; several become an array and a warning.
 */
export function decodeSequence(label: string, values: Iterable<unknown>): CodecOutput {
  const out: unknown[] = [];
  let error: string | undefined;
  try {
    for (const v of values) {
      out.push(toJsonable(v));
    }
  } catch (e) {
    error = out.length ? l10n.t('{0}: value {1} is unreadable: {2}', label, out.length + 1, faultWords(e)) : l10n.t('{0}: {1}', label, faultWords(e));
  }
  const warnings: string[] = [];
  if (out.length > 1) {
    warnings.push(l10n.t('{0} values one after another (a sequence), shown as an array', out.length));
  }
  const value = out.length === 1 ? out[0] : out.length ? out : null;
  return { value, text: out.length ? jsonText(value) : '', warnings, ...(error ? { error } : {}) };
}
