import type { MqttSubscription } from '../brokers/profile';

/**
 * MQTT topic filters: validation and matching with `+` (one level) and `#` (this level and all
 * below). Empty levels are real levels: `/a` has the levels "" and "a".
 */

/** Returns an error sentence for an invalid filter, or undefined. */
export function validateFilter(filter: string): string | undefined {
  if (filter.length === 0) {
    return 'A topic filter cannot be empty';
  }
  if (filter.includes('\u0000')) {
    return 'A topic filter cannot contain the NUL character';
  }
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return '"#" must be a whole level and the last one, as in "sensors/#"';
    }
    if (level.includes('+') && level !== '+') {
      return '"+" must be a whole level, as in "sensors/+/temperature"';
    }
  }
  return undefined;
}

/** "#:0, $SYS/#:0" from subscriptions. */
export function formatSubscriptions(subs: readonly MqttSubscription[]): string {
  return subs.map((s) => `${s.filter}:${s.qos}`).join(', ');
}

/** Subscriptions from "filter[:qos], …", or an error sentence. */
export function parseSubscriptions(text: string): MqttSubscription[] | string {
  const subs: MqttSubscription[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.*?)(?::([012]))?$/.exec(part)!;
    const filter = m[1]!.trim();
    const error = validateFilter(filter);
    if (error) {
      return `${filter || '(empty)'}: ${error}`;
    }
    subs.push({ filter, qos: Number(m[2] ?? 0) as 0 | 1 | 2 });
  }
  return subs.length ? subs : 'Add at least one topic filter, e.g. #';
}

/** Returns an error sentence for a topic that cannot be published to, or undefined. */
export function validateTopic(topic: string): string | undefined {
  if (topic.length === 0) {
    return 'A topic cannot be empty';
  }
  if (/[+#]/.test(topic)) {
    return 'A topic to publish to cannot contain the wildcards + or #';
  }
  if (topic.includes('\u0000')) {
    return 'A topic cannot contain the NUL character';
  }
  return undefined;
}

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
