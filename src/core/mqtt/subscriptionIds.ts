/**
 * MQTT 5 subscription identifiers of one connection (MQTT 5.0 §3.8.2.1.2): each topic filter gets
 * its own number, kept for the connection's life (reconnects included), so a stored message's
 * `subscriptionIdentifier` still names the filter it matched. Read on display only: ingest keeps
 * the packet's properties by reference and does nothing more.
 */

/** The largest identifier the protocol allows (a variable byte integer). */
export const MAX_SUBSCRIPTION_ID = 268_435_455;

export class SubscriptionIds {
  private readonly byFilter = new Map<string, number>();
  /** Filters by identifier (index 0 unused: identifiers start at 1). */
  private readonly filters: string[] = [''];

  /**
   * The identifier of `filter`, given on first use. Past the protocol's 268,435,455 filters
   * (never reached in practice) the last identifier is shared and names the first filter given it.
   */
  idOf(filter: string): number {
    let id = this.byFilter.get(filter);
    if (id === undefined) {
      if (this.filters.length > MAX_SUBSCRIPTION_ID) {
        return MAX_SUBSCRIPTION_ID;
      }
      id = this.filters.length;
      this.filters.push(filter);
      this.byFilter.set(filter, id);
    }
    return id;
  }

  /** The filter an identifier was given to, or undefined for one this connection never gave. */
  filterOf(id: number): string | undefined {
    return Number.isInteger(id) && id > 0 ? this.filters[id] : undefined;
  }

  /**
   * The filters a message matched, from its `subscriptionIdentifier` property (a number, or an
   * array when several subscriptions matched); identifiers this connection never gave are shown
   * as "#N". Empty when the message carries none (MQTT 3.1.1, or a broker without identifiers).
   */
  matched(value: unknown): string[] {
    const ids = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
    const out: string[] = [];
    for (const id of ids) {
      if (typeof id === 'number') {
        const name = this.filterOf(id) ?? `#${id}`;
        if (!out.includes(name)) {
          out.push(name);
        }
      }
    }
    return out;
  }
}
