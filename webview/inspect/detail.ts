// The detail pane of the selected message: Text | JSON | Hex | Base64 | Diff, the properties
// table, the "truncated" marker and the chart of the topic's numeric values. Every view is
// built only when shown; every piece of message data goes in through textContent.
import type { InspectedMessage } from '../../src/core/protocol/inspect';
import { decodeText, DIFF_LIMIT_BYTES, extractNumber, formatJson, isDiffTooLarge, lineDiff, suggestNumericPaths, toBase64 } from '../../src/core/format';
import { el, icon } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { formatSize, formatTime, propertyRows } from './display';
import { renderJsonTree } from './jsonTree';
import { renderHex } from './hexView';
import { renderChart } from './chart';
import type { MessageStore } from './store';

export const VIEWS = ['text', 'json', 'hex', 'base64', 'diff'] as const;
export type DetailView = (typeof VIEWS)[number];
export const isDetailView = (v: unknown): v is DetailView => typeof v === 'string' && (VIEWS as readonly string[]).includes(v);
/** A view's tab label (JSON, Hex and Base64 are names: Text and Diff are translated). */
function viewLabel(view: DetailView): string {
  switch (view) {
    case 'text':
      return l10n.t('Text');
    case 'json':
      return 'JSON';
    case 'hex':
      return 'Hex';
    case 'base64':
      return 'Base64';
    case 'diff':
      return l10n.t('Diff');
  }
}

/** Characters a Text/Base64 view shows before a "Show all" button (layout of huge <pre>s is slow). */
const TEXT_CAP = 200_000;
const CHART_VALUES = 100;
/** Bytes the Base64 view encodes before "Show all" (divisible by 3). */
const B64_BYTES = 150_000;
const WHOLE = '';

/** Decoded forms of one message, computed on first use. */
class Decoded {
  private textValue: string | undefined | null = null;
  private jsonValue: ReturnType<typeof formatJson> | null = null;
  constructor(readonly message: InspectedMessage) {}
  get text(): string | undefined {
    if (this.textValue === null) {
      const text = decodeText(this.message.payload, this.message.truncated);
      this.textValue = text;
      return text;
    }
    return this.textValue;
  }
  get json(): ReturnType<typeof formatJson> | undefined {
    const t = this.text;
    if (t === undefined || t.trim() === '') {
      return undefined;
    }
    if (this.jsonValue === null) {
      this.jsonValue = formatJson(t);
    }
    return this.jsonValue;
  }
}

export interface DetailHost {
  readonly store: MessageStore<InspectedMessage>;
  openInEditor(seq: number): void;
  /** VS Code's diff editor: this message against the previous one on its topic. */
  compareInEditor(seq: number): void;
  /** The user picked a tab: remembered for the next messages and in the panel state. */
  viewChosen(view: DetailView): void;
}

export class DetailPane {
  readonly root: HTMLElement;
  private readonly head = el('div', { class: 'detail-head' });
  private readonly marker = el('div', { class: 'truncated-marker', id: 'truncated-marker', role: 'note' });
  private readonly tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': l10n.t('Payload view') });
  private readonly body = el('div', { class: 'detail-body', id: 'detail-body', role: 'tabpanel' });
  private readonly props = el('div', { class: 'props', id: 'detail-properties' });
  private readonly chartBox = el('section', { class: 'chart', id: 'chart', 'aria-label': l10n.t('Chart of values on this topic') });
  private readonly chartPlot = el('div', { class: 'chart-plot', id: 'chart-plot' });
  private readonly pathSelect = el('select', { class: 'chart-path', id: 'chart-path', 'aria-label': l10n.t('Value to chart') });
  private readonly tabButtons = new Map<DetailView, HTMLButtonElement>();
  private decoded: Decoded | null = null;
  private view: DetailView = 'text';
  /** The view the user chose; undefined = pick from the content. */
  private chosen: DetailView | undefined;
  /** Chosen chart path per topic ('' = the whole payload is the number). */
  private readonly chartPaths = new Map<string, string>();
  private readonly numbers = new WeakMap<InspectedMessage, Map<string, number | undefined>>();

  constructor(private readonly host: DetailHost) {
    for (const v of VIEWS) {
      const b = el('button', { type: 'button', role: 'tab', class: 'tab', id: `tab-${v}`, 'data-view': v, 'aria-controls': 'detail-body', 'aria-selected': 'false', tabindex: -1 }, viewLabel(v));
      b.addEventListener('click', () => this.choose(v));
      this.tabButtons.set(v, b);
      this.tabs.appendChild(b);
    }
    this.tabs.addEventListener('keydown', (e) => this.onTabKey(e));
    this.pathSelect.addEventListener('change', () => {
      const m = this.decoded?.message;
      if (m) {
        this.chartPaths.set(m.topic, this.pathSelect.value);
        this.refreshChart();
      }
    });
    this.chartBox.append(
      el('div', { class: 'chart-head' }, icon('graph-line'), el('label', { for: 'chart-path' }, l10n.t('Chart')), this.pathSelect),
      this.chartPlot,
    );
    this.root = el(
      'section',
      { class: 'detail', id: 'detail', 'aria-label': l10n.t('Message detail') },
      this.head,
      this.marker,
      this.tabs,
      this.body,
      this.chartBox,
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
      this.chartBox.hidden = true;
      return;
    }
    this.root.classList.remove('empty');
    this.tabs.hidden = false;
    this.renderHead(message);
    this.renderMarker(message);
    this.renderProps(message);
    this.view = this.chosen ?? this.defaultView();
    this.renderView();
    this.setupChart();
  }

  /** New messages arrived: the chart follows its topic. */
  appended(messages: readonly InspectedMessage[]): void {
    const m = this.decoded?.message;
    if (m && !this.chartBox.hidden && messages.some((x) => x.topic === m.topic)) {
      this.refreshChart();
    }
  }

  private defaultView(): DetailView {
    const d = this.decoded;
    if (!d) {
      return 'text';
    }
    if (d.text === undefined) {
      return 'hex';
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
    if (m.redelivered) {
      flags.push(l10n.t('redelivered'));
    }
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
    const rows = propertyRows(m.properties, m.headers);
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
    if (!d) {
      return;
    }
    switch (this.view) {
      case 'text':
        if (d.text === undefined) {
          this.body.replaceChildren(this.note('info', l10n.t('Binary payload (not UTF-8 text): see Hex or Base64.')));
        } else {
          this.body.replaceChildren(this.bigPre(d.text === '' ? l10n.t('(empty payload)') : d.text, 'detail-text', 'text'));
        }
        break;
      case 'json':
        this.renderJson(d);
        break;
      case 'hex':
        renderHex(d.message.payload, this.body);
        break;
      case 'base64':
        this.renderBase64(d.message.payload);
        break;
      case 'diff':
        this.renderDiff(d);
        break;
    }
  }

  private renderJson(d: Decoded): void {
    const j = d.json;
    if (!j) {
      this.body.replaceChildren(this.note('info', d.text === undefined ? l10n.t('Binary payload: not JSON.') : l10n.t('Empty payload: not JSON.')));
      return;
    }
    if (!j.ok) {
      const text = d.message.truncated
        ? l10n.t('Not valid JSON: {0} at line {1}, column {2} (the payload is truncated: open it in the editor to see all of it).', j.error, j.line, j.column)
        : l10n.t('Not valid JSON: {0} at line {1}, column {2}.', j.error, j.line, j.column);
      this.body.replaceChildren(this.note('error', text));
      return;
    }
    const host = el('div', { class: 'json-host', id: 'detail-json', 'data-view': 'json' });
    this.body.replaceChildren(host);
    renderJsonTree(j.value, host);
  }

  private renderDiff(d: Decoded): void {
    const m = d.message;
    const prev = this.host.store.previousOnTopic(m.topic, m.seq);
    if (!prev) {
      this.body.replaceChildren(this.note('info', l10n.t('No earlier message on this topic in the list to compare with.')));
      return;
    }
    if (m.payload.length > DIFF_LIMIT_BYTES || prev.payload.length > DIFF_LIMIT_BYTES) {
      this.body.replaceChildren(this.note('info', l10n.t('Too large to diff (over {0}).', formatSize(DIFF_LIMIT_BYTES))));
      return;
    }
    const p = new Decoded(prev);
    const asText = (x: Decoded): string | undefined => (x.json?.ok ? x.json.pretty : x.text);
    const before = asText(p);
    const after = asText(d);
    if (before === undefined || after === undefined) {
      this.body.replaceChildren(this.note('info', l10n.t('Binary payloads: no line diff. Compare them in Hex.')));
      return;
    }
    if (isDiffTooLarge(before, after)) {
      this.body.replaceChildren(this.note('info', l10n.t('Too large to diff (over {0} or too many lines).', formatSize(DIFF_LIMIT_BYTES))));
      return;
    }
    const lines = lineDiff(before, after);
    const pre = el('pre', { class: 'diff', id: 'detail-diff', 'data-view': 'diff' });
    const frag = document.createDocumentFragment();
    let changes = 0;
    for (const l of lines) {
      const sign = l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' ';
      if (l.kind !== 'same') {
        changes++;
      }
      frag.appendChild(el('div', { class: `diff-line diff-${l.kind}` }, el('span', { class: 'diff-sign', 'aria-hidden': 'true' }, sign), l.text === '' ? ' ' : l.text));
    }
    pre.appendChild(frag);
    const summary = el('div', { class: 'muted diff-summary' }, changes === 0
        ? l10n.t('Same as #{0} ({1})', prev.seq, formatTime(prev.time))
        : changes === 1
          ? l10n.t('Compared with #{0} ({1}): {2} changed line', prev.seq, formatTime(prev.time), changes)
          : l10n.t('Compared with #{0} ({1}): {2} changed lines', prev.seq, formatTime(prev.time), changes),
    );
    this.body.replaceChildren(summary, pre);
  }

  /** Base64 of the first B64_BYTES bytes at once (a multiple of 3: the text continues seamlessly), the rest on demand. */
  private renderBase64(bytes: Uint8Array): void {
    const pre = el('pre', { class: 'payload wrap', id: 'detail-base64', 'data-view': 'base64', tabindex: 0, 'aria-label': l10n.t('Base64 of the payload') });
    if (bytes.length <= B64_BYTES) {
      pre.textContent = toBase64(bytes);
      this.body.replaceChildren(pre);
      return;
    }
    pre.textContent = toBase64(bytes.subarray(0, B64_BYTES));
    const more = el('button', { type: 'button', class: 'link-button' }, l10n.t('Show all ({0})', formatSize(bytes.length)));
    more.addEventListener('click', () => {
      pre.textContent = toBase64(bytes);
      more.remove();
    });
    this.body.replaceChildren(el('div', {}, pre, more));
  }

  private bigPre(text: string, id: string, view: DetailView, extra = ''): HTMLElement {
    const pre = el('pre', { class: `payload ${extra}`, id, 'data-view': view, tabindex: 0, 'aria-label': l10n.t('{0} of the payload', viewLabel(view)) });
    if (text.length <= TEXT_CAP) {
      pre.textContent = text;
      return pre;
    }
    pre.textContent = text.slice(0, TEXT_CAP);
    const more = el('button', { type: 'button', class: 'link-button' }, l10n.t('Show all {0} characters', text.length.toLocaleString()));
    more.addEventListener('click', () => {
      pre.textContent = text;
      more.remove();
    });
    return el('div', {}, pre, more);
  }

  private note(kind: 'info' | 'error', text: string): HTMLElement {
    return el('div', { class: `note note-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, icon(kind === 'error' ? 'error' : 'info'), ` ${text}`);
  }

  // -- chart ----------------------------------------------------------------------------------

  private numberOf(m: InspectedMessage, path: string): number | undefined {
    let byPath = this.numbers.get(m);
    if (!byPath) {
      byPath = new Map();
      this.numbers.set(m, byPath);
    }
    if (byPath.has(path)) {
      return byPath.get(path);
    }
    const text = m.truncated ? undefined : decodeText(m.payload);
    const n = text === undefined ? undefined : extractNumber(text, path === WHOLE ? undefined : path);
    byPath.set(path, n);
    return n;
  }

  private setupChart(): void {
    const d = this.decoded;
    if (!d) {
      return;
    }
    const m = d.message;
    const whole = this.numberOf(m, WHOLE) !== undefined;
    const paths = d.json?.ok && !whole ? suggestNumericPaths(d.json.value, 20) : [];
    if (!whole && paths.length === 0) {
      this.chartBox.hidden = true;
      return;
    }
    this.chartBox.hidden = false;
    const options: [string, string][] = whole ? [[WHOLE, l10n.t('Payload value')]] : [['-', l10n.t('Choose a value…')], ...paths.map((p): [string, string] => [p, p])];
    let chosen = this.chartPaths.get(m.topic) ?? (whole ? WHOLE : '-');
    if (!options.some(([v]) => v === chosen)) {
      const known = this.chartPaths.get(m.topic);
      if (known && known !== '-' && !whole) {
        options.push([known, known]);
      } else {
        chosen = options[0]?.[0] ?? '-';
      }
    }
    this.pathSelect.replaceChildren(...options.map(([v, label]) => el('option', { value: v }, label)));
    this.pathSelect.value = chosen;
    this.refreshChart();
  }

  private refreshChart(): void {
    const m = this.decoded?.message;
    if (!m) {
      return;
    }
    const path = this.pathSelect.value;
    if (path === '-') {
      this.chartPlot.replaceChildren(el('div', { class: 'muted' }, l10n.t('Pick a numeric value of the JSON payload to chart it over the last messages on this topic.')));
      return;
    }
    const values: number[] = [];
    for (const x of this.host.store.lastOnTopic(m.topic, CHART_VALUES)) {
      const n = this.numberOf(x, path);
      if (n !== undefined) {
        values.push(n);
      }
    }
    renderChart(values, path === WHOLE ? m.topic : `${m.topic} ${path}`, this.chartPlot);
  }
}
