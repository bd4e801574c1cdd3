import assert from 'node:assert/strict';
import { join } from 'node:path';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { BrokerExplorerApi } from '../../src/extension';
import { api, until } from './helpers';

const folder = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

describe('.mqtt / .amqp message files (real Mosquitto and RabbitMQ)', function () {
  this.timeout(60_000);
  let a: BrokerExplorerApi;
  const ids: string[] = [];

  before(async () => {
    a = await api();
    ids.push(await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'local', host: '127.0.0.1', port: 1883 }));
    ids.push(await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'local-rabbit', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' }));
  });

  after(async () => {
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    a.panels.inspectors.forEach((p) => p.dispose());
  });

  it('gives .mqtt files their language, a Send lens per PUBLISH (×N for repeats) and an Inspect lens for SUBSCRIBE', async () => {
    const doc = await vscode.workspace.openTextDocument(join(folder(), 'messages/weather.mqtt'));
    assert.equal(doc.languageId, 'broker-messages');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => `${l.range.start.line}:${l.command?.title ?? ''}`);
    assert.ok(titles.includes('5:$(send) Send'), titles.join(' | '));
    assert.ok(titles.includes('14:$(send) Send ×3'), titles.join(' | '));
    assert.ok(titles.some((t) => t.startsWith('21:$(eye) Inspect')), titles.join(' | '));
    const diagnostics = (await a.messages.diagnose(doc)).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(diagnostics.map((d) => d.message), [], 'the demo file is clean with both connections present');
  });

  it('sends a block from its CodeLens to the real Mosquitto, variables resolved, with MQTT 5 properties', async () => {
    const doc = await vscode.workspace.openTextDocument(join(folder(), 'messages/weather.mqtt'));
    const sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    try {
      const got = new Promise<{ topic: string; payload: string; props: mqtt.IPublishPacket['properties'] }>((resolve) =>
        sub.on('message', (topic, p, packet) => resolve({ topic, payload: p.toString(), props: packet.properties })),
      );
      await sub.subscribeAsync('/weather/station01/temperature', { qos: 1 });
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      const send = lenses.find((l) => l.range.start.line === 5 && l.command?.command === 'brokerExplorer.sendMessage')!;
      const outcomes = await vscode.commands.executeCommand<string[]>(send.command!.command, ...(send.command!.arguments as unknown[]));
      assert.deepEqual(outcomes, ['PUBACK received']);
      const received = await got;
      assert.equal(received.topic, '/weather/station01/temperature', 'the leading slash is part of the topic');
      const body = JSON.parse(received.payload) as { temperature: number; ts: string; id: string };
      assert.equal(body.temperature, 25.5);
      assert.ok(!Number.isNaN(Date.parse(body.ts)), 'a timestamp was filled in');
      assert.match(body.id, /^[0-9a-f-]{36}$/);
      assert.equal(received.props?.contentType, 'application/json');
      assert.deepEqual({ ...received.props?.userProperties }, { site: 'north' });
    } finally {
      await sub.endAsync();
    }
  });

  it('sends ×N with the interval, and a SUBSCRIBE lens opens the inspector on the filter', async () => {
    const doc = await vscode.workspace.openTextDocument(join(folder(), 'messages/weather.mqtt'));
    const started = Date.now();
    const outcomes = await vscode.commands.executeCommand<string[]>('brokerExplorer.sendMessage', doc.uri, 14);
    assert.equal(outcomes.length, 3);
    assert.ok(Date.now() - started >= 400, 'two 200 ms pauses between three sends');
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.inspectMessageTarget', doc.uri, 21), true);
    assert.ok(a.panels.inspectors.some((p) => p.source.kind === 'mqtt' && p.source.filter === '/weather/station01/#'));
  });

  it('publishes the seed’s logs/info message from an .amqp file into a bound queue on RabbitMQ', async () => {
    const c = a.registry.get(ids[1]!) as AmqpConnection;
    await until(() => c.state.kind === 'connected' && c.channelModel, 'RabbitMQ connected');
    const ch = await c.channelModel!.createChannel();
    const queue = `be-it-files-info-${process.pid}`;
    try {
      await ch.assertExchange('logs', 'direct', { durable: false });
      await ch.assertQueue(queue, { durable: false, exclusive: false });
      await ch.bindQueue(queue, 'logs', 'info');
      const doc = await vscode.workspace.openTextDocument(join(folder(), 'messages/logs.amqp'));
      const outcomes = await vscode.commands.executeCommand<string[]>('brokerExplorer.sendMessage', doc.uri, 4);
      assert.deepEqual(outcomes, ['Routed']);
      const m = await until(async () => (await ch.get(queue, { noAck: true })) || undefined, 'the message in the queue');
      assert.equal(m.content.toString(), 'Disk usage at 71 %');
      assert.equal(m.properties.contentType, 'text/plain');
      assert.equal(m.properties.deliveryMode, 2);
      assert.equal((m.properties.headers as Record<string, unknown>).host, 'web-1');
    } finally {
      await ch.deleteQueue(queue).catch(() => {});
      await ch.close().catch(() => {});
    }
  });

  it('reports an unknown connection, a bad QoS and an unresolved variable at their lines', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'broker-messages',
      content: 'PUBLISH mqtt://nowhere/a/b\nQoS: 3\n\n{{missing}}\n',
    });
    const diagnostics = await a.messages.diagnose(doc);
    const at = (line: number) => diagnostics.filter((d) => d.range.start.line === line).map((d) => d.message).join(' | ');
    assert.match(at(0), /nowhere/);
    assert.match(at(1), /QoS/);
    assert.match(at(3), /missing/);
  });
  it('publishes the selection, then the same target again without asking (remembered per file)', async () => {
    const topic = `be-it-selection-${process.pid}`;
    const sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    const got: string[] = [];
    sub.on('message', (_t, p) => got.push(p.toString()));
    await sub.subscribeAsync(topic, { qos: 1 });
    try {
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: 'ignored\n{"a": 1}\n' });
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(1, 0, 1, 8);
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.publishSelection', { brokerId: ids[0], topic }), 'PUBACK received');
      editor.selection = new vscode.Selection(0, 0, 0, 0); // no selection: the whole document
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.publishSelection'), 'PUBACK received', 'no prompt: the file remembers its target');
      await until(() => got.length === 2, 'two messages');
      assert.deepEqual(got, ['{"a": 1}', 'ignored\n{"a": 1}\n']);
    } finally {
      await sub.endAsync();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
