/**
 * One entry of `.vscode/brokers.json` → a workspace broker profile, or the plain-words reasons
 * it is refused (the rules the schema states): known keys per kind, no secrets, host, port,
 * protocol, TLS files resolved against the folder, subscriptions; and the entry's stable id.
 */
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { validateFilter } from './subscriptions';
import { receiveMaximumProblem, topicAliasMaximumProblem } from './flowControl';
import { DEFAULT_PORTS, MQTT_TRANSPORT_PORTS, parseEndpointList, validateHost, type ClusterEndpoint, type AmqpProfile, type BrokerProfile, type MqttProfile, type MqttSubscription, type MqttTransport, type TlsOptions } from './profile';
import type { WorkspaceFolderRef } from './workspaceBrokers';
import { formatProxy, parseProxy } from './proxy';

/** Why secrets in brokers.json are refused (localized when called; `NO_SECRETS_MESSAGE` is the English). */
export const noSecretsMessage = (): string => l10n.t("passwords are never read from brokers.json: you will be asked once and it is kept in VS Code's secret storage");
export const NO_SECRETS_MESSAGE = noSecretsMessage();

const SECRET_KEYS = ['password', 'passphrase', 'managementPassword', 'proxyPassword', 'secret', 'token'];
const COMMON_KEYS = ['name', 'kind', 'host', 'port', 'endpoints', 'proxy', 'protocol', 'username', 'tls', 'autoConnect'];
const MQTT_KEYS = [...COMMON_KEYS, 'path', 'clientId', 'protocolVersion', 'keepalive', 'subscriptions', 'receiveMaximum', 'topicAliasMaximum'];
const AMQP_KEYS = [...COMMON_KEYS, 'vhost', 'managementUrl', 'managementUsername'];
const TLS_KEYS = ['caFile', 'caOnly', 'certFile', 'keyFile', 'pfxFile', 'verify', 'servername', 'alpnProtocols'];
const MQTT_PROTOCOLS: readonly MqttTransport[] = ['mqtt', 'mqtts', 'ws', 'wss'];
const AMQP_PROTOCOLS = ['amqp', 'amqps'] as const;

/** "team mosquitto" → "team-mosquitto"; accents dropped; other scripts keep a hash of the name. */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || shortHash(name);
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * The same id for the same folder and broker name in every session, so its password (kept under
 * the id) and the tree's expansion survive reloads: `ws-<hash of folder path>-<slug of name>`.
 */
export function workspaceProfileId(folderPath: string, name: string): string {
  return `ws-${shortHash(folderPath)}-${slug(name)}`;
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface EntryResult {
  readonly profile?: BrokerProfile;
  readonly problems: string[];
}

export function parseEntry(entry: unknown, folder: WorkspaceFolderRef): EntryResult {
  if (!isObject(entry)) {
    return { problems: ['each broker is an object such as { "name": "dev", "kind": "mqtt", "host": "localhost" }'] };
  }
  const secrets = SECRET_KEYS.filter((k) => k in entry);
  if (secrets.length) {
    return { problems: [l10n.t('refused because it has "{0}": {1}', secrets.join('", "'), noSecretsMessage())] };
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  const str = (key: string, required = false): string | undefined => {
    const v = entry[key];
    if (v === undefined || v === null) {
      if (required) {
        errors.push(l10n.t('"{0}" is missing', key));
      }
      return undefined;
    }
    if (typeof v !== 'string' || (required && !v.trim())) {
      errors.push(required ? l10n.t('"{0}" must be a non-empty string', key) : l10n.t('"{0}" must be a string', key));
      return undefined;
    }
    return v.trim() || undefined;
  };
  const bool = (obj: Json, key: string, label = key): boolean | undefined => {
    const v = obj[key];
    if (v === undefined) {
      return undefined;
    }
    if (typeof v !== 'boolean') {
      errors.push(l10n.t('"{0}" must be true or false', label));
      return undefined;
    }
    return v;
  };

  const name = str('name', true);
  const kind = entry.kind;
  if (kind !== 'mqtt' && kind !== 'amqp') {
    errors.push(kind === undefined ? l10n.t('"kind" is missing: use "mqtt" or "amqp"') : l10n.t('unknown kind {0}: use "mqtt" or "amqp"', JSON.stringify(kind)));
  }
  const host = str('host', true);
  if (host) {
    const hostError = validateHost(host);
    if (hostError) {
      errors.push(l10n.t('bad host "{0}": {1}', host, hostError.charAt(0).toLowerCase() + hostError.slice(1)));
    }
  }
  let port: number | undefined;
  if (entry.port !== undefined) {
    if (typeof entry.port !== 'number' || !Number.isInteger(entry.port) || entry.port < 1 || entry.port > 65535) {
      errors.push(l10n.t('bad port {0}: the port is a number between 1 and 65535', JSON.stringify(entry.port)));
    } else {
      port = entry.port;
    }
  }
  const username = str('username');
  const autoConnect = bool(entry, 'autoConnect');
  const tls = parseTls(entry.tls, folder, errors, warnings);
  const proxy = parseProxyEntry(entry.proxy, errors);

  if (kind !== 'mqtt' && kind !== 'amqp') {
    return { problems: [...errors, ...warnings] };
  }
  const allowed = kind === 'mqtt' ? MQTT_KEYS : AMQP_KEYS;
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key)) {
      const other = (kind === 'mqtt' ? AMQP_KEYS : MQTT_KEYS).includes(key);
      warnings.push(other ? l10n.t('"{0}" is not an {1} setting and is ignored', key, kind.toUpperCase()) : l10n.t('unknown setting "{0}" is ignored', key));
    }
  }

  const source = { kind: 'workspace' as const, folder: folder.path, name: folder.name };
  const base = {
    id: workspaceProfileId(folder.path, name ?? ''),
    name: name ?? '',
    host: host ?? '',
    ...(username ? { username } : {}),
    ...(autoConnect !== undefined ? { autoConnect } : {}),
    ...(tls ? { tls } : {}),
    ...(proxy ? { proxy } : {}),
    source,
  };

  if (kind === 'mqtt') {
    const protocol = entry.protocol;
    if (protocol !== undefined && !MQTT_PROTOCOLS.includes(protocol as MqttTransport)) {
      errors.push(l10n.t('unknown protocol {0} for MQTT: use {1}', JSON.stringify(protocol), MQTT_PROTOCOLS.map((p) => `"${p}"`).join(', ')));
    }
    const transport = MQTT_PROTOCOLS.includes(protocol as MqttTransport) ? (protocol as MqttTransport) : undefined;
    const path = str('path');
    const clientId = str('clientId');
    let protocolVersion: 4 | 5 | undefined;
    if (entry.protocolVersion !== undefined) {
      if (entry.protocolVersion === 4 || entry.protocolVersion === 5) {
        protocolVersion = entry.protocolVersion;
      } else {
        errors.push(l10n.t('bad protocolVersion {0}: use 5 (MQTT 5) or 4 (MQTT 3.1.1)', JSON.stringify(entry.protocolVersion)));
      }
    }
    let keepalive: number | undefined;
    if (entry.keepalive !== undefined) {
      if (typeof entry.keepalive === 'number' && Number.isInteger(entry.keepalive) && entry.keepalive >= 0 && entry.keepalive <= 65535) {
        keepalive = entry.keepalive;
      } else {
        errors.push(l10n.t('bad keepalive {0}: a number of seconds between 0 and 65535', JSON.stringify(entry.keepalive)));
      }
    }
    const subscriptions = parseSubscriptions(entry.subscriptions, errors);
    // MQTT 5 flow control announced on CONNECT.
    const flow: { receiveMaximum?: number; topicAliasMaximum?: number } = {};
    for (const [key, problemOf] of [['receiveMaximum', receiveMaximumProblem], ['topicAliasMaximum', topicAliasMaximumProblem]] as const) {
      const value = entry[key];
      if (value !== undefined) {
        const problem = problemOf(value);
        if (problem) {
          errors.push(problem);
        } else {
          flow[key] = value as number;
        }
      }
    }
    const mqttPort = port ?? MQTT_TRANSPORT_PORTS[transport ?? 'mqtt'];
    const endpoints = parseEndpoints(entry.endpoints, mqttPort, errors);
    if (errors.length) {
      return { problems: [...errors, ...warnings] };
    }
    const profile: MqttProfile = {
      ...base,
      kind: 'mqtt',
      port: mqttPort,
      ...(endpoints ? { endpoints } : {}),
      ...(transport ? { protocol: transport } : {}),
      ...(path ? { path } : {}),
      ...(clientId ? { clientId } : {}),
      ...(protocolVersion ? { protocolVersion } : {}),
      ...(keepalive !== undefined ? { keepalive } : {}),
      ...(subscriptions ? { subscriptions } : {}),
      ...flow,
    };
    return { profile, problems: warnings };
  }

  const protocol = entry.protocol;
  if (protocol !== undefined && protocol !== 'amqp' && protocol !== 'amqps') {
    errors.push(l10n.t('unknown protocol {0} for AMQP: use "amqp" or "amqps"', JSON.stringify(protocol)));
  }
  const transport = AMQP_PROTOCOLS.find((p) => p === protocol);
  const vhost = entry.vhost === undefined ? '/' : str('vhost');
  const managementUrl = str('managementUrl');
  if (managementUrl && !/^https?:\/\/[^/\s]+/i.test(managementUrl)) {
    errors.push(l10n.t('bad managementUrl "{0}": use an http:// or https:// URL such as http://localhost:15672', managementUrl));
  }
  const managementUsername = str('managementUsername');
  const amqpPort = port ?? (transport === 'amqps' ? 5671 : DEFAULT_PORTS.amqp);
  const endpoints = parseEndpoints(entry.endpoints, amqpPort, errors);
  if (errors.length) {
    return { problems: [...errors, ...warnings] };
  }
  const profile: AmqpProfile = {
    ...base,
    kind: 'amqp',
    port: amqpPort,
    ...(endpoints ? { endpoints } : {}),
    vhost: vhost ?? '/',
    ...(transport ? { protocol: transport } : {}),
    ...(managementUrl ? { managementUrl } : {}),
    ...(managementUsername ? { managementUsername } : {}),
  };
  return { profile, problems: warnings };
}

/** "proxy": "none" | "system" | "socks5://user@host:port" | "http://host:port" (never a password). */
function parseProxyEntry(value: unknown, errors: string[]): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.push(l10n.t('"proxy" must be "none", "system" or a proxy URL such as {0}', '"socks5://user@proxy.corp:1080"'));
    return undefined;
  }
  const parsed = parseProxy(value);
  if (parsed.error !== undefined) {
    errors.push(l10n.t('bad proxy: {0}', parsed.error));
    return undefined;
  }
  return parsed.route.kind === 'system' ? undefined : formatProxy(parsed.route);
}

/** "endpoints": ["node2:1883", "node3"] — a cluster's other nodes; a missing port is the entry's. */
function parseEndpoints(value: unknown, defaultPort: number, errors: string[]): readonly ClusterEndpoint[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    errors.push(l10n.t('"endpoints" must be a list of "host:port" strings such as {0}', '["node2:1883", "node3:1883"]'));
    return undefined;
  }
  const parsed = parseEndpointList(value.join(' '), defaultPort);
  if (parsed.error) {
    errors.push(l10n.t('bad endpoint in "endpoints": {0}', parsed.error));
    return undefined;
  }
  return parsed.endpoints.length ? parsed.endpoints : undefined;
}

function parseTls(value: unknown, folder: WorkspaceFolderRef, errors: string[], warnings: string[]): TlsOptions | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!isObject(value)) {
    errors.push(l10n.t('"tls" must be an object such as {0}', '{ "caFile": "certs/ca.pem" }'));
    return undefined;
  }
  const tls: { -readonly [K in keyof TlsOptions]: TlsOptions[K] } = {};
  for (const key of Object.keys(value)) {
    if (SECRET_KEYS.includes(key)) {
      errors.push(l10n.t('refused because "tls" has "{0}": {1}', key, noSecretsMessage()));
    } else if (!TLS_KEYS.includes(key)) {
      warnings.push(l10n.t('unknown TLS setting "{0}" is ignored', key));
    }
  }
  for (const key of ['caFile', 'certFile', 'keyFile', 'pfxFile'] as const) {
    const v = value[key];
    if (v === undefined) {
      continue;
    }
    if (typeof v !== 'string' || !v.trim()) {
      errors.push(l10n.t('"tls.{0}" must be a file path', key));
      continue;
    }
    const file = v.trim().replace(/\$\{workspaceFolder\}/g, folder.path);
    tls[key] = isAbsolute(file) ? file : resolve(folder.path, file);
  }
  if (value.verify !== undefined) {
    if (typeof value.verify === 'boolean') {
      tls.verify = value.verify;
    } else {
      errors.push(l10n.t('"tls.verify" must be true or false'));
    }
  }
  if (value.caOnly !== undefined) {
    if (typeof value.caOnly === 'boolean') {
      tls.caOnly = value.caOnly;
    } else {
      errors.push(l10n.t('"tls.caOnly" must be true or false'));
    }
  }
  if (value.alpnProtocols !== undefined) {
    const list = value.alpnProtocols;
    if (Array.isArray(list) && list.length && list.every((v): v is string => typeof v === 'string' && /^[\x21-\x7e]{1,255}$/.test(v))) {
      tls.alpnProtocols = list;
    } else {
      errors.push(l10n.t('"tls.alpnProtocols" must be a list of protocol names such as {0}', '["x-amzn-mqtt-ca"]'));
    }
  }
  if (value.servername !== undefined) {
    if (typeof value.servername === 'string' && value.servername.trim()) {
      tls.servername = value.servername.trim();
    } else {
      errors.push(l10n.t('"tls.servername" must be a host name'));
    }
  }
  return Object.keys(tls).length ? tls : undefined;
}

function parseSubscriptions(value: unknown, errors: string[]): MqttSubscription[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    errors.push(l10n.t('"subscriptions" must be a list such as {0}', '[{ "filter": "sensors/#", "qos": 0 }]'));
    return undefined;
  }
  const subscriptions: MqttSubscription[] = [];
  value.forEach((s: unknown, i) => {
    if (!isObject(s) || typeof s.filter !== 'string' || !s.filter) {
      errors.push(l10n.t('subscriptions[{0}] needs a "filter" such as "sensors/#"', i));
      return;
    }
    const filterError = validateFilter(s.filter);
    if (filterError) {
      errors.push(l10n.t('subscriptions[{0}]: bad filter "{1}": {2}', i, s.filter, filterError.charAt(0).toLowerCase() + filterError.slice(1)));
      return;
    }
    const qos = s.qos ?? 0;
    if (qos !== 0 && qos !== 1 && qos !== 2) {
      errors.push(l10n.t('subscriptions[{0}]: bad qos {1}: use 0, 1 or 2', i, JSON.stringify(s.qos)));
      return;
    }
    const options: { nl?: boolean; rap?: boolean; rh?: 0 | 1 | 2 } = {};
    for (const key of ['nl', 'rap'] as const) {
      if (s[key] !== undefined) {
        if (typeof s[key] === 'boolean') {
          options[key] = s[key];
        } else {
          errors.push(l10n.t('subscriptions[{0}]: "{1}" must be true or false', i, key));
        }
      }
    }
    if (s.rh !== undefined) {
      if (s.rh === 0 || s.rh === 1 || s.rh === 2) {
        options.rh = s.rh;
      } else {
        errors.push(l10n.t('subscriptions[{0}]: bad rh {1}: Retain Handling is 0 (send retained messages), 1 (only on a new subscription) or 2 (never)', i, JSON.stringify(s.rh)));
      }
    }
    subscriptions.push({ filter: s.filter, qos, ...options });
  });
  return subscriptions.length ? subscriptions : undefined;
}
