/**
 * The tokens of JSON text as it was sent: whitespace, where a string ends, and whether a number
 * literal survives JSON.parse + JSON.stringify unchanged (for one literal, or any in a document).
 * Shared by the re-indenter and the error scanner. No Node APIs: this file also runs in the webviews.
 */

export const QUOTE = 34;
export const BACKSLASH = 92;

/** True when char code `c` is JSON whitespace (space, tab, LF, CR). */
export const isWs = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Index of the quote closing the string whose opening quote is at `open` (text is known to be
 * valid JSON), found with indexOf so long strings cost almost nothing.
 */
export function stringEnd(text: string, open: number): number {
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
