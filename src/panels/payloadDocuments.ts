// Received payloads as read-only documents (`broker-explorer-payload:` URIs), so VS Code's own
// JSON support, diff editor and hex editor apply to them. Content comes from the inspectors' buffers.
import * as vscode from 'vscode';
import { decodeText } from '../core/format/bytes';

export const PAYLOAD_SCHEME = 'broker-explorer-payload';

export interface PayloadSource {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly size: number;
}

type Lookup = (seq: number) => PayloadSource | undefined;

/** The file extension that makes VS Code pick the right language. */
export function extensionFor(payload: Uint8Array, truncated: boolean): string {
  const text = decodeText(payload, truncated);
  if (text === undefined) {
    return 'bin';
  }
  const t = text.trimStart();
  if (!truncated && (t.startsWith('{') || t.startsWith('['))) {
    try {
      JSON.parse(text);
      return 'json';
    } catch {
      return 'txt';
    }
  }
  return t.startsWith('<') ? 'xml' : 'txt';
}

function safeName(topic: string): string {
  const last = topic.split('/').filter(Boolean).pop() ?? 'payload';
  return last.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'payload';
}

export class PayloadDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly sources = new Map<string, Lookup>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changeEmitter.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerFileSystemProvider(PAYLOAD_SCHEME, this, { isReadonly: true, isCaseSensitive: true });
  }

  /** Makes a buffer's messages readable; dispose when the buffer goes. */
  register(key: string, lookup: Lookup): vscode.Disposable {
    const id = encodeURIComponent(key);
    this.sources.set(id, lookup);
    return new vscode.Disposable(() => this.sources.delete(id));
  }

  uriFor(key: string, seq: number, topic: string, payload: Uint8Array, size: number): vscode.Uri {
    const ext = extensionFor(payload, payload.length < size);
    return vscode.Uri.from({ scheme: PAYLOAD_SCHEME, path: `/${encodeURIComponent(key)}/${seq}/${safeName(topic)}.${ext}` });
  }

  /** Opens the message's payload in a read-only editor tab. */
  async open(key: string, seq: number, topic: string, payload: Uint8Array, size = payload.length): Promise<vscode.Uri> {
    const uri = this.uriFor(key, seq, topic, payload, size);
    if (uri.path.endsWith('.bin')) {
      // VS Code's text editor refuses binary: the hex editor opens it when installed.
      await vscode.commands.executeCommand('vscode.openWith', uri, 'hexEditor.hexedit').then(undefined, () => vscode.commands.executeCommand('vscode.open', uri));
    } else {
      await vscode.window.showTextDocument(uri, { preview: true });
    }
    return uri;
  }

  private find(uri: vscode.Uri): PayloadSource {
    const [, id, seq] = uri.path.split('/');
    const m = id !== undefined && seq !== undefined ? this.sources.get(id)?.(Number(seq)) : undefined;
    if (!m) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return m;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const m = this.find(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: m.payload.length, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.find(uri).payload;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => {});
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changeEmitter.dispose();
    this.sources.clear();
  }
}
