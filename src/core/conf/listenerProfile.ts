// "Connect to this listener": the MQTT connection settings that reach a listener of a config.
import { isAbsolute, join, dirname, basename } from 'node:path';
import type { MqttTransport, TlsOptions } from '../brokers/profile';
import type { ListenerSection, ParsedConf } from './types';

export interface ListenerTarget {
  name: string;
  host: string;
  port: number;
  protocol: MqttTransport;
  tls?: TlsOptions;
  /** The listener authenticates clients with a password file or a plugin: ask for credentials. */
  needsCredentials: boolean;
  /** The listener wants a client certificate (require_certificate true). */
  needsClientCertificate: boolean;
}

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]', '*']);
const AUTH_OPTIONS = new Set(['password_file', 'plugin', 'auth_plugin']);

/** Why a listener cannot be connected to from here, or undefined when it can. */
export function cannotConnect(s: ListenerSection): string | undefined {
  if (s.socketPath) {
    return 'a unix socket listener';
  }
  if (!s.port) {
    return 'no port';
  }
  return undefined;
}

function resolvePath(path: string | undefined, configFile: string): string | undefined {
  if (!path) {
    return undefined;
  }
  return isAbsolute(path) ? path : join(dirname(configFile), path);
}

function needsCredentials(parsed: ParsedConf, section: ListenerSection): boolean {
  const index = parsed.sections.indexOf(section);
  return parsed.lines.some(
    (l) => l.kind === 'option' && l.name !== undefined && AUTH_OPTIONS.has(l.name.text) && (!parsed.perListenerSettings || l.section === index),
  );
}

export function listenerTarget(parsed: ParsedConf, section: ListenerSection, configFile: string): ListenerTarget {
  const host = !section.bindAddress || ANY_ADDRESS.has(section.bindAddress) ? '127.0.0.1' : section.bindAddress;
  const ws = section.protocol === 'websockets';
  const protocol: MqttTransport = ws ? (section.tls ? 'wss' : 'ws') : section.tls ? 'mqtts' : 'mqtt';
  const caFile = resolvePath(section.cafile, configFile);
  const tls: TlsOptions | undefined = section.tls ? { verify: true, ...(caFile ? { caFile } : {}) } : undefined;
  return {
    name: `${basename(configFile)} :${section.port}${section.tls ? ' (TLS)' : ''}${ws ? ' (WebSockets)' : ''}`,
    host,
    port: section.port,
    protocol,
    tls,
    needsCredentials: needsCredentials(parsed, section),
    needsClientCertificate: section.requireCertificate === true,
  };
}
