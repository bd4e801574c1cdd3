// Payload decoders in real VS Code (issue 20): the inspector's Decoded tab decodes on the host what
// the real Mosquitto and RabbitMQ delivered — gzip by magic bytes, MessagePack by the MQTT 5
// content-type, AMQP content-type + content-encoding, a gzip bomb cut at the payload limit, a
// protobuf type mapped in .vscode/decoders.json (types from the workspace .proto files, encoded by
// protobufjs itself), Decode as… saving a mapping; Copy and Open in Editor of the decoded JSON.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import * as zlib from 'node:zlib';
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import amqplib from 'amqplib';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { BrokerExplorerApi } from '../../src/extension';
import type { InspectPanel } from '../../src/panels/inspectPanel';
import { fixtureReading } from '../support/protoFixtures';
import { api, until } from './helpers';


describe('payload decoders: the Decoded tab (real Mosquitto and RabbitMQ, real VS Code)', function () {
  this.timeout(90_000);
  let a: BrokerExplorerApi;
  let mqttId: string;
  let amqpId: string;
  const prefix = `be-it-codecs-${process.pid}`;
  const folder = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const decodersFile = () => join(folder(), '.vscode', 'decoders.json');
  let hadVscodeDir = true;

  const ready = (panel: { isReady: boolean }) => until(() => panel.isReady, 'the inspector webview to say ready', 30_000);
  const kept = (panel: InspectPanel, topic: string) => until(() => [...panel.buffer.all()].find((m) => m.topic === topic), `a message on ${topic}`);

  before(async () => {
    a = await api();
    mqttId = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'codecs mqtt', host: '127.0.0.1', port: 1883 });
    amqpId = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'codecs rabbit', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    hadVscodeDir = existsSync(join(folder(), '.vscode'));
  });

  after(async () => {
    a.panels.inspectors.forEach((p) => p.dispose());
    for (const id of [mqttId, amqpId]) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    rmSync(decodersFile(), { force: true });
    if (!hadVscodeDir) {
      rmSync(join(folder(), '.vscode'), { recursive: true, force: true });
    }
  });

  it('decodes gzip by its magic bytes and MessagePack by the MQTT 5 content-type; Copy and Open in Editor give the decoded JSON', async () => {
    const panel = await a.panels.inspect({ kind: 'mqtt', brokerId: mqttId, filter: `${prefix}/tab/#` });
    await ready(panel);
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    try {
      await pub.publishAsync(`${prefix}/tab/gz`, zlib.gzipSync(JSON.stringify({ temperature: 21.5, html: '<b>x</b>' })), { qos: 1 });
      await pub.publishAsync(`${prefix}/tab/mp`, Buffer.from(msgpackEncode({ level: 7, ok: true, tags: ['a'] })), { qos: 1, properties: { contentType: 'application/msgpack' } });
      await pub.publishAsync(`${prefix}/tab/plain`, 'just text', { qos: 1 });
    } finally {
      await pub.endAsync();
    }
    const gz = await panel.decoded((await kept(panel, `${prefix}/tab/gz`)).seq);
    assert.deepEqual([gz.codecs, gz.by, gz.error, JSON.parse(gz.text)], [['gzip'], 'detected', undefined, { temperature: 21.5, html: '<b>x</b>' }]);
    const mp = await panel.decoded((await kept(panel, `${prefix}/tab/mp`)).seq);
    assert.deepEqual([mp.codecs, mp.by, mp.codec, JSON.parse(mp.text)], [['msgpack'], 'hints', 'MessagePack', { level: 7, ok: true, tags: ['a'] }]);
    const plain = await panel.decoded((await kept(panel, `${prefix}/tab/plain`)).seq);
    assert.deepEqual([plain.codecs, plain.by, plain.text], [[], 'none', 'just text']);
    // The same message decoded as another codec on request: the error in words, nothing thrown.
    const wrong = await panel.decoded((await kept(panel, `${prefix}/tab/plain`)).seq, 'cbor');
    assert.equal(wrong.by, 'chosen');
    assert.ok(wrong.error, 'a wrong codec says why');

    const seq = (await kept(panel, `${prefix}/tab/mp`)).seq;
    await panel.handle({ type: 'inspect/copyDecoded', id: 90, seq });
    assert.deepEqual(JSON.parse(await vscode.env.clipboard.readText()), { level: 7, ok: true, tags: ['a'] });
    await panel.handle({ type: 'inspect/openDecoded', id: 91, seq });
    const editor = await until(() => vscode.window.activeTextEditor?.document.isUntitled && vscode.window.activeTextEditor, 'the decoded document');
    assert.equal(editor.document.languageId, 'json');
    assert.deepEqual(JSON.parse(editor.document.getText()), { level: 7, ok: true, tags: ['a'] });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    // Export: the bytes as always, and beside them the decoded value of what a codec decoded.
    const file = vscode.Uri.file(join(os.tmpdir(), `be-codecs-export-${process.pid}.jsonl`));
    try {
      assert.match(await panel.exportLines(undefined, file), /^Exported 3 message/);
      const lines = readFileSync(file.fsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const byTopic = (leaf: string) => lines.find((l) => l.topic === `${prefix}/tab/${leaf}`)!;
      assert.deepEqual(byTopic('gz').decoded, { codec: 'gzip', value: { temperature: 21.5, html: '<b>x</b>' } });
      assert.equal(typeof byTopic('gz').payloadBase64, 'string');
      assert.deepEqual(byTopic('mp').decoded, { codec: 'MessagePack', value: { level: 7, ok: true, tags: ['a'] } });
      assert.equal(byTopic('plain').payload, 'just text');
      assert.equal(byTopic('plain').decoded, undefined, 'plain text has no decoded twin');
    } finally {
      rmSync(file.fsPath, { force: true });
    }
    panel.dispose();
  });

  it('shows decoded payloads in the topic tree: a gzip and a MessagePack row and their tooltips, decoded on display', async () => {
    const c = a.registry.get(mqttId) as MqttConnection;
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    try {
      await pub.publishAsync(`${prefix}/tree/gz`, zlib.gzipSync(JSON.stringify({ temperature: 21.5, unit: 'C' })), { qos: 1 });
      await pub.publishAsync(`${prefix}/tree/mp`, Buffer.from(msgpackEncode({ level: 7, ok: true })), { qos: 1, properties: { contentType: 'application/msgpack' } });
      await pub.publishAsync(`${prefix}/tree/plain`, 'just text', { qos: 1 });
    } finally {
      await pub.endAsync();
    }
    const node = (leaf: string) => until(() => c.topics.find(`${prefix}/tree/${leaf}`), `the ${leaf} topic`);
    const gz = await node('gz');
    const mp = await node('mp');
    const plain = await node('plain');
    const fired: unknown[] = [];
    const sub = a.mqttTree.onDidChangeTreeData((e) => fired.push(...(Array.isArray(e) ? e : [e])));
    try {
      const before = a.mqttTree.getTreeItem(gz);
      assert.match(String(before.description), /^1f 8b/, 'the bytes until the decode is in');
      a.mqttTree.getTreeItem(mp);
      await until(() => fired.includes(gz) && fired.includes(mp), 'the decoded rows to be refreshed');
      const gzItem = a.mqttTree.getTreeItem(gz);
      assert.equal(gzItem.description, '{"temperature":21.5,"unit":"C"}');
      assert.equal((gzItem.iconPath as vscode.ThemeIcon).id, 'symbol-structure');
      const tip = (a.mqttTree.resolveTreeItem(gzItem, gz).tooltip as vscode.MarkdownString).value;
      assert.match(tip, /\*\*Decoded\*\* — gzip/);
      assert.match(tip, /"temperature": 21\.5/, 'the decoded JSON, indented');
      assert.match(tip, /1f 8b/, 'the bytes are still there');
      assert.equal(a.mqttTree.getTreeItem(mp).description, '{"level":7,"ok":true}');
      const plainItem = a.mqttTree.getTreeItem(plain);
      assert.equal(plainItem.description, 'just text');
      assert.equal((plainItem.iconPath as vscode.ThemeIcon).id, 'symbol-string');
      assert.ok(!fired.includes(plain), 'a plain row is not decoded, so not refreshed for it');
    } finally {
      sub.dispose();
    }
  });

  it('cuts a gzip bomb at the inspector payload limit and says so', async () => {
    const panel = await a.panels.inspect({ kind: 'mqtt', brokerId: mqttId, filter: `${prefix}/bomb` });
    await ready(panel);
    const limit = panel.buffer.options.keepBytes;
    const bomb = zlib.gzipSync(Buffer.alloc(limit * 3, 'A'));
    assert.ok(bomb.length < 200_000, `a small bomb (${bomb.length} bytes for ${limit * 3})`);
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await pub.publishAsync(`${prefix}/bomb`, bomb, { qos: 1 });
    await pub.endAsync();
    const d = await panel.decoded((await kept(panel, `${prefix}/bomb`)).seq);
    assert.equal(d.truncated, true);
    assert.equal(d.limit, limit);
    assert.ok(d.text.length <= limit, `the text stays under the limit (${d.text.length})`);
    assert.match(d.warnings.join(' '), new RegExp(`stopped at the limit of ${limit} bytes`));
    panel.dispose();
  });

  it('AMQP: content-type and content-encoding select gzip → MessagePack on a tap', async () => {
    const c = a.registry.get(amqpId) as AmqpConnection;
    const exchange = `be-it-codecs-x-${process.pid}`;
    const ch = await c.channelModel!.createChannel();
    try {
      await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
      const tap = await a.panels.inspect({ kind: 'amqpTap', brokerId: amqpId, vhost: '/', exchange, pattern: '#' });
      await ready(tap);
      await until(() => tap.buffer.total === 0 && tap.isReady, 'the tap');
      await new Promise((r) => setTimeout(r, 300));
      ch.publish(exchange, 'order.eu', zlib.gzipSync(msgpackEncode({ id: 42, items: [1, 2] })), { contentType: 'application/msgpack', contentEncoding: 'gzip' });
      const m = await kept(tap, 'order.eu');
      const d = await tap.decoded(m.seq);
      assert.deepEqual([d.codecs, d.by, JSON.parse(d.text)], [['gzip', 'msgpack'], 'hints', { id: 42, items: [1, 2] }]);
      tap.dispose();
    } finally {
      await ch.deleteExchange(exchange).catch(() => {});
      await ch.close().catch(() => {});
    }
  });

  it('.vscode/decoders.json maps a topic filter to a protobuf type of the workspace .proto files; Decode as… saves a mapping', async () => {
    const Reading = await fixtureReading();
    const bytes = Reading.encode(Reading.fromObject({ sensor: 'line-4', value: 3.25, unit: 1, counter: '9007199254740993', ok: 'fine' })).finish();

    const panel = await a.panels.inspect({ kind: 'mqtt', brokerId: mqttId, filter: `${prefix}/proto/#` });
    await ready(panel);
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await pub.publishAsync(`${prefix}/proto/plant1/telemetry`, Buffer.from(bytes), { qos: 1 });
    await pub.publishAsync(`${prefix}/proto/raw`, Buffer.from(msgpackEncode([1, 'two'])), { qos: 1 });
    await pub.endAsync();
    const m = await kept(panel, `${prefix}/proto/plant1/telemetry`);
    const before = await panel.decoded(m.seq);
    assert.notDeepEqual(before.codecs, ['protobuf'], 'no mapping yet');

    // Paths outside the workspace folder are read in a trusted workspace (the fixtures sit beside it).
    // The workspace is test/fixtures/workspace: the fixtures sit beside it.
    const rel = (p: string) => `../codecs/${p}`;
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(join(folder(), '.vscode')));
    await vscode.workspace.fs.writeFile(
      vscode.Uri.file(decodersFile()),
      Buffer.from(`{
  // written by the integration test
  "protoPaths": [${JSON.stringify(rel('proto/acme'))}],
  "includeDirs": [${JSON.stringify(rel('proto'))}],
  "mappings": [{ "topic": "${prefix}/proto/+/telemetry", "type": "acme.telemetry.Reading" }]
}`),
    );
    const decoded = await until(async () => {
      const d = await panel.decoded(m.seq);
      return d.codecs[0] === 'protobuf' && d;
    }, 'the mapping to be read after the file changed');
    assert.equal(decoded.by, 'mapping');
    assert.equal(decoded.schema, 'acme.telemetry.Reading');
    assert.match(decoded.mapping ?? '', /\/proto\/\+\/telemetry → protobuf acme\.telemetry\.Reading in \.vscode\/decoders\.json/);
    const value = JSON.parse(decoded.text) as Record<string, unknown>;
    assert.deepEqual([value.sensor, value.value, value.unit, value.counter, value.ok], ['line-4', 3.25, 'CELSIUS', '9007199254740993', 'fine']);

    // Decode as…: the picker lists the workspace's message types; choosing MessagePack for the raw topic decodes it.
    const raw = await kept(panel, `${prefix}/proto/raw`);
    const picks = await (await a.codecs.load()).decoders.picks();
    assert.ok(picks.some((p) => p.label === 'acme.telemetry.Reading'), `the picker offers the .proto types (${picks.map((p) => p.label).join(', ')})`);
    const req = { brokerId: mqttId, message: raw, limit: panel.buffer.options.keepBytes };
    const chosen = await (await a.codecs.load()).decoders.decodeAs(req, async (items) => items.find((i) => i.description === 'msgpack'));
    assert.deepEqual([chosen?.codecs, chosen?.by, chosen && JSON.parse(chosen.text)], [['msgpack'], 'chosen', [1, 'two']]);
    // Saved as a mapping: first in the list, the comment kept.
    await (await a.codecs.load()).decodersJson.save({ topic: `${prefix}/proto/raw`, codec: 'msgpack' });
    const text = readFileSync(decodersFile(), 'utf8');
    assert.match(text, /\/\/ written by the integration test/);
    assert.ok(text.indexOf(`"${prefix}/proto/raw"`) < text.indexOf('acme.telemetry.Reading'), 'the new mapping comes first');
    (await a.codecs.load()).decoders.choose(mqttId, raw, undefined);
    const mapped = await panel.decoded(raw.seq);
    assert.deepEqual([mapped.codecs, mapped.by], [['msgpack'], 'mapping']);
    panel.dispose();
  });

  it('message files send Encoding: protobuf TYPE (types of the workspace .proto files) to Mosquitto and msgpack, gzip to RabbitMQ', async () => {
    const mqttEnc = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'enc-mqtt', host: '127.0.0.1', port: 1883 });
    const amqpEnc = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'enc-rabbit', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    const queue = `${prefix}-enc`;
    const amqpClient = await amqplib.connect('amqp://guest:guest@127.0.0.1:5672');
    const ch = await amqpClient.createChannel();
    await ch.assertQueue(queue, { autoDelete: false, durable: false });
    const sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    const got: { payload: Buffer; contentType?: string }[] = [];
    sub.on('message', (_t, payload, packet) => got.push({ payload, contentType: packet.properties?.contentType }));
    await sub.subscribeAsync(`${prefix}/enc/#`);
    const file = join(folder(), `be-enc-${process.pid}.mqtt`);
    const amqpFile = join(folder(), `be-enc-${process.pid}.amqp`);
    const typo = join(folder(), `be-enc-typo-${process.pid}.mqtt`);
    try {
      await vscode.workspace.fs.createDirectory(vscode.Uri.file(join(folder(), '.vscode')));
      await vscode.workspace.fs.writeFile(vscode.Uri.file(decodersFile()), Buffer.from(`{ "protoPaths": ["../codecs/proto/acme"], "includeDirs": ["../codecs/proto"] }`));
      writeFileSync(file, `PUBLISH mqtt://enc-mqtt/${prefix}/enc/reading\nQoS: 1\nEncoding: protobuf acme.telemetry.Reading\n\n{"sensor": "line-9", "value": 2.5, "unit": "CELSIUS", "counter": "9007199254740993"}\n`);
      writeFileSync(amqpFile, `PUBLISH amqp://enc-rabbit/\nRouting-Key: ${queue}\nEncoding: msgpack, gzip\n\n{"level": 3, "ok": true}\n`);
      const sent = await vscode.commands.executeCommand<string[]>('brokerExplorer.sendMessage', vscode.Uri.file(file), 0);
      assert.ok(Array.isArray(sent) && sent.length === 1, `sent: ${JSON.stringify(sent)}; said: ${a.testing?.notifications().slice(-2).map((n) => n.message).join(' | ')}`);
      assert.match(sent[0]!, /PUBACK/);
      const m = await until(() => got[0], 'the protobuf message');
      const Reading = await fixtureReading();
      const back = Reading.toObject(Reading.decode(m.payload), { longs: String, enums: String });
      assert.deepEqual([back.sensor, back.value, back.unit, back.counter], ['line-9', 2.5, 'CELSIUS', '9007199254740993']);
      assert.equal(m.contentType, 'application/x-protobuf');

      const routed = await vscode.commands.executeCommand<string[]>('brokerExplorer.sendMessage', vscode.Uri.file(amqpFile), 0);
      assert.ok(Array.isArray(routed) && routed.length === 1, `sent: ${JSON.stringify(routed)}`);
      const msg = await until(async () => (await ch.get(queue, { noAck: true })) || undefined, 'the AMQP message');
      assert.deepEqual([msg.properties.contentType, msg.properties.contentEncoding], ['application/msgpack', 'gzip']);
      assert.deepEqual(msgpackDecode(zlib.gunzipSync(msg.content)), { level: 3, ok: true });

      // A type the .proto files do not have: not sent, and the notification says why.
      writeFileSync(typo, `PUBLISH mqtt://enc-mqtt/${prefix}/enc/other\nEncoding: protobuf acme.telemetry.Readings\n\n{}\n`);
      const refused = await vscode.commands.executeCommand<string[] | undefined>('brokerExplorer.sendMessage', vscode.Uri.file(typo), 0);
      assert.equal(refused, undefined, 'nothing sent');
      const said = await until(() => a.testing?.notifications().find((n) => /no message type "acme\.telemetry\.Readings"/.test(n.message)), 'the reason');
      assert.match(said.message, /did you mean acme\.telemetry\.Reading\?/);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(got.length, 1, 'the refused block sent nothing');
    } finally {
      await sub.endAsync();
      await ch.deleteQueue(queue).catch(() => undefined);
      await amqpClient.close();
      rmSync(file, { force: true });
      rmSync(amqpFile, { force: true });
      rmSync(typo, { force: true });
      rmSync(decodersFile(), { force: true });
      for (const id of [mqttEnc, amqpEnc]) {
        await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
      }
    }
  });

  it('says what is wrong with decoders.json as diagnostics in the file', async () => {
    await vscode.workspace.fs.writeFile(vscode.Uri.file(decodersFile()), Buffer.from('{ "mappings": [ { "topic": "a/#/b", "codec": "msgpack" }, { "codec": "cbor" } ] }'));
    const uri = vscode.Uri.file(decodersFile());
    const diags = await until(async () => {
      await (await a.codecs.load()).decodersJson.load();
      const d = vscode.languages.getDiagnostics(uri);
      return d.length === 2 && d;
    }, 'two diagnostics on decoders.json');
    assert.match(diags.map((d) => d.message).join('\n'), /mappings\[1\]: A mapping needs "topic"/);
  });
});

describe('Sparkplug B: an edge node simulator through the shared Mosquitto (real VS Code)', function () {
  this.timeout(90_000);
  let a: BrokerExplorerApi;
  let mqttId: string;
  let sim: ChildProcess | undefined;
  const group = `be-it-sp-${process.pid}`;
  const node = 'edge7';
  const device = 'press1';

  before(async () => {
    a = await api();
    mqttId = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'sparkplug mqtt', host: '127.0.0.1', port: 1883 });
    assert.equal(a.registry.get(mqttId)?.state.kind, 'connected');
  });

  after(async () => {
    if (sim && sim.exitCode === null) {
      sim.kill('SIGTERM');
    }
    a.panels.inspectors.forEach((p) => p.dispose());
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', mqttId, { confirm: false });
  });

  it('the Sparkplug view shows the device metrics by name with values and data types, a sequence gap, NDATA decoded with names from the BIRTH, NDEATH as offline', async () => {
    // The inspector listens before the simulator starts, so it sees the NDATA from the first.
    const panel = await a.panels.inspect({ kind: 'mqtt', brokerId: mqttId, filter: `spBv1.0/${group}/NDATA/${node}` });
    await until(() => panel.isReady, 'the inspector', 30_000);
    const script = resolve(__dirname, '../support/sparkplugSimulator.js');
    sim = spawn(process.execPath, [script, '--url', 'mqtt://127.0.0.1:1883', '--group', group, '--node', node, '--device', device, '--every', '150', '--gap', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sim.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    sim.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('ready'), `the simulator to publish its BIRTHs (${out})`, 20_000);

    const tracker = a.codecs.sparkplug;
    const dev = await until(() => {
      const d = tracker.state(mqttId)?.device(group, node, device);
      return d && (d.metrics.get('Counters/Parts')?.updates ?? 0) >= 5 && d;
    }, 'five DDATA messages resolved to named metrics');
    assert.deepEqual([...dev.metrics.keys()].sort(), ['Counters/Parts', 'Inputs/Pressure', 'Inputs/Temperature', 'Outputs/Running']);
    const edge = tracker.state(mqttId)!.node(group, node)!;
    assert.equal(edge.status, 'online');
    assert.equal(edge.seq.gaps, 1, 'the one skipped sequence number is counted');
    assert.equal(String(edge.bdSeq), '3');

    // The view: group → edge node → device → metrics with value and data type.
    await vscode.commands.executeCommand('brokerExplorer.sparkplug.focus');
    const tree = a.codecs.sparkplugTree;
    const g = tree.getChildren().find((e) => e.kind === 'group' && e.group.id === group)!;
    assert.ok(g, 'the group is a root of the view');
    const n = tree.getChildren(g).find((e) => e.kind === 'node')!;
    const nodeItem = tree.getTreeItem(n);
    assert.equal(nodeItem.label, node);
    assert.match(String(nodeItem.description), /^online · seq: 1 missing, 0 out of order · bdSeq 3/);
    const d = tree.getChildren(n).find((e) => e.kind === 'device')!;
    assert.equal(tree.getTreeItem(d).label, device);
    // Metrics in folders by their names' "/" segments.
    const deviceRows = tree.getChildren(d);
    assert.deepEqual(
      deviceRows.map((e) => [e.kind, tree.getTreeItem(e).label]),
      [
        ['folder', 'Counters'],
        ['folder', 'Inputs'],
        ['folder', 'Outputs'],
      ],
    );
    const inFolder = (name: string) => tree.getChildren(deviceRows.find((e) => tree.getTreeItem(e).label === name)).map((e) => tree.getTreeItem(e));
    assert.equal(tree.getTreeItem(deviceRows[1]!).description, '2 metrics');
    const pressure = inFolder('Inputs').find((r) => r.label === 'Pressure')!;
    assert.match(String(pressure.description), /^\d+(\.\d+)? · Float$/);
    assert.match(String(inFolder('Outputs').find((r) => r.label === 'Running')!.description), /^true · Boolean$/);
    const nodeMetrics = tree.getChildren(n).filter((e) => e.kind === 'metric').map((e) => tree.getTreeItem(e).label as string);
    assert.ok(nodeMetrics.includes('uptime'), `node metrics: ${nodeMetrics.join(', ')}`);
    // The timer redraws the rows whose value changed (the DDATA's Counters/Parts, Inputs/…), never the whole view while its groups stay.
    // Opened in the view as a user would (VS Code lists the Counters folder itself).
    const counters = tree.getChildren(deviceRows[0]);
    await a.codecs.sparkplugView.reveal(counters[0]!, { select: false, focus: false, expand: false });
    const events: (readonly unknown[] | undefined)[] = [];
    const watching = tree.onDidChangeTreeData((e) => events.push(e === undefined ? undefined : Array.isArray(e) ? e : [e]));
    const refreshed = tree.refreshes;
    await until(() => tree.refreshes > refreshed, 'the visible view to refresh from its timer');
    const before = tree.refreshes;
    await new Promise((r) => setTimeout(r, 2000));
    watching.dispose();
    assert.ok(tree.refreshes - before <= 9, `at most 4 refreshes a second (${tree.refreshes - before} in 2 s)`);
    // (A full refresh happens only when a Sparkplug group appears or goes, e.g. other traffic on the shared broker.)
    assert.ok(events.some((e) => e?.includes(counters[0])), 'the changed metric row is redrawn by itself');
    assert.ok(events.every((e) => !e?.includes(deviceRows[2])), 'a folder whose metrics did not come or go is not redrawn');
    // Collapsed, a folder's rows are not drawn: they are not redrawn either.
    // list.collapse acts on the focused list: until the view says the folder collapsed (focus can
    // arrive late on a loaded machine), focus the row and collapse again.
    const view = a.codecs.sparkplugView;
    let collapsed = false;
    const watchingCollapse = view.onDidCollapseElement((e) => (collapsed ||= e.element === deviceRows[0]));
    for (let attempt = 0; attempt < 10 && !collapsed; attempt++) {
      await view.reveal(deviceRows[0]!, { select: true, focus: true, expand: false });
      await vscode.commands.executeCommand('list.collapse');
      await until(() => collapsed, 'the collapse', 1000).catch(() => undefined);
    }
    watchingCollapse.dispose();
    assert.ok(collapsed, 'the Counters folder collapsed in the view');
    await new Promise((r) => setTimeout(r, 300)); // a redraw the timer fired before the collapse is not counted
    const afterCollapse: (readonly unknown[] | undefined)[] = [];
    const watchingCollapsed = tree.onDidChangeTreeData((e) => afterCollapse.push(e === undefined ? undefined : Array.isArray(e) ? e : [e]));
    await new Promise((r) => setTimeout(r, 1200));
    watchingCollapsed.dispose();
    assert.ok(afterCollapse.every((e) => !e?.includes(counters[0])), 'a collapsed folder\'s metric is not redrawn');

    // The inspector's Decoded tab: an NDATA carries aliases only; the names come from the NBIRTH.
    const m = await until(() => [...panel.buffer.all()].pop(), 'an NDATA in the inspector');
    const decoded = await panel.decoded(m.seq);
    assert.deepEqual([decoded.codecs, decoded.by, decoded.schema], [['sparkplug'], 'hints', 'Sparkplug B (org.eclipse.tahu.protobuf.Payload)']);
    const value = JSON.parse(decoded.text) as { seq: number; metrics: { name?: string; alias?: number; datatype: string; value: unknown }[] };
    assert.deepEqual(value.metrics.map((x) => [x.name, x.alias, x.datatype]), [['uptime', 2, 'Int64']]);
    assert.match(decoded.warnings.join(' '), /resolved by alias from the last BIRTH/);

    // The simulator stops: its NDEATH (bdSeq 3) marks the node offline.
    sim.kill('SIGTERM');
    await until(() => edge.status === 'offline', 'the NDEATH to mark the edge node offline');
    panel.dispose();
  });
});
