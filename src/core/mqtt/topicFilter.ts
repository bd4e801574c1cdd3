import { validateFilter } from '../brokers/subscriptions';

/**
 * MQTT topic filters: matching (the syntax checks are in core/brokers/subscriptions.ts) with `+` (one level) and `#` (this level and all
 * below). Empty levels are real levels: `/a` has the levels "" and "a".
 */

/** A compiled filter: split once, then match many topics (or topic level arrays) quickly. */
export class TopicFilter {
  readonly levels: readonly string[];

  constructor(readonly filter: string) {
    const error = validateFilter(filter);
    if (error) {
      throw new Error(error);
    }
    this.levels = filter.split('/');
  }

  /** True when the filter has no wildcards. */
  get isExact(): boolean {
    return !this.levels.some((l) => l === '+' || l === '#');
  }

  matches(topic: string): boolean {
    return this.matchesLevels(topic.split('/'));
  }

  matchesLevels(topicLevels: readonly string[]): boolean {
    const f = this.levels;
    // Topics starting with $ are not matched by a leading wildcard (MQTT 3.1.1 §4.7.2).
    if (topicLevels[0]?.startsWith('$') && (f[0] === '+' || f[0] === '#')) {
      return false;
    }
    for (let i = 0; i < f.length; i++) {
      const level = f[i];
      if (level === '#') {
        return true;
      }
      if (i >= topicLevels.length) {
        return false;
      }
      if (level !== '+' && level !== topicLevels[i]) {
        return false;
      }
    }
    return f.length === topicLevels.length;
  }

  /**
   * Could a topic below the node at `prefixLevels` match? Used to prune a tree walk: false
   * means no descendant can match.
   */
  couldMatchBelow(prefixLevels: readonly string[]): boolean {
    const f = this.levels;
    if (prefixLevels[0]?.startsWith('$') && (f[0] === '+' || f[0] === '#')) {
      return false;
    }
    for (let i = 0; i < prefixLevels.length; i++) {
      const level = f[i];
      if (level === '#') {
        return true;
      }
      if (level === undefined) {
        return false;
      }
      if (level !== '+' && level !== prefixLevels[i]) {
        return false;
      }
    }
    return true;
  }
}

export function topicMatches(filter: string, topic: string): boolean {
  return new TopicFilter(filter).matches(topic);
}
