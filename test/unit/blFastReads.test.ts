// src/core/mqtt/blFastReads.ts: bl's BufferList reads in place, checked against an untouched copy
// of bl itself (the oracle) over random splits of the same bytes, and through mqtt-packet's parser.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mqttPacket from 'mqtt-packet';
import { installBufferListFastReads } from '../../src/core/mqtt/blFastReads';

interface BufferList {
  _bufs: Buffer[];
  length: number;
  append(b: Buffer): BufferList;
  consume(n: number): BufferList;
  toString(encoding?: BufferEncoding, start?: number, end?: number): string;
  [read: string]: unknown;
}
type BufferListClass = { new (): BufferList; prototype: BufferList };

/** A copy of bl's BufferList class of its own (another module instance), so one can be patched and the other not. */
function freshBufferList(): BufferListClass {
  const path = require.resolve('bl/BufferList');
  delete require.cache[path];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cls = require(path) as BufferListClass;
  delete require.cache[path];
  return cls;
}

/**
 * Another instance of mqtt-packet with its own bl, as dist/vendor/mqtt.js loads them: bl's
 * BufferList first, patched when `patch` is given, then mqtt-packet (bl.js copies BufferList's
 * methods onto the stream class mqtt-packet parses with when it loads, so the patch must come first).
 */
function freshMqttPacket(patch?: (cls: BufferListClass) => void): { packet: typeof mqttPacket; BufferList: BufferListClass; Stream: BufferListClass } {
  const ours = (id: string) => /[\\/]node_modules[\\/](mqtt-packet|bl)[\\/]/.test(id);
  const saved = Object.keys(require.cache).filter(ours).map((id) => [id, require.cache[id]] as const);
  for (const [id] of saved) {
    delete require.cache[id];
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const BufferList = require('bl/BufferList') as BufferListClass;
    patch?.(BufferList);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const packet = require('mqtt-packet') as typeof mqttPacket;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Stream = require('bl') as BufferListClass;
    return { packet, BufferList, Stream };
  } finally {
    for (const id of Object.keys(require.cache).filter(ours)) {
      delete require.cache[id];
    }
    for (const [id, m] of saved) {
      require.cache[id] = m;
    }
  }
}

const READS: [string, number][] = [
  ['readUInt8', 1],
  ['readInt8', 1],
  ['readUInt16BE', 2],
  ['readUInt16LE', 2],
  ['readInt16BE', 2],
  ['readInt32LE', 2 + 2],
  ['readUInt32BE', 4],
  ['readFloatLE', 4],
  ['readDoubleBE', 8],
  ['readBigUInt64LE', 8],
];

/** What a call gives: its value, or its error's class and message. */
function outcome(f: () => unknown): unknown {
  try {
    const v = f();
    return typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v;
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('bl BufferList fast reads (mqtt-packet parses from them)', () => {
  const Plain = freshBufferList();
  const Fast = freshBufferList();
  installBufferListFastReads(Fast);

  it('patches its own copy only, once', () => {
    assert.notEqual(Plain.prototype.readUInt8, Fast.prototype.readUInt8);
    const read = Fast.prototype.readUInt8;
    installBufferListFastReads(Fast);
    assert.equal(Fast.prototype.readUInt8, read);
  });

  it('reads what bl reads, and throws what bl throws, at every offset of randomly split lists', () => {
    let inPlace = 0;
    for (let round = 0; round < 60; round++) {
      const bytes = randomBytes(1 + (round % 40));
      const plain = new Plain();
      const fast = new Fast();
      // Random chunks, empty ones too, as a socket can hand them.
      for (let at = 0; at < bytes.length; ) {
        const n = Math.min(bytes.length - at, Math.floor(Math.random() * 6));
        plain.append(bytes.subarray(at, at + n));
        fast.append(bytes.subarray(at, at + n));
        at += n;
      }
      if (round % 3 === 0) {
        plain.consume(1);
        fast.consume(1);
      }
      for (const [method, width] of READS) {
        for (const offset of [-1, ...Array.from({ length: bytes.length + 2 }, (_, i) => i)]) {
          const expected = outcome(() => (plain[method] as (o: number) => unknown).call(plain, offset));
          assert.deepEqual(outcome(() => (fast[method] as (o: number) => unknown).call(fast, offset)), expected, `${method}(${offset}) of ${plain.length} bytes in ${plain._bufs.length} chunks`);
          inPlace += Number.isInteger(offset) && offset + width <= plain.length ? 1 : 0;
        }
        assert.deepEqual(outcome(() => (fast[method] as () => unknown).call(fast)), outcome(() => (plain[method] as () => unknown).call(plain)), `${method}() without an offset`);
      }
      for (const [start, end] of [[0, plain.length], [1, 3], [2, plain.length - 1], [0, 0], [3, 1], [-2, undefined], [undefined, undefined], [0, plain.length + 5]] as const) {
        for (const enc of ['utf8', 'hex', 'latin1', undefined] as const) {
          assert.equal(fast.toString(enc, start, end), plain.toString(enc, start, end), `toString(${enc}, ${start}, ${end})`);
        }
      }
    }
    assert.ok(inPlace > 1000, `reads inside the list: ${inPlace}`);
  });

  it('mqtt-packet parses the same packets from split input with the patched copy as with plain bl', () => {
    const packets = [
      mqttPacket.generate({ cmd: 'publish', topic: 'plant/line1/press', payload: Buffer.from('{"bar":181.5}'), qos: 1, messageId: 7, retain: true, dup: false }, { protocolVersion: 5 }),
      mqttPacket.generate({ cmd: 'publish', topic: 'a/é/ü', payload: randomBytes(300), qos: 0, retain: false, dup: false, properties: { subscriptionIdentifier: 268435455, contentType: 'application/json', userProperties: { k: ['v1', 'v2'] } } }, { protocolVersion: 5 }),
      mqttPacket.generate({ cmd: 'pingresp' }, { protocolVersion: 5 }),
    ];
    const wire = Buffer.concat(packets);
    const parse = (lib: typeof mqttPacket, split: number): unknown[] => {
      const out: unknown[] = [];
      const parser = lib.parser({ protocolVersion: 5 });
      parser.on('packet', (p: mqttPacket.Packet) => out.push({ ...p, payload: 'payload' in p && Buffer.isBuffer(p.payload) ? p.payload.toString('hex') : undefined }));
      parser.on('error', (e: Error) => out.push(`error: ${e.message}`));
      for (let at = 0; at < wire.length; at += split) {
        parser.parse(wire.subarray(at, at + split));
      }
      return out;
    };
    // A second mqtt-packet with plain bl of its own gives the oracle; then a third with its bl
    // patched before it loads, as dist/vendor/mqtt.js has it (the modules of this process stay as they are).
    const plain = freshMqttPacket();
    const expected = [1, 2, 7, 64, wire.length].map((n) => parse(plain.packet, n));
    const fast = freshMqttPacket(installBufferListFastReads);
    assert.equal(fast.Stream.prototype.readUInt8, fast.BufferList.prototype.readUInt8, 'the stream class mqtt-packet parses with has the patched reads');
    assert.notEqual(fast.Stream.prototype.readUInt8, plain.Stream.prototype.readUInt8);
    assert.ok(fast.Stream.prototype.toString === fast.BufferList.prototype.toString, 'and its toString');
    assert.deepEqual([1, 2, 7, 64, wire.length].map((n) => parse(fast.packet, n)), expected);
    assert.equal((expected[0] as { topic: string }[])[1]?.topic, 'a/é/ü', JSON.stringify(expected[0]).slice(0, 300));
  });
});
