import * as l10n from '@vscode/l10n';

/**
 * What an MQTT 5 broker says it allows, from its CONNACK properties (MQTT 5.0 §3.2.2.3), with the
 * specification's value where a property is absent. An MQTT 3.1.1 broker sends no properties: it
 * gets the same defaults (everything allowed, no limits).
 */
export interface ServerCapabilities {
  /** Highest QoS the broker accepts on PUBLISH (Maximum QoS; 2 when absent). */
  readonly maximumQoS: 0 | 1 | 2;
  readonly retainAvailable: boolean;
  readonly wildcardSubscriptionAvailable: boolean;
  readonly sharedSubscriptionAvailable: boolean;
  readonly subscriptionIdentifiersAvailable: boolean;
  /** Bytes of the largest packet the broker accepts; undefined: no limit beyond the protocol's. */
  readonly maximumPacketSize?: number;
  /** Topic aliases the broker accepts from us (0: none). */
  readonly topicAliasMaximum: number;
  /** QoS 1/2 PUBLISH packets the broker handles at once (65,535 when absent). */
  readonly receiveMaximum: number;
  /** Keepalive the broker imposes, in seconds, when it overrides ours. */
  readonly serverKeepAlive?: number;
}

export const DEFAULT_CAPABILITIES: ServerCapabilities = {
  maximumQoS: 2,
  retainAvailable: true,
  wildcardSubscriptionAvailable: true,
  sharedSubscriptionAvailable: true,
  subscriptionIdentifiersAvailable: true,
  topicAliasMaximum: 0,
  receiveMaximum: 65535,
};

/** mqtt.js's names of the CONNACK properties. */
interface ConnackProperties {
  readonly maximumQoS?: unknown;
  readonly retainAvailable?: unknown;
  readonly wildcardSubscriptionAvailable?: unknown;
  readonly sharedSubscriptionAvailable?: unknown;
  readonly subscriptionIdentifiersAvailable?: unknown;
  readonly maximumPacketSize?: unknown;
  readonly topicAliasMaximum?: unknown;
  readonly receiveMaximum?: unknown;
  readonly serverKeepAlive?: unknown;
}

const flag = (v: unknown, dflt: boolean): boolean => (typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : dflt);
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

/** The capabilities a CONNACK's properties (undefined for MQTT 3.1.1) give. */
export function serverCapabilities(properties: ConnackProperties | undefined): ServerCapabilities {
  const p = properties ?? {};
  const qos = count(p.maximumQoS);
  const size = count(p.maximumPacketSize);
  const keepAlive = count(p.serverKeepAlive);
  const receive = count(p.receiveMaximum);
  return {
    maximumQoS: qos === 0 || qos === 1 ? qos : 2,
    retainAvailable: flag(p.retainAvailable, true),
    wildcardSubscriptionAvailable: flag(p.wildcardSubscriptionAvailable, true),
    sharedSubscriptionAvailable: flag(p.sharedSubscriptionAvailable, true),
    subscriptionIdentifiersAvailable: flag(p.subscriptionIdentifiersAvailable, true),
    ...(size ? { maximumPacketSize: size } : {}),
    topicAliasMaximum: count(p.topicAliasMaximum) ?? 0,
    receiveMaximum: receive ? receive : 65535,
    ...(keepAlive !== undefined ? { serverKeepAlive: keepAlive } : {}),
  };
}

/** The limits that differ from "everything allowed", one phrase each (for the broker's tooltip). */
export function describeCapabilities(c: ServerCapabilities): string[] {
  const out: string[] = [];
  if (c.maximumQoS < 2) {
    out.push(l10n.t('maximum QoS {0}', c.maximumQoS));
  }
  if (!c.retainAvailable) {
    out.push(l10n.t('no retained messages'));
  }
  if (!c.wildcardSubscriptionAvailable) {
    out.push(l10n.t('no wildcard subscriptions'));
  }
  if (!c.sharedSubscriptionAvailable) {
    out.push(l10n.t('no shared subscriptions'));
  }
  if (!c.subscriptionIdentifiersAvailable) {
    out.push(l10n.t('no subscription identifiers'));
  }
  if (c.maximumPacketSize !== undefined) {
    out.push(l10n.t('packets up to {0} bytes', c.maximumPacketSize.toLocaleString('en-US')));
  }
  if (c.receiveMaximum < 65535) {
    out.push(l10n.t('receive maximum {0}', c.receiveMaximum));
  }
  if (c.topicAliasMaximum > 0) {
    out.push(l10n.t('topic aliases up to {0}', c.topicAliasMaximum));
  }
  if (c.serverKeepAlive !== undefined) {
    out.push(l10n.t('keepalive set by the broker to {0} s', c.serverKeepAlive));
  }
  return out;
}

/** `$share/group/filter` → its group and filter; undefined for an ordinary filter. */
export function sharedSubscription(filter: string): { readonly group: string; readonly filter: string } | undefined {
  const m = /^\$share\/([^/+#]+)\/(.+)$/.exec(filter);
  return m ? { group: m[1] as string, filter: m[2] as string } : undefined;
}

/** Why the broker would refuse this subscription by what it announced, in words; undefined if it allows it. */
export function subscriptionRefusal(filter: string, c: ServerCapabilities): string | undefined {
  const shared = sharedSubscription(filter);
  if (shared && !c.sharedSubscriptionAvailable) {
    return l10n.t('{0}: the broker does not allow shared subscriptions', filter);
  }
  if (/(^|\/)[+#](\/|$)/.test(shared?.filter ?? filter) && !c.wildcardSubscriptionAvailable) {
    return l10n.t('{0}: the broker does not allow wildcard subscriptions (+, #); subscribe to whole topic names', filter);
  }
  return undefined;
}

/**
 * Why the broker would refuse this PUBLISH by what it announced, in words; undefined if it takes
 * it. `bytes` is the payload's size (the packet adds the topic and header: counted here too).
 */
export function publishRefusal(message: { readonly topic: string; readonly qos: number; readonly retain?: boolean; readonly bytes: number }, c: ServerCapabilities): string | undefined {
  if (message.qos > c.maximumQoS) {
    return l10n.t('the broker accepts QoS {0} at most (its CONNACK says so); send with QoS {0}', c.maximumQoS);
  }
  if (message.retain && !c.retainAvailable) {
    return l10n.t('the broker does not keep retained messages (Retain Available is off); send without Retain');
  }
  if (c.maximumPacketSize !== undefined) {
    // Fixed header (≤ 5), topic length and name, packet id, properties length: a close upper bound.
    const packet = message.bytes + Buffer.byteLength(message.topic) + 16;
    if (packet > c.maximumPacketSize) {
      return l10n.t('the message is {0} bytes and the broker accepts packets up to {1} bytes', packet.toLocaleString('en-US'), c.maximumPacketSize.toLocaleString('en-US'));
    }
  }
  return undefined;
}
