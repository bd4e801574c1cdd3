// MQTT 5 subscriptions and server capabilities (issue 23), in real VS Code: subscription options
// (No Local, Retain Handling, Retain As Published) against the shared Mosquitto, a shared
// subscription's share, and the CONNACK limits of a private mosquitto (max_qos 1,
// retain_available false, max_packet_size) on the broker's tooltip, in the publish panel and on send.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { MqttSubscription } from '../../src/core/brokers/profile';
import type { BrokerExplorerApi } from '../../src/extension';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { api, until } from './helpers';

describe('MQTT 5 subscriptions and broker capabilities', function () {
  this.timeout(60_000);
  let a: BrokerExplorerApi;
  const ids: string[] = [];
  const brokers: PrivateBroker[] = [];
  const run = `be-mqtt5-${Date.now().toString(36)}`;

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
    // The retained message this suite left on the shared broker.
    const c = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    await c.publishAsync(`${run}/retained`, '', { retain: true, qos: 1 });
    await c.endAsync();
  });

  const connectWith = async (name: string, port: number, subscriptions: readonly MqttSubscription[]): Promise<MqttConnection> => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name, host: '127.0.0.1', port, connect: false });
    ids.push(id);
    const draft = a.registry.get(id)!.profile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...draft, protocolVersion: 5, subscriptions } });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    return a.registry.get(id) as MqttConnection;
  };

  it('No Local: what this connection publishes does not come back; another client\'s message does', async () => {
    const c = await connectWith('no local', 1883, [{ filter: `${run}/nl/#`, qos: 1, nl: true }]);
    await c.publish(`${run}/nl/own`, Buffer.from('mine'), { qos: 1 });
    const other = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    await other.publishAsync(`${run}/nl/other`, 'theirs', { qos: 1 });
    await other.endAsync();
    await until(() => c.topics.find(`${run}/nl/other`), 'the other client\'s message');
    assert.equal(c.topics.find(`${run}/nl/own`), undefined, 'its own message was not sent back');
  });

  it('Retain Handling 2: no retained message on subscribe; 0 (default) gets it; Retain As Published off clears the flag', async () => {
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    await pub.publishAsync(`${run}/retained`, 'kept', { retain: true, qos: 1 });
    const never = await connectWith('retain handling 2', 1883, [{ filter: `${run}/retained`, qos: 1, rh: 2 }, { filter: `${run}/live`, qos: 1, rap: false }]);
    const always = await connectWith('retain handling 0', 1883, [{ filter: `${run}/retained`, qos: 1 }, { filter: `${run}/live`, qos: 1 }]);
    await until(() => always.topics.find(`${run}/retained`), 'the retained message with Retain Handling 0');
    assert.equal(never.topics.find(`${run}/retained`), undefined, 'Retain Handling 2: not sent on subscribe');

    // A live message published with RETAIN: kept as published by default, cleared with rap false.
    await pub.publishAsync(`${run}/live`, 'live', { retain: true, qos: 1 });
    await until(() => never.topics.find(`${run}/live`) && always.topics.find(`${run}/live`), 'the live message on both');
    assert.equal(always.topics.find(`${run}/live`)!.last?.retain, true, 'Retain As Published (default): the flag stays');
    assert.equal(never.topics.find(`${run}/live`)!.last?.retain, false, 'Retain As Published off: the flag is cleared');
    await pub.publishAsync(`${run}/live`, '', { retain: true, qos: 1 });
    await pub.endAsync();
  });

  it('a shared subscription receives its share of the group\'s messages, and its row says so', async () => {
    const c = await connectWith('shared', 1883, [{ filter: `$share/${run}/${run}/jobs/#`, qos: 1 }]);
    const peer = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883, protocolVersion: 5 });
    let peerGot = 0;
    peer.on('message', () => peerGot++);
    await peer.subscribeAsync(`$share/${run}/${run}/jobs/#`, { qos: 1 });
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    for (let i = 0; i < 40; i++) {
      await pub.publishAsync(`${run}/jobs/${i}`, String(i), { qos: 1 });
    }
    await pub.endAsync();
    await until(() => peerGot + (c.topics.findPath([run, 'jobs'])?.subtreeMessages ?? 0) === 40, 'all 40 delivered within the group');
    const ours = c.topics.findPath([run, 'jobs'])?.subtreeMessages ?? 0;
    await peer.endAsync();
    assert.ok(ours > 0 && ours < 40, `the tree saw only its share (${ours} of 40, the peer ${peerGot})`);
    assert.match(String(a.mqttTree.getTreeItem(c).description), /shared subscription: sees part of the messages/);
    assert.match((a.mqttTree.getTreeItem(c).tooltip as vscode.MarkdownString).value.replace(/\\/g, ''), /Shared subscriptions .* receive only this client's share/);
  });

  it('the CONNACK limits of a broker (max_qos 1, retain_available false, max_packet_size): on the tooltip, disabled in the publish panel, refused on send in words', async () => {
    const broker = await startPrivateMosquitto({ extra: ['max_qos 1', 'retain_available false', 'max_packet_size 2000'] });
    brokers.push(broker);
    const c = await connectWith('limited', broker.port, [{ filter: '#', qos: 1 }]);
    assert.equal(c.capabilities.maximumQoS, 1);
    assert.equal(c.capabilities.retainAvailable, false);
    assert.equal(c.capabilities.maximumPacketSize, 2000);
    const tooltip = (a.mqttTree.getTreeItem(c).tooltip as vscode.MarkdownString).value.replace(/\\/g, '');
    assert.match(tooltip, /Broker limits \(CONNACK\): maximum QoS 1, no retained messages, packets up to 2,000 bytes/);

    await vscode.commands.executeCommand('brokerExplorer.openPublishPanel', { brokerId: c.id });
    const target = await until(() => a.panels.publisher?.targets().find((t) => t.brokerId === c.id), 'the publish panel');
    assert.equal(target.maximumQoS, 1);
    assert.equal(target.retainAvailable, false);

    await assert.rejects(c.publish('limits/q2', Buffer.from('x'), { qos: 2 }), /"limited" refuses this message: the broker accepts QoS 1 at most/);
    await assert.rejects(c.publish('limits/r', Buffer.from('x'), { qos: 0, retain: true }), /does not keep retained messages/);
    await assert.rejects(c.publish('limits/big', Buffer.alloc(5000), { qos: 1 }), /is 5,026 bytes and the broker accepts packets up to 2,000 bytes/);
    assert.equal(c.state.kind, 'connected', 'refused before sending: the broker did not drop the connection');
    await c.publish('limits/ok', Buffer.from('fine'), { qos: 1 });
    await until(() => c.topics.find('limits/ok'), 'a message within the limits');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
