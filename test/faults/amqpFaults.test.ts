// Faults on the shared RabbitMQ without stopping or reconfiguring it for good: channel errors
// (404 / 403 / 406), a memory alarm that blocks publishers (set and restored in a `finally`),
// a TCP proxy of our own that cuts the connection, and `rabbitmqctl close_connection`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import amqplib from 'amqplib';
import { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import { AmqpTap } from '../../src/core/amqp/tap';
import type { AmqpProfile } from '../../src/core/brokers/profile';
import { sendDraft } from '../../src/core/publish/publish';
import type { PublishDraft } from '../../src/core/protocol/publish';
import type { ConnectionState } from '../../src/core/brokers/state';
import { startProxy, type TcpProxy } from '../support/proxy';
import { outcome } from '../support/reliability';
import { until } from '../support/wait';

const tag = `${process.pid}-${Date.now().toString(36)}`;
let seq = 0;

const profile = (port: number, extra: Partial<AmqpProfile> = {}): AmqpProfile => ({
  id: `amqp-fault-${++seq}`,
  kind: 'amqp',
  name: `fault ${tag} ${seq}`,
  host: '127.0.0.1',
  port,
  vhost: '/',
  username: 'guest',
  ...extra,
});


function rabbitmqctl(...args: string[]): string {
  return execFileSync('rabbitmqctl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

describe('AMQP faults (shared RabbitMQ, own proxy)', function () {
  this.timeout(120_000);
  let c: AmqpConnection;
  const connections: AmqpConnection[] = [];
  const open = async (p: AmqpProfile, backoff = { initialMs: 300, maxMs: 1000, jitter: 0 }): Promise<AmqpConnection> => {
    const conn = new AmqpConnection(p, { getPassword: async () => 'guest', backoff });
    connections.push(conn);
    assert.equal((await conn.connect()).kind, 'connected');
    return conn;
  };
  const exchange = `be-fault-${tag}`;
  let publisher: amqplib.ChannelModel;
  let pubChannel: amqplib.Channel;

  before(async () => {
    c = await open(profile(5672));
    await c.declareExchange(exchange, 'topic', { durable: false, autoDelete: false });
    publisher = await amqplib.connect('amqp://guest:guest@127.0.0.1:5672');
    pubChannel = await publisher.createChannel();
  });
  after(async () => {
    await c.management.deleteExchange('/', exchange).catch(() => {});
    await publisher?.close().catch(() => {});
    await Promise.all(connections.map((x) => x.dispose()));
  });

  it('404, 403 and 406 close a channel, never the connection, and read in plain words', async () => {
    const queue = `be-fault-q-${tag}`;
    const got: string[] = [];
    const notFound = await c.withChannel((ch) => ch.checkExchange(`be-missing-${tag}`)).then(() => 'it exists?', (e: Error) => e.message);
    got.push(String(notFound));
    assert.match(String(notFound), /^It does not exist — NOT_FOUND - no exchange 'be-missing-/);
    // amq.* names are reserved: RabbitMQ answers 403 ACCESS_REFUSED, even to guest.
    const refused = await c.declareExchange(`amq.be-${tag}`, 'topic').catch((e: Error) => e.message);
    got.push(String(refused));
    assert.match(String(refused), /^Not allowed — ACCESS_REFUSED - exchange name 'amq\.be-.*' contains reserved prefix 'amq\.\*'/);
    await c.declareQueue(queue, 'classic', { durable: true });
    try {
      const mismatch = await c.declareQueue(queue, 'classic', { durable: false }).catch((e: Error) => e.message);
      got.push(String(mismatch));
      assert.match(String(mismatch), /^It already exists with other settings — PRECONDITION_FAILED - inequivalent arg 'durable'/);
    } finally {
      await c.management.deleteQueue('/', queue).catch(() => {});
    }
    assert.equal(c.state.kind, 'connected', 'the connection survives every channel error');
    assert.equal(await c.publish(exchange, 'still.works', Buffer.from('ok')), 'unroutable', 'and still publishes');
    outcome('AMQP', '404 / 403 / 406 channel errors (missing exchange, reserved amq.* name, queue redeclared with other arguments)', `Connection stays up; messages: ${got.map((g) => `"${g}"`).join('; ')}`);
  });

  it('a memory alarm blocks publishers: said on the connection, publishing refused in words, all clear after', async () => {
    let before = rabbitmqctl('eval', 'vm_memory_monitor:get_vm_memory_high_watermark().').trim();
    if (/^\{absolute,\s*1\}$/.test(before)) {
      // Our own alarm, left by a run that was killed before its `finally`: back to RabbitMQ's default.
      rabbitmqctl('set_vm_memory_high_watermark', '0.4');
      before = rabbitmqctl('eval', 'vm_memory_monitor:get_vm_memory_high_watermark().').trim();
    }
    // A relative (0.4) or an absolute ({absolute, N}) limit: put back what was there.
    const restore = /^\{absolute,\s*(\d+)\}$/.exec(before) ? ['set_vm_memory_high_watermark', 'absolute', /(\d+)/.exec(before)![1]!] : ['set_vm_memory_high_watermark', before];
    assert.ok(/^[\d.]+$/.test(before) || /^\{absolute/.test(before), `understood the watermark ${before}`);
    const b = await open(profile(5672));
    const warnings: (string | undefined)[] = [];
    b.onDidChangeWarning((w) => warnings.push(w));
    try {
      rabbitmqctl('set_vm_memory_high_watermark', 'absolute', '1');
      const blockedAt = Date.now();
      // RabbitMQ tells a connection it is blocked when the connection publishes.
      const ch = await b.channelModel!.createChannel();
      ch.on('error', () => {});
      ch.publish(exchange, 'alarm', Buffer.from('while blocked'));
      await until('connection.blocked', () => b.blocked !== undefined);
      const blockedFor = Date.now() - blockedAt;
      const draft = { payload: 'x', format: 'text', amqp: { exchange, routingKey: 'k', headers: {}, properties: {} } } as unknown as PublishDraft;
      const refused = await sendDraft(b, draft);
      assert.equal(refused.ok, false);
      assert.match(refused.text, /^Not sent: RabbitMQ is blocking publishers/);
      assert.match(b.warning ?? '', /^RabbitMQ is blocking publishers on this connection \(low on memory\)/);
      assert.equal(b.state.kind, 'connected');
      outcome('AMQP', 'Memory alarm (watermark set to 1 byte, restored in a finally): connection.blocked', `Noticed ${blockedFor} ms after the alarm; the broker node says "${b.warning}"; Publish answers "${refused.text.slice(0, 80)}…"; connection stays up, cleared when unblocked.`);
    } finally {
      rabbitmqctl(...restore);
    }
    await until('connection.unblocked', () => b.blocked === undefined, 30_000);
    assert.equal(b.warning, undefined);
    assert.equal(await b.publish(exchange, 'after', Buffer.from('ok')), 'unroutable');
    assert.equal(rabbitmqctl('eval', 'vm_memory_monitor:get_vm_memory_high_watermark().').trim(), before, 'the watermark is back');
    assert.ok(warnings.length >= 2);
  });

  describe('connection lost during a tap', () => {
    let proxy: TcpProxy;
    before(async () => (proxy = await startProxy(5672)));
    after(async () => proxy?.close());

    async function tapSurvives(cause: string, cut: (conn: AmqpConnection) => Promise<void>): Promise<void> {
      const conn = await open(profile(proxy.port, { name: `tap ${cause} ${tag}` }));
      const tap = new AmqpTap(conn, exchange, { pattern: 'tap.#' }, 20);
      await tap.start();
      const states: ConnectionState['kind'][] = [];
      conn.onDidChangeState((s) => states.push(s.kind));
      try {
        pubChannel.publish(exchange, 'tap.before', Buffer.from('1'));
        await until('the first message', () => tap.received >= 1);
        const cutAt = Date.now();
        await cut(conn);
        await until('the tap to be suspended', () => tap.suspended);
        await conn.waitFor((s) => s.kind === 'connected', 20_000);
        await until('the tap to resume', () => !tap.suspended);
        const backMs = Date.now() - cutAt;
        assert.ok(states.includes('reconnecting'), 'it reconnected');
        assert.equal(tap.resumed, 1);
        pubChannel.publish(exchange, 'tap.after', Buffer.from('2'));
        await until('a message after the reconnect', () => tap.received >= 2);
        assert.deepEqual(
          tap.messages().map((m) => m.routingKey),
          ['tap.before', 'tap.after'],
        );
        // The tree recovers: the management API answers on the new connection.
        const topology = await conn.refreshTopology();
        assert.equal(topology.error, undefined);
        assert.ok(topology.vhosts.some((v) => v.exchanges.some((e) => e.name === exchange)));
        outcome('AMQP', `Connection ${cause} during a tap`, `Reconnected and the tap bound a new queue after ${backMs} ms; messages before and after arrive; the tree (management API) reads again.`);
      } finally {
        await tap.stop();
      }
    }

    it('cut by the proxy: reconnects, the tap resumes, the tree recovers', async () => {
      await tapSurvives('cut by a TCP proxy', async () => proxy.cut());
    });

    it('closed by rabbitmqctl close_connection: reconnects, the tap resumes, the tree recovers', async () => {
      await tapSurvives('closed with rabbitmqctl close_connection', async (conn) => {
        const name = `Broker Explorer (${conn.profile.name})`;
        let pid: string | undefined;
        await until(
          'RabbitMQ to list the connection',
          () => {
            // Tab-separated rows: the pid as close_connection wants it (<rabbit@host.N.N.N>), then the properties.
            const row = rabbitmqctl('list_connections', '-q', '--no-table-headers', 'pid', 'client_properties')
              .split('\n')
              .find((line) => line.includes(name));
            pid = row?.split('\t')[0]?.trim();
            return pid !== undefined;
          },
          20_000,
        );
        rabbitmqctl('close_connection', pid!, 'fault test');
        await until('the close to be noticed', () => conn.state.kind !== 'connected');
        const s = conn.state;
        assert.match(s.kind === 'reconnecting' ? s.reason : s.kind, /^RabbitMQ closed the connection: fault test \(closed by an administrator or the broker\)/);
      });
    });
  });
});
