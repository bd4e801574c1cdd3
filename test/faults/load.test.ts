// Load and bad payloads through the real MqttConnection, topic model and inspector buffer,
// against a mosquitto of the suite's own: 50 MB, binary, 100k topics, odd topic names.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import mqtt from 'mqtt';
import { DEFAULT_BUFFER_OPTIONS, InspectorBuffer } from '../../src/core/inspect/buffer';
import { reindent } from '../../src/core/format/jsonReindent';
import { hexDump } from '../../src/core/format/hexdump';
import { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import { previewPayload } from '../../src/core/mqtt/payload';
import { DEFAULT_TOPIC_MODEL_OPTIONS } from '../../src/core/mqtt/topicModel';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { outcome } from '../support/reliability';
import { until } from '../support/wait';

const SOAK = process.env.BROKER_EXPLORER_SOAK === '1';
const TOPICS = SOAK ? 1_000_000 : 100_000;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1048576;
};


describe('load and bad payloads (own mosquitto)', function () {
  this.timeout(300_000);
  let broker: PrivateBroker;
  let c: MqttConnection;
  let pub: mqtt.MqttClient;
  before(async () => {
    broker = await startPrivateMosquitto({ extra: ['max_queued_messages 0'] });
    c = new MqttConnection({ id: 'load', kind: 'mqtt', name: 'load', host: '127.0.0.1', port: broker.port, subscriptions: [{ filter: '#', qos: 0 }, { filter: '$be/#', qos: 0 }] });
    assert.equal((await c.connect()).kind, 'connected');
    pub = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port });
  });
  after(async () => {
    await pub?.endAsync(true);
    await c?.dispose();
    await broker?.dispose();
  });

  it('a 50 MB payload: received, kept within the limits, previewed and inspected without copying it whole', async () => {
    const size = 50 * 1024 * 1024;
    const payload = Buffer.alloc(size, 0x61);
    payload.write('{"start":', 0);
    const base = heapMb();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const inspector = new InspectorBuffer(DEFAULT_BUFFER_OPTIONS);
    const sub = c.onMessage((m) => {
      if (m.topic === 'big/one') {
        inspector.push({ time: m.time, topic: m.topic, payload: m.payload, size: m.payload.length });
      }
    });
    await pub.publishAsync('big/one', payload, { qos: 1 });
    await until('the 50 MB message', () => c.topics.find('big/one') !== undefined, 60_000);
    sub.dispose();
    lag.disable();
    const node = c.topics.find('big/one')!;
    assert.equal(node.last!.size, size);
    assert.equal(node.last!.payload.length, DEFAULT_TOPIC_MODEL_OPTIONS.historyBytes, 'the tree keeps 2 MB of it');
    assert.equal(inspector.keptBytes, DEFAULT_BUFFER_OPTIONS.keepBytes, 'the inspector keeps 10 MB of it');
    const preview = previewPayload(node.last!.payload, 80, true);
    assert.equal(preview.kind, 'text');
    const shown = inspector.takeBatch()[0]!;
    assert.ok(shown.truncated);
    assert.ok(shown.payload.length <= DEFAULT_BUFFER_OPTIONS.displayBytes);
    // The formats the detail view offers run on the displayed part.
    assert.ok(hexDump(shown.payload, { maxBytes: 4096 }).length > 0);
    // A JSON document cut at 64 KB is re-indented as far as it goes (the view marks it truncated).
    assert.ok(reindent(new TextDecoder().decode(shown.payload.subarray(0, 65536))).pretty.startsWith('{\n  "start": aaaa'));
    const grown = heapMb() - base;
    assert.ok(grown < 40, `memory grew by ${grown.toFixed(1)} MB for a 50 MB message (2 MB kept by the tree, 10 MB by the inspector)`);
    assert.equal(c.state.kind, 'connected');
    outcome(
      'Load and bad payloads',
      '50 MB payload (QoS 1) while a tree and an inspector watch',
      `Received; the tree keeps 2 MB, the inspector 10 MB and shows 1 MB; heap + buffers grew ${grown.toFixed(1)} MB after GC; longest event-loop stall ${(lag.max / 1e6).toFixed(0)} ms.`,
    );
  });

  it('binary payloads with NUL bytes and invalid UTF-8 are binary, never text with holes', async () => {
    const nul = Buffer.from([0x7b, 0x00, 0x22, 0x61, 0x00, 0x7d]);
    const invalid = Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]);
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    await pub.publishAsync('bin/nul', nul, { qos: 1 });
    await pub.publishAsync('bin/invalid', invalid, { qos: 1 });
    await pub.publishAsync('bin/random', random, { qos: 1 });
    await until('the binary messages', () => c.topics.find('bin/random') !== undefined && c.topics.find('bin/invalid') !== undefined);
    for (const topic of ['bin/nul', 'bin/invalid', 'bin/random']) {
      const last = c.topics.find(topic)!.last!;
      const p = previewPayload(last.payload);
      assert.equal(p.kind, 'binary', topic);
      assert.ok(!p.text.includes('\uFFFD'), `${topic} preview has no replacement characters`);
    }
    assert.deepEqual([...c.topics.find('bin/nul')!.last!.payload], [...nul], 'kept byte for byte');
    outcome('Load and bad payloads', 'Binary payloads: NUL bytes, invalid UTF-8 (0xFF, overlong, lone surrogate), 4 KB of noise', `Shown as binary (hex), kept byte for byte, e.g. "${previewPayload(invalid).text}".`);
  });

  it('odd topic names: unicode, empty levels, a 65,535-byte topic, $-topics', async () => {
    const long = 'L'.repeat(65_535);
    const topics = ['unicode/温度/🌡️/température', 'a//b', '/leading', 'trailing/', 'spaces in/a level', long, '$be/dollar/topic'];
    for (const t of topics) {
      await pub.publishAsync(t, Buffer.from(`on ${t.length} chars`), { qos: 1 });
    }
    await until('all odd topics', () => topics.every((t) => c.topics.find(t) !== undefined));
    assert.deepEqual(
      c.topics.findPath(['a'])!.sortedChildNodes().map((n) => n.name),
      [''],
      'an empty level is a node of its own',
    );
    assert.equal(c.topics.find(long)!.name.length, 65_535);
    assert.ok(c.topics.findPath(['$be', 'dollar', 'topic']), '$-topics arrive on their explicit subscription');
    assert.equal(c.topics.findPath(['$be'])!.parent, c.topics.root);
    outcome('Load and bad payloads', 'Topics with unicode, empty levels (a//b, /leading, trailing/), 65,535 bytes, and $-topics', 'Each is one node of its own (empty levels shown as "(empty)"; a level longer than 200 characters is cut in the tree label, 4,096 in the tooltip); $-topics arrive only on an explicit $ subscription, as MQTT says.');
  });

  it(`${TOPICS.toLocaleString('en-US')} distinct topics: counted, memory bounded, the connection stays up`, async () => {
    // The tree's nodes count in the budget (~900 bytes a topic of four levels here): 100,000 topics
    // need more than half of the default 128 MB, so this broker gets 256 MB (more for the soak); with the default the
    // topics past the tree's share would be counted as not shown (test/unit/hostileInput.test.ts).
    const budget = Math.max(256 * 1024 * 1024, TOPICS * 2560);
    c.topics.configure({ totalBytes: budget });
    const before = c.topics.topicCount;
    const base = heapMb();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const started = Date.now();
    for (let i = 0; i < TOPICS; i++) {
      pub.publish(`many/${i % 100}/${Math.floor(i / 100) % 1000}/${i}`, String(i));
      if (i % 5000 === 4999) {
        // Let the broker and our connection keep up (QoS 0: a publisher that outruns them loses messages).
        await until('the batch', () => c.topics.topicCount - before >= i - 20_000, 60_000);
      }
    }
    await until('every topic', () => c.topics.topicCount - before >= TOPICS, 120_000);
    const ms = Date.now() - started;
    lag.disable();
    const grown = heapMb() - base;
    const many = c.topics.findPath(['many'])!;
    assert.equal(many.subtreeTopics, TOPICS);
    assert.equal(many.childCount, 100);
    // The widest level the tree shows at once (pages of children), sorted on demand.
    const t0 = performance.now();
    const children = c.topics.findPath(['many', '7'])!.sortedChildNodes();
    const sortMs = performance.now() - t0;
    assert.equal(children.length, Math.min(1000, TOPICS / 100));
    const perTopic = (grown * 1048576) / TOPICS;
    assert.equal(c.topics.topicsNotShown, 0);
    assert.ok(c.topics.storedBytes + c.topics.treeBytes <= budget, 'stored payloads and the tree stay within the budget');
    assert.ok(perTopic < 2048, `${perTopic.toFixed(0)} bytes per topic`);
    // Event-loop lag depends on the machine and what else runs on it: `npm run bench` measures it
    // (P2, against an idle baseline of the same run). Here it is only reported.
    const p99 = lag.percentile(99) / 1e6;
    assert.equal(c.state.kind, 'connected');
    outcome(
      'Load and bad payloads',
      `${TOPICS.toLocaleString('en-US')} distinct topics published as fast as the broker takes them`,
      `All counted in ${(ms / 1000).toFixed(1)} s (${Math.round(TOPICS / (ms / 1000)).toLocaleString('en-US')} msg/s offered and taken); ${perTopic.toFixed(0)} bytes of memory per topic after GC; event loop p99 ${p99.toFixed(0)} ms, worst ${(lag.max / 1e6).toFixed(0)} ms; sorting a level of ${children.length} children ${sortMs.toFixed(1)} ms.`,
    );
  });
});
