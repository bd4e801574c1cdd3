// mosquitto.conf in the editor: debounced diagnostics, hovers, completion, outline, quick fixes and
// a "Connect to this listener" CodeLens. All the knowledge is in src/core/conf; this is glue. This
// file is the entry of the lazily loaded bundle dist/conf.js (see confLanguageLazy.ts): it wires the
// providers of this folder into the features the lazy registrations call.
import type * as vscode from 'vscode';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { Logger } from '../shared/log';
import { configureCoreL10n } from '../shared/l10n';
import { completionProvider, hoverProvider, symbolProvider } from './confAssist';
import { ConfDiagnostics } from './confDiagnostics';
import { codeLensProvider, connectToListenerCommand, type ConnectToListener } from './confListeners';
import { codeActions, createPasswordFileCommand, type CreatePasswordFile } from './confQuickFixes';

/** Everything the mosquitto.conf support does; registered by confLanguageLazy.ts, loaded on first need. */
export interface ConfFeatures extends vscode.Disposable {
  hover: vscode.HoverProvider;
  completion: vscode.CompletionItemProvider;
  symbols: vscode.DocumentSymbolProvider;
  codeLens: vscode.CodeLensProvider;
  codeActions: vscode.CodeActionProvider;
  connectToListener: ConnectToListener;
  createPasswordFile: CreatePasswordFile;
  /** Lint a document now (tests; the editor lints on its own, debounced). */
  lintNow(doc: vscode.TextDocument): vscode.Diagnostic[];
}

export function createConfFeatures(registry: BrokerRegistry, log: Logger): ConfFeatures {
  // dist/conf.js has its own copy of @vscode/l10n (the linter's messages): configure it too.
  configureCoreL10n();
  const diagnostics = new ConfDiagnostics(log);
  const connectToListener = connectToListenerCommand(registry, log);
  const createPasswordFile = createPasswordFileCommand(log, (doc) => diagnostics.lint(doc));

  return {
    hover: hoverProvider,
    completion: completionProvider,
    symbols: symbolProvider,
    codeLens: codeLensProvider,
    codeActions: { provideCodeActions: (doc, _range, context) => codeActions(doc, context.diagnostics) },
    connectToListener,
    createPasswordFile,
    lintNow: (doc) => diagnostics.lint(doc),
    dispose: () => diagnostics.dispose(),
  };
}
