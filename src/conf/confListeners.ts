// "Connect to this listener": a CodeLens over each listener of a mosquitto.conf document, and the
// command that adds (or finds) the matching MQTT broker and connects to it.
import * as vscode from 'vscode';
import { notifyFailure } from '../shared/connectFailure';
import { parseConf } from '../core/conf';
import { cannotConnect, listenerTarget } from '../core/conf/listenerProfile';
import type { ListenerSection } from '../core/conf/types';
import { newProfileId, type MqttProfile } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import { guarded, type Logger } from '../shared/log';
import { showInfo } from '../shared/notify';
import { docFile } from './confDocument';
import { CONNECT_LISTENER_COMMAND } from './confIds';
import { inputBox } from '../shared/prompts';

export const codeLensProvider: vscode.CodeLensProvider = {
  provideCodeLenses(doc) {
    const parsed = parseConf(doc.getText(), docFile(doc));
    const lenses: vscode.CodeLens[] = [];
    parsed.sections.forEach((s, index) => {
      if (s.kind !== 'listener') {
        return;
      }
      const why = cannotConnect(s);
      const range = new vscode.Range(s.line, 0, s.line, 0);
      lenses.push(
        new vscode.CodeLens(
          range,
          why
            ? { title: vscode.l10n.t('Cannot connect from here: {0}', why), command: '' }
            : {
                title: vscode.l10n.t('$(plug) Connect to this listener'),
                tooltip: vscode.l10n.t('Add an MQTT connection for port {0} and connect', s.port),
                command: CONNECT_LISTENER_COMMAND,
                arguments: [doc.uri, index],
              },
        ),
      );
    });
    return lenses;
  },
};

/** The command behind the lens: the document's listener `index` as a broker of the registry, connected. */
export function connectToListenerCommand(registry: BrokerRegistry, log: Logger): ConnectToListener {
  return guarded(log, 'Connect to this listener', async (uri?: vscode.Uri, index?: number, args: { username?: string; password?: string } = {}) => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) {
      return undefined;
    }
    const parsed = parseConf(doc.getText(), docFile(doc));
    const section = parsed.sections[index ?? -1] as ListenerSection | undefined;
    if (!section || section.kind !== 'listener') {
      throw new Error(vscode.l10n.t('That listener is no longer in the file.'));
    }
    const why = cannotConnect(section);
    if (why) {
      throw new Error(vscode.l10n.t('Cannot connect to {0}.', why));
    }
    const target = listenerTarget(parsed, section, docFile(doc));
    const existing = registry
      .list()
      .find((c) => c.profile.kind === 'mqtt' && c.profile.host === target.host && c.profile.port === target.port && (c.profile.protocol ?? 'mqtt') === target.protocol);
    if (existing) {
      log.info(`Listener ${target.host}:${target.port} is already the broker "${existing.profile.name}": connecting it`);
      await registry.connect(existing.id);
      await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
      return existing.id;
    }
    let username = args.username;
    let password = args.password;
    if (target.needsCredentials && username === undefined) {
      username = await inputBox({
        title: target.name,
        prompt: vscode.l10n.t('This listener authenticates clients: username'),
        ignoreFocusOut: true,
      });
      if (username === undefined) {
        return undefined;
      }
      password = await inputBox({
        title: target.name,
        prompt: vscode.l10n.t('Password for {0} (kept in VS Code secret storage)', username),
        password: true,
        ignoreFocusOut: true,
      });
      if (password === undefined) {
        return undefined;
      }
    }
    const profile: MqttProfile = {
      kind: 'mqtt',
      id: newProfileId('mqtt'),
      name: target.name,
      host: target.host,
      port: target.port,
      protocol: target.protocol,
      username: username || undefined,
      tls: target.tls,
    };
    const connection = await registry.add(profile, password || undefined);
    log.info(`Added MQTT broker "${profile.name}" from ${docFile(doc)}`);
    await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
    const state = await registry.connect(connection.id);
    if (state.kind === 'failed') {
      notifyFailure(log, connection, state);
    } else if (target.needsClientCertificate) {
      void showInfo(vscode.l10n.t('This listener asks for a client certificate: set it with Edit Broker.'));
    }
    return connection.id;
  });
}

export type ConnectToListener = (uri?: vscode.Uri, index?: number, args?: { username?: string; password?: string }) => Promise<string | undefined>;
