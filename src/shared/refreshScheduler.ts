import * as vscode from 'vscode';
import { Disposable } from './disposable';

/** The MQTT tree is refreshed at most this often while messages arrive (4 times a second by default). */
export const REFRESH_INTERVAL_MS = 250;

/** State changes are coalesced: at most one tree update this often. */
const FLUSH_MS = 100;

/** What a tree provider tells its scheduler. */
export interface RefreshSource<T> {
  /** Whether a node marked dirty still belongs to the tree when the flush comes (a removed broker does not). */
  isCurrent(node: T): boolean;
  /** Called every `intervalMs` while `isActive()`: the nodes to refresh (fired only while the view is visible). */
  tick?(visible: boolean): T[];
  /** Whether the ticker should run (brokers receiving messages, a reconnect countdown). */
  isActive?(): boolean;
}

/**
 * When a tree view re-renders — the refresh policy of both broker trees, in one place:
 *  - state changes are coalesced (at most one `onDidChangeTreeData` every 100 ms);
 *  - a ticker runs every `intervalMs` while the source is active and refreshes what `tick` returns;
 *  - nothing is refreshed while the view is hidden, and showing it refreshes everything.
 */
export class RefreshScheduler<T> extends Disposable {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<T | T[] | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly visibilityEmitter = this._register(new vscode.EventEmitter<boolean>());
  /** Fires when the attached view is shown or hidden. */
  readonly onDidChangeVisibility = this.visibilityEmitter.event;
  private readonly dirty = new Set<T>();
  private fullRefresh = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private interval = REFRESH_INTERVAL_MS;
  private shown = true;

  constructor(private readonly source: RefreshSource<T>) {
    super();
    this._register({
      dispose: () => {
        clearTimeout(this.flushTimer);
        clearInterval(this.ticker);
      },
    });
  }

  get visible(): boolean {
    return this.shown;
  }

  /** Milliseconds between ticks (at least 50); a running ticker takes the new pace at once. */
  get intervalMs(): number {
    return this.interval;
  }
  set intervalMs(ms: number) {
    const value = Math.max(50, Math.round(ms));
    if (value === this.interval) {
      return;
    }
    this.interval = value;
    if (this.ticker) {
      clearInterval(this.ticker);
      this.ticker = setInterval(() => this.tick(), this.interval);
    }
  }

  /** Follows the view's visibility. */
  attach(view: vscode.TreeView<unknown>): void {
    this._register(
      view.onDidChangeVisibility((e) => {
        this.shown = e.visible;
        if (e.visible) {
          this.refreshAll();
        }
        this.visibilityEmitter.fire(e.visible);
      }),
    );
    this.shown = view.visible;
  }

  /** Re-renders this node (and its expanded subtree) at the next flush. */
  markDirty(node: T): void {
    this.dirty.add(node);
    this.scheduleFlush();
  }

  /** Re-renders the whole tree at the next flush. */
  refreshAll(): void {
    this.fullRefresh = true;
    this.scheduleFlush();
  }

  /** Starts or stops the ticker as the source's activity says; a stopping ticker ticks once more (the last messages). */
  updateTicker(): void {
    const active = this.source.isActive?.() ?? false;
    if (active && !this.ticker) {
      this.ticker = setInterval(() => this.tick(), this.interval);
    } else if (!active && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      this.tick();
    }
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.fullRefresh) {
      this.fullRefresh = false;
      this.dirty.clear();
      this.changeEmitter.fire(undefined);
      return;
    }
    const nodes = [...this.dirty].filter((n) => this.source.isCurrent(n));
    this.dirty.clear();
    if (nodes.length) {
      this.changeEmitter.fire(nodes);
    }
  }

  private tick(): void {
    const changed = this.source.tick?.(this.shown) ?? [];
    if (changed.length && this.shown) {
      this.changeEmitter.fire(changed);
    }
    this.updateTicker();
  }
}
