/**
 * Byte helpers shared by the extension host and the webviews: UTF-8, base64 and hex without
 * Node APIs (no Buffer), so this file also runs in a browser bundle.
 */

const encoder = new TextEncoder();
const lenientDecoder = new TextDecoder('utf-8');
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, replacing invalid sequences with U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/** Whether the bytes are valid UTF-8 (any characters, control characters included). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictDecoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Number of bytes at the end of `bytes` that form an incomplete (cut) UTF-8 sequence, 0 when none. */
export function partialUtf8Tail(bytes: Uint8Array): number {
  const n = bytes.length;
  // A sequence is at most 4 bytes: look back at most 3 bytes for its lead byte.
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back] ?? 0;
    if ((b & 0xc0) === 0x80) {
      continue; // continuation byte: keep looking for the lead
    }
    const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The payload as text when it is valid UTF-8 without control characters (tab, CR and LF
 * allowed); undefined otherwise. With `truncated`, a multi-byte sequence cut at the end is
 * dropped instead of making the payload binary.
 */
export function decodeText(bytes: Uint8Array, truncated = false): string | undefined {
  const input = truncated ? bytes.subarray(0, bytes.length - partialUtf8Tail(bytes)) : bytes;
  let text: string;
  try {
    text = strictDecoder.decode(input);
  } catch {
    return undefined;
  }
  return CONTROL.test(text) ? undefined : text;
}

// ---------------------------------------------------------------------------------------------
// Base64

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Value of each char code (base64 and base64url), -1 = invalid, -2 = whitespace, -3 = '='. */
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  B64_VALUE[B64.charCodeAt(i)] = i;
}
B64_VALUE['-'.charCodeAt(0)] = 62;
B64_VALUE['_'.charCodeAt(0)] = 63;
for (const ws of ' \t\r\n\f\v') {
  B64_VALUE[ws.charCodeAt(0)] = -2;
}
B64_VALUE['='.charCodeAt(0)] = -3;

const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const asciiDecoder = new TextDecoder();

/** Base64 (with padding): encoded into a byte array and decoded once, fast in every engine. */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = B64_CODES[v >> 18]!;
    out[o++] = B64_CODES[(v >> 12) & 63]!;
    out[o++] = B64_CODES[(v >> 6) & 63]!;
    out[o++] = B64_CODES[v & 63]!;
  }
  if (i < n) {
    const b0 = bytes[i]!;
    const b1 = i + 1 < n ? bytes[i + 1]! : 0;
    out[o++] = B64_CODES[b0 >> 2]!;
    out[o++] = B64_CODES[((b0 & 3) << 4) | (b1 >> 4)]!;
    out[o++] = i + 1 < n ? B64_CODES[(b1 & 15) << 2]! : 61; // '='
    out[o] = 61;
  }
  return asciiDecoder.decode(out);
}

function describeChar(text: string, i: number): string {
  const cp = text.codePointAt(i) ?? 0;
  const ch = String.fromCodePoint(cp);
  return cp < 0x20 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `"${ch}"`;
}

/**
 * Decodes base64 or base64url; whitespace is ignored and padding is optional.
 * Throws an Error in plain words naming the first bad character and its 1-based position.
 */
export function fromBase64(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let o = 0;
  let acc = 0;
  let bits = 0;
  let count = 0; // base64 digits read
  let padAt = -1; // index of the first '='
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (B64_VALUE[c] ?? -1) : -1;
    if (v >= 0) {
      if (padAt >= 0) {
        throw new Error(`Not base64: "${text[i]}" at position ${i + 1} comes after the "=" padding, which may only end the text`);
      }
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      count++;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (acc >> bits) & 0xff;
      }
    } else if (v === -3) {
      if (padAt < 0) {
        padAt = i;
      }
    } else if (v !== -2) {
      throw new Error(`Not base64: unexpected character ${describeChar(text, i)} at position ${i + 1}`);
    }
  }
  if (count % 4 === 1) {
    throw new Error(`Not base64: ${count} base64 characters leave 6 bits over at the end; the text looks cut short or has a character missing`);
  }
  return out.slice(0, o);
}

// ---------------------------------------------------------------------------------------------
// Hex

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex bytes joined by `separator` (default one space): "a5 01 ff". */
export function toHex(bytes: Uint8Array, separator = ' '): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    parts[i] = HEX2[bytes[i] ?? 0]!;
  }
  return parts.join(separator);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) {
    return c - 48;
  }
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

const isHexSeparator = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 44 || c === 58 || c === 59 || c === 45;

/**
 * Parses hex bytes: "a5 01 ff", "a501ff", "0xa5,0x01", "A5:01", "\xa5\x01", across lines.
 * Each group between separators needs an even number of digits. Throws an Error in plain words
 * with the 1-based position of the problem.
 */
export function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(Math.ceil(text.length / 2));
  let o = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isHexSeparator(c)) {
      i++;
      continue;
    }
    // A group: optional 0x or \x prefix, then hex digits up to the next separator.
    let start = i;
    const next = text.charCodeAt(i + 1) | 0x20;
    if ((c === 48 || c === 92) && next === 120) {
      start = i += 2;
    }
    while (i < n && !isHexSeparator(text.charCodeAt(i))) {
      const d = text.charCodeAt(i);
      if (d === 92 && (text.charCodeAt(i + 1) | 0x20) === 120) {
        break; // "\x01\x02": the next group starts here
      }
      if (hexValue(d) < 0) {
        throw new Error(`Not hex: unexpected character ${describeChar(text, i)} at position ${i + 1}; use the digits 0-9 and a-f`);
      }
      i++;
    }
    const digits = i - start;
    if (digits === 0) {
      throw new Error(`Not hex: "${text.slice(start - 2, start)}" at position ${start - 1} has no digits after it`);
    }
    if (digits % 2 === 1) {
      throw new Error(
        `Not hex: "${text.slice(start, i)}" at position ${start + 1} has an odd number of digits (${digits}); every byte needs two digits, e.g. 0f`,
      );
    }
    for (let k = start; k < i; k += 2) {
      out[o++] = (hexValue(text.charCodeAt(k)) << 4) | hexValue(text.charCodeAt(k + 1));
    }
  }
  return out.slice(0, o);
}

/** "16", "0.5": bytes as megabytes, the way the settings say them. */
export function formatMegabytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 100) / 100);
}
