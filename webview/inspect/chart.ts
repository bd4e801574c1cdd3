// A small line chart of a topic's recent values, built as SVG with createElementNS (no markup).
import { svg, el } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { chartPoints, formatNumber } from './display';

const W = 320;
const H = 80;

export function renderChart(values: readonly number[], label: string, host: HTMLElement): void {
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
