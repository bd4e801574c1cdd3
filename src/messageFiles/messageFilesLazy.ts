// Registers message-file support at activation with a few registrations; the parser and providers
// (dist/messages.js) load when a .mqtt/.amqp document opens or a provider or command is first used.
import * as vscode from 'vscode';
import { sendDraft } from '../core/publish/publish';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { PanelOpener } from '../shared/panelOpener';
import type { Logger } from '../shared/log';
import type { ProtobufTypes } from '../core/messageFiles/encoding';
import type { MessageFeatures, MessageHost } from './messageFiles';
import type { MessageTestsApi } from './messageTests';
import { INSPECT_BLOCK_COMMAND, MESSAGE_LANGUAGE_ID, MESSAGE_SENT_CONTEXT, MESSAGE_FILE_EXCLUDE, MESSAGE_FILE_GLOB, RUN_TEST_COMMAND, SEND_BLOCK_COMMAND, TEST_CONTROLLER_ID } from './messageIds';
import { showError } from '../shared/notify';
import { registerCommand } from '../shared/commands';

export interface MessageFilesApi {
  /** Diagnostics of a document now (tests; the editor updates them on its own). */
  diagnose(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]>;
  /** The Test Explorer's message-file tests (loads the message-file support). */
  tests(): Promise<MessageTestsApi>;
}

export function registerMessageFiles(
  registry: BrokerRegistry,
  panels: PanelOpener,
  log: Logger,
  protobufTypes?: ProtobufTypes,
  sparkplug?: MessageHost['sparkplug'],
): { api: MessageFilesApi; disposables: vscode.Disposable[] } {
  let loading: Promise<MessageFeatures> | undefined;
  let loaded: MessageFeatures | undefined;
  // The Test Explorer's controller is only registered here. When VS Code asks for the workspace's
  // tests (resolveHandler with no item: the Testing view, or the editor's test decorations), one
  // findFiles says whether there are message files; only then does the message-file support load,
  // list them and watch them. A workspace without any loads nothing, until a message file is
  // created or opened. The controller itself is made just after activation (making it was the
  // costliest step of activate(), issue 19 P5), or at once when the support loads before that.
  let testController: vscode.TestController | undefined;
  const controller = (): vscode.TestController => (testController ??= createController());
  // The lenses' change event, forwarded once the support has loaded. VS Code subscribes to it as
  // the provider is registered (at activation): loading there would put dist/messages.js (~13 ms)
  // into every activation, message files or not (issue 19 P5).
  const lensesChanged = new vscode.EventEmitter<void>();
  const load = (): Promise<MessageFeatures> =>
    (loading ??= import('./messageFiles').then((m) => {
      loaded = m.createMessageFeatures(registry, panels, log, { sendDraft, testController: controller(), ...(protobufTypes ? { protobufTypes } : {}), ...(sparkplug ? { sparkplug } : {}) });
      loaded.codeLens.onDidChangeCodeLenses?.(() => lensesChanged.fire());
      return loaded;
    }));
  const discover = async (): Promise<void> => {
    try {
      await (await load()).tests.discover();
    } catch (err) {
      log.warn(`Message tests: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  let created: vscode.FileSystemWatcher | undefined;
  const createController = (): vscode.TestController => {
    const made = vscode.tests.createTestController(TEST_CONTROLLER_ID, vscode.l10n.t('Broker Messages'));
    made.resolveHandler = resolveTests;
    made.refreshHandler = discover;
    return made;
  };
  const resolveTests = async (item: vscode.TestItem | undefined): Promise<void> => {
    if (item) {
      return;
    }
    if (loading) {
      await discover();
      return;
    }
    const any = await Promise.resolve(vscode.workspace.findFiles(MESSAGE_FILE_GLOB, MESSAGE_FILE_EXCLUDE, 1)).catch(() => []);
    if (any.length) {
      await discover();
    } else if (!created) {
      created = vscode.workspace.createFileSystemWatcher(MESSAGE_FILE_GLOB, false, true, true);
      created.onDidCreate(() => {
        created?.dispose();
        void discover();
      });
    }
  };
  const soon = setTimeout(controller, 0);
  const isMessages = (d: vscode.TextDocument): boolean => d.languageId === MESSAGE_LANGUAGE_ID;
  const selector: vscode.DocumentSelector = { language: MESSAGE_LANGUAGE_ID };
  const disposables: vscode.Disposable[] = [
    lensesChanged,
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isMessages(d)) {
        void load();
      }
    }),
    vscode.languages.registerCodeLensProvider(selector, {
      provideCodeLenses: async (d, t) => (await load()).codeLens.provideCodeLenses(d, t),
      // Forwarded once loaded: lenses follow connection and trust changes.
      onDidChangeCodeLenses: lensesChanged.event,
    }),
    vscode.languages.registerCompletionItemProvider(selector, { provideCompletionItems: async (d, p, t, c) => (await load()).completion.provideCompletionItems(d, p, t, c) }, ':', '/', '{', ' ', '.', '$', '['),
    vscode.languages.registerCodeActionsProvider(selector, { provideCodeActions: async (d, r, c, t) => (await load()).codeActions.provideCodeActions(d, r, c, t) }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    registerCommand(SEND_BLOCK_COMMAND, async (uri?: vscode.Uri, line?: number) => {
      try {
        const outcomes = await (await load()).send(uri, line);
        if (Array.isArray(outcomes) && outcomes.length) {
          void vscode.commands.executeCommand('setContext', MESSAGE_SENT_CONTEXT, true);
        }
        return outcomes;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log.error(`Send: ${message}`);
        void showError(vscode.l10n.t('Not sent: {0}', message));
        return undefined;
      }
    }),
    registerCommand(INSPECT_BLOCK_COMMAND, async (uri?: vscode.Uri, line?: number) => {
      try {
        return await (await load()).inspect(uri, line);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        void showError(message);
        return false;
      }
    }),
    registerCommand(RUN_TEST_COMMAND, async (uri?: vscode.Uri, line?: number) => {
      try {
        return await (await load()).runTest(uri, line);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        void showError(vscode.l10n.t('Test not run: {0}', message));
        return undefined;
      }
    }),
    {
      dispose: (): void => {
        loaded?.dispose();
      },
    },
    {
      dispose: (): void => {
        clearTimeout(soon);
        testController?.dispose();
      },
    },
    {
      dispose: (): void => {
        created?.dispose();
      },
    },
  ];
  if (vscode.workspace.textDocuments.some(isMessages)) {
    void load();
  }
  return { api: { diagnose: async (doc) => (await load()).diagnose(doc), tests: async () => (await load()).tests }, disposables };
}
