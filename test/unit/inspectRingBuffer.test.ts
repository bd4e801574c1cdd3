import assert from 'node:assert/strict';
import { RingBuffer } from '../../webview/inspect/ringBuffer';

describe('inspector RingBuffer', () => {
  it('keeps the newest items and returns what it pushes out', () => {
    const r = new RingBuffer<number>(3);
    assert.equal(r.push(1), undefined);
    r.push(2);
    r.push(3);
    assert.equal(r.push(4), 1);
    assert.equal(r.push(5), 2);
    assert.deepEqual(r.toArray(), [3, 4, 5]);
    assert.equal(r.length, 3);
    assert.equal(r.at(0), 3);
    assert.equal(r.at(2), 5);
    assert.equal(r.at(3), undefined);
    assert.equal(r.at(-1), undefined);
    assert.equal(r.first(), 3);
    assert.equal(r.last(), 5);
  });

  it('shifts from the head and wraps around', () => {
    const r = new RingBuffer<number>(3);
    [1, 2, 3, 4].forEach((n) => r.push(n));
    assert.equal(r.shift(), 2);
    r.push(5);
    r.push(6);
    assert.deepEqual(r.toArray(), [4, 5, 6]);
    r.clear();
    assert.equal(r.length, 0);
    assert.equal(r.shift(), undefined);
  });

  it('finds by increasing key (binary search) and searches backwards', () => {
    const r = new RingBuffer<{ seq: number; t: string }>(5);
    for (let i = 1; i <= 8; i++) {
      r.push({ seq: i * 10, t: i % 2 ? 'odd' : 'even' });
    }
    assert.equal(r.indexOfKey(40, (x) => x.seq), 0);
    assert.equal(r.indexOfKey(80, (x) => x.seq), 4);
    assert.equal(r.indexOfKey(30, (x) => x.seq), -1);
    assert.equal(r.indexOfKey(55, (x) => x.seq), -1);
    assert.equal(r.findLastIndex((x) => x.t === 'odd'), 3);
    assert.equal(r.findLastIndex((x) => x.t === 'odd', 3), 1);
    assert.equal(r.findLastIndex((x) => x.t === 'none'), -1);
  });

  it('resizes keeping the newest items', () => {
    const r = new RingBuffer<number>(5);
    [1, 2, 3, 4, 5, 6].forEach((n) => r.push(n));
    r.resize(3);
    assert.deepEqual(r.toArray(), [4, 5, 6]);
    r.resize(4);
    r.push(7);
    assert.deepEqual(r.toArray(), [4, 5, 6, 7]);
    assert.throws(() => new RingBuffer(0), RangeError);
  });

  it('pushes 1,000,000 through a 1,000 ring, keeping the newest 1,000', () => {
    const r = new RingBuffer<number>(1000);
    for (let i = 0; i < 1_000_000; i++) {
      r.push(i);
    }
    assert.equal(r.first(), 999_000);
    assert.equal(r.length, 1000);
    assert.equal(r.last(), 999_999);
  });
});
