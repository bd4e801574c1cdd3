import * as vscode from 'vscode';
import type { BrokerProfile } from './core/profile';
import { BrokerRegistry, type ProfileStore, type SecretStore } from './core/registry';
import { BrokerTreeProvider } from './explorer/brokerTree';
import { registerBrokerCommands } from './explorer/commands';
import { Logger } from './util/log';

const PROFILES_KEY = 'brokerExplorer.profiles';

/** What `activate` returns: used by the integration tests and by other extensions. */
export interface BrokerExplorerApi {
  readonly registry: BrokerRegistry;
  readonly mqttTree: BrokerTreeProvider;
  readonly amqpTree: BrokerTreeProvider;
  /** Folder holding this extension's log files (the "Broker Explorer" channel). */
  readonly logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): BrokerExplorerApi {
  const log = new Logger();
  context.subscriptions.push(log);

  const store: ProfileStore = {
    load: () => context.globalState.get<BrokerProfile[]>(PROFILES_KEY, []),
    save: (profiles) => Promise.resolve(context.globalState.update(PROFILES_KEY, profiles)),
  };
  const secrets: SecretStore = {
    get: (key) => Promise.resolve(context.secrets.get(key)),
    store: (key, value) => Promise.resolve(context.secrets.store(key, value)),
    delete: (key) => Promise.resolve(context.secrets.delete(key)),
  };
  const connectTimeoutMs = (): number =>
    1000 * vscode.workspace.getConfiguration('brokerExplorer.connection').get<number>('connectTimeoutSeconds', 10);
  const registry = new BrokerRegistry(store, secrets, { log, connectTimeoutMs });
  context.subscriptions.push({ dispose: () => void registry.dispose() });

  const mqttTree = new BrokerTreeProvider(registry, 'mqtt');
  const amqpTree = new BrokerTreeProvider(registry, 'amqp');
  context.subscriptions.push(
    mqttTree,
    amqpTree,
    vscode.window.createTreeView('brokerExplorer.mqtt', { treeDataProvider: mqttTree, showCollapseAll: true }),
    vscode.window.createTreeView('brokerExplorer.amqp', { treeDataProvider: amqpTree, showCollapseAll: true }),
    ...registerBrokerCommands(registry, log),
  );

  // Brokers the user left connected are connected again, after activation has returned.
  const autoConnect = registry.autoConnectIds();
  if (autoConnect.length) {
    setTimeout(() => {
      for (const id of autoConnect) {
        void registry.connect(id);
      }
    }, 0);
  }

  const { version } = context.extension.packageJSON as { version?: string };
  log.info(`Broker Explorer ${version ?? ''} activated`);
  return { registry, mqttTree, amqpTree, logUri: context.logUri };
}

export function deactivate(): void {
  // Connections are closed by the registry's disposable in context.subscriptions.
}
