// How a mosquitto.conf document meets the core: the file name the core is given, and its spans as
// editor ranges. Shared by the providers of this folder.
import * as vscode from 'vscode';
import type { Span } from '../core/conf/types';

export function toRange(span: Span): vscode.Range {
  return new vscode.Range(span.line, span.start, span.line, Math.max(span.start, span.end));
}

/** The path the core reports diagnostics under: the file's path on disk, else the URI's path. */
export function docFile(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path;
}
