/** Identifiers shared by the eager registration (confLanguageLazy.ts) and the lazily loaded features. */
export const LANGUAGE_ID = 'mosquitto-conf';
export const CONNECT_LISTENER_COMMAND = 'brokerExplorer.connectToListener';
export const CREATE_PASSWORD_FILE_COMMAND = 'brokerExplorer.createPasswordFile';
