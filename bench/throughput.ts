// Benchmark workers, run as separate processes by scripts/bench.mjs (and bench/treeLoad.ts):
//   publish <port> <prefix> <topics> <rate> <seconds>   offered load; prints {"sent", "seconds"}
//   live <raw|model> <port> <prefix>                    subscribes to <prefix>/#, prints "ready",
//                                                       counts until 1.5 s of silence; prints JSON
//   drain <raw|model> <topics> <count>                  pre-encoded PUBLISH packets fed to an mqtt.js
//                                                       client as fast as it reads them; prints JSON
//   memory <topics> <count>                             RSS growth of the topic model; prints JSON
// "raw" is a bare mqtt.js client (the npm package as anyone gets it) that only counts; "model" is
// what the extension runs: mqtt.js as bundled in dist/vendor/mqtt.js (its no-op `debug`, see
// src/core/mqtt/quietDebug.ts, and bl's reads in place, blFastReads.ts) with our topic model
// listener; "bundled" is that mqtt.js only
// counting, so model ÷ bundled is the topic model's own cost.
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import mqtt, { MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import amqplib from 'amqplib';
import { AmqpConnection } from '../src/core/amqp/amqpConnection';
import { AmqpTap } from '../src/core/amqp/tap';
import { topicModelListener } from '../src/core/mqtt/mqttConnection';
import { TopicModel } from '../src/core/mqtt/topicModel';

const PAYLOAD = Buffer.alloc(100, 0x61);

/** The mqtt.js a variant runs: the extension's bundled copy for "model", the npm package for "raw". */
function mqttFor(variant: string): typeof mqtt {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return variant === 'raw' ? mqtt : (require(join(__dirname, '../../dist/vendor/mqtt.js')) as typeof mqtt);
}
const topicName = (prefix: string, i: number) => `${prefix}/dev${Math.floor(i / 100)}/sensor${i % 100}`;

async function publish(port: number, prefix: string, topics: number, rate: number, seconds: number): Promise<void> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `bench-pub-${process.pid}` });
  const names = Array.from({ length: topics }, (_, i) => topicName(prefix, i));
  const total = Math.round(rate * seconds);
  const started = Date.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
    while (sent < due) {
      client.publish(names[sent % topics]!, PAYLOAD, { qos: 0 });
      sent++;
    }
    await new Promise((r) => setImmediate(r));
    if (sent >= due) {
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  await client.endAsync();
  console.log(JSON.stringify({ sent, seconds: (Date.now() - started) / 1000 }));
}

/**
 * The topic tree's nodes count in the memory budget (issue 17): 100k topics take ~95 MB of tree,
 * more than half of the default 128 MB, so the benchmarks give the model 256 MB and every topic
 * fits (with the defaults, topics past ~67k would be counted, not added, and cost less).
 */
const BENCH_MODEL = { totalBytes: 256 * 1024 * 1024 };

async function live(variant: string, port: number, prefix: string): Promise<void> {
  const client = await mqttFor(variant).connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `bench-sub-${process.pid}`, protocolVersion: 5 });
  let received = 0;
  let first = 0;
  let last = 0;
  const model = new TopicModel(BENCH_MODEL);
  const feed = variant === 'model' ? topicModelListener(model) : undefined;
  client.on('message', (topic, payload, packet) => {
    received++;
    last = performance.now();
    if (received === 1) {
      first = last;
    }
    feed?.(topic, payload, packet);
  });
  await client.subscribeAsync(`${prefix}/#`, { qos: 0 });
  console.log('ready');
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (received > 0 && performance.now() - last > 1500) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
  });
  await client.endAsync();
  const seconds = (last - first) / 1000;
  console.log(JSON.stringify({ received, seconds, rate: received / seconds, topics: variant === 'model' ? model.topicCount : undefined, rss: process.memoryUsage().rss }));
}

async function drain(variant: string, topics: number, count: number): Promise<void> {
  // CONNACK, then `count` PUBLISH packets, encoded once before timing starts.
  const chunks: Buffer[] = [];
  const names = Array.from({ length: topics }, (_, i) => topicName('drain', i));
  for (let i = 0; i < count; i++) {
    chunks.push(mqttPacket.generate({ cmd: 'publish', topic: names[i % topics]!, payload: PAYLOAD, qos: 0, retain: false, dup: false }));
  }
  const data = Buffer.concat(chunks);
  const connack = mqttPacket.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false });
  let received = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((r) => (finish = r));
  const model = new TopicModel(BENCH_MODEL);
  const feed = variant === 'model' ? topicModelListener(model) : undefined;
  let started = 0;
  const stream = new Duplex({
    read() {},
    write(_chunk: Buffer, _enc, cb) {
      // The client's CONNECT: answer, then deliver the backlog in 64 KB reads.
      if (started === 0) {
        started = performance.now();
        this.push(connack);
        for (let o = 0; o < data.length; o += 65536) {
          this.push(data.subarray(o, o + 65536));
        }
      }
      cb();
    },
  });
  const Client = variant === 'raw' ? MqttClient : (mqttFor(variant) as unknown as { MqttClient: typeof MqttClient }).MqttClient;
  const client = new Client(() => stream, { protocolVersion: 4, reconnectPeriod: 0, keepalive: 0, clientId: 'drain' });
  client.on('message', (topic, payload, packet) => {
    feed?.(topic, payload, packet);
    if (++received === count) {
      finish();
    }
  });
  await done;
  const seconds = (performance.now() - started) / 1000;
  client.end(true);
  console.log(JSON.stringify({ received, seconds, rate: received / seconds }));
}

async function memory(topics: number, count: number): Promise<void> {
  const names = Array.from({ length: topics }, (_, i) => topicName('mem', i));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().rss;
  const model = new TopicModel(); // P4 measures the default limits
  const payload = Buffer.alloc(100, 0x62);
  let peak = before;
  for (let i = 0; i < count; i++) {
    model.add(names[i % topics]!, payload, 0, false, Date.now());
    if (i % 1_000_000 === 0) {
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  }
  gc?.();
  const after = process.memoryUsage().rss;
  peak = Math.max(peak, after);
  console.log(JSON.stringify({ growth: after - before, peakGrowth: peak - before, stored: model.storedBytes, storedMessages: model.storedMessages, topics: model.topicCount, topicsNotShown: model.topicsNotShown, treeBytes: model.treeBytes, columnSlots: model.columnSlots }));
}

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** P6 consumers: "raw" amqplib no-ack consumer on its own queue, or our tap; both bound with #. */
async function amqpConsume(variant: string, exchange: string): Promise<void> {
  let count = (): number => 0;
  let close: () => Promise<void>;
  if (variant === 'raw') {
    const conn = await amqplib.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.assertExchange(exchange, 'topic', { durable: false });
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    await ch.bindQueue(queue, exchange, '#');
    let n = 0;
    await ch.consume(queue, () => void n++, { noAck: true });
    count = () => n;
    close = () => conn.close();
  } else {
    const c = new AmqpConnection({ id: 'p6', kind: 'amqp', name: 'p6', host: '127.0.0.1', port: 5672, vhost: '/', username: 'guest' }, { getPassword: async () => 'guest' });
    await c.connect();
    await c.declareExchange(exchange, 'topic', { durable: false });
    const tap = new AmqpTap(c, exchange, { pattern: '#' });
    await tap.start();
    count = () => tap.received;
    close = async () => {
      await tap.stop();
      await c.dispose();
    };
  }
  console.log('ready');
  let first = 0;
  let last = 0;
  let seen = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const n = count();
      const now = performance.now();
      if (n > seen) {
        if (seen === 0) {
          first = now;
        }
        seen = n;
        last = now;
      } else if (seen > 0 && now - last > 1500) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  await close();
  const seconds = (last - first) / 1000;
  console.log(JSON.stringify({ received: seen, seconds, rate: seen / seconds }));
}

/** P6 load: `count` 100-byte messages to the exchange as fast as the socket takes them. */
async function amqpPublish(exchange: string, count: number): Promise<void> {
  const conn = await amqplib.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.assertExchange(exchange, 'topic', { durable: false });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    if (!ch.publish(exchange, `station${i % 100}.temperature`, PAYLOAD)) {
      await new Promise((r) => ch.once('drain', r));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await ch.close();
  await conn.close();
  console.log(JSON.stringify({ sent: count, seconds }));
}

async function amqpTeardown(exchange: string): Promise<void> {
  const conn = await amqplib.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.deleteExchange(exchange);
  await conn.close();
  console.log('{}');
}

const [mode, ...args] = process.argv.slice(2);
const run: Record<string, () => Promise<void>> = {
  publish: () => publish(Number(args[0]), args[1]!, Number(args[2]), Number(args[3]), Number(args[4])),
  live: () => live(args[0]!, Number(args[1]), args[2]!),
  drain: () => drain(args[0]!, Number(args[1]), Number(args[2])),
  memory: () => memory(Number(args[0]), Number(args[1])),
  'amqp-consume': () => amqpConsume(args[0]!, args[1]!),
  'amqp-publish': () => amqpPublish(args[0]!, Number(args[1])),
  'amqp-teardown': () => amqpTeardown(args[0]!),
};
const job = mode ? run[mode] : undefined;
if (!job) {
  console.error(`usage: throughput publish|live|drain|memory …`);
  process.exit(2);
}
job().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
