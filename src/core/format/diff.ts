/** Line diffs of two payloads (jsdiff's diffLines), with a size guard for huge inputs. */
import { diffLines } from 'diff';

export interface DiffLine {
  readonly kind: 'same' | 'added' | 'removed';
  readonly text: string;
}

/** Above this many UTF-16 units (≈ bytes for ASCII) on either side, lineDiff does not diff. */
export const DIFF_LIMIT_BYTES = 200_000;
/** Above this many lines on either side, lineDiff does not diff. */
export const DIFF_LIMIT_LINES = 5_000;

function countLines(text: string, stopAt: number): number {
  let lines = 1;
  for (let k = text.indexOf('\n'); k >= 0 && lines <= stopAt; k = text.indexOf('\n', k + 1)) {
    lines++;
  }
  return lines;
}

/** True when lineDiff would give up on these texts (too big: it returns one removed + one added entry). */
export function isDiffTooLarge(before: string, after: string): boolean {
  return (
    before.length > DIFF_LIMIT_BYTES ||
    after.length > DIFF_LIMIT_BYTES ||
    countLines(before, DIFF_LIMIT_LINES) > DIFF_LIMIT_LINES ||
    countLines(after, DIFF_LIMIT_LINES) > DIFF_LIMIT_LINES
  );
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop(); // a final newline ends the last line, it does not start another
  }
  return lines;
}

/**
 * One entry per line (without its line break): unchanged, added or removed, in order.
 * Too large (see isDiffTooLarge), or too different to diff within about half a second: one
 * 'removed' entry with all of `before` and one 'added' entry with all of `after` (each only
 * when non-empty), or one 'same' entry when they are equal.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  if (before === after) {
    return isDiffTooLarge(before, after) ? [{ kind: 'same', text: before }] : splitLines(before).map((text) => ({ kind: 'same', text }));
  }
  const whole = (): DiffLine[] => [
    ...(before === '' ? [] : [{ kind: 'removed' as const, text: before }]),
    ...(after === '' ? [] : [{ kind: 'added' as const, text: after }]),
  ];
  if (isDiffTooLarge(before, after)) {
    return whole();
  }
  const changes = diffLines(before, after, { timeout: 500 });
  if (!changes) {
    return whole();
  }
  const out: DiffLine[] = [];
  for (const change of changes) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    for (const text of splitLines(change.value)) {
      out.push({ kind, text });
    }
  }
  return out;
}
