/**
 * Our own profiles → `.vscode/brokers.json` entries a team can share: what parseEntry
 * (brokersJsonEntry.ts) reads back to the same profile, never a secret (each user is asked for
 * the password once), files inside the folder written relative to it, defaults left out.
 */
import * as l10n from '@vscode/l10n';
import { relative, isAbsolute, sep } from 'node:path';
import { applyEdits, modify, parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { isObject, type Json } from '../brokersJsonEntry';
import { describeJsonError, stripJsonc } from '../jsonc';
import { formatEndpoint, MQTT_TRANSPORT_PORTS, DEFAULT_PORTS, type BrokerProfile, type TlsOptions } from '../profile';

export function brokersJsonEntry(profile: BrokerProfile, folderPath: string): Json {
  const entry: Json = { name: profile.name, kind: profile.kind, host: profile.host };
  const defaultPort = profile.kind === 'mqtt' ? MQTT_TRANSPORT_PORTS[profile.protocol ?? 'mqtt'] : profile.protocol === 'amqps' ? 5671 : DEFAULT_PORTS.amqp;
  if (profile.port !== defaultPort) {
    entry.port = profile.port;
  }
  if (profile.endpoints?.length) {
    entry.endpoints = profile.endpoints.map((e) => formatEndpoint(e.host, e.port));
  }
  if (profile.proxy && profile.proxy !== 'system') {
    // The URL carries the proxy user only; its password stays in secret storage.
    entry.proxy = profile.proxy;
  }
  if (profile.protocol && profile.protocol !== 'mqtt' && profile.protocol !== 'amqp') {
    entry.protocol = profile.protocol;
  }
  if (profile.username) {
    entry.username = profile.username;
  }
  if (profile.kind === 'mqtt') {
    if (profile.path && profile.path !== '/mqtt') {
      entry.path = profile.path;
    }
    if (profile.clientId) {
      entry.clientId = profile.clientId;
    }
    if (profile.protocolVersion === 4) {
      entry.protocolVersion = 4;
    }
    if (profile.keepalive !== undefined) {
      entry.keepalive = profile.keepalive;
    }
    if (profile.subscriptions) {
      entry.subscriptions = profile.subscriptions.map((s) => ({ filter: s.filter, qos: s.qos, ...(s.nl ? { nl: true } : {}), ...(s.rap === false ? { rap: false } : {}), ...(s.rh ? { rh: s.rh } : {}) }));
    }
  } else {
    if (profile.vhost !== '/') {
      entry.vhost = profile.vhost;
    }
    if (profile.managementUrl) {
      entry.managementUrl = profile.managementUrl;
    }
    if (profile.managementUsername) {
      entry.managementUsername = profile.managementUsername;
    }
  }
  const tls = tlsEntry(profile.tls, folderPath);
  if (tls) {
    entry.tls = tls;
  }
  return entry;
}

/** What brokers.json cannot hold of a profile, in plain words (shown before writing). */
export function exportNotes(profile: BrokerProfile): string[] {
  const notes: string[] = [];
  if (profile.username) {
    notes.push(l10n.t('the password stays in your secret storage: each teammate is asked for theirs once'));
  }
  if (profile.tls?.pinned) {
    notes.push(l10n.t('the trusted certificate (fingerprint {0}) is not shared: teammates confirm it themselves', profile.tls.pinned.sha256.slice(0, 23) + '…'));
  }
  if (profile.kind === 'mqtt' && (profile.clean === false || profile.sessionExpiry !== undefined)) {
    notes.push(l10n.t('the persistent session setting is not shared (brokers.json has none)'));
  }
  return notes;
}

function tlsEntry(tls: TlsOptions | undefined, folderPath: string): Json | undefined {
  if (!tls) {
    return undefined;
  }
  const out: Json = {};
  for (const key of ['caFile', 'certFile', 'keyFile', 'pfxFile'] as const) {
    const file = tls[key];
    if (file) {
      const rel = relative(folderPath, file);
      out[key] = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file;
    }
  }
  if (tls.caOnly) {
    out.caOnly = true;
  }
  if (tls.verify === false) {
    out.verify = false;
  }
  if (tls.servername) {
    out.servername = tls.servername;
  }
  if (tls.alpnProtocols?.length) {
    out.alpnProtocols = [...tls.alpnProtocols];
  }
  return Object.keys(out).length ? out : undefined;
}

export interface MergedBrokersJson {
  readonly text: string;
  /** Names written. */
  readonly added: readonly string[];
  /** Names already in the file, left as they are there. */
  readonly kept: readonly string[];
}

/**
 * The new brokers.json text: the entries appended to the file's "brokers" list, its comments and
 * layout kept (jsonc-parser edits the text); a broker whose name is already there is left as the
 * file has it.
 */
export function mergeBrokersJson(existing: string | undefined, entries: readonly Json[]): MergedBrokersJson | { readonly error: string } {
  let text = existing?.trim() ? existing : '{\n  "brokers": []\n}\n';
  const errors: ParseError[] = [];
  const root: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length) {
    const clean = stripJsonc(text);
    let why: string = errors[0] ? printParseErrorCode(errors[0].error) : '';
    try {
      JSON.parse(clean);
    } catch (err) {
      why = describeJsonError(err, clean);
    }
    return { error: l10n.t('brokers.json is not valid JSON: {0}', why) };
  }
  if (!isObject(root) || (root.brokers !== undefined && !Array.isArray(root.brokers))) {
    return { error: l10n.t('brokers.json needs a "brokers" list: {0}', '{ "brokers": [ { "name": …, "kind": "mqtt", "host": … } ] }') };
  }
  const list = (root.brokers ?? []) as unknown[];
  const names = new Set(list.map((b) => (isObject(b) && typeof b.name === 'string' ? b.name.trim().toLowerCase() : '')));
  const added: string[] = [];
  const kept: string[] = [];
  const format = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };
  if (root.brokers === undefined) {
    text = applyEdits(text, modify(text, ['brokers'], [], format));
  }
  let index = list.length;
  for (const entry of entries) {
    const name = String(entry.name);
    if (names.has(name.trim().toLowerCase())) {
      kept.push(name);
      continue;
    }
    names.add(name.trim().toLowerCase());
    text = applyEdits(text, modify(text, ['brokers', index++], entry, { ...format, isArrayInsertion: true }));
    added.push(name);
  }
  return { text: text.endsWith('\n') ? text : text + '\n', added, kept };
}
