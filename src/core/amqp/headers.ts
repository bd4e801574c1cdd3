/** Message bodies and properties typed by users, checked before anything is sent. */
export type BodyFormat = 'text' | 'json' | 'base64';

/** The bytes to send, or an error sentence. JSON must parse; base64 must be valid base64. */
export function encodeBody(text: string, format: BodyFormat): Buffer | string {
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (err) {
      return `Not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
    }
    return Buffer.from(text, 'utf8');
  }
  if (format === 'base64') {
    const clean = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
      return 'Not valid base64';
    }
    return Buffer.from(clean, 'base64');
  }
  return Buffer.from(text, 'utf8');
}

/** "key=value, n=42, flag=true" → headers (numbers and booleans typed), or an error sentence. */
export function parseHeaders(text: string): Record<string, string | number | boolean> | string {
  const headers: Record<string, string | number | boolean> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      return `"${part}" is not key=value`;
    }
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    headers[key] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return headers;
}

export function formatHeaders(headers: Readonly<Record<string, unknown>> | undefined): string {
  return Object.entries(headers ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}
