// Encoding on publish (issue 20): the publish panel's `encoding` applied with the message files'
// encodeDraft (protobuf of the workspace types, MessagePack, gzip…), the encoding a decoders.json
// mapping preselects, and Sparkplug B: NCMD / DCMD built from a BIRTH that the reference Eclipse
// Tahu library wrote (aliases and data types by name), BIRTH / DATA refused unless simulating, each
// edge node confirmed once per session. Payloads are decoded back by the reference libraries.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode as msgpackDecode } from '@msgpack/msgpack';
import { get as sparkplugPayload } from 'sparkplug-payload';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload';
import { loadProtoSchemas } from '../../src/core/codecs/impl/protobuf';
import { createSparkplugState } from '../../src/core/codecs/impl/sparkplug';
import { birthMetrics, sparkplugSendRule, SparkplugSendGuard } from '../../src/core/codecs/sparkplug/commands';
import { checkMessageFile, parseMessageFile, resolveBlock, type ResolvedMessage } from '../../src/core/messageFiles';
import { encodeDraft, parseEncoding, type ProtobufTypes } from '../../src/core/messageFiles/encoding';
import { testResolveEnv } from '../support/messageFiles';
import { isPublishWebviewMessage, type PublishDraft } from '../../src/core/protocol/publish';
import { encodeForSend, encodingOfMapping } from '../../src/core/messageFiles/publishEncoding';
import { fixtureReading } from '../support/protoFixtures';

const FIXTURES = join(__dirname, '../../../test/fixtures/codecs');
const tahu = sparkplugPayload('spBv1.0')!;
const T0 = 1_700_000_000_000;
const bytesOf = (r: { draft: PublishDraft } | { error: string }): Buffer => {
  assert.ok('draft' in r, 'error' in r ? r.error : '');
  assert.equal(r.draft.format, 'base64');
  return Buffer.from(r.draft.payload, 'base64');
};
const errorOf = (r: { draft: PublishDraft } | { error: string }): string => {
  assert.ok('error' in r, 'expected an error');
  return r.error;
};
const mqttDraft = (topic: string, payload: string, encoding?: string, extra: Partial<NonNullable<PublishDraft['mqtt']>> = {}): PublishDraft => ({
  payload,
  format: 'json',
  ...(encoding !== undefined ? { encoding } : {}),
  mqtt: { topic, qos: 0, retain: false, ...extra },
});

const NODE_METRICS: UMetric[] = [
  { name: 'bdSeq', type: 'UInt64', value: 3 },
  { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
  { name: 'setpoint', alias: 4, type: 'Double', value: 20 },
];
const DEVICE_METRICS: UMetric[] = [
  { name: 'Outputs/Running', alias: 12, type: 'Boolean', value: true },
  { name: 'Outputs/Speed', alias: 14, type: 'Int32', value: 100 },
  { name: 'Inputs/Pressure', alias: 10, type: 'Float', value: 1.5 },
];
/** A broker's Sparkplug state after the reference library's NBIRTH and DBIRTH of plant/edge1/pump. */
function bornState(): ReturnType<typeof createSparkplugState> {
  const state = createSparkplugState();
  state.ingest('spBv1.0/plant/NBIRTH/edge1', tahu.encodePayload({ timestamp: T0, seq: 0, metrics: NODE_METRICS }), T0);
  state.ingest('spBv1.0/plant/DBIRTH/edge1/pump', tahu.encodePayload({ timestamp: T0, seq: 1, metrics: DEVICE_METRICS }), T0);
  return state;
}

describe('publish: Sparkplug B rules', () => {
  it('NCMD / DCMD are commands; BIRTH, DATA and DEATH are refused in words unless simulating; other topics are free', () => {
    assert.deepEqual(sparkplugSendRule('spBv1.0/plant/NCMD/edge1', false), { kind: 'command', group: 'plant', edgeNode: 'edge1' });
    assert.deepEqual(sparkplugSendRule('spBv1.0/plant/DCMD/edge1/pump', false), { kind: 'command', group: 'plant', edgeNode: 'edge1', device: 'pump' });
    for (const type of ['NBIRTH', 'NDATA', 'NDEATH']) {
      const r = sparkplugSendRule(`spBv1.0/plant/${type}/edge1`, false);
      assert.equal(r.kind, 'refused', type);
      assert.match((r as { error: string }).error, new RegExp(`^${type} messages come from the edge node itself \\("edge1" in group "plant"\\).*Simulate edge node`));
    }
    assert.equal(sparkplugSendRule('spBv1.0/plant/DDATA/edge1/pump', false).kind, 'refused');
    assert.deepEqual(sparkplugSendRule('spBv1.0/plant/DBIRTH/edge1/pump', true), { kind: 'simulate', group: 'plant', edgeNode: 'edge1', device: 'pump' });
    assert.deepEqual(sparkplugSendRule('spBv1.0/STATE/scada', false), { kind: 'free' });
    assert.deepEqual(sparkplugSendRule('plant/NBIRTH/edge1', false), { kind: 'free' });
  });

  it('asks once per edge node and session; a "no" refuses and asks again next time; BIRTH is refused without asking', async () => {
    const asked: string[] = [];
    let answer = true;
    const guard = new SparkplugSendGuard(async (q) => {
      asked.push(q);
      return answer;
    });
    assert.equal(await guard.check('spBv1.0/plant/DCMD/edge1/pump'), undefined);
    assert.equal(await guard.check('spBv1.0/plant/NCMD/edge1'), undefined, 'the same edge node: not asked again');
    assert.equal(await guard.check('spBv1.0/plant/DCMD/edge1/valve'), undefined);
    assert.deepEqual(asked, ['Send a command to edge node edge1 in group plant?']);
    answer = false;
    assert.match((await guard.check('spBv1.0/plant/NCMD/edge2'))!, /not confirmed/);
    answer = true;
    assert.equal(await guard.check('spBv1.0/plant/NCMD/edge2'), undefined);
    assert.equal(await guard.check('spBv1.0/other/NCMD/edge1'), undefined);
    assert.equal(asked.length, 4, 'edge2 asked twice (refused, then yes), edge1 of another group once');
    assert.match((await guard.check('spBv1.0/plant/NBIRTH/edge1'))!, /NBIRTH messages come from the edge node itself/);
    guard.simulate = true;
    assert.equal(await guard.check('spBv1.0/plant/NBIRTH/edge1'), undefined);
    assert.equal(asked.length, 4, 'refusals and simulated messages ask nothing');
    assert.equal(await guard.check('home/kitchen/temperature'), undefined);
  });

  it('lists the metrics of the last BIRTH for a command topic, without bdSeq', () => {
    const state = bornState();
    assert.deepEqual(birthMetrics(state, 'spBv1.0/plant/DCMD/edge1/pump'), [
      { name: 'Inputs/Pressure', datatype: 'Float', alias: 10 },
      { name: 'Outputs/Running', datatype: 'Boolean', alias: 12 },
      { name: 'Outputs/Speed', datatype: 'Int32', alias: 14 },
    ]);
    assert.deepEqual(
      birthMetrics(state, 'spBv1.0/plant/NCMD/edge1')!.map((m) => m.name),
      ['Node Control/Rebirth', 'setpoint'],
    );
    assert.deepEqual(birthMetrics(state, 'spBv1.0/plant/NCMD/unseen'), []);
    assert.equal(birthMetrics(state, 'spBv1.0/plant/NDATA/edge1'), undefined, 'not a command topic');
  });
});

describe('publish: Encoding (sparkplug)', () => {
  it('a DCMD by metric names gets the aliases and data types of the DBIRTH; the reference library decodes it', async () => {
    const draft = mqttDraft('spBv1.0/plant/DCMD/edge1/pump', JSON.stringify({ timestamp: T0, metrics: [{ name: 'Outputs/Running', value: false }, { name: 'Outputs/Speed', value: 250 }] }), 'sparkplug');
    const back = tahu.decodePayload(bytesOf(await encodeForSend(draft, { sparkplug: { state: bornState(), simulate: false } })));
    assert.equal(Number(back.timestamp), T0);
    assert.deepEqual(
      back.metrics!.map((m): unknown[] => [m.name, Number(m.alias), m.type, m.value]),
      [
        [undefined, 12, 'Boolean', false],
        [undefined, 14, 'Int32', 250],
      ],
    );
  });

  it('an NCMD metric no BIRTH named needs its data type; a type against the BIRTH is refused; the body must be {"metrics": […]}', async () => {
    const env = { sparkplug: { state: bornState(), simulate: false } };
    const ncmd = (body: unknown) => encodeForSend(mqttDraft('spBv1.0/plant/NCMD/edge1', JSON.stringify(body), 'sparkplug'), env);
    assert.match(errorOf(await ncmd({ metrics: [{ name: 'unknown', value: 1 }] })), /Metric "unknown" is in no BIRTH of this edge node: give its data type/);
    assert.match(errorOf(await ncmd({ metrics: [{ name: 'setpoint', datatype: 'String', value: 'x' }] })), /"setpoint" is Double in the BIRTH, not String/);
    assert.match(errorOf(await ncmd({ setpoint: 1 })), /sparkplug takes \{"metrics"/);
    assert.match(errorOf(await ncmd({ metrics: [] })), /at least one metric/);
    const named = tahu.decodePayload(bytesOf(await ncmd({ metrics: [{ name: 'unknown', datatype: 'Int32', value: -3 }, { name: 'Node Control/Rebirth', value: true }] })));
    assert.deepEqual(
      named.metrics!.map((m): unknown[] => [m.name, m.type, m.value]),
      [
        ['unknown', 'Int32', -3],
        ['Node Control/Rebirth', 'Boolean', true],
      ],
    );
  });

  it('BIRTH and DATA are refused unless simulating; simulated, they are encoded as written', async () => {
    const body = JSON.stringify({ seq: 0, metrics: [{ name: 'bdSeq', datatype: 'UInt64', value: 0 }, { name: 'temperature', alias: 1, datatype: 'Float', value: 21.5 }] });
    const birth = mqttDraft('spBv1.0/plant/NBIRTH/edge9', body, 'sparkplug');
    assert.match(errorOf(await encodeForSend(birth, { sparkplug: { simulate: false } })), /NBIRTH messages come from the edge node itself/);
    assert.match(errorOf(await encodeForSend(birth, {})), /NBIRTH messages come from the edge node itself/, 'no session: no simulation');
    const back = tahu.decodePayload(bytesOf(await encodeForSend(birth, { sparkplug: { simulate: true } })));
    assert.deepEqual(
      back.metrics!.map((m): unknown[] => [m.name, m.type, m.alias === undefined ? undefined : Number(m.alias)]),
      [
        ['bdSeq', 'UInt64', undefined],
        ['temperature', 'Float', 1],
      ],
    );
    assert.equal(Number(back.seq), 0);
  });

  it('sparkplug stands alone and is for MQTT', async () => {
    assert.match((parseEncoding('sparkplug, gzip') as { error: string }).error, /sparkplug stands alone/);
    assert.match((parseEncoding('msgpack, sparkplug') as { error: string }).error, /one of json, msgpack, cbor, protobuf or sparkplug at most/);
    const amqp: PublishDraft = { payload: '{"metrics": []}', format: 'json', encoding: 'sparkplug', amqp: { exchange: 'x', routingKey: 'k', mandatory: false } };
    assert.match(errorOf(await encodeForSend(amqp, {})), /sparkplug is for MQTT topics/);
  });
});

describe('message files: Encoding: sparkplug', () => {
  const file = parseMessageFile(
    [
      'PUBLISH mqtt://local/spBv1.0/plant/DCMD/edge1/pump',
      'Encoding: sparkplug',
      '',
      '{"metrics": [{"name": "Outputs/Running", "value": true}]}',
      '',
      '###',
      'PUBLISH mqtt://local/spBv1.0/plant/DDATA/edge1/pump',
      'Encoding: sparkplug',
      '',
      '{"metrics": [{"name": "Outputs/Running", "datatype": "Boolean", "value": true}]}',
      '',
      '###',
      'PUBLISH mqtt://local/spBv1.0/plant/NCMD/edge1',
      'Encoding: sparkplug, gzip',
      '',
      '{"metrics": []}',
      '',
    ].join('\n'),
  );

  it('checks the header as you type: sparkplug is a codec, and stands alone', () => {
    const problems = checkMessageFile(file, { connections: [{ name: 'local', kind: 'mqtt' }] });
    assert.ok(!problems.some((p) => p.line < 10 && p.severity === 'error'), JSON.stringify(problems));
    assert.ok(problems.some((p) => p.line === 13 && p.code === 'bad-encoding' && /sparkplug stands alone/.test(p.message)), JSON.stringify(problems));
  });

  it('a DCMD block gets the DBIRTH aliases; a DDATA block is refused unless the session simulates', async () => {
    const resolved = (i: number) => resolveBlock(file, file.blocks[i]!, testResolveEnv) as ResolvedMessage;
    const dcmd = resolved(0);
    assert.deepEqual(dcmd.encoding, [{ codec: 'sparkplug' }]);
    const sent = await encodeDraft(dcmd.draft!, dcmd.encoding, undefined, undefined, { state: bornState(), simulate: false });
    assert.ok(!('error' in sent), JSON.stringify(sent));
    const back = tahu.decodePayload(Buffer.from(sent.payload, 'base64'));
    assert.deepEqual(back.metrics!.map((m): unknown[] => [m.name, Number(m.alias), m.type, m.value]), [[undefined, 12, 'Boolean', true]]);
    const ddata = resolved(1);
    const refused = await encodeDraft(ddata.draft!, ddata.encoding!, undefined, undefined, { simulate: false });
    assert.match((refused as { error: string }).error, /DDATA messages come from the edge node itself/);
    const simulated = await encodeDraft(ddata.draft!, ddata.encoding!, undefined, undefined, { simulate: true });
    assert.ok(!('error' in simulated));
  });
});

describe('publish: Encoding (protobuf, MessagePack, compression)', () => {
  const read = async (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
  const typesOf = async (): Promise<ProtobufTypes> => {
    const schemas = await loadProtoSchemas(['proto/acme/telemetry.proto'], read, { includeDirs: ['proto'] });
    return async (type) => (schemas.types.includes(type) ? { schemas, type } : `no message type "${type}"`);
  };

  it('protobuf of a workspace type, then gzip: protobufjs reads the fixture type back from the gunzipped bytes', async () => {
    const draft = mqttDraft('acme/line-4/telemetry', '{"sensor": "line-4", "value": 3.5, "unit": "CELSIUS"}', 'protobuf acme.telemetry.Reading, gzip');
    const bytes = bytesOf(await encodeForSend(draft, { protobufTypes: await typesOf() }));
    const Reading = await fixtureReading();
    const back = Reading.toObject(Reading.decode(gunzipSync(bytes)), { enums: String });
    assert.deepEqual([back.sensor, back.value, back.unit], ['line-4', 3.5, 'CELSIUS']);
  });

  it('says in words a field that is not in the type, an unknown type, a body that is not JSON, a bad encoding', async () => {
    const protobufTypes = await typesOf();
    const enc = (payload: string, encoding: string) => encodeForSend(mqttDraft('t', payload, encoding), { protobufTypes });
    assert.match(errorOf(await enc('{"sensor": "a", "colour": "red"}', 'protobuf acme.telemetry.Reading')), /no such fields: colour/);
    assert.match(errorOf(await enc('{}', 'protobuf acme.telemetry.Nope')), /no message type "acme\.telemetry\.Nope"/);
    assert.match(errorOf(await enc('{"sensor": ', 'msgpack')), /encodes the JSON body, and the body is not JSON/);
    assert.match(errorOf(await enc('{}', 'zip')), /unknown codec "zip"/);
    assert.match(errorOf(await encodeForSend(mqttDraft('t', '{}', 'protobuf acme.telemetry.Reading'), {})), /protobuf needs the workspace \.proto files/);
  });

  it('MessagePack says its content type through MQTT 5, none through MQTT 3.1.1; no encoding sends the draft as it is; the limit holds', async () => {
    const draft = mqttDraft('t', '{"a": [1, 2]}', 'msgpack');
    const v5 = await encodeForSend(draft, {}, 5);
    assert.deepEqual(msgpackDecode(bytesOf(v5)), { a: [1, 2] });
    assert.equal((v5 as { draft: PublishDraft }).draft.mqtt?.contentType, 'application/msgpack');
    const v4 = await encodeForSend(draft, {}, 4);
    assert.equal((v4 as { draft: PublishDraft }).draft.mqtt?.contentType, undefined);
    const own = await encodeForSend(mqttDraft('t', '{"a": 1}', 'msgpack', { contentType: 'application/x-mine' }), {}, 5);
    assert.equal((own as { draft: PublishDraft }).draft.mqtt?.contentType, 'application/x-mine', 'a content type typed in the form wins');
    const plain = mqttDraft('t', '{"a": 1}', '  ');
    assert.deepEqual(await encodeForSend(plain, {}), { draft: plain });
    assert.match(errorOf(await encodeForSend(mqttDraft('t', JSON.stringify({ s: 'x'.repeat(500) }), 'msgpack'), { limit: 100 })), /more than the limit of 100/);
  });

  it('a decoders.json mapping preselects its encoding when the panel can encode it', () => {
    assert.equal(encodingOfMapping('protobuf', 'acme.telemetry.Reading'), 'protobuf acme.telemetry.Reading');
    assert.equal(encodingOfMapping('gzip+protobuf', 'acme.telemetry.Reading'), 'protobuf acme.telemetry.Reading, gzip');
    assert.equal(encodingOfMapping('gzip+msgpack'), 'msgpack, gzip');
    assert.equal(encodingOfMapping('avro'), undefined);
    assert.equal(encodingOfMapping('protobuf'), undefined, 'protobuf without a type');
    assert.equal(encodingOfMapping('text'), undefined);
  });

  it('the webview may name an encoding (text) and nothing else', () => {
    const send = (encoding: unknown) => ({ type: 'publish/send', id: 1, brokerId: 'b', draft: { payload: '{}', format: 'json', encoding, mqtt: { topic: 't', qos: 0, retain: false } } });
    assert.ok(isPublishWebviewMessage(send('msgpack')));
    assert.ok(!isPublishWebviewMessage(send(5)));
    assert.ok(isPublishWebviewMessage({ type: 'publish/encodingInfo', id: 2, brokerId: 'b', topic: 'spBv1.0/g/NCMD/e' }));
    assert.ok(!isPublishWebviewMessage({ type: 'publish/encodingInfo', id: 2, brokerId: 'b', topic: 7 }));
    assert.ok(isPublishWebviewMessage({ type: 'publish/simulate', simulate: true }));
    assert.ok(!isPublishWebviewMessage({ type: 'publish/simulate', simulate: 'yes' }));
  });
});
