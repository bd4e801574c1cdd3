// The webview's message list: a ring buffer of the last `bufferMessages` messages (oldest dropped
// first) and, when a filter is active, the matching subset kept in step with it. Appending is
// O(batch); changing the filter rescans the buffer once. Pure logic (no DOM).
import { RingBuffer } from './ringBuffer';
import { parseFilter, type MessageFilter } from './filter';

export interface StoredMessage {
  readonly seq: number;
  readonly topic: string;
}

export interface AppendResult {
  /** Rows added to the visible (filtered) list. */
  readonly added: number;
  /** Rows dropped from the head of the visible list (pushed out of the buffer). */
  readonly dropped: number;
}

export class MessageStore<M extends StoredMessage> {
  private all: RingBuffer<M>;
  /** The matching messages while a filter is active; null = everything is visible. */
  private matching: RingBuffer<M> | null = null;
  private filterValue: MessageFilter = parseFilter('');

  /** `textOf` gives a message's payload text for filtering (undefined for binary). */
  constructor(
    capacity: number,
    private readonly textOf: (message: M) => string | undefined,
  ) {
    this.all = new RingBuffer<M>(capacity);
  }

  get capacity(): number {
    return this.all.capacity;
  }

  /** The seq of the oldest message in the buffer. */
  get oldestSeq(): number | undefined {
    return this.all.at(0)?.seq;
  }

  /** Messages in the buffer (whatever the filter). */
  get bufferedCount(): number {
    return this.all.length;
  }

  /** Messages the list shows. */
  get visibleCount(): number {
    return (this.matching ?? this.all).length;
  }

  get filter(): MessageFilter {
    return this.filterValue;
  }

  get filtering(): boolean {
    return this.matching !== null;
  }

  visibleAt(index: number): M | undefined {
    return (this.matching ?? this.all).at(index);
  }

  /** Index in the visible list of the message with this seq, or -1. */
  visibleIndexOf(seq: number): number {
    return (this.matching ?? this.all).indexOfKey(seq, (m) => m.seq);
  }

  /** The seqs of the visible messages (for an export of the filtered list). */
  visibleSeqs(): number[] {
    return (this.matching ?? this.all).toArray().map((m) => m.seq);
  }

  /** The newest message on `topic` received before the message with seq `beforeSeq` (filter ignored). */
  previousOnTopic(topic: string, beforeSeq: number): M | undefined {
    const idx = this.all.indexOfKey(beforeSeq, (m) => m.seq);
    const before = idx < 0 ? this.all.length : idx;
    const found = this.all.findLastIndex((m) => m.topic === topic && m.seq < beforeSeq, before);
    return found < 0 ? undefined : this.all.at(found);
  }

  /** Up to `max` newest messages on `topic`, oldest first (filter ignored). */
  lastOnTopic(topic: string, max: number): M[] {
    const out: M[] = [];
    for (let i = this.all.length - 1; i >= 0 && out.length < max; i--) {
      const m = this.all.at(i) as M;
      if (m.topic === topic) {
        out.push(m);
      }
    }
    return out.reverse();
  }

  /** Appends messages (oldest first). O(batch). */
  append(messages: readonly M[]): AppendResult {
    let added = 0;
    let dropped = 0;
    const f = this.filterValue;
    for (const m of messages) {
      const out = this.all.push(m);
      if (out !== undefined) {
        if (this.matching === null) {
          dropped++;
        } else if (this.matching.first() === out) {
          this.matching.shift();
          dropped++;
        }
      }
      if (this.matching === null) {
        added++;
      } else if (f.ok && f.test(m.topic, () => this.textOf(m))) {
        this.matching.push(m);
        added++;
      }
    }
    // Rows both added and dropped within one batch never showed: count them once.
    const visible = this.visibleCount;
    if (dropped > 0 && added > visible) {
      const never = added - visible;
      return { added: visible, dropped: Math.max(0, dropped - never) };
    }
    return { added, dropped };
  }

  /** Replaces everything (a snapshot from the host). */
  replace(messages: readonly M[]): void {
    this.all.clear();
    for (const m of messages) {
      this.all.push(m);
    }
    this.rescan();
  }

  clear(): void {
    this.all.clear();
    this.matching?.clear();
  }

  /** Changes the capacity (bufferMessages from init), keeping the newest messages. */
  resize(capacity: number): void {
    if (capacity !== this.all.capacity && capacity >= 1) {
      this.all.resize(capacity);
      this.rescan();
    }
  }

  /** Applies what the filter box holds. An invalid filter keeps the previous one in force. */
  setFilter(input: string): MessageFilter {
    const parsed = parseFilter(input);
    if (!parsed.ok) {
      return parsed;
    }
    this.filterValue = parsed;
    this.rescan();
    return parsed;
  }

  private rescan(): void {
    const f = this.filterValue;
    if (!f.ok || f.empty) {
      this.matching = null;
      return;
    }
    const matching = new RingBuffer<M>(this.all.capacity);
    for (let i = 0; i < this.all.length; i++) {
      const m = this.all.at(i) as M;
      if (f.test(m.topic, () => this.textOf(m))) {
        matching.push(m);
      }
    }
    this.matching = matching;
  }
}
