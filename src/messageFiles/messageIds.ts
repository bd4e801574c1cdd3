/** Identifiers shared by the eager registration (messageFilesLazy.ts) and the lazily loaded features. */
export const MESSAGE_LANGUAGE_ID = 'broker-messages';
export const SEND_BLOCK_COMMAND = 'brokerExplorer.sendMessage';
export const INSPECT_BLOCK_COMMAND = 'brokerExplorer.inspectMessageTarget';
export const RUN_TEST_COMMAND = 'brokerExplorer.runMessageTest';
/** Set once a message file block was sent (the walkthrough's "Publish from a .mqtt file" step). */
export const MESSAGE_SENT_CONTEXT = 'brokerExplorer:messageSent';
/** The Test Explorer's controller: created at activation (a registration only); its handlers load the rest. */
export const TEST_CONTROLLER_ID = 'brokerExplorer.messageTests';
/** The message files the Test Explorer lists. */
export const MESSAGE_FILE_GLOB = '**/*.{mqtt,amqp}';
export const MESSAGE_FILE_EXCLUDE = '**/node_modules/**';
