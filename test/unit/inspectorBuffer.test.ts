import assert from 'node:assert/strict';
import { DEFAULT_BUFFER_OPTIONS, InspectorBuffer } from '../../src/core/inspect/buffer';
import { amqpPublishOptions, hasMqtt5Properties, mqttPublishOptions } from '../../src/core/publish/publish';

const bytes = (n: number, fill = 0x61): Uint8Array => new Uint8Array(n).fill(fill);
const msg = (topic: string, payload: Uint8Array) => ({ time: 1, topic, payload });

describe('inspector buffer', () => {
  it('keeps the newest messages with increasing seqs, and counts every one', () => {
    const b = new InspectorBuffer({ ...DEFAULT_BUFFER_OPTIONS, messages: 3 });
    for (let i = 0; i < 5; i++) {
      b.push(msg(`t/${i}`, bytes(1)));
    }
    assert.equal(b.total, 5);
    assert.equal(b.size, 3);
    assert.deepEqual([...b.all()].map((m) => m.topic), ['t/2', 't/3', 't/4']);
    assert.deepEqual([...b.all()].map((m) => m.seq), [3, 4, 5]);
    assert.equal(b.get(4)?.topic, 't/3');
    assert.equal(b.get(1), undefined, 'dropped from the ring');
  });

  it('finds the newest kept message on the same topic before a seq (the diff editor\'s left side)', () => {
    const b = new InspectorBuffer({ ...DEFAULT_BUFFER_OPTIONS, messages: 4 });
    for (const t of ['a', 'b', 'a', 'a', 'b', 'a']) {
      b.push(msg(t, bytes(1)));
    }
    // Kept: 3 a, 4 a, 5 b, 6 a.
    assert.equal(b.previousOnTopic('a', 6)?.seq, 4);
    assert.equal(b.previousOnTopic('a', 4)?.seq, 3);
    assert.equal(b.previousOnTopic('a', 3), undefined, 'seq 1 was dropped from the ring');
    assert.equal(b.previousOnTopic('b', 5), undefined, 'seq 2 was dropped from the ring');
    assert.equal(b.previousOnTopic('b', 99)?.seq, 5);
  });

  it('copies payloads (feeds reuse their buffers) and cuts them at keepBytes', () => {
    const b = new InspectorBuffer({ ...DEFAULT_BUFFER_OPTIONS, keepBytes: 4 });
    const shared = bytes(10);
    b.push(msg('a', shared));
    shared.fill(0x62);
    const kept = b.get(1)!;
    assert.equal(kept.payload.length, 4);
    assert.equal(kept.payload[0], 0x61);
    assert.equal(kept.size, 10);
    assert.equal(kept.truncated, true);
  });

  it('hands out each message once in batches, oldest first, and marks what exceeds the display cap', () => {
    const b = new InspectorBuffer({ ...DEFAULT_BUFFER_OPTIONS, displayBytes: 5 });
    b.push(msg('a', bytes(3)));
    b.push(msg('b', bytes(8)));
    const first = b.takeBatch();
    assert.deepEqual(first.map((m) => [m.topic, m.payload.length, m.truncated]), [['a', 3, false], ['b', 5, true]]);
    assert.equal(b.pending, false);
    assert.deepEqual(b.takeBatch(), []);
    b.push(msg('c', bytes(1)));
    assert.deepEqual(b.takeBatch().map((m) => m.topic), ['c']);
  });

  it('gives the newest messages their payload first when a post would exceed its byte budget', () => {
    const b = new InspectorBuffer({ ...DEFAULT_BUFFER_OPTIONS, displayBytes: 100, postBytes: 150, previewBytes: 10 });
    b.push(msg('old', bytes(100)));
    b.push(msg('new', bytes(100)));
    const snap = b.snapshot();
    assert.deepEqual(snap.map((m) => [m.topic, m.payload.length]), [['old', 10], ['new', 100]]);
  });

  it('keeps all payloads within one budget by cutting the oldest to a preview', () => {
    const b = new InspectorBuffer({ ...DEFAULT_BUFFER_OPTIONS, totalBytes: 250, previewBytes: 10 });
    for (let i = 0; i < 4; i++) {
      b.push(msg(`t${i}`, bytes(100)));
    }
    assert.ok(b.keptBytes <= 250, `kept ${b.keptBytes}`);
    assert.equal(b.get(4)?.payload.length, 100, 'the newest is whole');
    assert.equal(b.get(1)?.payload.length, 10, 'the oldest is cut');
  });

  it('clear empties the list but seqs keep increasing', () => {
    const b = new InspectorBuffer();
    b.push(msg('a', bytes(1)));
    b.clear();
    assert.equal(b.size, 0);
    assert.equal(b.push(msg('b', bytes(1))), 2);
  });
});

describe('publish options from a draft', () => {
  it('maps MQTT 5 properties, repeated user properties, and drops them for 3.1.1', () => {
    const m = { topic: 't', qos: 1 as const, retain: true, contentType: 'application/json', correlationData: 'abc', userProperties: [{ key: 'k', value: '1' }, { key: 'k', value: '2' }] };
    const v5 = mqttPublishOptions(m, 5);
    assert.equal(v5.qos, 1);
    assert.equal(v5.retain, true);
    assert.equal(v5.properties?.contentType, 'application/json');
    assert.deepEqual(v5.properties?.userProperties, { k: ['1', '2'] });
    assert.equal(Buffer.from(v5.properties.correlationData!).toString(), 'abc');
    assert.equal(mqttPublishOptions(m, 4).properties, undefined);
    assert.equal(hasMqtt5Properties(m), true);
    assert.equal(hasMqtt5Properties({ topic: 't', qos: 0, retain: false, userProperties: [] }), false);
  });

  it('maps AMQP properties and headers, leaving out empty ones', () => {
    const o = amqpPublishOptions({ exchange: 'logs', routingKey: 'info', mandatory: false, headers: [{ key: 'host', value: 'web-1' }], contentType: '', priority: 5, deliveryMode: 2 });
    assert.deepEqual(o, { mandatory: false, headers: { host: 'web-1' }, priority: 5, deliveryMode: 2 });
  });
});

describe('inspector buffer and Node buffers', () => {
  it('keeps its own copy of a Buffer view (mqtt.js payloads are views into a shared read buffer)', () => {
    const pool = Buffer.from('xxhelloyy');
    const view = pool.subarray(2, 7);
    const b = new InspectorBuffer();
    b.push({ time: 1, topic: 't', payload: view });
    pool.fill(0x21);
    const kept = b.get(1)!.payload;
    assert.equal(Buffer.from(kept).toString(), 'hello');
    // Small payloads share the buffer's own 256 KB slabs (one ArrayBuffer each cost too much at
    // 50k msg/s), never the feed's read buffer.
    assert.notEqual(kept.buffer, pool.buffer, 'not a view into the read buffer');
    assert.ok(kept.buffer.byteLength <= 256 * 1024, 'a view into one of its own slabs');
  });
});

describe('inspector batches', () => {
  it('pack every payload of a post into one ArrayBuffer (VS Code transfers each buffer separately)', () => {
    const b = new InspectorBuffer();
    for (let i = 0; i < 100; i++) {
      b.push({ time: i, topic: `t/${i}`, payload: Buffer.from(`payload ${i}`) });
    }
    const batch = b.takeBatch();
    assert.equal(new Set(batch.map((m) => m.payload.buffer)).size, 1);
    assert.deepEqual(batch.map((m) => Buffer.from(m.payload).toString()), Array.from({ length: 100 }, (_, i) => `payload ${i}`));
  });
});

describe('inspector buffer: slabs and skipped messages', () => {
  it('keeps every small payload intact across slab boundaries; large ones get their own buffer', () => {
    const b = new InspectorBuffer({ messages: 5000, keepBytes: 1 << 20, displayBytes: 1 << 20, totalBytes: 1 << 30, postBytes: 1 << 30, previewBytes: 4096 });
    for (let i = 0; i < 3000; i++) {
      b.push({ time: i, topic: 't', payload: Buffer.alloc(100 + (i % 50), i % 251) });
    }
    b.push({ time: 0, topic: 'big', payload: Buffer.alloc(10_000, 7) });
    for (const m of b.all()) {
      if (m.topic === 'big') {
        assert.equal(m.payload.buffer.byteLength, 10_000);
        continue;
      }
      const i = m.seq - 1;
      assert.equal(m.payload.length, 100 + (i % 50));
      assert.ok(m.payload.every((x) => x === i % 251), `message ${m.seq}`);
    }
  });

  it('counts the messages dropped from the ring before they were posted, once', () => {
    const b = new InspectorBuffer({ messages: 100, keepBytes: 1024, displayBytes: 1024, totalBytes: 1 << 20, postBytes: 1 << 20, previewBytes: 64 });
    for (let i = 0; i < 40; i++) {
      b.push({ time: i, topic: 't', payload: Buffer.from('x') });
    }
    assert.equal(b.takeBatch().length, 40);
    assert.equal(b.takeSkipped(), 0, 'nothing dropped yet');
    for (let i = 0; i < 250; i++) {
      b.push({ time: i, topic: 't', payload: Buffer.from('y') });
    }
    const batch = b.takeBatch();
    assert.equal(batch.length, 100, 'the newest ring-full');
    assert.equal(b.takeSkipped(), 150, '250 arrived, 100 posted: 150 never shown (the 40 posted earlier are not counted)');
    assert.equal(b.takeSkipped(), 0, 'said once');
    assert.equal(batch[0]!.seq, 191, 'the gap: seqs 41 to 190 were not posted');
  });
});
