import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BrokerExplorerApi } from '../../src/extension';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { api, until } from './helpers';

const folder = (): string => {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the test workspace is open');
  return f.uri.fsPath;
};

const hoverText = (hovers: vscode.Hover[]): string =>
  hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');

describe('mosquitto.conf language in the extension host', function () {
  this.timeout(60_000);
  let a: BrokerExplorerApi;

  before(async () => {
    a = await api();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('claims mosquitto.conf and *.conf under mosquitto/, and leaves other .conf files alone', async () => {
    const demo = await vscode.workspace.openTextDocument(join(folder(), 'mosquitto/lint-demo.conf'));
    assert.equal(demo.languageId, 'mosquitto-conf');
    const nginx = await vscode.workspace.openTextDocument(join(folder(), 'nginx/site.conf'));
    assert.notEqual(nginx.languageId, 'mosquitto-conf');
  });

  it('shows diagnostics at the right lines, with a did-you-mean quick fix that applies', async () => {
    const doc = await vscode.workspace.openTextDocument(join(folder(), 'mosquitto/lint-demo.conf'));
    await vscode.window.showTextDocument(doc);
    const diagnostics = await until(() => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length ? d : undefined;
    }, 'diagnostics for lint-demo.conf');
    const at = (line: number, severity: vscode.DiagnosticSeverity): vscode.Diagnostic | undefined =>
      diagnostics.find((d) => d.range.start.line === line && d.severity === severity);
    const typo = at(4, vscode.DiagnosticSeverity.Error);
    assert.ok(typo, `an error on allow_anonymus (line 5); got ${diagnostics.map((d) => `${d.range.start.line}:${d.message}`).join(' | ')}`);
    assert.match(typo.message, /allow_anonymous/);
    assert.deepEqual([typo.range.start.character, typo.range.end.character], [0, 'allow_anonymus'.length]);
    assert.ok(at(9, vscode.DiagnosticSeverity.Error), 'require_certificate maybe is refused');
    assert.ok(at(11, vscode.DiagnosticSeverity.Error), 'a bridge option without a connection is refused');
    assert.ok(at(12, vscode.DiagnosticSeverity.Warning), 'port is deprecated');
    assert.equal(typo.source, 'mosquitto-lint');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, typo.range);
    const fix = actions.find((x) => x.title.includes('allow_anonymous') && x.edit);
    assert.ok(fix?.edit, `a quick fix; got ${actions.map((x) => x.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(4).text, 'allow_anonymous true');
    await until(() => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.range.start.line === 4 && d.severity === vscode.DiagnosticSeverity.Error), 'the error to go once fixed');
  });

  it('hovers with the option’s documentation, default and scope', async () => {
    const doc = await vscode.workspace.openTextDocument(join(folder(), 'mosquitto/lint-demo.conf'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 5));
    const text = hoverText(hovers);
    assert.match(text, /per_listener_settings/);
    assert.match(text, /Default/);
    const none = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 5));
    assert.doesNotMatch(hoverText(none), /Scope/, 'no option docs on a comment');
  });

  it('completes option names and values, outlines listeners and offers snippets', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'mosquitto-conf', content: 'listener 1883\nprot\nallow_anonymous \n' });
    const names = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 4));
    const labels = names.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('protocol'), 'option names');
    // Snippets come from VS Code's snippet provider, matched on their prefixes: ask on an empty line.
    const empty = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(3, 0));
    const snippets = empty.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(snippets.includes('listener-websockets') && snippets.includes('bridge'), `snippets; got ${snippets.join(', ')}`);
    const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(2, 16));
    const valueLabels = values.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(valueLabels.includes('true') && valueLabels.includes('false'), `boolean values; got ${valueLabels.slice(0, 10).join(', ')}`);

    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(symbols.some((s) => s.name.startsWith('Listener 1883')), `outline; got ${symbols.map((s) => s.name).join(', ')}`);
  });

  describe('on a running broker’s own config', () => {
    let broker: PrivateBroker;
    let pwDir: string;

    before(async () => {
      broker = await startPrivateMosquitto({ users: { alice: 's3cret-listener' } });
      pwDir = mkdtempSync(join(tmpdir(), 'be-pw-'));
    });

    after(async () => {
      for (const c of a.registry.list().filter((c) => c.profile.port === broker.port)) {
        await vscode.commands.executeCommand('brokerExplorer.removeBroker', c.id, { confirm: false });
      }
      await broker?.dispose();
      rmSync(pwDir, { recursive: true, force: true });
    });

    it('reports no error for a config mosquitto runs, and its CodeLens connects to the listener', async () => {
      const doc = await vscode.workspace.openTextDocument(join(broker.dir, 'mosquitto.conf'));
      assert.equal(doc.languageId, 'mosquitto-conf');
      const errors = (await a.conf.lintNow(doc)).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(errors.map((d) => d.message), [], 'mosquitto accepts this config');

      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      const lens = lenses.find((l) => l.command?.command === 'brokerExplorer.connectToListener');
      assert.ok(lens?.command, `a Connect lens; got ${lenses.map((l) => l.command?.title).join(', ')}`);
      assert.equal(doc.lineAt(lens.range.start.line).text.split(' ')[1], String(broker.port), 'on the listener line');
      const args: unknown[] = [...((lens.command.arguments ?? []) as unknown[]), { username: 'alice', password: 's3cret-listener' }];
      const id = await vscode.commands.executeCommand<string>(lens.command.command, ...args);
      const connection = a.registry.get(id);
      assert.ok(connection, 'a connection was added');
      assert.equal(connection.profile.host, '127.0.0.1');
      assert.equal(connection.profile.port, broker.port);
      await until(() => connection.state.kind === 'connected', 'the new connection to connect');
    });

    it('creates a missing password file with mosquitto_passwd', async () => {
      const path = join(pwDir, 'passwd');
      const created = await vscode.commands.executeCommand<string>('brokerExplorer.createPasswordFile', path, undefined, { username: 'bob', password: 'pw-for-bob' });
      assert.equal(created, path);
      assert.ok(existsSync(path));
      assert.match(readFileSync(path, 'utf8'), /^bob:\$7\$/, 'a hashed entry, not the password');
      assert.doesNotMatch(readFileSync(path, 'utf8'), /pw-for-bob/);
    });
  });
});
