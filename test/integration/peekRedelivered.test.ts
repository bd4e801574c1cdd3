import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { BrokerExplorerApi, TestingApi } from '../../src/extension';
import { api, until } from './helpers';

// Issue 18 item 4: a peek takes the messages and puts them back (ack_requeue_true), so RabbitMQ
// reports them redelivered from then on. The first peek's rows must say so too, not only the
// status line: every peeked message reaches the webview marked `returned`, while `redelivered`
// keeps what the broker reported this time (false on the first peek, true on the next).
describe('a queue peek marks its messages returned to the queue (real RabbitMQ, management API)', function () {
  this.timeout(90_000);
  let a: BrokerExplorerApi;
  let testing: TestingApi;
  let amqpId: string;

  before(async () => {
    a = await api();
    assert.ok(a.testing, 'the extension runs under test');
    testing = a.testing;
    amqpId = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'peek flags rabbit', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    assert.equal(a.registry.get(amqpId)?.state.kind, 'connected');
  });

  after(async () => {
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', amqpId, { confirm: false });
  });

  it('the first peek marks every row returned (now redelivered); the second one sees the broker say redelivered', async () => {
    const c = a.registry.get(amqpId) as AmqpConnection;
    const queue = `be-it-peek-returned-${process.pid}`;
    const ch = await c.channelModel!.createChannel();
    try {
      await ch.assertQueue(queue, { durable: false });
      for (const body of ['one', 'two', 'three']) {
        ch.sendToQueue(queue, Buffer.from(body));
      }
      await until(async () => (await ch.checkQueue(queue)).messageCount === 3, 'three messages in the queue');

      const peek = await a.panels.inspect({ kind: 'amqpPeek', brokerId: amqpId, vhost: '/', queue, count: 10 });
      await until(() => peek.isReady, 'the peek webview to say ready', 30_000);
      await until(() => testing.panelPosts.lastPosted(peek).length === 3, 'the three peeked messages posted to the webview');
      const first = testing.panelPosts.lastPosted(peek);
      assert.deepEqual(first.map((m) => Buffer.from(m.payload).toString()), ['one', 'two', 'three']);
      assert.deepEqual(first.map((m) => m.redelivered), [false, false, false], 'RabbitMQ had not delivered them before this peek');
      assert.deepEqual(first.map((m) => m.returned), [true, true, true], 'but each row says it went back and is now redelivered');
      assert.ok([...peek.buffer.all()].every((m) => m.returned === true), 'the host keeps the mark too (export, reveal)');

      // What the rows said is what the broker reports now.
      const next = await ch.get(queue, { noAck: false });
      assert.ok(next, 'the message is back in the queue');
      assert.equal(next.fields.redelivered, true, 'RabbitMQ marks it redelivered, as the row said');
      ch.nack(next, false, true);

      // Peek again (the panel's Refresh): now the broker says redelivered as well; still returned.
      await peek.handle({ type: 'inspect/refresh', id: 1 });
      await until(() => testing.panelPosts.lastPosted(peek).every((m) => m.redelivered === true), 'the second peek posted with redelivered');
      const second = testing.panelPosts.lastPosted(peek);
      assert.equal(second.length, 3);
      assert.deepEqual(second.map((m) => m.returned), [true, true, true]);
      peek.dispose();
    } finally {
      await ch.deleteQueue(queue).catch(() => {});
      await ch.close().catch(() => {});
    }
  });

  it('a tap delivery is not marked returned (only a peek puts messages back)', async () => {
    const c = a.registry.get(amqpId) as AmqpConnection;
    const exchange = `be-it-peek-returned-x-${process.pid}`;
    const ch = await c.channelModel!.createChannel();
    try {
      await ch.assertExchange(exchange, 'fanout', { durable: false, autoDelete: false });
      const tap = await a.panels.inspect({ kind: 'amqpTap', brokerId: amqpId, vhost: '/', exchange, pattern: '' });
      await until(() => tap.isReady, 'the tap webview to say ready', 30_000);
      ch.publish(exchange, '', Buffer.from('live'));
      await until(() => testing.panelPosts.lastPosted(tap).length === 1, 'the tapped message posted');
      const [m] = testing.panelPosts.lastPosted(tap);
      assert.equal(m!.returned, undefined);
      assert.equal(m!.redelivered, false);
      tap.dispose();
    } finally {
      await ch.deleteExchange(exchange).catch(() => {});
      await ch.close().catch(() => {});
    }
  });
});
