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

/**
 * reindentJson, and whether any number literal would change through JSON.parse + JSON.stringify.
 * The work is bounded by the output: past `maxChars` code units it stops and says `truncated`
 * (deep nesting makes the indented text grow with depth × size: 20 KB of `[` would be 200M).
 */
export function reindent(text: string, indent: number | string = 2, maxChars = Infinity): { pretty: string; lossyNumbers: boolean; truncated: boolean } {
  const unitText = typeof indent === 'number' ? ' '.repeat(Math.max(0, Math.min(10, Math.floor(indent)))) : indent.slice(0, 10);
  const unit: number[] = Array.from(unitText, (ch) => ch.charCodeAt(0));
  const u = unit.length;
  const allSpaces = unit.every((c) => c === 32);
  const n = text.length;
  if (scratch.length < n + 1024) {
    scratch = new Uint16Array(Math.max(n * 2, 4096));
  }
  let buf = scratch;
  let o = 0;
  let depth = 0;
  let lossyNumbers = false;
  let wide = 0; // OR of every code unit written: < 128 means plain ASCII
  const grow = (more: number) => {
    const bigger = new Uint16Array((buf.length + more) * 2);
    bigger.set(buf.subarray(0, o));
    buf = bigger;
    if (bigger.length <= 64 * 1024 * 1024) {
      scratch = bigger;
    }
  };
  const newline = () => {
    if (u === 0) {
      return;
    }
    const width = depth * u;
    if (o + width + 1 > buf.length) {
      grow(width + 1);
    }
    buf[o++] = 10;
    if (allSpaces) {
      buf.fill(32, o, o + width);
      o += width;
    } else {
      for (let d = 0; d < depth; d++) {
        for (let k = 0; k < u; k++) {
          buf[o++] = unit[k]!;
        }
      }
    }
  };
  let i = 0;
  let truncated = false;
  while (i < n) {
    if (o >= maxChars) {
      truncated = true;
      break;
    }
    if (o + 8 > buf.length) {
      grow(8);
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i) + 1;
      if (o + (end - i) > buf.length) {
        grow(end - i);
      }
      for (; i < end; i++) {
        const d = text.charCodeAt(i);
        wide |= d;
        buf[o++] = d;
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
          newline();
          i = j;
        }
        break;
      }
      case 125: // }
      case 93: // ]
        depth--;
        newline();
        buf[o++] = c;
        i++;
        break;
      case 44: // ,
        buf[o++] = 44;
        newline();
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
            grow(64);
          }
        }
        if (!lossyNumbers && (c === 45 || (c >= 48 && c <= 57)) && !isCanonicalNumber(text.slice(start, i))) {
          lossyNumbers = true;
        }
      }
    }
  }
  wide |= unit.reduce((a, b) => a | b, 0);
  o = Math.min(o, maxChars);
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
