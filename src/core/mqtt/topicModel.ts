/**
 * The live topic tree of one MQTT connection: a trie keyed by topic levels (TopicNode), over a
 * message store that keeps the payloads (MessageStore). Built to absorb messages at full speed
 * with bounded memory:
 * - O(depth) integer updates per message; known topics are found by one Map lookup on the
 *   whole topic string, so only new topics are split into levels;
 * - no object allocated per message (see messageStore.ts); objects for messages are made only
 *   on display;
 * - counts kept incrementally; previews, JSON checks and sorting are done on display only;
 * - bounded history per topic (count and bytes) and one global budget over all stored
 *   messages, dropping the oldest segment first;
 * - changed nodes are collected once per flush (an epoch stamp per node), for the view to pull.
 */
import { MessageStore, type MessageProperties, type StoredMessage } from './messageStore';
import { TopicNode } from './topicNode';
import { TopicFilter } from './topicFilter';

export interface TopicModelOptions {
  /** Messages kept per topic (the newest). */
  readonly historyMessages: number;
  /** Payload bytes kept per topic; a larger payload is stored truncated to this size. */
  readonly historyBytes: number;
  /** Bytes kept over all topics: payloads plus a per-message overhead estimate, and the tree's nodes and topic names. */
  readonly totalBytes: number;
  /** The share of totalBytes the tree's nodes and names may take (0.1–0.9); past it new topics are counted, not added. */
  readonly topicShare: number;
}

export const DEFAULT_TOPIC_MODEL_OPTIONS: TopicModelOptions = {
  historyMessages: 100,
  historyBytes: 2 * 1024 * 1024,
  totalBytes: 128 * 1024 * 1024,
  topicShare: 0.5,
};

/** One node's own memory, measured (heap growth over 100k and deep topics): the object, its map entries, its dirty mark. */
export const NODE_OVERHEAD_BYTES = 400;
/** A string's header; its characters count one byte each (V8 keeps ASCII topics one byte per character). */
const STRING_HEADER_BYTES = 24;

/** How many distinct topics not shown are told apart (beyond it the count says "at least"). */
const NOT_SHOWN_DISTINCT = 100_000;

/** FNV-1a over the topic's characters: counts distinct topics not shown without keeping them. */
function topicHash(topic: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) {
    h = Math.imul(h ^ topic.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

export class TopicModel {
  /** Payload storage and both budgets; holds the limits in force. */
  private readonly store: MessageStore;
  readonly root: TopicNode;
  private readonly byTopic = new Map<string, TopicNode>();
  private epoch = 0;
  private dirty: TopicNode[] = [];
  totalMessages = 0;
  /** Bytes the tree's nodes and topic names take (counted in the global budget). */
  private nodeBytes = 0;
  private readonly notShown = new Set<number>();
  /** Messages on topics not added because the tree reached its share of the budget. */
  messagesNotShown = 0;

  constructor(options: Partial<TopicModelOptions> = {}) {
    this.store = new MessageStore({ ...DEFAULT_TOPIC_MODEL_OPTIONS, ...options });
    this.root = new TopicNode('', undefined, '', 0, this.store);
  }

  get topicCount(): number {
    return this.byTopic.size;
  }

  /** Distinct topics not added because the tree reached its share of the budget (at most 100,000 are told apart). */
  get topicsNotShown(): number {
    return this.notShown.size;
  }

  /** Bytes the tree's nodes and topic names take. */
  get treeBytes(): number {
    return this.nodeBytes;
  }

  /** Bytes counted against the global budget: live segments, payloads plus per-message overhead. */
  get storedBytes(): number {
    return this.store.storedBytes;
  }

  /** Messages whose payload was larger than the per-topic byte cap (stored truncated). */
  get oversizedMessages(): number {
    return this.store.oversizedMessages;
  }

  /** Messages still in some topic's history. */
  get storedMessages(): number {
    let n = 0;
    for (const node of this.byTopic.values()) {
      n += node.historyLength;
    }
    return n;
  }

  /** Slots allocated in the store's columns, used or not (bench P4's note). */
  get columnSlots(): number {
    return this.store.columnSlots;
  }

  get limits(): TopicModelOptions {
    return this.store.limits;
  }

  /** New limits apply at once: stored history is trimmed to them. */
  configure(options: Partial<TopicModelOptions>): void {
    this.store.limits = { ...this.store.limits, ...options };
    for (const node of this.byTopic.values()) {
      this.store.trimTopic(node);
    }
    this.store.trimGlobal();
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

  /**
   * The newest last message of the topics `filter` matches (completion of JSON paths from what a
   * topic carries). Walks only below the filter's literal levels; undefined when nothing matched
   * or the filter is invalid.
   */
  lastMatching(filter: string): { topic: string; message: StoredMessage } | undefined {
    let matcher: TopicFilter;
    try {
      matcher = new TopicFilter(filter);
    } catch {
      return undefined;
    }
    const literal: string[] = [];
    for (const level of matcher.levels) {
      if (level === '+' || level === '#') {
        break;
      }
      literal.push(level);
    }
    const start = this.findPath(literal);
    let best: TopicNode | undefined;
    if (start) {
      this.walkTopics(start, (n) => {
        if ((!best || n.lastTime > best.lastTime) && matcher.matches(n.topic)) {
          best = n;
        }
      });
    }
    const message = best?.last;
    return best && message ? { topic: best.topic, message } : undefined;
  }

  /** A topic's stored messages, oldest first (made on access). */
  history(node: TopicNode): StoredMessage[] {
    return this.store.history(node);
  }

  /** The stored message with this sequence number, or undefined once its segment is gone. */
  message(seq: number): StoredMessage | undefined {
    return this.store.message(seq);
  }

  /**
   * Absorbs one message. `payload` may be a view into a larger buffer: it is copied. A new topic
   * whose nodes would take the tree past its share of the budget is counted and not added
   * (undefined).
   */
  add(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean, now: number, properties?: MessageProperties): TopicNode | undefined {
    let node = this.byTopic.get(topic);
    const isNew = node === undefined;
    if (node === undefined) {
      node = this.createTopic(topic);
      if (node === undefined) {
        this.totalMessages++;
        this.messagesNotShown++;
        if (this.notShown.size < NOT_SHOWN_DISTINCT) {
          this.notShown.add(topicHash(topic));
        }
        if (this.root.dirtyEpoch !== this.epoch) {
          this.root.dirtyEpoch = this.epoch;
          this.dirty.push(this.root);
        }
        return undefined;
      }
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

    this.store.append(node, payload, qos, retain, now, properties);
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
    this.store.clear();
    this.totalMessages = 0;
    this.nodeBytes = this.store.reservedBytes = 0;
    this.notShown.clear();
    this.messagesNotShown = 0;
    this.dirty = [this.root];
  }

  /**
   * Calls `visit` for every topic (node with messages) under `node`, depth first, in insertion
   * order. Iterative: a topic may have 32,000 levels, deeper than the call stack goes.
   */
  walkTopics(node: TopicNode, visit: (n: TopicNode) => void): void {
    const stack: Iterator<TopicNode>[] = [];
    if (node.messages > 0) {
      visit(node);
    }
    if (node.children) {
      stack.push(node.children.values());
    }
    while (stack.length) {
      const next = stack[stack.length - 1]!.next();
      if (next.done) {
        stack.pop();
        continue;
      }
      const child = next.value;
      if (child.messages > 0) {
        visit(child);
      }
      if (child.children) {
        stack.push(child.children.values());
      }
    }
  }

  /** The node of a new topic, or undefined when its new nodes would take the tree past its share of the budget. */
  private createTopic(topic: string): TopicNode | undefined {
    const levels = topic.split('/');
    // What the new nodes would take, before any is made: paths are known from their lengths.
    let existing = this.root;
    let depth = 0;
    while (depth < levels.length) {
      const child = existing.children?.get(levels[depth]!);
      if (!child) {
        break;
      }
      existing = child;
      depth++;
    }
    // Each new node: the object, its level name, and its path — a slice of this topic (V8 keeps a
    // slice as a pointer into the topic string, so paths cost O(1) each, not O(depth)).
    let cost = depth < levels.length ? STRING_HEADER_BYTES + topic.length : 0;
    for (let i = depth; i < levels.length; i++) {
      cost += NODE_OVERHEAD_BYTES + 2 * STRING_HEADER_BYTES + levels[i]!.length;
    }
    const limits = this.store.limits;
    if (this.nodeBytes + cost > limits.totalBytes * Math.min(0.9, Math.max(0.1, limits.topicShare))) {
      return undefined;
    }
    this.nodeBytes += cost;
    this.store.reservedBytes = this.nodeBytes;
    let node = existing;
    let end = existing.topic.length; // where the path of `node` ends in `topic`
    for (let i = depth; i < levels.length; i++) {
      const level = levels[i]!;
      end = i === 0 ? level.length : end + 1 + level.length;
      // The topic string itself is shared by its own node (it is also the map key); the nodes
      // above it get slices of it.
      const child = new TopicNode(level, node, i === levels.length - 1 ? topic : topic.slice(0, end), i + 1, this.store);
      node.children ??= new Map();
      node.children.set(level, child);
      node.sortedChildren = undefined;
      node = child;
    }
    this.byTopic.set(topic, node);
    this.store.trimGlobal(); // the nodes took part of the messages' budget
    return node;
  }
}
