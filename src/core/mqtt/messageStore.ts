/**
 * Where the topic model keeps message bytes, with bounded memory and no object per message:
 * - payload bytes are copied into large segments (mqtt.js hands out views into its socket
 *   buffer: keeping one would keep the whole buffer alive) and each message's metadata goes into
 *   the segment's typed-array columns, found by sequence number;
 * - a topic's history is a chain of sequence numbers through the segments' `next` column; the
 *   chain's ends and counts live on the topic's TopicNode, which this store updates;
 * - bounded history per topic (count and bytes) and one global budget over all stored messages,
 *   dropping the oldest segment first (one dropped segment is kept for reuse);
 * - objects for messages (StoredMessage) are made only on display.
 */
import type { TopicModelOptions } from './topicModel';
import type { TopicNode } from './topicNode';

/**
 * What one stored message costs besides its payload bytes: its slots in the segment's columns
 * (offset, length, size, time, flags, topic) and in its topic's history.
 */
export const MESSAGE_OVERHEAD_BYTES = 40;

/** MQTT 5 properties as mqtt.js decodes them; kept by reference, shown in tooltips. */
export type MessageProperties = Readonly<Record<string, unknown>>;

/** One message as the UI sees it: made on demand, never kept by the model. */
export interface StoredMessage {
  /** The stored bytes (a view: copy to keep). Truncated when `payload.length < size`. */
  readonly payload: Uint8Array;
  /** The payload's size on the wire. */
  readonly size: number;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  /** Milliseconds since the epoch when it arrived. */
  readonly time: number;
  readonly properties: MessageProperties | undefined;
}

/** Payload bytes are appended to segments of up to this size (a larger payload gets its own). */
export const SEGMENT_BYTES = 1024 * 1024;
const FIRST_SLOTS = 1024;

/**
 * A run of stored messages: payload bytes plus one column per field. Segments are dropped
 * whole, oldest first, to keep the global budget.
 */
export class Segment {
  used = 0;
  count = 0;
  offsets = new Uint32Array(FIRST_SLOTS);
  lengths = new Uint32Array(FIRST_SLOTS);
  sizes = new Uint32Array(FIRST_SLOTS);
  /** Milliseconds after `baseTime`. */
  times = new Uint32Array(FIRST_SLOTS);
  baseTime = 0;
  /** qos | retain << 2 */
  flags = new Uint8Array(FIRST_SLOTS);
  /** Sequence number of the next message on the same topic (-1: none yet): histories are chains. */
  next = new Float64Array(FIRST_SLOTS);
  readonly nodes: TopicNode[] = [];
  /** MQTT 5 properties by slot; most messages have none. */
  properties: Map<number, MessageProperties> | undefined;
  /**
   * Subscription identifiers by slot (0: none), for messages whose only property is one: with an
   * identifier per subscription (MQTT 5) that is every message, and an object kept per message
   * would cost more than its payload (bench P4b). Made when the first one comes.
   */
  subIds: Uint32Array | undefined;

  constructor(
    readonly buf: Buffer,
    /** Sequence number of slot 0. */
    public firstSeq: number,
  ) {}

  /** Makes a dropped segment ready for reuse: no new memory, no garbage. */
  reset(firstSeq: number): void {
    this.firstSeq = firstSeq;
    this.used = 0;
    this.count = 0;
    // `nodes` is overwritten slot by slot: keeping its length avoids regrowing it.
    this.properties = undefined;
    this.subIds?.fill(0);
  }

  get bytes(): number {
    return this.used + this.count * MESSAGE_OVERHEAD_BYTES;
  }

  /**
   * Makes room for more slots: as many as the rest of the buffer needs at the average payload size
   * so far (+5%), rather than doubling — doubling left a third of a full segment's columns unused
   * (with 100-byte payloads 16,384 slots for 10,485 messages: ~11 MB outside the budget at 128 MB,
   * bench P4). At least an eighth more, at most 16 times as many; doubling when the payloads so far
   * were empty.
   */
  grow(): void {
    const slots = this.offsets.length;
    const average = this.used / this.count;
    const wanted = average > 0 ? slots + Math.ceil(((this.buf.length - this.used) / average) * 1.05) : slots * 2;
    const n = Math.min(slots * 16, Math.max(slots + Math.max(64, slots >> 3), wanted));
    const grow = <T extends Uint32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.offsets = grow(this.offsets, (k) => new Uint32Array(k));
    this.lengths = grow(this.lengths, (k) => new Uint32Array(k));
    this.sizes = grow(this.sizes, (k) => new Uint32Array(k));
    this.times = grow(this.times, (k) => new Uint32Array(k));
    this.flags = grow(this.flags, (k) => new Uint8Array(k));
    this.next = grow(this.next, (k) => new Float64Array(k));
    if (this.subIds) {
      this.subIds = grow(this.subIds, (k) => new Uint32Array(k));
    }
  }

  view(slot: number): StoredMessage {
    const offset = this.offsets[slot]!;
    const flags = this.flags[slot]!;
    return {
      payload: this.buf.subarray(offset, offset + this.lengths[slot]!),
      size: this.sizes[slot]!,
      qos: (flags & 3) as 0 | 1 | 2,
      retain: (flags & 4) !== 0,
      time: this.baseTime + this.times[slot]!,
      properties: this.properties?.get(slot) ?? (this.subIds?.[slot] ? { subscriptionIdentifier: this.subIds[slot] } : undefined),
    };
  }
}

/** The identifier of properties that hold only `subscriptionIdentifier` (one number), else undefined. No allocation. */
function onlySubscriptionId(properties: MessageProperties): number | undefined {
  let id: unknown;
  let keys = 0;
  for (const key in properties) {
    if (++keys > 1 || key !== 'subscriptionIdentifier') {
      return undefined;
    }
    id = properties[key];
  }
  return typeof id === 'number' && id > 0 && id <= 0xfffffff ? id : undefined;
}

/** The segments of one topic model, in arrival order, and the budgets that bound them. */
export class MessageStore {
  /** Payload storage in arrival order: the global eviction queue. */
  private segments: Segment[] = [];
  /** One dropped segment kept for reuse, so a full budget turns over without allocating. */
  private spare: Segment | undefined;
  private nextSeq = 0;
  private storedBytesTotal = 0;
  /** Bytes of the global budget taken by something else (the topic tree's nodes and names): messages get the rest. */
  reservedBytes = 0;
  /** Messages whose payload was larger than the per-topic byte cap (stored truncated). */
  oversizedMessages = 0;

  constructor(
    /** The limits in force; replaced (not mutated) when they change, then trimmed to. */
    public limits: TopicModelOptions,
  ) {}

  /** Bytes counted against the global budget: live segments, payloads plus per-message overhead. */
  get storedBytes(): number {
    return this.storedBytesTotal;
  }

  /** Slots allocated in the live segments' columns (diagnostics: each costs MESSAGE_OVERHEAD_BYTES at most, used or not). */
  get columnSlots(): number {
    let slots = 0;
    for (const segment of this.segments) {
      slots += segment.offsets.length;
    }
    return slots;
  }

  /** A topic's stored messages, oldest first (made on access). */
  history(node: TopicNode): StoredMessage[] {
    const out: StoredMessage[] = [];
    let seq = node.historyOldest;
    for (let i = 0; i < node.historyLength && seq >= 0; i++) {
      const segment = this.segmentOf(seq);
      if (!segment) {
        break;
      }
      const slot = seq - segment.firstSeq;
      out.push(segment.view(slot));
      seq = segment.next[slot]!;
    }
    return out;
  }

  /** The stored message with this sequence number, or undefined once its segment is gone. */
  message(seq: number): StoredMessage | undefined {
    const segment = this.segmentOf(seq);
    return segment?.view(seq - segment.firstSeq);
  }

  /** Forgets every stored message (the topics' chains are the caller's to reset). */
  clear(): void {
    this.segments = [];
    this.storedBytesTotal = 0;
    this.oversizedMessages = 0;
  }

  /** Stores one message as the newest of `node`'s history, then trims both budgets. */
  append(node: TopicNode, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean, now: number, properties: MessageProperties | undefined): void {
    const size = payload.length;
    let keep = size;
    if (size > this.limits.historyBytes) {
      keep = this.limits.historyBytes;
      this.oversizedMessages++;
    }
    let segment = this.segments[this.segments.length - 1];
    if (!segment || segment.buf.length - segment.used < keep) {
      // 1/64 of the budget (at most 1 MB), so that dropping one frees a small part of it.
      const segmentBytes = Math.min(SEGMENT_BYTES, Math.floor(this.limits.totalBytes / 64));
      const spare = this.spare;
      if (spare && spare.buf.length === segmentBytes && keep <= segmentBytes) {
        this.spare = undefined;
        spare.reset(this.nextSeq);
        segment = spare;
      } else {
        segment = new Segment(Buffer.allocUnsafeSlow(Math.max(segmentBytes, keep)), this.nextSeq);
      }
      this.segments.push(segment);
    }
    const slot = segment.count;
    if (slot === segment.offsets.length) {
      segment.grow();
    }
    const offset = segment.used;
    segment.buf.set(keep === size ? payload : payload.subarray(0, keep), offset);
    segment.used += keep;
    segment.offsets[slot] = offset;
    segment.lengths[slot] = keep;
    segment.sizes[slot] = size;
    if (slot === 0) {
      segment.baseTime = now;
    }
    segment.times[slot] = Math.max(0, now - segment.baseTime);
    const flags = qos | (retain ? 4 : 0);
    segment.flags[slot] = flags;
    segment.next[slot] = -1;
    segment.nodes[slot] = node;
    // The node keeps the newest message's properties for when its segment is dropped; an
    // identifier alone is kept as a number: an object per message, alive until its topic's next
    // message, outlives a scavenge often enough to make V8 grow its young generation (bench P4b).
    let lastProperties = properties;
    let lastSubId = 0;
    if (properties !== undefined) {
      const id = onlySubscriptionId(properties);
      if (id !== undefined) {
        (segment.subIds ??= new Uint32Array(segment.offsets.length))[slot] = id;
        lastProperties = undefined;
        lastSubId = id;
      } else {
        (segment.properties ??= new Map()).set(slot, properties);
      }
    }
    segment.count++;
    const seq = this.nextSeq++;
    // Counted against the budget until its segment is dropped, even if trimmed from history
    // earlier: that is when its memory is really freed.
    this.storedBytesTotal += keep + MESSAGE_OVERHEAD_BYTES;

    if (node.historyLength === 0) {
      node.historyOldest = seq;
      node.oldestSegment = segment;
    } else {
      // Link the previous newest message to this one (its segment is live: it is in the history).
      const prev = live(node.lastSegment, node.lastSeq) ?? this.segmentOf(node.lastSeq);
      if (prev) {
        prev.next[node.lastSeq - prev.firstSeq] = seq;
      }
    }
    node.historyLength++;
    node.lastSegment = segment;
    node.lastSeq = seq;
    node.lastSize = size;
    node.lastFlags = flags;
    node.lastTime = now;
    node.lastProperties = lastProperties;
    node.lastSubId = lastSubId;
    node.lastPreview = undefined;
    node.historyBytes += keep;
    this.trimTopic(node);
    this.trimGlobal();
  }

  /** Drops a topic's oldest messages until its history fits the per-topic limits. */
  trimTopic(node: TopicNode): void {
    const { historyBytes } = this.limits;
    const historyMessages = Math.max(1, this.limits.historyMessages);
    while (node.historyLength > historyMessages || (node.historyBytes > historyBytes && node.historyLength > 1)) {
      const seq = node.historyOldest;
      const segment = live(node.oldestSegment, seq) ?? this.segmentOf(seq);
      if (!segment) {
        node.historyLength = 0; // cannot happen: a chain only holds messages of live segments
        break;
      }
      this.dropOldest(node, segment, seq - segment.firstSeq);
    }
  }

  /** Drops whole segments, oldest first, until the budget holds (the newest segment stays). */
  trimGlobal(): void {
    while (this.storedBytesTotal + this.reservedBytes > this.limits.totalBytes && this.segments.length > 1) {
      const segment = this.segments.shift()!;
      for (let slot = 0; slot < segment.count; slot++) {
        const node = segment.nodes[slot]!;
        if (node.historyLength > 0 && node.historyOldest === segment.firstSeq + slot) {
          // Both budgets go oldest first, so a stored message here is its topic's oldest.
          this.dropOldest(node, segment, slot);
        }
        if (node.lastSeq === segment.firstSeq + slot) {
          // Keep a short copy so the node still shows a preview.
          const offset = segment.offsets[slot]!;
          node.lastPreview = Buffer.from(segment.buf.subarray(offset, offset + Math.min(PREVIEW_KEEP, segment.lengths[slot]!)));
        }
      }
      this.storedBytesTotal -= segment.bytes;
      this.spare = segment;
    }
  }

  /** The live segment holding message `seq` (binary search; no allocation). */
  private segmentOf(seq: number): Segment | undefined {
    const segments = this.segments;
    let lo = 0;
    let hi = segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = segments[mid]!;
      if (seq < s.firstSeq) {
        hi = mid - 1;
      } else if (seq >= s.firstSeq + s.count) {
        lo = mid + 1;
      } else {
        return s;
      }
    }
    return undefined;
  }

  /** Removes the oldest message from a topic's history chain. */
  private dropOldest(node: TopicNode, segment: Segment, slot: number): void {
    node.historyBytes -= segment.lengths[slot]!;
    node.historyLength--;
    const next = segment.next[slot]!;
    node.historyOldest = node.historyLength > 0 ? next : -1;
    node.oldestSegment = live(segment, next);
  }
}

/** `segment` if it (still) holds message `seq`: segments are reused with new numbers. */
function live(segment: Segment | undefined, seq: number): Segment | undefined {
  return segment && seq >= segment.firstSeq && seq < segment.firstSeq + segment.count ? segment : undefined;
}

/** Bytes kept of an evicted newest message, enough for an 80-character preview. */
const PREVIEW_KEEP = 160;
