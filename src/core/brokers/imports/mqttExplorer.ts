/**
 * MQTT Explorer's connections: its settings.json (the "ConnectionManager_connections" entry, a
 * dictionary of ConnectionOptions by id) or the file of its "Export connections" (the same
 * dictionary). Fields as in thomasnordquist/MQTT-Explorer app/src/model/ConnectionOptions.ts
 * (configVersion 1; certificates inline as { name, data: base64 }) and
 * app/src/actions/ConnectionManager.ts (storedConnectionsIdentifier, exportConnections).
 */
import * as l10n from '@vscode/l10n';
import { draftProfile, importSubscriptions, isObject, secret, text, tlsCertificates, transportOf, type ImportedBroker, type ImportResult, type InlineCertificate, type Json } from './imported';

export const MQTT_EXPLORER_SETTINGS_KEY = 'ConnectionManager_connections';

/** The dictionary of connections in either file, or undefined when the JSON is not MQTT Explorer's. */
export function mqttExplorerConnections(root: unknown): Json | undefined {
  const dict = isObject(root) && isObject(root[MQTT_EXPLORER_SETTINGS_KEY]) ? root[MQTT_EXPLORER_SETTINGS_KEY] : root;
  if (!isObject(dict)) {
    return undefined;
  }
  const values = Object.values(dict);
  return values.length > 0 && values.every((v) => isObject(v) && v.configVersion !== undefined && 'host' in v) ? dict : undefined;
}

export function parseMqttExplorer(dict: Json): ImportResult {
  const brokers: ImportedBroker[] = [];
  const problems: string[] = [];
  for (const [id, entry] of Object.entries(dict)) {
    if (!isObject(entry)) {
      continue;
    }
    const name = text(entry.name) ?? id;
    if (entry.configVersion !== 1) {
      problems.push(l10n.t('"{0}" skipped: configVersion {1} is not one this import knows (1)', name, JSON.stringify(entry.configVersion)));
      continue;
    }
    if (entry.type !== undefined && entry.type !== 'mqtt') {
      problems.push(l10n.t('"{0}" skipped: it is a {1} connection, not MQTT', name, JSON.stringify(entry.type)));
      continue;
    }
    const notes: string[] = [];
    const certificates: InlineCertificate[] = [];
    for (const [key, role] of [
      ['selfSignedCertificate', 'caFile'],
      ['clientCertificate', 'certFile'],
      ['clientKey', 'keyFile'],
    ] as const) {
      const cert = entry[key];
      if (isObject(cert) && typeof cert.data === 'string' && cert.data) {
        const data = Buffer.from(cert.data, 'base64');
        if (data.length === 0) {
          notes.push(l10n.t('{0} left out: it is not base64', key));
          continue;
        }
        certificates.push({ role, name: text(cert.name) ?? `${key}.pem`, data });
      }
    }
    const draft = draftProfile(
      {
        name,
        host: text(entry.host),
        port: entry.port,
        transport: transportOf(entry.protocol, entry.encryption === true),
        path: text(entry.basePath),
        clientId: text(entry.clientId),
        username: text(entry.username),
        subscriptions: importSubscriptions(entry.subscriptions, notes),
        inlineCertificates: certificates.length,
      },
      notes,
      entry.certValidation === false,
    );
    if (!draft.profile) {
      problems.push(l10n.t('"{0}" skipped: {1}', name, draft.problem ?? ''));
      continue;
    }
    brokers.push({ profile: draft.profile, password: secret(entry.password), certificates: tlsCertificates(draft.profile, certificates), notes });
  }
  return { format: 'MQTT Explorer', brokers, problems };
}
