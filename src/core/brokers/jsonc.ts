/**
 * JSON with comments (what VS Code calls jsonc), as `.vscode/brokers.json` is written: comments
 * and trailing commas stripped with positions kept, and JSON.parse errors told with a line and column.
 */
import * as l10n from '@vscode/l10n';

/**
 * Removes `//` and `/* *\/` comments and trailing commas from JSON with comments (what VS Code
 * calls jsonc), leaving strings alone. Comments become spaces, newlines stay: positions in
 * JSON.parse errors still point at the right line.
 */
export function stripJsonc(text: string): string {
  const out = text.split(''); // UTF-16 units, like the indices below (spreading would split by code point)
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') {
        out[i++] = ' ';
      }
    } else if (c === '/' && text[i + 1] === '*') {
      out[i++] = ' ';
      out[i++] = ' ';
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] !== '\n' && text[i] !== '\r') {
          out[i] = ' ';
        }
        i++;
      }
      if (i < n) {
        out[i++] = ' ';
        out[i++] = ' ';
      }
    } else {
      i++;
    }
  }
  // Trailing commas: a comma whose next non-blank character closes an object or array.
  const stripped = out.join('');
  const result = stripped.split('');
  for (let j = 0; j < stripped.length; ) {
    if (stripped[j] === '"') {
      j = skipString(stripped, j);
      continue;
    }
    if (stripped[j] === ',') {
      let k = j + 1;
      while (k < stripped.length && /\s/.test(stripped[k]!)) {
        k++;
      }
      if (stripped[k] === '}' || stripped[k] === ']') {
        result[j] = ' ';
      }
    }
    j++;
  }
  return result.join('');
}

/** The index just past the string that starts with the quote at `start` (or the end of text). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '"') {
      return i + 1;
    } else if (c === '\n') {
      return i; // an unterminated string: JSON.parse reports it
    } else {
      i++;
    }
  }
  return i;
}

/** Line and column of a JSON.parse error, when the message gives a position. */
export function describeJsonError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /at position (\d+)/.exec(message);
  if (at && !/line \d+/.test(message)) {
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return l10n.t('{0} (line {1} column {2})', message.replace(/\s*in JSON at position \d+.*$/, ''), line, column);
  }
  return message;
}
