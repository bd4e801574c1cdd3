// The webview side of the typed protocol (src/core/protocol/messages.ts): posting, requests with
// replies, state kept across hide/show and reload. Shared by the publish and inspect bundles.
import { PROTOCOL_VERSION, type HostMessage, type PanelState, type WebviewMessage } from '../../src/core/protocol/messages';
import * as l10n from '@vscode/l10n';
import { configureL10n } from './l10n';

const vscode = acquireVsCodeApi<PanelState>();

/** Posts a typed message to the extension host. */
export function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

let nextId = 1;
/** A fresh request id; the host's reply carries it as `inReplyTo`. */
export function requestId(): number {
  return nextId++;
}

type Reply = Extract<HostMessage, { inReplyTo: number }> | Extract<HostMessage, { type: 'error' }>;
const waiting = new Map<number, (reply: Reply) => void>();

/** Posts a request and resolves with the host's reply (`done`, `error`, `publish/result`, `publish/file`). */
export function request(build: (id: number) => WebviewMessage): Promise<Reply> {
  const id = requestId();
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    post(build(id));
  });
}

/**
 * Subscribes to typed host messages, then announces `ready` so the host flushes its queue.
 * `init` configures l10n with its bundle before `onMessage` sees it (so before the first render).
 * Replies to `request()` go to their promise (and to `onMessage` too).
 */
export function connect(onMessage: (message: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
    const message = event.data;
    if ('inReplyTo' in message && typeof message.inReplyTo === 'number') {
      const resolve = waiting.get(message.inReplyTo);
      waiting.delete(message.inReplyTo);
      resolve?.(message);
    }
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
