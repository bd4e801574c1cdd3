// MQTT 5 leftovers of issue 23, the pure parts: subscription identifiers (one per filter, named
// back on received messages) and the client's Receive Maximum / Topic Alias Maximum (validated in
// words, sent on CONNECT, refused in brokers.json).
import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { IPublishPacket } from 'mqtt';
import mqttPacket, { type IConnectPacket, type ISubscribePacket } from 'mqtt-packet';
import { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import { parseWorkspaceBrokers } from '../../src/core/brokers/workspaceBrokers';
import { fromLiveMessage } from '../../src/core/inspect/incoming';
import { InspectorBuffer } from '../../src/core/inspect/buffer';
import { describeFlowControl, flowControlProblem, flowControlProperties, receiveMaximumProblem, topicAliasMaximumProblem, typedNumber } from '../../src/core/brokers/flowControl';
import { MAX_SUBSCRIPTION_ID, SubscriptionIds } from '../../src/core/mqtt/subscriptionIds';
import { propertyRows } from '../../webview/inspect/display';

const folder = { path: '/work/project', name: 'project' };

describe('MQTT 5 subscription identifiers', () => {
  it('gives each filter its own identifier from 1, the same one again for the same filter', () => {
    const ids = new SubscriptionIds();
    assert.equal(ids.idOf('plant/#'), 1);
    assert.equal(ids.idOf('$SYS/#'), 2);
    assert.equal(ids.idOf('plant/#'), 1, 'stable: a reconnect subscribes with the same identifier');
    assert.equal(ids.filterOf(2), '$SYS/#');
    for (const none of [0, -1, 3, 1.5, NaN]) {
      assert.equal(ids.filterOf(none), undefined, String(none));
    }
  });

  it('names the subscriptions a message matched: one identifier, several (an array), unknown ones, none', () => {
    const ids = new SubscriptionIds();
    ids.idOf('plant/#');
    ids.idOf('plant/+/temp');
    assert.deepEqual(ids.matched(1), ['plant/#']);
    assert.deepEqual(ids.matched([2, 1]), ['plant/+/temp', 'plant/#']);
    assert.deepEqual(ids.matched([1, 1]), ['plant/#'], 'each filter once');
    assert.deepEqual(ids.matched(7), ['#7'], 'an identifier this connection never gave is shown as a number');
    assert.deepEqual(ids.matched(undefined), []);
    assert.deepEqual(ids.matched(['x', null]), [], 'not numbers: nothing');
  });

  it('stays within the protocol\'s largest identifier', () => {
    assert.equal(MAX_SUBSCRIPTION_ID, 268_435_455);
  });

  it('the inspector carries the matched filters to its details table; MQTT 3.1.1 messages carry none', () => {
    const payload = Buffer.from('21.5');
    const packet = { cmd: 'publish', topic: 'plant/a/temp', payload, qos: 0, retain: false, dup: false, properties: { subscriptionIdentifier: [1, 2] } } as IPublishPacket;
    const m = fromLiveMessage({ topic: 'plant/a/temp', payload, packet, time: 1 }, ['plant/#', 'plant/+/temp']);
    assert.deepEqual(m.matched, ['plant/#', 'plant/+/temp']);
    assert.equal('matched' in fromLiveMessage({ topic: 't', payload, packet: { ...packet, properties: undefined }, time: 1 }), false);
    assert.equal('matched' in fromLiveMessage({ topic: 't', payload, packet, time: 1 }, []), false);

    const buffer = new InspectorBuffer();
    buffer.push(m);
    buffer.push(fromLiveMessage({ topic: 't', payload, packet: { ...packet, properties: undefined }, time: 2 }));
    const [posted, plain] = buffer.takeBatch();
    assert.deepEqual(posted?.matched, ['plant/#', 'plant/+/temp'], 'posted to the webview');
    assert.equal(plain && 'matched' in plain, false, 'no field when nothing matched by identifier');

    const rows = propertyRows(posted?.properties, undefined, posted?.matched);
    assert.deepEqual(
      rows.filter((r) => r.group === 'Subscription').map((r) => `${r.name} ${r.value}`),
      ['matched plant/#', 'matched plant/+/temp'],
    );
  });
});

describe('MQTT 5 Receive Maximum and Topic Alias Maximum', () => {
  it('accepts 1–65535 and 0–65535, refuses the rest in plain words', () => {
    for (const ok of [1, 10, 65535]) {
      assert.equal(receiveMaximumProblem(ok), undefined, String(ok));
    }
    for (const ok of [0, 16, 65535]) {
      assert.equal(topicAliasMaximumProblem(ok), undefined, String(ok));
    }
    for (const bad of [0, 65536, 1.5, -1, '10', null]) {
      assert.match(receiveMaximumProblem(bad) ?? '', /^Receive Maximum must be a whole number from 1 to 65535 \(how many QoS 1 and 2 messages/, JSON.stringify(bad));
    }
    for (const bad of [-1, 65536, 2.5, 'x']) {
      assert.match(topicAliasMaximumProblem(bad) ?? '', /^Topic Alias Maximum must be a whole number from 0 to 65535/, JSON.stringify(bad));
    }
    assert.match(receiveMaximumProblem(typedNumber(' 70000 ')) ?? '', /70000 is not/);
    assert.equal(receiveMaximumProblem(typedNumber(' 12 ')), undefined, 'typed digits are a number');
    assert.match(receiveMaximumProblem(typedNumber('ten')) ?? '', /"ten" is not/);
  });

  it('goes on CONNECT only when set (Topic Alias Maximum 0 is the default: not sent), and on the tooltip', () => {
    assert.deepEqual(flowControlProperties({}), {});
    assert.deepEqual(flowControlProperties({ receiveMaximum: 5, topicAliasMaximum: 0 }), { receiveMaximum: 5 });
    assert.deepEqual(flowControlProperties({ receiveMaximum: 5, topicAliasMaximum: 16 }), { receiveMaximum: 5, topicAliasMaximum: 16 });
    assert.deepEqual(describeFlowControl({ receiveMaximum: 5, topicAliasMaximum: 16 }), ['receive maximum 5', 'topic aliases up to 16']);
    assert.deepEqual(describeFlowControl({}), []);
    assert.equal(flowControlProblem({ receiveMaximum: 5, topicAliasMaximum: 16 }), undefined);
    assert.match(flowControlProblem({ receiveMaximum: 0 }) ?? '', /Receive Maximum/);
    assert.match(flowControlProblem({ topicAliasMaximum: 70000 }) ?? '', /Topic Alias Maximum/);
  });

  it('brokers.json: "receiveMaximum" and "topicAliasMaximum" are read, bad values refuse the entry in words', () => {
    const ok = parseWorkspaceBrokers(JSON.stringify({ brokers: [{ name: 'm', kind: 'mqtt', host: 'h', receiveMaximum: 10, topicAliasMaximum: 32 }] }), folder);
    assert.deepEqual(ok.problems, []);
    assert.deepEqual([ok.profiles[0]?.kind === 'mqtt' && ok.profiles[0].receiveMaximum, ok.profiles[0]?.kind === 'mqtt' && ok.profiles[0].topicAliasMaximum], [10, 32]);
    const bad = parseWorkspaceBrokers(JSON.stringify({ brokers: [{ name: 'm', kind: 'mqtt', host: 'h', receiveMaximum: 0, topicAliasMaximum: '8' }] }), folder);
    assert.equal(bad.profiles.length, 0);
    assert.match(bad.problems.join('\n'), /Receive Maximum must be a whole number from 1 to 65535.*0 is not/);
    assert.match(bad.problems.join('\n'), /Topic Alias Maximum must be a whole number from 0 to 65535.*"8" is not/);
    const amqp = parseWorkspaceBrokers(JSON.stringify({ brokers: [{ name: 'r', kind: 'amqp', host: 'h', receiveMaximum: 10 }] }), folder);
    assert.match(amqp.problems.join('\n'), /"receiveMaximum" is not an AMQP setting and is ignored/);
  });
});

/** An MQTT 5 peer whose CONNACK says what the test wants; it records the SUBSCRIBEs it gets. */
async function announcingBroker(
  connack: Record<string, unknown>,
  deliver: readonly { topic: string; payload: string; properties?: Record<string, unknown> }[] = [],
): Promise<{ port: number; subscribes: ISubscribePacket[]; connects: IConnectPacket[]; stop(): Promise<void> }> {
  const subscribes: ISubscribePacket[] = [];
  const connects: IConnectPacket[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const opts = { protocolVersion: 5 as const };
    parser.on('packet', (packet) => {
      if (packet.cmd === 'connect') {
        connects.push(packet);
        socket.write(mqttPacket.generate({ cmd: 'connack', reasonCode: 0, sessionPresent: false, properties: connack }, opts));
      } else if (packet.cmd === 'subscribe') {
        subscribes.push(packet);
        socket.write(mqttPacket.generate({ cmd: 'suback', messageId: packet.messageId, granted: packet.subscriptions.map(() => 0) }, opts));
        if (subscribes.length === 1) {
          for (const m of deliver) {
            socket.write(mqttPacket.generate({ cmd: 'publish', topic: m.topic, payload: m.payload, qos: 0, retain: false, dup: false, ...(m.properties ? { properties: m.properties } : {}) }, opts));
          }
        }
      }
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    subscribes,
    connects,
    stop: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

describe('subscribing with identifiers, by what the broker announced (mosquitto always has them: a scripted MQTT 5 peer)', () => {
  const subscriptions = [
    { filter: 'plant/#', qos: 1 as const },
    { filter: '$SYS/#', qos: 0 as const },
  ];
  const connectTo = async (connack: Record<string, unknown>) => {
    const broker = await announcingBroker(connack);
    const c = new MqttConnection({ id: 'b', kind: 'mqtt', name: 'scripted', host: '127.0.0.1', port: broker.port, protocolVersion: 5, subscriptions });
    try {
      assert.equal((await c.connect()).kind, 'connected');
      return broker.subscribes.map((p) => ({ filters: p.subscriptions.map((s) => s.topic), id: p.properties?.subscriptionIdentifier }));
    } finally {
      await c.disconnect();
      await broker.stop();
    }
  };

  it('identifiers available (absent from CONNACK, the default): one SUBSCRIBE per filter, each with its identifier', async () => {
    assert.deepEqual(await connectTo({}), [
      { filters: ['plant/#'], id: 1 },
      { filters: ['$SYS/#'], id: 2 },
    ]);
  });

  it('Subscription Identifiers Available 0: one SUBSCRIBE for all filters, without an identifier', async () => {
    assert.deepEqual(await connectTo({ subscriptionIdentifiersAvailable: false }), [{ filters: ['plant/#', '$SYS/#'], id: undefined }]);
  });
});

describe('topic aliases from the broker (mosquitto sends none to clients: a scripted MQTT 5 peer)', () => {
  it('with Topic Alias Maximum 8 on CONNECT, messages the broker sends by alias are shown under their real topic', async () => {
    const broker = await announcingBroker({}, [
      { topic: 'plant/line1/temp', payload: '21.5', properties: { topicAlias: 3 } },
      { topic: '', payload: '21.6', properties: { topicAlias: 3 } },
      { topic: '', payload: '21.7', properties: { topicAlias: 3 } },
    ]);
    const c = new MqttConnection({ id: 'b', kind: 'mqtt', name: 'aliases', host: '127.0.0.1', port: broker.port, protocolVersion: 5, topicAliasMaximum: 8, receiveMaximum: 20, subscriptions: [{ filter: '#', qos: 0 }] });
    try {
      assert.equal((await c.connect()).kind, 'connected');
      assert.deepEqual([broker.connects[0]?.properties?.topicAliasMaximum, broker.connects[0]?.properties?.receiveMaximum], [8, 20]);
      const deadline = Date.now() + 5000;
      while ((c.topics.find('plant/line1/temp')?.messages ?? 0) < 3 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const node = c.topics.find('plant/line1/temp');
      assert.equal(node?.messages, 3, 'all three under the real topic');
      assert.equal(Buffer.from(node.last!.payload).toString(), '21.7');
      assert.equal(c.topics.find(''), undefined, 'no empty topic');
      assert.equal(c.topics.topicCount, 1);
    } finally {
      await c.disconnect();
      await broker.stop();
    }
  });
});
