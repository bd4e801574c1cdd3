// Message files as tests in real VS Code (code-server): the Test Explorer's controller lists the
// fixture's blocks with EXPECT, runs them against the real Mosquitto, and reports pass, fail (with
// expected and actual values for the diff), the received messages and cancellation.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

// The "done when": examples/ runs green from the Test Explorer, as it does from the CLI
// (test/unit/examples.test.ts). The files are copied into the workspace unchanged; the examples'
// responder runs in a process of its own, stopped by PID.
describe('examples/ from the Test Explorer (real Mosquitto and RabbitMQ)', function () {
  this.timeout(90_000);
  const EXAMPLES = resolve(__dirname, '../../../examples');
  let a: BrokerExplorerApi;
  let tests: MessageTestsApi;
  let ids: string[] = [];
  let copy: string;
  let responder: ChildProcess | undefined;

  before(async () => {
    a = await api();
    ids = [
      await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'local', host: '127.0.0.1', port: 1883 }),
      await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'local-rabbit', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' }),
    ];
    copy = join(folder(), `be-examples-${process.pid}`);
    mkdirSync(copy, { recursive: true });
    for (const f of readdirSync(EXAMPLES).filter((n) => /\.(mqtt|amqp)$/.test(n))) {
      copyFileSync(join(EXAMPLES, f), join(copy, f));
    }
    responder = spawn(process.execPath, ['responder.mjs'], { cwd: EXAMPLES, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((ok, fail) => {
      responder!.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok());
      responder!.on('exit', (code) => fail(new Error(`the responder exited (${code})`)));
    });
    tests = await a.messages.tests();
  });

  after(async () => {
    if (responder?.pid && responder.exitCode === null) {
      process.kill(responder.pid, 'SIGTERM');
    }
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    rmSync(copy, { recursive: true, force: true });
  });

  it('lists every example and runs them all green, the login capture included', async () => {
    const base = vscode.Uri.file(copy).toString();
    const listed = await until(async () => {
      const all = (await tests.discover()).filter((id) => id.startsWith(base) && id.includes('#'));
      return all.length >= 7 ? all : undefined;
    }, 'the examples listed');
    assert.equal(listed.length, 7, listed.join('\n'));
    const results = await tests.run(listed);
    const bad = results.filter((r) => r.outcome !== 'passed').map((r) => `${r.id}: ${r.outcome} ${r.message ?? ''}`);
    assert.deepEqual(bad, []);
    assert.equal(results.filter((r) => listed.includes(r.id)).length, 7);
    assert.ok(results.some((r) => r.id.endsWith('login.mqtt#name:profile') && r.outcome === 'passed'), 'profile ran with the token login captured');
  });
});
