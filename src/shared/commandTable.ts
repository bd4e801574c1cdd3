// Every command the extension contributes: the feature whose glue registers it, and when the
// command palette offers it ('false': only from a tree item, an editor menu or a CodeLens; no
// entry: always). package.json must agree (test/unit/manifest.test.ts reads this table), and
// registerCommand() (./commands.ts) accepts only these ids. No vscode import: plain-Node tests read it.

export type CommandFeature = 'brokers' | 'mqtt' | 'amqp' | 'messageFiles' | 'conf' | 'panels';

export interface CommandSpec {
  readonly feature: CommandFeature;
  /** The command palette's `when` clause; absent when the command runs in any state (it asks for what it needs). */
  readonly palette?: string;
}

export const COMMANDS = {
  'brokerExplorer.addMqttBroker': { feature: 'brokers' },
  'brokerExplorer.addAmqpBroker': { feature: 'brokers' },
  'brokerExplorer.startLocalBroker': { feature: 'brokers', palette: '!brokerExplorer:localBrokerRunning' },
  'brokerExplorer.stopLocalBroker': { feature: 'brokers', palette: 'brokerExplorer:localBrokerRunning' },
  'brokerExplorer.connectBroker': { feature: 'brokers', palette: 'brokerExplorer:hasBrokers' },
  'brokerExplorer.disconnectBroker': { feature: 'brokers', palette: 'brokerExplorer:connected' },
  'brokerExplorer.removeBroker': { feature: 'brokers', palette: 'brokerExplorer:hasBrokers' },
  'brokerExplorer.showLog': { feature: 'brokers' },
  'brokerExplorer.importConnections': { feature: 'brokers' },
  'brokerExplorer.exportConnections': { feature: 'brokers', palette: 'brokerExplorer:hasBrokers' },
  'brokerExplorer.copyTopic': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.copyPayload': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.publishToTopic': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.deleteRetained': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.deleteRetainedBelow': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.filterTopics': { feature: 'mqtt', palette: 'brokerExplorer:mqttConnected' },
  'brokerExplorer.clearTopicFilter': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.clearTopics': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.editBroker': { feature: 'brokers', palette: 'false' },
  'brokerExplorer.enterCredentials': { feature: 'brokers', palette: 'brokerExplorer:hasBrokers' },
  'brokerExplorer.showServerCertificate': { feature: 'brokers', palette: 'brokerExplorer:hasBrokers' },
  'brokerExplorer.chooseCaFile': { feature: 'brokers', palette: 'brokerExplorer:hasBrokers' },
  'brokerExplorer.trustServerCertificate': { feature: 'brokers', palette: 'brokerExplorer:hasBrokers' },
  'brokerExplorer.untrustServerCertificate': { feature: 'brokers', palette: 'brokerExplorer:hasBrokers' },
  'brokerExplorer.duplicateBroker': { feature: 'brokers', palette: 'false' },
  'brokerExplorer.copyMosquittoSub': { feature: 'brokers', palette: 'false' },
  'brokerExplorer.subscribeOnlyTo': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.refreshBroker': { feature: 'amqp', palette: 'false' },
  'brokerExplorer.declareExchange': { feature: 'amqp', palette: 'brokerExplorer:amqpConnected' },
  'brokerExplorer.declareQueue': { feature: 'amqp', palette: 'brokerExplorer:amqpConnected' },
  'brokerExplorer.bindQueue': { feature: 'amqp', palette: 'false' },
  'brokerExplorer.unbindQueue': { feature: 'amqp', palette: 'false' },
  'brokerExplorer.publishToExchange': { feature: 'amqp', palette: 'false' },
  'brokerExplorer.peekQueue': { feature: 'amqp', palette: 'false' },
  'brokerExplorer.purgeQueue': { feature: 'amqp', palette: 'false' },
  'brokerExplorer.deleteQueue': { feature: 'amqp', palette: 'false' },
  'brokerExplorer.deleteExchange': { feature: 'amqp', palette: 'false' },
  'brokerExplorer.tapExchange': { feature: 'amqp', palette: 'false' },
  'brokerExplorer.stopTap': { feature: 'amqp', palette: 'brokerExplorer:tapping' },
  'brokerExplorer.watchName': { feature: 'amqp', palette: 'brokerExplorer:amqpConnected' },
  'brokerExplorer.filterQueues': { feature: 'amqp', palette: 'brokerExplorer:amqpConnected' },
  'brokerExplorer.connectToListener': { feature: 'conf', palette: 'false' },
  'brokerExplorer.createPasswordFile': { feature: 'conf', palette: 'false' },
  'brokerExplorer.inspectTopic': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.inspectSubtree': { feature: 'mqtt', palette: 'false' },
  'brokerExplorer.openPublishPanel': { feature: 'panels', palette: 'brokerExplorer:connected' },
  'brokerExplorer.sendMessage': { feature: 'messageFiles', palette: 'editorLangId == broker-messages && isWorkspaceTrusted' },
  'brokerExplorer.inspectMessageTarget': { feature: 'messageFiles', palette: 'editorLangId == broker-messages' },
  'brokerExplorer.runMessageTest': { feature: 'messageFiles', palette: 'editorLangId == broker-messages && isWorkspaceTrusted' },
  'brokerExplorer.publishSelection': { feature: 'messageFiles', palette: 'editorIsOpen' },
  'brokerExplorer.publishSelectionTo': { feature: 'messageFiles', palette: 'editorIsOpen' },
  'brokerExplorer.newMessageFile': { feature: 'brokers' },
  'brokerExplorer.newMosquittoConf': { feature: 'brokers' },
} as const satisfies Record<`brokerExplorer.${string}`, CommandSpec>;

export type CommandId = keyof typeof COMMANDS;
