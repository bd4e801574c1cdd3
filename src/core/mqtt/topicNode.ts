/**
 * One level of the live topic tree: counts kept incrementally up the path, children by name
 * (sorted on display only), the ends of its history chain in the message store, its newest
 * message (kept as a short preview once the store drops it), a rate sampled on display and the
 * epoch stamp by which the model collects changed nodes once per flush.
 */
import type { MessageProperties, MessageStore, Segment, StoredMessage } from './messageStore';

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
    private readonly store: MessageStore,
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
      this.store.message(this.lastSeq) ?? {
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
    return this.store.history(this);
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

const EMPTY = new Uint8Array(0);
