import assert from 'node:assert/strict';
import { isAtBottom, isNavKey, navigate, pageRows, revealScrollTop, visibleWindow } from '../../webview/inspect/windowing';

describe('inspector list windowing', () => {
  it('renders only the rows in view plus overscan', () => {
    assert.deepEqual(visibleWindow(0, 220, 22, 10_000, 4), { start: 0, end: 15, offset: 0 });
    const w = visibleWindow(22 * 5000 + 7, 220, 22, 10_000, 4);
    assert.equal(w.start, 4996);
    assert.equal(w.offset, 4996 * 22);
    assert.ok(w.end - w.start <= 11 + 8);
    assert.deepEqual(visibleWindow(22 * 9995, 220, 22, 10_000, 4).end, 10_000);
  });

  it('handles empty lists, tiny viewports and overscroll', () => {
    assert.deepEqual(visibleWindow(0, 500, 22, 0), { start: 0, end: 0, offset: 0 });
    assert.deepEqual(visibleWindow(-50, 0, 22, 3, 0), { start: 0, end: 1, offset: 0 });
    const w = visibleWindow(1e9, 220, 22, 100, 2);
    assert.ok(w.start <= 99 && w.end === 100);
  });

  it('moves the selection with the navigation keys', () => {
    const page = pageRows(220, 22);
    assert.equal(page, 9);
    assert.equal(navigate(5, 'ArrowDown', 100, page), 6);
    assert.equal(navigate(5, 'ArrowUp', 100, page), 4);
    assert.equal(navigate(0, 'ArrowUp', 100, page), 0);
    assert.equal(navigate(99, 'ArrowDown', 100, page), 99);
    assert.equal(navigate(50, 'PageDown', 100, page), 59);
    assert.equal(navigate(95, 'PageDown', 100, page), 99);
    assert.equal(navigate(3, 'PageUp', 100, page), 0);
    assert.equal(navigate(42, 'Home', 100, page), 0);
    assert.equal(navigate(42, 'End', 100, page), 99);
    assert.equal(navigate(-1, 'ArrowDown', 100, page), 0);
    assert.equal(navigate(-1, 'ArrowUp', 100, page), 99);
    assert.equal(navigate(3, 'End', 0, page), -1);
    assert.ok(isNavKey('PageDown') && !isNavKey('Enter'));
  });

  it('scrolls as little as possible to reveal a row', () => {
    assert.equal(revealScrollTop(10, 0, 220, 22), 22 * 11 - 220);
    assert.equal(revealScrollTop(2, 100, 220, 22), 44);
    assert.equal(revealScrollTop(6, 100, 220, 22), 100);
  });

  it('knows when the view is at the bottom (follow mode)', () => {
    assert.ok(isAtBottom(780, 220, 1000));
    assert.ok(isAtBottom(778, 220, 1000));
    assert.ok(!isAtBottom(700, 220, 1000));
  });
});
