/**
 * Jittered exponential backoff ("full jitter" over a doubling window with a floor):
 * attempt 1 waits ~1 s, then 2 s, 4 s, … capped at `maxMs`. The jitter keeps many clients
 * that lost the same broker from reconnecting in lock-step.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Fraction of the window that is randomised, 0..1. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, jitter: 0.5 };

export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  }
  const window = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt - 1, 30));
  const jitter = window * options.jitter;
  return Math.round(window - jitter + random() * jitter);
}
