// Character-level checks on values, as mosquitto makes them (mosquitto_validate_utf8, byte lengths),
// and how a value is quoted in a message.

/** A whole word of digits with an optional sign: anything else is only partly read by atoi. */
export const INT_TEXT = /^[+-]?[0-9]+$/;

/** Characters mosquitto_validate_utf8 refuses in a string value (JS strings are already decoded). */
export function badUtf8Index(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xfdd0 && c <= 0xfdef) || c === 0xfffe || c === 0xffff || c === 0xfffd) {
      return i;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) {
        return i;
      }
      const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
      if ((cp & 0xffff) === 0xfffe || (cp & 0xffff) === 0xffff) {
        return i;
      }
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return i;
    }
  }
  return -1;
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}

/** Control characters shown as '?'. */
export function printable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : s.charAt(i);
  }
  return out;
}

/** A value quoted in a message, shortened past 80 characters. */
export const q = (s: string): string => `"${s.length > 80 ? `${s.slice(0, 77)}…` : s}"`;
