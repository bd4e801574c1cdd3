// The one notification of a failed connection: the full sentence (the tree row keeps a short
// phrase) and the action that fits — Enter Credentials… when the broker refused them, Edit Broker…
// when the client id or the virtual host is the problem, Retry otherwise — plus Show Log.
import * as vscode from 'vscode';
import type { BrokerConnection } from '../core/brokers/connection';
import { trustFixes } from '../core/brokers/certificates';
import type { ConnectionState } from '../core/brokers/state';
import type { Logger } from './log';

export type FailedState = Extract<ConnectionState, { kind: 'failed' }>;

/** States already told: the registry's watcher and a command that awaited the same connect both call this. */
const told = new WeakSet<FailedState>();

export type FailureCommand =
  | 'brokerExplorer.enterCredentials'
  | 'brokerExplorer.editBroker'
  | 'brokerExplorer.connectBroker'
  | 'brokerExplorer.showServerCertificate'
  | 'brokerExplorer.chooseCaFile'
  | 'brokerExplorer.trustServerCertificate';

export interface FailureAction {
  readonly label: string;
  readonly command: FailureCommand;
}

/** What the notification offers for a failure, and the command that does it (the first is the main one). */
export function failureActions(state: FailedState): readonly FailureAction[] {
  switch (state.cause) {
    case 'certificate':
      return [
        { label: vscode.l10n.t('Show Certificate…'), command: 'brokerExplorer.showServerCertificate' },
        // An issuer this connection does not know: its CA file fixes it, or trusting this one certificate.
        ...(trustFixes(state.certificate)
          ? ([
              { label: vscode.l10n.t('Choose CA File…'), command: 'brokerExplorer.chooseCaFile' },
              { label: vscode.l10n.t('Trust This Certificate…'), command: 'brokerExplorer.trustServerCertificate' },
            ] as const)
          : []),
      ];
    case 'credentials':
      return [{ label: vscode.l10n.t('Enter Credentials…'), command: 'brokerExplorer.enterCredentials' }];
    case 'clientId':
    case 'vhost':
      return [{ label: vscode.l10n.t('Edit Broker…'), command: 'brokerExplorer.editBroker' }];
    default:
      return [{ label: vscode.l10n.t('Retry'), command: 'brokerExplorer.connectBroker' }];
  }
}

/** Shows the failure once per state; the action runs on the broker with this id (it may have been edited since). */
export function notifyFailure(log: Logger, connection: BrokerConnection, state: FailedState): void {
  if (told.has(state)) {
    return;
  }
  told.add(state);
  const name = connection.profile.name;
  const message = state.lost ? vscode.l10n.t('Lost the connection to "{0}": {1}', name, state.reason) : vscode.l10n.t('Could not connect to "{0}": {1}', name, state.reason);
  const actions = failureActions(state);
  // The command resolves now; the notification waits for the user on its own.
  void log.showError(message, ...actions.map((a) => a.label)).then((choice) => {
    const action = actions.find((a) => a.label === choice);
    return action ? vscode.commands.executeCommand(action.command, connection.id) : undefined;
  });
}
