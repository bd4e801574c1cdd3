// Protobuf with the workspace's .proto files and Avro with .avsc schemas (issue 20). Payloads come
// from the libraries' own encoders called directly (protobufjs Type.encode, avsc toBuffer) or
// from the wire formats' specifications written out by hand — never only from our encoders.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as avsc from 'avsc';
import * as protobuf from 'protobufjs';
import { codecRegistry } from '../../src/core/codecs/registry';
import { loadProtoSchemas, type ProtoSchemaSet } from '../../src/core/codecs/impl/protobuf';
import { checkAvroSchema } from '../../src/core/codecs/impl/avro';

const FIXTURES = join(__dirname, '../../../test/fixtures/codecs');
const read = (path: string): string | undefined => {
  try {
    return readFileSync(join(FIXTURES, path), 'utf8');
  } catch {
    return undefined;
  }
};
const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const LIMIT = 1024 * 1024;

describe('codecs: Protobuf from .proto files', () => {
  let set: ProtoSchemaSet;
  let reference: protobuf.Root;
  before(async () => {
    set = await loadProtoSchemas(['proto/acme/telemetry.proto', 'proto/acme/telemetry_v2.proto'], read, { includeDirs: ['proto'] });
    // The reference: protobufjs's own loader on the same files, encoding directly.
    reference = new protobuf.Root();
    reference.resolvePath = (_origin, target) => (target.startsWith('/') || target.startsWith('google/') ? target : join(FIXTURES, 'proto', target));
    reference.loadSync([join(FIXTURES, 'proto/acme/telemetry.proto'), join(FIXTURES, 'proto/acme/telemetry_v2.proto')], { keepCase: true });
  });
  const decode = (bytes: Uint8Array, type: string) => codecRegistry.decode(bytes, { limit: LIMIT, codec: 'protobuf', protobuf: { schemas: set, type } });

  it('lists the message types and enums found, imports included, well-known types last', () => {
    assert.deepEqual(set.errors, []);
    assert.deepEqual(set.types.filter((t) => !t.startsWith('google.')), ['acme.common.Location', 'acme.telemetry.Fault', 'acme.telemetry.Reading', 'acme.telemetry.Reading.Sample', 'acme.v2.Reading', 'acme.v2.Reading.Extra', 'acme.v2.Reading.Location']);
    assert.ok(set.types.includes('google.protobuf.Timestamp'));
    assert.deepEqual(set.enums, ['acme.common.Unit']);
    assert.deepEqual(set.files, ['proto/acme/telemetry.proto', 'proto/acme/common.proto', 'proto/acme/telemetry_v2.proto']);
  });

  it('decodes nested messages, an imported enum, oneof, repeated, map, int64, bytes and a Timestamp', async () => {
    const Reading = reference.lookupType('acme.telemetry.Reading');
    const bytes = Reading.encode(
      Reading.fromObject({
        sensor: 't1', value: 21.5, unit: 'CELSIUS', time: { seconds: 1700000000, nanos: 250000000 },
        location: { site: 'plant', path: ['hall', 'line 2'] }, samples: [{ offset_ms: 0, value: 1.5 }, { offset_ms: 100, value: -2 }],
        fault: { code: -3, text: 'overheat' }, counter: '9007199254740993', raw: Buffer.from([1, 2, 3]), labels: { a: 'b' },
      }),
    ).finish();
    const r = await decode(bytes, 'acme.telemetry.Reading');
    assert.equal(r.error, undefined);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.schema, 'acme.telemetry.Reading');
    assert.deepEqual(r.value, {
      sensor: 't1', value: 21.5, unit: 'CELSIUS', time: '2023-11-14T22:13:20.250Z',
      location: { site: 'plant', path: ['hall', 'line 2'] }, samples: [{ offset_ms: 0, value: 1.5 }, { offset_ms: 100, value: -2 }],
      fault: { code: -3, text: 'overheat' }, status: 'fault', counter: '9007199254740993', raw: 'AQID', labels: { a: 'b' },
    });
  });

  it('decodes the protobuf documentation\'s own bytes: 08 96 01 is field 1 = 150', async () => {
    const root = protobuf.parse('syntax = "proto3"; message Test1 { int32 a = 1; }').root;
    const s = await loadProtoSchemas(['t.proto'], () => 'syntax = "proto3"; message Test1 { int32 a = 1; }');
    assert.ok(root.lookupType('Test1'));
    assert.deepEqual((await codecRegistry.decode(hex('08 96 01'), { limit: LIMIT, codec: 'protobuf', protobuf: { schemas: s, type: 'Test1' } })).value, { a: 150 });
  });

  it('says unknown fields by path and number (a newer schema wrote them) and still decodes the known ones', async () => {
    const V2 = reference.lookupType('acme.v2.Reading');
    const bytes = V2.encode(V2.fromObject({ sensor: 't1', value: 2, firmware: '1.2.3', extra: { level: 4 }, location: { site: 'plant', floor: 3 } })).finish();
    const r = await decode(bytes, 'acme.telemetry.Reading');
    assert.equal(r.error, undefined);
    assert.deepEqual(r.value, { sensor: 't1', value: 2, location: { site: 'plant' } });
    assert.match(r.warnings[0]!, /3 fields not in acme\.telemetry\.Reading: location\.#9 \(varint\), #12 \(length-delimited\), #13 \(length-delimited\)/);
  });

  it('cut, corrupt and wrong-type payloads: decoded as far as possible, the fault in words', async () => {
    const Reading = reference.lookupType('acme.telemetry.Reading');
    const bytes = Reading.encode(Reading.fromObject({ sensor: 'sensor-one', value: 1.25, location: { site: 'plant' }, ok: 'fine' })).finish();
    const cut = await decode(bytes.subarray(0, bytes.length - 3), 'acme.telemetry.Reading');
    assert.match(cut.error!, /ends early/);
    assert.deepEqual(cut.value, { sensor: 'sensor-one', value: 1.25, location: { site: 'plant' } });
    const corrupt = await decode(hex('0a 02 6869 ff ff ff'), 'acme.telemetry.Reading');
    assert.match(corrupt.error!, /Protobuf \(acme\.telemetry\.Reading\)/);
    assert.deepEqual(corrupt.value, { sensor: 'hi' });
    const text = await decode(Buffer.from('{"sensor":"t1"}'), 'acme.telemetry.Reading');
    assert.ok(text.error, 'JSON text is not this message');
    const noType = await decode(bytes, 'acme.Nope');
    assert.match(noType.error!, /no message type "acme\.Nope"/);
    const noSchema = await codecRegistry.decode(bytes, { limit: LIMIT, codec: 'protobuf' });
    assert.match(noSchema.error!, /no message type chosen/);
  });

  it('reports files that do not parse and imports not found, and keeps the rest', async () => {
    const s = await loadProtoSchemas(['proto/broken.proto', 'proto/missing_import.proto', 'proto/none.proto', 'proto/acme/common.proto'], read, { includeDirs: ['proto'] });
    const byFile = s.errors.map((e) => `${e.file}: ${e.message}`).join('\n');
    assert.match(byFile, /proto\/broken\.proto: .*(illegal|expected)/);
    assert.match(byFile, /import "acme\/nowhere\.proto" not found/);
    assert.match(byFile, /proto\/none\.proto: the file cannot be read/);
    assert.ok(s.types.includes('acme.common.Location'));
    assert.ok(s.types.includes('Lonely'));
  });

  it('encodes JSON (as the decoder shows it) to bytes the reference reads back; unknown keys refused', async () => {
    const json = { sensor: 't9', unit: 'BAR', time: '2024-01-02T03:04:05.500Z', samples: [{ offset_ms: 5, value: 0.5 }], ok: 'yes', counter: '-5', labels: { k: 'v' } };
    const e = await codecRegistry.encode('protobuf', json, { protobuf: { schemas: set, type: 'acme.telemetry.Reading' } });
    assert.ok(e.bytes, e.error);
    const Reading = reference.lookupType('acme.telemetry.Reading');
    const back = Reading.toObject(Reading.decode(e.bytes), { longs: String, enums: String });
    assert.deepEqual(back, { sensor: 't9', unit: 'BAR', time: { seconds: '1704164645', nanos: 500000000 }, samples: [{ offset_ms: 5, value: 0.5 }], ok: 'yes', counter: '-5', labels: { k: 'v' } });
    const bad = await codecRegistry.encode('protobuf', { sensor: 'x', sensr: 1, location: { sit: 'y' } }, { protobuf: { schemas: set, type: 'acme.telemetry.Reading' } });
    assert.match(bad.error!, /no such fields: sensr, location\.sit/);
    const wrongShape = await codecRegistry.encode('protobuf', { sensor: 'x', samples: 'x' }, { protobuf: { schemas: set, type: 'acme.telemetry.Reading' } });
    assert.match(wrongShape.error!, /samples: array expected/);
    const noType = await codecRegistry.encode('protobuf', { sensor: 'x' }, { protobuf: { schemas: set, type: 'acme.telemetry.Nope' } });
    assert.match(noType.error!, /no message type "acme\.telemetry\.Nope"/);
  });
});

describe('codecs: Avro', () => {
  const schema = JSON.parse(read('avro/order.avsc')!) as avsc.Schema;
  const reference = avsc.Type.forSchema(schema, { wrapUnions: true });
  const order = { id: 42, customer: { string: 'Ada' }, amount: { double: 9.5 }, status: 'PAID', items: [{ sku: 'A-1', qty: 2 }], note: { bytes: Buffer.from([0xff]) } };

  it('decodes raw binary with a schema: records, enums, arrays, unions (wrapped only where JSON could not tell the branches apart)', async () => {
    const bytes = reference.toBuffer(order);
    const r = await codecRegistry.decode(bytes, { limit: LIMIT, codec: 'avro', avro: { schema, name: 'order.avsc' } });
    assert.equal(r.error, undefined);
    assert.equal(r.schema, 'order.avsc');
    assert.deepEqual(r.value, { id: 42, customer: 'Ada', amount: { double: 9.5 }, status: 'PAID', items: [{ sku: 'A-1', qty: 2 }], note: { $base64: '/w==' } });
  });

  it('decodes the specification\'s encodings written by hand: long 64 zig-zag, string "foo", union index', async () => {
    assert.equal((await codecRegistry.decode(hex('8001'), { limit: LIMIT, codec: 'avro', avro: { schema: '"long"' } })).value, 64);
    assert.equal((await codecRegistry.decode(hex('06 666f6f'), { limit: LIMIT, codec: 'avro', avro: { schema: 'string' } })).value, 'foo');
    assert.equal((await codecRegistry.decode(hex('02 02 61'), { limit: LIMIT, codec: 'avro', avro: { schema: ['null', 'string'] } })).value, 'a');
    // 2^63 - 1, exact.
    assert.equal((await codecRegistry.decode(hex('feffffffffffffffff01'), { limit: LIMIT, codec: 'avro', avro: { schema: 'long' } })).value, '9223372036854775807');
  });

  it('Confluent framing: magic 0 + 4-byte id chooses the schema mapped to that id', async () => {
    const body = reference.toBuffer(order);
    const framed = Buffer.concat([hex('00 0000002a'), body]);
    const ids = new Map<number, unknown>([[42, schema]]);
    const r = await codecRegistry.decode(framed, { limit: LIMIT, codec: 'avro', avro: { ids } });
    assert.equal(r.error, undefined);
    assert.match(r.schema!, /Confluent id 42/);
    assert.equal((r.value as { customer: string }).customer, 'Ada');
    const other = await codecRegistry.decode(Buffer.concat([hex('00 00000007'), body]), { limit: LIMIT, codec: 'avro', avro: { ids } });
    assert.match(other.error!, /schema id 7 is not mapped/);
    const unmapped = await codecRegistry.decode(framed, { limit: LIMIT, codec: 'avro' });
    assert.match(unmapped.error!, /Confluent framing \(schema id 42\)/);
  });

  it('cut and corrupt Avro, and a bad schema, in words', async () => {
    const bytes = reference.toBuffer(order);
    const cut = await codecRegistry.decode(bytes.subarray(0, 6), { limit: LIMIT, codec: 'avro', avro: { schema } });
    assert.match(cut.error!, /ends early/);
    const corrupt = await codecRegistry.decode(hex('54 0a ff ff ff'), { limit: LIMIT, codec: 'avro', avro: { schema } });
    assert.ok(corrupt.error, 'corrupt');
    const extra = await codecRegistry.decode(Buffer.concat([bytes, hex('00 00')]), { limit: LIMIT, codec: 'avro', avro: { schema } });
    assert.match(extra.warnings.join(), /2 bytes after the Avro value/);
    assert.match(checkAvroSchema({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] })!, /nope/);
    const badSchema = await codecRegistry.decode(bytes, { limit: LIMIT, codec: 'avro', avro: { schema: { type: 'wat' }, name: 'w.avsc' } });
    assert.match(badSchema.error!, /Avro schema w\.avsc/);
  });

  it('encodes JSON (as the decoder shows it), raw or Confluent-framed, to bytes the reference reads', async () => {
    const shown = { id: 7, customer: null, amount: { int: 3 }, status: 'NEW', items: [], note: 'hi' };
    const raw = await codecRegistry.encode('avro', shown, { avro: { schema } });
    assert.ok(raw.bytes, raw.error);
    assert.deepEqual(JSON.parse(JSON.stringify(reference.fromBuffer(Buffer.from(raw.bytes)))), { id: 7, customer: null, amount: { int: 3 }, status: 'NEW', items: [], note: { string: 'hi' } });
    const framed = await codecRegistry.encode('avro', shown, { avro: { ids: new Map([[5, schema]]), confluentId: 5 } });
    assert.equal(Buffer.from(framed.bytes!.subarray(0, 5)).toString('hex'), '0000000005');
    const bad = await codecRegistry.encode('avro', { ...shown, status: 'LOST' }, { avro: { schema } });
    assert.match(bad.error!, /Status.*"LOST"/);
  });
});
