import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { BrokerExplorerApi } from '../../src/extension';
import type { LocalBrokerResult } from '../../src/brokers/localBroker';
import { api, until } from './helpers';

/** The end of the extension's log, to say why a command returned nothing. */
function logTail(a: BrokerExplorerApi): string {
  try {
    const dir = a.logUri.fsPath;
    const text = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    return text.split('\n').slice(-15).join('\n');
  } catch (err) {
    return String(err);
  }
}

const aedesLoaded = (): boolean => Object.keys(require.cache).some((f) => /[\\/]dist[\\/]vendor[\\/]aedes\.js$/.test(f));

describe('Local test broker (aedes in the extension host)', function () {
  this.timeout(60_000);
  let a: BrokerExplorerApi;
  let started: LocalBrokerResult | undefined;
  let publisher: mqtt.MqttClient | undefined;

  before(async () => {
    a = await api();
  });

  after(async () => {
    await publisher?.endAsync(true);
    await vscode.commands.executeCommand('brokerExplorer.stopLocalBroker');
    if (started) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', started.brokerId, { confirm: false });
    }
  });

  it('loads aedes only when a local broker starts', () => {
    assert.equal(aedesLoaded(), false, 'activation did not load dist/vendor/aedes.js');
  });

  it('starts on a free port and adds a connected MQTT connection for it', async () => {
    started = await vscode.commands.executeCommand<LocalBrokerResult>('brokerExplorer.startLocalBroker', { port: 0 });
    assert.ok(started && started.port > 0, `the command returns the port; the log ends with:\n${logTail(a)}`);
    assert.ok(aedesLoaded(), 'aedes was loaded on first use');
    const connection = a.registry.get(started.brokerId) as MqttConnection;
    assert.ok(connection, 'the connection is in the registry');
    assert.equal(connection.profile.name, `Local broker (aedes) :${started.port}`);
    assert.equal(connection.profile.host, '127.0.0.1');
    assert.equal(connection.profile.autoConnect, false, 'it does not connect at the next start of VS Code');
    await until(() => connection.state.kind === 'connected', 'the connection to be connected');
  });

  it('shows messages of another client in the topic tree', async () => {
    assert.ok(started);
    const connection = a.registry.get(started.brokerId) as MqttConnection;
    publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${started.port}`, { protocolVersion: 4, reconnectPeriod: 0 });
    await publisher.publishAsync('home/kitchen/temperature', '21.5', { qos: 1 });
    await publisher.publishAsync('home/status', 'online', { qos: 1, retain: true });
    const node = await until(() => connection.topics.find('home/kitchen/temperature'), 'the message in the topic model');
    assert.equal(Buffer.from(node.last?.payload ?? []).toString(), '21.5');
    await until(() => connection.topics.find('home/status'), 'the retained message');
  });

  it('reveals the running broker on a second start instead of starting another', async () => {
    const again = await vscode.commands.executeCommand<LocalBrokerResult>('brokerExplorer.startLocalBroker', { port: 0 });
    assert.deepEqual(again, started);
  });

  it('stops: the connection stays, disconnected, and the port is free', async () => {
    assert.ok(started);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.stopLocalBroker'), true);
    const connection = a.registry.get(started.brokerId);
    assert.ok(connection, 'the connection is kept');
    await until(() => connection.state.kind !== 'connected', 'the connection to leave the connected state');
    assert.equal(connection.state.kind, 'disconnected');
    const port = started.port;
    await new Promise<void>((resolve, reject) => {
      const server = net.createServer().once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.stopLocalBroker'), false, 'nothing left to stop');
  });
});
