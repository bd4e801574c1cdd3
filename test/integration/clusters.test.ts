// Clusters (issue 23): a connection lists several endpoints, tried in order on connect and on
// reconnect; the node in use is on the broker's row and a failover is said there and in the log.
// MQTT against two private mosquittos (the first killed); AMQP through two TCP proxies of ours in
// front of the one shared RabbitMQ; a pinned certificate checked on every node, in real VS Code.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { BrokerExplorerApi } from '../../src/extension';
import type { ConnectionState } from '../../src/core/brokers/state';
import { freePort } from '../support/net';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { startProxy, type TcpProxy } from '../support/proxy';
import { makeBadCertificates, makeTestPki } from '../support/tls';
import { startTlsProxy } from '../support/tlsProxy';
import { api, readLog, until } from './helpers';

type Connected = Extract<ConnectionState, { kind: 'connected' }>;

describe('Clusters: several endpoints per connection', function () {
  this.timeout(90_000);
  let a: BrokerExplorerApi;
  const ids: string[] = [];
  const brokers: PrivateBroker[] = [];
  const proxies: TcpProxy[] = [];

  before(async () => {
    a = await api();
  });
  after(async () => {
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    for (const b of brokers) {
      await b.dispose();
    }
    for (const p of proxies) {
      await p.close();
    }
  });

  const description = (id: string): string => {
    const c = a.registry.get(id)!;
    return String((c.profile.kind === 'mqtt' ? a.mqttTree.getTreeItem(c) : a.amqpTree.getTreeItem(c)).description);
  };

  /** A broker of the user's own with more endpoints, added through Edit Broker as the form saves it. */
  const addCluster = async (kind: 'mqtt' | 'amqp', name: string, port: number, more: readonly number[], extra: Record<string, unknown> = {}): Promise<string> => {
    const command = kind === 'mqtt' ? 'brokerExplorer.addMqttBroker' : 'brokerExplorer.addAmqpBroker';
    const id = await vscode.commands.executeCommand<string>(command, { name, host: '127.0.0.1', port, connect: false, ...extra });
    ids.push(id);
    const draft = a.registry.get(id)!.profile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...draft, endpoints: more.map((p) => ({ host: '127.0.0.1', port: p })) } });
    return id;
  };

  it('MQTT: the first node killed, it reconnects to the second with the same password, says so on the row and in the log, and messages flow there', async () => {
    const users = { plant: 'secret-1' };
    const node1 = await startPrivateMosquitto({ users });
    const node2 = await startPrivateMosquitto({ users });
    brokers.push(node1, node2);
    const id = await addCluster('mqtt', 'mqtt cluster', node1.port, [node2.port], { username: 'plant', password: 'secret-1' });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    const c = a.registry.get(id) as MqttConnection;
    assert.deepEqual(c.state, { ...(c.state as Connected), endpoint: `127.0.0.1:${node1.port}` });
    assert.match(description(id), new RegExp(`^connected to 127\\.0\\.0\\.1:${node1.port}`));
    const tooltip = (a.mqttTree.getTreeItem(c).tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes(`**\`127.0.0.1:${node1.port}\`**, \`127.0.0.1:${node2.port}\``), `the tooltip lists both nodes, the one in use in bold: ${tooltip}`);

    await node1.kill();
    const state = (await c.waitFor((s) => s.kind === 'connected' && s.endpoint !== `127.0.0.1:${node1.port}`, 30_000)) as Connected;
    assert.equal(state.endpoint, `127.0.0.1:${node2.port}`);
    assert.equal(state.failover, true);
    assert.match(description(id), new RegExp(`^reconnected to 127\\.0\\.0\\.1:${node2.port}`));
    await until(() => readLog(a.logUri).includes(`failover — reconnected to 127.0.0.1:${node2.port} (was 127.0.0.1:${node1.port})`), 'the failover in the log');

    // The tree's subscriptions hold on the second node: a message published there arrives.
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: node2.port, username: 'plant', password: 'secret-1' });
    await pub.publishAsync('line/after-failover', 'on node2', { qos: 1 });
    await pub.endAsync();
    await until(() => c.topics.find('line/after-failover'), 'the message published on the second node');
  });

  it('MQTT: a first node that is down at connect is skipped; none answering fails with every node named', async () => {
    const down = await freePort();
    const node2 = await startPrivateMosquitto();
    brokers.push(node2);
    const id = await addCluster('mqtt', 'mqtt first down', down, [node2.port]);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    const c = a.registry.get(id)!;
    assert.equal((c.state as Connected).endpoint, `127.0.0.1:${node2.port}`);
    assert.equal((c.state as Connected).failover, undefined, 'the first connection of the session is no failover');
    assert.match(description(id), new RegExp(`^connected to 127\\.0\\.0\\.1:${node2.port}`));
    await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', id);

    await node2.stop();
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
    const failed = c.state as Extract<ConnectionState, { kind: 'failed' }>;
    // One node's reason in words, the other named beside it.
    assert.match(failed.reason, /^Connection refused: nothing is listening on 127\.0\.0\.1:\d+ \(also tried 127\.0\.0\.1:\d+\)$/);
    assert.deepEqual([...failed.reason.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])).sort(), [down, node2.port].sort());
  });

  it('AMQP: through two proxies in front of RabbitMQ, the first cut and closed, it reconnects through the second and the management API still answers', async () => {
    const front1 = await startProxy(5672);
    const front2 = await startProxy(5672);
    proxies.push(front1, front2);
    const id = await addCluster('amqp', 'amqp cluster', front1.port, [front2.port], { username: 'guest', password: 'guest', vhost: '/', managementUrl: 'http://127.0.0.1:15672' });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    const c = a.registry.get(id) as AmqpConnection;
    assert.equal((c.state as Connected).endpoint, `127.0.0.1:${front1.port}`);
    assert.equal(front1.connections.length, 1);
    assert.equal(front2.connections.length, 0);

    await front1.close();
    front1.cut();
    const state = (await c.waitFor((s) => s.kind === 'connected' && s.endpoint !== `127.0.0.1:${front1.port}`, 30_000)) as Connected;
    assert.equal(state.endpoint, `127.0.0.1:${front2.port}`);
    assert.equal(state.failover, true);
    assert.equal(front2.connections.length, 1, 'the AMQP connection now goes through the second node');
    assert.match(description(id), new RegExp(`^reconnected to 127\\.0\\.0\\.1:${front2.port}`));
    assert.ok((await c.management.vhosts()).includes('/'), 'the management API answers after the failover');
    await c.withChannel(async (ch) => void (await ch.checkExchange('amq.direct')));
  });

  it('a pinned certificate is checked on every node: a node presenting another certificate gets nothing, and is used once it presents the pinned one', async () => {
    const pki = makeTestPki();
    const bad = makeBadCertificates(pki);
    const front1 = await startTlsProxy(pki.serverCert, pki.serverKey, 1883);
    const front2 = await startTlsProxy(bad.unknownCaCert, bad.key, 1883);
    let front1Open = true;
    try {
      const pem = readFileSync(pki.serverCert, 'utf8');
      const id = await addCluster('mqtt', 'pinned cluster', front1.port, [front2.port]);
      const draft = a.registry.get(id)!.profile;
      await vscode.commands.executeCommand('brokerExplorer.editBroker', id, {
        profile: { ...draft, protocol: 'mqtts', subscriptions: [{ filter: 'be-cluster-none/#', qos: 0 }], tls: { pinned: { sha256: new X509Certificate(pem).fingerprint256, pem } } },
      });
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
      const c = a.registry.get(id)!;
      assert.equal((c.state as Connected).endpoint, `127.0.0.1:${front1.port}`);

      await front1.close();
      front1Open = false;
      await until(() => c.state.kind === 'reconnecting' && c.state.attempt >= 3, 'two reconnect rounds refused by the second node', 30_000);
      assert.equal(front2.bytesReceived(), 0, 'the node with another certificate received no CONNECT');
      assert.match(readLog(a.logUri), new RegExp(`"pinned cluster": 127\\.0\\.0\\.1:${front1.port} failed \\(Connection refused[^\n]*; trying 127\\.0\\.0\\.1:${front2.port}`));
      assert.match(readLog(a.logUri), /"pinned cluster": TLS: the server's certificate is not the one trusted for this connection/);

      front2.setCertificate(pki.serverCert, pki.serverKey);
      const state = (await c.waitFor((s) => s.kind === 'connected' && s.endpoint !== `127.0.0.1:${front1.port}`, 45_000)) as Connected;
      assert.equal(state.endpoint, `127.0.0.1:${front2.port}`);
      assert.ok(front2.bytesReceived() > 0, 'the CONNECT went to the node with the pinned certificate');
    } finally {
      if (front1Open) {
        await front1.close();
      }
      await front2.close();
    }
  });
});
