import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { encode as msgpack } from '@msgpack/msgpack';
import type { StoredMessage } from '../../src/core/mqtt/messageStore';
import { TopicModel } from '../../src/core/mqtt/topicModel';
import { mayBeEncoded } from '../../src/core/format/encoded';
import { oneLine, TreeDecodes } from '../../src/core/mqtt/treeDecodes';
import type { DecodedPayload } from '../../src/core/protocol/inspect';

const decoded = (text: string, codecs: string[] = ['msgpack']): DecodedPayload => ({ codec: codecs.join(' → ') || 'none', codecs, by: 'detected', text, warnings: [], limit: 65536 });
const tick = () => new Promise((r) => setImmediate(r));

function message(payload: Uint8Array, properties?: Record<string, unknown>, size = payload.length): StoredMessage {
  return { payload, size, qos: 0, retain: false, time: 0, properties };
}

describe('Decoded previews of topic rows (treeDecodes)', () => {
  it('decodes only what may be encoded: binary bytes, spBv1.0/ topics, a content type that is not JSON or text', () => {
    assert.equal(mayBeEncoded('a', message(Buffer.from('{"t":1}'))), false);
    assert.equal(mayBeEncoded('a', message(Buffer.from('21.5 °C'))), false);
    assert.equal(mayBeEncoded('a', message(new Uint8Array())), false, 'empty');
    assert.equal(mayBeEncoded('a', message(msgpack({ t: 21.5 }))), true);
    assert.equal(mayBeEncoded('a', message(gzipSync('{"t":1}'))), true);
    assert.equal(mayBeEncoded('spBv1.0/g/NDATA/n', message(Buffer.from('x'))), true);
    assert.equal(mayBeEncoded('a', message(Buffer.from('AAEC'), { contentType: 'application/x-protobuf' })), true);
    assert.equal(mayBeEncoded('a', message(Buffer.from('{}'), { contentType: 'application/json' })), false);
    assert.equal(mayBeEncoded('a', message(Buffer.from('{}'), { contentType: 'application/vnd.api+json' })), false);
    assert.equal(mayBeEncoded('a', message(Buffer.from('hi'), { contentType: 'text/plain; charset=utf-8' })), false);
    // Text whose first 256 bytes end inside a UTF-8 sequence is still text.
    const text = Buffer.from('a'.repeat(255) + 'é' + 'b'.repeat(100));
    assert.equal(mayBeEncoded('a', message(text)), false);
  });

  it('puts decoded JSON on one line, cut with an ellipsis', () => {
    assert.equal(oneLine('{\n  "t": 21.5,\n  "unit": "C"\n}', 48), '{"t":21.5,"unit":"C"}');
    assert.equal(oneLine('not\n json', 48), 'not json');
    assert.equal(oneLine(JSON.stringify({ long: 'x'.repeat(100) }), 20), '{"long":"xxxxxxxxxx…');
  });

  it('decodes a row on render, refreshes it once the result is in, and keeps the previous form while the next decodes', async () => {
    const model = new TopicModel();
    const node = model.add('sensors/1', msgpack({ t: 1 }), 0, false, 0)!;
    const calls: Array<{ broker: string; topic: string; bytes: number; resolve: (d: DecodedPayload) => void }> = [];
    const changed: string[] = [];
    const decodes = new TreeDecodes(
      (broker, topic, m) => new Promise((resolve) => calls.push({ broker, topic, bytes: m.payload.length, resolve })),
      (n) => changed.push(n.topic),
    );
    assert.equal(decodes.get('b1', node), undefined, 'nothing to show before the first decode');
    assert.equal(decodes.get('b1', node), undefined);
    assert.equal(calls.length, 1, 'one decode per message, however often the row renders');
    assert.deepEqual([calls[0]!.broker, calls[0]!.topic], ['b1', 'sensors/1']);
    calls[0]!.resolve(decoded('{"t": 1}'));
    await tick();
    assert.deepEqual(changed, ['sensors/1'], 'the row is refreshed with the result');
    assert.equal(decodes.get('b1', node)?.text, '{"t": 1}');
    assert.equal(calls.length, 1, 'a render of the same message decodes nothing');

    model.add('sensors/1', msgpack({ t: 2 }), 0, false, 0);
    assert.equal(decodes.get('b1', node)?.text, '{"t": 1}', 'the previous form while the new message decodes');
    model.add('sensors/1', msgpack({ t: 3 }), 0, false, 0);
    assert.equal(decodes.get('b1', node)?.text, '{"t": 1}');
    assert.equal(calls.length, 2, 'one decode at a time per row');
    calls[1]!.resolve(decoded('{"t": 2}'));
    await tick();
    assert.equal(changed.length, 2);
    assert.equal(decodes.get('b1', node)?.text, '{"t": 2}', 'shown while the newest (3) decodes');
    assert.equal(calls.length, 3, 'the newest message is decoded on the next render');
    calls[2]!.resolve(decoded('{"t": 3}'));
    await tick();
    assert.equal(decodes.get('b1', node)?.text, '{"t": 3}');
  });

  it('shows nothing decoded when no codec claims the bytes or the decode fails, and never decodes plain rows', async () => {
    const model = new TopicModel();
    const plain = model.add('plain', Buffer.from('{"ok":true}'), 0, false, 0)!;
    const bin = model.add('bin', new Uint8Array([0xff, 0x00, 0x80]), 0, false, 0)!;
    const bad = model.add('bad', new Uint8Array([0xc1]), 0, false, 0)!;
    let calls = 0;
    const decodes = new TreeDecodes(
      async (_b, topic) => {
        calls++;
        if (topic === 'bad') {
          throw new Error('boom');
        }
        return decoded('ff 00 80', []);
      },
      () => undefined,
    );
    assert.equal(decodes.get('b', plain), undefined);
    assert.equal(calls, 0, 'plain JSON is not sent to the decoders');
    decodes.get('b', bin);
    decodes.get('b', bad);
    await tick();
    assert.equal(calls, 2);
    assert.equal(decodes.get('b', bin), undefined, 'bytes no codec claims stay a hex preview');
    assert.equal(decodes.get('b', bad), undefined, 'a failed decode shows the bytes');
  });

  it('runs at most four decodes at once and copies the bytes it hands over (64 KB at most)', async () => {
    const model = new TopicModel();
    const nodes = Array.from({ length: 6 }, (_, i) => model.add(`t/${i}`, new Uint8Array(100_000).fill(0xff), 0, false, 0)!);
    const pending: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const sizes: number[] = [];
    const decodes = new TreeDecodes(
      (_b, _t, m) => {
        sizes.push(m.payload.length);
        running++;
        most = Math.max(most, running);
        return new Promise((resolve) =>
          pending.push(() => {
            running--;
            resolve(decoded('{}'));
          }),
        );
      },
      () => undefined,
    );
    nodes.forEach((n) => decodes.get('b', n));
    assert.equal(running, 4);
    while (pending.length) {
      pending.shift()!();
      await tick();
    }
    assert.equal(most, 4);
    assert.equal(sizes.length, 6, 'the waiting ones ran');
    assert.ok(sizes.every((s) => s === 65536), `sizes ${sizes.join(',')}`);
  });
});
