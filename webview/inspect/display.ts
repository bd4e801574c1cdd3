// Small formatters for the inspector's rows and header. Pure logic (no DOM); words go through l10n l10n.t().
// Units (B, KB, MB, GB, /s) stay as they are.
import type { PropertyValue } from '../../src/core/protocol/inspect';
import * as l10n from '@vscode/l10n';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local time as HH:MM:SS.mmm. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Bytes as B / KB / MB (1024-based, one decimal under 10). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1).replace(/\.0$/, '') : Math.round(v)} ${units[u]}`;
}

/** A one-line preview: control characters and runs of whitespace become one space, clipped to `max` chars. */
export function oneLine(text: string, max = 200): string {
  const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
  // eslint-disable-next-line no-control-regex
  const flat = head.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A header/property value as one string for the properties table. */
export function formatPropertyValue(value: PropertyValue): string {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** Flattens properties and headers into name/value rows (user properties one row each). */
export function propertyRows(
  properties: Readonly<Record<string, PropertyValue>> | undefined,
  headers: Readonly<Record<string, PropertyValue>> | undefined,
  matched: readonly string[] = [],
): { group: string; name: string; value: string }[] {
  const rows: { group: string; name: string; value: string }[] = [];
  // MQTT 5: the subscriptions the message matched (by their identifiers), first: they say why it is here.
  for (const filter of matched) {
    rows.push({ group: l10n.t('Subscription'), name: l10n.t('matched'), value: filter });
  }
  for (const [name, value] of Object.entries(properties ?? {})) {
    if (name === 'userProperties' && value !== null && typeof value === 'object') {
      const entries = Array.isArray(value)
        ? (value as readonly PropertyValue[]).map((pair, i): [string, PropertyValue] =>
            Array.isArray(pair) && pair.length === 2 ? [String(pair[0]), pair[1] as PropertyValue] : [String(i), pair],
          )
        : Object.entries(value as Record<string, PropertyValue>);
      for (const [k, v] of entries) {
        rows.push({ group: l10n.t('User property'), name: k, value: formatPropertyValue(v) });
      }
      continue;
    }
    rows.push({ group: l10n.t('Property'), name, value: formatPropertyValue(value) });
  }
  for (const [name, value] of Object.entries(headers ?? {})) {
    rows.push({ group: l10n.t('Header'), name, value: formatPropertyValue(value) });
  }
  return rows;
}

/** Messages per second over a sliding window of `total` counter samples. */
export class RateMeter {
  private samples: { t: number; total: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  /** Records the host's running total at time `t` (ms). */
  sample(total: number, t: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && total < last.total) {
      this.samples = [];
    }
    this.samples.push({ t, total });
    this.trim(t);
  }

  /** Rate per second at time `t`. */
  rate(t: number): number {
    this.trim(t);
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last === first) {
      return 0;
    }
    // Over the whole window up to now, so the rate decays to 0 when messages stop.
    const span = Math.max(1000, t - first.t);
    return ((last.total - first.total) * 1000) / span;
  }

  reset(): void {
    this.samples = [];
  }

  private trim(t: number): void {
    while (this.samples.length > 1 && (this.samples[0] as { t: number }).t < t - this.windowMs) {
      this.samples.shift();
    }
  }
}

/** A rate for the header: "0/s", "3.5/s", "120/s". */
export function formatRate(perSecond: number): string {
  if (perSecond <= 0) {
    return '0/s';
  }
  return perSecond < 10 ? `${perSecond.toFixed(1).replace(/\.0$/, '')}/s` : `${Math.round(perSecond)}/s`;
}

/** Scales values to SVG polyline points inside a width×height box with `pad` px margins. */
export function chartPoints(values: readonly number[], width: number, height: number, padding = 4): string {
  if (values.length === 0) {
    return '';
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max - min || 1;
  const w = width - padding * 2;
  const h = height - padding * 2;
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = padding + (values.length > 1 ? i * step : w / 2);
      const y = max === min ? padding + h / 2 : padding + h - ((v - min) / span) * h;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** A number for a chart label: up to 4 significant decimals, no exponent for ordinary values. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) {
    return String(n);
  }
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) {
    return n.toExponential(3);
  }
  return String(Math.round(n * 10000) / 10000);
}

/**
 * A decoded value as the chart reads it: Sparkplug B metrics (a `metrics` list of name + value)
 * become an object by metric name, so a chart path names the metric (`metrics["Inputs/Temp"]`),
 * not its place in the list, which a DATA message does not keep.
 */
export function chartable(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  const metrics = (value as { metrics?: unknown }).metrics;
  if (!Array.isArray(metrics) || !metrics.every((m) => m && typeof m === 'object' && typeof (m as { name?: unknown }).name === 'string')) {
    return value;
  }
  const byName: Record<string, unknown> = {};
  for (const m of metrics as { name: string; value?: unknown }[]) {
    byName[m.name] = m.value;
  }
  return { ...(value as Record<string, unknown>), metrics: byName };
}
