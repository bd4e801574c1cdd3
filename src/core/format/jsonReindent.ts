/**
 * The one-pass JSON re-indenter behind formatJson: lays out (valid) JSON like JSON.stringify
 * with an indent, keeping every token exactly as it was sent, and says on the way whether a
 * number literal would not survive JSON.parse + JSON.stringify (isCanonicalNumber, also
 * hasLossyNumbers for a whole document). The token helpers live here, beside the loop that calls
 * them on every character: called across modules they cost ~15% in the one-file-per-module
 * test build that P8 measures. No Node APIs: this file also runs in the webviews.
 */

const QUOTE = 34;
const BACKSLASH = 92;

/** True when char code `c` is JSON whitespace (space, tab, LF, CR). */
export const isWs = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Index of the quote closing the string whose opening quote is at `open` (text is known to be
 * valid JSON), found with indexOf so long strings cost almost nothing.
 */
function stringEnd(text: string, open: number): number {
  let k = text.indexOf('"', open + 1);
  for (;;) {
    let b = k - 1;
    while (text.charCodeAt(b) === BACKSLASH) {
      b--;
    }
    if ((k - b) % 2 === 1) {
      return k; // an even number of backslashes before the quote: it closes the string
    }
    k = text.indexOf('"', k + 1);
  }
}

/** Whether JSON.stringify(Number(literal)) gives back `literal` exactly. */
export function isCanonicalNumber(literal: string): boolean {
  // Fast path: up to 15 significant digits, no exponent, no trailing fraction zeros, not -0,
  // not tiny: the shortest round-trip form of such a number is the literal itself.
  const n = literal.length;
  let i = literal.charCodeAt(0) === 45 ? 1 : 0;
  const first = literal.charCodeAt(i);
  if (first === 48 && i + 1 < n && literal.charCodeAt(i + 1) !== 46) {
    return false; // leading zero (not valid JSON anyway)
  }
  let digits = 0;
  let dot = -1;
  for (; i < n; i++) {
    const c = literal.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
    } else if (c === 46 && dot < 0) {
      dot = i;
    } else {
      digits = 99; // exponent or anything else: decide the slow way
      break;
    }
  }
  if (digits <= 15 && literal.charCodeAt(n - 1) !== 46) {
    if (dot < 0) {
      return !(literal.charCodeAt(0) === 45 && literal === '-0');
    }
    const lastIsZero = literal.charCodeAt(n - 1) === 48;
    const tiny = first === 48 && literal.startsWith('0.00000', literal.charCodeAt(0) === 45 ? 1 : 0);
    if (!lastIsZero && !tiny && !(literal.charCodeAt(0) === 45 && /^-0\.0*$/.test(literal))) {
      return true;
    }
  }
  return JSON.stringify(Number(literal)) === literal;
}

/** True when some number literal in (valid) JSON `text` would not survive parse + stringify. */
export function hasLossyNumbers(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i) + 1;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) {
          break;
        }
      }
      if (!isCanonicalNumber(text.slice(i, j))) {
        return true;
      }
      i = j;
    } else {
      i++;
    }
  }
  return false;
}

let scratch = new Uint16Array(0);
const utf16 = new TextDecoder('utf-16le');
const ascii = new TextDecoder('utf-8');

/**
 * Re-indents (valid) JSON like JSON.stringify(value, null, indent) does, but keeps every token
 * verbatim: number literals, string escapes, duplicate keys, key order. Writes UTF-16 code units
 * into a reused buffer and decodes it once (string concatenation would build a rope of ~10^5
 * pieces for 1 MB, and flattening that costs more than the whole re-indent).
 */
export function reindentJson(text: string, indent: number | string = 2): string {
  return reindent(text, indent).pretty;
}

/** The indent JSON.stringify would use for `indent`: up to 10 spaces, or the first 10 code units of a string. */
function indentUnit(indent: number | string): string {
  return typeof indent === 'number' ? ' '.repeat(Math.max(0, Math.min(10, Math.floor(indent)))) : indent.slice(0, 10);
}

/** Where a cut at `maxChars` goes: one before it when that would keep only the first half of a surrogate pair. */
function cutAt(maxChars: number, codeUnitBefore: number): number {
  return codeUnitBefore >= 0xd800 && codeUnitBefore <= 0xdbff ? maxChars - 1 : maxChars;
}

/** A buffer `more` code units larger than `buf`, holding its first `o`; kept as the scratch buffer up to 64M. */
function grown(buf: Uint16Array<ArrayBuffer>, o: number, more: number): Uint16Array<ArrayBuffer> {
  const bigger = new Uint16Array((buf.length + more) * 2);
  bigger.set(buf.subarray(0, o));
  if (bigger.length <= 64 * 1024 * 1024) {
    scratch = bigger;
  }
  return bigger;
}

/** Writes a newline and `depth` indent units at `o` (room is made by the caller); returns the new end. */
function newline(buf: Uint16Array<ArrayBuffer>, o: number, depth: number, unit: readonly number[]): number {
  buf[o++] = 10;
  for (let d = 0; d < depth; d++) {
    for (let k = 0; k < unit.length; k++) {
      buf[o++] = unit[k]!;
    }
  }
  return o;
}

/** isCanonicalNumber of text[start, end), without slicing in the common case (a short plain decimal). */
function isCanonicalAt(text: string, start: number, end: number): boolean {
  let i = start;
  if (text.charCodeAt(i) === 45) {
    i++;
  }
  const first = text.charCodeAt(i);
  if (end - i > 15 || first === 48) {
    return isCanonicalNumber(text.slice(start, end)); // long, zero, 0.x, -0: the careful way
  }
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return isCanonicalNumber(text.slice(start, end)); // a fraction or an exponent
    }
  }
  return true; // up to 15 digits, no leading zero: an integer that prints as it is written
}

/**
 * reindentJson, and whether any number literal would change through JSON.parse + JSON.stringify.
 * The work is bounded by the output: past `maxChars` code units, or once `maxLines` lines are
 * written, it stops and says `truncated` (deep nesting makes the indented text grow with
 * depth × size: 20 KB of `[` would be 200M). The loop keeps its state in locals (no closures over
 * the buffer and its end, which V8 would keep in a context object): about 1.5× faster.
 */
export function reindent(
  text: string,
  indent: number | string = 2,
  maxChars = Infinity,
  maxLines = Infinity,
): { pretty: string; lossyNumbers: boolean; truncated: boolean } {
  const unitText = indentUnit(indent);
  const unit: number[] = Array.from({ length: unitText.length }, (_, k) => unitText.charCodeAt(k));
  const u = unit.length;
  const allSpaces = unit.every((c) => c === 32);
  const n = text.length;
  if (scratch.length < n + 1024) {
    scratch = new Uint16Array(Math.max(n * 2, 4096));
  }
  let buf = scratch;
  let o = 0;
  let depth = 0;
  let lines = 1;
  let lossyNumbers = false;
  let wide = 0; // OR of every code unit written: < 128 means plain ASCII
  let i = 0;
  let truncated = false;
  while (i < n) {
    if (o >= maxChars || lines > maxLines) {
      truncated = true;
      break;
    }
    if (o + 8 > buf.length) {
      buf = grown(buf, o, 8);
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // One pass over the string: copy up to the closing quote, an escaped character as it is
      // (finding the end with indexOf first and copying after is slower in Chromium).
      buf[o++] = QUOTE;
      i++;
      for (;;) {
        if (o + 2 > buf.length) {
          buf = grown(buf, o, 64);
        }
        const d = text.charCodeAt(i++);
        buf[o++] = d;
        if (d === QUOTE) {
          break;
        }
        wide |= d;
        if (d === BACKSLASH) {
          buf[o++] = text.charCodeAt(i++);
        }
      }
      continue;
    }
    switch (c) {
      case 32:
      case 10:
      case 13:
      case 9:
        i++;
        break;
      case 123: // {
      case 91: {
        // [
        let j = i + 1;
        while (j < n && isWs(text.charCodeAt(j))) {
          j++;
        }
        buf[o++] = c;
        if (text.charCodeAt(j) === c + 2) {
          // } is { + 2, ] is [ + 2: an empty container stays on one line
          buf[o++] = c + 2;
          i = j + 1;
        } else {
          depth++;
          if (u > 0) {
            if (o + depth * u + 1 > buf.length) {
              buf = grown(buf, o, depth * u + 1);
            }
            if (allSpaces) {
              // inline: a call per line costs ~15% of the loop
              buf[o++] = 10;
              buf.fill(32, o, o + depth * u);
              o += depth * u;
            } else {
              o = newline(buf, o, depth, unit);
            }
            lines++;
          }
          i = j;
        }
        break;
      }
      case 125: // }
      case 93: // ]
        depth--;
        if (u > 0) {
          if (o + depth * u + 2 > buf.length) {
            buf = grown(buf, o, depth * u + 2);
          }
          if (allSpaces) {
            // inline: a call per line costs ~15% of the loop
            buf[o++] = 10;
            buf.fill(32, o, o + depth * u);
            o += depth * u;
          } else {
            o = newline(buf, o, depth, unit);
          }
          lines++;
        }
        buf[o++] = c;
        i++;
        break;
      case 44: // ,
        buf[o++] = 44;
        if (u > 0) {
          if (o + depth * u + 1 > buf.length) {
            buf = grown(buf, o, depth * u + 1);
          }
          if (allSpaces) {
            // inline: a call per line costs ~15% of the loop
            buf[o++] = 10;
            buf.fill(32, o, o + depth * u);
            o += depth * u;
          } else {
            o = newline(buf, o, depth, unit);
          }
          lines++;
        }
        i++;
        break;
      case 58: // :
        buf[o++] = 58;
        if (u > 0) {
          buf[o++] = 32;
        }
        i++;
        break;
      default: {
        // number, true, false, null
        const start = i;
        for (;;) {
          buf[o++] = text.charCodeAt(i++);
          const d = text.charCodeAt(i);
          if (i >= n || d === 44 || d === 125 || d === 93 || isWs(d)) {
            break;
          }
          if (o + 1 > buf.length) {
            buf = grown(buf, o, 64);
          }
        }
        if (!lossyNumbers && (c === 45 || (c >= 48 && c <= 57)) && !isCanonicalAt(text, start, i)) {
          lossyNumbers = true;
        }
      }
    }
  }
  wide |= unit.reduce((a, b) => a | b, 0);
  if (o > maxChars) {
    // Cut at maxChars, not between the two halves of a surrogate pair (the last token ran past
    // it: cut too, though the loop ended).
    truncated = true;
    o = cutAt(maxChars, maxChars > 0 ? buf[maxChars - 1]! : 0);
  }
  if (truncated && lines > maxLines) {
    // Cut at the end of line maxLines (the newline that began the next line is dropped).
    o = cutAfterLines(buf, o, maxLines);
  }
  if (wide < 128) {
    // ASCII: narrow to bytes, which decode faster than UTF-16.
    const bytes = new Uint8Array(o);
    for (let k = 0; k < o; k++) {
      bytes[k] = buf[k]!;
    }
    return { pretty: ascii.decode(bytes), lossyNumbers, truncated };
  }
  return { pretty: utf16.decode(buf.subarray(0, o)), lossyNumbers, truncated };
}

/** The end of line `lines` in buf[0, o): the index of the newline that ends it. */
function cutAfterLines(buf: Uint16Array<ArrayBuffer>, o: number, lines: number): number {
  let seen = 0;
  for (let k = 0; k < o; k++) {
    if (buf[k] === 10 && ++seen === lines) {
      return k;
    }
  }
  return o;
}

/** Newline + indent strings by depth, for the unit they were made for. */
let lineStarts: { unit: string; byDepth: string[] } = { unit: '', byDepth: [] };

/**
 * reindent, built from slices of `text` joined once instead of code units written into a buffer:
 * the same result (the unit tests compare the two). In Chromium the re-indent itself takes about
 * half the time (formatting 1 MB, parse included, about a fifth less) — there, turning a UTF-16
 * buffer into a string alone costs ~6 ms per 2M code units — while in
 * Node the join is about three times slower than the buffer (bench P8), so the webviews use this
 * one (useSliceReindent in json.ts) and the extension host the other. Each piece is a slice with
 * the newline and indent (or ": ") after it appended: join's cost is per piece, and a short
 * concatenation is copied flat by V8. Strings are skipped with indexOf (nothing is copied out of
 * them here); the loop stops at the same token boundaries as reindent's, so truncation at
 * `maxChars` / `maxLines` cuts the same text.
 */
export function reindentBySlices(
  text: string,
  indent: number | string = 2,
  maxChars = Infinity,
  maxLines = Infinity,
): { pretty: string; lossyNumbers: boolean; truncated: boolean } {
  const unitText = indentUnit(indent);
  const u = unitText.length;
  if (lineStarts.unit !== unitText) {
    lineStarts = { unit: unitText, byDepth: [] };
  }
  const byDepth = lineStarts.byDepth;
  const n = text.length;
  const pieces: string[] = [];
  let len = 0; // code units in pieces
  let run = 0; // start of the text not yet in pieces (copied as it is)
  let depth = 0;
  let lines = 1;
  let lossyNumbers = false;
  let truncated = false;
  let i = 0;
  while (i < n) {
    if (len + (i - run) >= maxChars || lines > maxLines) {
      truncated = true;
      break;
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i) + 1;
      continue;
    }
    switch (c) {
      case 32:
      case 10:
      case 13:
      case 9:
        if (i > run) {
          pieces.push(text.slice(run, i));
          len += i - run;
        }
        run = ++i;
        break;
      case 123: // {
      case 91: {
        // [
        let j = i + 1;
        while (j < n && isWs(text.charCodeAt(j))) {
          j++;
        }
        if (text.charCodeAt(j) === c + 2) {
          // } is { + 2, ] is [ + 2: an empty container stays on one line
          if (j > i + 1) {
            pieces.push(text.slice(run, i + 1));
            len += i + 1 - run;
            run = j;
          }
          i = j + 1;
        } else if (u > 0) {
          depth++;
          const nl = (byDepth[depth] ??= `\n${unitText.repeat(depth)}`);
          pieces.push(text.slice(run, i + 1) + nl);
          len += i + 1 - run + nl.length;
          lines++;
          run = i = j;
        } else {
          depth++;
          if (j > i + 1) {
            pieces.push(text.slice(run, i + 1));
            len += i + 1 - run;
            run = j;
          }
          i = j;
        }
        break;
      }
      case 125: // }
      case 93: // ]
        depth--;
        if (u > 0) {
          const nl = (byDepth[depth] ??= `\n${unitText.repeat(depth)}`);
          pieces.push(text.slice(run, i) + nl);
          len += i - run + nl.length;
          lines++;
          run = i;
        }
        i++;
        break;
      case 44: // ,
        if (u > 0) {
          const nl = (byDepth[depth] ??= `\n${unitText.repeat(depth)}`);
          pieces.push(text.slice(run, i + 1) + nl);
          len += i + 1 - run + nl.length;
          lines++;
          run = i + 1;
        }
        i++;
        break;
      case 58: // :
        if (u > 0) {
          pieces.push(text.slice(run, i + 1) + ' ');
          len += i + 2 - run;
          run = i + 1;
        }
        i++;
        break;
      default: {
        // number, true, false, null: to its end in one step, as reindent does
        const start = i;
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 44 || d === 125 || d === 93 || isWs(d)) {
            break;
          }
        }
        if (!lossyNumbers && (c === 45 || (c >= 48 && c <= 57)) && !isCanonicalAt(text, start, i)) {
          lossyNumbers = true;
        }
      }
    }
  }
  if (i > run) {
    pieces.push(text.slice(run, i));
  }
  let pretty = pieces.join('');
  if (pretty.length > maxChars) {
    // Cut at maxChars, not between the two halves of a surrogate pair (the last token ran past
    // it: cut too, though the loop ended).
    truncated = true;
    pretty = pretty.slice(0, cutAt(maxChars, maxChars > 0 ? pretty.charCodeAt(maxChars - 1) : 0));
  }
  if (truncated && lines > maxLines) {
    // Cut at the end of line maxLines (the newline that began the next line is dropped).
    let at = -1;
    for (let seen = 0; seen < maxLines; seen++) {
      const next = pretty.indexOf('\n', at + 1);
      if (next < 0) {
        at = pretty.length;
        break;
      }
      at = next;
    }
    pretty = pretty.slice(0, at);
  }
  return { pretty, lossyNumbers, truncated };
}
