// The virtualised message list: fixed row height, only the rows in view (plus a few) exist in
// the DOM, recycled on scroll. A listbox with aria-activedescendant: the list holds focus and
// ↑/↓/PageUp/PageDown/Home/End move the selection, Enter opens the detail.
import type { InspectedMessage } from '../../src/core/protocol/inspect';
import { decodeText } from '../../src/core/format';
import { el } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { hexPreview } from '../../src/core/mqtt/payload';
import { formatSize, formatTime, oneLine } from './display';
import { flagsLegend, gapFlag, messageFlags } from './flags';
import type { MessageStore } from './store';
import { isAtBottom, isNavKey, navigate, pageRows, revealScrollTop, visibleWindow } from './windowing';

export const ROW_HEIGHT = 22;
const PREVIEW_BYTES = 600;

interface Row {
  readonly el: HTMLElement;
  readonly time: HTMLElement;
  readonly topic: HTMLElement;
  readonly flags: HTMLElement;
  readonly size: HTMLElement;
  readonly preview: HTMLElement;
  seq: number;
  selected: boolean;
}

export interface ListHost {
  readonly store: MessageStore<InspectedMessage>;
  selected(message: InspectedMessage | undefined): void;
  open(): void;
  followChanged(follow: boolean): void;
  /** Messages not shown just before this one (they arrived faster than the list keeps them), if any. */
  gapBefore(seq: number): { readonly count: number; readonly rate: string } | undefined;
  /** The decoded one-line preview of an encoded payload, once known (decodedPreviews.ts). */
  decodedPreview?(m: InspectedMessage): string | undefined;
}

const previews = new WeakMap<InspectedMessage, string>();

/** The one-line preview of a payload, computed on first display and cached. */
export function previewOf(m: InspectedMessage): string {
  let p = previews.get(m);
  if (p === undefined) {
    const head = m.payload.subarray(0, PREVIEW_BYTES);
    const text = decodeText(head, m.truncated || head.length < m.payload.length);
    p = m.payload.length === 0 ? l10n.t('(empty)') : text === undefined ? hexPreview(m.payload, 24) : oneLine(text);
    previews.set(m, p);
  }
  return p;
}

export class MessageList {
  readonly root: HTMLElement;
  readonly viewport: HTMLElement;
  private readonly spacer = el('div', { class: 'list-spacer' });
  private readonly rowsBox = el('div', { class: 'list-rows', role: 'presentation' });
  private readonly empty = el('div', { class: 'list-empty', id: 'list-empty', role: 'status' });
  private readonly pool: Row[] = [];
  private selectedSeq = -1;
  private follow = true;
  private frame = 0;
  /** Rows dropped from the head since the last render (scroll compensation when not following). */
  private pendingDrop = 0;
  private pendingReveal = false;
  private emptyText = l10n.t('Waiting for messages…');
  private viewportHeight = 0;

  constructor(private readonly host: ListHost) {
    this.viewport = el('div', { class: 'list-viewport', id: 'message-list', role: 'listbox', tabindex: 0, 'aria-label': l10n.t('Messages') });
    this.spacer.appendChild(this.rowsBox);
    this.viewport.append(this.spacer);
    const header = el(
      'div',
      { class: 'list-header row-grid', 'aria-hidden': 'true' },
      el('span', {}, l10n.t('Time')),
      el('span', {}, l10n.t('Topic')),
      el('span', { title: flagsLegend() }, l10n.t('Flags')),
      el('span', { class: 'num' }, l10n.t('Size')),
      el('span', {}, l10n.t('Payload')),
    );
    this.root = el('div', { class: 'list' }, header, this.viewport, this.empty);
    this.viewport.addEventListener('scroll', () => {
      const follow = isAtBottom(this.viewport.scrollTop, this.viewport.clientHeight, this.viewport.scrollHeight);
      if (follow !== this.follow) {
        this.follow = follow;
        this.host.followChanged(follow);
      }
      this.invalidate();
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.rowsBox.addEventListener('mousedown', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[role="option"]');
      if (row) {
        // The list keeps focus (aria-activedescendant): rows are recycled, so they never hold it.
        e.preventDefault();
        this.viewport.focus({ preventScroll: true });
        this.select(Number(row.dataset.seq), false);
      }
    });
    this.rowsBox.addEventListener('dblclick', () => this.host.open());
    new ResizeObserver(() => {
      this.viewportHeight = this.viewport.clientHeight;
      this.invalidate();
    }).observe(this.viewport);
  }

  get selected(): number {
    return this.selectedSeq;
  }

  get following(): boolean {
    return this.follow;
  }

  /** Rows were appended/dropped (store already updated). */
  appended(dropped: number): void {
    this.pendingDrop += dropped;
    this.invalidate();
  }

  /** The whole list changed (snapshot, filter, clear). */
  reset(emptyText: string): void {
    this.emptyText = emptyText;
    this.pendingDrop = 0;
    for (const r of this.pool) {
      r.seq = -1;
    }
    if (this.selectedSeq >= 0 && this.host.store.visibleIndexOf(this.selectedSeq) < 0) {
      this.selectedSeq = -1;
      this.host.selected(undefined);
    } else if (this.selectedSeq >= 0) {
      this.pendingReveal = true;
    }
    this.invalidate();
  }

  setEmptyText(text: string): void {
    this.emptyText = text;
    this.invalidate();
  }

  scrollToNewest(): void {
    this.follow = true;
    this.host.followChanged(true);
    this.invalidate();
  }

  /** Selects the message with this seq (and tells the host). */
  select(seq: number, reveal = true): void {
    const store = this.host.store;
    const index = store.visibleIndexOf(seq);
    if (index < 0) {
      return;
    }
    if (seq !== this.selectedSeq) {
      this.selectedSeq = seq;
      this.host.selected(store.visibleAt(index));
    }
    this.pendingReveal = reveal;
    if (document.activeElement !== this.viewport) {
      this.viewport.focus({ preventScroll: true });
    }
    this.invalidate();
  }

  invalidate(): void {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  private onKey(e: KeyboardEvent): void {
    const store = this.host.store;
    const count = store.visibleCount;
    if (e.key === 'Enter' || e.key === ' ') {
      if (this.selectedSeq >= 0) {
        e.preventDefault();
        if (e.key === 'Enter') {
          this.host.open();
        }
      }
      return;
    }
    if (!isNavKey(e.key) || count === 0) {
      return;
    }
    e.preventDefault();
    const current = this.selectedSeq >= 0 ? store.visibleIndexOf(this.selectedSeq) : -1;
    const next = navigate(current, e.key, count, pageRows(this.viewport.clientHeight, ROW_HEIGHT));
    const m = store.visibleAt(next);
    if (m) {
      this.select(m.seq, true);
    }
  }

  private render(): void {
    const store = this.host.store;
    const count = store.visibleCount;
    const vp = this.viewport;
    const height = this.viewportHeight || vp.clientHeight;
    this.spacer.style.height = `${count * ROW_HEIGHT}px`;
    if (this.follow && !this.pendingReveal) {
      vp.scrollTop = Math.max(0, count * ROW_HEIGHT - height);
    } else if (this.pendingDrop > 0) {
      // Keep the rows the user is reading where they are while the oldest drop off the top.
      vp.scrollTop = Math.max(0, vp.scrollTop - this.pendingDrop * ROW_HEIGHT);
    }
    this.pendingDrop = 0;
    const selIndex = this.selectedSeq >= 0 ? store.visibleIndexOf(this.selectedSeq) : -1;
    if (this.pendingReveal && selIndex >= 0) {
      vp.scrollTop = revealScrollTop(selIndex, vp.scrollTop, height, ROW_HEIGHT);
    }
    this.pendingReveal = false;
    const w = visibleWindow(vp.scrollTop, height, ROW_HEIGHT, count, 6);
    this.rowsBox.style.transform = `translateY(${w.offset}px)`;
    const needed = w.end - w.start;
    while (this.pool.length < needed) {
      const r = this.makeRow();
      this.pool.push(r);
      this.rowsBox.appendChild(r.el);
    }
    for (let i = 0; i < this.pool.length; i++) {
      const r = this.pool[i] as Row;
      const m = i < needed ? store.visibleAt(w.start + i) : undefined;
      if (!m) {
        r.el.hidden = true;
        r.seq = -1;
        continue;
      }
      r.el.hidden = false;
      const index = w.start + i;
      r.el.setAttribute('aria-posinset', String(index + 1));
      r.el.setAttribute('aria-setsize', String(count));
      r.el.dataset.index = String(index);
      if (r.seq !== m.seq) {
        this.fillRow(r, m);
      }
      const sel = m.seq === this.selectedSeq;
      if (sel !== r.selected) {
        r.selected = sel;
        r.el.setAttribute('aria-selected', String(sel));
        r.el.classList.toggle('selected', sel);
      }
    }
    if (selIndex >= 0 && selIndex >= w.start && selIndex < w.end) {
      vp.setAttribute('aria-activedescendant', `row-${this.selectedSeq}`);
    } else {
      vp.removeAttribute('aria-activedescendant');
    }
    this.empty.hidden = count > 0;
    this.empty.textContent = count > 0 ? '' : this.emptyText;
  }

  private makeRow(): Row {
    const time = el('span', { class: 'c-time', 'data-col': 'time' });
    const topic = el('span', { class: 'c-topic', 'data-col': 'topic' });
    const flags = el('span', { class: 'c-flags', 'data-col': 'flags' });
    const size = el('span', { class: 'c-size num', 'data-col': 'size' });
    const preview = el('span', { class: 'c-preview', 'data-col': 'preview' });
    const row = el('div', { class: 'row row-grid', role: 'option', tabindex: -1, 'aria-selected': 'false' }, time, topic, flags, size, preview);
    return { el: row, time, topic, flags, size, preview, seq: -1, selected: false };
  }

  /** Redraws the row of this message if it is on screen (its decoded preview came in). */
  redrawRow(m: InspectedMessage): void {
    const r = this.pool.find((x) => x.seq === m.seq);
    if (r) {
      this.fillRow(r, m);
    }
  }

  private fillRow(r: Row, m: InspectedMessage): void {
    r.seq = m.seq;
    r.el.id = `row-${m.seq}`;
    r.el.dataset.seq = String(m.seq);
    r.time.textContent = formatTime(m.time);
    r.topic.textContent = m.topic;
    r.topic.title = m.topic;
    const gap = this.host.gapBefore(m.seq);
    const flags = gap ? [gapFlag(gap.count, gap.rate), ...messageFlags(m)] : messageFlags(m);
    const words = flags.map((f) => f.word);
    r.el.classList.toggle('gap-before', gap !== undefined);
    r.flags.replaceChildren(
      ...flags.map((f) => (f.icon ? el('span', { class: `codicon codicon-${f.icon}`, title: f.title, 'aria-hidden': 'true' }) : el('span', { class: 'qos', title: f.title }, f.badge ?? ''))),
    );
    r.flags.title = words.join(', ');
    r.size.textContent = formatSize(m.size);
    const decoded = this.host.decodedPreview?.(m);
    const preview = decoded ?? previewOf(m);
    r.preview.textContent = preview;
    r.preview.classList.toggle('decoded', decoded !== undefined);
    r.el.setAttribute('aria-label', `${m.topic}, ${formatTime(m.time)}, ${formatSize(m.size)}${words.length ? `, ${words.join(', ')}` : ''}: ${preview.slice(0, 80)}`);
  }
}
