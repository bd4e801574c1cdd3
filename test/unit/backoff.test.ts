import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src/core/brokers/backoff';

describe('backoffDelay', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    const top = () => 1; // the upper end of the jitter window
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 20].map((a) => backoffDelay(a, DEFAULT_BACKOFF, top)),
      [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000],
    );
  });

  it('jitters within the lower half of each window', () => {
    const bottom = () => 0;
    assert.equal(backoffDelay(1, DEFAULT_BACKOFF, bottom), 500);
    assert.equal(backoffDelay(6, DEFAULT_BACKOFF, bottom), 15000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3);
      assert.ok(d >= 2000 && d <= 4000, `attempt 3 gave ${d}`);
    }
  });

  it('spreads clients apart instead of reconnecting in lock-step', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    assert.ok(delays.size > 10, `only ${delays.size} distinct delays`);
  });

  it('rejects attempts that are not positive integers', () => {
    assert.throws(() => backoffDelay(0), RangeError);
    assert.throws(() => backoffDelay(1.5), RangeError);
  });
});
