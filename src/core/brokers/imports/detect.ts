/**
 * Which tool a file or pasted text comes from, and its connections: MQTTX's export, MQTT
 * Explorer's settings.json or export, a settings.json with vsmqtt's profiles, or a mosquitto
 * client command line.
 */
import * as l10n from '@vscode/l10n';
import { describeJsonError, stripJsonc } from '../jsonc';
import { isObject, type ImportResult } from './imported';
import { isMosquittoCommand, parseMosquittoCommand } from './mosquittoCommand';
import { mqttExplorerConnections, parseMqttExplorer } from './mqttExplorer';
import { isMqttxExport, parseMqttx } from './mqttx';
import { parseVsmqtt, VSMQTT_SETTING } from './vsmqtt';

export { parseMosquittoCommand } from './mosquittoCommand';
export { parseVsmqtt, VSMQTT_SETTING } from './vsmqtt';
export type { ImportedBroker, ImportedProfile, ImportResult, InlineCertificate } from './imported';

/** What can be imported, for the messages that list them. */
export const IMPORT_FORMATS = 'an MQTTX export (.json), MQTT Explorer\'s settings.json or exported connections, a settings.json with "vsmqtt.brokerProfiles", or a mosquitto_sub / mosquitto_pub command line';

/** `folder`: the workspace folder a settings.json belongs to, for `${workspaceFolder}` in paths. */
export function parseConnections(textValue: string, folder?: string): ImportResult {
  const unknown = (why: string): ImportResult => ({ format: '', brokers: [], problems: [why] });
  if (isMosquittoCommand(textValue)) {
    return parseMosquittoCommand(textValue);
  }
  if (!textValue.trim()) {
    return unknown(l10n.t('the file is empty'));
  }
  const clean = stripJsonc(textValue);
  let root: unknown;
  try {
    root = JSON.parse(clean);
  } catch (err) {
    return unknown(l10n.t('this is neither JSON nor a mosquitto_sub command line ({0}); import reads {1}', describeJsonError(err, clean), IMPORT_FORMATS));
  }
  if (isObject(root) && VSMQTT_SETTING in root) {
    return parseVsmqtt(root[VSMQTT_SETTING], folder);
  }
  const explorer = mqttExplorerConnections(root);
  if (explorer) {
    return parseMqttExplorer(explorer);
  }
  if (isMqttxExport(root)) {
    return parseMqttx(root);
  }
  return unknown(l10n.t('no connections found: import reads {0}', IMPORT_FORMATS));
}
