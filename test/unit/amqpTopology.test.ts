import assert from 'node:assert/strict';
import { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { AmqpProfile } from '../../src/core/brokers/profile';
import { freePort } from '../support/net';

const profile = (extra: Partial<AmqpProfile> = {}): AmqpProfile => ({ id: 'amqp-topo', kind: 'amqp', name: 'rabbit', host: '127.0.0.1', port: 5672, vhost: '/', username: 'guest', ...extra });

describe('RabbitMQ operations and the management API (real RabbitMQ)', function () {
  this.timeout(30_000);
  const queue = `be-unit-info-${process.pid}`;
  let c: AmqpConnection;

  before(async () => {
    c = new AmqpConnection(profile(), { getPassword: async () => 'guest' });
    assert.equal((await c.connect()).kind, 'connected');
  });
  after(async () => {
    await c.management.deleteQueue('/', queue).catch(() => {});
    await c.dispose();
  });

  it("runs the seed's flow: declare logs (direct), bind a queue with info, publish, peek, purge", async () => {
    await c.declareExchange('logs', 'direct', { durable: false });
    assert.equal(await c.declareQueue(queue, 'classic', { durable: false }), queue);
    await c.bindQueue(queue, 'logs', 'info');
    assert.equal(await c.publish('logs', 'info', Buffer.from('{"message": "System started successfully."}'), { contentType: 'application/json' }), 'routed');
    assert.equal(await c.publish('logs', 'no-such-key', Buffer.from('lost?')), 'unroutable', 'never a silent drop');

    const topology = await c.refreshTopology();
    assert.equal(topology.error, undefined);
    const vhost = topology.vhosts.find((v) => v.name === '/')!;
    const logs = vhost.exchanges.find((e) => e.name === 'logs')!;
    assert.equal(logs.type, 'direct');
    assert.ok(vhost.queues.some((q) => q.name === queue));
    assert.ok(vhost.bindings.some((b) => b.source === 'logs' && b.destination === queue && b.routing_key === 'info'));
    // Read per exchange, the default one's made from the queue list: the same as the broker's whole listing says.
    const key = (b: { source: string; destination: string; destination_type: string; properties_key: string }) => JSON.stringify(b);
    const listed = (await c.management.bindings('/')).filter((b) => b.destination === queue).map(key).sort();
    assert.deepEqual(vhost.bindings.filter((b) => b.destination === queue).map(key).sort(), listed);
    assert.equal(listed.length, 2, 'the default exchange binding and logs → queue');

    const peeked = await c.management.peek('/', queue, 5);
    assert.equal(peeked.length, 1);
    assert.equal(peeked[0]!.payload, '{"message": "System started successfully."}');
    assert.equal(peeked[0]!.routing_key, 'info');
    assert.equal((peeked[0]!.properties as { content_type?: string }).content_type, 'application/json');
    const again = await c.management.peek('/', queue, 5);
    assert.equal(again.length, 1, 'peeking does not lose the message');
    assert.equal(again[0]!.redelivered, true, 'a peeked message comes back marked redelivered');

    await c.management.purge('/', queue);
    assert.deepEqual(await c.management.peek('/', queue, 5), []);
  });

  it('keeps the connection when the broker refuses an operation (404), with its reply text', async () => {
    await assert.rejects(
      c.withChannel((ch) => ch.checkQueue('be-no-such-queue')),
      /^Error: It does not exist — NOT_FOUND - no queue 'be-no-such-queue' in vhost '\/'$/,
    );
    assert.equal(c.state.kind, 'connected');
    assert.equal(await c.publish('logs', 'info', Buffer.from('still works')), 'routed');
    await c.management.purge('/', queue);
  });

  it('refuses to redeclare an exchange with another type (406), connection intact', async () => {
    await assert.rejects(c.declareExchange('logs', 'fanout', { durable: false }), /^Error: It already exists with other settings — PRECONDITION_FAILED - inequivalent arg 'type'/);
    assert.equal(c.state.kind, 'connected');
  });

  it('declares quorum queues', async () => {
    const name = `be-unit-quorum-${process.pid}`;
    await c.declareQueue(name, 'quorum');
    const topology = await c.refreshTopology();
    const q = topology.vhosts.find((v) => v.name === '/')!.queues.find((x) => x.name === name)!;
    assert.equal(q.type, 'quorum');
    await c.management.deleteQueue('/', name);
  });

  it('says how to enable the management plugin when its API does not answer', async () => {
    const port = await freePort();
    const other = new AmqpConnection(profile({ id: 'no-mgmt', managementUrl: `http://127.0.0.1:${port}` }), { getPassword: async () => 'guest' });
    try {
      assert.equal((await other.connect()).kind, 'connected', 'AMQP itself still works');
      const t = await other.refreshTopology();
      assert.match(t.error ?? '', new RegExp(`management API at http://127\\.0\\.0\\.1:${port} is not reachable \\(nothing is listening there\\) — enable it on the broker with: rabbitmq-plugins enable rabbitmq_management`));
    } finally {
      await other.dispose();
    }
  });

  it('reads a stream from its first offset without consuming it', async () => {
    const name = `be-unit-stream-${process.pid}`;
    await c.declareQueue(name, 'stream');
    try {
      for (const t of [1, 2, 3]) {
        assert.equal(await c.publish('', name, Buffer.from(`reading ${t}`)), 'routed');
      }
      const two = await c.readStream(name, 2, 'first', 500);
      assert.deepEqual(two.map((m) => m.body.toString()), ['reading 1', 'reading 2']);
      const again = await c.readStream(name, 10, 'first', 500);
      assert.deepEqual(again.map((m) => m.body.toString()), ['reading 1', 'reading 2', 'reading 3'], 'reading does not consume');
      assert.deepEqual(again.map((m) => m.offset), [0, 1, 2]);
    } finally {
      await c.management.deleteQueue('/', name);
    }
  });

  it('lists queues a page at a time, sorted by name, with the total', async () => {
    const names = [0, 1, 2].map((i) => `be-unit-page-${process.pid}-${i}`);
    for (const n of names) {
      await c.declareQueue(n, 'classic', { durable: false });
    }
    try {
      const page = await c.management.queues('/', 2);
      assert.equal(page.items.length, 2);
      assert.ok(page.total >= 3, `total ${page.total}`);
      const sorted = [...page.items.map((q) => q.name)].sort();
      assert.deepEqual(page.items.map((q) => q.name), sorted);
      const all = await c.management.queues('/');
      assert.ok(names.every((n) => all.items.some((q) => q.name === n)));
      const first = all.items[0] as unknown as Record<string, unknown>;
      assert.equal(typeof first.durable, 'boolean', 'the columns the tree shows are there');
      assert.equal(first.node, undefined, 'and only those');
    } finally {
      for (const n of names) {
        await c.management.deleteQueue('/', n);
      }
    }
  });

  it('reports wrong credentials of the management API in plain words', async () => {
    const { ManagementClient } = await import('../../src/core/amqp/management');
    await assert.rejects(new ManagementClient(c.managementUrl, 'guest', 'wrong').vhosts(), /^ManagementError: Not authorized: the management API refused/);
  });
});
