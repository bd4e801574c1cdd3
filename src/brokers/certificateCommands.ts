// Show Server Certificate: the chain a TLS broker presents, as a read-only document
// (`broker-explorer-certificate:` URIs), from a broker row or a certificate failure's notification.
import * as vscode from 'vscode';
import { formatCertificateReport } from '../core/brokers/certificates';
import { formatEndpoint, usesTls } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { BrokerConnection } from '../core/brokers/connection';
import { registerCommand } from '../shared/commands';
import { guarded, type Logger } from '../shared/log';
import { showInfo } from '../shared/notify';
import { quickPick } from '../shared/prompts';

const SCHEME = 'broker-explorer-certificate';

export function registerCertificateCommands(registry: BrokerRegistry, log: Logger): vscode.Disposable[] {
  const reports = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = { onDidChange: changed.event, provideTextDocumentContent: (uri) => reports.get(uri.toString()) ?? '' };
  return [
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    registerCommand(
      'brokerExplorer.showServerCertificate',
      guarded(log, 'Show Server Certificate', async (target?: BrokerConnection | string) => {
        const connection = typeof target === 'string' ? registry.get(target) : target ? registry.get(target.id) : await pick(registry);
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
  ];
}

async function pick(registry: BrokerRegistry): Promise<BrokerConnection | undefined> {
  const tlsBrokers = registry.list().filter((c) => usesTls(c.profile));
  const choice = await quickPick(
    tlsBrokers.map((c) => ({ label: c.profile.name, description: formatEndpoint(c.profile.host, c.profile.port), id: c.id })),
    { placeHolder: vscode.l10n.t('Broker whose certificate to show') },
  );
  return choice ? registry.get(choice.id) : undefined;
}
