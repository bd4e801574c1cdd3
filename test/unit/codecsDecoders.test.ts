// What the glue of issue 20 builds on, in plain Node: the hints an inspected message gives (MQTT 5
// content-type, AMQP content_type / content_encoding from amqplib and from the management API) and
// .vscode/decoders.json (mappings by MQTT topic filter and by AMQP exchange / routing key / queue,
// Confluent schema ids, problems in words, a mapping added without losing comments).
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { addMapping, describeMapping, findMapping, parseDecodersFile, routingKeyMatches, staysInside } from '../../src/core/codecs/decodersFile';
import { hintsOf } from '../../src/core/codecs/messageHints';
import { codecRegistry } from '../../src/core/codecs/registry';

describe('codecs: hints of an inspected message', () => {
  it('MQTT: the topic and the MQTT 5 content-type; no exchange', () => {
    assert.deepEqual(hintsOf({ topic: 'spBv1.0/g/NDATA/n', properties: { contentType: 'application/msgpack' } }), { topic: 'spBv1.0/g/NDATA/n', contentType: 'application/msgpack' });
    assert.deepEqual(hintsOf({ topic: 'a/b' }), { topic: 'a/b' });
  });

  it('AMQP: routing key, exchange, queue; content type and encoding as amqplib and the management API name them', () => {
    assert.deepEqual(hintsOf({ topic: 'order.eu', exchange: 'orders', properties: { contentType: 'application/cbor', contentEncoding: 'gzip' } }), {
      routingKey: 'order.eu',
      exchange: 'orders',
      contentType: 'application/cbor',
      contentEncoding: 'gzip',
    });
    assert.deepEqual(hintsOf({ topic: 'q', exchange: '', properties: { content_type: 'application/msgpack', content_encoding: 'deflate' } }, 'jobs'), {
      routingKey: 'q',
      exchange: '',
      queue: 'jobs',
      contentType: 'application/msgpack',
      contentEncoding: 'deflate',
    });
  });

  it('an AMQP gzip + MessagePack message decodes through both codecs from its properties alone', async () => {
    const body = zlib.gzipSync(Buffer.from([0x81, 0xa1, 0x61, 0x01])); // {"a":1}
    const r = await codecRegistry.decode(body, { limit: 1 << 20, hints: hintsOf({ topic: 'k', exchange: 'x', properties: { contentType: 'application/msgpack', contentEncoding: 'gzip' } }) });
    assert.deepEqual([r.codecs, r.value, r.error], [['gzip', 'msgpack'], { a: 1 }, undefined]);
  });
});

describe('codecs: .vscode/decoders.json', () => {
  const text = `{
    // comments and trailing commas as VS Code writes JSON
    "protoPaths": ["proto"],
    "includeDirs": ["proto/include"],
    "schemaIds": { "7": "schemas/order.avsc" },
    "mappings": [
      { "topic": "+/telemetry/#", "type": "acme.telemetry.Reading" },
      { "topic": "sensors/+/raw", "codec": "gzip > msgpack" },
      { "exchange": "orders", "routingKey": "order.#", "codec": "avro" },
      { "queue": "jobs", "codec": "cbor" },
      { "exchange": "", "routingKey": "*.cbor", "codec": "cbor" },
    ],
  }`;

  it('parses mappings, paths and schema ids; codec implied by "type" (protobuf); chains normalised', () => {
    const { config, problems } = parseDecodersFile(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      config.mappings.map((m) => [m.codec, m.topic ?? m.exchange ?? m.queue, m.type]),
      [
        ['protobuf', '+/telemetry/#', 'acme.telemetry.Reading'],
        ['gzip+msgpack', 'sensors/+/raw', undefined],
        ['avro', 'orders', undefined],
        ['cbor', 'jobs', undefined],
        ['cbor', '', undefined],
      ],
    );
    assert.deepEqual([config.protoPaths, config.includeDirs, [...config.schemaIds]], [['proto'], ['proto/include'], [[7, 'schemas/order.avsc']]]);
  });

  it('matches MQTT topics by filter and AMQP messages by exchange, routing-key pattern and queue; first match wins', () => {
    const { config } = parseDecodersFile(text);
    const hit = (h: Parameters<typeof findMapping>[1]) => findMapping(config, h)?.index;
    assert.equal(hit({ topic: 'plant1/telemetry/line/4' }), 0);
    assert.equal(hit({ topic: 'plant1/telemetry' }), 0, '# matches the parent level too');
    assert.equal(hit({ topic: 'sensors/s1/raw' }), 1);
    assert.equal(hit({ topic: 'sensors/s1/raw/x' }), undefined);
    assert.equal(hit({ exchange: 'orders', routingKey: 'order.eu.new' }), 2);
    assert.equal(hit({ exchange: 'orders', routingKey: 'invoice.eu' }), undefined);
    assert.equal(hit({ exchange: '', routingKey: 'x', queue: 'jobs' }), 3);
    assert.equal(hit({ exchange: '', routingKey: 'a.cbor' }), 4);
    assert.equal(hit({ topic: 'order.eu' }), undefined, 'an AMQP mapping never matches an MQTT topic');
    assert.equal(describeMapping(config.mappings[1]!), 'sensors/+/raw → gzip → msgpack');
  });

  it('AMQP routing keys: * is one word, # zero or more, anywhere', () => {
    const cases: [string, string, boolean][] = [
      ['a.*', 'a.b', true],
      ['a.*', 'a.b.c', false],
      ['a.#', 'a', true],
      ['#.z', 'a.b.z', true],
      ['a.#.z', 'a.z', true],
      ['a.#.z', 'a.b.c.z', true],
      ['a.#.z', 'a.b.c', false],
      ['#', '', true],
      ['*', '', true],
      ['a.b', 'a.b', true],
    ];
    for (const [p, k, want] of cases) {
      assert.equal(routingKeyMatches(p, k), want, `${p} vs ${k}`);
    }
  });

  it('says every problem in words with where it is, and keeps the good mappings', () => {
    const { config, problems } = parseDecodersFile(
      JSON.stringify({
        mappings: [{ topic: 'a/#/b', codec: 'msgpack' }, { codec: 'cbor' }, { topic: 't', codec: 'protobuf' }, { topic: 'ok', codec: 'cbor', colour: 1 }, { topic: 'x', queue: 'q', codec: 'cbor' }, 'nope'],
        schemaIds: { abc: 'x.avsc' },
      }),
    );
    assert.deepEqual(config.mappings.map((m) => m.topic), ['ok']);
    const said = problems.map((p) => `${p.path}: ${p.message}`);
    assert.equal(said.length, 7, said.join('\n'));
    assert.match(said.join('\n'), /mappings\[0\]\.topic: .*#/);
    assert.match(said.join('\n'), /mappings\[1\]: A mapping needs "topic"/);
    assert.match(said.join('\n'), /mappings\[2\]: A protobuf mapping needs "type"/);
    assert.match(said.join('\n'), /mappings\[3\]\.colour: Unknown key "colour"/);
    assert.match(said.join('\n'), /mappings\[4\]: .*not both/);
    assert.match(said.join('\n'), /schemaIds\.abc: "abc" is not a schema id/);
    const broken = parseDecodersFile('{ "mappings": [ }');
    assert.equal(broken.config.mappings.length, 0);
    assert.match(broken.problems[0]!.message, /^Not valid JSON/);
    assert.match(parseDecodersFile('[]').problems[0]!.message, /must hold an object/);
  });

  it('tells paths that leave the workspace folder', () => {
    for (const p of ['proto', './a/../b', 'a/b/c.proto']) {
      assert.equal(staysInside(p), true, p);
    }
    for (const p of ['/etc/x.proto', '../x', 'a/../../x', 'C:\\x', '~/x', '\\\\server\\share']) {
      assert.equal(staysInside(p), false, p);
    }
  });

  it('adds a mapping first in the list, keeping comments; creates the file; adds "mappings" to an object without', () => {
    const added = addMapping(text, { topic: 'new/+', codec: 'msgpack' });
    assert.match(added, /\/\/ comments and trailing commas/);
    const { config, problems } = parseDecodersFile(added);
    assert.deepEqual(problems, []);
    assert.deepEqual(config.mappings.map((m) => m.topic ?? m.exchange ?? m.queue), ['new/+', '+/telemetry/#', 'sensors/+/raw', 'orders', 'jobs', '']);
    const fresh = parseDecodersFile(addMapping(undefined, { exchange: 'x', routingKey: 'k.*', codec: 'cbor' }));
    assert.deepEqual([fresh.problems, fresh.config.mappings.map((m) => m.routingKey)], [[], ['k.*']]);
    const empty = parseDecodersFile(addMapping('{ "mappings": [] }', { topic: 'a', codec: 'cbor' }));
    assert.deepEqual([empty.problems, empty.config.mappings.length], [[], 1]);
    const without = parseDecodersFile(addMapping('{\n  // mine\n  "protoPaths": ["p"]\n}', { topic: 'a', type: 'x.Y', codec: 'protobuf' }));
    assert.deepEqual([without.problems, without.config.mappings[0]?.type, without.config.protoPaths], [[], 'x.Y', ['p']]);
    const bare = parseDecodersFile(addMapping('{}', { topic: 'a', codec: 'cbor' }));
    assert.deepEqual([bare.problems, bare.config.mappings.length], [[], 1]);
  });
});
