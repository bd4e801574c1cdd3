/**
 * MQTTX's "Export Data" JSON file: one ConnectionModel, or all of them as a list (collections
 * nest theirs under `children`). Fields as in emqx/MQTTX src/types/global.d.ts (ConnectionModel,
 * SSLPath, SubscriptionModel, ClientPropertiesModel) and src/components/ExportData.vue
 * (JSON.stringify of the connection or of loadConnections()).
 */
import * as l10n from '@vscode/l10n';
import { draftProfile, tlsCertificates, importSubscriptions, isObject, protocolVersionOf, secret, text, transportOf, type ImportedBroker, type ImportResult, type InlineCertificate, type Json } from './imported';
import type { TlsOptions } from '../profile';

/** True when the parsed JSON looks like MQTTX's export (connections with clientId, host, mqttVersion). */
export function isMqttxExport(root: unknown): boolean {
  const list = Array.isArray(root) ? root : [root];
  return list.some((c) => isObject(c) && (('mqttVersion' in c && 'host' in c) || (c.isCollection === true && Array.isArray(c.children))));
}

export function parseMqttx(root: unknown): ImportResult {
  const brokers: ImportedBroker[] = [];
  const problems: string[] = [];
  const visit = (entry: unknown, collection?: string): void => {
    if (!isObject(entry)) {
      return;
    }
    if (entry.isCollection === true) {
      const name = text(entry.name);
      for (const child of Array.isArray(entry.children) ? entry.children : []) {
        visit(child, collection && name ? `${collection} / ${name}` : (name ?? collection));
      }
      return;
    }
    const result = connection(entry, collection);
    if ('problem' in result) {
      problems.push(result.problem);
    } else {
      brokers.push(result);
    }
  };
  for (const entry of Array.isArray(root) ? root : [root]) {
    visit(entry);
  }
  return { format: 'MQTTX', brokers, problems };
}

function connection(c: Json, collection: string | undefined): ImportedBroker | { problem: string } {
  const notes: string[] = [];
  const tls = c.ssl === true || c.protocol === 'mqtts' || c.protocol === 'wss';
  const transport = transportOf(c.protocol, tls);
  const certificates: InlineCertificate[] = [];
  const tlsOptions: { -readonly [K in keyof TlsOptions]: TlsOptions[K] } = {};
  // certType "self": the CA / client certificate / key files MQTTX reads (paths; a PEM pasted inline is kept as a file).
  if (c.certType === 'self' || c.ca || c.cert || c.key) {
    for (const [key, role] of [
      ['ca', 'caFile'],
      ['cert', 'certFile'],
      ['key', 'keyFile'],
    ] as const) {
      const value = text(c[key]);
      if (!value) {
        continue;
      }
      if (value.startsWith('-----BEGIN')) {
        certificates.push({ role, name: `${key}.pem`, data: new TextEncoder().encode(value) });
      } else {
        tlsOptions[role] = value;
      }
    }
  }
  const name = text(c.name);
  if (collection) {
    notes.push(l10n.t('from the MQTTX collection "{0}"', collection));
  }
  if (isObject(c.will) && text(c.will.lastWillTopic)) {
    notes.push(l10n.t('the last will ("{0}") is not carried over', text(c.will.lastWillTopic) ?? ''));
  }
  if (c.clientIdWithTime === true) {
    notes.push(l10n.t('MQTTX added the time to the client ID; here the client ID is used as it is'));
  }
  const properties = isObject(c.properties) ? c.properties : {};
  const draft = draftProfile(
    {
      name,
      host: text(c.host),
      port: c.port,
      transport,
      path: text(c.path),
      clientId: text(c.clientId),
      username: text(c.username),
      keepalive: c.keepalive,
      clean: typeof c.clean === 'boolean' ? c.clean : undefined,
      sessionExpiry: properties.sessionExpiryInterval,
      protocolVersion: protocolVersionOf(c.mqttVersion, notes),
      subscriptions: importSubscriptions(c.subscriptions, notes),
      tls: tlsOptions,
      inlineCertificates: certificates.length,
    },
    notes,
    c.rejectUnauthorized === false,
  );
  if (!draft.profile) {
    return { problem: l10n.t('"{0}" skipped: {1}', name ?? '?', draft.problem ?? '') };
  }
  return { profile: draft.profile, password: secret(c.password), certificates: tlsCertificates(draft.profile, certificates), notes };
}
