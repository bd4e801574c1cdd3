import assert from 'node:assert/strict';
import { MESSAGE_OVERHEAD_BYTES } from '../../src/core/mqtt/messageStore';
import { TopicModel } from '../../src/core/mqtt/topicModel';

const p = (s: string) => Buffer.from(s);

describe('TopicModel', () => {
  it('keeps empty levels as real levels (the seed\'s /weather/station01/temperature)', () => {
    const m = new TopicModel();
    m.add('/weather/station01/temperature', p('{"temperature": 25.5}'), 0, false, 1000);
    const first = m.root.sortedChildNodes();
    assert.deepEqual(first.map((n) => n.name), ['']);
    const leaf = m.find('/weather/station01/temperature')!;
    assert.deepEqual([leaf.name, leaf.depth, leaf.topic], ['temperature', 4, '/weather/station01/temperature']);
    assert.equal(m.findPath(['', 'weather'])!.topic, '/weather');
    assert.equal(m.find('weather/station01/temperature'), undefined, '"weather/…" is another topic');
  });

  it('counts messages per topic and per subtree, and topics per subtree', () => {
    const m = new TopicModel();
    m.add('a/b', p('1'), 0, false, 0);
    m.add('a/b', p('2'), 1, false, 0);
    m.add('a/c', p('3'), 0, true, 0);
    m.add('a', p('4'), 0, false, 0);
    const a = m.find('a')!;
    assert.deepEqual([a.messages, a.subtreeMessages, a.subtreeTopics], [1, 4, 3]);
    assert.deepEqual([m.root.subtreeMessages, m.root.subtreeTopics, m.topicCount, m.totalMessages], [4, 3, 3, 4]);
    const c = m.find('a/c')!;
    assert.equal(c.last?.retain, true);
    assert.equal(m.find('a/b')!.last?.qos, 1);
  });

  it('copies payloads instead of keeping views into a shared buffer', () => {
    const m = new TopicModel();
    const socketBuffer = Buffer.from('xxhelloyy');
    m.add('t', socketBuffer.subarray(2, 7), 0, false, 0);
    socketBuffer.fill(0);
    assert.equal(Buffer.from(m.find('t')!.last!.payload).toString(), 'hello');
  });

  it('bounds the history per topic by count', () => {
    const m = new TopicModel({ historyMessages: 3 });
    for (let i = 0; i < 10; i++) {
      m.add('t', p(String(i)), 0, false, i);
    }
    const t = m.find('t')!;
    assert.deepEqual(t.storedHistory().map((s) => Buffer.from(s.payload).toString()), ['7', '8', '9']);
    assert.equal(t.messages, 10);
    assert.equal(m.storedMessages, 3);
    // Trimmed messages still occupy their segment until it is dropped, and are counted so.
    assert.equal(m.storedBytes, 10 * (1 + MESSAGE_OVERHEAD_BYTES));
  });

  it('bounds the history per topic by bytes, keeping at least the newest message', () => {
    const m = new TopicModel({ historyBytes: 10 });
    m.add('t', p('12345'), 0, false, 0);
    m.add('t', p('67890'), 0, false, 1);
    m.add('t', p('abc'), 0, false, 2);
    assert.deepEqual(m.find('t')!.storedHistory().map((s) => Buffer.from(s.payload).toString()), ['67890', 'abc']);
  });

  it('stores payloads over the per-topic cap truncated, with their real size', () => {
    const m = new TopicModel({ historyBytes: 1024 });
    const big = Buffer.alloc(50 * 1024 * 1024, 0x61);
    m.add('big', big, 0, false, 0);
    const last = m.find('big')!.last!;
    assert.equal(last.size, 50 * 1024 * 1024);
    assert.equal(last.payload.length, 1024);
    assert.equal(m.oversizedMessages, 1);
  });

  it('evicts the oldest stored messages first when the global budget is reached', () => {
    const per = 100 + MESSAGE_OVERHEAD_BYTES;
    // The tree's nodes are in the budget too: room for five messages besides the ten topics' nodes.
    const sizing = new TopicModel();
    for (let i = 0; i < 10; i++) {
      sizing.add(`t/${i}`, Buffer.alloc(0), 0, false, i);
    }
    const m = new TopicModel({ totalBytes: per * 5 + sizing.treeBytes, topicShare: 0.9 });
    const payload = Buffer.alloc(100, 1);
    for (let i = 0; i < 10; i++) {
      m.add(`t/${i}`, payload, 0, false, i);
    }
    assert.equal(m.treeBytes, sizing.treeBytes);
    assert.ok(m.storedBytes <= per * 5);
    assert.equal(m.storedMessages, 5);
    assert.equal(m.find('t/0')!.storedHistory().length, 0, 'the oldest topic lost its history');
    assert.equal(m.find('t/9')!.storedHistory().length, 1);
    // The newest message of an evicted topic still has a preview.
    assert.equal(m.find('t/0')!.last!.payload.length, 100);
  });

  it('keeps memory bounded under many messages on many topics', () => {
    const m = new TopicModel({ totalBytes: 32 * 1024 * 1024 });
    const payload = Buffer.alloc(100, 7);
    for (let i = 0; i < 200_000; i++) {
      m.add(`bench/${i % 10_000}/value`, payload, 0, false, i);
    }
    assert.equal(m.topicCount, 10_000);
    assert.equal(m.topicsNotShown, 0);
    assert.ok(m.storedBytes + m.treeBytes <= 32 * 1024 * 1024, `stored ${m.storedBytes} + tree ${m.treeBytes}`);
    assert.equal(m.totalMessages, 200_000);
  });

  it('reports each changed node once per flush, ancestors included', () => {
    const m = new TopicModel();
    m.add('a/b', p('1'), 0, false, 0);
    m.add('a/b', p('2'), 0, false, 0);
    m.add('a/c', p('3'), 0, false, 0);
    const names = m.takeDirty().map((n) => n.topic || '<root>');
    assert.deepEqual(names.sort(), ['<root>', 'a', 'a/b', 'a/c']);
    assert.deepEqual(m.takeDirty(), []);
    m.add('x', p('1'), 0, false, 0);
    assert.deepEqual(m.takeDirty().map((n) => n.topic || '<root>').sort(), ['<root>', 'x']);
  });

  it('measures message rates per subtree over a sliding two-second window', () => {
    const m = new TopicModel();
    const s = () => m.findPath(['s'])!;
    m.add('s/a', p('1'), 0, false, 0);
    assert.equal(s().currentRate(0), 0, 'the first sample has nothing to compare with');
    const seen: [number, number][] = [];
    for (let t = 10; t <= 4000; t += 10) {
      m.add('s/a', p('1'), 0, false, t); // 100 msg/s
      m.add('s/b', p('1'), 0, false, t); // 100 msg/s
      if (t % 250 === 0) {
        seen.push([t, s().currentRate(t)]);
      }
      if (t % 1000 === 120) {
        // The status bar asks for the root at its own moments: the same traffic, the same rate.
        const root = m.root.currentRate(t);
        assert.ok(t < 500 || Math.abs(root - 200) <= 200 * 0.02, `root ${root}/s at ${t} ms`);
      }
    }
    for (const [t, rate] of seen.filter(([t]) => t >= 500)) {
      assert.ok(Math.abs(rate - 200) <= 200 * 0.02, `${rate}/s at ${t} ms`);
    }
    // Traffic stops at 4000 ms: the rate falls as the window slides past it, and is 0 after.
    const falling = s().currentRate(5000);
    assert.ok(falling > 0 && falling < 200, `${falling}/s a second after the last message`);
    assert.equal(s().currentRate(6250), 0, 'nothing in the last two seconds');
    // Asked again after a long silence while traffic flows: starts over (0), then the window's rate.
    for (let t = 60_010; t <= 61_000; t += 10) {
      m.add('s/a', p('1'), 0, false, t);
    }
    assert.equal(s().currentRate(61_000), 0, 'the sample from a minute ago is not an average over the minute');
    for (let t = 61_010; t <= 62_000; t += 10) {
      m.add('s/a', p('1'), 0, false, t);
    }
    assert.equal(s().currentRate(62_000), 100);
  });

  it('keeps the rate when it is asked only once a second (the status bar alone)', () => {
    const m = new TopicModel();
    const rates: number[] = [];
    for (let t = 0; t <= 10_000; t += 10) {
      m.add('a', p('1'), 0, false, t); // 100 msg/s
      if (t % 1000 === 0) {
        rates.push(m.root.currentRate(t));
      }
    }
    assert.deepEqual(rates.slice(1).map(Math.round), Array(10).fill(100));
  });

  it('drops the rate samples with the counts on Clear Topics', () => {
    const m = new TopicModel();
    for (let t = 0; t <= 1000; t += 10) {
      m.add('a', p('1'), 0, false, t);
      if (t % 250 === 0) {
        m.root.currentRate(t);
      }
    }
    assert.ok(m.root.currentRate(1000) > 90);
    m.clear();
    assert.equal(m.root.currentRate(1100), 0, 'no negative or stale rate after the counts went to 0');
  });

  it('sorts children by name with $ topics last, and re-sorts after a new child', () => {
    const m = new TopicModel();
    for (const t of ['b', '$SYS/x', 'a', 'c']) {
      m.add(t, p('1'), 0, false, 0);
    }
    assert.deepEqual(m.root.sortedChildNodes().map((n) => n.name), ['a', 'b', 'c', '$SYS']);
    m.add('0', p('1'), 0, false, 0);
    assert.deepEqual(m.root.sortedChildNodes().map((n) => n.name), ['0', 'a', 'b', 'c', '$SYS']);
  });

  it('applies new limits at once', () => {
    const m = new TopicModel();
    for (let i = 0; i < 50; i++) {
      m.add('t', p(String(i)), 0, false, i);
    }
    m.configure({ historyMessages: 5 });
    assert.equal(m.find('t')!.storedHistory().length, 5);
  });
});
