/** Saved connection settings. Secrets (passwords) are never part of a profile. */
export type BrokerKind = 'mqtt' | 'amqp';

interface ProfileBase {
  readonly id: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  /** Connect again when VS Code starts (true while the user keeps it connected). */
  readonly autoConnect?: boolean;
}

export interface MqttSubscription {
  readonly filter: string;
  readonly qos: 0 | 1 | 2;
}

/** Subscribing to `#` does not deliver `$SYS/#`: both, so broker statistics show too. */
export const DEFAULT_SUBSCRIPTIONS: readonly MqttSubscription[] = [
  { filter: '#', qos: 0 },
  { filter: '$SYS/#', qos: 0 },
];

export interface MqttProfile extends ProfileBase {
  readonly kind: 'mqtt';
  readonly clientId?: string;
  /** 5 (default) or 4 for MQTT 3.1.1. With 5 the tree knows which live messages are retained. */
  readonly protocolVersion?: 4 | 5;
  /** Topic filters the tree shows; DEFAULT_SUBSCRIPTIONS when absent. */
  readonly subscriptions?: readonly MqttSubscription[];
}

export interface AmqpProfile extends ProfileBase {
  readonly kind: 'amqp';
  readonly vhost: string;
}

export type BrokerProfile = MqttProfile | AmqpProfile;

export const DEFAULT_PORTS: Record<BrokerKind, number> = { mqtt: 1883, amqp: 5672 };

/** Validates host text typed by a user; returns an error sentence or undefined. */
export function validateHost(host: string): string | undefined {
  const h = host.trim();
  if (!h) {
    return 'Enter a host name or IP address';
  }
  if (/\s/.test(h)) {
    return 'A host name cannot contain spaces';
  }
  if (/^[a-z]+:\/\//i.test(h)) {
    return 'Enter only the host, without a scheme such as mqtt://';
  }
  if (h.includes('/')) {
    return 'Enter only the host, without a path';
  }
  return undefined;
}

/** Validates a port typed by a user; returns an error sentence or undefined. */
export function validatePort(port: string): string | undefined {
  const p = port.trim();
  if (!/^\d+$/.test(p)) {
    return 'The port is a number between 1 and 65535';
  }
  const n = Number(p);
  return n >= 1 && n <= 65535 ? undefined : 'The port is a number between 1 and 65535';
}

/** "host:port", with IPv6 literals bracketed. */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A readable random suffix, e.g. for client ids: "broker-explorer-3f9a1c". */
export function randomSuffix(length = 6, random = Math.random): string {
  let s = '';
  while (s.length < length) {
    s += Math.floor(random() * 16).toString(16);
  }
  return s;
}

export function newProfileId(kind: BrokerKind, random = Math.random): string {
  return `${kind}-${Date.now().toString(36)}-${randomSuffix(8, random)}`;
}
