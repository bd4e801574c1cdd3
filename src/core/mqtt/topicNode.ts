/**
 * One level of the live topic tree: counts kept incrementally up the path, children by name
 * (sorted on display only), the ends of its history chain in the message store, its newest
 * message (kept as a short preview once the store drops it), a rate sampled on display and the
 * epoch stamp by which the model collects changed nodes once per flush.
 */
import type { MessageProperties, MessageStore, Segment, StoredMessage } from './messageStore';

/**
 * The one rate definition, the same for tree rows and the status bar: messages per second over
 * the last RATE_WINDOW_MS (a sliding window), from samples of the subtree count taken when a
 * rate is asked for — at most one sample every RATE_SAMPLE_MS, no per-message work.
 */
export const RATE_WINDOW_MS = 2000;
const RATE_SAMPLE_MS = 250;
/** How far before the window its first sample may lie (the status bar alone asks once a second). */
const RATE_MAX_GAP_MS = 1250;
/** Samples kept: enough to span the window at the sampling pace, plus the one just outside it. */
const RATE_SLOTS = RATE_WINDOW_MS / RATE_SAMPLE_MS + 2;

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
  /** @internal the newest message's subscription identifier when that was its only property (0: none). */
  lastSubId = 0;
  lastPreview: Uint8Array | undefined;
  /** @internal rate samples (time, subtreeMessages) as a ring; allocated when a rate is first asked (shown rows only). */
  private rateSamples: Float64Array | undefined;
  private rateHead = 0;
  private rateSize = 0;
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
        properties: this.lastProperties ?? (this.lastSubId ? { subscriptionIdentifier: this.lastSubId } : undefined),
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
   * Messages per second over this subtree in the sliding window that ends at `now`: the messages
   * counted since the oldest sample still inside the window, divided by the time since it. A
   * subtree that received nothing during the window has rate 0. 0 on the first call.
   */
  currentRate(now: number): number {
    const s = (this.rateSamples ??= new Float64Array(RATE_SLOTS * 2));
    // Drop samples that left the window (the one just before it is kept until a newer one covers the window).
    while (this.rateSize > 1 && now - s[((this.rateHead + 1) % RATE_SLOTS) * 2]! >= RATE_WINDOW_MS) {
      this.rateHead = (this.rateHead + 1) % RATE_SLOTS;
      this.rateSize--;
    }
    if (this.rateSize > 0 && now - s[this.rateHead * 2]! > RATE_WINDOW_MS + RATE_MAX_GAP_MS) {
      // The sample before the window is from long before it (nobody asked for a while): use the
      // samples inside the window, or start over when there are none.
      if (this.rateSize > 1) {
        this.rateHead = (this.rateHead + 1) % RATE_SLOTS;
        this.rateSize--;
      } else {
        this.rateSize = 0;
      }
    }
    const newest = (this.rateHead + this.rateSize - 1 + RATE_SLOTS) % RATE_SLOTS;
    if (this.rateSize === 0 || (now - s[newest * 2]! >= RATE_SAMPLE_MS && this.rateSize < RATE_SLOTS)) {
      const slot = (this.rateHead + this.rateSize) % RATE_SLOTS;
      s[slot * 2] = now;
      s[slot * 2 + 1] = this.subtreeMessages;
      this.rateSize++;
    }
    const elapsed = now - s[this.rateHead * 2]!;
    if (elapsed < RATE_SAMPLE_MS) {
      return 0;
    }
    return ((this.subtreeMessages - s[this.rateHead * 2 + 1]!) * 1000) / elapsed;
  }

  /** @internal counts were reset (Clear Topics, a new session): earlier samples no longer apply. */
  resetRate(): void {
    this.rateSize = 0;
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
