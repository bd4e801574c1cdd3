// Message files as tests in real VS Code (code-server): the Test Explorer's controller lists the
// fixture's blocks with EXPECT, runs them against the real Mosquitto, and reports pass, fail (with
// expected and actual values for the diff), the received messages and cancellation.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BrokerExplorerApi } from '../../src/extension';
import type { MessageTestsApi, RecordedTestResult } from '../../src/messageFiles/messageTests';
import { api, until } from './helpers';

const folder = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

describe('message file tests in the Test Explorer (real Mosquitto)', function () {
  this.timeout(60_000);
  let a: BrokerExplorerApi;
  let tests: MessageTestsApi;
  let id: string;
  let rabbit: string;
  const uri = () => vscode.Uri.file(join(folder(), 'messages/tests.mqtt'));
  const testId = (name: string) => `${uri().toString()}#name:${name}`;

  before(async () => {
    a = await api();
    id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'local', host: '127.0.0.1', port: 1883 });
    rabbit = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'local-rabbit', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    tests = await a.messages.tests();
  });

  after(async () => {
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', rabbit, { confirm: false });
  });

  it('lists each message file with expectations as a suite and each block with EXPECT as a test', async () => {
    const ids = await tests.discover();
    assert.ok(ids.includes(uri().toString()), ids.join('\n'));
    assert.ok(ids.includes(testId('reading comes back')), ids.join('\n'));
    assert.ok(ids.includes(testId('too hot')), ids.join('\n'));
    assert.ok(!ids.some((i) => i.includes('weather.mqtt')), 'a file without EXPECT is no suite');
  });

  it('runs a passing and a failing test: the failure carries expected and actual, the received messages are attached', async () => {
    const results = await tests.run([testId('reading comes back'), testId('too hot')]);
    const pass = results.find((r) => r.id === testId('reading comes back'));
    const fail = results.find((r) => r.id === testId('too hot'));
    assert.equal(pass?.outcome, 'passed', pass?.message);
    assert.ok((pass.durationMs ?? -1) >= 0);
    assert.match(pass.output, /be-it-tests\/station01\/temperature {2}\(QoS 1\)/);
    assert.match(pass.output, /"temperature": 25\.5/);
    assert.equal(fail?.outcome, 'failed');
    assert.match(fail.message!, /\$\.temperature > 30/);
    assert.equal(fail.expected, '$.temperature > 30');
    assert.equal(fail.actual, '$.temperature = 25.5');
    assert.match(fail.output, /✘/);
  });

  it('runs an AMQP test: the logs exchange tapped by routing key, the message in the output', async () => {
    const amqpFile = vscode.Uri.file(join(folder(), 'messages/tests.amqp'));
    const [r] = await tests.run([`${amqpFile.toString()}#name:logs routes info`]);
    assert.equal(r?.outcome, 'passed', r?.message);
    assert.match(r.output, /EXPECT amqp:\/\/local-rabbit \(Exchange: logs, Routing-Key: info\) — ✔ 1 message matched/);
    assert.match(r.output, /"from the Test Explorer"/);
  });

  it('the Run Test CodeLens runs its block, and a test is cancelled cleanly', async () => {
    const doc = await vscode.workspace.openTextDocument(uri());
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('PUBLISH mqtt://local/be-it-tests/station01'));
    const lens = lenses.find((l) => l.range.start.line === line && l.command?.title === '$(beaker) Run Test');
    assert.ok(lens, lenses.map((l) => `${l.range.start.line}:${l.command?.title}`).join(' | '));
    const r = await vscode.commands.executeCommand<RecordedTestResult>(lens.command!.command, ...(lens.command!.arguments as unknown[]));
    assert.equal(r.outcome, 'passed', r.message);

    const source = new vscode.CancellationTokenSource();
    const started = Date.now();
    setTimeout(() => source.cancel(), 700);
    const [slow] = await tests.run([testId('slow')], source.token);
    assert.equal(slow?.outcome, 'cancelled');
    assert.ok(Date.now() - started < 10_000, 'the 20 s wait ended at the cancel');
  });

  it('runs every test of the workspace from the Test Explorer (testing.runAll) and stops at Cancel (testing.cancelRun)', async () => {
    const ended = new Promise<RecordedTestResult[]>((resolve) => {
      const sub = tests.onDidEndRun((r) => {
        sub.dispose();
        resolve(r);
      });
    });
    const earlier = tests.results.get(testId('too hot'));
    void vscode.commands.executeCommand('testing.runAll');
    // Files run in path order (tests.amqp, then tests.mqtt) and blocks in file order: the quick
    // tests finish first; the slow one then waits 20 s unless cancelled.
    await until(() => tests.results.get(testId('too hot')) !== earlier && tests.results.get(testId('too hot'))?.outcome === 'failed', 'the quick tests ran', 20_000);
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand('testing.cancelRun');
    const results = await ended;
    const by = new Map(results.map((r) => [r.id, r.outcome]));
    assert.equal(by.get(testId('reading comes back')), 'passed');
    assert.equal(by.get(testId('too hot')), 'failed');
    assert.equal(by.get(testId('slow')), 'cancelled');
    assert.equal(by.get(`${vscode.Uri.file(join(folder(), 'messages/tests.amqp')).toString()}#name:logs routes info`), 'passed', 'the .amqp file is a suite of the run too');
  });
});
