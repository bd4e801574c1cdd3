// `Encoding:` in message files (issue 20): the grammar, the diagnostics, and what encodeDraft sends,
// decoded back with the reference libraries (not our decoders).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode as msgpackDecode } from '@msgpack/msgpack';
import { decode as cborDecode } from 'cbor2';
import { loadProtoSchemas } from '../../src/core/codecs/impl/protobuf';
import { checkMessageFile, parseMessageFile, resolveBlock, type ResolvedMessage } from '../../src/core/messageFiles';
import { encodeDraft, encodingChain, encodingProperties, parseEncoding, type ProtobufTypes } from '../../src/core/messageFiles/encoding';
import type { PublishDraft } from '../../src/core/protocol/publish';
import { testResolveEnv } from '../support/messageFiles';
import { fixtureReading } from '../support/protoFixtures';

const FIXTURES = join(__dirname, '../../../test/fixtures/codecs');
const bytesOf = (d: PublishDraft) => Buffer.from(d.payload, 'base64');
const ok = (d: PublishDraft | { error: string }): PublishDraft => {
  assert.ok(!('error' in d), 'error' in d ? d.error : '');
  return d;
};

describe('message files: Encoding', () => {
  it('parses codecs in the order they are applied, protobuf with its type', () => {
    const p = parseEncoding('protobuf acme.telemetry.Reading, gzip');
    assert.ok(p.ok);
    assert.deepEqual(p.steps, [{ codec: 'protobuf', type: 'acme.telemetry.Reading' }, { codec: 'gzip' }]);
    assert.equal(encodingChain(p.steps), 'gzip+protobuf', 'the registry chain is outermost first');
    assert.deepEqual((parseEncoding('MessagePack') as { steps: unknown }).steps, [{ codec: 'msgpack' }]);
    assert.deepEqual((parseEncoding('gzip') as { steps: unknown }).steps, [{ codec: 'gzip' }]);
  });

  it('says what is wrong with a bad Encoding, in words', () => {
    const err = (v: string) => {
      const p = parseEncoding(v);
      assert.ok(!p.ok, v);
      return p.error;
    };
    assert.match(err('zip'), /unknown codec "zip"/);
    assert.match(err('protobuf'), /protobuf needs the message type/);
    assert.match(err('protobuf a b'), /protobuf needs the message type/);
    assert.match(err('gzip, msgpack'), /msgpack encodes the JSON body, so it comes first/);
    assert.match(err('msgpack, cbor'), /one of json, msgpack, cbor, protobuf or sparkplug at most/);
    assert.match(err('gzip fast'), /"gzip" takes no argument/);
    assert.match(err(' , '), /name a codec/);
  });

  it('names the content type (and AMQP content encoding) the encoding implies', () => {
    const steps = (v: string) => (parseEncoding(v) as { steps: Parameters<typeof encodingProperties>[0] }).steps;
    assert.deepEqual(encodingProperties(steps('msgpack'), 'mqtt'), { contentType: 'application/msgpack' });
    assert.deepEqual(encodingProperties(steps('msgpack, gzip'), 'mqtt'), {}, 'MQTT has no content encoding: a compressed payload names no type');
    assert.deepEqual(encodingProperties(steps('msgpack, gzip'), 'amqp'), { contentType: 'application/msgpack', contentEncoding: 'gzip' });
    assert.deepEqual(encodingProperties(steps('cbor, brotli'), 'amqp'), { contentType: 'application/cbor', contentEncoding: 'br' });
    assert.deepEqual(encodingProperties(steps('gzip, zlib'), 'amqp'), {});
  });

  it('shows a bad Encoding and a body that is not JSON as you type', () => {
    const file = parseMessageFile('PUBLISH mqtt://local/a\nEncoding: zip\n\n{}\n\n###\nPUBLISH mqtt://local/b\nEncoding: msgpack\n\nnot json\n\n###\nPUBLISH mqtt://local/c\nEncoding: gzip\n\nplain text is fine\n');
    const problems = checkMessageFile(file, { connections: [{ name: 'local', kind: 'mqtt' }] });
    const byCode = problems.map((p) => `${p.line}:${p.code}`);
    assert.ok(byCode.includes('1:bad-encoding'), byCode.join(' '));
    assert.ok(problems.some((p) => p.code === 'invalid-json' && p.line === 9 && /Encoding: msgpack encodes the JSON body/.test(p.message)), byCode.join(' '));
    assert.ok(!problems.some((p) => p.line >= 12 && p.severity === 'error'), 'gzip compresses any body');
  });

  it('resolves the steps with the block, and refuses a body that is not JSON for a structured codec', () => {
    const file = parseMessageFile('PUBLISH mqtt://local/a\nEncoding: cbor, gzip\n\n{"t": 1}\n\n###\nPUBLISH mqtt://local/b\nEncoding: cbor\n\nnope\n');
    const r = resolveBlock(file, file.blocks[0]!, testResolveEnv) as ResolvedMessage;
    assert.deepEqual(r.encoding, [{ codec: 'cbor' }, { codec: 'gzip' }]);
    const bad = resolveBlock(file, file.blocks[1]!, testResolveEnv);
    assert.ok('error' in bad && /the body is not JSON, but Encoding: cbor encodes JSON/.test(bad.error), JSON.stringify(bad));
  });

  it('encodes MessagePack then gzip, CBOR, and a text body gzipped as it is', async () => {
    const mqttDraft = (payload: string): PublishDraft => ({ payload, format: 'text', mqtt: { topic: 't', qos: 0, retain: false } });
    const amqpDraft = (payload: string): PublishDraft => ({ payload, format: 'text', amqp: { exchange: '', routingKey: 'q', mandatory: true } });
    const mp = ok(await encodeDraft(amqpDraft('{"level": 7, "tags": ["a"]}'), [{ codec: 'msgpack' }, { codec: 'gzip' }], undefined, undefined));
    assert.equal(mp.format, 'base64');
    assert.deepEqual(msgpackDecode(gunzipSync(bytesOf(mp))), { level: 7, tags: ['a'] });
    assert.deepEqual([mp.amqp?.contentType, mp.amqp?.contentEncoding], ['application/msgpack', 'gzip']);
    const cb = ok(await encodeDraft(mqttDraft('{"ok": true}'), [{ codec: 'cbor' }], undefined, undefined));
    assert.deepEqual(cborDecode(bytesOf(cb)), { ok: true });
    assert.equal(cb.mqtt?.contentType, 'application/cbor');
    const named = ok(await encodeDraft({ ...mqttDraft('{"ok": true}'), mqtt: { topic: 't', qos: 0, retain: false, contentType: 'application/vnd.acme+cbor' } }, [{ codec: 'cbor' }], undefined, undefined));
    assert.equal(named.mqtt?.contentType, 'application/vnd.acme+cbor', 'the block\'s own Content-Type stays');
    const gz = ok(await encodeDraft(mqttDraft('line one\nline two'), [{ codec: 'gzip' }], undefined, undefined));
    assert.equal(gunzipSync(bytesOf(gz)).toString('utf8'), 'line one\nline two');
    assert.equal(gz.mqtt?.contentType, undefined);
  });

  it('encodes Protobuf with a type of the .proto files, decoded back by protobufjs; says why when it cannot', async () => {
    const read = (p: string): string | undefined => {
      try {
        return readFileSync(join(FIXTURES, p), 'utf8');
      } catch {
        return undefined;
      }
    };
    const schemas = await loadProtoSchemas(['proto/acme/telemetry.proto'], read, { includeDirs: ['proto'] });
    const types: ProtobufTypes = async (type) => (schemas.types.includes(type) ? { schemas, type } : `no message type "${type}"`);
    const draft: PublishDraft = { payload: '{"sensor": "line-9", "value": 2.5, "unit": "CELSIUS", "counter": "9007199254740993"}', format: 'text', mqtt: { topic: 't', qos: 1, retain: false } };
    const pb = ok(await encodeDraft(draft, [{ codec: 'protobuf', type: 'acme.telemetry.Reading' }], types, undefined));
    const Reading = await fixtureReading();
    const back = Reading.toObject(Reading.decode(bytesOf(pb)), { longs: String, enums: String });
    assert.deepEqual([back.sensor, back.value, back.unit, back.counter], ['line-9', 2.5, 'CELSIUS', '9007199254740993']);
    assert.equal(pb.mqtt?.contentType, 'application/x-protobuf');
    const missing = await encodeDraft(draft, [{ codec: 'protobuf', type: 'acme.Nope' }], types, undefined);
    assert.ok('error' in missing && /no message type "acme\.Nope"/.test(missing.error));
    const cli = await encodeDraft(draft, [{ codec: 'protobuf', type: 'acme.telemetry.Reading' }], undefined, undefined);
    assert.ok('error' in cli && /only VS Code reads/.test(cli.error), 'the command line says why');
    const big = await encodeDraft(draft, [{ codec: 'protobuf', type: 'acme.telemetry.Reading' }], types, 10);
    assert.ok('error' in big && /more than the limit of 10/.test(big.error));
  });
});
