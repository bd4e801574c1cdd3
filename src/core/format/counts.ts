/**
 * Counts and rates as tree rows and the status bar show them: short enough for the default
 * sidebar width ("561.1K"), exact below 10,000; the tooltips keep the exact figures.
 */
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** "9,999", "10K", "561.1K", "1.2M". */
export function shortCount(n: number): string {
  return Math.abs(n) < 10_000 ? Math.round(n).toLocaleString('en-US') : COMPACT.format(n);
}

/** "59.4K/s"; undefined below one message a second (a silent or slow topic shows no rate). */
export function formatRate(perSecond: number): string | undefined {
  return perSecond >= 1 ? `${shortCount(Math.round(perSecond))}/s` : undefined;
}
