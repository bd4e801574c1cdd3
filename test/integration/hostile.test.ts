// Hostile inputs in the real extension host (issue 17): each test feeds what once froze or
// exhausted the host — deeply nested JSON, 32,000-level topics, variables that double 24 times,
// a body read from /dev/zero — and asserts that the work completes with the limit said in words,
// and that the UI still answers (a command round-trip). No wall-clock bounds: the host's lag under
// these inputs is a bench figure.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { MqttTreeNode } from '../../src/mqtt/mqttTree';
import type { BrokerExplorerApi } from '../../src/extension';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { startScriptedBroker } from '../support/scriptedBroker';
import { api, until } from './helpers';

describe('hostile inputs in the extension host', function () {
  this.timeout(120_000);
  let broker: PrivateBroker;
  let a: BrokerExplorerApi;
  let connection: MqttConnection;
  let publisher: mqtt.MqttClient;
  const name = `hostile ${process.pid}`;

  /** The UI still answers: a command runs and its effect is seen (the clipboard holds the topic). */
  const roundTrip = async (node: MqttTreeNode, topic: string): Promise<void> => {
    await vscode.commands.executeCommand('brokerExplorer.copyTopic', node);
    assert.equal(await vscode.env.clipboard.readText(), topic);
  };

  before(async () => {
    broker = await startPrivateMosquitto();
    a = await api();
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name, host: '127.0.0.1', port: broker.port });
    connection = a.registry.get(id) as MqttConnection;
    await until(() => connection.state.kind === 'connected', 'connected');
    publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
  });

  after(async () => {
    await publisher?.endAsync();
    if (connection) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', connection.id, { confirm: false });
    }
    await broker?.dispose();
  });

  it('a 960 KB payload of deeply nested arrays renders its row and its tooltip, bounded by what they show', async () => {
    const topic = 'hostile/nested';
    const payload = `[${Array.from({ length: 120 }, () => '['.repeat(4000) + ']'.repeat(4000)).join(',')}]`;
    assert.ok(payload.length > 900_000);
    await publisher.publishAsync(topic, payload);
    const node = await until(() => connection.topics.find(topic), 'the payload in the topic model');
    const item = a.mqttTree.getTreeItem(node);
    assert.equal(item.tooltip, undefined, 'the tooltip is not built on every render');
    const resolved = a.mqttTree.resolveTreeItem(item, node);
    const tooltip = (resolved.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.length < 10_000, `a tooltip of ${tooltip.length} characters`);
    assert.match(tooltip, /\[\n {2}\[\n {4}\[/, 'the JSON indented as far as it is shown');
    await roundTrip(node, topic);
  });

  it('50 messages on 32,000-level topics: the tree keeps to its share of the budget, says what it did not add, and search and Delete Retained Below still work', async () => {
    // Mosquitto drops topics deeper than 200 levels and aedes refuses them; a broker elsewhere may
    // not, so a scripted MQTT peer delivers them over TCP.
    const deepTopics = Array.from({ length: 50 }, (_, m) => ({ topic: `deep${m}/${Array.from({ length: 31_999 }, () => 'a').join('/')}`, payload: 'x' }));
    const peer = await startScriptedBroker(() => deepTopics);
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: `${name} deep`, host: '127.0.0.1', port: peer.port });
    const deepBroker = a.registry.get(id) as MqttConnection;
    try {
      await until(() => deepBroker.state.kind === 'connected', 'connected to the scripted peer');
      const model = deepBroker.topics;
      const deepShown = () => [...(model.root.children?.keys() ?? [])].filter((k) => k.startsWith('deep')).length;
      await until(() => deepShown() + model.messagesNotShown >= 50, 'all 50 counted', 60_000);
      assert.equal(deepShown() + model.topicsNotShown, 50, 'each topic is in the tree or counted as not shown');
      assert.ok(model.topicsNotShown > 0, 'some topics were counted and not added');
      assert.ok(model.treeBytes <= model.limits.totalBytes * model.limits.topicShare);
      // The extension's classes are its bundle's: rows are told apart by their context value.
      const row = await until(() => a.mqttTree.getChildren(deepBroker).map((n) => a.mqttTree.getTreeItem(n)).find((i) => i.contextValue === 'topicsNotShown'), 'the "not shown" row');
      assert.match(row.label as string, /^\d+ topics not shown — limit reached$/);
      // Filter Topics walks every topic (iteratively: a recursive walk overflowed the stack here).
      await vscode.commands.executeCommand('brokerExplorer.filterTopics', deepBroker, 'deep');
      assert.ok(a.mqttTree.getChildren(deepBroker).length > 0);
      await vscode.commands.executeCommand('brokerExplorer.clearTopicFilter', deepBroker);
      const deep0 = a.mqttTree.getChildren(deepBroker).find((n) => 'topic' in n && n.topic === 'deep0');
      assert.ok(deep0, 'the first deep topic is in the tree');
      const deleted = await vscode.commands.executeCommand<number>('brokerExplorer.deleteRetainedBelow', deep0, { confirm: false });
      assert.equal(deleted, 0, 'nothing retained below: the walk completed');
      await roundTrip(deep0, 'deep0');
      await vscode.commands.executeCommand('brokerExplorer.clearTopics', deepBroker);
      assert.equal(model.topicsNotShown, 0, 'Clear Topics gives the tree its budget back');
    } finally {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
      await peer.stop();
    }
  });

  it('a message file whose variables double 24 times gets a diagnostic at the variable, and sending it says why nothing was sent', async () => {
    const defs = ['@a0 = xxxxxxxx', ...Array.from({ length: 24 }, (_, i) => `@a${i + 1} = {{a${i}}}{{a${i}}}`)];
    const doc = await vscode.workspace.openTextDocument({ language: 'broker-messages', content: `${defs.join('\n')}\n\nPUBLISH mqtt://${name}/hostile/template\n\n{{a24}}\n` });
    const diagnostics = await a.messages.diagnose(doc);
    const over = diagnostics.filter((d) => d.code === 'expansion-too-large');
    assert.equal(over.length, 1, diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
    assert.equal(over[0]!.range.start.line, 22, '8 × 2^21 characters is the 16 MB limit; a22 passes it');
    assert.match(over[0]!.message, /more than 16 MB, the limit of brokerExplorer\.limits\.payloadMegabytes/);
    const before = a.testing!.notifications().length;
    await vscode.commands.executeCommand('brokerExplorer.sendMessage', doc.uri, 26);
    await until(() => a.testing!.notifications().slice(before).some((n) => /expand to more than 16 MB/.test(n.message)), 'the reason nothing was sent');
    assert.equal(connection.topics.find('hostile/template'), undefined, 'nothing was published');
  });

  it('a body read from /dev/zero stops at the payload limit and says so', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'broker-messages', content: `PUBLISH mqtt://${name}/hostile/zero\n\n< /dev/zero\n` });
    const before = a.testing!.notifications().length;
    await vscode.commands.executeCommand('brokerExplorer.sendMessage', doc.uri, 0);
    await until(() => a.testing!.notifications().slice(before).some((n) => /cannot read \/dev\/zero: it is larger than 16 MB/.test(n.message)), 'the limit, in words');
    // Still answering.
    await publisher.publishAsync('hostile/after', 'ok');
    const node = await until(() => connection.topics.find('hostile/after'), 'a later message');
    await roundTrip(node, 'hostile/after');
  });
});
