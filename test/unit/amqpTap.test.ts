import assert from 'node:assert/strict';
import { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import { AmqpTap } from '../../src/core/amqp/tap';
import { until } from '../support/wait';

describe('AMQP tap (real RabbitMQ)', function () {
  this.timeout(20_000);
  let c: AmqpConnection;
  const exchange = `be-unit-tap-${process.pid}`;

  before(async () => {
    c = new AmqpConnection({ id: 'tap', kind: 'amqp', name: 'rabbit', host: '127.0.0.1', port: 5672, vhost: '/', username: 'guest' }, { getPassword: async () => 'guest' });
    await c.connect();
    await c.declareExchange(exchange, 'topic', { durable: false, autoDelete: false });
  });
  after(async () => {
    await c.management.deleteExchange('/', exchange).catch(() => {});
    await c.dispose();
  });

  it('shows what flows through an exchange, then removes its queue', async () => {
    const tap = new AmqpTap(c, exchange, { pattern: 'station01.#', keep: 3 }, 50);
    await tap.start();
    const queue = tap.queueName!;
    let events = 0;
    tap.onDidReceive(() => events++);
    for (let i = 0; i < 5; i++) {
      await c.publish(exchange, 'station01.temperature', Buffer.from(JSON.stringify({ temperature: 20 + i })), { contentType: 'application/json' });
    }
    assert.equal(await c.publish(exchange, 'station02.temperature', Buffer.from('{}')), 'unroutable', 'the pattern limits the tap');
    for (let i = 0; i < 100 && tap.received < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(tap.received, 5);
    const kept = tap.messages();
    assert.deepEqual(kept.map((m) => Buffer.from(m.body).toString()), ['{"temperature":22}', '{"temperature":23}', '{"temperature":24}']);
    assert.equal(kept[0]!.routingKey, 'station01.temperature');
    assert.equal(kept[0]!.contentType, 'application/json');
    await until('a batched event', () => events >= 1, 5000);
    assert.ok(events >= 1 && events < 5, `${events} batched events`);

    const listed = (await c.refreshTopology()).vhosts.find((v) => v.name === '/')!.queues.map((q) => q.name);
    assert.ok(listed.includes(queue), 'the tap queue exists while tapping');
    await tap.stop();
    const after = (await c.refreshTopology()).vhosts.find((v) => v.name === '/')!.queues.map((q) => q.name);
    assert.ok(!after.includes(queue), 'stopping removes the tap queue');
    assert.equal(c.state.kind, 'connected');
  });

  it('reports a missing exchange in the broker words, connection intact', async () => {
    const tap = new AmqpTap(c, 'be-no-such-exchange');
    await assert.rejects(tap.start(), /NOT_FOUND - no exchange 'be-no-such-exchange'/);
    assert.equal(c.state.kind, 'connected');
  });
});
