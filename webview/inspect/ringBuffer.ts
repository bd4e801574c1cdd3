// A fixed-capacity ring buffer: O(1) push and shift, O(1) indexed access from the oldest item.
// Pure logic (no DOM): unit-tested in plain Node.

export class RingBuffer<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(private cap: number) {
    if (!Number.isInteger(cap) || cap < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${cap}`);
    }
    this.items = new Array<T | undefined>(cap);
  }

  get length(): number {
    return this.count;
  }

  get capacity(): number {
    return this.cap;
  }

  /** Appends one item; returns the oldest item it pushed out, if the buffer was full. */
  push(item: T): T | undefined {
    if (this.count < this.cap) {
      this.items[(this.head + this.count) % this.cap] = item;
      this.count++;
      return undefined;
    }
    const dropped = this.items[this.head];
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.cap;
    return dropped;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.count === 0) {
      return undefined;
    }
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.cap;
    this.count--;
    return item;
  }

  /** The item at `index` (0 = oldest, length-1 = newest), or undefined when out of range. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count || !Number.isInteger(index)) {
      return undefined;
    }
    return this.items[(this.head + index) % this.cap];
  }

  first(): T | undefined {
    return this.at(0);
  }

  last(): T | undefined {
    return this.at(this.count - 1);
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.cap);
    this.head = 0;
    this.count = 0;
  }

  /** Changes the capacity, keeping the newest items. */
  resize(capacity: number): void {
    if (capacity === this.cap) {
      return;
    }
    const kept = this.toArray().slice(-capacity);
    this.cap = capacity;
    this.clear();
    for (const item of kept) {
      this.push(item);
    }
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) {
      out.push(this.items[(this.head + i) % this.cap] as T);
    }
    return out;
  }

  /** Index of the newest item before `before` (exclusive) that satisfies `pred`, or -1. */
  findLastIndex(pred: (item: T) => boolean, before = this.count): number {
    for (let i = Math.min(before, this.count) - 1; i >= 0; i--) {
      if (pred(this.items[(this.head + i) % this.cap] as T)) {
        return i;
      }
    }
    return -1;
  }

  /** Binary search for an item by a key that increases from oldest to newest (e.g. seq). */
  indexOfKey(key: number, keyOf: (item: T) => number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = keyOf(this.items[(this.head + mid) % this.cap] as T);
      if (k === key) {
        return mid;
      }
      if (k < key) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }
}
