// The inspector panel's webview: header (source, status, counters, toolbar, filter), the
// virtualised message list and the detail pane. Message data is only ever set as textContent.
// Every text shown goes through l10n `l10n.t()`: the page is built on the first `init`, which has
// configured l10n with the host's bundle (host.ts).
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-split-layout/index.js';
import '../shared/base.css';
import './inspect.css';
import type { VscodeToolbarButton } from '@vscode-elements/elements/dist/vscode-toolbar-button/vscode-toolbar-button.js';
import { INSPECT_REPLY_TYPES, type DecodedPayload, type FeedStatus, type InspectHostMessage, type InspectedMessage, type InspectInit, type InspectReplies, type InspectRequest, type InspectSource } from '../../src/core/protocol/inspect';
import type { RequestError, WithoutId } from '../../src/core/protocol/requests';
import { decodeText } from '../../src/core/format';
import { connect, getState, post, requester, setState } from '../shared/host';
import { el, icon } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { formatRate, RateMeter } from './display';
import { DecodedPreviews } from './decodedPreviews';
import { DetailPane } from './detail';
import { MessageList } from './list';
import { codecText, isDetailView, type DetailView } from './payloadViews';
import { MessageStore } from './store';
import { useSliceReindent } from '../../src/core/format/json';

// JSON is laid out by joining slices here: faster in Chromium than the host's buffer (bench P8).
useSliceReindent();

const STATUS_ICONS: Record<FeedStatus['state'], [string, string]> = {
  live: ['pulse', ''],
  paused: ['debug-pause', ''],
  connecting: ['loading', 'codicon-modifier-spin'],
  disconnected: ['debug-disconnect', ''],
  stopped: ['circle-slash', ''],
  error: ['error', ''],
};

function sourceTitle(init: InspectInit): { icon: string; title: string; detail: string } {
  const s = init.source;
  const vhost = 'vhost' in s && s.vhost !== '/' ? ` ${l10n.t('(vhost {0})', s.vhost)}` : '';
  switch (s.kind) {
    case 'mqtt':
      return { icon: 'radio-tower', title: `${init.brokerName} · ${s.filter}`, detail: l10n.t('MQTT subscription {0}', s.filter) };
    case 'amqpTap':
      return {
        icon: 'broadcast',
        title: `${init.brokerName} · ${s.exchange === '' ? l10n.t('(default exchange)') : s.exchange} · ${s.pattern}`,
        detail: l10n.t('AMQP exchange {0} bound with {1}', s.exchange, s.pattern) + vhost,
      };
    case 'amqpPeek':
      return {
        icon: 'inbox',
        title: `${init.brokerName} · ${s.queue}`,
        detail: (s.count === 1 ? l10n.t('AMQP queue {0}, peek of {1} message', s.queue, s.count) : l10n.t('AMQP queue {0}, peek of {1} messages', s.queue, s.count)) + vhost,
      };
  }
}

/** Bytes of each payload the filter searches (a 10,000-message rescan stays fast with big payloads). */
const FILTER_BYTES = 64 * 1024;

function filterText(m: InspectedMessage): string | undefined {
  const head = m.payload.length > FILTER_BYTES ? m.payload.subarray(0, FILTER_BYTES) : m.payload;
  return decodeText(head, m.truncated || head !== m.payload);
}

/**
 * The inspector's requests to the host. No timeout: Export waits for the user's save dialog, and
 * the others answer as soon as the editor opened or the queue was read.
 */
const host = requester<InspectRequest, InspectReplies>(INSPECT_REPLY_TYPES);

class InspectorApp {
  private readonly store = new MessageStore<InspectedMessage>(10_000, filterText);
  private readonly rate = new RateMeter();
  private source: InspectSource | undefined;
  private total = 0;
  /** Messages the host never posted (faster than the list keeps), since the last snapshot. */
  private notShown = 0;
  private notShownRate = '';
  /** seq → the messages not shown just before it. */
  private readonly gaps = new Map<number, { readonly count: number; readonly rate: string }>();
  private paused = false;
  private filterText = '';
  private view: DetailView | undefined;
  private countersFrame = 0;

  private readonly titleIcon = el('span', { class: 'source-icon' });
  private readonly title = el('h1', { class: 'source-title', id: 'source-title' }, l10n.t('Inspector'));
  private readonly statusIcon = el('span', { class: 'status-icon' });
  private readonly statusText = el('span', { class: 'status-text', id: 'status-text' }, l10n.t('Connecting…'));
  private readonly status = el('div', { class: 'status', id: 'status', role: 'status', 'data-state': 'connecting' }, this.statusIcon, this.statusText);
  private readonly counters = el('div', { class: 'counters', id: 'counters', 'aria-live': 'off' });
  private readonly notice = el('div', { class: 'notice', id: 'notice', role: 'status', 'aria-live': 'polite' });
  private readonly filterBox = document.createElement('vscode-textfield');
  private readonly filterError = el('div', { class: 'filter-error', id: 'filter-error', role: 'alert' });
  private readonly pauseBtn = this.toolbarButton('btn-pause', 'debug-pause', l10n.t('Pause'));
  private readonly followBtn = this.toolbarButton('btn-follow', 'arrow-down', l10n.t('Scroll to newest and follow'));
  private readonly clearBtn = this.toolbarButton('btn-clear', 'clear-all', l10n.t('Clear'));
  private readonly exportBtn = this.toolbarButton('btn-export', 'export', l10n.t('Export'));
  private readonly refreshBtn = this.toolbarButton('btn-refresh', 'refresh', l10n.t('Peek again'));
  private readonly list: MessageList;
  private readonly detail: DetailPane;
  /**
   * The host's decode of each message, asked once and shared by the Decoded tab, the Diff, the
   * chart and the list's previews. Decode as… changes what a topic decodes as: it starts afresh.
   */
  private decodes = new WeakMap<InspectedMessage, Promise<DecodedPayload | undefined>>();
  private readonly previews = new DecodedPreviews(
    (m) => this.decoded(m).then(codecText),
    (m) => this.list.redrawRow(m),
  );

  constructor(root: HTMLElement) {
    this.list = new MessageList({
      store: this.store,
      selected: (m) => this.detail.show(m),
      open: () => this.detail.focus(),
      followChanged: (f) => this.followBtn.classList.toggle('following', f),
      gapBefore: (seq) => this.gaps.get(seq),
      decodedPreview: (m) => this.previews.get(m),
    });
    this.detail = new DetailPane({
      store: this.store,
      openInEditor: (seq) => this.openInEditor(seq),
      compareInEditor: (seq) => this.ask({ type: 'inspect/compareInEditor', seq }),
      viewChosen: (v) => {
        this.view = v;
        this.saveState();
      },
      decode: (m) => this.decoded(m),
      decodeAs: (m) => {
        const chosen = this.decodeOnHost({ type: 'inspect/decodeAs', seq: m.seq });
        void chosen.then((d) => {
          if (d) {
            this.decodes = new WeakMap([[m, chosen]]);
          }
        });
        return chosen;
      },
      openDecoded: (seq) => this.ask({ type: 'inspect/openDecoded', seq }),
      copyDecoded: (seq) => this.ask({ type: 'inspect/copyDecoded', seq }),
    });
    this.filterBox.id = 'filter';
    this.filterBox.setAttribute('placeholder', l10n.t('Filter topic or payload — text or /regex/i'));
    this.filterBox.setAttribute('aria-label', l10n.t('Filter messages by topic or payload'));
    this.filterBox.label = l10n.t('Filter messages by topic or payload (text, or /regex/i)');
    this.filterBox.type = 'search';
    let debounce: ReturnType<typeof setTimeout> | undefined;
    this.filterBox.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => this.applyFilter(this.filterBox.value), 120);
    });
    this.filterBox.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.filterBox.value !== '') {
        this.filterBox.value = '';
        this.applyFilter('');
      } else if (e.key === 'ArrowDown') {
        e.preventDefault();
        this.list.viewport.focus();
      }
    });
    this.refreshBtn.hidden = true;
    this.followBtn.classList.add('following');
    this.pauseBtn.addEventListener('click', () => this.togglePause());
    this.followBtn.addEventListener('click', () => this.list.scrollToNewest());
    this.clearBtn.addEventListener('click', () => this.clearAll());
    this.exportBtn.addEventListener('click', () => this.exportMessages());
    this.refreshBtn.addEventListener('click', () => this.ask({ type: 'inspect/refresh' }));

    const header = el(
      'header',
      { class: 'header' },
      el('div', { class: 'header-line' }, this.titleIcon, this.title, this.status, el('span', { class: 'spacer' }), this.counters),
      el(
        'div',
        { class: 'header-line toolbar', role: 'toolbar', 'aria-label': l10n.t('Inspector actions') },
        this.pauseBtn,
        this.clearBtn,
        this.exportBtn,
        this.refreshBtn,
        this.followBtn,
        el('div', { class: 'filter-wrap' }, this.filterBox, this.filterError),
        this.notice,
      ),
    );
    const split = document.createElement('vscode-split-layout');
    split.setAttribute('split', 'horizontal');
    split.setAttribute('initial-handle-position', '55%');
    split.setAttribute('min-start', '80px');
    split.setAttribute('min-end', '80px');
    split.className = 'split';
    this.list.root.slot = 'start';
    this.detail.root.slot = 'end';
    split.append(this.list.root, this.detail.root);
    root.replaceChildren(el('div', { class: 'app' }, header, split));
    this.filterError.hidden = true;
    this.renderCounters();
    setInterval(() => this.renderCounters(), 1000);

    // Restore what survives a reload before the host's init/snapshot arrive.
    const state = getState();
    if (state?.panel === 'inspect') {
      this.source = state.source;
      if (state.filter) {
        this.filterText = state.filter;
        this.filterBox.value = state.filter;
        this.applyFilter(state.filter, false);
      }
      if (isDetailView(state.view)) {
        this.view = state.view;
        this.detail.setChosenView(state.view);
      }
    }
  }

  handle(message: InspectHostMessage): void {
    switch (message.type) {
      case 'init':
        this.onInit(message.inspect);
        break;
      case 'messages/append':
        this.onAppend(message.messages, message.total, message.skipped ?? 0);
        break;
      case 'messages/snapshot':
        this.store.replace(message.messages);
        this.gaps.clear();
        this.notShown = 0;
        this.total = message.total;
        this.rate.reset();
        this.rate.sample(message.total, performance.now());
        this.list.reset(this.emptyText());
        this.scheduleCounters();
        break;
      case 'status':
        this.setStatus(message.status);
        break;
      case 'error':
        if (message.inReplyTo === undefined) {
          this.showNotice(message.message, true);
        }
        break;
      default:
        break;
    }
  }

  private onInit(init: InspectInit): void {
    this.source = init.source;
    this.store.resize(Math.max(1, init.bufferMessages));
    const source = sourceTitle(init);
    this.titleIcon.replaceChildren(icon(source.icon));
    this.title.textContent = source.title;
    this.title.title = source.detail;
    document.title = l10n.t('Inspect {0}', source.title);
    this.refreshBtn.hidden = init.source.kind !== 'amqpPeek';
    this.setPaused(init.paused);
    this.setStatus(init.paused ? { state: 'paused', text: l10n.t('Paused') } : { state: 'connecting', text: l10n.t('Connecting…') });
    this.list.reset(this.emptyText());
    this.saveState();
  }

  private onAppend(messages: readonly InspectedMessage[], total: number, skipped: number): void {
    this.total = total;
    this.rate.sample(total, performance.now());
    const first = messages[0];
    if (skipped > 0) {
      this.notShown += skipped;
      this.notShownRate = formatRate(this.rate.rate(performance.now()));
      if (first) {
        this.gaps.set(first.seq, { count: skipped, rate: this.notShownRate });
        // Forget the marks of messages that left the list (seqs only grow: the map's oldest first).
        for (const seq of this.gaps.keys()) {
          if (this.gaps.size <= 1000 && seq >= (this.store.oldestSeq ?? 0)) {
            break;
          }
          this.gaps.delete(seq);
        }
      }
    }
    const r = this.store.append(messages);
    if (r.added > 0 || r.dropped > 0) {
      this.list.appended(r.dropped);
    }
    // A selected message that falls out of the ring buffer stays in the detail pane.
    this.detail.appended(messages);
    this.scheduleCounters();
  }

  private emptyText(): string {
    if (this.store.bufferedCount > 0 && this.store.filtering) {
      return l10n.t('No messages match the filter.');
    }
    if (this.paused) {
      return l10n.t('Paused: no new messages are shown. Resume to continue.');
    }
    return this.source?.kind === 'amqpPeek' ? l10n.t('The queue is empty (or nothing was peeked yet).') : l10n.t('Waiting for messages…');
  }

  private setStatus(status: FeedStatus): void {
    this.status.dataset.state = status.state;
    const [name, extra] = STATUS_ICONS[status.state] ?? ['info', ''];
    this.statusIcon.replaceChildren(icon(name, extra));
    this.statusText.textContent = status.text;
    if (status.state === 'paused' || status.state === 'live') {
      this.setPaused(status.state === 'paused');
    }
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.pauseBtn.icon = paused ? 'debug-continue' : 'debug-pause';
    this.pauseBtn.label = paused ? l10n.t('Resume') : l10n.t('Pause');
    this.pauseBtn.title = paused ? l10n.t('Resume') : l10n.t('Pause');
    this.pauseBtn.setAttribute('aria-pressed', String(paused));
    this.pauseBtn.dataset.paused = String(paused);
    this.list.setEmptyText(this.emptyText());
  }

  private togglePause(): void {
    const paused = !this.paused;
    post({ type: 'inspect/pause', paused });
    this.setPaused(paused);
  }

  private clearAll(): void {
    post({ type: 'inspect/clear' });
    this.store.clear();
    this.detail.show(undefined);
    this.list.reset(this.emptyText());
    this.scheduleCounters();
  }

  private exportMessages(): void {
    const seqs = this.store.filtering ? this.store.visibleSeqs() : undefined;
    this.ask(seqs ? { type: 'inspect/export', seqs } : { type: 'inspect/export' });
  }

  private openInEditor(seq: number): void {
    this.ask({ type: 'inspect/openInEditor', seq });
  }

  /** A decode on the host; its failure (the message left the host's buffer) shows in the notice. */
  private decoded(m: InspectedMessage): Promise<DecodedPayload | undefined> {
    let d = this.decodes.get(m);
    if (!d) {
      d = this.decodeOnHost({ type: 'inspect/decode', seq: m.seq });
      this.decodes.set(m, d);
    }
    return d;
  }

  private decodeOnHost(request: { type: 'inspect/decode' | 'inspect/decodeAs'; seq: number }): Promise<DecodedPayload | undefined> {
    return host.request(request).then(
      (reply) => reply.decoded,
      (err: RequestError) => {
        this.showNotice(err.message, true);
        return undefined;
      },
    );
  }

  /** Asks the host; its `done` text, or the error it answered with, shows in the notice. */
  private ask(request: WithoutId<Exclude<InspectRequest, { type: 'inspect/decode' | 'inspect/decodeAs' }>>): void {
    host.request(request).then(
      (reply) => this.showNotice((reply as { text: string }).text, false),
      (err: RequestError) => this.showNotice(err.message, true),
    );
  }

  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private showNotice(text: string, error: boolean): void {
    this.notice.replaceChildren(icon(error ? 'error' : 'check'), ` ${text}`);
    this.notice.classList.toggle('error', error);
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => this.notice.replaceChildren(), error ? 10_000 : 5000);
  }

  private applyFilter(text: string, save = true): void {
    const f = this.store.setFilter(text);
    this.filterBox.invalid = !f.ok;
    this.filterError.hidden = f.ok;
    this.filterError.textContent = f.ok ? '' : f.error;
    this.filterError.title = f.ok ? '' : l10n.t('{0} (the previous filter stays in force)', f.error);
    if (f.ok) {
      this.filterText = text;
      this.list.reset(this.emptyText());
      this.scheduleCounters();
      if (save) {
        this.saveState();
      }
    }
  }

  private saveState(): void {
    if (!this.source) {
      return;
    }
    setState({ panel: 'inspect', source: this.source, filter: this.filterText || undefined, view: this.view });
  }

  private scheduleCounters(): void {
    if (!this.countersFrame) {
      this.countersFrame = requestAnimationFrame(() => {
        this.countersFrame = 0;
        this.renderCounters();
      });
    }
  }

  private renderCounters(): void {
    const shown = this.store.visibleCount;
    const rate = formatRate(this.rate.rate(performance.now()));
    const parts = [
      el('span', { 'data-counter': 'shown', title: this.store.filtering ? l10n.t('Messages matching the filter') : l10n.t('Messages in the list') }, l10n.t('{0} shown', shown.toLocaleString())),
      el('span', { 'data-counter': 'total', title: l10n.t('Messages received since the panel opened') }, l10n.t('{0} received', this.total.toLocaleString())),
      el('span', { 'data-counter': 'rate', title: l10n.t('Messages per second') }, rate),
    ];
    if (this.notShown > 0) {
      parts.push(
        el(
          'span',
          { 'data-counter': 'notShown', class: 'not-shown', title: l10n.t('Messages that arrived faster than the list keeps them (it keeps the newest {0}): counted in received, never listed; a warning mark in Flags shows where', this.store.capacity.toLocaleString()) },
          l10n.t('{0} not shown ({1})', this.notShown.toLocaleString(), this.notShownRate),
        ),
      );
    }
    this.counters.replaceChildren(...parts);
    this.counters.setAttribute('aria-label', l10n.t('{0} shown, {1} received, {2} per second', shown, this.total, rate.replace('/s', '')));
    this.exportBtn.title = this.store.filtering ? l10n.t('Export the {0} matching messages', shown) : l10n.t('Export all messages');
    this.exportBtn.label = this.exportBtn.title;
  }

  private toolbarButton(id: string, iconName: string, label: string): VscodeToolbarButton {
    const b = document.createElement('vscode-toolbar-button');
    b.id = id;
    b.icon = iconName;
    b.label = label;
    b.title = label;
    return b;
  }
}

const root = document.getElementById('root');
if (root) {
  // The page is built on the first `init` (always the host's first message after `ready`): by
  // then host.ts has configured l10n with its bundle, so even the first render is translated.
  let app: InspectorApp | undefined;
  const early: InspectHostMessage[] = [];
  connect<InspectHostMessage>((message) => {
    if (!app && message.type === 'init') {
      app = new InspectorApp(root);
      for (const m of early.splice(0)) {
        app.handle(m);
      }
    }
    if (app) {
      app.handle(message);
    } else {
      early.push(message);
    }
  });
}
