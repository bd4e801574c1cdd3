/**
 * Counts and rates as tree rows and the status bar show them: short enough for the default
 * sidebar width ("561.1K"), exact below 10,000; the tooltips keep the exact figures.
 *
 * Written out rather than with `Intl.NumberFormat` / `toLocaleString`: the first use of `Intl`
 * in a process loads ICU's data, ~25 ms, which a module-level formatter put into activation
 * (issue 19 P5) and a lazy one would put into the first tree render. The unit tests compare
 * these with `Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })`.
 */

/** "1,234,567": an integer with en-US digit grouping. */
export function groupDigits(n: number): string {
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) {
    out = end > 3 ? `,${digits.slice(end - 3, end)}${out}` : `${digits.slice(0, end)}${out}`;
  }
  return n < 0 ? `-${out}` : out;
}

const UNITS: readonly (readonly [number, string])[] = [
  [1e3, 'K'],
  [1e6, 'M'],
  [1e9, 'B'],
  [1e12, 'T'],
];

/** "12.3K" for an integer of at least 1,000 in absolute value: one decimal at most, half away from zero. */
function compact(n: number): string {
  const abs = Math.abs(n);
  let u = 0;
  while (u + 1 < UNITS.length && abs >= UNITS[u + 1]![0]) {
    u++;
  }
  // Tenths of the unit, rounded; a value that rounds up to 1000 of a unit is 1 of the next.
  let tenths = Math.round(abs / (UNITS[u]![0] / 10));
  if (tenths >= 10_000 && u + 1 < UNITS.length) {
    u++;
    tenths = Math.round(abs / (UNITS[u]![0] / 10));
  }
  const whole = Math.floor(tenths / 10);
  const tenth = tenths % 10;
  return `${n < 0 ? '-' : ''}${whole}${tenth ? `.${tenth}` : ''}${UNITS[u]![1]}`;
}

/** "9,999", "10K", "561.1K", "1.2M". */
export function shortCount(n: number): string {
  if (!Number.isFinite(n)) {
    return String(n);
  }
  const rounded = Math.round(n);
  return Math.abs(rounded) < 10_000 ? groupDigits(rounded) : compact(rounded);
}

/** "59.4K/s"; undefined below one message a second (a silent or slow topic shows no rate). */
export function formatRate(perSecond: number): string | undefined {
  return perSecond >= 1 ? `${shortCount(Math.round(perSecond))}/s` : undefined;
}
