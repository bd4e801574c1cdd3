/**
 * JSON pretty-printing for display: JSON.parse for the value, and a one-pass re-indenter for
 * the text that keeps every literal exactly as it was sent (see formatJson).
 * No Node APIs: this file also runs in the webviews.
 */

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
    }
  | { readonly ok: false; readonly error: string; readonly line: number; readonly column: number };

const QUOTE = 34;
const BACKSLASH = 92;

/** True when char code `c` is JSON whitespace (space, tab, LF, CR). */
const isWs = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

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

/** reindentJson, and whether any number literal would change through JSON.parse + JSON.stringify. */
export function reindent(text: string, indent: number | string = 2): { pretty: string; lossyNumbers: boolean } {
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
  while (i < n) {
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
  if (wide < 128) {
    // ASCII: narrow to bytes, which decode faster than UTF-16.
    const bytes = new Uint8Array(o);
    for (let k = 0; k < o; k++) {
      bytes[k] = buf[k]!;
    }
    return { pretty: ascii.decode(bytes), lossyNumbers };
  }
  return { pretty: utf16.decode(buf.subarray(0, o)), lossyNumbers };
}

/** 1-based line and column (UTF-16 units, like editors count) of index `pos` in `text`. */
export function lineColumnAt(text: string, pos: number): { line: number; column: number } {
  const p = Math.max(0, Math.min(pos, text.length));
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < p; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: p - lineStart + 1 };
}

// ---------------------------------------------------------------------------------------------
// Errors: our own scanner finds where and why, the same in every engine.

function describeAt(text: string, i: number): string {
  if (i >= text.length) {
    return 'the end of the text';
  }
  const cp = text.codePointAt(i) ?? 0;
  if (cp < 0x20 || cp === 0x7f || cp === 0xfeff || cp === 0xa0) {
    const names: Record<number, string> = { 9: 'a tab', 10: 'a line break', 13: 'a carriage return', 0: 'a NUL character', 0xfeff: 'a byte order mark', 0xa0: 'a no-break space' };
    return names[cp] ?? `the control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  const ch = String.fromCodePoint(cp);
  return ch === "'" ? `"'"` : `'${ch}'`;
}

/** Finds the first syntax error in `text`: its index and a plain-words reason; undefined when valid. */
export function findJsonError(text: string): { pos: number; message: string } | undefined {
  const n = text.length;
  let i = 0;
  const stack: number[] = []; // 123 object, 91 array
  const ws = () => {
    while (i < n && isWs(text.charCodeAt(i))) {
      i++;
    }
  };
  const fail = (message: string, pos = i) => ({ pos, message });
  const string = (): { pos: number; message: string } | undefined => {
    const open = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return undefined;
      }
      if (c === BACKSLASH) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            return fail('A \\u escape needs four hex digits, e.g. \\u00e9');
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else if (e === undefined) {
          break;
        } else {
          return fail(`"\\${e}" is not a JSON escape; use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX`);
        }
      } else if (c < 0x20) {
        return fail(`Strings cannot contain ${describeAt(text, i)}; write it as an escape such as \\n or \\t`);
      } else {
        i++;
      }
    }
    return fail('This string is never closed: a closing " is missing', open);
  };
  /** A property name in double quotes and its ":" (the value follows). */
  const key = (): { pos: number; message: string } | undefined => {
    const e = string();
    if (e) {
      return e;
    }
    ws();
    if (text.charCodeAt(i) !== 58) {
      return fail(i >= n ? 'The text ends after a property name: a ":" and a value are missing' : `Expected ":" after the property name, found ${describeAt(text, i)}`);
    }
    i++;
    ws();
    return undefined;
  };
  const value = (): { pos: number; message: string } | undefined => {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      return string();
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
      m.lastIndex = i;
      const r = m.exec(text);
      if (!r || r[0] === '-' || r[0].length === 0) {
        return fail(`Expected a digit after "-", found ${describeAt(text, i + 1)}`, i + 1);
      }
      const end = i + r[0].length;
      const next = text.charCodeAt(end);
      if (next >= 48 && next <= 57 && r[1] === '0') {
        return fail('Numbers cannot start with 0 followed by more digits (leading zeros are not allowed)', i);
      }
      if (next === 46) {
        return fail('Expected a digit after the decimal point', end + 1);
      }
      if (next === 101 || next === 69) {
        return fail('Expected a digit in the exponent', end + 1 + (/[+-]/.test(text[end + 1] ?? '') ? 1 : 0));
      }
      i = end;
      return undefined;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return undefined;
      }
    }
    if (c === 123 || c === 91) {
      return undefined; // containers are handled by the caller
    }
    if (i >= n) {
      return fail('The text ends where a value was expected');
    }
    if (c === 39) {
      return fail("Strings must use double quotes (\"), not single quotes (')");
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 40))?.[0];
    if (word === 'NaN' || word === 'Infinity' || word === 'undefined') {
      return fail(`${word} is not a JSON value; use null or a number`);
    }
    if (word) {
      return fail(`Unexpected word "${word}": text values need double quotes, and literals are true, false and null`);
    }
    return fail(`Expected a value (a string, number, object, array, true, false or null), found ${describeAt(text, i)}`);
  };

  ws();
  if (i >= n) {
    return fail('The text is empty: there is no JSON value');
  }
  // Iterative so deep nesting cannot overflow the stack.
  let expectValue = true;
  for (;;) {
    if (expectValue) {
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        stack.push(c);
        i++;
        ws();
        const close = c + 2;
        if (text.charCodeAt(i) === close) {
          stack.pop();
          i++;
          expectValue = false;
        } else if (c === 123) {
          if (text.charCodeAt(i) !== QUOTE) {
            if (text.charCodeAt(i) === 44 || text.charCodeAt(i) === 125) {
              return fail(`Expected a property name in double quotes or '}', found ${describeAt(text, i)}`);
            }
            return fail(i >= n ? 'The text ends inside an object: a closing } is missing' : `Expected a property name in double quotes, found ${describeAt(text, i)}`);
          }
          const e = key();
          if (e) {
            return e;
          }
        }
        continue;
      }
      const e = value();
      if (e) {
        return e;
      }
      expectValue = false;
    }
    ws();
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (i < n) {
        return fail(`Unexpected ${describeAt(text, i)} after the end of the JSON value; only whitespace may follow it`);
      }
      return undefined;
    }
    const c = text.charCodeAt(i);
    const closeChar = top === 123 ? '}' : ']';
    if (c === 44) {
      i++;
      ws();
      const d = text.charCodeAt(i);
      if (d === 125 || d === 93) {
        return fail(`Trailing comma: remove the "," before '${text[i]}'`, text.lastIndexOf(',', i));
      }
      if (top === 123) {
        if (d !== QUOTE) {
          return fail(i >= n ? 'The text ends inside an object: a closing } is missing' : `Expected a property name in double quotes after ",", found ${describeAt(text, i)}`);
        }
        const e = key();
        if (e) {
          return e;
        }
      }
      expectValue = true;
    } else if (c === top + 2) {
      stack.pop();
      i++;
    } else if (i >= n) {
      return fail(`The text ends inside ${top === 123 ? 'an object' : 'an array'}: a closing ${closeChar} is missing`);
    } else {
      return fail(`Expected "," or '${closeChar}' ${top === 123 ? 'after a property value' : 'after an array element'}, found ${describeAt(text, i)}`);
    }
  }
}

/** Position from an engine's SyntaxError text: V8 "position N", Firefox "line L column C". */
function positionFromEngine(text: string, message: string): number | undefined {
  const pos = /position (\d+)/.exec(message);
  if (pos) {
    return Number(pos[1]);
  }
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    let start = 0;
    for (let l = 1; l < Number(lc[1]); l++) {
      start = text.indexOf('\n', start) + 1;
    }
    return start + Number(lc[2]) - 1;
  }
  return undefined;
}

/** Where and why `text` is not JSON, in plain words with a 1-based line and column. */
export function jsonError(text: string, engineMessage?: string): { error: string; line: number; column: number; pos: number } {
  let found = findJsonError(text);
  if (!found) {
    // Our scanner accepts what the engine refused (e.g. nesting too deep): use the engine's words.
    const msg = engineMessage ?? 'The JSON could not be read';
    found = { pos: positionFromEngine(text, msg) ?? 0, message: msg.replace(/^JSON\.parse: /, '') };
  }
  const { line, column } = lineColumnAt(text, found.pos);
  return { error: `Invalid JSON: ${found.message} (line ${line}, column ${column})`, line, column, pos: found.pos };
}

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
export function formatJson(text: string, indent = 2): FormatJsonResult {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    return parsed;
  }
  const { value } = parsed;
  const { pretty, lossyNumbers } = reindent(text, indent);
  return lossyNumbers ? { ok: true, pretty, value, lossyNumbers } : { ok: true, pretty, value };
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
