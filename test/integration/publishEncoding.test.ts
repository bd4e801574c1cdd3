// Encoding on publish in real VS Code (issue 20): the publish panel encodes the JSON typed in it on
// the host — Protobuf of a type of the workspace's .proto files (preselected by a decoders.json
// mapping), then gzip — and a raw mqtt.js subscriber decodes what the shared Mosquitto delivered with
// protobufjs and the fixture type. Sparkplug B: after the simulator's BIRTHs, a DCMD by metric name
// reaches the simulator with the DBIRTH's alias and data type (decoded by Eclipse Tahu there), the
// edge node is confirmed once per session, and an NBIRTH is refused until "Simulate edge node" is on.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { PublishDraft } from '../../src/core/protocol/publish';
import type { BrokerExplorerApi } from '../../src/extension';
import type { PublishPanel } from '../../src/panels/publishPanel';
import { fixtureReading } from '../support/protoFixtures';
import { api, until } from './helpers';

describe('publish panel: Encoding (real Mosquitto, real VS Code)', function () {
  this.timeout(90_000);
  let a: BrokerExplorerApi;
  let mqttId: string;
  let sim: ChildProcess | undefined;
  const prefix = `be-it-encode-${process.pid}`;
  const folder = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const decodersFile = () => join(folder(), '.vscode', 'decoders.json');
  let hadVscodeDir = true;

  const openPanel = async (draft: PublishDraft): Promise<PublishPanel> => {
    await vscode.commands.executeCommand('brokerExplorer.openPublishPanel', { brokerId: mqttId, draft });
    const panel = a.panels.publisher!;
    await until(() => panel.isReady, 'the publish webview to say ready', 30_000);
    return panel;
  };

  before(async () => {
    a = await api();
    mqttId = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'enclocal', host: '127.0.0.1', port: 1883 });
    assert.equal(a.registry.get(mqttId)?.state.kind, 'connected');
    hadVscodeDir = existsSync(join(folder(), '.vscode'));
  });

  after(async () => {
    if (sim && sim.exitCode === null) {
      sim.kill('SIGTERM');
    }
    a.panels.publisher?.dispose();
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', mqttId, { confirm: false });
    rmSync(decodersFile(), { force: true });
    if (!hadVscodeDir) {
      rmSync(join(folder(), '.vscode'), { recursive: true, force: true });
    }
  });

  it('encodes the typed JSON as the protobuf type a decoders.json mapping preselects, then gzip; a raw subscriber decodes it with protobufjs', async () => {
    // The workspace is test/fixtures/workspace: the fixture .proto files sit beside it.
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(join(folder(), '.vscode')));
    await vscode.workspace.fs.writeFile(
      vscode.Uri.file(decodersFile()),
      Buffer.from(`{
  "protoPaths": ["../codecs/proto/acme"],
  "includeDirs": ["../codecs/proto"],
  "mappings": [{ "topic": "${prefix}/+/telemetry", "type": "acme.telemetry.Reading" }, { "exchange": "${prefix}-x", "codec": "gzip+msgpack" }]
}`),
    );
    const topic = `${prefix}/line4/telemetry`;
    const panel = await openPanel({ payload: '{}', format: 'json', mqtt: { topic, qos: 1, retain: false } });

    const info = await until(async () => {
      const i = await panel.encodingInfo(mqttId, { topic });
      return i.mapped !== undefined && i;
    }, 'the mapping to be read');
    assert.equal(info.mapped, 'protobuf acme.telemetry.Reading', 'the mapping preselects its type');
    assert.ok(info.types.includes('acme.telemetry.Reading') && info.types.includes('acme.common.Location'), `the picker lists the workspace types (${info.types.join(', ')})`);
    assert.equal((await panel.encodingInfo(mqttId, { topic: `${prefix}/other` })).mapped, undefined, 'no mapping: nothing preselected');
    assert.equal((await panel.encodingInfo(mqttId, { exchange: `${prefix}-x`, routingKey: 'any' })).mapped, 'msgpack, gzip', 'an AMQP exchange mapping, innermost codec first');

    const draft = (payload: string, encoding: string): PublishDraft => ({ payload, format: 'json', encoding, mqtt: { topic, qos: 1, retain: false } });
    // The error next to the field, in words; the size when it encodes.
    const bad = await panel.encodePreview(mqttId, draft('{"sensor": "line-4", "colour": "red"}', 'protobuf acme.telemetry.Reading'));
    assert.match(bad.error ?? '', /no such fields: colour/);
    const json = '{"sensor": "line-4", "value": 3.25, "unit": "CELSIUS", "counter": "9007199254740993"}';
    const size = await panel.encodePreview(mqttId, draft(json, 'protobuf acme.telemetry.Reading'));
    assert.equal(size.error, undefined);
    assert.ok(size.bytes! > 10 && size.bytes! < json.length, `a protobuf is smaller than its JSON (${size.bytes} bytes)`);

    const sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    try {
      const got: { payload: Buffer; contentType?: string }[] = [];
      sub.on('message', (t, p, packet) => t === topic && got.push({ payload: Buffer.from(p), contentType: packet.properties?.contentType }));
      await sub.subscribeAsync(topic, { qos: 1 });
      const plain = await panel.send(mqttId, draft(json, 'protobuf acme.telemetry.Reading'));
      assert.ok(plain.ok, plain.text);
      assert.match(plain.detail ?? '', new RegExp(`^${size.bytes} bytes to `), 'the outcome counts the encoded bytes');
      const zipped = await panel.send(mqttId, draft(json, 'protobuf acme.telemetry.Reading, gzip'));
      assert.ok(zipped.ok, zipped.text);
      await until(() => got.length >= 2, 'both messages at the subscriber');
      const Reading = await fixtureReading();
      const read = (b: Buffer) => Reading.toObject(Reading.decode(b), { longs: String, enums: String });
      for (const back of [read(got[0]!.payload), read(gunzipSync(got[1]!.payload))]) {
        assert.deepEqual([back.sensor, back.value, back.unit, back.counter], ['line-4', 3.25, 'CELSIUS', '9007199254740993']);
      }
      assert.equal(got[0]!.contentType, 'application/x-protobuf');
      const refused = await panel.send(mqttId, draft('{"sensor": "x", "colour": "red"}', 'protobuf acme.telemetry.Reading'));
      assert.ok(!refused.ok);
      assert.match(refused.text, /^Not sent: .*no such fields: colour/);
    } finally {
      await sub.endAsync();
    }
    // The history keeps what was typed and how it was encoded (Send again encodes again).
    const last = panel.history(mqttId)[0]!.draft;
    assert.deepEqual([last.payload, last.format, last.encoding], [json, 'json', 'protobuf acme.telemetry.Reading, gzip']);
  });

  it('Sparkplug B: a DCMD by metric name reaches the simulator with the DBIRTH alias and type; confirmed once per edge node; NBIRTH refused until Simulate edge node', async () => {
    const group = `be-it-spcmd-${process.pid}`;
    const node = 'edge3';
    const device = 'press1';
    const script = resolve(__dirname, '../support/sparkplugSimulator.js');
    sim = spawn(process.execPath, [script, '--url', 'mqtt://127.0.0.1:1883', '--group', group, '--node', node, '--device', device, '--every', '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sim.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    sim.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('ready'), `the simulator to publish its BIRTHs (${out})`, 20_000);
    await until(() => a.codecs.sparkplug.state(mqttId)?.device(group, node, device)?.metrics.has('Outputs/Running'), 'the DBIRTH in the extension');

    const guard = a.panels.encoding!.guard;
    const asked: string[] = [];
    const confirm = guard.confirm;
    guard.confirm = async (q) => {
      asked.push(q);
      return true;
    };
    try {
      const dcmd = `spBv1.0/${group}/DCMD/${node}/${device}`;
      const panel = await openPanel({ payload: '{}', format: 'json', mqtt: { topic: dcmd, qos: 0, retain: false } });
      const info = await panel.encodingInfo(mqttId, { topic: dcmd });
      assert.equal(info.mapped, 'sparkplug', 'a Sparkplug topic preselects Sparkplug B');
      assert.deepEqual(
        info.metrics?.find((m) => m.name === 'Outputs/Running'),
        { name: 'Outputs/Running', datatype: 'Boolean', alias: 12 },
        'the builder offers the DBIRTH metrics by name',
      );

      const commands = () => out.split('\n').filter((l) => l.startsWith('cmd ')).map((l) => JSON.parse(l.slice(4)) as { topic: string; metrics: { name?: string; alias?: number; type: string; value: unknown }[] });
      const sent = await panel.send(mqttId, { payload: '{"metrics": [{"name": "Outputs/Running", "value": false}, {"name": "Inputs/Temperature", "value": 80.5}]}', format: 'json', encoding: 'sparkplug', mqtt: { topic: dcmd, qos: 0, retain: false } });
      assert.ok(sent.ok, sent.text);
      const cmd = await until(() => commands().find((c) => c.topic === dcmd), `the DCMD at the simulator (${out})`);
      assert.deepEqual(cmd.metrics, [
        { alias: 12, type: 'Boolean', value: false },
        { alias: 11, type: 'Double', value: 80.5 },
      ]);
      const ncmd = `spBv1.0/${group}/NCMD/${node}`;
      const again = await panel.send(mqttId, { payload: '{"metrics": [{"name": "Node Control/Rebirth", "value": true}]}', format: 'json', encoding: 'sparkplug', mqtt: { topic: ncmd, qos: 0, retain: false } });
      assert.ok(again.ok, again.text);
      await until(() => commands().find((c) => c.topic === ncmd), 'the NCMD at the simulator');
      assert.deepEqual(asked, [`Send a command to edge node ${node} in group ${group}?`], 'asked once for the edge node');

      // Speaking for the edge node: refused in words, nothing reaches the broker; allowed in simulate mode.
      const birth = `spBv1.0/${group}/NBIRTH/fake-edge`;
      const watch = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
      try {
        const births: Buffer[] = [];
        watch.on('message', (t, p) => t === birth && births.push(Buffer.from(p)));
        await watch.subscribeAsync(birth, { qos: 1 });
        const body = '{"seq": 0, "metrics": [{"name": "bdSeq", "datatype": "UInt64", "value": 0}]}';
        const refused = await panel.send(mqttId, { payload: body, format: 'json', encoding: 'sparkplug', mqtt: { topic: birth, qos: 1, retain: false } });
        assert.ok(!refused.ok);
        assert.match(refused.text, /^Not sent: NBIRTH messages come from the edge node itself \("fake-edge" in group/);
        const raw = await panel.send(mqttId, { payload: 'x', format: 'text', mqtt: { topic: birth, qos: 1, retain: false } });
        assert.ok(!raw.ok, 'refused without an encoding too');
        assert.match((await panel.encodePreview(mqttId, { payload: body, format: 'json', encoding: 'sparkplug', mqtt: { topic: birth, qos: 1, retain: false } })).error ?? '', /Simulate edge node/);
        await panel.handle({ type: 'publish/simulate', simulate: true });
        const simulated = await panel.send(mqttId, { payload: body, format: 'json', encoding: 'sparkplug', mqtt: { topic: birth, qos: 1, retain: false } });
        assert.ok(simulated.ok, simulated.text);
        await until(() => births.length === 1, 'the simulated NBIRTH at the subscriber');
        assert.equal(births.length, 1, 'only the simulated one arrived');
      } finally {
        await panel.handle({ type: 'publish/simulate', simulate: false });
        await watch.endAsync();
      }
      assert.equal(guard.simulate, false);
      assert.equal(asked.length, 1, 'refusals and simulated messages ask nothing');

      // A message file with Encoding: sparkplug: the same session rules (the edge node is confirmed already).
      const file = join(folder(), 'messages', `be-it-sparkplug-${process.pid}.mqtt`);
      writeFileSync(
        file,
        [
          `PUBLISH mqtt://enclocal/${dcmd}`,
          'Encoding: sparkplug',
          '',
          '{"metrics": [{"name": "Counters/Parts", "value": 7}]}',
          '',
          '###',
          `PUBLISH mqtt://enclocal/spBv1.0/${group}/DDATA/${node}/${device}`,
          'Encoding: sparkplug',
          '',
          '{"metrics": [{"name": "Counters/Parts", "datatype": "UInt32", "value": 8}]}',
          '',
        ].join('\n'),
      );
      try {
        const doc = await vscode.workspace.openTextDocument(file);
        const outcomes = await vscode.commands.executeCommand<string[] | undefined>('brokerExplorer.sendMessage', doc.uri, 0);
        assert.equal(outcomes?.length, 1, 'the DCMD block was sent');
        const fromFile = await until(() => commands().filter((c) => c.topic === dcmd)[1], 'the message file\'s DCMD at the simulator');
        assert.deepEqual(fromFile.metrics.map((m) => [m.name, m.alias]), [[undefined, 13]], 'by the DBIRTH alias');
        const before = a.testing!.notifications().length;
        assert.equal(await vscode.commands.executeCommand('brokerExplorer.sendMessage', doc.uri, 6), undefined, 'the DDATA block is not sent');
        await until(
          () => a.testing!.notifications().slice(before).some((n) => /^Not sent: DDATA messages come from the edge node itself/.test(n.message)),
          'the refusal, said',
        );
        assert.equal(asked.length, 1, 'the edge node was confirmed once for the panel and the message file');
      } finally {
        rmSync(file, { force: true });
      }
    } finally {
      guard.confirm = confirm;
    }
  });
});
