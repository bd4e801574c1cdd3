// The detail pane of the selected message: its head (topic, flags, Open in Editor, Compare), the
// "truncated" marker, the tabs of the payload views (payloadViews.ts), the properties table and
// the chart of the topic's numeric values (chart.ts). Every piece of message data goes in through
// textContent.
import type { DecodedPayload, InspectedMessage } from '../../src/core/protocol/inspect';
import { el, icon } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { TopicChart } from './chart';
import { formatSize, formatTime, propertyRows } from './display';
import { messageFlags } from './flags';
import { mayBeEncoded } from '../../src/core/format/encoded';
import { codecText, Decoded, renderDecoded, renderDecodedDiff, renderPayloadView, viewLabel, VIEWS, type DetailView } from './payloadViews';
import type { MessageStore } from './store';

export interface DetailHost {
  readonly store: MessageStore<InspectedMessage>;
  openInEditor(seq: number): void;
  /** VS Code's diff editor: this message against the previous one on its topic. */
  compareInEditor(seq: number): void;
  /** The user picked a tab: remembered for the next messages and in the panel state. */
  viewChosen(view: DetailView): void;
  /** The host decodes the kept payload, once per message (undefined when it is no longer kept: the reason is shown). */
  decode(m: InspectedMessage): Promise<DecodedPayload | undefined>;
  /** Decode as… (a picker on the host); undefined when cancelled. */
  decodeAs(m: InspectedMessage): Promise<DecodedPayload | undefined>;
  openDecoded(seq: number): void;
  copyDecoded(seq: number): void;
}

export class DetailPane {
  readonly root: HTMLElement;
  private readonly head = el('div', { class: 'detail-head' });
  private readonly marker = el('div', { class: 'truncated-marker', id: 'truncated-marker', role: 'note' });
  private readonly tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': l10n.t('Payload view') });
  private readonly body = el('div', { class: 'detail-body', id: 'detail-body', role: 'tabpanel' });
  private readonly props = el('div', { class: 'props', id: 'detail-properties' });
  private readonly chart: TopicChart;
  private readonly tabButtons = new Map<DetailView, HTMLButtonElement>();
  private decoded: Decoded | null = null;
  private view: DetailView = 'text';
  /** The view the user chose; undefined = pick from the content. */
  private chosen: DetailView | undefined;

  constructor(private readonly host: DetailHost) {
    for (const v of VIEWS) {
      const b = el('button', { type: 'button', role: 'tab', class: 'tab', id: `tab-${v}`, 'data-view': v, 'aria-controls': 'detail-body', 'aria-selected': 'false', tabindex: -1 }, viewLabel(v));
      b.addEventListener('click', () => this.choose(v));
      this.tabButtons.set(v, b);
      this.tabs.appendChild(b);
    }
    this.tabs.addEventListener('keydown', (e) => this.onTabKey(e));
    this.chart = new TopicChart(host.store, (m) => host.decode(m).then(codecText));
    this.root = el(
      'section',
      { class: 'detail', id: 'detail', 'aria-label': l10n.t('Message detail') },
      this.head,
      this.marker,
      this.tabs,
      this.body,
      this.chart.root,
      this.props,
    );
    this.show(undefined);
  }

  /** Restores the view from the panel state. */
  setChosenView(view: DetailView | undefined): void {
    this.chosen = view;
  }

  get currentView(): DetailView {
    return this.view;
  }

  get message(): InspectedMessage | undefined {
    return this.decoded?.message;
  }

  /** Moves keyboard focus into the pane (Enter on a row). */
  focus(): void {
    this.tabButtons.get(this.view)?.focus();
  }

  show(message: InspectedMessage | undefined): void {
    if (message && this.decoded?.message === message) {
      return;
    }
    this.decoded = message ? new Decoded(message) : null;
    if (!message) {
      this.root.classList.add('empty');
      this.head.replaceChildren(el('span', { class: 'muted' }, l10n.t('Select a message to see its payload.')));
      this.marker.hidden = true;
      this.tabs.hidden = true;
      this.body.replaceChildren();
      this.props.replaceChildren();
      this.chart.show(undefined);
      return;
    }
    this.root.classList.remove('empty');
    this.tabs.hidden = false;
    this.renderHead(message);
    this.renderMarker(message);
    this.renderProps(message);
    this.view = this.chosen ?? this.defaultView();
    this.renderView();
    this.chart.show(this.decoded ?? undefined);
  }

  /** New messages arrived: the chart follows its topic. */
  appended(messages: readonly InspectedMessage[]): void {
    this.chart.appended(messages);
  }

  private defaultView(): DetailView {
    const d = this.decoded;
    if (!d) {
      return 'text';
    }
    if (d.text === undefined) {
      return 'decoded'; // binary: the host's codecs (or the hex dump they end with)
    }
    return d.json?.ok ? 'json' : 'text';
  }

  private choose(view: DetailView): void {
    this.chosen = view;
    this.host.viewChosen(view);
    if (this.view !== view) {
      this.view = view;
      this.renderView();
    }
  }

  private onTabKey(e: KeyboardEvent): void {
    const i = VIEWS.indexOf(this.view);
    let next: number;
    if (e.key === 'ArrowRight') {
      next = (i + 1) % VIEWS.length;
    } else if (e.key === 'ArrowLeft') {
      next = (i - 1 + VIEWS.length) % VIEWS.length;
    } else if (e.key === 'Home') {
      next = 0;
    } else if (e.key === 'End') {
      next = VIEWS.length - 1;
    } else {
      return;
    }
    e.preventDefault();
    const v = VIEWS[next] as DetailView;
    this.choose(v);
    this.tabButtons.get(v)?.focus();
  }

  private renderHead(m: InspectedMessage): void {
    const open = el('button', { type: 'button', class: 'link-button', id: 'btn-open-editor', 'aria-label': l10n.t('Open the full payload in an editor'), title: l10n.t('Open in Editor') }, icon('go-to-file'), ` ${l10n.t('Open in Editor')}`);
    open.addEventListener('click', () => this.host.openInEditor(m.seq));
    const compare = el('button', { type: 'button', class: 'link-button', id: 'btn-compare-editor', 'aria-label': l10n.t('Compare with the previous message on this topic in the diff editor'), title: l10n.t('Compare with Previous') }, icon('diff'), ` ${l10n.t('Compare')}`);
    compare.addEventListener('click', () => this.host.compareInEditor(m.seq));
    const flags: string[] = [];
    if (m.qos !== undefined) {
      flags.push(l10n.t('QoS {0}', m.qos));
    }
    if (m.retain) {
      flags.push(l10n.t('retained'));
    }
    const marks = messageFlags(m).filter((f) => f.icon === 'history');
    flags.push(...marks.map((f) => f.word));
    if (m.exchange !== undefined) {
      flags.push(l10n.t('exchange {0}', m.exchange === '' ? l10n.t('(default)') : m.exchange));
    }
    this.head.replaceChildren(
      el('span', { class: 'detail-topic', id: 'detail-topic', title: m.topic }, m.topic),
      el('span', { class: 'muted' }, `#${m.seq} · ${formatTime(m.time)} · ${formatSize(m.size)}${flags.length ? ` · ${flags.join(' · ')}` : ''}`),
      el('span', { class: 'spacer' }),
      compare,
      open,
    );
  }

  private renderMarker(m: InspectedMessage): void {
    this.marker.hidden = !m.truncated;
    if (!m.truncated) {
      this.marker.replaceChildren();
      return;
    }
    const open = el('button', { type: 'button', class: 'link-button', id: 'btn-open-editor-truncated' }, l10n.t('Open in Editor'));
    open.addEventListener('click', () => this.host.openInEditor(m.seq));
    this.marker.replaceChildren(icon('warning'), ` ${l10n.t('Showing the first {0} of {1} —', formatSize(m.payload.length), formatSize(m.size))} `, open);
  }

  private renderProps(m: InspectedMessage): void {
    const rows = propertyRows(m.properties, m.headers, m.matched);
    if (rows.length === 0) {
      this.props.replaceChildren();
      return;
    }
    const table = el(
      'table',
      { class: 'props-table', 'aria-label': l10n.t('Properties and headers') },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, l10n.t('Kind')), el('th', { scope: 'col' }, l10n.t('Name')), el('th', { scope: 'col' }, l10n.t('Value')))),
    );
    const tbody = el('tbody');
    for (const r of rows) {
      tbody.appendChild(el('tr', {}, el('td', { class: 'muted' }, r.group), el('td', { class: 'prop-name' }, r.name), el('td', { class: 'prop-value' }, r.value)));
    }
    table.appendChild(tbody);
    this.props.replaceChildren(el('h3', { class: 'section-title' }, l10n.t('Properties')), table);
  }

  private renderView(): void {
    for (const [v, b] of this.tabButtons) {
      b.setAttribute('aria-selected', String(v === this.view));
      b.tabIndex = v === this.view ? 0 : -1;
      b.classList.toggle('active', v === this.view);
    }
    this.body.setAttribute('aria-labelledby', `tab-${this.view}`);
    this.body.setAttribute('data-view', this.view);
    const d = this.decoded;
    if (d && this.view === 'decoded') {
      this.renderDecodedView(d);
    } else if (d && this.view === 'diff') {
      this.renderDiffView(d);
    } else if (d) {
      renderPayloadView(this.view, d, this.body, this.host.store);
    }
  }

  /**
   * The Diff of the bytes (as text or JSON) at once; when the payloads may be encoded (binary, a
   * codec's content type, spBv1.0/) and a codec decodes both, the diff of their decoded forms
   * replaces it once the host has decoded them.
   */
  private renderDiffView(d: Decoded): void {
    renderPayloadView('diff', d, this.body, this.host.store);
    const m = d.message;
    const prev = this.host.store.previousOnTopic(m.topic, m.seq);
    if (!prev || !mayBeEncoded(m.topic, m) || !mayBeEncoded(prev.topic, prev)) {
      return;
    }
    d.decoded ??= this.host.decode(m);
    void Promise.all([this.host.decode(prev), d.decoded]).then(([b, a]) => {
      if (this.decoded === d && this.view === 'diff' && b && a && b.codecs.length > 0 && a.codecs.length > 0) {
        renderDecodedDiff(b, a, prev, this.body);
      }
    });
  }

  /** Asks the host once per message, renders when the answer comes (if the pane still shows it). */
  private renderDecodedView(d: Decoded): void {
    const seq = d.message.seq;
    const actions = {
      copy: () => this.host.copyDecoded(seq),
      open: () => this.host.openDecoded(seq),
      decodeAs: () => {
        void this.host.decodeAs(d.message).then((r) => {
          if (r) {
            d.decoded = Promise.resolve(r);
            if (this.decoded === d && this.view === 'decoded') {
              renderDecoded(r, this.body, actions);
            }
          }
        });
      },
    };
    d.decoded ??= this.host.decode(d.message);
    renderDecoded(undefined, this.body, actions);
    void d.decoded.then((r) => {
      if (this.decoded === d && this.view === 'decoded' && r) {
        renderDecoded(r, this.body, actions);
      }
    });
  }
}
