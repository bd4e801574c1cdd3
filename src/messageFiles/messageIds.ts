/** Identifiers shared by the eager registration (messageFilesLazy.ts) and the lazily loaded features. */
export const MESSAGE_LANGUAGE_ID = 'broker-messages';
export const SEND_BLOCK_COMMAND = 'brokerExplorer.sendMessage';
export const INSPECT_BLOCK_COMMAND = 'brokerExplorer.inspectMessageTarget';
export const RUN_TEST_COMMAND = 'brokerExplorer.runMessageTest';
/** Set once a message file block was sent (the walkthrough's "Publish from a .mqtt file" step). */
export const MESSAGE_SENT_CONTEXT = 'brokerExplorer:messageSent';
