// Sparkplug B (issue 20): payloads made by Eclipse Tahu's own JavaScript encoder (the
// sparkplug-payload package, a devDependency with its own protobufjs 6), decoded by our codec and
// fed to the state tracker: BIRTH → DATA alias resolution, sequence gaps and out-of-order
// messages, bdSeq and rebirth, STATE; cut and corrupt payloads; the NCMD / DCMD builder, whose
// output the reference decodes.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import Long from 'long';
import { get as sparkplugPayload } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { codecRegistry } from '../../src/core/codecs/registry';
import { buildCommand, createSparkplugState, decodeSparkplugPayload, encodeSparkplugPayload } from '../../src/core/codecs/impl/sparkplug';
import { parseSparkplugTopic, sparkplugTopic } from '../../src/core/codecs/sparkplug/topic';

const tahu = sparkplugPayload('spBv1.0')!;
const LIMIT = 1024 * 1024;
const T0 = 1_700_000_000_000;

const BIRTH_METRICS: UMetric[] = [
  { name: 'bdSeq', type: 'UInt64', value: 7 },
  { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
  { name: 'temperature', alias: 1, type: 'Float', value: 21.5 },
  { name: 'count', alias: 2, type: 'Int64', value: -42 },
  { name: 'small', alias: 3, type: 'Int8', value: -5 },
  { name: 'label', alias: 4, type: 'String', value: 'Line 1' },
  { name: 'running', alias: 5, type: 'Boolean', value: true },
];

const enc = (p: UPayload) => tahu.encodePayload(p);
const nbirth = (seq: number, bdSeq = 7) => enc({ timestamp: T0, seq, metrics: BIRTH_METRICS.map((m) => (m.name === 'bdSeq' ? { ...m, value: bdSeq } : m)) });
const ndata = (seq: number, metrics: UMetric[]) => enc({ timestamp: T0 + seq, seq, metrics });
const ndeath = (bdSeq: number) => enc({ timestamp: T0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] });

const topic = (type: string, device?: string) => (device ? `spBv1.0/plant/${type}/edge1/${device}` : `spBv1.0/plant/${type}/edge1`);

describe('codecs: Sparkplug B topics', () => {
  it('parses the namespace and refuses what does not follow it', () => {
    assert.deepEqual(parseSparkplugTopic('spBv1.0/plant/NBIRTH/edge1'), { kind: 'node', group: 'plant', type: 'NBIRTH', edgeNode: 'edge1' });
    assert.deepEqual(parseSparkplugTopic('spBv1.0/plant/DDATA/edge1/pump 2'), { kind: 'device', group: 'plant', type: 'DDATA', edgeNode: 'edge1', device: 'pump 2' });
    assert.deepEqual(parseSparkplugTopic('spBv1.0/STATE/scada1'), { kind: 'state', hostId: 'scada1' });
    for (const bad of ['spBv1.0/plant/NDATA/edge1/dev', 'spBv1.0/plant/DDATA/edge1', 'spBv1.0/plant/XDATA/edge1', 'spBv1.0/plant', 'spBv1.0/STATE', 'spBv1.0//NDATA/e', 'other/plant/NDATA/e']) {
      assert.equal(parseSparkplugTopic(bad), undefined, bad);
    }
    assert.equal(sparkplugTopic('plant', 'DCMD', 'edge1', 'pump'), 'spBv1.0/plant/DCMD/edge1/pump');
  });
});

describe('codecs: Sparkplug B payloads', () => {
  it('decodes a Tahu NBIRTH with every simple type, signed ints sign-extended, floats as written', async () => {
    const r = await codecRegistry.decode(nbirth(0), { limit: LIMIT, hints: { topic: topic('NBIRTH') } });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.codecs, ['sparkplug']);
    const v = r.value as { timestamp: number; seq: number; metrics: { name: string; alias?: number; datatype: string; value: unknown }[] };
    assert.equal(v.timestamp, T0);
    assert.equal(v.seq, 0);
    assert.deepEqual(
      v.metrics.map((m) => [m.name, m.alias, m.datatype, m.value]),
      BIRTH_METRICS.map((m): unknown[] => [m.name, m.alias, m.type, m.value]),
    );
  });

  it('decodes DataSet, Template, PropertySet, Bytes and null metrics the reference wrote', () => {
    const bytes = enc({
      timestamp: T0,
      metrics: [
        { name: 'ds', type: 'DataSet', value: { numOfColumns: 2, columns: ['a', 'b'], types: ['Int32', 'String'], rows: [[1, 'x'], [-2, 'y']] } },
        { name: 'raw', type: 'Bytes', value: new Uint8Array([1, 2, 3]) },
        { name: 'gone', type: 'Int32', value: null },
        { name: 'withProps', type: 'Double', value: 2.5, properties: { engUnit: { type: 'String', value: '°C' }, max: { type: 'Int32', value: 100 } } },
        { name: 'udt', type: 'Template', value: { templateRef: 'Motor', isDefinition: false, metrics: [{ name: 'rpm', type: 'UInt32', value: 1500 }], parameters: [{ name: 'p', type: 'String', value: 'q' }] } },
      ],
    });
    const { payload, error } = decodeSparkplugPayload(bytes);
    assert.equal(error, undefined);
    const [ds, raw, gone, props, udt] = payload.metrics;
    assert.deepEqual(ds!.value, { columns: ['a', 'b'], types: ['Int32', 'String'], rows: [[1, 'x'], [-2, 'y']] });
    assert.deepEqual(raw!.value, { $base64: 'AQID' });
    assert.equal(gone!.value, null);
    assert.equal(gone!.isNull, true);
    assert.deepEqual(props!.properties, { engUnit: '°C', max: 100 });
    assert.deepEqual(udt!.value, { templateRef: 'Motor', isDefinition: false, metrics: [{ name: 'rpm', datatype: 7, value: 1500 }], parameters: [{ name: 'p', type: 'String', value: 'q' }] });
  });

  it('a cut payload keeps the metrics before the cut; a corrupt one says so; neither throws', async () => {
    const full = nbirth(0);
    const cut = decodeSparkplugPayload(full.subarray(0, full.length - 6));
    assert.match(cut.error!, /ends early/);
    assert.ok(cut.payload.metrics.length >= 4 && cut.payload.metrics.length < BIRTH_METRICS.length, `${cut.payload.metrics.length} metrics kept`);
    assert.equal(cut.payload.metrics[2]!.name, 'temperature');
    const corrupt = decodeSparkplugPayload(new Uint8Array([0x12, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    assert.match(corrupt.error!, /Sparkplug B: the payload/);
    const r = await codecRegistry.decode(new Uint8Array([0x00, 0x01, 0x02]), { limit: LIMIT, hints: { topic: topic('NDATA') } });
    assert.match(r.error!, /Sparkplug B/);
  });

  it('encodes a payload that the reference decodes to the same metrics', () => {
    const bytes = encodeSparkplugPayload({ timestamp: T0, seq: 3, metrics: [{ name: 'a', datatype: 'Int16', value: -300 }, { name: 'b', datatype: 'Int64', value: -9 }, { alias: 9, datatype: 'Double', value: 0.25 }, { name: 's', datatype: 'String', value: 'ü' }, { name: 'u', datatype: 'UInt64', value: '18446744073709551615' }] });
    const back = tahu.decodePayload(bytes);
    assert.equal(Number(back.seq), 3);
    const m = back.metrics!;
    assert.equal(m[0]!.value, -300);
    // The reference hands Int64 back as its unsigned Long (its own quirk): the bits are -9's.
    assert.equal(Long.fromValue(m[1]!.value as Long).toSigned().toString(), '-9');
    assert.equal(Number(m[2]!.alias), 9);
    assert.equal(m[2]!.value, 0.25);
    assert.equal(m[3]!.value, 'ü');
    assert.equal(String(m[4]!.value), '18446744073709551615');
  });
});

describe('codecs: Sparkplug B state', () => {
  it('resolves DATA aliases from the last NBIRTH and DBIRTH, and the codec shows the names', async () => {
    const state = createSparkplugState();
    state.ingest(topic('NBIRTH'), nbirth(0), 1);
    const r = state.ingest(topic('NDATA'), ndata(1, [{ alias: 1, type: 'Float', value: 22.25 }, { alias: 4, type: 'String', value: 'Line 2' }]), 2);
    assert.equal(r.resolved, 2);
    assert.equal(r.sequence, undefined);
    const node = state.node('plant', 'edge1')!;
    assert.equal(node.status, 'online');
    assert.equal(node.bdSeq, 7);
    assert.equal(node.metrics.get('temperature')!.value, 22.25);
    assert.equal(node.metrics.get('label')!.value, 'Line 2');
    assert.equal(node.metrics.get('count')!.value, -42, 'untouched by the DATA');

    state.ingest(topic('DBIRTH', 'pump'), enc({ timestamp: T0, seq: 2, metrics: [{ name: 'rpm', alias: 1, type: 'UInt32', value: 0 }] }), 3);
    state.ingest(topic('DDATA', 'pump'), enc({ timestamp: T0, seq: 3, metrics: [{ alias: 1, type: 'UInt32', value: 1450 }] }), 4);
    const pump = state.device('plant', 'edge1', 'pump')!;
    assert.equal(pump.status, 'online');
    assert.equal(pump.metrics.get('rpm')!.value, 1450, 'device alias 1 is the device\'s rpm, not the node\'s temperature');
    assert.equal(node.metrics.get('temperature')!.value, 22.25);

    const shown = await codecRegistry.decode(enc({ timestamp: T0, seq: 4, metrics: [{ alias: 1, type: 'UInt32', value: 1460 }] }), { limit: LIMIT, hints: { topic: topic('DDATA', 'pump') }, sparkplug: state });
    const metric = (shown.value as { metrics: { name?: string; value: unknown }[] }).metrics[0]!;
    assert.deepEqual([metric.name, metric.value], ['rpm', 1460]);
    assert.match(shown.warnings.join(), /resolved by alias/);
  });

  it('flags a sequence gap and an out-of-order message, wrapping at 255', () => {
    const state = createSparkplugState();
    state.ingest(topic('NBIRTH'), nbirth(254), 1);
    assert.equal(state.ingest(topic('NDATA'), ndata(255, [{ alias: 1, type: 'Float', value: 1 }]), 2).sequence, undefined);
    assert.equal(state.ingest(topic('NDATA'), ndata(0, [{ alias: 1, type: 'Float', value: 2 }]), 3).sequence, undefined, '255 → 0 wraps');
    const gap = state.ingest(topic('NDATA'), ndata(3, [{ alias: 1, type: 'Float', value: 3 }]), 4);
    assert.equal(gap.sequence, 'gap');
    assert.equal(gap.missing, 2);
    const late = state.ingest(topic('NDATA'), ndata(2, [{ alias: 1, type: 'Float', value: 2.5 }]), 5);
    assert.equal(late.sequence, 'out-of-order');
    assert.equal(state.ingest(topic('NDATA'), ndata(4, [{ alias: 1, type: 'Float', value: 4 }]), 6).sequence, undefined, 'counting goes on from the newest');
    const seq = state.node('plant', 'edge1')!.seq;
    assert.deepEqual([seq.gaps, seq.outOfOrder, seq.last], [2, 1, 4]);
  });

  it('NDEATH of the current bdSeq takes node and devices offline; a stale one is ignored; a rebirth resets aliases', () => {
    const state = createSparkplugState();
    state.ingest(topic('NBIRTH'), nbirth(0, 7), 1);
    state.ingest(topic('DBIRTH', 'pump'), enc({ timestamp: T0, seq: 1, metrics: [{ name: 'rpm', alias: 1, type: 'UInt32', value: 0 }] }), 2);
    assert.match(state.ingest(topic('NDEATH'), ndeath(6), 3).ignored!, /older session/);
    assert.equal(state.node('plant', 'edge1')!.status, 'online');
    state.ingest(topic('NDEATH'), ndeath(7), 4);
    assert.equal(state.node('plant', 'edge1')!.status, 'offline');
    assert.equal(state.device('plant', 'edge1', 'pump')!.status, 'offline');

    // Rebirth with new aliases: alias 1 is now "pressure".
    state.ingest(topic('NBIRTH'), enc({ timestamp: T0, seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 8 }, { name: 'pressure', alias: 1, type: 'Double', value: 1.0 }] }), 5);
    const node = state.node('plant', 'edge1')!;
    assert.deepEqual([node.status, node.bdSeq, node.rebirths], ['online', 8, 1]);
    state.ingest(topic('NDATA'), ndata(1, [{ alias: 1, type: 'Double', value: 1.25 }]), 6);
    assert.equal(node.metrics.get('pressure')!.value, 1.25);
    assert.equal(node.metrics.has('temperature'), false, 'the old birth is gone');
    assert.equal(state.metricCount, 2 + 1, 'bdSeq + pressure, and the device rpm');
    assert.equal(state.device('plant', 'edge1', 'pump')!.status, 'offline', 'not born in this session yet');
  });

  it('DATA before any BIRTH leaves the node stale with its aliases unresolved', () => {
    const state = createSparkplugState();
    const r = state.ingest(topic('NDATA'), ndata(5, [{ alias: 1, type: 'Float', value: 1 }, { name: 'named', type: 'Int32', value: 3 }]), 1);
    assert.equal(r.resolved, 0);
    const node = state.node('plant', 'edge1')!;
    assert.equal(node.status, 'stale');
    assert.equal(node.unknownMetrics, 2);
    assert.equal(node.metrics.get('named')!.value, 3);
  });

  it('STATE: Sparkplug 3.0 JSON and 2.2 ONLINE/OFFLINE; an older timestamp is ignored', () => {
    const state = createSparkplugState();
    state.ingest('spBv1.0/STATE/scada', Buffer.from(JSON.stringify({ online: true, timestamp: 100 })), 1);
    assert.deepEqual({ ...state.hosts.get('scada') }, { id: 'scada', online: true, timestamp: 100, updatedAt: 1 });
    assert.match(state.ingest('spBv1.0/STATE/scada', Buffer.from(JSON.stringify({ online: false, timestamp: 50 })), 2).ignored!, /older/);
    assert.equal(state.hosts.get('scada')!.online, true);
    state.ingest('spBv1.0/STATE/legacy', Buffer.from('OFFLINE'), 3);
    assert.equal(state.hosts.get('legacy')!.online, false);
    assert.match(state.ingest('spBv1.0/STATE/bad', Buffer.from('maybe'), 4).error!, /STATE/);
  });

  it('stays within its limits and counts what it dropped', () => {
    const state = createSparkplugState({ maxNodes: 2, maxMetrics: 5 });
    for (let i = 0; i < 4; i++) {
      state.ingest(`spBv1.0/g/NBIRTH/n${i}`, nbirth(0), i);
    }
    assert.equal(state.nodeCount, 2);
    assert.ok(state.metricCount <= 5);
    assert.ok(state.dropped >= 2);
    const dirty = state.takeDirty();
    assert.ok(dirty.size > 0);
    assert.equal(state.takeDirty().size, 0);
  });

  it('never throws on garbage at ingest', () => {
    const state = createSparkplugState();
    assert.match(state.ingest('spBv1.0/plant/NDATA/edge1', new Uint8Array([0xff, 0xff, 0xff]), 1).error!, /Sparkplug B/);
    assert.match(state.ingest('spBv1.0/plant/BOGUS/edge1', new Uint8Array(0), 1).error!, /not a Sparkplug B topic/);
  });
});

describe('codecs: Sparkplug NCMD / DCMD builder', () => {
  it('fills in aliases and data types from the last BIRTH; the reference decodes the command', () => {
    const state = createSparkplugState();
    state.ingest(topic('NBIRTH'), nbirth(0), 1);
    const cmd = buildCommand(state, { group: 'plant', edgeNode: 'edge1', metrics: [{ name: 'temperature', value: 30 }, { name: 'Node Control/Rebirth', value: true }], timestamp: T0 });
    assert.ok('payload' in cmd, JSON.stringify(cmd));
    assert.equal(cmd.topic, 'spBv1.0/plant/NCMD/edge1');
    const back = tahu.decodePayload(cmd.payload);
    assert.deepEqual(back.metrics!.map((m): unknown[] => [m.name, m.alias === undefined ? undefined : Number(m.alias), m.type, m.value]), [
      [undefined, 1, 'Float', 30],
      ['Node Control/Rebirth', undefined, 'Boolean', true],
    ]);
  });

  it('refuses a metric no BIRTH named without a type, and a type that contradicts the BIRTH', () => {
    const state = createSparkplugState();
    state.ingest(topic('NBIRTH'), nbirth(0), 1);
    assert.match((buildCommand(state, { group: 'plant', edgeNode: 'edge1', device: 'pump', metrics: [{ name: 'rpm', value: 1 }] }) as { error: string }).error, /in no BIRTH of this device/);
    assert.match((buildCommand(state, { group: 'plant', edgeNode: 'edge1', metrics: [{ name: 'temperature', datatype: 'String', value: 'x' }] }) as { error: string }).error, /is Float in the BIRTH/);
    const dcmd = buildCommand(undefined, { group: 'plant', edgeNode: 'edge1', device: 'pump', metrics: [{ name: 'rpm', datatype: 'UInt32', value: 5 }] });
    assert.ok('topic' in dcmd && dcmd.topic === 'spBv1.0/plant/DCMD/edge1/pump');
  });
});

describe('codecs: the lazy bundles (dist/codecs, built by esbuild.mjs before this layer)', () => {
  const dist = resolve(__dirname, '../../../dist/codecs');
  it('each bundle loads on its own and decodes (no library left to a require that the .vsix cannot satisfy)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sp = require(join(dist, 'sparkplug.js')) as typeof import('../../src/core/codecs/impl/sparkplug');
    const decoded = sp.decodeSparkplugPayload(nbirth(0));
    assert.equal(decoded.payload.metrics.length, BIRTH_METRICS.length);
    assert.equal(decoded.payload.metrics[3]!.value, -42, 'Int64 through the bundled long');
    for (const name of ['compression', 'msgpack', 'cbor', 'protobuf', 'avro']) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require(join(dist, `${name}.js`)) as { codecs: Record<string, unknown>; useL10n: unknown };
      assert.ok(Object.keys(m.codecs).length > 0, name);
      assert.equal(typeof m.useL10n, 'function', name);
    }
  });
});
