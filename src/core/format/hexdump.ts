/** Classic hex dumps (`hexdump -C` layout) for binary payloads, whole or a window of lines. */

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const ASCII: string[] = Array.from({ length: 256 }, (_, i) => (i >= 0x20 && i <= 0x7e ? String.fromCharCode(i) : '.'));

/** Bytes shown per line. */
export const HEX_DUMP_BYTES_PER_LINE = 16;

/** One line for bytes[start, end) (end - start ≤ 16), with `address` as its offset column. */
function dumpLine(bytes: Uint8Array, start: number, end: number, address: number): string {
  let hex = '';
  let text = '';
  for (let k = 0; k < 16; k++) {
    const at = start + k;
    if (k === 8) {
      hex += ' ';
    }
    if (at < end) {
      const b = bytes[at] ?? 0;
      hex += ' ' + HEX2[b]!;
      text += ASCII[b]!;
    } else {
      hex += '   ';
    }
  }
  return `${(address >>> 0).toString(16).padStart(8, '0')} ${hex}  |${text}|`;
}

/** Number of lines a hex dump of `byteCount` bytes has. */
export function hexDumpLineCount(byteCount: number): number {
  return Math.ceil(byteCount / HEX_DUMP_BYTES_PER_LINE);
}

/**
 * `00000000  7b 22 74 65 6d 70 22 3a  20 32 35 2e 35 7d 0a 00  |{"temp": 25.5}..|` — 16 bytes a
 * line, 8-digit hex offset, two groups of 8, printable ASCII (0x20–0x7e) else '.'. `offset` is
 * the first byte to show (offsets stay absolute), `maxBytes` how many at most; a cut dump ends
 * with a line saying how many bytes are not shown. Lines are joined with '\n', no trailing newline.
 */
export function hexDump(bytes: Uint8Array, options: { offset?: number; maxBytes?: number } = {}): string {
  const from = Math.max(0, Math.min(bytes.length, Math.floor(options.offset ?? 0)));
  const max = options.maxBytes === undefined ? Infinity : Math.max(0, Math.floor(options.maxBytes));
  const to = Math.min(bytes.length, from + max);
  const lines: string[] = [];
  for (let at = from; at < to; at += 16) {
    lines.push(dumpLine(bytes, at, Math.min(to, at + 16), at));
  }
  if (to < bytes.length) {
    const rest = bytes.length - to;
    lines.push(`… ${rest.toLocaleString('en')} more byte${rest === 1 ? '' : 's'} not shown`);
  }
  return lines.join('\n');
}

/** Lines startLine … startLine + lineCount - 1 (0-based) of the full dump, for virtualised views. */
export function hexDumpLines(bytes: Uint8Array, startLine: number, lineCount: number): string[] {
  const total = hexDumpLineCount(bytes.length);
  const first = Math.max(0, Math.floor(startLine));
  const last = Math.min(total, first + Math.max(0, Math.floor(lineCount)));
  const lines: string[] = [];
  for (let line = first; line < last; line++) {
    const at = line * 16;
    lines.push(dumpLine(bytes, at, Math.min(bytes.length, at + 16), at));
  }
  return lines;
}
