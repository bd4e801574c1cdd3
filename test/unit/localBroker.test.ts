import assert from 'node:assert/strict';
import net from 'node:net';
import mqtt from 'mqtt';
import { findFreePort, isLoopbackHost, isPortFree, startLocalBroker, type LocalBroker } from '../../src/core/brokers/localBroker';

/** Binds a plain TCP server on 127.0.0.1:port and closes it: proves the port is free. */
function bindAndClose(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

describe('local test broker (aedes)', function () {
  this.timeout(15_000);
  let broker: LocalBroker;
  const clients: mqtt.MqttClient[] = [];
  const connect = async (): Promise<mqtt.MqttClient> => {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4, reconnectPeriod: 0 });
    clients.push(c);
    return c;
  };

  before(async () => {
    broker = await startLocalBroker({ port: 0 });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.stop();
  });

  it('listens on 127.0.0.1, on a free port when asked for port 0', () => {
    assert.equal(broker.host, '127.0.0.1');
    assert.ok(broker.port > 0);
  });

  it('delivers a QoS 1 message and a retained one to a later subscriber', async () => {
    const publisher = await connect();
    const subscriber = await connect();
    assert.equal(broker.clients(), 2);
    const received = new Promise<{ topic: string; payload: string; qos: number }>((resolve) =>
      subscriber.once('message', (topic, payload, packet) => resolve({ topic, payload: payload.toString(), qos: packet.qos })),
    );
    await subscriber.subscribeAsync('test/qos1', { qos: 1 });
    // mqtt.js resolves a QoS 1 publish once the broker's PUBACK arrives.
    const sent = await publisher.publishAsync('test/qos1', 'hello', { qos: 1 });
    assert.equal(sent && 'qos' in sent && sent.qos, 1);
    assert.deepEqual(await received, { topic: 'test/qos1', payload: 'hello', qos: 1 });

    await publisher.publishAsync('test/status', 'online', { qos: 1, retain: true });
    const late = await connect();
    const retained = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      late.once('message', (_topic, payload, packet) => resolve({ payload: payload.toString(), retain: packet.retain })),
    );
    await late.subscribeAsync('test/status', { qos: 1 });
    assert.deepEqual(await retained, { payload: 'online', retain: true });
    assert.equal(broker.messages(), 2);
  });

  it('refuses a port in use in plain words', async () => {
    await assert.rejects(startLocalBroker({ port: broker.port }), {
      message: `Port ${broker.port} is already in use — is another broker running? Pick another port.`,
    });
    assert.equal(await isPortFree(broker.port), false);
  });

  it('listens on loopback only', async () => {
    await assert.rejects(startLocalBroker({ port: 0, host: '0.0.0.0' }), /this machine only/);
    assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('::1') && isLoopbackHost('localhost'));
    assert.ok(!isLoopbackHost('::') && !isLoopbackHost('192.168.1.2'));
  });

  it('finds a free port, preferring the ones given', async () => {
    const taken = broker.port;
    const port = await findFreePort([taken]);
    assert.notEqual(port, taken);
    assert.equal(await isPortFree(port), true);
  });

  it('stops: closes clients, frees the port, and a second stop is harmless', async () => {
    const own = await startLocalBroker({ port: 0 });
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${own.port}`, { protocolVersion: 4, reconnectPeriod: 0 });
    const idle = new net.Socket(); // connected but never sends CONNECT
    await new Promise<void>((resolve) => idle.connect(own.port, '127.0.0.1', resolve));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    await own.stop();
    await closed;
    await idleClosed;
    assert.equal(own.clients(), 0);
    await bindAndClose(own.port);
    await own.stop();
    await client.endAsync(true);
  });
});
