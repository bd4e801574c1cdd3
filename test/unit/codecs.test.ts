// The codec registry, compression and the binary JSON codecs (issue 20). Payloads come from the
// reference implementations (node:zlib, the MessagePack and CBOR specifications' own examples),
// not from our encoders; the encoders are checked by decoding with those references.
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { CodecRegistry, codecRegistry, parseChain } from '../../src/core/codecs/registry';
import { codecForContentType, codecsFromHints, isSparkplugTopic, mediaParam } from '../../src/core/codecs/hints';
import { toJsonable } from '../../src/core/codecs/jsonable';
import type { DecodeContext } from '../../src/core/codecs/types';

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const LIMIT = 1024 * 1024;
const decode = (bytes: Uint8Array, ctx: Partial<DecodeContext> = {}) => codecRegistry.decode(bytes, { limit: LIMIT, ...ctx });
const json = { temperature: 21.5, unit: '°C', tags: ['a', 'b'], nested: { ok: true, n: null } };
const jsonBytes = () => Buffer.from(JSON.stringify(json));

describe('codecs: registry and selection', () => {
  it('selects codecs from MQTT / AMQP hints: content-encoding first, then content-type or the Sparkplug topic', () => {
    assert.deepEqual(codecsFromHints({ contentType: 'application/x-msgpack' }), ['msgpack']);
    assert.deepEqual(codecsFromHints({ contentType: 'Application/CBOR; charset=binary' }), ['cbor']);
    assert.deepEqual(codecsFromHints({ contentType: 'application/vnd.acme+json' }), ['json']);
    assert.deepEqual(codecsFromHints({ contentEncoding: 'gzip', contentType: 'application/msgpack' }), ['gzip', 'msgpack']);
    assert.deepEqual(codecsFromHints({ contentEncoding: 'deflate, gzip' }), ['gzip', 'deflate']);
    assert.deepEqual(codecsFromHints({ topic: 'spBv1.0/plant/DDATA/edge1/dev1', contentType: 'application/json' }), ['sparkplug']);
    assert.deepEqual(codecsFromHints({ topic: 'spBv1.0/STATE/scada' }), ['sparkplug-state']);
    assert.deepEqual(codecsFromHints({ topic: 'plant/spBv1.0/x' }), []);
    assert.deepEqual(codecsFromHints({ contentType: 'application/octet-stream' }), []);
    assert.equal(codecForContentType('text/plain'), 'text');
    assert.equal(mediaParam('application/x-protobuf; proto="acme.Reading"', 'PROTO'), 'acme.Reading');
    assert.equal(isSparkplugTopic('spBv1.0/g/NDATA/e'), true);
    assert.equal(isSparkplugTopic('spbv1.0/g/NDATA/e'), false);
    assert.deepEqual(parseChain('gzip → msgpack'), ['gzip', 'msgpack']);
    assert.deepEqual(parseChain('gzip+cbor'), ['gzip', 'cbor']);
  });

  it('detects only what magic bytes prove: gzip, zlib, self-described CBOR; never MessagePack', () => {
    assert.equal(codecRegistry.detect(zlib.gzipSync(jsonBytes())), 'gzip');
    assert.equal(codecRegistry.detect(zlib.deflateSync(jsonBytes())), 'zlib');
    assert.equal(codecRegistry.detect(hex('d9d9f7 a1 6161 01')), 'cbor');
    assert.equal(codecRegistry.detect(hex('82 a7 636f6d70616374 c3 a6 736368656d61 00')), undefined);
    assert.equal(codecRegistry.detect(jsonBytes()), undefined);
  });

  it('falls back to JSON, text or bytes when no codec claims the payload', async () => {
    const j = await decode(jsonBytes());
    assert.deepEqual(j.value, json);
    assert.deepEqual(j.codecs, []);
    const t = await decode(Buffer.from('hello'));
    assert.equal(t.value, 'hello');
    const b = await decode(hex('00 01 ff fe'));
    assert.deepEqual(b.value, { $base64: 'AAH//g==' });
    assert.match(b.text, /00 01 ff fe/);
    // "x^" starts like a zlib stream but is not one: shown as the text it is.
    const x = await decode(Buffer.from('x^2 + y^2 = r^2'));
    assert.equal(x.value, 'x^2 + y^2 = r^2');
    assert.equal(x.error, undefined);
  });

  it('says an unknown codec and a codec that cannot encode in words, and never throws', async () => {
    const r = await decode(jsonBytes(), { codec: 'nope' });
    assert.match(r.error!, /Unknown codec "nope"/);
    const e = await codecRegistry.encode('bytes', { a: 1 });
    assert.match(e.error!, /cannot encode/);
    const throwing = new CodecRegistry([{ id: 'boom', label: 'Boom', load: async () => ({ decode: () => { throw new Error('kaput'); } }) }]);
    const r2 = await throwing.decode(jsonBytes(), { limit: LIMIT, codec: 'boom' });
    assert.equal(r2.error, 'Boom: kaput');
    const failing = new CodecRegistry([{ id: 'gone', label: 'Gone', load: async () => { throw new Error('bundle missing'); } }]);
    assert.equal((await failing.decode(jsonBytes(), { limit: LIMIT, codec: 'gone' })).error, 'Gone: bundle missing');
  });

  it('makes library values JSON-able: bigint, bytes, Map, Date, NaN', () => {
    assert.deepEqual(toJsonable({ a: 2n ** 70n, b: 5n, c: new Uint8Array([1, 2, 3]), d: new Map<unknown, unknown>([[1, 'x']]), e: new Date(0), f: NaN, g: undefined }), {
      a: '1180591620717411303424', b: 5, c: { $base64: 'AQID' }, d: { 1: 'x' }, e: '1970-01-01T00:00:00.000Z', f: 'NaN', g: null,
    });
    assert.deepEqual(toJsonable(new Map<unknown, unknown>([[[1], 'x']])), { $map: [[[1], 'x']] });
  });
});

describe('codecs: gzip, zlib, deflate', () => {
  it('decompresses node:zlib output by magic bytes and hands it to the next codec', async () => {
    const r = await decode(zlib.gzipSync(jsonBytes()));
    assert.deepEqual(r.value, json);
    assert.deepEqual(r.codecs, ['gzip']);
    assert.equal(r.codec, 'gzip');
    const z = await decode(zlib.deflateSync(jsonBytes()));
    assert.deepEqual(z.value, json);
    const twice = await decode(zlib.gzipSync(zlib.gzipSync(jsonBytes())));
    assert.deepEqual(twice.codecs, ['gzip', 'gzip']);
    assert.deepEqual(twice.value, json);
  });

  it('takes AMQP content-encoding deflate as zlib or raw deflate, and brotli by content-encoding br', async () => {
    for (const bytes of [zlib.deflateSync(jsonBytes()), zlib.deflateRawSync(jsonBytes())]) {
      const r = await decode(bytes, { hints: { contentEncoding: 'deflate', contentType: 'application/json' } });
      assert.deepEqual(r.value, json);
      assert.deepEqual(r.codecs, ['deflate', 'json']);
    }
    const br = await decode(zlib.brotliCompressSync(jsonBytes()), { hints: { contentEncoding: 'br' } });
    assert.deepEqual(br.value, json);
  });

  it('a cut gzip stream gives the text decompressed before the cut, and says so', async () => {
    const text = Array.from({ length: 20000 }, (_, i) => `line ${i}`).join('\n');
    const gz = zlib.gzipSync(Buffer.from(text));
    const r = await decode(gz.subarray(0, Math.floor(gz.length / 2)));
    assert.match(r.error!, /gzip: the compressed data ends early/);
    assert.equal(r.truncated, true);
    assert.equal(typeof r.value, 'string');
    const got = r.value as string;
    assert.ok(got.length > 1000 && text.startsWith(got.slice(0, -20)), `a prefix of the original (${got.length} characters)`);
  });

  it('a corrupt gzip stream is an error in words, not a crash', async () => {
    const gz = Buffer.from(zlib.gzipSync(jsonBytes()));
    gz.fill(0xff, 12, 20);
    const r = await decode(gz, { codec: 'gzip' });
    assert.match(r.error!, /gzip: the compressed data is corrupt/);
  });

  it('a decompression bomb stops at the limit with a marker', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024)); // 64 MB of zeros in ~64 KB
    assert.ok(bomb.length < 100 * 1024);
    const limit = 256 * 1024;
    const r = await codecRegistry.decode(bomb, { limit });
    assert.equal(r.truncated, true);
    assert.match(r.warnings.join('\n'), /stopped at the limit of 262144 bytes/);
    assert.deepEqual(r.codecs, ['gzip']);
    // The zeros are bytes: base64 of exactly `limit` bytes.
    assert.equal(Buffer.from((r.value as { $base64: string }).$base64, 'base64').length, limit);
  });

  it('encodes JSON as gzip that node:zlib reads back', async () => {
    const e = await codecRegistry.encode('gzip', json);
    assert.deepEqual(JSON.parse(zlib.gunzipSync(e.bytes!).toString()), json);
    const z = await codecRegistry.encode('zlib', json);
    assert.deepEqual(JSON.parse(zlib.inflateSync(z.bytes!).toString()), json);
  });
});

describe('codecs: MessagePack', () => {
  it('decodes the specification\'s example and its types: bin, uint64, timestamp ext, nested maps', async () => {
    // msgpack.org's front-page example: {"compact": true, "schema": 0}.
    const r = await decode(hex('82 a7 636f6d70616374 c3 a6 736368656d61 00'), { hints: { contentType: 'application/msgpack' } });
    assert.deepEqual(r.value, { compact: true, schema: 0 });
    assert.equal(r.codec, 'MessagePack');
    // {"b": bin8 [1,2,3], "u": uint64 max, "t": timestamp 32 (ext -1) of second 0, "m": {"x": [-1, 1.5]}}
    const r2 = await decode(hex('84 a162 c403010203 a175 cfffffffffffffffff a174 d6ff00000000 a16d 81 a178 92 ff cb3ff8000000000000'), { codec: 'msgpack' });
    assert.deepEqual(r2.value, { b: { $base64: 'AQID' }, u: '18446744073709551615', t: '1970-01-01T00:00:00.000Z', m: { x: [-1, 1.5] } });
    assert.equal(r2.error, undefined);
  });

  it('cut and corrupt MessagePack: the error in words, earlier values kept', async () => {
    const cut = await decode(hex('82 a7 636f6d70616374 c3 a6 7363'), { codec: 'msgpack' });
    assert.match(cut.error!, /MessagePack: the data ends early/);
    const bad = await decode(hex('c1'), { codec: 'msgpack' });
    assert.match(bad.error!, /MessagePack: .*0xc1/);
    const seq = await decode(hex('01 02 c1'), { codec: 'msgpack' });
    assert.deepEqual(seq.value, [1, 2]);
    assert.match(seq.error!, /value 3 is unreadable/);
  });

  it('a gzip-compressed MessagePack (AMQP content-encoding + content-type) decodes through both', async () => {
    const r = await decode(zlib.gzipSync(hex('82 a7 636f6d70616374 c3 a6 736368656d61 00')), { hints: { contentEncoding: 'gzip', contentType: 'application/x-msgpack' } });
    assert.deepEqual(r.value, { compact: true, schema: 0 });
    assert.equal(r.codec, 'gzip → MessagePack');
  });

  it('encodes JSON to the bytes the specification gives', async () => {
    const e = await codecRegistry.encode('msgpack', { compact: true, schema: 0 });
    assert.equal(Buffer.from(e.bytes!).toString('hex'), '82a7636f6d70616374c3a6736368656d6100');
    const chain = await codecRegistry.encode('gzip+msgpack', { compact: true, schema: 0 });
    assert.equal(zlib.gunzipSync(chain.bytes!).toString('hex'), '82a7636f6d70616374c3a6736368656d6100');
  });
});

describe('codecs: CBOR', () => {
  it('decodes RFC 8949 Appendix A examples: maps, arrays, tag 1 dates, 64-bit integers, self-described tag', async () => {
    assert.deepEqual((await decode(hex('a2 6161 01 6162 82 02 03'), { hints: { contentType: 'application/cbor' } })).value, { a: 1, b: [2, 3] });
    assert.equal((await decode(hex('c1 1a514b67b0'), { codec: 'cbor' })).value, '2013-03-21T20:04:00.000Z');
    assert.equal((await decode(hex('1bffffffffffffffff'), { codec: 'cbor' })).value, '18446744073709551615');
    assert.deepEqual((await decode(hex('a2 01 02 03 04'), { codec: 'cbor' })).value, { 1: 2, 3: 4 });
    assert.deepEqual((await decode(hex('43 010203'), { codec: 'cbor' })).value, { $base64: 'AQID' });
    const auto = await decode(hex('d9d9f7 a1 6161 01'));
    assert.deepEqual(auto.codecs, ['cbor']);
  });

  it('cut and corrupt CBOR: the error in words', async () => {
    const cut = await decode(hex('a2 6161 01 6162 82 02'), { codec: 'cbor' });
    assert.match(cut.error!, /CBOR: the data ends early/);
    const bad = await decode(hex('ff'), { codec: 'cbor' });
    assert.match(bad.error!, /CBOR: /);
    assert.equal(bad.value, null);
  });

  it('encodes JSON to the RFC 8949 bytes', async () => {
    const e = await codecRegistry.encode('cbor', { a: 1, b: [2, 3] });
    assert.equal(Buffer.from(e.bytes!).toString('hex'), 'a2616101616282' + '0203');
  });
});
