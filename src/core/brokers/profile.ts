import * as l10n from '@vscode/l10n';
import { commentLine, envReference, quoteWord, type ShellKind } from '../format/shellQuote';

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
  /** Set for brokers read from a folder's `.vscode/brokers.json`: shown, never saved. */
  readonly source?: ProfileSource;
  /**
   * More nodes of the same cluster (EMQX, HiveMQ, VerneMQ, RabbitMQ), tried in order after
   * host:port on every connect and reconnect. Same credentials, transport and TLS trust.
   */
  readonly endpoints?: readonly ClusterEndpoint[];
  /**
   * How this broker is reached (proxy.ts): absent or "system" as VS Code's host does (HTTP
   * through `http.proxy`, plain sockets directly), "none" directly, or "socks5://[user@]host:port" /
   * "http://[user@]host:port" through that proxy (its password is the 'proxyPassword' secret).
   */
  readonly proxy?: string;
}

/** One node of a broker cluster. */
export interface ClusterEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Every endpoint of a profile in the order they are tried: host:port first, then `endpoints`, each once. */
export function endpointsOf(profile: { readonly host: string; readonly port: number; readonly endpoints?: readonly ClusterEndpoint[] }): readonly ClusterEndpoint[] {
  const all = [{ host: profile.host, port: profile.port }, ...(profile.endpoints ?? [])];
  const seen = new Set<string>();
  return all.filter((e) => {
    const key = formatEndpoint(e.host.toLowerCase(), e.port);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * "node2:1883, node3" → endpoints (a missing port is `defaultPort`; IPv6 in brackets, "[::1]:1883").
 * Separated by commas, spaces or new lines. Returns the plain-words problem of the first bad one.
 */
export function parseEndpointList(text: string, defaultPort: number): { readonly endpoints: readonly ClusterEndpoint[]; readonly error?: string } {
  const endpoints: ClusterEndpoint[] = [];
  for (const word of text.split(/[\s,;]+/).filter(Boolean)) {
    // "mqtt://node2" would read as host "mqtt": say what validateHost says of a scheme.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(word)) {
      return { endpoints, error: `${word}: ${validateHost(word)}` };
    }
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(word) ?? /^([^:]+)(?::(.*))?$/.exec(word);
    if (!m) {
      return { endpoints, error: l10n.t('"{0}" is not host:port (write IPv6 addresses in brackets: [::1]:1883)', word) };
    }
    const host = m[1] ?? '';
    const hostError = validateHost(host);
    if (hostError) {
      return { endpoints, error: `${word}: ${hostError}` };
    }
    if (m[2] !== undefined && validatePort(m[2])) {
      return { endpoints, error: `${word}: ${validatePort(m[2])}` };
    }
    endpoints.push({ host, port: m[2] === undefined ? defaultPort : Number(m[2]) });
  }
  return { endpoints };
}

/** The endpoint list as the user writes it: "node2:1883, node3:1883". */
export function formatEndpointList(endpoints: readonly ClusterEndpoint[] | undefined): string {
  return (endpoints ?? []).map((e) => formatEndpoint(e.host, e.port)).join(', ');
}

/** A workspace broker: `folder` is the workspace folder's path, `name` its display name. */
export interface ProfileSource {
  readonly kind: 'workspace';
  readonly folder: string;
  readonly name: string;
}

/** True for a broker defined in `.vscode/brokers.json` (never persisted, edited in that file). */
export function isWorkspaceProfile(profile: { readonly source?: ProfileSource }): boolean {
  return profile.source?.kind === 'workspace';
}

export interface MqttSubscription {
  readonly filter: string;
  readonly qos: 0 | 1 | 2;
  /** MQTT 5 No Local: the broker does not send back what this connection publishes. */
  readonly nl?: boolean;
  /**
   * MQTT 5 Retain As Published (default on: the tree then knows which live messages are retained);
   * false clears the RETAIN flag on forwarded messages as MQTT 3.1.1 does.
   */
  readonly rap?: boolean;
  /** MQTT 5 Retain Handling: 0 retained messages on every subscribe (default), 1 only on a new subscription, 2 never. */
  readonly rh?: 0 | 1 | 2;
}

/** Subscribing to `#` does not deliver `$SYS/#`: both, so broker statistics show too. */
export const DEFAULT_SUBSCRIPTIONS: readonly MqttSubscription[] = [
  { filter: '#', qos: 0 },
  { filter: '$SYS/#', qos: 0 },
];

export type MqttTransport = 'mqtt' | 'mqtts' | 'ws' | 'wss';

export interface TlsOptions {
  /** PEM file of the CA(s) to trust, in addition to the default roots (unless `caOnly`). */
  readonly caFile?: string;
  /** Trust only `caFile`, not the default roots as well. */
  readonly caOnly?: boolean;
  /** PKCS#12 (.p12 / .pfx) client certificate with its key, instead of certFile + keyFile; its passphrase is the 'passphrase' secret. */
  readonly pfxFile?: string;
  /** ALPN protocols offered in the handshake, e.g. x-amzn-mqtt-ca for AWS IoT on port 443. */
  readonly alpnProtocols?: readonly string[];
  /** Client certificate and key (PEM) for mutual TLS; the key's passphrase is a secret. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Verify the server's certificate (default true). */
  readonly verify?: boolean;
  /** Server name for SNI and certificate checks, when it differs from the host. */
  readonly servername?: string;
  /**
   * Trust This Certificate: exactly this server certificate is trusted, checked during the
   * handshake by its SHA-256 fingerprint. It replaces the chain and host-name checks for that one
   * certificate (the CA file is not used); any other certificate is refused before anything is sent.
   */
  readonly pinned?: PinnedCertificate;
}

/** A server certificate the user chose to trust: its fingerprint and the certificate itself (PEM, public). */
export interface PinnedCertificate {
  /** Upper-case hex pairs joined by ":", as X509Certificate.fingerprint256. */
  readonly sha256: string;
  readonly pem: string;
}

export interface MqttProfile extends ProfileBase {
  readonly kind: 'mqtt';
  /** mqtt (default), mqtts (TLS), ws or wss (WebSockets). */
  readonly protocol?: MqttTransport;
  /** WebSocket path (default /mqtt). */
  readonly path?: string;
  readonly clientId?: string;
  /** Seconds (default 60). */
  readonly keepalive?: number;
  /** Clean start (default true). With false, the broker keeps the session (MQTT 5: for sessionExpiry seconds). */
  readonly clean?: boolean;
  readonly sessionExpiry?: number;
  readonly tls?: TlsOptions;
  /** 5 (default) or 4 for MQTT 3.1.1. With 5 the tree knows which live messages are retained. */
  readonly protocolVersion?: 4 | 5;
  /** Topic filters the tree shows; DEFAULT_SUBSCRIPTIONS when absent. */
  readonly subscriptions?: readonly MqttSubscription[];
  /** MQTT 5 Receive Maximum on CONNECT (1–65535; absent: 65535): QoS 1/2 messages the broker may have unacknowledged towards us. */
  readonly receiveMaximum?: number;
  /** MQTT 5 Topic Alias Maximum on CONNECT (0–65535; absent or 0: the broker sends no aliases). */
  readonly topicAliasMaximum?: number;
}

export interface AmqpProfile extends ProfileBase {
  readonly kind: 'amqp';
  readonly vhost: string;
  /** amqp (default) or amqps (TLS, port 5671). */
  readonly protocol?: 'amqp' | 'amqps';
  readonly tls?: TlsOptions;
  /** Heartbeat in seconds (default 30; 0 turns it off). */
  readonly heartbeat?: number;
  /** The management API (default https://host:15671 for amqps, http://host:15672 for amqp), same credentials unless managementUsername is set. */
  readonly managementUrl?: string;
  /** A user of the management API of its own; its password is the secret 'managementPassword'. */
  readonly managementUsername?: string;
  /** Exchanges and queues the user named: shown by passive checks when the management API is missing. */
  readonly watched?: { readonly exchanges?: readonly string[]; readonly queues?: readonly string[] };
}

export type BrokerProfile = MqttProfile | AmqpProfile;

export const DEFAULT_PORTS: Record<BrokerKind, number> = { mqtt: 1883, amqp: 5672 };

/**
 * The management API of an AMQP profile: its own URL, or RabbitMQ's default listener for its
 * transport — https on 15671 for amqps (the API gets the same password: never in clear text
 * because the AMQP side is encrypted), http on 15672 for amqp.
 */
export function managementUrlOf(profile: AmqpProfile): string {
  if (profile.managementUrl) {
    return profile.managementUrl;
  }
  const host = profile.host.includes(':') ? `[${profile.host}]` : profile.host;
  return profile.protocol === 'amqps' ? `https://${host}:15671` : `http://${host}:15672`;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/**
 * Why this profile's management API would carry its password in clear text (Basic auth over
 * http to a host that is not this machine), or undefined. The URL is never changed for the user:
 * the fix is theirs to make.
 */
export function managementCleartextWarning(profile: AmqpProfile): string | undefined {
  let url: URL;
  try {
    url = new URL(managementUrlOf(profile));
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || LOOPBACK.test(url.hostname)) {
    return undefined;
  }
  return l10n.t(
    'The management API of "{0}" is {1}: the password goes there in clear text every few seconds. Use an https:// management URL (RabbitMQ listens on 15671 with TLS) in Edit Broker{2}.',
    profile.name,
    url.origin,
    profile.source?.kind === 'workspace' ? l10n.t(' (or "managementUrl" in .vscode/brokers.json)') : '',
  );
}

/** The usual port of each MQTT transport. */
export const MQTT_TRANSPORT_PORTS: Record<MqttTransport, number> = { mqtt: 1883, mqtts: 8883, ws: 8080, wss: 8081 };

export function isTls(profile: MqttProfile): boolean {
  return profile.protocol === 'mqtts' || profile.protocol === 'wss';
}

/** True when the broker is reached over TLS (mqtts, wss, amqps). */
export function usesTls(profile: BrokerProfile): boolean {
  return profile.kind === 'mqtt' ? isTls(profile) : profile.protocol === 'amqps';
}

/**
 * True when a TLS connection skips the server certificate check. Verification is on unless a
 * profile says `verify: false` itself: per connection, never a global switch.
 */
export function tlsUnverified(profile: BrokerProfile): boolean {
  return usesTls(profile) && profile.tls?.verify === false;
}

/** Stands for the password in the argument list: the shell's reference to $MQTT_PASSWORD. */
const PASSWORD = '\u0000password';

/**
 * The same subscription as a `mosquitto_sub` command line. The password is never included: it
 * reads $MQTT_PASSWORD instead. WebSocket brokers get a note (mosquitto_sub has no WebSocket).
 */
export function mosquittoSubCommand(profile: MqttProfile, clientId?: string, shell: ShellKind = 'posix'): string {
  const args = ['mosquitto_sub', '-h', profile.host, '-p', String(profile.port)];
  args.push('-V', profile.protocolVersion === 4 ? 'mqttv311' : 'mqttv5');
  if (clientId ?? profile.clientId) {
    args.push('-i', clientId ?? profile.clientId ?? '');
  }
  if (profile.username) {
    args.push('-u', profile.username, '-P', PASSWORD);
  }
  if (profile.keepalive !== undefined) {
    args.push('-k', String(profile.keepalive));
  }
  if (profile.clean === false) {
    args.push('-c');
  }
  if (isTls(profile)) {
    const tls = profile.tls ?? {};
    if (tls.caFile) {
      args.push('--cafile', tls.caFile);
    } else {
      args.push('--capath', '/etc/ssl/certs');
    }
    if (tls.certFile) {
      args.push('--cert', tls.certFile);
    }
    if (tls.keyFile) {
      args.push('--key', tls.keyFile);
    }
    if (tls.verify === false) {
      args.push('--insecure');
    }
  }
  for (const s of profile.subscriptions ?? DEFAULT_SUBSCRIPTIONS) {
    args.push('-t', s.filter, '-q', String(s.qos));
  }
  args.push('-v');
  const line = args.map((a) => (a === PASSWORD ? envReference('MQTT_PASSWORD', shell) : quoteWord(a, shell))).join(' ');
  return profile.protocol === 'ws' || profile.protocol === 'wss' ? `${commentLine('mosquitto_sub cannot use WebSockets: this connects over plain MQTT', shell)}\n${line}` : line;
}

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
