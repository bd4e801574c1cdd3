/** Payload classification and previews, computed on display (never per message). */
import { decodeText, partialUtf8Tail } from '../format/bytes';

export type PayloadKind = 'empty' | 'json' | 'text' | 'binary';

export function classifyPayload(bytes: Uint8Array, truncated = false): PayloadKind {
  if (bytes.length === 0) {
    return 'empty';
  }
  const text = decodeText(bytes, truncated);
  if (text === undefined) {
    return 'binary';
  }
  const t = text.trimStart();
  if (!truncated && (t.startsWith('{') || t.startsWith('[')) && bytes.length <= 1024 * 1024) {
    try {
      JSON.parse(text);
      return 'json';
    } catch {
      return 'text';
    }
  }
  return 'text';
}

/** Hex bytes "a5 01 ff", at most `maxBytes` of them. */
export function hexPreview(bytes: Uint8Array, maxBytes: number): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, maxBytes); i++) {
    parts.push(bytes[i]!.toString(16).padStart(2, '0'));
  }
  return parts.join(' ') + (bytes.length > maxBytes ? ' …' : '');
}

/** One-line preview: first `maxChars` characters of text, or hex for binary payloads. */
export function previewPayload(bytes: Uint8Array, maxChars = 80, truncated = false): { kind: PayloadKind; text: string } {
  const kind = classifyPayload(bytes, truncated);
  if (kind === 'empty') {
    return { kind, text: '' };
  }
  if (kind === 'binary') {
    return { kind, text: hexPreview(bytes, Math.floor(maxChars / 3)) };
  }
  const head = bytes.length > maxChars * 4 ? trimPartialUtf8(bytes.subarray(0, maxChars * 4)) : bytes;
  const text = new TextDecoder().decode(head).replace(/\s+/g, ' ').trim();
  return { kind, text: text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text };
}

/** Drops a UTF-8 sequence cut at the end of a slice so a prefix still decodes. */
function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  return bytes.subarray(0, bytes.length - partialUtf8Tail(bytes));
}

/** "512 B", "1.5 KB", "2.0 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(1)} KB`;
  }
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
