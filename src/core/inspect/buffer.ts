// The inspector's host-side buffer: the newest messages of one source with their payloads (up to a
// per-message limit and one byte budget for all), and the batches posted to the webview. Pure.
import type { InspectedMessage, PropertyValue } from '../protocol/inspect';
import type { QoS } from '../protocol/shared';

/** A message as a feed delivers it; the buffer copies the payload (feeds may reuse their buffers). */
export interface IncomingMessage {
  readonly time: number;
  readonly topic: string;
  readonly payload: Uint8Array;
  /** Full size when `payload` was already cut by the feed (e.g. a management API peek). */
  readonly size?: number;
  readonly exchange?: string;
  readonly qos?: QoS;
  readonly retain?: boolean;
  readonly redelivered?: boolean;
  /** Put back in its queue by the peek that read it (see InspectedMessage.returned). */
  readonly returned?: boolean;
  readonly properties?: Readonly<Record<string, PropertyValue>>;
  readonly headers?: Readonly<Record<string, PropertyValue>>;
  readonly matched?: readonly string[];
}

interface Stored extends Omit<InspectedMessage, 'payload' | 'truncated'> {
  /** What the host keeps of the payload (at most keepBytes; less after the budget evicted it). */
  payload: Uint8Array;
}

export interface InspectorBufferOptions {
  /** Messages kept (the newest). */
  readonly messages: number;
  /** Payload bytes kept per message. */
  readonly keepBytes: number;
  /** Payload bytes sent to the webview per message. */
  readonly displayBytes: number;
  /** All kept payloads together; beyond it the oldest messages keep only `previewBytes`. */
  readonly totalBytes: number;
  /** Payload bytes of one post to the webview; beyond it messages travel with `previewBytes` only. */
  readonly postBytes: number;
  /** What a message keeps / travels with when a budget is exceeded. */
  readonly previewBytes: number;
}

export const DEFAULT_BUFFER_OPTIONS: InspectorBufferOptions = {
  messages: 10_000,
  keepBytes: 10 * 1024 * 1024,
  displayBytes: 1024 * 1024,
  totalBytes: 256 * 1024 * 1024,
  postBytes: 16 * 1024 * 1024,
  previewBytes: 4 * 1024,
};

/** Payloads up to this size are copied into a shared slab instead of an ArrayBuffer each. */
const SLAB_PAYLOAD = 4 * 1024;
const SLAB_BYTES = 256 * 1024;

/**
 * Copies small payloads into 256 KB slabs: one ArrayBuffer per message costs more than the rest
 * of push at 50k msg/s (allocation and GC of the backing stores). A slab lives while a message in
 * it is kept; the ring drops messages oldest first, so at most one slab beyond the kept bytes is
 * held. Bigger payloads get their own buffer (the budget may cut them to a preview).
 */
class Slabs {
  private slab = new Uint8Array(SLAB_BYTES);
  private used = 0;
  copy(src: Uint8Array, n: number): Uint8Array {
    if (n > SLAB_PAYLOAD) {
      const own = new Uint8Array(n);
      own.set(n === src.length ? src : src.subarray(0, n));
      return own;
    }
    if (this.used + n > SLAB_BYTES) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const at = this.used;
    this.slab.set(n === src.length ? src : src.subarray(0, n), at);
    this.used = at + n;
    return this.slab.subarray(at, at + n);
  }
}

export class InspectorBuffer {
  private readonly slabs = new Slabs();
  /**
   * Messages that arrived since the last post but were dropped from the ring before it (the
   * source delivered more than the ring holds between two posts): said by the next batch.
   */
  private unposted = 0;
  private readonly ring: (Stored | undefined)[];
  /** Index of the oldest kept message. */
  private head = 0;
  private count = 0;
  private nextSeq = 1;
  /** Bytes of all kept payloads. */
  private bytes = 0;
  /** Index (in arrival order) of the oldest message whose payload is still whole: eviction walks from there. */
  private evictFrom = 0;
  /** Every message delivered by the source, including those dropped from the ring. */
  total = 0;
  /** Seq of the newest message already posted to the webview. */
  private postedSeq = 0;

  constructor(readonly options: InspectorBufferOptions = DEFAULT_BUFFER_OPTIONS) {
    this.ring = new Array<Stored | undefined>(options.messages);
  }

  get size(): number {
    return this.count;
  }

  get keptBytes(): number {
    return this.bytes;
  }

  push(m: IncomingMessage): number {
    const keep = Math.min(m.payload.length, this.options.keepBytes);
    // Copy: mqtt.js hands out views into its read buffer (and a Buffer's slice() is a view too).
    const payload = this.slabs.copy(m.payload, keep);
    const seq = this.nextSeq++;
    const stored: Stored = {
      seq,
      time: m.time,
      topic: m.topic,
      exchange: m.exchange,
      qos: m.qos,
      retain: m.retain,
      redelivered: m.redelivered,
      ...(m.returned ? { returned: true } : {}),
      size: m.size ?? m.payload.length,
      payload,
      properties: m.properties,
      headers: m.headers,
      matched: m.matched,
    };
    const cap = this.ring.length;
    if (this.count === cap) {
      const old = this.ring[this.head];
      if (old && old.seq > this.postedSeq) {
        this.unposted++; // never reached the webview
      }
      this.bytes -= old?.payload.length ?? 0;
      this.ring[this.head] = stored;
      this.head = (this.head + 1) % cap;
      this.evictFrom = Math.max(0, this.evictFrom - 1);
    } else {
      this.ring[(this.head + this.count) % cap] = stored;
      this.count++;
    }
    this.bytes += payload.length;
    this.total++;
    this.enforceBudget();
    return seq;
  }

  /** Oldest messages give up their payload beyond a preview until all kept payloads fit the budget. */
  private enforceBudget(): void {
    const { totalBytes, previewBytes } = this.options;
    while (this.bytes > totalBytes && this.evictFrom < this.count - 1) {
      const s = this.ring[(this.head + this.evictFrom) % this.ring.length];
      if (s && s.payload.length > previewBytes) {
        this.bytes -= s.payload.length - previewBytes;
        s.payload = s.payload.slice(0, previewBytes);
      }
      this.evictFrom++;
    }
  }

  private at(i: number): Stored | undefined {
    return this.ring[(this.head + i) % this.ring.length];
  }

  /** The kept message with this seq (binary search: seqs increase along the ring). */
  get(seq: number): (Stored & { truncated: boolean }) | undefined {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.at(mid);
      if (!s) {
        return undefined;
      }
      if (s.seq === seq) {
        return { ...s, truncated: s.payload.length < s.size };
      }
      if (s.seq < seq) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return undefined;
  }

  /** Kept messages, oldest first. */
  *all(): IterableIterator<Stored> {
    for (let i = 0; i < this.count; i++) {
      const s = this.at(i);
      if (s) {
        yield s;
      }
    }
  }

  /** The newest kept message on `topic` older than `seq` (what the diff editor compares it with). */
  previousOnTopic(topic: string, seq: number): Stored | undefined {
    let previous: Stored | undefined;
    for (const x of this.all()) {
      if (x.seq >= seq) {
        break;
      }
      if (x.topic === topic) {
        previous = x;
      }
    }
    return previous;
  }

  /**
   * The messages as posted: each payload cut to the display cap (or to a preview once the post's
   * byte budget is spent, newest first in line) and copied into ONE ArrayBuffer for the whole post.
   * VS Code transfers each distinct ArrayBuffer of a message separately (and looks each up in a
   * list), so ten thousand small buffers cost far more than one.
   */
  private toWire(stored: readonly Stored[], newestFirstBudget: boolean): InspectedMessage[] {
    const budget = { left: this.options.postBytes };
    const sizes = new Array<number>(stored.length);
    const order = newestFirstBudget ? stored.map((_, i) => stored.length - 1 - i) : stored.map((_, i) => i);
    let total = 0;
    for (const i of order) {
      const s = stored[i]!;
      let bytes = Math.min(s.payload.length, this.options.displayBytes);
      if (bytes > budget.left) {
        bytes = Math.min(bytes, this.options.previewBytes);
      }
      budget.left -= bytes;
      sizes[i] = bytes;
      total += bytes;
    }
    const pack = new Uint8Array(total);
    let offset = 0;
    return stored.map((s, i) => {
      const bytes = sizes[i]!;
      pack.set(s.payload.subarray(0, bytes), offset);
      const payload = pack.subarray(offset, offset + bytes);
      offset += bytes;
      // A literal of one shape (an object spread costs ~1 µs a message at 50k msg/s); AMQP and
      // peek fields only when present, so the post carries no undefined fields.
      const w: { -readonly [K in keyof InspectedMessage]: InspectedMessage[K] } = { seq: s.seq, time: s.time, topic: s.topic, size: s.size, payload, truncated: bytes < s.size };
      if (s.qos !== undefined) {
        w.qos = s.qos;
      }
      if (s.retain !== undefined) {
        w.retain = s.retain;
      }
      if (s.exchange !== undefined) {
        w.exchange = s.exchange;
      }
      if (s.redelivered !== undefined) {
        w.redelivered = s.redelivered;
      }
      if (s.returned) {
        w.returned = true;
      }
      if (s.properties !== undefined) {
        w.properties = s.properties;
      }
      if (s.headers !== undefined) {
        w.headers = s.headers;
      }
      if (s.matched !== undefined) {
        w.matched = s.matched;
      }
      return w;
    });
  }

  /**
   * Messages dropped from the ring before they were posted, since the last takeSkipped: the
   * webview shows them as "N not shown" where the gap is. Resets the count.
   */
  takeSkipped(): number {
    const n = this.unposted;
    this.unposted = 0;
    return n;
  }

  /** Messages not posted yet (at most the ring's worth), marking them posted. */
  takeBatch(): InspectedMessage[] {
    // Walk back from the newest to the first unposted one, then emit oldest first.
    let i = this.count - 1;
    while (i >= 0 && (this.at(i)?.seq ?? 0) > this.postedSeq) {
      i--;
    }
    const out: Stored[] = [];
    for (let j = i + 1; j < this.count; j++) {
      const s = this.at(j);
      if (s) {
        out.push(s);
      }
    }
    this.postedSeq = this.nextSeq - 1;
    return this.toWire(out, false);
  }

  /** Are there messages the webview has not been sent? */
  get pending(): boolean {
    return this.nextSeq - 1 > this.postedSeq;
  }

  /** The newest `limit` messages for a full refresh of the webview, newest payloads first in the budget. */
  snapshot(limit = this.count): InspectedMessage[] {
    const n = Math.min(limit, this.count);
    const out: Stored[] = [];
    for (let k = this.count - n; k < this.count; k++) {
      const s = this.at(k);
      if (s) {
        out.push(s);
      }
    }
    this.postedSeq = this.nextSeq - 1;
    this.unposted = 0; // a snapshot replaces the list: no gap to mark in it
    return this.toWire(out, true);
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
    this.evictFrom = 0;
    this.postedSeq = this.nextSeq - 1;
    this.unposted = 0;
  }
}
