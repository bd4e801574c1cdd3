// `.mqtt` / `.amqp` message files in the editor: a Send (×N) CodeLens above each PUBLISH block, an
// Inspect lens above SUBSCRIBE blocks, diagnostics, completion. Loaded on first need
// (messageFilesLazy.ts); the format lives in src/core/messageFiles (docs/message-files.md).
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../core/amqp/amqpConnection';
import type { BrokerConnection } from '../core/brokers/connection';
import { problemsText, validateDraft, type PublishLimits } from '../core/publish/validate';
import { readFileUpTo } from '../core/messageFiles/readLimited';
import {
  checkMessageFile,
  completionContextAt,
  formatTargetUrl,
  HEADER_NAMES,
  parseMessageFile,
  resolveBlock,
  SYSTEM_VARIABLES,
  variablesAt,
  type MessageBlock,
  type MessageFile,
  type Problem,
  type ResolvedMessage,
} from '../core/messageFiles';
import type { MqttConnection } from '../core/mqtt/mqttConnection';
import type { PublishDraft, PublishOutcome } from '../core/protocol/publish';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { PanelOpener } from '../shared/panelOpener';
import type { Logger } from '../shared/log';
import { MESSAGE_LANGUAGE_ID, SEND_BLOCK_COMMAND, INSPECT_BLOCK_COMMAND, RUN_TEST_COMMAND } from './messageIds';
import { configureCoreL10n } from '../shared/l10n';
import { escapeIcons, noLinks } from '../core/format/markup';
import { payloadLimitBytes } from '../shared/settings';
import { usesCaptures } from '../core/messageFiles/captures';
import { encodeDraft, type ProtobufTypes } from '../core/messageFiles/encoding';
import type { SparkplugSendGuard } from '../core/codecs/sparkplug/commands';
import { EXPECT_HEADERS, findExpectHeader, jsonPathsOf } from '../core/messageFiles/expect';
import { createMessageTests, runBlockFromLens, type MessageTestsApi, type RecordedTestResult } from './messageTests';

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export interface MessageFeatures extends vscode.Disposable {
  codeLens: vscode.CodeLensProvider;
  completion: vscode.CompletionItemProvider;
  codeActions: vscode.CodeActionProvider;
  send(uri?: vscode.Uri, requestLine?: number): Promise<string[] | undefined>;
  inspect(uri?: vscode.Uri, requestLine?: number): Promise<boolean>;
  diagnose(doc: vscode.TextDocument): vscode.Diagnostic[];
  /** The Test Explorer's message-file tests. */
  readonly tests: MessageTestsApi;
  /** Runs the test of the block at `requestLine` (the "Run Test" CodeLens). */
  runTest(uri?: vscode.Uri, requestLine?: number): Promise<RecordedTestResult | undefined>;
}

/**
 * What this lazily loaded bundle must take from the main one: a copy of the connection classes
 * here would fail every `instanceof` on the registry's connections.
 */
export interface MessageHost {
  sendDraft(connection: BrokerConnection, draft: PublishDraft, limits: PublishLimits): Promise<PublishOutcome>;
  /** `Encoding: protobuf TYPE`: the type from the workspace .proto files (the payload decoders read them). */
  readonly protobufTypes?: ProtobufTypes;
  /** `Encoding: sparkplug` and spBv1.0/ topics: the BIRTHs seen and the session's rules (the publish panel's). */
  readonly sparkplug?: { state(brokerId: string): unknown; readonly guard: SparkplugSendGuard };
  /** The Test Explorer's controller, made at activation so the Testing view lists tests before a message file opens. */
  readonly testController: vscode.TestController;
}

export function createMessageFeatures(registry: BrokerRegistry, panels: PanelOpener, log: Logger, host: MessageHost): MessageFeatures {
  // dist/messages.js has its own copy of @vscode/l10n (the message-file problems): configure it too.
  configureCoreL10n();
  const collection = vscode.languages.createDiagnosticCollection('broker-messages');
  const cache = new Map<string, { version: number; file: MessageFile }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const lensChanged = new vscode.EventEmitter<void>();

  const parsed = (doc: vscode.TextDocument): MessageFile => {
    const key = doc.uri.toString();
    const hit = cache.get(key);
    if (hit && hit.version === doc.version) {
      return hit.file;
    }
    const file = parseMessageFile(doc.getText());
    cache.set(key, { version: doc.version, file });
    return file;
  };

  const connections = () =>
    registry.list().map((c) => ({ name: c.profile.name, kind: c.profile.kind, ...(c.profile.kind === 'amqp' ? { vhost: c.profile.vhost } : {}) }));

  const diagnose = (doc: vscode.TextDocument): vscode.Diagnostic[] => {
    const file = parsed(doc);
    const problems = [...file.problems, ...checkMessageFile(file, { connections: connections(), maxPayloadBytes: payloadLimitBytes() })];
    const diagnostics = problems.map((p) => {
      const d = new vscode.Diagnostic(new vscode.Range(p.line, p.start, p.line, Math.max(p.start, p.end)), p.message, SEVERITY[p.severity]);
      d.source = 'broker-messages';
      d.code = p.code;
      return Object.assign(d, { suggestion: p.suggestion });
    });
    collection.set(doc.uri, diagnostics);
    return diagnostics;
  };

  const schedule = (doc: vscode.TextDocument, delay = 200): void => {
    if (doc.languageId !== MESSAGE_LANGUAGE_ID) {
      return;
    }
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (!doc.isClosed) {
          diagnose(doc);
        }
      }, delay),
    );
  };

  const disposables: vscode.Disposable[] = [
    collection,
    lensChanged,
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      collection.delete(d.uri);
      cache.delete(d.uri.toString());
    }),
    // Connections added, renamed or connected change what the file's names mean.
    registry.onDidChange(() => {
      for (const d of vscode.workspace.textDocuments) {
        schedule(d);
      }
      lensChanged.fire();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lensChanged.fire()),
  ];
  for (const d of vscode.workspace.textDocuments) {
    schedule(d, 0);
  }

  const findConnection = (name: string, kind: 'mqtt' | 'amqp'): BrokerConnection | undefined =>
    registry.list().find((c) => c.profile.name === name && c.profile.kind === kind);

  const env = (doc: Pick<vscode.TextDocument, 'uri'>) => ({
    readFile: (path: string) => readFileUpTo(path, payloadLimitBytes()),
    getEnv: (name: string) => process.env[name],
    now: () => new Date(),
    random: () => Math.random(),
    uuid: () => randomUUID(),
    baseDir: doc.uri.scheme === 'file' ? dirname(doc.uri.fsPath) : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd()),
    trusted: vscode.workspace.isTrusted,
    maxPayloadBytes: payloadLimitBytes(),
    ...(host.protobufTypes ? { protobufTypes: host.protobufTypes } : {}),
  });

  const blockAtLine = async (uri: vscode.Uri | undefined, requestLine: number | undefined): Promise<{ doc: vscode.TextDocument; file: MessageFile; block: MessageBlock }> => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== MESSAGE_LANGUAGE_ID) {
      throw new Error(vscode.l10n.t('Open a .mqtt or .amqp message file first.'));
    }
    const file = parsed(doc);
    const line = requestLine ?? vscode.window.activeTextEditor?.selection.active.line ?? 0;
    const block = file.blocks.find((b) => b.requestLine === line) ?? file.blocks.find((b) => b.range.startLine <= line && line <= b.range.endLine);
    if (!block) {
      throw new Error(vscode.l10n.t('No message at line {0}.', line + 1));
    }
    return { doc, file, block };
  };

  const connected = async (r: Pick<ResolvedMessage, 'connection' | 'kind' | 'vhost'>): Promise<BrokerConnection> => {
    const c = findConnection(r.connection, r.kind);
    if (!c) {
      throw new Error(vscode.l10n.t('No {0} connection named "{1}" in the Brokers view.', r.kind.toUpperCase(), r.connection));
    }
    // While an MQTT connection comes back by itself, QoS 1/2 wait in its outbox (sendDraft says so).
    if (c.state.kind !== 'connected' && !c.isReconnecting) {
      const state = await registry.connect(c.id);
      if (state.kind !== 'connected') {
        throw new Error(vscode.l10n.t('Could not connect to "{0}": {1}', c.profile.name, state.kind === 'failed' ? state.reason : state.kind));
      }
    }
    if (r.vhost !== undefined && c.profile.kind === 'amqp' && c.profile.vhost !== r.vhost) {
      throw new Error(vscode.l10n.t('"{0}" is connected to vhost {1}, the message asks for {2}.', c.profile.name, c.profile.vhost, r.vhost));
    }
    return c;
  };

  /** Sends a block (Repeat times, Interval apart); resolves with the outcome of each send. */
  const send = async (uri?: vscode.Uri, requestLine?: number): Promise<string[] | undefined> => {
    if (!vscode.workspace.isTrusted) {
      throw new Error(vscode.l10n.t('Message files do not send from an untrusted workspace: trust the folder first (nothing from it leaves this machine until then).'));
    }
    const { doc, file, block } = await blockAtLine(uri, requestLine);
    // `{{login.response.$.token}}`: the blocks it captures from run first (as tests), then this one is sent.
    const sendEnv = usesCaptures(file, block) ? { ...env(doc), captures: await tests.api.captures(doc.uri, file, block) } : env(doc);
    const first = resolveBlock(file, block, sendEnv);
    if ('error' in first) {
      throw new Error(first.error);
    }
    if (first.verb !== 'PUBLISH' || !first.draft) {
      throw new Error(vscode.l10n.t('This block subscribes: use Inspect.'));
    }
    const c = await connected(first);
    const outcomes: string[] = [];
    const label = block.name ?? `${first.draft.mqtt?.topic ?? first.draft.amqp?.exchange ?? ''}`;
    const run = async (token?: vscode.CancellationToken, progress?: vscode.Progress<{ message?: string; increment?: number }>): Promise<void> => {
      for (let i = 0; i < first.repeat && !token?.isCancellationRequested; i++) {
        // Each send resolves again: {{$uuid}} and {{$timestamp}} change every time.
        const r = i === 0 ? first : resolveBlock(file, block, sendEnv);
        if ('error' in r || !r.draft) {
          throw new Error('error' in r ? r.error : 'nothing to send');
        }
        const sp = host.sparkplug;
        const draft = r.encoding ? await encodeDraft(r.draft, r.encoding, sendEnv.protobufTypes, payloadLimitBytes(), sp ? { state: sp.state(c.id), simulate: sp.guard.simulate } : undefined) : r.draft;
        if ('error' in draft) {
          throw new Error(draft.error);
        }
        // Sparkplug B: an edge node's own messages only when simulating; a command confirmed once per edge node.
        const refusal = draft.mqtt && sp ? await sp.guard.check(draft.mqtt.topic) : undefined;
        if (refusal !== undefined) {
          throw new Error(refusal);
        }
        const problems = validateDraft(draft, c.profile.kind === 'mqtt' ? (c as MqttConnection).protocolVersion : undefined);
        if (problems.length) {
          throw new Error(problemsText(problems));
        }
        const outcome = await host.sendDraft(c, draft, { maxPayloadBytes: payloadLimitBytes() });
        outcomes.push(outcome.text);
        log.info(`Message file ${vscode.workspace.asRelativePath(doc.uri)}:${block.requestLine + 1} → "${c.profile.name}": ${outcome.text}`);
        if (!outcome.ok) {
          throw new Error(outcome.text);
        }
        progress?.report({ message: `${i + 1} / ${first.repeat}`, increment: 100 / first.repeat });
        if (i + 1 < first.repeat && first.intervalMs > 0) {
          // Cancel ends the wait too, not only the loop.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, first.intervalMs);
            token?.onCancellationRequested(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
      }
    };
    if (first.repeat > 1) {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: noLinks(vscode.l10n.t('Sending {0}', label)), cancellable: true }, (progress, token) => run(token, progress));
    } else {
      await run();
    }
    const last = outcomes[outcomes.length - 1] ?? '';
    vscode.window.setStatusBarMessage(`$(send) ${outcomes.length > 1 ? `${outcomes.length}× ` : ''}${last} — ${c.profile.name}`, 8000);
    return outcomes;
  };

  const inspect = async (uri?: vscode.Uri, requestLine?: number): Promise<boolean> => {
    const { doc, file, block } = await blockAtLine(uri, requestLine);
    const r = resolveBlock(file, block, env(doc));
    if ('error' in r) {
      throw new Error(r.error);
    }
    const c = await connected(r);
    if (r.kind === 'mqtt') {
      const filter = r.filter ?? r.draft?.mqtt?.topic;
      if (!filter) {
        throw new Error(vscode.l10n.t('No topic to inspect.'));
      }
      await panels.inspect({ kind: 'mqtt', brokerId: c.id, filter });
    } else {
      const exchange = r.exchange ?? r.draft?.amqp?.exchange ?? '';
      await panels.inspect({ kind: 'amqpTap', brokerId: c.id, vhost: (c as AmqpConnection).profile.vhost, exchange, pattern: r.filter ?? '#' });
    }
    return true;
  };

  const codeLens: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensChanged.event,
    provideCodeLenses(doc) {
      const file = parsed(doc);
      const trusted = vscode.workspace.isTrusted;
      return file.blocks.flatMap((b) => {
        const range = new vscode.Range(b.requestLine, 0, b.requestLine, 0);
        const c = findConnection(b.connection.name, b.scheme);
        // Lens titles render $(icons): a broker name is shown as typed.
        const where = c ? (c.state.kind === 'connected' ? '' : vscode.l10n.t(' (connects {0})', escapeIcons(c.profile.name))) : '';
        if (b.verb === 'SUBSCRIBE') {
          return [new vscode.CodeLens(range, { title: vscode.l10n.t('$(eye) Inspect{0}', where), command: INSPECT_BLOCK_COMMAND, arguments: [doc.uri, b.requestLine] })];
        }
        if (!trusted) {
          return [new vscode.CodeLens(range, { title: vscode.l10n.t('$(workspace-untrusted) Send is off in an untrusted workspace'), command: 'workbench.trust.manage' })];
        }
        const repeat = b.headers.find((h) => h.canonical === 'Repeat');
        const n = repeat ? Number(repeat.value) : 1;
        const lenses = [new vscode.CodeLens(range, { title: vscode.l10n.t('$(send) Send{0}', where), command: SEND_BLOCK_COMMAND, arguments: [doc.uri, b.requestLine] })];
        if (Number.isInteger(n) && n > 1) {
          lenses[0] = new vscode.CodeLens(range, { title: vscode.l10n.t('$(send) Send ×{0}{1}', n, where), command: SEND_BLOCK_COMMAND, arguments: [doc.uri, b.requestLine] });
        }
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('$(eye) Inspect'), command: INSPECT_BLOCK_COMMAND, arguments: [doc.uri, b.requestLine] }));
        if (b.expectations.length) {
          lenses.unshift(new vscode.CodeLens(range, { title: vscode.l10n.t('$(beaker) Run Test'), command: RUN_TEST_COMMAND, arguments: [doc.uri, b.requestLine] }));
        }
        return lenses;
      });
    },
  };

  const completion: vscode.CompletionItemProvider = {
    provideCompletionItems(doc, position) {
      const file = parsed(doc);
      const lineText = doc.lineAt(position.line).text;
      const ctx = completionContextAt(file, lineText, position.line, position.character);
      if (!ctx) {
        return undefined;
      }
      const range = new vscode.Range(position.line, ctx.start, position.line, position.character);
      const item = (label: string, kind: vscode.CompletionItemKind, detail?: string, insert?: string): vscode.CompletionItem => {
        const i = new vscode.CompletionItem(label, kind);
        i.range = range;
        i.detail = detail;
        if (insert !== undefined) {
          i.insertText = insert;
        }
        return i;
      };
      switch (ctx.kind) {
        case 'variable':
          return [
            ...variablesAt(file, position.line).map((v) => item(v.name, vscode.CompletionItemKind.Variable, v.value)),
            ...SYSTEM_VARIABLES.map((v) => item(v.name, vscode.CompletionItemKind.Function, v.doc, v.args.length ? `${v.name} ${v.args.join(' ')}` : v.name)),
          ];
        case 'verb':
          return ['PUBLISH', 'SUBSCRIBE'].flatMap((verb) =>
            registry.list().map((c) => item(`${verb} ${formatTargetUrl(c.profile.kind, c.profile.name, '')}`, vscode.CompletionItemKind.Keyword, c.profile.kind.toUpperCase())),
          );
        case 'connection':
          return registry
            .list()
            .filter((c) => c.profile.kind === ctx.scheme)
            .map((c) => {
              const url = formatTargetUrl(c.profile.kind, c.profile.name, '');
              // The name as the URL writes it (quoted when it must be), without scheme and trailing slash.
              return item(url.slice(`${ctx.scheme}://`.length, -1), vscode.CompletionItemKind.Reference, `${c.profile.host}:${c.profile.port}`);
            });
        case 'target': {
          const c = findConnection(ctx.connection, ctx.scheme);
          if (c?.profile.kind === 'mqtt') {
            const topics = (c as MqttConnection).topics;
            // Topic levels seen on the broker below what is typed so far.
            const typed = ctx.prefix.split('/');
            const parentPath = typed.slice(0, -1);
            const parent = parentPath.length ? topics.findPath(parentPath) : topics.root;
            const children = parent ? parent.sortedChildNodes() : [];
            return children.slice(0, 500).map((n) => item([...parentPath, n.name].join('/'), vscode.CompletionItemKind.Folder, `${n.subtreeMessages} messages`));
          }
          if (c?.profile.kind === 'amqp') {
            const amqp = c as AmqpConnection;
            const vhost = amqp.topology?.vhosts.find((v) => v.name === amqp.profile.vhost);
            return (vhost?.exchanges ?? []).map((e) => item(e.name, vscode.CompletionItemKind.Folder, e.type));
          }
          return undefined;
        }
        case 'headerName':
          return HEADER_NAMES.filter((h) => h.kinds.includes(ctx.scheme) && h.verbs.includes(ctx.block.verb)).map((h) => {
            const i = item(h.name, vscode.CompletionItemKind.Property, h.doc, `${h.name}: `);
            i.command = h.values?.length ? { command: 'editor.action.triggerSuggest', title: '' } : undefined;
            return i;
          });
        case 'headerValue': {
          const h = HEADER_NAMES.find((x) => x.name.toLowerCase() === ctx.header.toLowerCase());
          return (h?.values ?? []).map((v) => item(v, vscode.CompletionItemKind.EnumMember, h?.name));
        }
        case 'expectHeaderName':
          return EXPECT_HEADERS.filter((h) => h.kinds.includes(ctx.expectation.scheme)).map((h) => {
            const i = item(h.name, vscode.CompletionItemKind.Property, h.doc, `${h.name}: `);
            i.command = h.values?.length || h.name === 'Assert' ? { command: 'editor.action.triggerSuggest', title: '' } : undefined;
            return i;
          });
        case 'expectHeaderValue': {
          const h = findExpectHeader(ctx.header);
          return (h?.values ?? []).map((v) => item(v, vscode.CompletionItemKind.EnumMember, h?.name));
        }
        case 'jsonPath': {
          // The paths of the last message seen on the EXPECT's topic (the topic tree keeps it).
          const e = ctx.expectation;
          if (e.scheme !== 'mqtt' || e.target.missing || e.connection.name.includes('{{') || e.target.text.includes('{{')) {
            return undefined;
          }
          const c = findConnection(e.connection.name, 'mqtt');
          const found = c ? (c as MqttConnection).topics.lastMatching(e.target.text) : undefined;
          if (!found || found.message.payload.length < found.message.size) {
            return undefined;
          }
          let doc: unknown;
          try {
            doc = JSON.parse(new TextDecoder('utf-8').decode(found.message.payload));
          } catch {
            return undefined;
          }
          return jsonPathsOf(doc).map((p, k) => {
            const i = item(p.path, vscode.CompletionItemKind.Field, p.preview);
            i.documentation = vscode.l10n.t('In the last message on {0}', found.topic);
            i.sortText = String(k).padStart(4, '0');
            return i;
          });
        }
      }
      return undefined;
    },
  };

  const codeActions: vscode.CodeActionProvider = {
    provideCodeActions(doc, _range, context) {
      return context.diagnostics.flatMap((d) => {
        const suggestion = (d as vscode.Diagnostic & { suggestion?: string }).suggestion;
        if (d.source !== 'broker-messages' || !suggestion) {
          return [];
        }
        const action = new vscode.CodeAction(vscode.l10n.t('Change to "{0}"', suggestion), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, d.range, suggestion);
        action.isPreferred = true;
        return [action];
      });
    },
  };

  const tests = createMessageTests({
    log,
    controller: host.testController,
    parseDocument: parsed,
    parseText: parseMessageFile,
    env: (uri) => env({ uri }),
    connect: (name, kind) => connected({ connection: name, kind }),
    send: (c, draft, limits) => host.sendDraft(c, draft, limits ?? { maxPayloadBytes: payloadLimitBytes() }),
    limits: () => ({ maxPayloadBytes: payloadLimitBytes() }),
  });
  disposables.push(tests);

  const runTest = async (uri?: vscode.Uri, requestLine?: number): Promise<RecordedTestResult | undefined> => {
    const { doc, file, block } = await blockAtLine(uri, requestLine);
    return runBlockFromLens(tests.api, doc.uri, file, block.requestLine);
  };

  return {
    codeLens,
    completion,
    codeActions,
    send,
    inspect,
    diagnose,
    tests: tests.api,
    runTest,
    dispose: () => {
      timers.forEach((t) => clearTimeout(t));
      vscode.Disposable.from(...disposables.splice(0)).dispose();
    },
  };
}
