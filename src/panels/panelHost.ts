// What both webview panels share: the HTML shell with a strict CSP, the ready handshake (messages
// queue until the webview says `ready`), validation of everything the webview posts against its
// panel's protocol, error replies.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { deliveryOf, isWebviewMessageOf, type CommandOf, type HostMessageOf } from '../core/protocol/panels';
import { errorReply } from '../core/protocol/requests';
import { isHandshake, type ErrorMessage, type PanelKind } from '../core/protocol/shared';
import type { Logger } from '../shared/log';

export const VIEW_TYPES: Record<PanelKind, string> = {
  publish: 'brokerExplorer.publish',
  inspect: 'brokerExplorer.inspect',
};

/** Webview options: scripts on, resources only from our own bundles and media. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    // Not retainContextWhenHidden: the panels keep their state with setState and get a snapshot on reveal.
    enableFindWidget: true,
  };
}

/** The page: CSP with a fresh nonce per render, our CSS and module script, nothing inline. */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, panel: PanelKind, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', ...path)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="${escape(vscode.env.language || 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link id="vscode-codicon-stylesheet" rel="stylesheet" nonce="${nonce}" href="${asset('codicons', 'codicon.css')}">
<link rel="stylesheet" nonce="${nonce}" href="${asset(`${panel}.css`)}">
<title>${escape(title)}</title>
</head>
<body>
<div id="root" role="main" aria-label="${escape(title)}"></div>
<script type="module" nonce="${nonce}" src="${asset(`${panel}.js`)}"></script>
</body>
</html>`;
}

/** Sees every message a panel posts to its webview (the test-only PanelPostCounts is one). */
export interface PostObserver {
  posted(panel: PanelHost<PanelKind>, message: HostMessageOf<PanelKind>): void;
}

/**
 * One webview panel: posts queue until the webview is ready; what it posts is checked against the
 * panel's protocol before the subclass sees it. `K` picks the protocol (src/core/protocol/panels.ts);
 * it defaults to 'publish' only because PublishPanel still extends the bare PanelHost.
 */
export abstract class PanelHost<K extends PanelKind> implements vscode.Disposable {
  private ready = false;
  private readonly queue: (HostMessageOf<K> | ErrorMessage)[] = [];
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly kind: K,
    protected readonly log: Logger,
    extensionUri: vscode.Uri,
    private readonly observer?: PostObserver,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'brokers.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, kind, panel.title);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          // Without retained context a hidden webview is gone; the next `ready` starts it again.
          this.ready = false;
        }
        this.onVisibility(panel.visible);
      }),
    );
  }

  /** The panel was shown or hidden. */
  protected onVisibility(_visible: boolean): void {}

  get isReady(): boolean {
    return this.ready;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private receive(message: unknown): void {
    if (!isWebviewMessageOf(this.kind, message)) {
      this.log.warn(`${this.kind} panel: ignored a malformed message from the webview`);
      return;
    }
    if (isHandshake(message)) {
      if (message.type === 'ready') {
        // A reload (or a reveal without retained context) starts a new page: it needs init again.
        this.ready = true;
        this.onReady();
        this.flush();
      } else {
        this.log[message.level === 'error' ? 'error' : message.level === 'warn' ? 'warn' : 'info'](`${this.kind} panel: ${message.message}`);
      }
      return;
    }
    void this.handle(message).catch((err: unknown) => {
      const reply = errorReply(message, err);
      this.log.error(`${this.kind} panel: ${reply.message}`);
      this.post(reply);
    });
  }

  /** Called on every `ready` (first load, reload): post `init` (and a snapshot) here. */
  protected abstract onReady(): void;

  /** Handles a checked message from the webview, replies included (the test suite calls it too). */
  abstract handle(message: CommandOf<K>): Promise<void>;

  protected post(message: HostMessageOf<K> | ErrorMessage): void {
    if (this.disposed) {
      return;
    }
    if (!this.ready) {
      // What the protocol rebuilds on `ready` (init, lists, status) is dropped; replies wait for it.
      if (deliveryOf(this.kind, message.type) !== 'rebuilt') {
        this.queue.push(message);
      }
      return;
    }
    this.observer?.posted(this, message);
    void this.panel.webview.postMessage(message);
  }

  private flush(): void {
    for (const m of this.queue.splice(0)) {
      this.post(m);
    }
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.onDispose();
    vscode.Disposable.from(...this.disposables.splice(0)).dispose();
    this.panel.dispose();
  }

  protected onDispose(): void {}
}
