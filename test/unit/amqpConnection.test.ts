import assert from 'node:assert/strict';
import { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { AmqpProfile } from '../../src/core/brokers/profile';
import { freePort } from '../support/net';

const profile = (extra: Partial<AmqpProfile> = {}): AmqpProfile => ({
  id: 'amqp-test',
  kind: 'amqp',
  name: 'rabbit',
  host: '127.0.0.1',
  port: 5672,
  vhost: '/',
  username: 'guest',
  ...extra,
});

describe('AmqpConnection (real RabbitMQ)', function () {
  this.timeout(20_000);
  const open: AmqpConnection[] = [];
  const track = (c: AmqpConnection) => (open.push(c), c);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  it('connects as guest and can use the connection (the seed\'s "logs" exchange)', async () => {
    const c = track(new AmqpConnection(profile(), { getPassword: async () => 'guest' }));
    assert.equal((await c.connect()).kind, 'connected');
    assert.match(c.serverDescription ?? '', /^RabbitMQ \d+\.\d+/);

    const channel = await c.channelModel!.createChannel();
    await channel.assertExchange('logs', 'direct', { durable: false });
    const q = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(q.queue, 'logs', 'info');
    channel.publish('logs', 'info', Buffer.from('{"message": "System started successfully."}'));
    let msg = await channel.get(q.queue, { noAck: true });
    for (let i = 0; !msg && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      msg = await channel.get(q.queue, { noAck: true });
    }
    assert.ok(msg, 'the message routed by "info" reached the bound queue');
    assert.equal(msg.content.toString(), '{"message": "System started successfully."}');
    await channel.close();

    await c.disconnect();
    assert.equal(c.state.kind, 'disconnected');
  });

  it('says "Not authorized" for a wrong password', async () => {
    const c = track(new AmqpConnection(profile(), { getPassword: async () => 'not-the-password' }));
    const state = await c.connect();
    assert.equal(state.kind, 'failed');
    assert.equal(state.kind === 'failed' && state.reason, 'Not authorized: RabbitMQ refused user "guest" or its password');
    assert.equal(state.kind === 'failed' && state.cause, 'credentials');
  });

  it('explains a virtual host that does not exist', async () => {
    const c = track(new AmqpConnection(profile({ vhost: 'no-such-vhost-be' }), { getPassword: async () => 'guest' }));
    const state = await c.connect();
    assert.match(state.kind === 'failed' ? state.reason : state.kind, /^Not allowed: .*virtual host/);
  });

  it('fails with "Connection refused" when nothing listens', async () => {
    const port = await freePort();
    const c = track(new AmqpConnection(profile({ port }), { getPassword: async () => 'guest' }));
    const state = await c.connect();
    assert.equal(state.kind === 'failed' && state.reason, `Connection refused: nothing is listening on 127.0.0.1:${port}`);
  });

  it('fails in plain words when the port belongs to an MQTT broker', async () => {
    const c = track(new AmqpConnection(profile({ port: 1883 }), { getPassword: async () => 'guest', connectTimeoutMs: 3000 }));
    const state = await c.connect();
    assert.equal(state.kind, 'failed');
    assert.match(state.kind === 'failed' ? state.reason : '', /does not speak AMQP|reset the connection|No answer|closed/);
  });
});

describe('AmqpConnection over TLS (a TLS terminator in front of the real RabbitMQ)', function () {
  this.timeout(20_000);
  let pki: import('../support/tls').TestPki;
  let proxy: { port: number; close(): Promise<void> };
  const open: AmqpConnection[] = [];
  const connect = async (extra: Partial<AmqpProfile>) => {
    const c = new AmqpConnection(profile({ protocol: 'amqps', ...extra }), { getPassword: async () => 'guest', connectTimeoutMs: 5000 });
    open.push(c);
    return c.connect();
  };

  before(async () => {
    const { makeTestPki } = await import('../support/tls');
    const { startTlsProxy } = await import('../support/tlsProxy');
    pki = makeTestPki();
    proxy = await startTlsProxy(pki.serverCert, pki.serverKey, 5672);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });
  after(async () => {
    await proxy?.close();
  });

  it('connects with amqps when it trusts the CA', async () => {
    assert.equal((await connect({ port: proxy.port, tls: { caFile: pki.ca } })).kind, 'connected');
  });

  it('refuses an unknown certificate in plain words, and connects with verification off', async () => {
    const state = await connect({ port: proxy.port });
    // Named from a probe of what the terminator presents: the test CA nobody told this connection about.
    assert.match(state.kind === 'failed' ? state.reason : state.kind, /^TLS: the server's certificate was issued by Broker Explorer Test CA, which this connection does not trust/);
    assert.equal(state.kind === 'failed' ? state.cause : undefined, 'certificate');
    assert.equal((await connect({ port: proxy.port, tls: { verify: false } })).kind, 'connected');
  });
});
