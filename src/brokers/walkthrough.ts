// The "Get Started with Broker Explorer" walkthrough's helpers: sample documents to try the
// message-file and mosquitto.conf features on, and the context key that completes the lint step.
import * as vscode from 'vscode';
import { formatTargetUrl } from '../core/messageFiles/url';
import type { BrokerRegistry } from '../core/brokers/registry';
import { guarded, type Logger } from '../shared/log';
import { registerCommand } from '../shared/commands';

/** Set once a mosquitto.conf document has been checked (the walkthrough's lint step). */
export const CONF_LINTED_CONTEXT = 'brokerExplorer:confLinted';

/** The sample message file: aimed at a connected MQTT broker when there is one. */
export function sampleMessageFile(connectionName: string): string {
  const url = (topic: string): string => formatTargetUrl('mqtt', connectionName, topic);
  return [
    vscode.l10n.t('# A message file: "Send" above a block (or Ctrl+Alt+Enter) publishes it.'),
    vscode.l10n.t('# "{0}" names a connection in the Brokers view.', connectionName),
    vscode.l10n.t('# Save it as a *.mqtt file to keep it next to your code.'),
    '',
    '### Station reading',
    `PUBLISH ${url('weather/station01/temperature')}`,
    'QoS: 1',
    'Content-Type: application/json',
    '',
    '{"temperature": {{$randomInt 18 30}}, "ts": "{{$isoTimestamp}}"}',
    '',
    '### Watch the station',
    `SUBSCRIBE ${url('weather/station01/#')}`,
    '',
  ].join('\n');
}

/** The sample mosquitto.conf: one misspelt option (an error with a quick fix) and a deprecated one. */
export function sampleMosquittoConf(): string {
  return [
    vscode.l10n.t('# A mosquitto.conf: hover the underlined lines, Ctrl+. offers fixes.'),
    'listener 1883',
    'allow_anonymus true',
    '',
    'listener 9001',
    'protocol websockets',
    '',
    'port 1884',
    '',
  ].join('\n');
}

export function registerWalkthrough(registry: BrokerRegistry, log: Logger): vscode.Disposable[] {
  const confDocument = (uri: vscode.Uri): boolean =>
    vscode.workspace.textDocuments.some((d) => d.languageId === 'mosquitto-conf' && d.uri.toString() === uri.toString());
  let linted = false;
  const markLinted = (uris: readonly vscode.Uri[]): void => {
    if (!linted && uris.some(confDocument)) {
      linted = true;
      void vscode.commands.executeCommand('setContext', CONF_LINTED_CONTEXT, true);
    }
  };
  const disposables: vscode.Disposable[] = [
    // Any checked mosquitto.conf completes the step, also one with no problems (it has no diagnostics
    // event then: its opening counts once the linter has had its turn).
    vscode.languages.onDidChangeDiagnostics((e) => markLinted(e.uris)),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (d.languageId === 'mosquitto-conf') {
        setTimeout(() => markLinted([d.uri]), 1500);
      }
    }),
    registerCommand(
      'brokerExplorer.newMessageFile',
      guarded(log, 'New Message File', async () => {
        const mqtt = registry.list('mqtt');
        const target = mqtt.find((c) => c.state.kind === 'connected') ?? mqtt[0];
        const doc = await vscode.workspace.openTextDocument({ language: 'broker-messages', content: sampleMessageFile(target?.profile.name ?? 'local') });
        await vscode.window.showTextDocument(doc, { preview: false });
        return doc.uri.toString();
      }),
    ),
    registerCommand(
      'brokerExplorer.newMosquittoConf',
      guarded(log, 'New mosquitto.conf', async () => {
        const doc = await vscode.workspace.openTextDocument({ language: 'mosquitto-conf', content: sampleMosquittoConf() });
        await vscode.window.showTextDocument(doc, { preview: false });
        return doc.uri.toString();
      }),
    ),
  ];
  markLinted(vscode.workspace.textDocuments.filter((d) => d.languageId === 'mosquitto-conf').map((d) => d.uri));
  return disposables;
}
