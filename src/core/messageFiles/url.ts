/** `mqtt://CONNECTION/TOPIC` and `amqp://CONNECTION/EXCHANGE`: parsing and writing. */
import * as l10n from '@vscode/l10n';
import { closest, closingQuote } from './catalog';
import type { MessageKind, Severity, Span } from './types';

export interface UrlProblem {
  readonly start: number;
  readonly end: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly suggestion?: string;
}

export interface ParsedUrl {
  /** undefined when the scheme is not mqtt or amqp (a problem says why). */
  readonly scheme?: MessageKind;
  readonly connection: { readonly name: string; readonly span: Span; readonly quoted: boolean };
  readonly target: { readonly text: string; readonly span: Span; readonly quoted: boolean; readonly missing: boolean };
  readonly problems: readonly UrlProblem[];
}

const TRANSPORTS: Record<string, MessageKind> = { mqtts: 'mqtt', ws: 'mqtt', wss: 'mqtt', tcp: 'mqtt', ssl: 'mqtt', amqps: 'amqp' };

/**
 * Parses a target URL. `text` is the URL with trailing whitespace already removed; `offset` is
 * its column on the line (spans are line columns). Never throws.
 */
export function parseTargetUrl(text: string, offset = 0): ParsedUrl {
  const problems: UrlProblem[] = [];
  const at = (s: number, e: number): Span => ({ start: offset + s, end: offset + e });
  const err = (s: number, e: number, code: string, message: string, suggestion?: string, severity: Severity = 'error') =>
    problems.push({ start: offset + s, end: offset + Math.max(e, s), severity, code, message, ...(suggestion !== undefined ? { suggestion } : {}) });
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (!m) {
    err(0, text.length, 'bad-url', l10n.t('Expected mqtt://CONNECTION/TOPIC or amqp://CONNECTION/EXCHANGE, where CONNECTION is the name of a connection in the Brokers view'));
    return { connection: { name: '', span: at(0, 0), quoted: false }, target: { text: '', span: at(text.length, text.length), quoted: false, missing: true }, problems };
  }
  const schemeText = m[1]!;
  const lower = schemeText.toLowerCase();
  let scheme: MessageKind | undefined;
  if (lower === 'mqtt' || lower === 'amqp') {
    scheme = lower;
  } else if (TRANSPORTS[lower]) {
    const kind = TRANSPORTS[lower];
    err(0, schemeText.length, 'unknown-scheme', l10n.t('Write {0}:// — the URL names a connection, and TLS or WebSockets ({1}) are settings of that connection', kind, schemeText), kind);
  } else {
    const s = closest(lower, ['mqtt', 'amqp']);
    err(0, schemeText.length, 'unknown-scheme', s ? l10n.t('Unknown scheme "{0}": use mqtt:// or amqp:// — did you mean {1}?', schemeText, s) : l10n.t('Unknown scheme "{0}": use mqtt:// or amqp://', schemeText), s);
  }

  // Connection name: "quoted" (a JSON string, literal) or bare (up to the first "/", verbatim).
  let pos = m[0].length;
  let name = '';
  let quoted = false;
  const nameStart = pos;
  if (text.charCodeAt(pos) === 34) {
    quoted = true;
    const close = closingQuote(text, pos);
    if (close < 0) {
      err(pos, text.length, 'bad-connection', l10n.t('The quoted connection name has no closing quote: mqtt://"my broker"/topic'));
      return { scheme, connection: { name: '', span: at(pos, text.length), quoted: false }, target: { text: '', span: at(text.length, text.length), quoted: false, missing: true }, problems };
    }
    try {
      name = JSON.parse(text.slice(pos, close + 1)) as string;
    } catch {
      err(pos, close + 1, 'bad-connection', l10n.t('The quoted connection name is not a valid JSON string (escape " and \\ with a backslash)'));
    }
    pos = close + 1;
    if (pos < text.length && text.charCodeAt(pos) !== 47) {
      const slash = text.indexOf('/', pos);
      err(pos, slash < 0 ? text.length : slash, 'bad-connection', l10n.t('Expected "/" right after the quoted connection name'));
      pos = slash < 0 ? text.length : slash;
    }
  } else {
    const slash = text.indexOf('/', pos);
    pos = slash < 0 ? text.length : slash;
    name = text.slice(nameStart, pos);
    if (name.trim() !== name && name.trim() !== '') {
      err(nameStart, pos, 'connection-spaces', l10n.t('The connection name "{0}" begins or ends with a space; if that is really its name, quote it: "{0}"', name), undefined, 'warning');
    }
  }
  const connection = { name, span: at(nameStart, pos), quoted };
  if (name === '' && !quoted) {
    err(nameStart, pos, 'missing-connection', l10n.t('Name a connection from the Brokers view: {0}', `${scheme ?? 'mqtt'}://CONNECTION/${scheme === 'amqp' ? 'EXCHANGE' : 'TOPIC'}`));
  }

  // Target: everything after that "/", verbatim, or a quoted JSON string.
  if (pos >= text.length) {
    err(
      pos,
      pos,
      'missing-target',
      scheme === 'amqp'
        ? l10n.t('Add "/" and the exchange; a bare "/" is the default exchange: amqp://{0}/ with Routing-Key: QUEUE', formatConnection(name))
        : l10n.t('Add "/" and the topic: mqtt://{0}/TOPIC (everything after that "/" is the topic, so //a/b is the topic /a/b)', formatConnection(name)),
    );
    return { scheme, connection, target: { text: '', span: at(pos, pos), quoted: false, missing: true }, problems };
  }
  const tStart = pos + 1;
  let target = text.slice(tStart);
  let tQuoted = false;
  if (target.startsWith('"')) {
    tQuoted = true;
    const close = closingQuote(text, tStart);
    if (close < 0) {
      err(tStart, text.length, 'bad-target', l10n.t('The quoted target has no closing quote (a target that really starts with " is written quoted: "\\"…")'));
    } else {
      try {
        target = JSON.parse(text.slice(tStart, close + 1)) as string;
      } catch {
        err(tStart, close + 1, 'bad-target', l10n.t('The quoted target is not a valid JSON string'));
      }
      if (close + 1 < text.length) {
        err(close + 1, text.length, 'bad-target', l10n.t('Unexpected text after the quoted target'));
      }
    }
  } else if (/^\s/.test(target)) {
    err(tStart, tStart + (target.length - target.trimStart().length), 'target-spaces', scheme === 'amqp' ? l10n.t('The exchange begins with a space, which is part of it') : l10n.t('The topic begins with a space, which is part of it'), undefined, 'info');
  }
  return { scheme, connection, target: { text: target, span: at(tStart, text.length), quoted: tQuoted, missing: false }, problems };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function formatConnection(name: string): string {
  const quote = name === '' || name.includes('/') || name.startsWith('"') || name.trim() !== name || name.includes('{{') || CONTROL.test(name);
  return quote ? JSON.stringify(name) : name;
}

/**
 * The URL of a target: the inverse of parsing. Quotes the connection name or the target only
 * when needed (a "/" in a name, leading or trailing spaces, control characters, "{{", a leading
 * quote). An empty AMQP exchange is the default exchange: `amqp://local-rabbit/`.
 */
export function formatTargetUrl(kind: MessageKind, connectionName: string, target: string): string {
  const quoteTarget = target.startsWith('"') || target.trim() !== target || target.includes('{{') || CONTROL.test(target);
  return `${kind}://${formatConnection(connectionName)}/${quoteTarget ? JSON.stringify(target) : target}`;
}
