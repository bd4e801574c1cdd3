/**
 * Connections read from another tool (MQTTX, MQTT Explorer, vsmqtt, a mosquitto_sub command line),
 * before anything is added: the profile as Broker Explorer would save it, the secrets that go to
 * SecretStorage (never into the profile), certificates that must become files first, and in plain
 * words what could not be carried over.
 */
import * as l10n from '@vscode/l10n';
import { isObject } from '../brokersJsonEntry';
import { validateFilter } from '../subscriptions';
import { MQTT_TRANSPORT_PORTS, validateHost, type MqttProfile, type MqttSubscription, type MqttTransport, type TlsOptions } from '../profile';

/** A profile without its id: the id is made when the user adds it. */
export type ImportedProfile = Omit<MqttProfile, 'id'>;

/** A certificate the other tool kept inline (MQTT Explorer keeps them base64 in its settings): written to a file on import. */
export interface InlineCertificate {
  readonly role: 'caFile' | 'certFile' | 'keyFile';
  /** The file name the other tool showed, e.g. "ca.crt". */
  readonly name: string;
  readonly data: Uint8Array;
}

export interface ImportedBroker {
  readonly profile: ImportedProfile;
  /** Secrets for SecretStorage: the broker password and a client key's passphrase. */
  readonly password?: string;
  readonly passphrase?: string;
  /** The password of the profile's proxy (mosquitto_sub --proxy socks5h://user:password@…). */
  readonly proxyPassword?: string;
  readonly certificates: readonly InlineCertificate[];
  /** What was not carried over or was changed, in plain words (shown in the preview and the log). */
  readonly notes: readonly string[];
}

export interface ImportResult {
  /** The tool the text came from, for the preview's title: "MQTTX", "MQTT Explorer"… */
  readonly format: string;
  readonly brokers: readonly ImportedBroker[];
  /** Entries that were skipped, each with its reason. */
  readonly problems: readonly string[];
}

export { isObject, type Json } from '../brokersJsonEntry';

export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** A secret as the other tool stored it: kept exactly (a password may start or end with a space). */
export function secret(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function integer(v: unknown, min: number, max: number): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** mqtt:// tcp:// → mqtt; mqtts:// ssl:// tls:// → mqtts; ws, wss as they are. */
export function transportOf(protocol: unknown, tls: boolean): MqttTransport {
  const p = typeof protocol === 'string' ? protocol.toLowerCase().replace(/:\/*$/, '') : '';
  if (p === 'ws' || p === 'wx') {
    return tls ? 'wss' : 'ws';
  }
  if (p === 'wss' || p === 'wxs') {
    return 'wss';
  }
  if (p === 'mqtts' || p === 'ssl' || p === 'tls') {
    return 'mqtts';
  }
  return tls ? 'mqtts' : 'mqtt';
}

/** Topic + QoS (+ MQTT 5 options) from another tool; bad filters are dropped with a note. */
export function importSubscriptions(list: unknown, notes: string[], topicKey = 'topic'): MqttSubscription[] | undefined {
  if (!Array.isArray(list)) {
    return undefined;
  }
  const subscriptions: MqttSubscription[] = [];
  for (const s of list) {
    const value = isObject(s) ? s[topicKey] : undefined;
    const filter = typeof value === 'string' ? value : undefined;
    if (!isObject(s) || !filter) {
      continue;
    }
    const problem = validateFilter(filter);
    if (problem) {
      notes.push(l10n.t('subscription "{0}" left out: {1}', filter, problem));
      continue;
    }
    if (subscriptions.some((x) => x.filter === filter)) {
      continue;
    }
    const qos = s.qos === 1 || s.qos === 2 ? s.qos : 0;
    subscriptions.push({
      filter,
      qos,
      ...(typeof s.nl === 'boolean' && s.nl ? { nl: true } : {}),
      ...(typeof s.rap === 'boolean' && !s.rap ? { rap: false } : {}),
      ...(s.rh === 1 || s.rh === 2 ? { rh: s.rh } : {}),
    });
  }
  return subscriptions.length ? subscriptions : undefined;
}

export interface DraftFields {
  readonly name?: string;
  readonly host?: string;
  readonly port?: unknown;
  readonly transport: MqttTransport;
  readonly path?: string;
  readonly clientId?: string;
  readonly username?: string;
  readonly keepalive?: unknown;
  readonly clean?: boolean;
  readonly sessionExpiry?: unknown;
  readonly protocolVersion?: 4 | 5;
  readonly subscriptions?: readonly MqttSubscription[];
  readonly tls?: TlsOptions;
  /** Certificates kept inline by the other tool (they become files only for a TLS connection). */
  readonly inlineCertificates?: number;
}

/**
 * The profile for one imported connection, or the reason it cannot be one. Certificate checks
 * stay on whatever the other tool did: a note says so when it had them off (the user can trust the
 * server's certificate by its fingerprint after the first attempt, never switch checks off globally).
 */
export function draftProfile(fields: DraftFields, notes: string[], verifyWasOff: boolean): { profile?: ImportedProfile; problem?: string } {
  const host = fields.host?.trim();
  if (!host) {
    return { problem: l10n.t('it has no host') };
  }
  const hostProblem = validateHost(host);
  if (hostProblem) {
    return { problem: l10n.t('bad host "{0}": {1}', host, hostProblem) };
  }
  const port = integer(fields.port, 1, 65535) ?? MQTT_TRANSPORT_PORTS[fields.transport];
  if (fields.port !== undefined && fields.port !== '' && integer(fields.port, 1, 65535) === undefined) {
    notes.push(l10n.t('port {0} is not a port: {1} used', JSON.stringify(fields.port), port));
  }
  const tlsTransport = fields.transport === 'mqtts' || fields.transport === 'wss';
  if (verifyWasOff && tlsTransport) {
    notes.push(l10n.t('certificate checks were off there; here they are on (if the broker uses a self-signed certificate, choose "Trust this certificate" after the first attempt)'));
  }
  const keepalive = integer(fields.keepalive, 0, 65535);
  const sessionExpiry = integer(fields.sessionExpiry, 0, 0xffffffff);
  const name = fields.name?.trim() || `${host}:${port}`;
  const path = fields.transport === 'ws' || fields.transport === 'wss' ? normalisePath(fields.path) : undefined;
  const profile: ImportedProfile = {
    kind: 'mqtt',
    name,
    host,
    port,
    ...(fields.transport !== 'mqtt' ? { protocol: fields.transport } : {}),
    ...(path && path !== '/mqtt' ? { path } : {}),
    ...(fields.clientId ? { clientId: fields.clientId } : {}),
    ...(fields.username ? { username: fields.username } : {}),
    ...(keepalive !== undefined && keepalive !== 60 ? { keepalive } : {}),
    ...(fields.clean === false ? { clean: false } : {}),
    ...(fields.clean === false && sessionExpiry ? { sessionExpiry } : {}),
    // MQTT 5 is the default here.
    ...(fields.protocolVersion === 4 ? { protocolVersion: 4 as const } : {}),
    ...(fields.subscriptions?.length ? { subscriptions: fields.subscriptions } : {}),
    ...(tlsTransport && fields.tls && Object.keys(fields.tls).length ? { tls: fields.tls } : {}),
  };
  if (!tlsTransport && (fields.tls?.caFile || fields.tls?.certFile || fields.inlineCertificates)) {
    notes.push(l10n.t('certificates left out: the connection does not use TLS'));
  }
  return { profile };
}

function normalisePath(path: string | undefined): string | undefined {
  const p = path?.trim();
  if (!p) {
    return undefined;
  }
  return p.startsWith('/') ? p : `/${p}`;
}

/** "3.1.1" / "5.0" / 4 / 5 / "mqttv311" → the protocol version we speak, with a note for MQTT 3.1. */
export function protocolVersionOf(v: unknown, notes: string[]): 4 | 5 | undefined {
  const s = typeof v === 'string' || typeof v === 'number' ? String(v).toLowerCase() : '';
  if (s === '5' || s === '5.0' || s === 'mqttv5') {
    return 5;
  }
  if (s === '4' || s === '3.1.1' || s === 'mqttv311') {
    return 4;
  }
  if (s === '3' || s === '3.1' || s === 'mqttv31') {
    notes.push(l10n.t('MQTT 3.1 is not supported: MQTT 3.1.1 used'));
    return 4;
  }
  return undefined;
}

/** Inline certificates matter only to a TLS connection (draftProfile said so in a note otherwise). */
export function tlsCertificates(profile: ImportedProfile, certificates: readonly InlineCertificate[]): readonly InlineCertificate[] {
  return profile.protocol === 'mqtts' || profile.protocol === 'wss' ? certificates : [];
}
