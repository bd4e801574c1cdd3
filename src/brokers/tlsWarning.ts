import * as vscode from 'vscode';
import type { BrokerConnection } from '../core/brokers/connection';
import { managementCleartextWarning, tlsUnverified } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { Logger } from '../shared/log';
import { showWarning } from '../shared/notify';

/**
 * A broker whose TLS certificate is not verified (`verify: false`, set per connection in its form
 * or in brokers.json) is marked in the tree, and the user is warned once per session: when it is
 * saved or when it starts connecting, whichever comes first. So is an AMQP broker whose management
 * API is reached over http on another machine (Basic auth carries the password in clear text).
 */
export function registerTlsWarnings(registry: BrokerRegistry, log: Logger): vscode.Disposable {
  const warned = new Set<string>();
  const warn = (connection: BrokerConnection): void => {
    const { profile } = connection;
    if (!tlsUnverified(profile) || warned.has(profile.id)) {
      return;
    }
    warned.add(profile.id);
    const message = vscode.l10n.t(
      'TLS certificate verification is off for "{0}": anyone on the network path can read and change this connection, passwords included. Turn "Verify server certificate" on in Edit Broker{1}.',
      profile.name,
      profile.source?.kind === 'workspace' ? vscode.l10n.t(' (or "tls.verify" in .vscode/brokers.json)') : '',
    );
    log.warn(`"${profile.name}": TLS certificate verification is off`);
    void showWarning(message);
  };
  // A management API over http to another machine gets the broker's password in clear text.
  const cleartextWarned = new Set<string>();
  const warnCleartext = (connection: BrokerConnection): void => {
    const { profile } = connection;
    const message = profile.kind === 'amqp' && !cleartextWarned.has(profile.id) ? managementCleartextWarning(profile) : undefined;
    if (!message) {
      return;
    }
    cleartextWarned.add(profile.id);
    log.warn(`"${profile.name}": the management API URL is http:// to another host`);
    void showWarning(message);
  };
  const sub = registry.onDidChange((change) => {
    const saved = (change.type === 'added' || change.type === 'updated') && change.connection.profile.source?.kind !== 'workspace';
    if (saved || (change.type === 'state' && change.state.kind === 'connecting')) {
      warn(change.connection);
      warnCleartext(change.connection);
    }
  });
  return { dispose: () => sub.dispose() };
}
