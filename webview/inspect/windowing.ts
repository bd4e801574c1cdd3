// Window maths of the virtualised message list (fixed row height) and its keyboard navigation.
// Pure logic (no DOM).

export interface RowWindow {
  /** First row index to render (inclusive). */
  readonly start: number;
  /** Last row index to render (exclusive). */
  readonly end: number;
  /** Pixel offset of row `start` from the top of the scroll content. */
  readonly offset: number;
}

/** The rows to put in the DOM for a scroll position, with `overscan` extra rows on each side. */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 4): RowWindow {
  if (count <= 0 || rowHeight <= 0) {
    return { start: 0, end: 0, offset: 0 };
  }
  const top = Math.max(0, scrollTop);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end: Math.max(start, end), offset: start * rowHeight };
}

/** Rows that fit in the viewport (at least 1): the PageUp/PageDown step. */
export function pageRows(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';

export function isNavKey(key: string): key is NavKey {
  return key === 'ArrowUp' || key === 'ArrowDown' || key === 'PageUp' || key === 'PageDown' || key === 'Home' || key === 'End';
}

/** The row a navigation key moves the selection to (`current` -1 = nothing selected yet). */
export function navigate(current: number, key: NavKey, count: number, page: number): number {
  if (count <= 0) {
    return -1;
  }
  const last = count - 1;
  if (current < 0 || current > last) {
    // Nothing selected: Up/PageUp/End start from the newest, the others from the oldest.
    return key === 'ArrowUp' || key === 'PageUp' || key === 'End' ? last : 0;
  }
  switch (key) {
    case 'ArrowUp':
      return Math.max(0, current - 1);
    case 'ArrowDown':
      return Math.min(last, current + 1);
    case 'PageUp':
      return Math.max(0, current - page);
    case 'PageDown':
      return Math.min(last, current + page);
    case 'Home':
      return 0;
    case 'End':
      return last;
  }
}

/** The scrollTop that makes row `index` fully visible, moving as little as possible. */
export function revealScrollTop(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) {
    return rowTop;
  }
  if (rowBottom > scrollTop + viewportHeight) {
    return Math.max(0, rowBottom - viewportHeight);
  }
  return scrollTop;
}

/** True when the view shows the newest row ("follow" mode keeps it there on append). */
export function isAtBottom(scrollTop: number, viewportHeight: number, scrollHeight: number, tolerance = 4): boolean {
  return scrollTop + viewportHeight >= scrollHeight - tolerance;
}
