import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import { api } from '../integration/helpers';

describe('message file tests in an untrusted folder', function () {
  this.timeout(30_000);

  it('does not run them: each test says why, and nothing is sent', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const a = await api();
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'local', host: '127.0.0.1', port: 1883 });
    const topic = `be-untrusted-tests/${process.pid}`;
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'checks.mqtt');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`### echo\nPUBLISH mqtt://local/${topic}\n\nhello\n\nEXPECT mqtt://local/${topic}\nWithin: 1s\n`));
    const watcher = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    const seen: string[] = [];
    watcher.on('message', (t) => seen.push(t));
    try {
      await watcher.subscribeAsync(topic);
      const tests = await a.messages.tests();
      const ids = await tests.discover();
      const testId = `${uri.toString()}#name:echo`;
      assert.ok(ids.includes(testId), ids.join('\n'));
      const [r] = await tests.run([testId]);
      assert.equal(r?.outcome, 'untrusted');
      assert.match(r.message!, /do not run in an untrusted workspace/);
      await new Promise((res) => setTimeout(res, 500));
      assert.deepEqual(seen, [], 'nothing was published');
    } finally {
      await watcher.endAsync();
      await vscode.workspace.fs.delete(uri);
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
  });
});
