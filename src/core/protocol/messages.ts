/**
 * The typed message protocol between the extension host and its webviews. No DOM, no Node
 * APIs: both bundles import this file. Bump PROTOCOL_VERSION on any incompatible change.
 */
export const PROTOCOL_VERSION = 1;

/** Messages the host posts to a webview. */
export type HostMessage =
  | { readonly type: 'init'; readonly protocol: number; readonly panel: PanelKind }
  | { readonly type: 'error'; readonly message: string; readonly inReplyTo?: number };

/** Messages a webview posts to the host. `ready` is always first; the host queues until then. */
export type WebviewMessage =
  | { readonly type: 'ready'; readonly protocol: number }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

export type PanelKind = 'publish' | 'inspect';

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as { type?: unknown; protocol?: unknown; level?: unknown; message?: unknown };
  switch (v.type) {
    case 'ready':
      return typeof v.protocol === 'number';
    case 'log':
      return (v.level === 'info' || v.level === 'warn' || v.level === 'error') && typeof v.message === 'string';
    default:
      return false;
  }
}
