import assert from 'node:assert/strict';
import { MESSAGE_OVERHEAD_BYTES, MessageStore } from '../../src/core/mqtt/messageStore';
import { TopicNode } from '../../src/core/mqtt/topicNode';

const text = (b: Uint8Array) => Buffer.from(b).toString();

/** A store whose segments hold `perSegment` payloads of `size` bytes (segments are 1/64 of the budget). */
function smallStore(segmentBytes: number, historyMessages = 1000): MessageStore {
  return new MessageStore({ historyMessages, historyBytes: 1024 * 1024, totalBytes: segmentBytes * 64, topicShare: 0.5 });
}

describe('MessageStore', () => {
  it('chains a topic\'s history through several segments, oldest first', () => {
    const store = smallStore(100);
    const a = new TopicNode('a', undefined, 'a', 1, store);
    const b = new TopicNode('b', undefined, 'b', 1, store);
    for (let i = 0; i < 10; i++) {
      store.append(i % 2 ? b : a, Buffer.from(`${i}`.padStart(40, '-')), 0, false, i, undefined);
    }
    assert.deepEqual(store.history(a).map((m) => text(m.payload).replace(/^-+/, '')), ['0', '2', '4', '6', '8']);
    assert.deepEqual(store.history(b).map((m) => text(m.payload).replace(/^-+/, '')), ['1', '3', '5', '7', '9']);
    assert.equal(store.storedBytes, 10 * (40 + MESSAGE_OVERHEAD_BYTES));
  });

  it('keeps a lone subscription identifier in a column, not an object per message, and gives it back on display', () => {
    const store = smallStore(2000);
    const a = new TopicNode('a', undefined, 'a', 1, store);
    const lone = { subscriptionIdentifier: 7 };
    store.append(a, Buffer.from('x'), 1, false, 1, undefined);
    store.append(a, Buffer.from('y'), 1, false, 2, lone);
    store.append(a, Buffer.from('z'), 1, false, 3, { subscriptionIdentifier: [2, 7] });
    store.append(a, Buffer.from('w'), 1, false, 4, { subscriptionIdentifier: 3, contentType: 'text/plain' });
    store.append(a, Buffer.from('v'), 1, false, 5, undefined);
    const shown = store.history(a).map((m) => m.properties);
    assert.deepEqual(shown, [undefined, { subscriptionIdentifier: 7 }, { subscriptionIdentifier: [2, 7] }, { subscriptionIdentifier: 3, contentType: 'text/plain' }, undefined]);
    assert.notEqual(shown[1], lone, 'made on display from the column: the packet\'s object is not kept');
  });

  it('the newest message of a topic whose segment was dropped keeps its properties: a lone identifier as a number, others as sent', () => {
    const store = smallStore(100);
    const lone = new TopicNode('lone', undefined, 'lone', 1, store);
    const rich = new TopicNode('rich', undefined, 'rich', 1, store);
    const properties = { subscriptionIdentifier: 4, contentType: 'application/json' };
    store.append(lone, Buffer.from('a'), 0, false, 1, { subscriptionIdentifier: 9 });
    store.append(rich, Buffer.from('b'), 0, false, 2, properties);
    assert.equal(lone.lastProperties, undefined, 'no object kept for an identifier alone');
    assert.equal(lone.lastSubId, 9);
    const filler = new TopicNode('filler', undefined, 'filler', 1, store);
    for (let i = 0; i < 200; i++) {
      store.append(filler, Buffer.from(`${i}`.padStart(40, '-')), 0, false, 10 + i, undefined);
    }
    assert.equal(store.history(lone).length, 0, 'their segment was dropped');
    assert.deepEqual(lone.last?.properties, { subscriptionIdentifier: 9 });
    assert.equal(rich.last?.properties, properties);
    // A newer message without properties replaces both.
    store.append(lone, Buffer.from('c'), 0, false, 300, undefined);
    assert.equal(lone.last?.properties, undefined);
  });

  it('a reused segment forgets the subscription identifiers of its earlier messages', () => {
    const store = smallStore(100);
    const a = new TopicNode('a', undefined, 'a', 1, store);
    for (let i = 0; i < 200; i++) {
      store.append(a, Buffer.from(`${i}`.padStart(40, '-')), 0, false, i, i < 100 ? { subscriptionIdentifier: 5 } : undefined);
    }
    assert.ok(store.history(a).length > 0);
    assert.ok(store.history(a).every((m) => m.properties === undefined), 'no identifier left from a message that was dropped');
  });

  it('reuses a dropped segment under new sequence numbers without breaking any chain', () => {
    const store = smallStore(100);
    const nodes = [0, 1, 2].map((k) => new TopicNode(`t${k}`, undefined, `t${k}`, 1, store));
    const sent: string[][] = [[], [], []];
    for (let i = 0; i < 1000; i++) {
      const k = i % 3 === 2 && i % 7 ? 0 : i % 3; // uneven topics, so chains cross segments unevenly
      const payload = `${i}`.padStart(40, '-');
      sent[k]!.push(payload);
      store.append(nodes[k]!, Buffer.from(payload), 0, false, i, undefined);
    }
    assert.ok(store.storedBytes <= 100 * 64, `stored ${store.storedBytes}`);
    assert.equal(store.message(0), undefined, 'the first segment is gone');
    let kept = 0;
    nodes.forEach((node, k) => {
      const history = store.history(node).map((m) => text(m.payload));
      assert.equal(history.length, node.historyLength);
      assert.deepEqual(history, sent[k]!.slice(sent[k]!.length - history.length), `t${k} keeps its newest messages in order`);
      assert.equal(text(store.message(node.lastSeq)!.payload), sent[k]!.at(-1));
      kept += history.length;
    });
    assert.equal(store.storedBytes, kept * (40 + MESSAGE_OVERHEAD_BYTES), 'no message was trimmed per topic, so all live ones are in some history');
  });

  it('grows a segment\'s columns to what its buffer will hold at the payload sizes so far, not by doubling', () => {
    // 1 MB segments (the default budget's): 100-byte payloads fill one with 10,485 messages.
    const store = smallStore(1024 * 1024, 1e9);
    const a = new TopicNode('a', undefined, 'a', 1, store);
    const payload = Buffer.alloc(100, 0x61);
    for (let i = 0; i < 10485; i++) {
      store.append(a, payload, 0, false, i, undefined);
    }
    assert.equal(a.historyLength, 10485);
    // Doubling from 1,024 gave 16,384 slots here (a third unused).
    assert.ok(store.columnSlots >= 10485 && store.columnSlots <= 10485 * 1.1, `${store.columnSlots} slots for 10,485 messages`);
  });

  it('keeps every message in order while payload sizes change under the slot estimate (smaller, larger, empty)', () => {
    const store = smallStore(1024 * 1024, 1e9);
    const a = new TopicNode('a', undefined, 'a', 1, store);
    const sent: string[] = [];
    // 200-byte payloads first (the estimate), then 5-byte ones (far more fit than estimated),
    // then empty ones, then 3 KB ones: each phase grows the columns again.
    const phases: [number, number][] = [[1500, 200], [30000, 5], [5000, 0], [100, 3000]];
    let i = 0;
    for (const [count, size] of phases) {
      for (let k = 0; k < count; k++, i++) {
        const p = size === 0 ? '' : `${i}:`.padEnd(size, 'x').slice(0, size);
        sent.push(p);
        store.append(a, Buffer.from(p), 0, false, i, undefined);
      }
    }
    const history = store.history(a).map((m) => text(m.payload));
    assert.equal(history.length, sent.length);
    assert.deepEqual(history, sent);
    assert.ok(store.columnSlots < sent.length * 2, `${store.columnSlots} slots for ${sent.length} messages`);
  });
});
