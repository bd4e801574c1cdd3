import assert from 'node:assert/strict';
import { MessageStore } from '../../webview/inspect/store';
import { chartPoints, formatNumber, formatRate, formatSize, formatTime, oneLine, propertyRows, RateMeter } from '../../webview/inspect/display';

interface M {
  seq: number;
  topic: string;
  text?: string;
}
const msgs = (from: number, to: number, topic = (i: number) => (i % 2 ? 'odd' : 'even')): M[] =>
  Array.from({ length: to - from + 1 }, (_, k) => ({ seq: from + k, topic: topic(from + k), text: `payload ${from + k}` }));
const seqs = (s: MessageStore<M>): number[] => Array.from({ length: s.visibleCount }, (_, i) => s.visibleAt(i)!.seq);

describe('inspector MessageStore', () => {
  it('drops the oldest first and reports the visible change', () => {
    const s = new MessageStore<M>(5, (m) => m.text);
    assert.deepEqual(s.append(msgs(1, 3)), { added: 3, dropped: 0 });
    assert.deepEqual(s.append(msgs(4, 7)), { added: 4, dropped: 2 });
    assert.deepEqual(seqs(s), [3, 4, 5, 6, 7]);
    assert.equal(s.visibleIndexOf(5), 2);
    assert.equal(s.visibleIndexOf(1), -1);
  });

  it('counts a batch larger than the buffer once', () => {
    const s = new MessageStore<M>(5, (m) => m.text);
    s.append(msgs(1, 3));
    const r = s.append(msgs(4, 20));
    assert.deepEqual(seqs(s), [16, 17, 18, 19, 20]);
    assert.equal(r.added, 5);
    assert.equal(r.dropped, 3);
  });

  it('keeps the filtered list in step with the buffer', () => {
    const s = new MessageStore<M>(6, (m) => m.text);
    s.append(msgs(1, 4));
    assert.ok(s.setFilter('odd').ok);
    assert.ok(s.filtering);
    assert.deepEqual(seqs(s), [1, 3]);
    const r = s.append(msgs(5, 8)); // pushes out 1 and 2
    assert.deepEqual(seqs(s), [3, 5, 7]);
    assert.deepEqual(r, { added: 2, dropped: 1 });
    assert.deepEqual(s.visibleSeqs(), [3, 5, 7]);
    assert.equal(s.bufferedCount, 6);
  });

  it('matches the payload text through textOf and keeps the old filter when the new one is invalid', () => {
    const s = new MessageStore<M>(10, (m) => m.text);
    s.append(msgs(1, 12));
    assert.ok(s.setFilter('/payload 1[01]$/').ok);
    assert.deepEqual(seqs(s), [10, 11]);
    const bad = s.setFilter('/(/');
    assert.equal(bad.ok, false);
    assert.deepEqual(seqs(s), [10, 11]);
    s.setFilter('');
    assert.equal(s.filtering, false);
    assert.equal(s.visibleCount, 10);
  });

  it('finds the previous message on a topic and the last values of a topic', () => {
    const s = new MessageStore<M>(10, (m) => m.text);
    s.append(msgs(1, 10));
    assert.equal(s.previousOnTopic('odd', 7)?.seq, 5);
    assert.equal(s.previousOnTopic('odd', 1), undefined);
    assert.deepEqual(
      s.lastOnTopic('even', 3).map((m) => m.seq),
      [6, 8, 10],
    );
    s.setFilter('even');
    assert.equal(s.previousOnTopic('odd', 9)?.seq, 7, 'ignores the filter');
  });

  it('replaces, clears and resizes', () => {
    const s = new MessageStore<M>(10, (m) => m.text);
    s.append(msgs(1, 5));
    s.replace(msgs(20, 22));
    assert.deepEqual(seqs(s), [20, 21, 22]);
    s.resize(2);
    assert.deepEqual(seqs(s), [21, 22]);
    s.clear();
    assert.equal(s.visibleCount, 0);
    assert.deepEqual(s.append(msgs(30, 30)), { added: 1, dropped: 0 });
  });

  // Its speed is measured by `npm run bench` (P3), not here.
  it('appends 10 batches of 5,000 into a 10,000 buffer, keeping the newest and the filter', () => {
    const s = new MessageStore<M>(10_000, (m) => m.text);
    s.setFilter('odd');
    for (let b = 0; b < 10; b++) {
      s.append(msgs(b * 5000 + 1, (b + 1) * 5000));
    }
    assert.equal(s.bufferedCount, 10_000);
    assert.equal(s.visibleCount, 5000);
    assert.equal(s.visibleAt(0)!.seq, 40_001);
  });
});

describe('inspector display helpers', () => {
  it('formats time, sizes and rates', () => {
    const t = new Date(2024, 0, 2, 3, 4, 5, 67).getTime();
    assert.equal(formatTime(t), '03:04:05.067');
    assert.equal(formatSize(0), '0 B');
    assert.equal(formatSize(1023), '1023 B');
    assert.equal(formatSize(1536), '1.5 KB');
    assert.equal(formatSize(65536), '64 KB');
    assert.equal(formatSize(5 * 1024 * 1024), '5 MB');
    assert.equal(formatRate(0), '0/s');
    assert.equal(formatRate(3.46), '3.5/s');
    assert.equal(formatRate(120.4), '120/s');
  });

  it('makes one-line previews', () => {
    assert.equal(oneLine('a\n\tb\r\n  c'), 'a b c');
    assert.equal(oneLine('x'.repeat(300), 10), `${'x'.repeat(9)}…`);
  });

  it('measures the rate over a sliding window', () => {
    const r = new RateMeter(5000);
    r.sample(0, 0);
    r.sample(100, 1000);
    r.sample(200, 2000);
    assert.equal(r.rate(2000), 100);
    assert.equal(r.rate(20_000), 0);
  });

  it('flattens properties, user properties and headers', () => {
    const rows = propertyRows({ contentType: 'application/json', userProperties: { a: '1', b: '2' }, messageExpiryInterval: 60 }, { 'x-retry': 3, nested: { k: [1, null] } });
    assert.deepEqual(
      rows.map((r) => `${r.group}|${r.name}|${r.value}`),
      ['Property|contentType|application/json', 'User property|a|1', 'User property|b|2', 'Property|messageExpiryInterval|60', 'Header|x-retry|3', 'Header|nested|{"k":[1,null]}'],
    );
    assert.deepEqual(
      propertyRows({ userProperties: [['k', 'v'], ['k', 'w']] }, undefined).map((r) => `${r.name}=${r.value}`),
      ['k=v', 'k=w'],
    );
  });

  it('scales chart points into the box', () => {
    assert.equal(chartPoints([0, 10], 100, 50, 0), '0,50 100,0');
    assert.equal(chartPoints([5, 5], 100, 50, 0), '0,25 100,25');
    assert.equal(chartPoints([], 100, 50), '');
    assert.equal(formatNumber(1.23456789), '1.2346');
    assert.equal(formatNumber(42), '42');
  });
});
