// The chart of the detail pane: a numeric value of the selected message (the whole payload, or a
// path in its JSON that the user picks per topic) over the last messages on its topic, drawn as a
// small SVG line chart with createElementNS (no markup).
import type { InspectedMessage } from '../../src/core/protocol/inspect';
import { decodeText, extractNumber, numberAtPath, suggestNumericPaths } from '../../src/core/format';
import { mayBeEncoded } from '../../src/core/format/encoded';
import { svg, el, icon } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { chartable, chartPoints, formatNumber } from './display';
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

/** The host's decode of a kept message: the decoded text when a codec decoded it, else undefined. */
export type ChartDecode = (m: InspectedMessage) => Promise<string | undefined>;

/** The chart box: shown for a message with a numeric value, it follows the message's topic. */
export class TopicChart {
  readonly root = el('section', { class: 'chart', id: 'chart', 'aria-label': l10n.t('Chart of values on this topic') });
  private readonly plot = el('div', { class: 'chart-plot', id: 'chart-plot' });
  private readonly pathSelect = el('select', { class: 'chart-path', id: 'chart-path', 'aria-label': l10n.t('Value to chart') });
  private decoded: Decoded | undefined;
  /** Chosen chart path per topic ('' = the whole payload is the number). */
  private readonly chartPaths = new Map<string, string>();
  private readonly numbers = new WeakMap<InspectedMessage, Map<string, number | undefined>>();
  /** Decoded values of encoded payloads (the host decodes them, once each); null: no codec decoded it. */
  private readonly decodedValues = new WeakMap<InspectedMessage, unknown>();
  private readonly asked = new WeakSet<InspectedMessage>();
  private redraw: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: MessageStore<InspectedMessage>,
    private readonly decode?: ChartDecode,
  ) {
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
    const encoded = this.encoded(m);
    const decodedValue = encoded ? this.decodedValue(m) : undefined;
    const whole = this.numberOf(m, WHOLE) !== undefined;
    const paths = whole ? [] : encoded ? (decodedValue !== undefined ? suggestNumericPaths(decodedValue, 20) : []) : d.json?.ok ? suggestNumericPaths(d.json.value, 20) : [];
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
    let n: number | undefined;
    if (this.encoded(m)) {
      if (!this.decodedValues.has(m)) {
        this.decodedValue(m); // asks the host; the chart redraws when the answer comes
        return undefined;
      }
      const v = this.decodedValues.get(m);
      n = v === null || v === undefined ? undefined : path === WHOLE ? (typeof v === 'number' ? v : undefined) : numberAtPath(v, path);
    } else {
      const text = m.truncated ? undefined : decodeText(m.payload);
      n = text === undefined ? undefined : extractNumber(text, path === WHOLE ? undefined : path);
    }
    byPath.set(path, n);
    return n;
  }

  /** Whether the chart reads this message's decoded value (the host has decoders and the bytes may be encoded). */
  private encoded(m: InspectedMessage): boolean {
    return this.decode !== undefined && mayBeEncoded(m.topic, m);
  }

  /** The decoded value (Sparkplug metrics by name) once the host answered; asks it once. */
  private decodedValue(m: InspectedMessage): unknown {
    if (this.decodedValues.has(m)) {
      const v = this.decodedValues.get(m);
      return v === null ? undefined : v;
    }
    if (this.decode && !this.asked.has(m)) {
      this.asked.add(m);
      void this.decode(m).then(
        (text) => {
          let value: unknown = null;
          if (text !== undefined) {
            try {
              value = chartable(JSON.parse(text));
            } catch {
              value = null;
            }
          }
          this.decodedValues.set(m, value);
          this.scheduleRedraw(m);
        },
        () => this.decodedValues.set(m, null),
      );
    }
    return undefined;
  }

  /** Decodes come back one by one: one redraw for a burst of them. */
  private scheduleRedraw(m: InspectedMessage): void {
    if (this.decoded?.message === m) {
      // The selected message's paths are known now.
      clearTimeout(this.redraw);
      this.redraw = undefined;
      this.show(this.decoded);
      return;
    }
    this.redraw ??= setTimeout(() => {
      this.redraw = undefined;
      if (this.decoded?.message.topic === m.topic) {
        this.refresh();
      }
    }, 50);
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
