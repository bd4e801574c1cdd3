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

export class TopicModel {
  /** Payload storage and both budgets; holds the limits in force. */
  private readonly store: MessageStore;
  readonly root: TopicNode;
  private readonly byTopic = new Map<string, TopicNode>();
  private epoch = 0;
  private dirty: TopicNode[] = [];
  totalMessages = 0;

  constructor(options: Partial<TopicModelOptions> = {}) {
    this.store = new MessageStore({ ...DEFAULT_TOPIC_MODEL_OPTIONS, ...options });
    this.root = new TopicNode('', undefined, '', 0, this.store);
  }

  get topicCount(): number {
    return this.byTopic.size;
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

  /** A topic's stored messages, oldest first (made on access). */
  history(node: TopicNode): StoredMessage[] {
    return this.store.history(node);
  }

  /** The stored message with this sequence number, or undefined once its segment is gone. */
  message(seq: number): StoredMessage | undefined {
    return this.store.message(seq);
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
        child = new TopicNode(level, node, path, i + 1, this.store);
        node.children ??= new Map();
        node.children.set(level, child);
        node.sortedChildren = undefined;
      }
      node = child;
    }
    this.byTopic.set(topic, node);
    return node;
  }
}
