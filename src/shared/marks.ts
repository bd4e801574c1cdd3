// Performance marks of activation and first paint (`brokerExplorer:<name>` in the extension host's
// performance timeline). bench/activation.ts reads them from the same process; a mark costs about
// a microsecond, so they stay in the production bundle.
import { performance } from 'node:perf_hooks';

export const MARK_PREFIX = 'brokerExplorer:';

export function mark(name: string): void {
  performance.mark(MARK_PREFIX + name);
}

/** Marks `<name>` once, the first time a provider's root children are returned (the first paint). */
export function markFirstRoot<T, R>(name: string, getChildren: (element?: T) => R): (element?: T) => R {
  let marked = false;
  return (element?: T): R => {
    const result = getChildren(element);
    if (!marked && element === undefined) {
      marked = true;
      mark(name);
    }
    return result;
  };
}
