import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { PublishDraft } from '../../src/core/protocol/publish';
import type { BrokerExplorerApi, TestingApi } from '../../src/extension';
import { api, until } from './helpers';

describe('publish and inspect panels (real Mosquitto and RabbitMQ, webviews in the workbench)', function () {
  this.timeout(90_000);
  let a: BrokerExplorerApi;
  /** What the inspectors posted to their webviews (the API's test-only part). */
  let testing: TestingApi;
  let mqttId: string;
  let amqpId: string;
  let dir: string;
  const prefix = `be-it-panels-${process.pid}`;

  const ready = (panel: { isReady: boolean }, what: string) => until(() => panel.isReady, `${what} webview to say ready`, 30_000);

  before(async () => {
    a = await api();
    assert.ok(a.testing, 'the extension runs under test and exports its testing accessor');
    testing = a.testing;
    mqttId = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'panels mqtt', host: '127.0.0.1', port: 1883 });
    amqpId = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'panels rabbit', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    assert.equal(a.registry.get(mqttId)?.state.kind, 'connected');
    assert.equal(a.registry.get(amqpId)?.state.kind, 'connected');
    dir = mkdtempSync(join(tmpdir(), 'be-panels-'));
  });

  after(async () => {
    a.panels.publisher?.dispose();
    a.panels.inspectors.forEach((p) => p.dispose());
    for (const id of [mqttId, amqpId]) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes from the panel with QoS 1 and MQTT 5 properties, and keeps a history', async () => {
    const topic = `${prefix}/publish`;
    const sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    try {
      const got = new Promise<{ payload: string; props: mqtt.IPublishPacket['properties'] }>((resolve) =>
        sub.on('message', (t, p, packet) => t === topic && resolve({ payload: p.toString(), props: packet.properties })),
      );
      await sub.subscribeAsync(topic, { qos: 1 });
      const draft: PublishDraft = {
        payload: '{"temperature": 25.5}',
        format: 'json',
        mqtt: { topic, qos: 1, retain: false, contentType: 'application/json', userProperties: [{ key: 'site', value: 'north' }] },
      };
      await vscode.commands.executeCommand('brokerExplorer.openPublishPanel', { brokerId: mqttId, draft });
      const panel = a.panels.publisher;
      assert.ok(panel, 'the publish panel is open');
      await ready(panel, 'the publish');
      const outcome = await panel.send(mqttId, draft);
      assert.deepEqual([outcome.ok, outcome.text], [true, 'PUBACK received']);
      const received = await got;
      assert.equal(received.payload, '{"temperature": 25.5}');
      assert.equal(received.props?.contentType, 'application/json');
      assert.deepEqual({ ...received.props?.userProperties }, { site: 'north' });
      assert.equal(panel.history(mqttId)[0]?.draft.mqtt?.topic, topic, 'the sent message heads the history');
      assert.match(panel.command(mqttId, draft), /^mosquitto_pub -h '?127\.0\.0\.1'? -p '?1883'? .*-q '?1'?/);
    } finally {
      await sub.endAsync();
    }
  });

  it('refuses a QoS 0 message while disconnected, in plain words', async () => {
    const panel = a.panels.publisher!;
    await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', mqttId);
    try {
      const outcome = await panel.send(mqttId, { payload: 'x', format: 'text', mqtt: { topic: `${prefix}/off`, qos: 0, retain: false } });
      assert.equal(outcome.ok, false);
      assert.match(outcome.text, /not connected/);
    } finally {
      await vscode.commands.executeCommand('brokerExplorer.connectBroker', mqttId);
      await until(() => a.registry.get(mqttId)?.state.kind === 'connected', 'reconnected');
    }
  });

  it('inspects a subtree live: batches reach the webview, payloads open in an editor, export writes JSON lines', async () => {
    const panel = (await a.panels.inspect({ kind: 'mqtt', brokerId: mqttId, filter: `${prefix}/live/#` }));
    const posts = testing.panelPosts;
    await ready(panel, 'the inspector');
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    try {
      for (let i = 0; i < 500; i++) {
        pub.publish(`${prefix}/live/s${i % 5}`, JSON.stringify({ i, html: '<img src=x onerror=alert(1)>' }));
      }
      pub.publish(`${prefix}/other`, 'not in the subtree');
      await until(() => panel.buffer.total === 500 && posts.appendedMessages(panel) === 500, `500 messages in the inspector (got ${panel.buffer.total})`);
    } finally {
      await pub.endAsync();
    }
    assert.ok(posts.posts(panel) < 50, `batched: ${posts.posts(panel)} posts for 500 messages`);
    const last = [...panel.buffer.all()].pop()!;
    assert.equal((JSON.parse(Buffer.from(last.payload).toString()) as { i: number }).i, 499);

    await panel.handle({ type: 'inspect/openInEditor', id: 1, seq: last.seq });
    const editor = await until(() => vscode.window.activeTextEditor?.document.uri.scheme === 'broker-explorer-payload' && vscode.window.activeTextEditor, 'the payload editor');
    assert.equal(editor.document.languageId, 'json');
    assert.equal((JSON.parse(editor.document.getText()) as { i: number }).i, 499);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // Compare with the previous message on the same topic (s4: messages 494 and 499) in the diff editor.
    await panel.handle({ type: 'inspect/compareInEditor', id: 2, seq: last.seq });
    const diff = await until(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff && input;
    }, 'the diff editor');
    assert.equal(diff.original.scheme, 'broker-explorer-payload');
    const original = await vscode.workspace.openTextDocument(diff.original);
    assert.equal((JSON.parse(original.getText()) as { i: number }).i, 494);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    const file = vscode.Uri.file(join(dir, 'export.jsonl'));
    const said = await panel.exportLines(undefined, file);
    assert.match(said, /Exported 500 message/);
    const lines = readFileSync(file.fsPath, 'utf8').trim().split('\n');
    assert.equal(lines.length, 500);
    assert.equal((JSON.parse(lines[0]!) as { topic: string }).topic, `${prefix}/live/s0`);

    // The editor took the panel's place for a while: it comes back and loads again.
    await until(() => panel.panel.visible && panel.isReady, 'the inspector to be shown again');
    await panel.handle({ type: 'inspect/pause', paused: true });
    const appended = posts.appendedMessages(panel);
    const pub2 = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    pub2.publish(`${prefix}/live/s1`, 'while paused');
    await pub2.endAsync();
    await until(() => panel.buffer.total === 501, 'the paused inspector still collects');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(posts.appendedMessages(panel), appended, 'no message is appended while paused');
    const before = posts.posts(panel);
    await panel.handle({ type: 'inspect/pause', paused: false });
    assert.ok(posts.posts(panel) > before, 'resuming sends a snapshot');
    panel.dispose();
  });

  it('opens the inspector from a topic node command', async () => {
    const c = a.registry.get(mqttId) as MqttConnection;
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await pub.publishAsync(`${prefix}/node/t`, 'hello', { qos: 1 });
    await pub.endAsync();
    const node = await until(() => c.topics.findPath(`${prefix}/node/t`.split('/')), 'the topic in the tree');
    const source = await vscode.commands.executeCommand<{ filter: string }>('brokerExplorer.inspectTopic', node);
    assert.equal(source.filter, `${prefix}/node/t`);
    const below = await vscode.commands.executeCommand<{ filter: string }>('brokerExplorer.inspectSubtree', c.topics.findPath([prefix, 'node']));
    assert.equal(below.filter, `${prefix}/node/#`);
    assert.equal(a.panels.inspectors.filter((p) => p.source.kind === 'mqtt' && p.source.filter.startsWith(`${prefix}/node`)).length, 2);
  });

  it('publishes to RabbitMQ from the panel: routed into a bound queue, unroutable otherwise; the tap and a peek show it', async () => {
    const c = a.registry.get(amqpId) as AmqpConnection;
    const exchange = `be-it-panels-logs-${process.pid}`;
    const queue = `be-it-panels-info-${process.pid}`;
    const model = c.channelModel!;
    const ch = await model.createChannel();
    try {
      await ch.assertExchange(exchange, 'direct', { durable: false, autoDelete: false });
      await ch.assertQueue(queue, { durable: false });
      await ch.bindQueue(queue, exchange, 'info');
      const tap = (await a.panels.inspect({ kind: 'amqpTap', brokerId: amqpId, vhost: '/', exchange, pattern: 'info' }));
      await ready(tap, 'the tap inspector');

      await vscode.commands.executeCommand('brokerExplorer.openPublishPanel', { brokerId: amqpId });
      const panel = a.panels.publisher!;
      const draft = (routingKey: string): PublishDraft => ({
        payload: 'disk almost full',
        format: 'text',
        amqp: { exchange, routingKey, mandatory: true, contentType: 'text/plain', deliveryMode: 2, headers: [{ key: 'host', value: 'web-1' }], priority: 5 },
      });
      const routed = await panel.send(amqpId, draft('info'));
      assert.deepEqual([routed.ok, routed.text], [true, 'Routed']);
      const unroutable = await panel.send(amqpId, draft('debug'));
      assert.equal(unroutable.ok, false);
      assert.match(unroutable.text, /^Unroutable — no queue bound/);
      assert.match(panel.command(amqpId, draft('info')), /^rabbitmqadmin .*publish .*exchange=/);

      await until(() => tap.buffer.total === 1, 'the tap to see the routed message');
      const tapped = [...tap.buffer.all()][0]!;
      assert.equal(Buffer.from(tapped.payload).toString(), 'disk almost full');
      assert.equal(tapped.headers?.host, 'web-1');
      tap.dispose();

      const peek = (await a.panels.inspect({ kind: 'amqpPeek', brokerId: amqpId, vhost: '/', queue, count: 5 }));
      await until(() => peek.buffer.size === 1, 'the peeked message');
      const peeked = [...peek.buffer.all()][0]!;
      assert.equal(Buffer.from(peeked.payload).toString(), 'disk almost full');
      assert.equal(peeked.redelivered, false);
      assert.equal(peeked.properties?.priority, 5);
      peek.dispose();
    } finally {
      await ch.deleteQueue(queue).catch(() => {});
      await ch.deleteExchange(exchange).catch(() => {});
      await ch.close().catch(() => {});
    }
  });

  it('a peek inspector restored after a reload does not peek again until asked (a peek marks messages redelivered)', async () => {
    const c = a.registry.get(amqpId) as AmqpConnection;
    await until(() => c.state.kind === 'connected', 'RabbitMQ connected');
    const queue = `be-it-panels-restore-${process.pid}`;
    const ch = await c.channelModel!.createChannel();
    try {
      await ch.assertQueue(queue, { durable: false });
      ch.sendToQueue(queue, Buffer.from('keep me'));
      await until(async () => (await ch.checkQueue(queue)).messageCount === 1, 'the message in the queue');
      // What VS Code's serializer does after a reload: a fresh webview panel and the saved state.
      const webview = vscode.window.createWebviewPanel('brokerExplorer.inspect', 'restored', vscode.ViewColumn.Active, { enableScripts: true });
      const restored = await a.panels.reviveInspector(webview, { panel: 'inspect', source: { kind: 'amqpPeek', brokerId: amqpId, vhost: '/', queue, count: 5 } });
      assert.ok(restored, 'revived');
      assert.equal(restored.buffer.size, 0, 'nothing peeked on restore');
      const untouched = await ch.get(queue, { noAck: false });
      assert.ok(untouched, 'the message is still there');
      assert.equal(untouched.fields.redelivered, false, 'not taken and put back by the restore');
      ch.nack(untouched, false, true);
      // Refresh is asking: then it peeks.
      await restored.handle({ type: 'inspect/refresh', id: 1 });
      assert.equal(restored.buffer.size, 1);
      restored.dispose();
    } finally {
      await ch.deleteQueue(queue).catch(() => {});
      await ch.close().catch(() => {});
    }
  });
});
