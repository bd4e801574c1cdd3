// The webview side of the typed protocols (src/core/protocol/): posting, the ready handshake,
// requests with replies, state kept across hide/show and reload. Shared by the publish and inspect bundles.
import type { HostMessageOf, PanelState, WebviewMessageOf } from '../../src/core/protocol/panels';
import { Requester, type ReplyTable, type ReplyTypes, type RequestMessage, type RequestOptions } from '../../src/core/protocol/requests';
import { PROTOCOL_VERSION, type PanelKind } from '../../src/core/protocol/shared';
import * as l10n from '@vscode/l10n';
import { configureL10n } from './l10n';

const vscode = acquireVsCodeApi<PanelState>();

/** Posts a typed message to the extension host. */
export function post(message: WebviewMessageOf<PanelKind>): void {
  vscode.postMessage(message);
}

/** Listens to what the host posts, unchecked; returns how to stop. */
function onHostMessage(listener: (message: unknown) => void): () => void {
  const handler = (event: MessageEvent<unknown>): void => listener(event.data);
  window.addEventListener('message', handler);
  return () => window.removeEventListener('message', handler);
}

/** A Requester for this page's requests: it posts through the webview API and listens to the host. */
export function requester<Req extends RequestMessage, Replies extends ReplyTable<Req>>(replyTypes: ReplyTypes<Req, Replies>, options?: RequestOptions): Requester<Req, Replies> {
  return new Requester<Req, Replies>((m) => vscode.postMessage(m), onHostMessage, replyTypes, options);
}

/**
 * Subscribes to typed host messages, then announces `ready` so the host flushes its queue.
 * `init` configures l10n with its bundle before `onMessage` sees it (so before the first render).
 * Replies reach their request (and `onMessage` too).
 */
export function connect<M extends HostMessageOf<PanelKind> = HostMessageOf<PanelKind>>(onMessage: (message: M) => void): void {
  onHostMessage((data) => {
    const message = data as M;
    if (message.type === 'init') {
      // Before anything renders: every later l10n.t() uses the bundle (none in English).
      configureL10n(message.l10n);
      if (message.protocol !== PROTOCOL_VERSION) {
        const root = document.getElementById('root');
        if (root) {
          root.textContent = l10n.t('This panel was built for protocol {0}, the extension speaks {1}: reload the window.', PROTOCOL_VERSION, message.protocol);
        }
        return;
      }
    }
    onMessage(message);
  });
  post({ type: 'ready', protocol: PROTOCOL_VERSION });
}

/** Small state that survives hide/show and reload (never payloads). */
export function getState(): PanelState | undefined {
  return vscode.getState();
}

export function setState(state: PanelState): void {
  vscode.setState(state);
}
