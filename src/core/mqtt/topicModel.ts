/**
 * The live topic tree of one MQTT connection: a trie keyed by topic levels. Built to absorb
 * messages at full speed with bounded memory:
 * - O(depth) integer updates per message; known topics are found by one Map lookup on the
 *   whole topic string, so only new topics are split into levels;
 * - no object allocated per message: payload bytes are copied into large segments (mqtt.js
 *   hands out views into its socket buffer: keeping one would keep the whole buffer alive) and
 *   each message's metadata goes into the segment's typed-array columns; a topic's history is
 *   an array of sequence numbers. Objects for messages are made only on display;
 * - counts kept incrementally; previews, JSON checks and sorting are done on display only;
 * - bounded history per topic (count and bytes) and one global budget over all stored
 *   messages, dropping the oldest segment first;
 * - changed nodes are collected once per flush (an epoch stamp per node), for the view to pull.
 */

export interface TopicModelOptions {
  /** Messages kept per topic (the newest). */
  readonly historyMessages: number;
  /** Payload bytes kept per topic; a larger payload is stored truncated to this size. */
  readonly historyBytes: number;
  /** Bytes kept over all topics (payloads plus a per-message overhead estimate). */
  readonly totalBytes: number;
}

export const DEFAULT_TOPIC_MODEL_OPTIONS: TopicModelOptions = {
  historyMessages: 100,
  historyBytes: 2 * 1024 * 1024,
  totalBytes: 128 * 1024 * 1024,
};

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
class Segment {
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
  }

  get bytes(): number {
    return this.used + this.count * MESSAGE_OVERHEAD_BYTES;
  }

  grow(): void {
    const n = this.offsets.length * 2;
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
      properties: this.properties?.get(slot),
    };
  }
}

const RATE_WINDOW_MS = 1000;

export class TopicNode {
  /** Children by level name; undefined until the first child arrives. */
  children: Map<string, TopicNode> | undefined;
  /** Messages received on exactly this topic. */
  messages = 0;
  /** Messages received on this topic and every topic below it. */
  subtreeMessages = 0;
  /** Topics (nodes that received a message) in this subtree, this one included. */
  subtreeTopics = 0;
  /**
   * The stored messages on this topic form a chain through the segments' `next` column, from
   * the oldest (`historyOldest`) to the newest (`lastSeq`): no per-topic array to grow.
   */
  historyOldest = -1;
  historyLength = 0;
  historyBytes = 0;
  /** @internal segments last seen holding historyOldest / lastSeq (checked before use). */
  oldestSegment: Segment | undefined;
  lastSegment: Segment | undefined;
  /** @internal the newest message: its sequence number, and what is shown once it is evicted. */
  lastSeq = -1;
  lastSize = 0;
  lastFlags = 0;
  lastTime = 0;
  lastProperties: MessageProperties | undefined;
  lastPreview: Uint8Array | undefined;
  /** @internal rate sampling: subtreeMessages and time at the last sample, and the result. */
  private rateCount = 0;
  private rateTime = -1;
  private rate = 0;
  /** @internal epoch of the last flush in which this node changed. */
  dirtyEpoch = -1;
  /** @internal children sorted by name, rebuilt on display after a child was added. */
  sortedChildren: TopicNode[] | undefined;

  constructor(
    readonly name: string,
    readonly parent: TopicNode | undefined,
    /** The full topic of this node ("" for the root). */
    readonly topic: string,
    readonly depth: number,
    private readonly model: TopicModel,
  ) {}

  get isRoot(): boolean {
    return this.parent === undefined;
  }

  get childCount(): number {
    return this.children?.size ?? 0;
  }

  /** The newest message on this topic (made on access), or undefined before the first. */
  get last(): StoredMessage | undefined {
    if (this.lastSeq < 0) {
      return undefined;
    }
    return (
      this.model.message(this.lastSeq) ?? {
        payload: this.lastPreview ?? EMPTY,
        size: this.lastSize,
        qos: (this.lastFlags & 3) as 0 | 1 | 2,
        retain: (this.lastFlags & 4) !== 0,
        time: this.lastTime,
        properties: this.lastProperties,
      }
    );
  }

  /** Stored messages on this topic, oldest first (made on access). */
  storedHistory(): StoredMessage[] {
    return this.model.history(this);
  }

  /** Children sorted by name ($-topics last at the top level), cached until a child is added. */
  sortedChildNodes(): TopicNode[] {
    if (!this.children) {
      return [];
    }
    this.sortedChildren ??= [...this.children.values()].sort(compareNodes);
    return this.sortedChildren;
  }

  /**
   * Messages per second over this subtree, from the counts seen by successive calls at least a
   * second apart (the view asks a few times a second): no per-message work. 0 on the first call.
   */
  currentRate(now: number): number {
    if (this.rateTime < 0) {
      this.rateTime = now;
      this.rateCount = this.subtreeMessages;
      return 0;
    }
    const elapsed = now - this.rateTime;
    if (elapsed >= RATE_WINDOW_MS) {
      this.rate = ((this.subtreeMessages - this.rateCount) * 1000) / elapsed;
      this.rateTime = now;
      this.rateCount = this.subtreeMessages;
    }
    return this.rate;
  }

  /** @internal */
  resetRate(): void {
    this.rateTime = -1;
    this.rate = 0;
  }
}

function compareNodes(a: TopicNode, b: TopicNode): number {
  const ad = a.name.startsWith('$');
  const bd = b.name.startsWith('$');
  if (ad !== bd) {
    return ad ? 1 : -1;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class TopicModel {
  readonly root: TopicNode = new TopicNode('', undefined, '', 0, this);
  private readonly byTopic = new Map<string, TopicNode>();
  /** Payload storage in arrival order: the global eviction queue. */
  private segments: Segment[] = [];
  /** One dropped segment kept for reuse, so a full budget turns over without allocating. */
  private spare: Segment | undefined;
  private nextSeq = 0;
  private storedBytesTotal = 0;
  private epoch = 0;
  private dirty: TopicNode[] = [];
  private options: TopicModelOptions;
  totalMessages = 0;
  /** Messages whose payload was larger than the per-topic byte cap (stored truncated). */
  oversizedMessages = 0;

  constructor(options: Partial<TopicModelOptions> = {}) {
    this.options = { ...DEFAULT_TOPIC_MODEL_OPTIONS, ...options };
  }

  get topicCount(): number {
    return this.byTopic.size;
  }

  /** Bytes counted against the global budget: live segments, payloads plus per-message overhead. */
  get storedBytes(): number {
    return this.storedBytesTotal;
  }

  /** Messages still in some topic's history. */
  get storedMessages(): number {
    let n = 0;
    for (const node of this.byTopic.values()) {
      n += node.historyLength;
    }
    return n;
  }

  get limits(): TopicModelOptions {
    return this.options;
  }

  /** New limits apply at once: stored history is trimmed to them. */
  configure(options: Partial<TopicModelOptions>): void {
    this.options = { ...this.options, ...options };
    for (const node of this.byTopic.values()) {
      this.trimTopic(node);
    }
    this.trimGlobal();
  }

  find(topic: string): TopicNode | undefined {
    return this.byTopic.get(topic);
  }

  /** The node for a topic path whether or not it received messages itself (e.g. "a/b" of "a/b/c"). */
  findPath(levels: readonly string[]): TopicNode | undefined {
    let node: TopicNode | undefined = this.root;
    for (const level of levels) {
      node = node.children?.get(level);
      if (!node) {
        return undefined;
      }
    }
    return node;
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

  /** Absorbs one message. `payload` may be a view into a larger buffer: it is copied. */
  add(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean, now: number, properties?: MessageProperties): TopicNode {
    let node = this.byTopic.get(topic);
    const isNew = node === undefined;
    if (node === undefined) {
      node = this.createTopic(topic);
    }
    this.totalMessages++;
    node.messages++;

    // Counts and dirty marks up the path: O(depth), no allocation.
    const epoch = this.epoch;
    for (let n: TopicNode | undefined = node; n !== undefined; n = n.parent) {
      n.subtreeMessages++;
      if (isNew) {
        n.subtreeTopics++;
      }
      if (n.dirtyEpoch !== epoch) {
        n.dirtyEpoch = epoch;
        this.dirty.push(n);
      }
    }

    this.store(node, payload, qos, retain, now, properties);
    return node;
  }

  /**
   * Nodes changed since the previous call (each once), then starts a new epoch. Ancestors of a
   * changed node are changed too (their counts moved).
   */
  takeDirty(): TopicNode[] {
    const dirty = this.dirty;
    this.dirty = [];
    this.epoch++;
    return dirty;
  }

  /** Forgets everything (the topics too). */
  clear(): void {
    this.root.children = undefined;
    this.root.sortedChildren = undefined;
    this.root.messages = this.root.subtreeMessages = this.root.subtreeTopics = 0;
    this.root.resetRate();
    this.byTopic.clear();
    this.segments = [];
    this.storedBytesTotal = 0;
    this.totalMessages = 0;
    this.oversizedMessages = 0;
    this.dirty = [this.root];
  }

  /** Calls `visit` for every topic (node with messages) under `node`, depth first. */
  walkTopics(node: TopicNode, visit: (n: TopicNode) => void): void {
    if (node.messages > 0) {
      visit(node);
    }
    if (node.children) {
      for (const child of node.children.values()) {
        this.walkTopics(child, visit);
      }
    }
  }

  private createTopic(topic: string): TopicNode {
    const levels = topic.split('/');
    let node = this.root;
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      let child = node.children?.get(level);
      if (!child) {
        // The topic string itself is shared by its own node (it is also the map key).
        const path = i === levels.length - 1 ? topic : i === 0 ? level : `${node.topic}/${level}`;
        child = new TopicNode(level, node, path, i + 1, this);
        node.children ??= new Map();
        node.children.set(level, child);
        node.sortedChildren = undefined;
      }
      node = child;
    }
    this.byTopic.set(topic, node);
    return node;
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

  private store(node: TopicNode, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean, now: number, properties: MessageProperties | undefined): void {
    const size = payload.length;
    let keep = size;
    if (size > this.options.historyBytes) {
      keep = this.options.historyBytes;
      this.oversizedMessages++;
    }
    let segment = this.segments[this.segments.length - 1];
    if (!segment || segment.buf.length - segment.used < keep) {
      // 1/64 of the budget (at most 1 MB), so that dropping one frees a small part of it.
      const segmentBytes = Math.min(SEGMENT_BYTES, Math.floor(this.options.totalBytes / 64));
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
    if (properties !== undefined) {
      (segment.properties ??= new Map()).set(slot, properties);
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
    node.lastProperties = properties;
    node.lastPreview = undefined;
    node.historyBytes += keep;
    this.trimTopic(node);
    this.trimGlobal();
  }

  private trimTopic(node: TopicNode): void {
    const { historyBytes } = this.options;
    const historyMessages = Math.max(1, this.options.historyMessages);
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

  /** Removes the oldest message from a topic's history chain. */
  private dropOldest(node: TopicNode, segment: Segment, slot: number): void {
    node.historyBytes -= segment.lengths[slot]!;
    node.historyLength--;
    const next = segment.next[slot]!;
    node.historyOldest = node.historyLength > 0 ? next : -1;
    node.oldestSegment = live(segment, next);
  }

  /** Drops whole segments, oldest first, until the budget holds (the newest segment stays). */
  private trimGlobal(): void {
    while (this.storedBytesTotal > this.options.totalBytes && this.segments.length > 1) {
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
}

/** `segment` if it (still) holds message `seq`: segments are reused with new numbers. */
function live(segment: Segment | undefined, seq: number): Segment | undefined {
  return segment && seq >= segment.firstSeq && seq < segment.firstSeq + segment.count ? segment : undefined;
}

const EMPTY = new Uint8Array(0);
/** Bytes kept of an evicted newest message, enough for an 80-character preview. */
const PREVIEW_KEEP = 160;
