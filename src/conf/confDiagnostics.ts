// Diagnostics of mosquitto.conf documents: linted by the core as they open and change (debounced
// by their size), published per file, with the fixes the quick fixes offer kept on each diagnostic.
import * as vscode from 'vscode';
import { lintConf, nodeFs } from '../core/conf';
import type { ConfDiagnostic, ConfFix } from '../core/conf/types';
import type { Logger } from '../shared/log';
import { lintDelayMs } from './confDelay';
import { docFile, toRange } from './confDocument';
import { LANGUAGE_ID } from './confIds';

const SEVERITY: Record<ConfDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Diagnostics carry their fixes so the code action provider needs no second lint. */
export class ConfVsDiagnostic extends vscode.Diagnostic {
  constructor(
    readonly source_: ConfDiagnostic,
    readonly fixes: readonly ConfFix[],
  ) {
    super(toRange(source_.span), source_.message, SEVERITY[source_.severity]);
    this.source = 'mosquitto-lint';
    this.code = source_.code;
  }
}

/**
 * Lints open mosquitto.conf documents. Diagnostics of files pulled in by `include_dir` go to those
 * files' URIs too (merged with what linting them on their own finds).
 */
export class ConfDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mosquitto-conf');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** root document URI → (file URI → diagnostics that linting the root found there). */
  private readonly contributions = new Map<string, Map<string, ConfVsDiagnostic[]>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: Logger) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
    for (const d of vscode.workspace.textDocuments) {
      this.schedule(d, 0);
    }
  }

  private schedule(doc: vscode.TextDocument, delay = lintDelayMs(doc.lineCount)): void {
    if (doc.languageId !== LANGUAGE_ID) {
      if (this.contributions.has(doc.uri.toString())) {
        this.forget(doc.uri); // the user switched the language away
      }
      return;
    }
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.lint(doc);
      }, delay),
    );
  }

  lint(doc: vscode.TextDocument): ConfVsDiagnostic[] {
    if (doc.isClosed) {
      return [];
    }
    const file = docFile(doc);
    const started = Date.now();
    let result;
    try {
      result = lintConf(doc.getText(), {
        file,
        fs: doc.uri.scheme === 'file' ? nodeFs : undefined,
        // No network paths ever; in an untrusted folder, nothing outside the workspace.
        reach: { trusted: vscode.workspace.isTrusted, roots: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath) },
      });
    } catch (e) {
      // The linter is built never to throw; if it does, the editor must not suffer for it.
      this.log.error(`mosquitto.conf lint failed for ${file}: ${String(e)}`);
      return [];
    }
    const byFile = new Map<string, ConfVsDiagnostic[]>();
    for (const d of result.diagnostics) {
      const uri = d.file === file ? doc.uri.toString() : vscode.Uri.file(d.file).toString();
      const list = byFile.get(uri) ?? [];
      list.push(new ConfVsDiagnostic(d, d.fixes ?? []));
      byFile.set(uri, list);
    }
    if (!byFile.has(doc.uri.toString())) {
      byFile.set(doc.uri.toString(), []);
    }
    const before = this.contributions.get(doc.uri.toString());
    this.contributions.set(doc.uri.toString(), byFile);
    const touched = new Set([...byFile.keys(), ...(before?.keys() ?? [])]);
    for (const uri of touched) {
      this.publish(uri);
    }
    this.log.trace(`linted ${file}: ${result.diagnostics.length} problems in ${Date.now() - started} ms`);
    return byFile.get(doc.uri.toString()) ?? [];
  }

  /** One file's diagnostics: the union of what each linted root found there, without duplicates. */
  private publish(uri: string): void {
    const seen = new Set<string>();
    const merged: vscode.Diagnostic[] = [];
    for (const byFile of this.contributions.values()) {
      for (const d of byFile.get(uri) ?? []) {
        const key = `${d.range.start.line}:${d.range.start.character}:${d.code as string}:${d.message}`;
        if (!seen.has(key)) {
          seen.add(key);
          merged.push(d);
        }
      }
    }
    this.collection.set(vscode.Uri.parse(uri), merged);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const before = this.contributions.get(key);
    if (!before) {
      return;
    }
    this.contributions.delete(key);
    for (const file of before.keys()) {
      this.publish(file);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) {
      clearTimeout(t);
    }
    this.timers.clear();
    vscode.Disposable.from(...this.disposables.splice(0)).dispose();
  }
}
