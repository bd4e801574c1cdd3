/**
 * Why text is not JSON, in plain words with a 1-based line and column: our own scanner finds
 * where and why, the same in every engine (an engine's message is the fallback).
 * No Node APIs: this file also runs in the webviews.
 */
import { isWs } from './jsonReindent';

const QUOTE = 34;
const BACKSLASH = 92;

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
