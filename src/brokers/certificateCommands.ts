// Show Server Certificate: the chain a TLS broker presents, as a read-only document
// (`broker-explorer-certificate:` URIs), from a broker row or a certificate failure's notification.
// Its fixes, offered there and on the document's title bar: Choose CA File… (the issuer's
// certificate becomes the connection's CA file) and Trust This Certificate… (its SHA-256
// fingerprint is pinned in the profile and checked during every handshake; for a broker of
// .vscode/brokers.json the pin is kept in our own storage, keyed to that broker, and the file is
// never written).
import * as vscode from 'vscode';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { formatCertificateReport, pinOf, type CertificateProbe } from '../core/brokers/certificates';
import { formatEndpoint, isWorkspaceProfile, usesTls, type BrokerProfile } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { BrokerConnection } from '../core/brokers/connection';
import { registerCommand } from '../shared/commands';
import { guarded, type Logger } from '../shared/log';
import { showInfo, showWarning } from '../shared/notify';
import { quickPick } from '../shared/prompts';
import { notifyFailure } from '../shared/connectFailure';
import { editWorkspaceBroker } from './workspaceBrokers';

const SCHEME = 'broker-explorer-certificate';

/** A broker row, a broker id (a notification's action) or a certificate document (its title bar). */
type Target = BrokerConnection | string | vscode.Uri | undefined;

export function registerCertificateCommands(registry: BrokerRegistry, log: Logger): vscode.Disposable[] {
  const reports = new Map<string, string>();
  /** The probe each certificate document shows: Trust This Certificate… from it pins what the user saw. */
  const probes = new Map<string, CertificateProbe>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = { onDidChange: changed.event, provideTextDocumentContent: (uri) => reports.get(uri.toString()) ?? '' };
  return [
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    registerCommand(
      'brokerExplorer.showServerCertificate',
      guarded(log, 'Show Server Certificate', async (target?: Target) => {
        const connection = await resolve(registry, target);
        if (!connection) {
          return undefined;
        }
        const p = connection.profile;
        if (!usesTls(p)) {
          void showInfo(vscode.l10n.t('"{0}" does not use TLS: there is no certificate to show.', p.name));
          return undefined;
        }
        const endpoint = formatEndpoint(p.host, p.port);
        const probe = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the certificate of {0}…', endpoint) },
          () => connection.probeServerCertificate(),
        );
        const report = formatCertificateReport(endpoint, probe);
        const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${p.name.replace(/[^\w.-]+/g, '_') || 'broker'}-certificate.txt`, query: p.id });
        reports.set(uri.toString(), report);
        probes.set(p.id, probe);
        changed.fire(uri);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
        return report;
      }),
    ),
    registerCommand(
      'brokerExplorer.chooseCaFile',
      guarded(log, 'Choose CA File', async (target?: Target, options?: { file?: string }) => {
        const connection = await ownBroker(registry, target);
        if (!connection) {
          return undefined;
        }
        const file =
          options?.file ??
          (
            await vscode.window.showOpenDialog({
              title: vscode.l10n.t('CA certificate for "{0}"', connection.profile.name),
              openLabel: vscode.l10n.t('Trust This CA'),
              canSelectMany: false,
              filters: { [vscode.l10n.t('Certificates')]: ['pem', 'crt', 'cer'], [vscode.l10n.t('All files')]: ['*'] },
            })
          )?.[0]?.fsPath;
        if (!file) {
          return undefined;
        }
        await assertCertificateFile(file);
        const p = connection.profile;
        log.info(`"${p.name}" trusts the CA file ${file}`);
        // Trust by this CA from now on: a certificate pinned before would stand in its way.
        return saveAndConnect(registry, log, { ...p, tls: { ...p.tls, caFile: file, pinned: undefined } });
      }),
    ),
    registerCommand(
      'brokerExplorer.trustServerCertificate',
      guarded(log, 'Trust This Certificate', async (target?: Target, options?: { confirm?: boolean }) => {
        const connection = await resolve(registry, target);
        if (!connection) {
          return undefined;
        }
        const p = connection.profile;
        const workspace = isWorkspaceProfile(p);
        if (!usesTls(p)) {
          return undefined;
        }
        const endpoint = formatEndpoint(p.host, p.port);
        // From a certificate document: what it showed. Otherwise what the server presents now, shown before it is trusted.
        const seen = target instanceof vscode.Uri ? probes.get(p.id) : undefined;
        const probe = seen ?? (await connection.probeServerCertificate());
        const pin = pinOf(probe);
        if (!pin) {
          throw new Error(vscode.l10n.t('{0} presented no certificate', endpoint));
        }
        const leaf = probe.chain[0]!;
        if (options?.confirm !== false) {
          const trust = vscode.l10n.t('Trust This Certificate');
          const answer = await showWarning(
            vscode.l10n.t('Trust this certificate for "{0}" ({1})?', p.name, endpoint),
            {
              modal: true,
              detail: vscode.l10n.t(
                'Subject: {0}\nIssuer: {1}\nSHA-256: {2}\n\nOnly this exact certificate will be accepted for this connection, instead of checking its issuer and host name. Compare the fingerprint with the broker\'s own (openssl x509 -noout -fingerprint -sha256 -in its certificate) before you trust it.',
                leaf.subject,
                leaf.issuer,
                pin.sha256,
              ) + (workspace ? `\n\n${vscode.l10n.t('"{0}" comes from .vscode/brokers.json: the trust is kept on this machine for this folder\'s broker and the file is not changed. It no longer applies if the file points the broker somewhere else.', p.name)}` : ''),
            },
            trust,
          );
          if (answer !== trust) {
            return undefined;
          }
        }
        log.info(`"${p.name}" trusts the certificate with SHA-256 ${pin.sha256}${workspace ? ' (kept for this workspace broker, brokers.json unchanged)' : ''}`);
        if (workspace) {
          return connectNow(registry, log, await registry.pinWorkspaceCertificate(p.id, pin));
        }
        // Verification stays on: the pin is the check (an old "verify: false" goes).
        return saveAndConnect(registry, log, { ...p, tls: { ...p.tls, verify: undefined, pinned: pin } });
      }),
    ),
    registerCommand(
      'brokerExplorer.untrustServerCertificate',
      guarded(log, 'Stop Trusting a Pinned Certificate', async (target?: Target) => {
        const connection = typeof target === 'string' || target instanceof vscode.Uri || target ? await resolve(registry, target) : await pickPinned(registry);
        const p = connection?.profile;
        if (!connection || !p?.tls?.pinned) {
          if (p) {
            void showInfo(vscode.l10n.t('"{0}" trusts no pinned certificate: its certificate is checked against its CA.', p.name));
          }
          return undefined;
        }
        log.info(`"${p.name}" no longer trusts the certificate with SHA-256 ${p.tls.pinned.sha256}`);
        // From now on the chain and the host name are checked again.
        if (isWorkspaceProfile(p)) {
          const wasActive = connection.state.kind !== 'disconnected';
          const updated = await registry.pinWorkspaceCertificate(p.id, undefined);
          return wasActive ? connectNow(registry, log, updated) : updated.state.kind;
        }
        return (await registry.update({ ...p, tls: { ...p.tls, pinned: undefined } })).state.kind;
      }),
    ),
  ];
}

/** The brokers with a pinned certificate, to pick one (none: said so). */
async function pickPinned(registry: BrokerRegistry): Promise<BrokerConnection | undefined> {
  const pinned = registry.list().filter((c) => c.profile.tls?.pinned);
  if (!pinned.length) {
    void showInfo(vscode.l10n.t('No broker trusts a pinned certificate.'));
    return undefined;
  }
  const choice = await quickPick(
    pinned.map((c) => ({ label: c.profile.name, description: c.profile.tls?.pinned?.sha256, id: c.id })),
    { placeHolder: vscode.l10n.t('Broker whose pinned certificate to stop trusting') },
  );
  return choice ? registry.get(choice.id) : undefined;
}

/** Saves the profile's new TLS settings and connects; a failure is told. */
async function saveAndConnect(registry: BrokerRegistry, log: Logger, profile: BrokerProfile): Promise<string> {
  return connectNow(registry, log, await registry.update(profile));
}

async function connectNow(registry: BrokerRegistry, log: Logger, updated: BrokerConnection): Promise<string> {
  const state = await registry.connect(updated.id);
  if (state.kind === 'failed') {
    notifyFailure(log, updated, state);
  }
  return state.kind;
}

/** The file holds at least one PEM certificate, or a plain-words error. */
async function assertCertificateFile(file: string): Promise<void> {
  let text: string;
  try {
    text = (await readFile(file)).toString('latin1');
  } catch {
    throw new Error(vscode.l10n.t('Cannot read the CA file {0}', file));
  }
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
  try {
    new X509Certificate(pem ?? '');
  } catch {
    throw new Error(vscode.l10n.t('{0} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"): choose the CA\'s certificate, not a key', file));
  }
}

/**
 * The user's own broker to change the trust of. A workspace broker's shared settings (its CA file)
 * live in .vscode/brokers.json, which opens instead; a repository never pins a certificate.
 */
async function ownBroker(registry: BrokerRegistry, target: Target): Promise<BrokerConnection | undefined> {
  const connection = await resolve(registry, target);
  if (connection && isWorkspaceProfile(connection.profile)) {
    await editWorkspaceBroker(registry, connection);
    return undefined;
  }
  return connection;
}

async function resolve(registry: BrokerRegistry, target: Target): Promise<BrokerConnection | undefined> {
  if (typeof target === 'string') {
    return registry.get(target);
  }
  if (target instanceof vscode.Uri) {
    // A certificate document names its broker in the query.
    return target.scheme === SCHEME ? registry.get(target.query) : undefined;
  }
  return target ? registry.get(target.id) : pick(registry);
}

async function pick(registry: BrokerRegistry): Promise<BrokerConnection | undefined> {
  const tlsBrokers = registry.list().filter((c) => usesTls(c.profile));
  const choice = await quickPick(
    tlsBrokers.map((c) => ({ label: c.profile.name, description: formatEndpoint(c.profile.host, c.profile.port), id: c.id })),
    { placeHolder: vscode.l10n.t('Broker whose certificate to show') },
  );
  return choice ? registry.get(choice.id) : undefined;
}
