// Settings apply without a reload, and the walkthrough's sample documents work on the real broker.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { MqttProfile } from '../../src/core/brokers/profile';
import type { BrokerExplorerApi } from '../../src/extension';
import { startPrivateMosquitto } from '../support/mosquitto';
import { makeTestPki } from '../support/tls';
import { api, until } from './helpers';

describe('settings and the walkthrough', () => {
  let a: BrokerExplorerApi;
  const added: string[] = [];
  const config = (section: string): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(section);

  before(async () => {
    a = await api();
  });

  after(async () => {
    await config('brokerExplorer.topics').update('refreshesPerSecond', undefined, vscode.ConfigurationTarget.Global);
    await config('brokerExplorer.mqtt').update('defaultSubscriptions', undefined, vscode.ConfigurationTarget.Global);
    await config('brokerExplorer.inspector').update('displayKilobytes', undefined, vscode.ConfigurationTarget.Global);
    await config('brokerExplorer.tls').update('defaultCaFile', undefined, vscode.ConfigurationTarget.Global);
    for (const id of added) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('brokerExplorer.topics.refreshesPerSecond changes the MQTT view’s pace at once', async () => {
    assert.equal(a.mqttTree.refreshIntervalMs, 250, '4 refreshes a second by default');
    await config('brokerExplorer.topics').update('refreshesPerSecond', 10, vscode.ConfigurationTarget.Global);
    await until(() => a.mqttTree.refreshIntervalMs === 100, 'a 100 ms refresh interval');
    await config('brokerExplorer.topics').update('refreshesPerSecond', undefined, vscode.ConfigurationTarget.Global);
    await until(() => a.mqttTree.refreshIntervalMs === 250, 'the default again');
  });

  it('brokerExplorer.mqtt.defaultSubscriptions applies to the next broker added, without a reload', async () => {
    await config('brokerExplorer.mqtt').update('defaultSubscriptions', ['sensors/#:1', 'alarms/+'], vscode.ConfigurationTarget.Global);
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'settings subs', host: '127.0.0.1', port: 1883, connect: false });
    added.push(id);
    assert.deepEqual((a.registry.get(id)!.profile as MqttProfile).subscriptions, [
      { filter: 'sensors/#', qos: 1 },
      { filter: 'alarms/+', qos: 0 },
    ]);
    await config('brokerExplorer.mqtt').update('defaultSubscriptions', undefined, vscode.ConfigurationTarget.Global);
    const id2 = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'settings subs 2', host: '127.0.0.1', port: 1883, connect: false });
    added.push(id2);
    assert.deepEqual((a.registry.get(id2)!.profile as MqttProfile).subscriptions, [
      { filter: '#', qos: 0 },
      { filter: '$SYS/#', qos: 0 },
    ]);
  });

  it('brokerExplorer.inspector.displayKilobytes caps what the next inspector shows, never above what it keeps', async () => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'settings inspector', host: '127.0.0.1', port: 1883 });
    await until(() => a.registry.get(id)?.state.kind === 'connected', 'the broker to connect');
    await config('brokerExplorer.inspector').update('displayKilobytes', 64, vscode.ConfigurationTarget.Global);
    const topic = `be-it-settings-${process.pid}/big`;
    const panel = await a.panels.inspect({ kind: 'mqtt', brokerId: id, filter: topic });
    try {
      assert.equal(panel.buffer.options.displayBytes, 64 * 1024);
      const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
      await pub.publishAsync(topic, Buffer.alloc(100 * 1024, 0x61), { qos: 1 });
      await pub.endAsync();
      await until(() => panel.buffer.total === 1, 'the big message in the inspector');
      assert.equal([...panel.buffer.all()][0]!.payload.length, 100 * 1024, 'the whole payload is kept for Open in Editor');
    } finally {
      panel.dispose();
    }
    await config('brokerExplorer.inspector').update('displayKilobytes', 1_000_000, vscode.ConfigurationTarget.Global);
    const second = await a.panels.inspect({ kind: 'mqtt', brokerId: id, filter: `${topic}2` });
    try {
      assert.equal(second.buffer.options.keepBytes, 10 * 1024 * 1024);
      assert.equal(second.buffer.options.displayBytes, 10 * 1024 * 1024, 'clamped to 100 MB, then to the 10 MB kept');
    } finally {
      second.dispose();
      // Removed: the next test's sample aims at the first connected broker.
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
  });

  it('brokerExplorer.tls.defaultCaFile is trusted by TLS brokers without a CA of their own, from the next connect on', async () => {
    const pki = makeTestPki();
    const broker = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey } });
    try {
      const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'settings tls', host: '127.0.0.1', port: broker.tlsPort!, connect: false });
      await a.registry.update({ ...(a.registry.get(id)!.profile as MqttProfile), protocol: 'mqtts' });
      try {
        assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed', 'a self-signed CA is not trusted by default');
        await config('brokerExplorer.tls').update('defaultCaFile', pki.ca, vscode.ConfigurationTarget.Global);
        assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected', 'trusted once the setting names its CA');
      } finally {
        await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
      }
    } finally {
      await broker.dispose();
      rmSync(pki.dir, { recursive: true, force: true });
    }
  });

  it('New Message File opens a clean sample aimed at the connected broker, and its Send publishes', async () => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'walkthrough broker', host: '127.0.0.1', port: 1883 });
    added.push(id);
    await until(() => a.registry.get(id)?.state.kind === 'connected', 'the broker to connect');
    const uri = await vscode.commands.executeCommand<string>('brokerExplorer.newMessageFile');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
    assert.equal(doc.languageId, 'broker-messages');
    assert.equal(doc.uri.scheme, 'untitled');
    assert.match(doc.getText(), /PUBLISH mqtt:\/\/walkthrough broker\/weather\/station01\/temperature/);
    assert.deepEqual((await a.messages.diagnose(doc)).map((d) => d.message), [], 'the sample has no problems');
    const sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    try {
      const got = new Promise<string>((resolve) => sub.on('message', (_t, p) => resolve(p.toString())));
      await sub.subscribeAsync('weather/station01/temperature', { qos: 1 });
      const line = doc.getText().split('\n').findIndex((l) => l.startsWith('PUBLISH'));
      assert.deepEqual(await vscode.commands.executeCommand<string[]>('brokerExplorer.sendMessage', doc.uri, line), ['PUBACK received']);
      const body = JSON.parse(await got) as { temperature: number };
      assert.ok(body.temperature >= 18 && body.temperature <= 30, 'the random reading was filled in');
    } finally {
      await sub.endAsync();
    }
  });

  it('New mosquitto.conf opens a sample the linter underlines, with its did-you-mean', async () => {
    const uri = await vscode.commands.executeCommand<string>('brokerExplorer.newMosquittoConf');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
    assert.equal(doc.languageId, 'mosquitto-conf');
    const diagnostics = await until(() => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length ? d : undefined;
    }, 'diagnostics on the sample');
    const error = diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.ok(error, 'the misspelt option is an error');
    assert.match(error.message, /allow_anonymous/);
    assert.ok(diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Warning && d.range.start.line === 7), 'the deprecated port is a warning');
  });
});
