// JSON-path completion in an EXPECT's Assert line, in real VS Code (code-server): the paths come
// from the last message the topic tree saw on the EXPECT's topic — here a retained JSON message on
// the real Mosquitto, which the connection receives when it subscribes.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import { until } from './helpers';

describe('JSON-path completion in EXPECT assertions (real Mosquitto)', function () {
  this.timeout(60_000);
  const topic = `be-it-complete-${process.pid}/station01/reading`;
  let broker: string;
  let client: mqtt.MqttClient;

  before(async () => {
    client = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await client.publishAsync(topic, JSON.stringify({ status: 'ok', temperature: { value: 21.5, unit: 'C' }, readings: [{ at: 1 }] }), { qos: 1, retain: true });
    broker = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'local', host: '127.0.0.1', port: 1883 });
  });

  after(async () => {
    await client.publishAsync(topic, '', { qos: 1, retain: true });
    await client.endAsync();
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', broker, { confirm: false });
  });

  it('offers the paths of the retained message on the EXPECT topic, filtered as you type', async () => {
    const text = `PUBLISH mqtt://local/be-it-complete-${process.pid}/cmd\n\nx\n\nEXPECT mqtt://local/be-it-complete-${process.pid}/+/reading\nAssert: $.tem\n`;
    const doc = await vscode.workspace.openTextDocument({ language: 'broker-messages', content: text });
    const position = new vscode.Position(5, 'Assert: $.tem'.length);
    const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
    let items: vscode.CompletionItem[] = [];
    await until(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
        items = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Field);
        return items.length > 0;
      },
      'the retained message reached the topic tree',
      20_000,
    );
    const labels = items.map(label);
    assert.deepEqual(labels, ['$.status', '$.temperature', '$.temperature.value', '$.temperature.unit', '$.readings', '$.readings[0]', '$.readings[0].at']);
    const value = items.find((i) => label(i) === '$.temperature.value')!;
    assert.equal(value.detail, '21.5');
    const range = value.range as vscode.Range;
    assert.equal(range.start.character, 'Assert: '.length, 'it replaces the path typed so far');
  });

  it('offers nothing for a topic no message was seen on', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'broker-messages', content: `PUBLISH mqtt://local/a\n\nx\n\nEXPECT mqtt://local/be-it-never-${process.pid}/#\nAssert: $.\n` });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(5, 'Assert: $.'.length));
    assert.deepEqual(list.items.filter((i) => i.kind === vscode.CompletionItemKind.Field).map((i) => i.label), []);
  });
});
