// Captures in real VS Code (code-server) against the real Mosquitto: a login-like service of the
// test's own answers a token, and the next block sends it back. Run Test on the second block alone
// (through the Test Explorer's run) runs the login first; Send on it does too.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MessageTestsApi } from '../../src/messageFiles/messageTests';
import { loginMessageFile, startLoginResponder } from '../support/messageFiles';
import { api, until } from './helpers';

describe('message file captures in VS Code (real Mosquitto)', function () {
  this.timeout(60_000);
  const prefix = `be-it-captures-${process.pid}`;
  const path = () => join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, `messages/captures-${process.pid}.mqtt`);
  const uri = () => vscode.Uri.file(path());
  const testId = (name: string) => `${uri().toString()}#name:${name}`;
  let broker: string;
  let tests: MessageTestsApi;
  let responder: Awaited<ReturnType<typeof startLoginResponder>>;

  before(async () => {
    const a = await api();
    broker = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'local', host: '127.0.0.1', port: 1883 });
    responder = await startLoginResponder(prefix);
    writeFileSync(path(), loginMessageFile(prefix, ['Within: 3s', 'Assert: exists $.token'], ['Within: 3s', 'Assert: $.authorized == true', 'Assert: $.user == "{{login.response.$.user}}"']));
    tests = await a.messages.tests();
    await tests.discover();
  });

  after(async () => {
    rmSync(path(), { force: true });
    await responder?.stop();
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', broker, { confirm: false });
  });

  it('a typo in a capture is a diagnostic as you type', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'broker-messages', content: '### login\nPUBLISH mqtt://local/a\n\nx\n\nEXPECT mqtt://local/b\n\n### next\nPUBLISH mqtt://local/c\n\n{{logn.response.$.token}}\n\nEXPECT mqtt://local/d\n' });
    const diagnostics = await a.messages.diagnose(doc);
    const d = diagnostics.find((x) => x.code === 'unknown-capture');
    assert.ok(d, diagnostics.map((x) => `${x.range.start.line}:${JSON.stringify(x.code)}`).join(', '));
    assert.equal(d.range.start.line, 10);
    assert.match(d.message, /did you mean "login"/);
  });

  it('running the second block alone in the Test Explorer runs the login first and sends the token it received', async () => {
    const { issued, profiles } = responder;
    const before = issued.length;
    const results = await tests.run([testId('profile')]);
    assert.deepEqual(
      results.map((r) => `${r.label}:${r.outcome}`),
      ['login:passed', 'profile:passed'],
      results.map((r) => r.message ?? '').join(' | '),
    );
    assert.equal(issued.length, before + 1, 'one login');
    assert.equal(profiles[profiles.length - 1], issued[issued.length - 1], 'the profile request carried the token login received');
    assert.equal(tests.results.get(testId('login'))?.outcome, 'passed', 'the login shows as run in the Test Explorer');
  });

  it('Send on the second block runs the login first, then sends with the captured token', async () => {
    const doc = await vscode.workspace.openTextDocument(uri());
    const line = doc.getText().split('\n').indexOf(`PUBLISH mqtt://local/${prefix}/profile`);
    const { issued, profiles } = responder;
    const before = profiles.length;
    const outcomes = await vscode.commands.executeCommand<string[] | undefined>('brokerExplorer.sendMessage', doc.uri, line);
    assert.ok(outcomes?.length === 1, String(outcomes));
    await until(() => profiles.length === before + 1, 'the responder got the profile request', 10_000);
    assert.equal(profiles[profiles.length - 1], issued[issued.length - 1]);
    assert.match(profiles[profiles.length - 1]!, /^tk-\d+-/);
  });
});
