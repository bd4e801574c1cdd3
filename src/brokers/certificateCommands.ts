// Show Server Certificate: the chain a TLS broker presents, as a read-only document
// (`broker-explorer-certificate:` URIs), from a broker row or a certificate failure's notification.
// Its fixes, offered there and on the document's title bar: Choose CA File… (the issuer's
// certificate becomes the connection's CA file).
import * as vscode from 'vscode';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { formatCertificateReport } from '../core/brokers/certificates';
import { formatEndpoint, isWorkspaceProfile, usesTls, type BrokerProfile } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { BrokerConnection } from '../core/brokers/connection';
import { registerCommand } from '../shared/commands';
import { guarded, type Logger } from '../shared/log';
import { showInfo } from '../shared/notify';
import { quickPick } from '../shared/prompts';
import { notifyFailure } from '../shared/connectFailure';
import { editWorkspaceBroker } from './workspaceBrokers';

const SCHEME = 'broker-explorer-certificate';

/** A broker row, a broker id (a notification's action) or a certificate document (its title bar). */
type Target = BrokerConnection | string | vscode.Uri | undefined;

export function registerCertificateCommands(registry: BrokerRegistry, log: Logger): vscode.Disposable[] {
  const reports = new Map<string, string>();
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
        changed.fire(uri);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
        return report;
      }),
    ),
    registerCommand(
      'brokerExplorer.chooseCaFile',
      guarded(log, 'Choose CA File', async (target?: Target, options?: { file?: string }) => {
        const connection = await resolve(registry, target);
        if (!connection) {
          return undefined;
        }
        if (isWorkspaceProfile(connection.profile)) {
          // Shared settings live in .vscode/brokers.json ("tls": { "caFile": … }); never changed from here.
          await editWorkspaceBroker(registry, connection);
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
        const profile = { ...p, tls: { ...p.tls, caFile: file } } as BrokerProfile;
        const updated = await registry.update(profile);
        log.info(`"${p.name}" trusts the CA file ${file}`);
        const state = await registry.connect(updated.id);
        if (state.kind === 'failed') {
          notifyFailure(log, updated, state);
        }
        return state.kind;
      }),
    ),
  ];
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
