import * as vscode from 'vscode';
import type { BrokerProfile } from './core/brokers/profile';
import type { SecretStore } from './core/brokers/brokerSecrets';
import { BrokerRegistry, type ProfileStore } from './core/brokers/registry';
import type { PinStore, StoredPin } from './core/brokers/workspacePins';
import { MqttTreeProvider } from './mqtt/mqttTree';
import { AmqpTreeProvider } from './amqp/amqpTree';
import { registerAmqpCommands } from './amqp/amqpCommands';
import { TapManager } from './core/amqp/taps';
import { registerBrokerCommands } from './brokers/commands';
import { registerConnectionTransfer } from './brokers/connectionImportLazy';
import { registerLocalBrokerCommands } from './brokers/localBroker';
import { BrokerStatusBar } from './brokers/statusBar';
import { mqttPublishTarget, registerTopicCommands } from './mqtt/topicCommands';
import { amqpPublishTarget } from './amqp/amqpItems';
import { registerPublishCommand } from './panels/publishCommand';
import { registerWalkthrough } from './brokers/walkthrough';
import { registerWorkspaceBrokers } from './brokers/workspaceBrokers';
import { registerConfLanguage, type ConfLanguageApi } from './conf/confLanguageLazy';
import { Panels } from './panels/panels';
import { LazyDecoders, type LoadedDecoders } from './codecs/decodersLazy';
import type { HintSource } from './core/codecs/messageHints';
import { TREE_DECODE_BYTES } from './core/mqtt/treeDecodes';
import { SparkplugTracker, SparkplugTreeProvider, type SparkplugElement } from './codecs/sparkplug';
import { publishEncodingHost } from './codecs/publishEncoding';
import { PanelPostCounts } from './panels/panelPostCounts';
import { registerPublishSelection } from './messageFiles/publishSelection';
import { registerMessageFiles, type MessageFilesApi } from './messageFiles/messageFilesLazy';
import { registerAgentTools } from './agent/agentLazy';
import type { TopicModelOptions } from './core/mqtt/topicModel';
import { MqttConnection } from './core/mqtt/mqttConnection';
import { connectionFactory } from './core';
import { Logger } from './shared/log';
import { recordNotifications, type ShownNotification } from './shared/notify';
import { registerTlsWarnings } from './brokers/tlsWarning';
import { configureCoreL10n } from './shared/l10n';
import { affects, setting } from './shared/settings';
import { mark, markFirstRoot } from './shared/marks';

const PROFILES_KEY = 'brokerExplorer.profiles';
const WORKSPACE_PINS_KEY = 'brokerExplorer.workspacePins';

/** What the integration tests and benchmarks observe that users never need. */
export interface TestingApi {
  /** The last notifications shown (newest last), as shown: the tests check what reached the user. */
  readonly notifications: () => readonly ShownNotification[];
  /** What the extension keeps between sessions (the tests check that no secret is among it). */
  readonly storage: { readonly globalState: vscode.Memento; readonly workspaceState: vscode.Memento; readonly globalStorageUri: vscode.Uri };
  /** Posts of each inspector to its webview. */
  readonly panelPosts: PanelPostCounts;
}

/** What `activate` returns: used by the integration tests and by other extensions. */
export interface BrokerExplorerApi {
  readonly registry: BrokerRegistry;
  readonly mqttTree: MqttTreeProvider;
  readonly amqpTree: AmqpTreeProvider;
  readonly statusBar: BrokerStatusBar;
  readonly taps: TapManager;
  /** Folder holding this extension's log files (the "Broker Explorer" channel). */
  readonly logUri: vscode.Uri;
  /** The mosquitto.conf language support. */
  readonly conf: ConfLanguageApi;
  /** The publish and inspect panels. */
  readonly panels: Panels;
  /** .mqtt / .amqp message files. */
  readonly messages: MessageFilesApi;
  /** Payload decoders (#20): the inspector's Decoded tab and .vscode/decoders.json. */
  readonly codecs: { load(): Promise<LoadedDecoders>; readonly loaded: boolean; readonly sparkplug: SparkplugTracker; readonly sparkplugTree: SparkplugTreeProvider; readonly sparkplugView: vscode.TreeView<SparkplugElement> };
  /** Only when VS Code runs the extension's tests (ExtensionMode.Test): what the tests observe. */
  readonly testing?: TestingApi;
}

export function activate(context: vscode.ExtensionContext): BrokerExplorerApi {
  mark('activate');
  // src/core's messages (errors, states, problems) in VS Code's display language.
  configureCoreL10n();
  // Notifications are kept for the tests from the first one on.
  const testing: TestingApi | undefined =
    context.extensionMode === vscode.ExtensionMode.Test
      ? {
          notifications: recordNotifications(),
          storage: { globalState: context.globalState, workspaceState: context.workspaceState, globalStorageUri: context.globalStorageUri },
          panelPosts: new PanelPostCounts(),
        }
      : undefined;
  const log = new Logger();
  context.subscriptions.push(log);
  mark('log');

  const store: ProfileStore = {
    load: () => context.globalState.get<BrokerProfile[]>(PROFILES_KEY, []),
    save: (profiles) => Promise.resolve(context.globalState.update(PROFILES_KEY, profiles)),
  };
  const secrets: SecretStore = {
    get: (key) => Promise.resolve(context.secrets.get(key)),
    store: (key, value) => Promise.resolve(context.secrets.store(key, value)),
    delete: (key) => Promise.resolve(context.secrets.delete(key)),
  };
  const connectTimeoutMs = (): number => 1000 * setting('connection.connectTimeoutSeconds');
  const topicModel = (): Partial<TopicModelOptions> => ({
    historyMessages: setting('topics.historyMessagesPerTopic'),
    historyBytes: 1024 * setting('topics.historyKilobytesPerTopic'),
    totalBytes: 1024 * 1024 * setting('topics.storageMegabytes'),
    topicShare: setting('topics.treeBudgetPercent') / 100,
  });
  // Read at each connection attempt: a change applies on the next connect, without a reload.
  const defaultCaFile = (): string | undefined => setting('tls.defaultCaFile').trim() || undefined;
  // Certificates trusted for brokers of .vscode/brokers.json: kept here (this machine), never in the file.
  const workspacePins: PinStore = {
    load: () => context.globalState.get<Record<string, StoredPin>>(WORKSPACE_PINS_KEY, {}),
    save: (pins) => Promise.resolve(context.globalState.update(WORKSPACE_PINS_KEY, pins)),
  };
  const registry = new BrokerRegistry(store, secrets, connectionFactory(topicModel), { log, connectTimeoutMs, defaultCaFile, workspacePins });
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'topics')) {
        // New limits apply to every MQTT connection at once.
        const limits = topicModel();
        for (const c of registry.list('mqtt')) {
          if (c instanceof MqttConnection) {
            c.topics.configure(limits);
          }
        }
      }
    }),
  );
  context.subscriptions.push({ dispose: () => void registry.dispose() });
  mark('registry');

  // Rows of encoded payloads decode on display through the lazy decoders (created below).
  const mqttTree = new MqttTreeProvider(registry, (brokerId, topic, m) =>
    decoders.decode({ brokerId, message: { topic, payload: m.payload, size: m.size, properties: m.properties as HintSource['properties'] }, limit: TREE_DECODE_BYTES }),
  );
  const amqpTree = new AmqpTreeProvider(registry);
  const mqttView = vscode.window.createTreeView('brokerExplorer.mqtt', { treeDataProvider: mqttTree, showCollapseAll: true });
  const amqpView = vscode.window.createTreeView('brokerExplorer.amqp', { treeDataProvider: amqpTree, showCollapseAll: true });
  mqttTree.attach(mqttView);
  amqpTree.attach(amqpView);
  // The first paint: the first root rows each view is given.
  mqttTree.getChildren = markFirstRoot('mqtt.firstRoot', mqttTree.getChildren.bind(mqttTree));
  amqpTree.getChildren = markFirstRoot('amqp.firstRoot', amqpTree.getChildren.bind(amqpTree));
  mark('trees');
  const applyAmqpSettings = (): void => {
    amqpTree.amqpRefreshSeconds = setting('amqp.refreshSeconds');
  };
  const applyTreeSettings = (): void => {
    mqttTree.refreshIntervalMs = 1000 / setting('topics.refreshesPerSecond');
  };
  applyAmqpSettings();
  applyTreeSettings();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'amqp')) {
        applyAmqpSettings();
      }
      if (affects(e, 'topics.refreshesPerSecond')) {
        applyTreeSettings();
      }
    }),
  );
  const statusBar = new BrokerStatusBar(registry);
  mark('statusBar');
  const conf = registerConfLanguage(registry, log);
  mark('conf');
  const taps = new TapManager(registry);
  taps.onDidChangeActive((active) => void vscode.commands.executeCommand('setContext', 'brokerExplorer:tapping', active));
  // The decoders load on first use (dist/decoders.js); the Sparkplug hook and view are small.
  const decoders: LazyDecoders = new LazyDecoders(log, (id) => sparkplug.names(id));
  const sparkplug = new SparkplugTracker(registry, log, () => decoders.loadSparkplug());
  const sparkplugTree = new SparkplugTreeProvider(sparkplug, (id) => registry.get(id)?.profile.name ?? id);
  const sparkplugView = vscode.window.createTreeView('brokerExplorer.sparkplug', { treeDataProvider: sparkplugTree, showCollapseAll: true });
  context.subscriptions.push(decoders, decoders.watchDecodersFile(), sparkplug, sparkplugTree, sparkplugView, sparkplugTree.attach(sparkplugView));
  const publishEncoding = publishEncodingHost(decoders, sparkplug);
  const panels = new Panels(registry, taps, log, context, decoders, testing?.panelPosts, publishEncoding);
  mark('panels');
  const messages = registerMessageFiles(registry, panels, log, (type) => decoders.protobufType(type), {
    state: (id) => publishEncoding.sparkplugState(id),
    guard: publishEncoding.guard,
  });
  mark('messages');
  context.subscriptions.push(mqttTree, amqpTree, mqttView, amqpView, statusBar, taps, ...conf.disposables, ...messages.disposables, panels);
  context.subscriptions.push(...registerBrokerCommands(registry, log), ...registerConnectionTransfer(registry, log, context.globalStorageUri));
  mark('brokerCommands');
  context.subscriptions.push(...registerWorkspaceBrokers(registry, log));
  mark('workspaceBrokers');
  context.subscriptions.push(registerTlsWarnings(registry, log), ...registerLocalBrokerCommands(registry, log));
  mark('localBroker');
  context.subscriptions.push(...registerTopicCommands(mqttTree, registry, log, panels));
  mark('topicCommands');
  context.subscriptions.push(...registerAmqpCommands({ tree: amqpTree, registry, taps, log, panels }));
  mark('amqpCommands');
  context.subscriptions.push(
    registerPublishCommand(panels, log, [mqttPublishTarget(mqttTree), amqpPublishTarget]),
    ...registerPublishSelection(registry, log, context.workspaceState),
    ...registerWalkthrough(registry, log),
    ...registerAgentTools(registry, log, context.logUri, context.secrets),
  );
  mark('otherCommands');

  // Context keys for `when` clauses: commands that need a connection hide without one.
  const updateContext = (): void => {
    const connected = registry.list().filter((c) => c.state.kind === 'connected');
    void vscode.commands.executeCommand('setContext', 'brokerExplorer:hasBrokers', registry.list().length > 0);
    void vscode.commands.executeCommand('setContext', 'brokerExplorer:connected', connected.length > 0);
    void vscode.commands.executeCommand('setContext', 'brokerExplorer:mqttConnected', connected.some((c) => c.profile.kind === 'mqtt'));
    void vscode.commands.executeCommand('setContext', 'brokerExplorer:amqpConnected', connected.some((c) => c.profile.kind === 'amqp'));
  };
  context.subscriptions.push(registry.onDidChange(updateContext));
  updateContext();
  mark('contextKeys');

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
  mark('activated');
  return {
    registry,
    mqttTree,
    amqpTree,
    statusBar,
    taps,
    logUri: context.logUri,
    conf: conf.api,
    panels,
    messages: messages.api,
    codecs: {
      load: () => decoders.load(),
      get loaded() {
        return decoders.loaded;
      },
      sparkplug,
      sparkplugTree,
      sparkplugView,
    },
    testing,
  };
}

export function deactivate(): void {
  // Connections are closed by the registry's disposable in context.subscriptions.
}
