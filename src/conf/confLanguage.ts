// mosquitto.conf in the editor: debounced diagnostics, hovers, completion, outline, quick fixes and
// a "Connect to this listener" CodeLens. All the knowledge is in src/core/conf; this is glue.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { findOption, lintConf, nodeFs, parseConf } from '../core/conf';
import { completionsAt, optionMarkdown, outline, placeAt, type OutlineEntry } from '../core/conf/assist';
import { cannotConnect, listenerTarget } from '../core/conf/listenerProfile';
import type { ConfDiagnostic, ConfFix, ListenerSection, Span } from '../core/conf/types';
import { newProfileId, type MqttProfile } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import { guarded, type Logger } from '../shared/log';
import { lintDelayMs } from './confDelay';
import { CONNECT_LISTENER_COMMAND, CREATE_PASSWORD_FILE_COMMAND, LANGUAGE_ID } from './confIds';
import { showInfo } from '../shared/notify';
import { configureCoreL10n } from '../shared/l10n';


const SEVERITY: Record<ConfDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function toRange(span: Span): vscode.Range {
  return new vscode.Range(span.line, span.start, span.line, Math.max(span.start, span.end));
}

/** Diagnostics carry their fixes so the code action provider needs no second lint. */
class ConfVsDiagnostic extends vscode.Diagnostic {
  constructor(
    readonly source_: ConfDiagnostic,
    readonly fixes: readonly ConfFix[],
  ) {
    super(toRange(source_.span), source_.message, SEVERITY[source_.severity]);
    this.source = 'mosquitto-lint';
    this.code = source_.code;
  }
}

/** Where `mosquitto_passwd` is (PATH, then /usr/sbin, often not on a user's PATH). */
function findOnPath(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin'];
  return dirs.map((dir) => join(dir, command)).find((candidate) => existsSync(candidate));
}

/** Remembered once found: code actions are asked for at every cursor move over a diagnostic. */
let mosquittoPasswd: string | undefined;
function mosquittoPasswdPath(): string | undefined {
  mosquittoPasswd ??= findOnPath('mosquitto_passwd');
  return mosquittoPasswd;
}

/**
 * Lints open mosquitto.conf documents. Diagnostics of files pulled in by `include_dir` go to those
 * files' URIs too (merged with what linting them on their own finds).
 */
class ConfDiagnostics implements vscode.Disposable {
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
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path;
    const started = Date.now();
    let result;
    try {
      result = lintConf(doc.getText(), { file, fs: doc.uri.scheme === 'file' ? nodeFs : undefined });
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

function docFile(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path;
}

const hoverProvider: vscode.HoverProvider = {
  provideHover(doc, position) {
    const parsed = parseConf(doc.lineAt(position.line).text, docFile(doc));
    const place = placeAt(parsed, 0, position.character);
    if (!place) {
      return undefined;
    }
    const name = place.line.name?.text ?? '';
    const info = findOption(name);
    if (!info) {
      return undefined;
    }
    const range = new vscode.Range(position.line, place.token.start, position.line, place.token.end);
    const md = new vscode.MarkdownString(optionMarkdown(info));
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, range);
  },
};

const completionProvider: vscode.CompletionItemProvider = {
  provideCompletionItems(doc, position) {
    const parsed = parseConf(doc.getText(), docFile(doc));
    const lineText = doc.lineAt(position.line).text;
    const c = completionsAt(parsed, position.line, position.character, lineText);
    if (!c) {
      return undefined;
    }
    const range = toRange(c.span);
    if (c.kind === 'value') {
      return c.values.map((v) => {
        const item = new vscode.CompletionItem(v, vscode.CompletionItemKind.EnumMember);
        item.range = range;
        item.detail = c.option.name;
        return item;
      });
    }
    return c.options.map(({ info, rank }) => {
      const item = new vscode.CompletionItem(info.name, vscode.CompletionItemKind.Property);
      item.range = range;
      item.detail = info.syntax;
      item.documentation = new vscode.MarkdownString(optionMarkdown(info));
      item.sortText = `${rank}${info.name}`;
      item.insertText = info.name + ' ';
      if (info.deprecated) {
        item.tags = [vscode.CompletionItemTag.Deprecated];
      }
      if (info.values?.length || /true \| false|true\|false/.test(info.syntax)) {
        item.command = { command: 'editor.action.triggerSuggest', title: vscode.l10n.t('Suggest values') };
      }
      return item;
    });
  },
};

const SYMBOL_KIND: Record<OutlineEntry['kind'], vscode.SymbolKind> = {
  listener: vscode.SymbolKind.Interface,
  bridge: vscode.SymbolKind.Module,
  option: vscode.SymbolKind.Property,
};

function toSymbol(doc: vscode.TextDocument, e: OutlineEntry): vscode.DocumentSymbol {
  const end = doc.lineAt(Math.min(e.range.end, doc.lineCount - 1)).range.end;
  const range = new vscode.Range(e.range.start, 0, end.line, end.character);
  const selection = toRange(e.selection);
  const symbol = new vscode.DocumentSymbol(e.label, e.detail, SYMBOL_KIND[e.kind], range, range.contains(selection) ? selection : range);
  symbol.children = e.children.map((c) => toSymbol(doc, c));
  return symbol;
}

const symbolProvider: vscode.DocumentSymbolProvider = {
  provideDocumentSymbols(doc) {
    return outline(parseConf(doc.getText(), docFile(doc))).map((e) => toSymbol(doc, e));
  },
};


const codeLensProvider: vscode.CodeLensProvider = {
  provideCodeLenses(doc) {
    const parsed = parseConf(doc.getText(), docFile(doc));
    const lenses: vscode.CodeLens[] = [];
    parsed.sections.forEach((s, index) => {
      if (s.kind !== 'listener') {
        return;
      }
      const why = cannotConnect(s);
      const range = new vscode.Range(s.line, 0, s.line, 0);
      lenses.push(
        new vscode.CodeLens(
          range,
          why
            ? { title: vscode.l10n.t('Cannot connect from here: {0}', why), command: '' }
            : {
                title: vscode.l10n.t('$(plug) Connect to this listener'),
                tooltip: vscode.l10n.t('Add an MQTT connection for port {0} and connect', s.port),
                command: CONNECT_LISTENER_COMMAND,
                arguments: [doc.uri, index],
              },
        ),
      );
    });
    return lenses;
  },
};

function codeActions(doc: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  for (const d of diagnostics) {
    if (!(d instanceof ConfVsDiagnostic)) {
      continue;
    }
    for (const fix of d.fixes) {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      if (fix.kind === 'replace') {
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, toRange(fix.span), fix.text);
        action.isPreferred = d.fixes.length === 1;
      } else {
        if (!mosquittoPasswdPath()) {
          continue;
        }
        action.command = { command: CREATE_PASSWORD_FILE_COMMAND, title: fix.title, arguments: [fix.path, doc.uri] };
      }
      actions.push(action);
    }
  }
  return actions;
}

/** `mosquitto_passwd -c FILE USER`, with the password given on its standard input (never on the command line). */
export function runMosquittoPasswd(binary: string, file: string, username: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, ['-c', file, username], { timeout: 15_000 }, (error, _stdout, stderr) => {
      if (error) {
        const said = stderr.replace(/(Reenter password|Password): ?/g, '').trim();
        reject(new Error(said || error.message));
      } else {
        resolve();
      }
    });
    child.stdin?.end(`${password}\n${password}\n`);
  });
}

/** Everything the mosquitto.conf support does; registered by confLanguageLazy.ts, loaded on first need. */
export interface ConfFeatures extends vscode.Disposable {
  hover: vscode.HoverProvider;
  completion: vscode.CompletionItemProvider;
  symbols: vscode.DocumentSymbolProvider;
  codeLens: vscode.CodeLensProvider;
  codeActions: vscode.CodeActionProvider;
  connectToListener(uri?: vscode.Uri, index?: number, args?: { username?: string; password?: string }): Promise<string | undefined>;
  createPasswordFile(path: string, uri?: vscode.Uri, args?: { username?: string; password?: string }): Promise<string | undefined>;
  /** Lint a document now (tests; the editor lints on its own, debounced). */
  lintNow(doc: vscode.TextDocument): vscode.Diagnostic[];
}

export function createConfFeatures(registry: BrokerRegistry, log: Logger): ConfFeatures {
  // dist/conf.js has its own copy of @vscode/l10n (the linter's messages): configure it too.
  configureCoreL10n();
  const diagnostics = new ConfDiagnostics(log);

  const connectToListener = guarded(log, 'Connect to this listener', async (uri?: vscode.Uri, index?: number, args: { username?: string; password?: string } = {}) => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) {
      return undefined;
    }
    const parsed = parseConf(doc.getText(), docFile(doc));
    const section = parsed.sections[index ?? -1] as ListenerSection | undefined;
    if (!section || section.kind !== 'listener') {
      throw new Error(vscode.l10n.t('That listener is no longer in the file.'));
    }
    const why = cannotConnect(section);
    if (why) {
      throw new Error(vscode.l10n.t('Cannot connect to {0}.', why));
    }
    const target = listenerTarget(parsed, section, docFile(doc));
    const existing = registry
      .list()
      .find((c) => c.profile.kind === 'mqtt' && c.profile.host === target.host && c.profile.port === target.port && (c.profile.protocol ?? 'mqtt') === target.protocol);
    if (existing) {
      log.info(`Listener ${target.host}:${target.port} is already the broker "${existing.profile.name}": connecting it`);
      await registry.connect(existing.id);
      await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
      return existing.id;
    }
    let username = args.username;
    let password = args.password;
    if (target.needsCredentials && username === undefined) {
      username = await vscode.window.showInputBox({
        title: target.name,
        prompt: vscode.l10n.t('This listener authenticates clients: username'),
        ignoreFocusOut: true,
      });
      if (username === undefined) {
        return undefined;
      }
      password = await vscode.window.showInputBox({
        title: target.name,
        prompt: vscode.l10n.t('Password for {0} (kept in VS Code secret storage)', username),
        password: true,
        ignoreFocusOut: true,
      });
      if (password === undefined) {
        return undefined;
      }
    }
    const profile: MqttProfile = {
      kind: 'mqtt',
      id: newProfileId('mqtt'),
      name: target.name,
      host: target.host,
      port: target.port,
      protocol: target.protocol,
      username: username || undefined,
      tls: target.tls,
    };
    const connection = await registry.add(profile, password || undefined);
    log.info(`Added MQTT broker "${profile.name}" from ${docFile(doc)}`);
    await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
    const state = await registry.connect(connection.id);
    if (state.kind === 'failed') {
      void log.showError(vscode.l10n.t('Could not connect to "{0}": {1}', profile.name, state.reason));
    } else if (target.needsClientCertificate) {
      void showInfo(vscode.l10n.t('This listener asks for a client certificate: set it with Edit Broker.'));
    }
    return connection.id;
  });

  const createPasswordFile = guarded(log, 'Create password file', async (path: string, uri?: vscode.Uri, args: { username?: string; password?: string } = {}) => {
    const binary = mosquittoPasswdPath();
    if (!binary) {
      throw new Error(vscode.l10n.t('mosquitto_passwd is not installed (it comes with the mosquitto package).'));
    }
    const username =
      args.username ??
      (await vscode.window.showInputBox({ title: vscode.l10n.t('Create {0}', path), prompt: vscode.l10n.t('First user of the password file'), ignoreFocusOut: true, validateInput: (v) => (/^[^:\s]+$/.test(v) ? undefined : vscode.l10n.t('A username without spaces or colons')) }));
    if (!username) {
      return undefined;
    }
    const password =
      args.password ??
      (await vscode.window.showInputBox({ title: vscode.l10n.t('Create {0}', path), prompt: vscode.l10n.t('Password for {0}', username), password: true, ignoreFocusOut: true }));
    if (!password) {
      return undefined;
    }
    await runMosquittoPasswd(binary, path, username, password);
    log.info(`Created password file ${path} with user ${username}`);
    void showInfo(vscode.l10n.t('Created {0} with user {1}.', path, username));
    const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) {
      diagnostics.lint(doc);
    }
    return path;
  });

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
