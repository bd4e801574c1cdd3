// Registers the mosquitto.conf support at activation at the cost of a few registrations; the
// linter, catalog and providers (dist/conf.js) load on first need: a mosquitto.conf document
// opening, a hover or completion request, a command. Activation never parses them otherwise.
import * as vscode from 'vscode';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { Logger } from '../shared/log';
import { CONNECT_LISTENER_COMMAND, CREATE_PASSWORD_FILE_COMMAND, LANGUAGE_ID } from './confIds';
import type { ConfFeatures } from './confLanguage';
import { registerCommand } from '../shared/commands';

export interface ConfLanguageApi {
  /** Lints a document now and returns its diagnostics (tests; the editor lints on its own, debounced). */
  lintNow(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]>;
}

export function registerConfLanguage(registry: BrokerRegistry, log: Logger): { api: ConfLanguageApi; disposables: vscode.Disposable[] } {
  let loading: Promise<ConfFeatures> | undefined;
  let loaded: ConfFeatures | undefined;
  const load = (): Promise<ConfFeatures> =>
    (loading ??= import('./confLanguage').then((m) => {
      loaded = m.createConfFeatures(registry, log);
      log.trace('mosquitto.conf support loaded');
      return loaded;
    }));
  const isConf = (d: vscode.TextDocument): boolean => d.languageId === LANGUAGE_ID;

  const selector: vscode.DocumentSelector = { language: LANGUAGE_ID };
  const disposables: vscode.Disposable[] = [
    // Diagnostics start with the first mosquitto.conf document (then the features watch on their own).
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isConf(d)) {
        void load();
      }
    }),
    vscode.languages.registerHoverProvider(selector, { provideHover: async (d, p, t) => (await load()).hover.provideHover(d, p, t) }),
    vscode.languages.registerCompletionItemProvider(selector, { provideCompletionItems: async (d, p, t, c) => (await load()).completion.provideCompletionItems(d, p, t, c) }, ' '),
    vscode.languages.registerDocumentSymbolProvider(selector, { provideDocumentSymbols: async (d, t) => (await load()).symbols.provideDocumentSymbols(d, t) }, { label: 'mosquitto.conf' }),
    vscode.languages.registerCodeLensProvider(selector, { provideCodeLenses: async (d, t) => (await load()).codeLens.provideCodeLenses(d, t) }),
    vscode.languages.registerCodeActionsProvider(
      selector,
      { provideCodeActions: async (d, r, c, t) => (await load()).codeActions.provideCodeActions(d, r, c, t) },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    registerCommand(CONNECT_LISTENER_COMMAND, async (...args: Parameters<ConfFeatures['connectToListener']>) => (await load()).connectToListener(...args)),
    registerCommand(CREATE_PASSWORD_FILE_COMMAND, async (...args: Parameters<ConfFeatures['createPasswordFile']>) => (await load()).createPasswordFile(...args)),
    {
      dispose: (): void => {
        loaded?.dispose();
      },
    },
  ];
  if (vscode.workspace.textDocuments.some(isConf)) {
    void load();
  }
  return { api: { lintNow: async (doc) => (await load()).lintNow(doc) }, disposables };
}
