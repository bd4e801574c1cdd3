// MQTT 5 subscriptions and server capabilities (issue 23), in real VS Code: subscription options
// (No Local, Retain Handling, Retain As Published) against the shared Mosquitto, a shared
// subscription's share, and the CONNACK limits of a private mosquitto (max_qos 1,
// retain_available false, max_packet_size) on the broker's tooltip, in the publish panel and on send.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import type { IConnectPacket, ISubscribePacket } from 'mqtt-packet';
import * as vscode from 'vscode';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { MqttSubscription } from '../../src/core/brokers/profile';
import type { BrokerExplorerApi } from '../../src/extension';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { startMqttSniffer, type MqttSniffer } from '../support/mqttSniffer';
import type { TopicNode } from '../../src/core/mqtt/topicNode';
import { api, until } from './helpers';

describe('MQTT 5 subscriptions and broker capabilities', function () {
  this.timeout(60_000);
  let a: BrokerExplorerApi;
  const ids: string[] = [];
  const brokers: PrivateBroker[] = [];
  const sniffers: MqttSniffer[] = [];
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
    for (const s of sniffers) {
      await s.close();
    }
    // The retained message this suite left on the shared broker.
    const c = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    await c.publishAsync(`${run}/retained`, '', { retain: true, qos: 1 });
    await c.endAsync();
  });

  const connectWith = async (name: string, port: number, subscriptions: readonly MqttSubscription[], more: Record<string, unknown> = {}): Promise<MqttConnection> => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name, host: '127.0.0.1', port, connect: false });
    ids.push(id);
    const draft = a.registry.get(id)!.profile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...draft, protocolVersion: 5, subscriptions, ...more } });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    return a.registry.get(id) as MqttConnection;
  };
  /** A topic row's tooltip as VS Code gets it on hover (markdown escapes removed). */
  const topicTooltip = (node: TopicNode): string => {
    const item = a.mqttTree.resolveTreeItem(a.mqttTree.getTreeItem(node), node);
    return (item.tooltip as vscode.MarkdownString).value.replace(/\\/g, '');
  };
  const sniff = async (version: 4 | 5): Promise<MqttSniffer> => {
    const s = await startMqttSniffer(1883, version);
    sniffers.push(s);
    return s;
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

  it('subscription identifiers: one SUBSCRIBE per filter, each with its own; a message names the subscriptions it matched in the tooltip and the inspector', async () => {
    const sniffer = await sniff(5);
    const wide = `${run}/ids/#`;
    const narrow = `${run}/ids/+/temp`;
    const c = await connectWith('ids', sniffer.port, [{ filter: wide, qos: 1 }, { filter: narrow, qos: 1 }]);
    const subscribes = sniffer.fromClient('subscribe') as ISubscribePacket[];
    assert.deepEqual(
      subscribes.map((p) => [p.subscriptions.map((x) => x.topic), p.properties?.subscriptionIdentifier]),
      [[[wide], c.subscriptionIds.idOf(wide)], [[narrow], c.subscriptionIds.idOf(narrow)]],
      'one SUBSCRIBE per filter, each with its identifier',
    );
    const inspector = await a.panels.inspect({ kind: 'mqtt', brokerId: c.id, filter: `${run}/ids/#` });
    try {
      const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
      await pub.publishAsync(`${run}/ids/a/temp`, '21.5', { qos: 1 });
      await pub.publishAsync(`${run}/ids/a/humidity`, '40', { qos: 1 });
      await pub.endAsync();
      const both = await until(() => c.topics.find(`${run}/ids/a/temp`), 'the message both subscriptions match');
      const one = await until(() => c.topics.find(`${run}/ids/a/humidity`), 'the message only the wide one matches');
      assert.match(topicTooltip(both), /matched subscriptions? `/);
      assert.match(topicTooltip(one), new RegExp(`matched subscription \`${wide.replace(/[/#]/g, '\\$&')}\``));
      assert.doesNotMatch(topicTooltip(one), /temp`/, 'the narrow filter did not match humidity');
      const seen = await until(() => {
        const all = [...inspector.buffer.all()];
        return all.length >= 2 && all;
      }, 'the inspector\'s messages');
      const humidity = seen.find((m) => m.topic.endsWith('/humidity'));
      assert.deepEqual(humidity?.matched, [wide], 'the inspector\'s details name the subscription');
      const temps = seen.filter((m) => m.topic.endsWith('/temp')).flatMap((m) => m.matched ?? []);
      assert.deepEqual(new Set(temps), new Set([wide, narrow]), 'the temperature matched both subscriptions');
    } finally {
      inspector.dispose();
    }
  });

  it('MQTT 3.1.1: one SUBSCRIBE for all filters, no identifiers, nothing named on the tooltip', async () => {
    const sniffer = await sniff(4);
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'v311 ids', host: '127.0.0.1', port: sniffer.port, connect: false });
    ids.push(id);
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, {
      profile: { ...a.registry.get(id)!.profile, protocolVersion: 4, receiveMaximum: 3, subscriptions: [{ filter: `${run}/v4/#`, qos: 0 }, { filter: `${run}/v4b/#`, qos: 0 }] },
    });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    const c = a.registry.get(id) as MqttConnection;
    const subscribes = sniffer.fromClient('subscribe') as ISubscribePacket[];
    assert.deepEqual(subscribes.map((p) => p.subscriptions.length), [2]);
    const connect = sniffer.fromClient('connect')[0] as IConnectPacket;
    assert.equal(connect.properties, undefined, 'no MQTT 5 properties on a 3.1.1 CONNECT');
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    await pub.publishAsync(`${run}/v4/x`, 'x');
    await pub.endAsync();
    const node = await until(() => c.topics.find(`${run}/v4/x`), 'the 3.1.1 message');
    assert.doesNotMatch(topicTooltip(node), /matched subscription/);
  });

  it('Receive Maximum and Topic Alias Maximum go on CONNECT, the broker keeps to them, the tooltip says so; aliased topics arrive resolved', async () => {
    const sniffer = await sniff(5);
    const c = await connectWith('flow', sniffer.port, [{ filter: `${run}/flow/#`, qos: 1 }], { receiveMaximum: 1, topicAliasMaximum: 8 });
    const connect = sniffer.fromClient('connect')[0] as IConnectPacket;
    assert.equal(connect.properties?.receiveMaximum, 1);
    assert.equal(connect.properties?.topicAliasMaximum, 8);
    assert.match((a.mqttTree.getTreeItem(c).tooltip as vscode.MarkdownString).value.replace(/\\/g, ''), /This client's limits \(CONNECT\): receive maximum 1, topic aliases up to 8/);

    // A burst of QoS 1 messages: with Receive Maximum 1 the broker waits for each PUBACK.
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883, protocolVersion: 5 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => pub.publishAsync(`${run}/flow/burst`, String(i), { qos: 1 })));
    await until(() => (c.topics.find(`${run}/flow/burst`)?.messages ?? 0) === 60, 'the 60 messages of the burst');
    assert.equal(sniffer.maxInFlightToClient(), 1, 'never more than one unacknowledged message towards us');

    // Topic aliases from a raw client: the second and third messages carry only the alias.
    await pub.publishAsync(`${run}/flow/aliased`, 'first', { qos: 1, properties: { topicAlias: 1 } });
    await pub.publishAsync('', 'second', { qos: 1, properties: { topicAlias: 1 } });
    await pub.publishAsync('', 'third', { qos: 1, properties: { topicAlias: 1 } });
    await pub.endAsync();
    const aliased = await until(() => c.topics.find(`${run}/flow/aliased`)?.messages === 3 && c.topics.find(`${run}/flow/aliased`), 'the aliased messages under their real topic');
    assert.equal(Buffer.from(aliased.last!.payload).toString(), 'third');
    assert.equal(c.topics.find(''), undefined, 'no empty topic in the tree');
  });

  it('the same burst without a Receive Maximum: the broker sends several at once (the check above can fail)', async () => {
    const sniffer = await sniff(5);
    const c = await connectWith('no flow limit', sniffer.port, [{ filter: `${run}/burst2/#`, qos: 1 }]);
    const connect = sniffer.fromClient('connect')[0] as IConnectPacket;
    assert.equal(connect.properties?.receiveMaximum, undefined);
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883, protocolVersion: 5 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => pub.publishAsync(`${run}/burst2/x`, String(i), { qos: 1 })));
    await pub.endAsync();
    await until(() => (c.topics.find(`${run}/burst2/x`)?.messages ?? 0) === 60, 'the 60 messages');
    assert.ok(sniffer.maxInFlightToClient() > 1, `several in flight (${sniffer.maxInFlightToClient()})`);
  });

  it('an out-of-range Receive Maximum or Topic Alias Maximum fails the connection in plain words, before anything is sent', async () => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'bad flow', host: '127.0.0.1', port: 1883, connect: false });
    ids.push(id);
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...a.registry.get(id)!.profile, receiveMaximum: 0 } });
    await vscode.commands.executeCommand('brokerExplorer.connectBroker', id);
    const state = await until(() => {
      const s = a.registry.get(id)!.state;
      return s.kind === 'failed' && s;
    }, 'the connection to fail');
    assert.match(state.reason, /Receive Maximum must be a whole number from 1 to 65535/);
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...a.registry.get(id)!.profile, receiveMaximum: undefined, topicAliasMaximum: 70000 } });
    await vscode.commands.executeCommand('brokerExplorer.connectBroker', id);
    const again = await until(() => {
      const s = a.registry.get(id)!.state;
      return s.kind === 'failed' && /Topic Alias/.test(s.reason) && s;
    }, 'the connection to fail on the alias maximum');
    assert.match(again.reason, /Topic Alias Maximum must be a whole number from 0 to 65535.*70000 is not/);
  });
});
