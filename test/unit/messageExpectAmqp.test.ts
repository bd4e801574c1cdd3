// AMQP expectations in message files: the grammar (a source header, no path), and the runner
// against the real RabbitMQ on 127.0.0.1:5672 — an exchange tapped through a temporary queue, a
// queue consumed (messages taken) or peeked (put back, then marked redelivered).
import assert from 'node:assert/strict';
import { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { BrokerConnection } from '../../src/core/brokers/connection';
import { parseMessageFile } from '../../src/core/messageFiles/parser';
import { runBlockTest } from '../../src/core/messageFiles/run';
import { sendDraft } from '../../src/core/publish/publish';
import { testResolveEnv } from '../support/messageFiles';

const env = testResolveEnv;

const codes = (text: string) => parseMessageFile(text).problems.map((p) => `${p.line}:${p.code}`);

describe('message files: AMQP expectations (grammar)', () => {
  const pub = 'PUBLISH amqp://rabbit/logs\nRouting-Key: info\n\nhello\n\n';
  it('EXPECT amqp://CONNECTION names its source in a header', () => {
    assert.deepEqual(codes(`${pub}EXPECT amqp://rabbit\nExchange: logs\nRouting-Key: info\nAssert: $.ok == true\n`), []);
    assert.deepEqual(codes(`${pub}EXPECT amqp://rabbit/\nQueue: orders\nPeek: true\nHeader: source=billing\nCorrelation-Id: 7\n`), []);
  });
  it('says when the source is missing, doubled, or written as a path', () => {
    assert.deepEqual(codes(`${pub}EXPECT amqp://rabbit\nWithin: 1s\n`), ['5:expect-amqp-source']);
    assert.deepEqual(codes(`${pub}EXPECT amqp://rabbit\nQueue: a\nExchange: b\n`), ['5:expect-amqp-source']);
    assert.deepEqual(codes(`${pub}EXPECT amqp://rabbit/logs\nExchange: logs\n`), ['5:expect-amqp-path']);
    assert.deepEqual(codes(`${pub}EXPECT amqp://rabbit\nExchange: logs\nPeek: true\n`), ['7:header-not-for-verb']);
    assert.deepEqual(codes(`${pub}EXPECT amqp://rabbit\nQueue: q\nRetain: true\n`), ['7:header-wrong-kind']);
  });
});

describe('message files: AMQP expectations against the real RabbitMQ', function () {
  this.timeout(30_000);
  const exchange = `be-expect-logs-${process.pid}`;
  const queue = `be-expect-orders-${process.pid}`;
  let c: AmqpConnection;
  const options = { connection: async (): Promise<BrokerConnection> => c, send: sendDraft, defaultWithinMs: 1500 };

  before(async () => {
    c = new AmqpConnection({ id: 'rabbit', kind: 'amqp', name: 'rabbit', host: '127.0.0.1', port: 5672, vhost: '/', username: 'guest' }, { getPassword: async () => 'guest' });
    assert.equal((await c.connect()).kind, 'connected');
    await c.declareExchange(exchange, 'direct', { durable: false, autoDelete: false });
    await c.declareQueue(queue, 'classic', { durable: false });
    await c.bindQueue(queue, exchange, 'order');
  });
  after(async () => {
    await c.management.deleteQueue('/', queue).catch(() => {});
    await c.management.deleteExchange('/', exchange).catch(() => {});
    await c.dispose();
  });

  const messagesIn = async (q: string) => c.withChannel(async (ch) => (await ch.checkQueue(q)).messageCount);

  it('taps an exchange by routing key: the info message passes, nothing arrives for debug', async () => {
    const f = parseMessageFile(
      `### info\nPUBLISH amqp://rabbit/${exchange}\nRouting-Key: info\nContent-Type: application/json\nHeader: source=billing\n\n{"level": "info", "text": "started"}\n\n` +
        `EXPECT amqp://rabbit\nExchange: ${exchange}\nRouting-Key: info\nCount: exactly 1\nContent-Type: application/json\nHeader: source=billing\nAssert: $.level == "info"\nWithin: 1s\n\n` +
        `EXPECT NONE amqp://rabbit\nExchange: ${exchange}\nRouting-Key: debug\nWithin: 1s\n`,
    );
    assert.deepEqual(f.problems, []);
    const r = await runBlockTest(f, f.blocks[0]!, env, options);
    assert.equal(r.outcome, 'passed', r.message);
    const got = r.expectations[0]!.result.received;
    assert.equal(got.length, 1);
    assert.equal(got[0]!.topic, 'info');
    assert.equal(got[0]!.exchange, exchange);
    assert.equal(r.expectations[0]!.expectation.title, `EXPECT amqp://rabbit (Exchange: ${exchange}, Routing-Key: info)`);
    assert.equal(r.expectations[1]!.result.received.length, 0);
  });

  it('fails with the header that differs', async () => {
    const f = parseMessageFile(`PUBLISH amqp://rabbit/${exchange}\nRouting-Key: info\nHeader: source=web\n\nx\n\nEXPECT amqp://rabbit\nExchange: ${exchange}\nRouting-Key: info\nHeader: source=billing\nWithin: 1s\n`);
    const r = await runBlockTest(f, f.blocks[0]!, env, options);
    assert.equal(r.outcome, 'failed');
    assert.match(r.message!, /Header source: expected billing, got web/);
    assert.equal(r.expectations[0]!.result.expected, 'billing');
    assert.equal(r.expectations[0]!.result.actual, 'web');
  });

  it('consumes a queue: the message is taken', async () => {
    const f = parseMessageFile(`PUBLISH amqp://rabbit/${exchange}\nRouting-Key: order\nCorrelation-Id: c-1\n\n{"id": 1}\n\nEXPECT amqp://rabbit\nQueue: ${queue}\nCorrelation-Id: c-1\nAssert: $.id == 1\n`);
    const r = await runBlockTest(f, f.blocks[0]!, env, options);
    assert.equal(r.outcome, 'passed', r.message);
    assert.equal(await messagesIn(queue), 0, 'the queue is empty afterwards');
  });

  it('peeks a queue: the message is put back (and is then redelivered)', async () => {
    const f = parseMessageFile(`PUBLISH amqp://rabbit/${exchange}\nRouting-Key: order\n\n{"id": 2}\n\nEXPECT amqp://rabbit\nQueue: ${queue}\nPeek: true\nAssert: $.id == 2\n`);
    const r = await runBlockTest(f, f.blocks[0]!, env, options);
    assert.equal(r.outcome, 'passed', r.message);
    assert.equal(r.expectations[0]!.result.received[0]!.redelivered, false);
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(await messagesIn(queue), 1, 'the message is still in the queue');
    assert.equal(await c.withChannel(async (ch) => ((await ch.get(queue, { noAck: true })) || undefined)?.fields.redelivered), true, 'RabbitMQ marks a put-back message redelivered');
  });

  it('errors in plain words when the queue does not exist, the connection intact', async () => {
    const f = parseMessageFile(`PUBLISH amqp://rabbit/${exchange}\nRouting-Key: info\n\nx\n\nEXPECT amqp://rabbit\nQueue: be-no-such-queue-${process.pid}\n`);
    const r = await runBlockTest(f, f.blocks[0]!, env, options);
    assert.equal(r.outcome, 'errored');
    assert.match(r.message!, /Could not listen to the queue be-no-such-queue-\d+: .*NOT_FOUND/);
    assert.equal(c.state.kind, 'connected');
  });
});
