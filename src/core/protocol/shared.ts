/**
 * What the two webview protocols (inspect.ts, publish.ts) share: the version, the ready/log/init
 * handshake, the `error` and `done` replies, the l10n bundle and the guards the host checks posts
 * with. No DOM, no Node APIs: both bundles import this file. Bump PROTOCOL_VERSION on any
 * incompatible change; a webview built for another version says so instead of misbehaving.
 *
 * Requests carry `id`; replies carry `inReplyTo` (requests.ts). The webview posts `ready` first and
 * the host queues everything until then. Payloads travel as Uint8Array (structured clone), never as HTML.
 */
export const PROTOCOL_VERSION = 2;

export type PanelKind = 'publish' | 'inspect';
export type QoS = 0 | 1 | 2;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStr = (v: unknown): v is string => typeof v === 'string';

/**
 * The extension's l10n bundle for VS Code's display language (`vscode.l10n.bundle`): English
 * message → translation. Absent when VS Code runs in English (or has no translation): the webview
 * then shows its English strings as they are. The webview hands it to `@vscode/l10n`'s `config`.
 */
export type L10nBundle = Readonly<Record<string, string>>;

/** A bundle the webview may pass to `l10n.config`: a plain object of strings, nothing else. */
export function isL10nBundle(value: unknown): value is L10nBundle {
  return isObject(value) && !Array.isArray(value) && Object.values(value).every(isStr);
}

// ---------------------------------------------------------------------------------------------
// Host → webview

/** The first message after every `ready`: the l10n bundle, read before the first render, and the panel's data. */
export type InitMessage<Panel extends { readonly panel: PanelKind }> = { readonly type: 'init'; readonly protocol: number; readonly l10n?: L10nBundle } & Panel;

/** A request failed (with `inReplyTo`), or something went wrong on its own (without). */
export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
  readonly inReplyTo?: number;
}

/** Generic acknowledgement of a request that needs no data back (copy, export…), with text to show. */
export interface DoneReply {
  readonly type: 'done';
  readonly inReplyTo: number;
  readonly text: string;
}

/** An `init` for a panel: `bundle` (vscode.l10n.bundle) travels only when there is one. */
export function initMessage<Panel extends { readonly panel: PanelKind }>(init: Panel, bundle: L10nBundle | undefined): InitMessage<Panel> {
  return { type: 'init', protocol: PROTOCOL_VERSION, ...(isL10nBundle(bundle) ? { l10n: bundle } : {}), ...init };
}

/**
 * What the host does with a message it posts before the webview is ready: `rebuilt` ones are
 * dropped (the page gets them again from init and the snapshot on `ready`), `queued` ones wait
 * for it (replies). Each protocol says it for every host message type.
 */
export type Delivery = 'rebuilt' | 'queued';

// ---------------------------------------------------------------------------------------------
// Webview → host

/** What every webview posts: `ready` (always first) and log lines. */
export type HandshakeMessage =
  | { readonly type: 'ready'; readonly protocol: number }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

export function isHandshake(message: { readonly type: string }): message is HandshakeMessage {
  return message.type === 'ready' || message.type === 'log';
}

/** A check of one webview message type, given an object whose `type` is that type. */
export type Guard = (v: Record<string, unknown>) => boolean;

export const HANDSHAKE_GUARDS = {
  ready: (v) => isNum(v.protocol),
  log: (v) => (v.level === 'info' || v.level === 'warn' || v.level === 'error') && isStr(v.message),
} satisfies Record<HandshakeMessage['type'], Guard>;

/** The check of a protocol's messages: the guard of the value's `type` in the table (unknown types are refused). */
export function guardOf<M extends { readonly type: string }>(guards: Readonly<Record<M['type'], Guard>>): (value: unknown) => value is M {
  const table = guards as Readonly<Record<string, Guard>>;
  return (value: unknown): value is M => isObject(value) && isStr(value.type) && Object.prototype.hasOwnProperty.call(table, value.type) && table[value.type]!(value);
}
