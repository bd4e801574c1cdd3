/**
 * Fast paths for the `bl` BufferList that mqtt-packet parses every received packet from (applied
 * to the copy bundled in dist/vendor/mqtt.js; see esbuild.mjs). bl reads each header byte, length
 * and property number with `this.slice(offset, offset + n)[method](0)`: a new Buffer and an offset
 * array per read, and `toString` slices before decoding. At 50k msg/s that was about half of the ~2.5 KB
 * allocated per message (bench P4b heap profile): the extension host collected garbage twice as
 * often as it does now. Here a read that lies inside one of the list's buffers reads that
 * buffer in place; anything else (a read across two buffers, out of range) takes bl's own path, so
 * results and errors stay bl's.
 */

/** The part of bl's BufferList these paths use and replace. */
interface BufferListLike {
  _bufs: Buffer[];
  length: number;
  toString: (this: BufferListLike, encoding?: BufferEncoding, start?: number, end?: number) => string;
  [read: string]: unknown;
}

interface BufferListClass {
  prototype: BufferListLike;
}

/** bl's fixed-width reads and their widths. */
const FIXED_READS: Readonly<Record<string, number>> = {
  readUInt8: 1,
  readInt8: 1,
  readUInt16BE: 2,
  readUInt16LE: 2,
  readInt16BE: 2,
  readInt16LE: 2,
  readUInt32BE: 4,
  readUInt32LE: 4,
  readInt32BE: 4,
  readInt32LE: 4,
  readFloatBE: 4,
  readFloatLE: 4,
  readDoubleBE: 8,
  readDoubleLE: 8,
  readBigInt64BE: 8,
  readBigInt64LE: 8,
  readBigUInt64BE: 8,
  readBigUInt64LE: 8,
};

const PATCHED = Symbol.for('broker-explorer.blFastReads');

/**
 * Index of the buffer holding list offset `offset` and the offset inside it, in `found`
 * (reused: no allocation); false when `offset` is not a non-negative integer inside the list.
 */
function locate(bufs: Buffer[], offset: number, found: { index: number; at: number }): boolean {
  if (!Number.isInteger(offset) || offset < 0) {
    return false;
  }
  let at = offset;
  for (let i = 0; i < bufs.length; i++) {
    const len = bufs[i]!.length;
    if (at < len) {
      found.index = i;
      found.at = at;
      return true;
    }
    at -= len;
  }
  return false;
}

/** Installs the fast paths on bl's BufferList prototype (once; a second call does nothing). */
export function installBufferListFastReads(BufferList: BufferListClass): void {
  const proto = BufferList.prototype;
  if ((proto as unknown as Record<symbol, boolean>)[PATCHED]) {
    return;
  }
  (proto as unknown as Record<symbol, boolean>)[PATCHED] = true;
  const found = { index: 0, at: 0 };
  for (const [method, width] of Object.entries(FIXED_READS)) {
    const original = proto[method] as ((this: BufferListLike, offset?: number) => unknown) | undefined;
    if (typeof original !== 'function') {
      continue;
    }
    proto[method] = function fastRead(this: BufferListLike, offset = 0): unknown {
      if (locate(this._bufs, offset, found)) {
        const buf = this._bufs[found.index]!;
        if (found.at + width <= buf.length) {
          return (buf[method as keyof Buffer] as (this: Buffer, at: number) => unknown).call(buf, found.at);
        }
      }
      return original.call(this, offset);
    };
  }
  const toString = proto.toString;
  proto.toString = function fastToString(this: BufferListLike, encoding?: BufferEncoding, start?: number, end?: number): string {
    // bl: slice(start, end).toString(encoding), where a missing start is 0 and a missing end is the length.
    if (typeof start === 'number' && typeof end === 'number' && end > start && end <= this.length && locate(this._bufs, start, found)) {
      const buf = this._bufs[found.index]!;
      if (found.at + (end - start) <= buf.length) {
        return buf.toString(encoding, found.at, found.at + (end - start));
      }
    }
    return toString.call(this, encoding, start, end);
  };
}
