// Runs last (name order): it leaves a modal dialog open, which no extension-host API can answer.
// An acting Language Model tool invoked outside a chat (vscode.lm.invokeTool without a
// toolInvocationToken, as another extension would) gets no confirmation from VS Code 1.139; it asks
// itself, with the same text, and sends nothing while unanswered.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import { api, until } from './helpers';

describe('Language Model tools outside a chat', function () {
  this.timeout(30_000);

  it('an acting tool asks in a modal dialog with the confirmation text and sends nothing until answered', async () => {
    const a = await api();
    const topic = `be-lm-outside/${process.pid}-${Date.now().toString(36)}`;
    await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'outside chat', host: '127.0.0.1', port: 1883 });
    const watcher = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    let received = 0;
    watcher.on('message', () => received++);
    await watcher.subscribeAsync(topic);
    const cts = new vscode.CancellationTokenSource();
    void vscode.lm.invokeTool('brokerExplorer_publish', { input: { broker: 'outside chat', topic, payload: 'hello' }, toolInvocationToken: undefined }, cts.token).then(
      () => undefined,
      () => undefined,
    );
    const shown = await until(() => a.testing?.notifications().find((n) => n.message === 'Publish to MQTT broker?'), 'the confirmation dialog');
    assert.equal(shown.severity, 'warning');
    assert.deepEqual(shown.actions, ['Go Ahead']);
    assert.match(shown.detail ?? '', new RegExp(`^Publish to MQTT broker \`outside chat\` \\(127\\.0\\.0\\.1:1883\\), topic \`${topic}\`:\\n- QoS 0 \\(no acknowledgement\\)\\n- not retained`));
    assert.match(shown.detail ?? '', /- payload: 5 bytes\n\n```text\nhello\n```/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(received, 0, 'nothing is sent while the question is open');
    await watcher.endAsync();
  });
});
