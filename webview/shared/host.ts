import { PROTOCOL_VERSION, type HostMessage, type WebviewMessage } from '../../src/core/protocol/messages';

const vscode = acquireVsCodeApi();

/** Posts a typed message to the extension host. */
export function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

/** Subscribes to typed host messages, then announces `ready` so the host flushes its queue. */
export function connect(onMessage: (message: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<HostMessage>) => onMessage(event.data));
  post({ type: 'ready', protocol: PROTOCOL_VERSION });
}
