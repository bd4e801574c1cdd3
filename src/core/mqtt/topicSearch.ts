import { TopicFilter } from './topicFilter';

/** What Filter Topics matches: a topic filter (with + and #) or, when it is not a valid filter or has no wildcard, a text to find (case-insensitive). */
export class TopicSearch {
  private readonly filter: TopicFilter | undefined;
  private readonly text: string;

  constructor(readonly query: string) {
    let filter: TopicFilter | undefined;
    try {
      filter = /[+#]/.test(query) ? new TopicFilter(query) : undefined;
    } catch {
      filter = undefined;
    }
    this.filter = filter;
    this.text = query.toLowerCase();
  }

  matches(topic: string): boolean {
    return this.filter ? this.filter.matches(topic) : topic.toLowerCase().includes(this.text);
  }
}
