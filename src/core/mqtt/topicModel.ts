/**
 * The live topic tree of one MQTT connection: a trie keyed by topic levels. Built to absorb
 * messages at full speed with bounded memory:
 * - O(depth) integer updates per message; known topics are found by one Map lookup on the
 *   whole topic string, so only new topics are split into levels;
 * - no allocation per message beyond the stored payload copy (mqtt.js hands out views into its
 *   socket buffer: keeping one would keep the whole buffer alive);
 * - counts kept incrementally; previews, JSON checks and sorting are done on display only;
 * - bounded history per topic (count and bytes) and one global budget over all stored
 *   payloads, evicting the oldest stored message first;
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

/** What one stored message costs besides its payload bytes (objects, Buffer header), estimated. */
export const MESSAGE_OVERHEAD_BYTES = 200;

/** MQTT 5 properties as mqtt.js decodes them; kept by reference, shown in tooltips. */
export type MessageProperties = Readonly<Record<string, unknown>>;

/** A run of stored payload bytes. Segments are dropped whole, oldest first (the global budget). */
interface Segment {
  readonly buf: Buffer;
  used: number;
  /** Messages whose bytes live here, in arrival order (evicted ones included). */
  readonly messages: StoredMessage[];
}

/** Payload bytes are appended to segments of up to this size (a larger payload gets its own). */
export const SEGMENT_BYTES = 1024 * 1024;

export class StoredMessage {
  /** @internal set when the message no longer counts as stored (history trimmed or budget). */
  evicted = false;
  /** @internal a short copy kept when the newest message of a topic is evicted. */
  preview: Uint8Array | undefined;

  constructor(
    /** @internal */ readonly node: TopicNode,
    private segment: Segment | undefined,
    private readonly offset: number,
    /** Bytes stored (at most the per-topic cap). */
    readonly storedLength: number,
    /** The payload's size on the wire. Larger than storedLength when truncated. */
    readonly size: number,
    readonly qos: 0 | 1 | 2,
    readonly retain: boolean,
    /** Milliseconds since the epoch when it arrived. */
    readonly time: number,
    readonly properties: MessageProperties | undefined,
  ) {}

  /** The stored bytes (a view; copy to keep). Empty once evicted, unless kept as a preview. */
  get payload(): Uint8Array {
    if (this.segment) {
      return this.segment.buf.subarray(this.offset, this.offset + this.storedLength);
    }
    return this.preview ?? EMPTY;
  }

  /** @internal the segment is being dropped: keep a preview copy if asked, forget the bytes. */
  release(keepPreview: boolean): void {
    if (keepPreview && this.segment) {
      this.preview = Buffer.from(this.payload.subarray(0, PREVIEW_KEEP));
    }
    this.segment = undefined;
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
  /** The newest message on this topic. */
  last: StoredMessage | undefined;
  /** Stored messages on this topic, oldest first (never an evicted one). */
  history: StoredMessage[] = [];
  historyBytes = 0;
  /** Messages per second over this subtree (the last complete window). */
  rate = 0;
  rateWindowStart = 0;
  rateWindowCount = 0;
  /** @internal epoch of the last flush in which this node changed. */
  dirtyEpoch = -1;
  /** @internal sorted child names, rebuilt on display after a child was added. */
  sortedChildren: TopicNode[] | undefined;

  constructor(
    readonly name: string,
    readonly parent: TopicNode | undefined,
    /** The full topic of this node ("" for the root). */
    readonly topic: string,
    readonly depth: number,
  ) {}

  get isRoot(): boolean {
    return this.parent === undefined;
  }

  get childCount(): number {
    return this.children?.size ?? 0;
  }

  /** Stored messages on this topic, oldest first. */
  storedHistory(): StoredMessage[] {
    return this.history.slice();
  }

  /** Children sorted by name ($-topics last at the top level), cached until a child is added. */
  sortedChildNodes(): TopicNode[] {
    if (!this.children) {
      return [];
    }
    this.sortedChildren ??= [...this.children.values()].sort(compareNodes);
    return this.sortedChildren;
  }

  /** Messages per second, decayed to 0 when nothing arrived for a while. */
  currentRate(now: number): number {
    const elapsed = now - this.rateWindowStart;
    if (elapsed >= 2 * RATE_WINDOW_MS) {
      return 0; // nothing closed the window in progress: quiet for over a second
    }
    if (elapsed >= RATE_WINDOW_MS) {
      return (this.rateWindowCount * 1000) / elapsed; // the window in progress is complete
    }
    return this.rate;
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
  readonly root = new TopicNode('', undefined, '', 0);
  private readonly byTopic = new Map<string, TopicNode>();
  /** Payload storage in arrival order: the global eviction queue. */
  private segments: Segment[] = [];
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

  /** Bytes counted against the global budget (payloads + per-message overhead). */
  get storedBytes(): number {
    return this.storedBytesTotal;
  }

  get storedMessages(): number {
    let n = 0;
    for (const segment of this.segments) {
      for (const m of segment.messages) {
        if (!m.evicted) {
          n++;
        }
      }
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
    return topic === '' && this.byTopic.get('') === undefined ? undefined : this.byTopic.get(topic);
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

  /** Absorbs one message. `payload` may be a view into a larger buffer: it is copied. */
  add(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean, now: number, properties?: MessageProperties): TopicNode {
    let node = this.byTopic.get(topic);
    const isNew = node === undefined;
    if (node === undefined) {
      node = this.createTopic(topic);
    }
    this.totalMessages++;
    node.messages++;

    // Counts, rates and dirty marks up the path: O(depth), no allocation.
    const epoch = this.epoch;
    for (let n: TopicNode | undefined = node; n !== undefined; n = n.parent) {
      n.subtreeMessages++;
      if (isNew) {
        n.subtreeTopics++;
      }
      const elapsed = now - n.rateWindowStart;
      if (elapsed >= RATE_WINDOW_MS) {
        n.rate = elapsed < 2 * RATE_WINDOW_MS ? (n.rateWindowCount * 1000) / elapsed : 0;
        n.rateWindowStart = now;
        n.rateWindowCount = 0;
      }
      n.rateWindowCount++;
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
    this.root.rate = this.root.rateWindowCount = 0;
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
    let path = '';
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      path = i === 0 ? level : `${path}/${level}`;
      let child = node.children?.get(level);
      if (!child) {
        child = new TopicNode(level, node, path, i + 1);
        node.children ??= new Map();
        node.children.set(level, child);
        node.sortedChildren = undefined;
      }
      node = child;
    }
    this.byTopic.set(topic, node);
    return node;
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
      segment = { buf: Buffer.allocUnsafeSlow(Math.max(segmentBytes, keep)), used: 0, messages: [] };
      this.segments.push(segment);
    }
    const offset = segment.used;
    segment.buf.set(keep === size ? payload : payload.subarray(0, keep), offset);
    segment.used += keep;
    // Counted against the budget until its segment is dropped, even if trimmed from history
    // earlier: that is when its memory is really freed.
    this.storedBytesTotal += keep + MESSAGE_OVERHEAD_BYTES;
    const message = new StoredMessage(node, segment, offset, keep, size, qos, retain, now, properties);
    segment.messages.push(message);
    node.last = message;
    node.history.push(message);
    node.historyBytes += keep;
    this.trimTopic(node);
    this.trimGlobal();
  }

  private trimTopic(node: TopicNode): void {
    const { historyBytes } = this.options;
    const historyMessages = Math.max(1, this.options.historyMessages);
    while (node.history.length > historyMessages || (node.historyBytes > historyBytes && node.history.length > 1)) {
      this.evict(node.history[0]!);
    }
  }

  /** Drops whole segments, oldest first, until the budget holds (the newest segment stays). */
  private trimGlobal(): void {
    while (this.storedBytesTotal > this.options.totalBytes && this.segments.length > 1) {
      const segment = this.segments.shift()!;
      for (const message of segment.messages) {
        if (!message.evicted) {
          this.evict(message);
        }
        message.release(message.node.last === message);
      }
      this.storedBytesTotal -= segment.used + segment.messages.length * MESSAGE_OVERHEAD_BYTES;
    }
  }

  /** Removes a message from its topic's history; both budgets evict a topic's oldest first. */
  private evict(message: StoredMessage): void {
    message.evicted = true;
    const node = message.node;
    node.historyBytes -= message.storedLength;
    if (node.history[0] === message) {
      node.history.shift();
    } else {
      const i = node.history.indexOf(message);
      if (i >= 0) {
        node.history.splice(i, 1);
      }
    }
  }
}

const EMPTY = new Uint8Array(0);
/** Bytes kept of an evicted newest message, enough for an 80-character preview. */
const PREVIEW_KEEP = 160;
