// The chart of the detail pane: a numeric value of the selected message (the whole payload, or a
// path in its JSON that the user picks per topic) over the last messages on its topic, drawn as a
// small SVG line chart with createElementNS (no markup).
import type { InspectedMessage } from '../../src/core/protocol/inspect';
import { decodeText, extractNumber, suggestNumericPaths } from '../../src/core/format';
import { svg, el, icon } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { chartPoints, formatNumber } from './display';
import type { Decoded } from './payloadViews';
import type { MessageStore } from './store';

/** Values the chart shows (the last messages on the topic). */
const CHART_VALUES = 100;
/** The path that stands for the whole payload being the number. */
const WHOLE = '';

const W = 320;
const H = 80;

function renderChart(values: readonly number[], label: string, host: HTMLElement): void {
  if (values.length === 0) {
    host.replaceChildren(el('div', { class: 'muted' }, l10n.t('No numeric values yet on this topic.')));
    return;
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  const last = values[values.length - 1] as number;
  const description = l10n.t('{0}: last {1} values, min {2}, max {3}, last {4}', label, values.length, formatNumber(min), formatNumber(max), formatNumber(last));
  const chart = svg(
    'svg',
    { class: 'chart-svg', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': description },
    svg('line', { class: 'chart-grid', x1: 0, y1: 4, x2: W, y2: 4 }),
    svg('line', { class: 'chart-grid', x1: 0, y1: H - 4, x2: W, y2: H - 4 }),
    svg('polyline', { class: 'chart-line', points: chartPoints(values, W, H), fill: 'none', 'vector-effect': 'non-scaling-stroke' }),
  );
  if (values.length === 1) {
    const [x, y] = chartPoints(values, W, H).split(',');
    chart.appendChild(svg('circle', { class: 'chart-dot', cx: x, cy: y, r: 2.5 }));
  }
  const labels = el(
    'div',
    { class: 'chart-labels', 'aria-hidden': 'true' },
    el('span', {}, `${l10n.t('min')} `, el('b', { 'data-chart': 'min' }, formatNumber(min))),
    el('span', {}, `${l10n.t('max')} `, el('b', { 'data-chart': 'max' }, formatNumber(max))),
    el('span', {}, `${l10n.t('last')} `, el('b', { 'data-chart': 'last' }, formatNumber(last))),
    el('span', { class: 'muted' }, l10n.t('{0} values', values.length)),
  );
  host.replaceChildren(chart, labels);
}

/** The chart box: shown for a message with a numeric value, it follows the message's topic. */
export class TopicChart {
  readonly root = el('section', { class: 'chart', id: 'chart', 'aria-label': l10n.t('Chart of values on this topic') });
  private readonly plot = el('div', { class: 'chart-plot', id: 'chart-plot' });
  private readonly pathSelect = el('select', { class: 'chart-path', id: 'chart-path', 'aria-label': l10n.t('Value to chart') });
  private decoded: Decoded | undefined;
  /** Chosen chart path per topic ('' = the whole payload is the number). */
  private readonly chartPaths = new Map<string, string>();
  private readonly numbers = new WeakMap<InspectedMessage, Map<string, number | undefined>>();

  constructor(private readonly store: MessageStore<InspectedMessage>) {
    this.pathSelect.addEventListener('change', () => {
      const m = this.decoded?.message;
      if (m) {
        this.chartPaths.set(m.topic, this.pathSelect.value);
        this.refresh();
      }
    });
    this.root.append(el('div', { class: 'chart-head' }, icon('graph-line'), el('label', { for: 'chart-path' }, l10n.t('Chart')), this.pathSelect), this.plot);
  }

  /** The selected message (none: the chart hides). */
  show(d: Decoded | undefined): void {
    this.decoded = d;
    if (!d) {
      this.root.hidden = true;
      return;
    }
    const m = d.message;
    const whole = this.numberOf(m, WHOLE) !== undefined;
    const paths = d.json?.ok && !whole ? suggestNumericPaths(d.json.value, 20) : [];
    if (!whole && paths.length === 0) {
      this.root.hidden = true;
      return;
    }
    this.root.hidden = false;
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
    this.refresh();
  }

  /** New messages arrived: the chart follows its topic. */
  appended(messages: readonly InspectedMessage[]): void {
    const m = this.decoded?.message;
    if (m && !this.root.hidden && messages.some((x) => x.topic === m.topic)) {
      this.refresh();
    }
  }

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

  private refresh(): void {
    const m = this.decoded?.message;
    if (!m) {
      return;
    }
    const path = this.pathSelect.value;
    if (path === '-') {
      this.plot.replaceChildren(el('div', { class: 'muted' }, l10n.t('Pick a numeric value of the JSON payload to chart it over the last messages on this topic.')));
      return;
    }
    const values: number[] = [];
    for (const x of this.store.lastOnTopic(m.topic, CHART_VALUES)) {
      const n = this.numberOf(x, path);
      if (n !== undefined) {
        values.push(n);
      }
    }
    renderChart(values, path === WHOLE ? m.topic : `${m.topic} ${path}`, this.plot);
  }
}
