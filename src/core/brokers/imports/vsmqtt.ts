/**
 * vsmqtt's broker profiles: the "vsmqtt.brokerProfiles" list in a settings.json (workspace or
 * user). Fields as in rpdswtk/vsmqtt src/interfaces/MqttBrokerConfig.ts (protocol
 * mqtt/mqtts/tcp/ssl/ws/wss/wx/wxs, ca/cert/key as file paths, passphrase, savedSubscriptions,
 * insecure / rejectUnauthorized) and src/interfaces/MqttSubscription.ts ({ topic, qos }).
 */
import * as l10n from '@vscode/l10n';
import { draftProfile, importSubscriptions, isObject, secret, text, tlsCertificates, transportOf, type ImportedBroker, type ImportResult, type InlineCertificate } from './imported';
import type { TlsOptions } from '../profile';

export const VSMQTT_SETTING = 'vsmqtt.brokerProfiles';

/** `folder`: the workspace folder that `${workspaceFolder}` in a path stands for (vsmqtt's profiles live in its settings). */
export function parseVsmqtt(list: unknown, folder?: string): ImportResult {
  const brokers: ImportedBroker[] = [];
  const problems: string[] = [];
  (Array.isArray(list) ? list : []).forEach((entry: unknown, index) => {
    if (!isObject(entry)) {
      return;
    }
    const name = text(entry.name) ?? `${VSMQTT_SETTING}[${index}]`;
    const notes: string[] = [];
    const tls: { -readonly [K in keyof TlsOptions]: TlsOptions[K] } = {};
    const certificates: InlineCertificate[] = [];
    for (const [key, inline, role] of [
      ['ca', 'caString', 'caFile'],
      ['cert', 'certString', 'certFile'],
      ['key', 'keytring', 'keyFile'],
    ] as const) {
      const path = folder ? text(entry[key])?.replace(/\$\{workspaceFolder\}/g, folder) : text(entry[key]);
      const pem = text(entry[inline]) ?? (key === 'key' ? text(entry.keyString) : undefined);
      if (path && !path.startsWith('-----BEGIN')) {
        tls[role] = path;
      } else if (pem ?? path) {
        certificates.push({ role, name: `${key}.pem`, data: new TextEncoder().encode(pem ?? path) });
      }
    }
    if (entry.promptCredentials === true) {
      notes.push(l10n.t('vsmqtt asked for the credentials on each connect: you will be asked for the password here once'));
    }
    const draft = draftProfile(
      {
        name,
        host: text(entry.host),
        port: entry.port,
        transport: transportOf(entry.protocol, false),
        path: text(entry.path),
        clientId: text(entry.clientId),
        username: text(entry.username),
        keepalive: entry.keepalive,
        subscriptions: importSubscriptions(entry.savedSubscriptions, notes),
        tls,
        inlineCertificates: certificates.length,
      },
      notes,
      entry.insecure === true || entry.rejectUnauthorized === false,
    );
    if (!draft.profile) {
      problems.push(l10n.t('"{0}" skipped: {1}', name, draft.problem ?? ''));
      return;
    }
    brokers.push({ profile: draft.profile, password: secret(entry.password), passphrase: secret(entry.passphrase), certificates: tlsCertificates(draft.profile, certificates), notes });
  });
  return { format: 'vsmqtt', brokers, problems };
}
