// Registers Import Connections and Export Connections at activation (two registrations); the
// parsers and the flows (dist/imports.js) load on the first use of either.
import type * as vscode from 'vscode';
import type { BrokerRegistry } from '../core/brokers/registry';
import { guarded, type Logger } from '../shared/log';
import { registerCommand } from '../shared/commands';
import { showInfo, showWarning } from '../shared/notify';
import type { ConnectionTransfer, ExportArgs, ImportArgs } from './connectionImport';

export function registerConnectionTransfer(registry: BrokerRegistry, log: Logger, storageUri: vscode.Uri): vscode.Disposable[] {
  let loading: Promise<ConnectionTransfer> | undefined;
  const load = (): Promise<ConnectionTransfer> => (loading ??= import('./connectionImport').then((m) => m.createConnectionTransfer(registry, log, storageUri, { showInfo, showWarning })));
  return [
    registerCommand('brokerExplorer.importConnections', guarded(log, 'Import Connections', async (args?: ImportArgs) => (await load()).importConnections(args))),
    registerCommand('brokerExplorer.exportConnections', guarded(log, 'Export Connections', async (args?: ExportArgs) => (await load()).exportConnections(args))),
  ];
}
