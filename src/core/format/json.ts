/**
 * JSON pretty-printing for display: JSON.parse for the value, and a one-pass re-indenter for
 * the text that keeps every literal exactly as it was sent (see formatJson); on failure, what is
 * wrong in plain words. The parts: jsonReindent.ts, jsonErrors.ts.
 * No Node APIs: this file also runs in the webviews.
 */
import { jsonError } from './jsonErrors';
import { reindent as reindentInBuffer, reindentBySlices } from './jsonReindent';

/** The re-indenter formatJson and its kin use: the buffer one, unless useSliceReindent was called. */
let reindent = reindentInBuffer;

/**
 * Makes this module re-indent by joining slices (jsonReindent.ts reindentBySlices): the same text,
 * faster in Chromium and slower in Node (bench P8), so the webviews call this at start.
 */
export function useSliceReindent(): void {
  reindent = reindentBySlices;
}

export type FormatJsonResult =
  | {
      readonly ok: true;
      readonly pretty: string;
      readonly value: unknown;
      /**
       * True when JSON.parse changed a number literal (12345678901234567890, 1.0, 1e3, -0):
       * `pretty` shows the literal as sent, `value` the JavaScript number (e.g.
       * 12345678901234567000). A tree view built from `value` should say so.
       */
      readonly lossyNumbers?: boolean;
      /**
       * True when indenting would have written more than the limit (deep nesting grows the text
       * with depth × size): `pretty` is then the text as sent, and the view should say so.
       */
      readonly asSent?: boolean;
    }
  | { readonly ok: false; readonly error: string; readonly line: number; readonly column: number };

/**
 * Pretty-prints JSON for display. On success `value` is the parsed value and `pretty` the text
 * re-indented with every token kept as sent (number literals, string escapes, key order,
 * duplicate keys); on failure `error` says what is wrong in plain words, with the 1-based line
 * and column.
 *
 * Why not JSON.stringify(JSON.parse(text), null, indent)? It rounds 64-bit ids, turns 1.0 into
 * 1, moves integer-like keys first and drops duplicates — and V8 returns its result as a rope
 * that costs as much again to flatten when it is displayed. The re-indenter writes a flat
 * string in one pass and is faster overall (bench: npm run bench -- format).
 */
export function formatJson(text: string, indent = 2, maxChars = formatLimit(text.length)): FormatJsonResult {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    return parsed;
  }
  const { value } = parsed;
  const { pretty, lossyNumbers, truncated } = reindent(text, indent, maxChars);
  const result = truncated ? { ok: true as const, pretty: text, value, asSent: true } : { ok: true as const, pretty, value };
  return lossyNumbers ? { ...result, lossyNumbers } : result;
}

/** What formatJsonHead gives for valid JSON: the first lines now, the whole text on demand. */
export interface JsonHead {
  readonly ok: true;
  /** The first `lines` lines of formatJson's text (all of it when `complete`). */
  readonly head: string;
  readonly complete: boolean;
  readonly value: unknown;
  /** formatJson's result for the whole document, re-indented on the first call (not parsed again). */
  full(): Extract<FormatJsonResult, { ok: true }>;
}

/**
 * Formatting by viewport: validates and parses `text`, and re-indents only its first `lines`
 * lines (a screenful of a 1 MB document costs the parse and ~0.2 ms instead of the whole
 * re-indent); `full()` formats the rest when something needs it (a diff, Show all).
 */
export function formatJsonHead(text: string, lines = 200, indent = 2): JsonHead | Extract<FormatJsonResult, { ok: false }> {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    return parsed;
  }
  const { value } = parsed;
  const maxChars = formatLimit(text.length);
  const first = reindent(text, indent, maxChars, lines);
  let whole: Extract<FormatJsonResult, { ok: true }> | undefined;
  const full = (): Extract<FormatJsonResult, { ok: true }> => {
    if (!whole) {
      const r = first.truncated ? reindent(text, indent, maxChars) : first;
      const base = r.truncated ? { ok: true as const, pretty: text, value, asSent: true } : { ok: true as const, pretty: r.pretty, value };
      whole = r.lossyNumbers ? { ...base, lossyNumbers: true } : base;
    }
    return whole;
  };
  return { ok: true, head: first.pretty, complete: !first.truncated, value, full };
}

/** How much indented text formatJson writes at most: 8× the input, at least 8M and at most 64M code units. */
export function formatLimit(inputLength: number): number {
  return Math.min(64 * 1024 * 1024, Math.max(8 * 1024 * 1024, 8 * inputLength));
}

/**
 * The first `maxChars` of the indented JSON (for a tooltip or a preview), with the work bounded
 * by what is shown; undefined when `text` is not JSON.
 */
export function formatJsonPrefix(text: string, maxChars: number, indent = 2): { readonly text: string; readonly cut: boolean } | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined; // not JSON (or nested deeper than the parser goes)
  }
  const { pretty, truncated } = reindent(text, indent, maxChars);
  return { text: pretty, cut: truncated };
}

/** The classic JSON.parse + JSON.stringify formatting (re-serialised, numbers as JavaScript prints them). */
export function formatJsonReserialised(text: string, indent = 2): FormatJsonResult {
  const parsed = parseJson(text);
  return parsed.ok ? { ok: true, pretty: JSON.stringify(parsed.value, null, indent), value: parsed.value } : parsed;
}

/** JSON.parse, or what is wrong in plain words with its 1-based line and column. */
function parseJson(text: string): { ok: true; value: unknown } | Extract<FormatJsonResult, { ok: false }> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const { error, line, column } = jsonError(text, e instanceof Error ? e.message : String(e));
    return { ok: false, error, line, column };
  }
}
