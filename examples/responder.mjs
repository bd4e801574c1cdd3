#!/usr/bin/env node
// The responder of the request/response examples: answers MQTT 5 requests on
// examples/thermostat/set (to their response topic, with their correlation data) and AMQP requests
// on the queue examples.pricing (to their reply_to queue, with their correlation id). The captures
// example logs in on examples/auth/login (the reply carries a fresh token) and then reads
// examples/auth/profile, which answers only a token it issued.
// Usage: node responder.mjs [--mqtt mqtt://127.0.0.1:1883] [--amqp amqp://guest:guest@127.0.0.1:5672]
// It prints "ready" once both are listening, and stops on SIGINT/SIGTERM.
import mqtt from 'mqtt';
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const mqttUrl = arg('--mqtt', 'mqtt://127.0.0.1:1883');
const amqpUrl = arg('--amqp', `amqp://guest:${process.env.BROKER_EXPLORER_PASSWORD_LOCAL_RABBIT ?? 'guest'}@127.0.0.1:5672`);

const client = await mqtt.connectAsync(mqttUrl, { protocolVersion: 5 });
const tokens = new Set();
const answer = (topic, body) => {
  if (topic === 'examples/auth/login') {
    const token = randomUUID();
    tokens.add(token);
    return { user: body.user, token };
  }
  if (topic === 'examples/auth/profile') {
    return tokens.has(body.token) ? { authorized: true, user: 'ada', role: 'operator' } : { authorized: false };
  }
  return { status: typeof body.setpoint === 'number' ? 'ok' : 'error', setpoint: body.setpoint };
};
client.on('message', (topic, payload, packet) => {
  const { responseTopic, correlationData } = packet.properties ?? {};
  if (!responseTopic) {
    return;
  }
  let body;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    body = {};
  }
  client.publish(responseTopic, JSON.stringify(answer(topic, body)), { qos: 1, properties: { correlationData, contentType: 'application/json' } });
});
await client.subscribeAsync(['examples/auth/login', 'examples/auth/profile'], { qos: 1 });
await client.subscribeAsync('examples/thermostat/set', { qos: 1 });

const connection = await amqp.connect(amqpUrl);
const channel = await connection.createChannel();
await channel.assertQueue('examples.pricing', { durable: false, autoDelete: true });
await channel.consume('examples.pricing', (m) => {
  if (!m) {
    return;
  }
  let body;
  try {
    body = JSON.parse(m.content.toString());
  } catch {
    body = {};
  }
  if (m.properties.replyTo) {
    const reply = { sku: body.sku, quantity: body.quantity, total: 10 * (body.quantity ?? 0) };
    channel.sendToQueue(m.properties.replyTo, Buffer.from(JSON.stringify(reply)), { correlationId: m.properties.correlationId, contentType: 'application/json' });
  }
  channel.ack(m);
});

console.log('ready');
const stop = async () => {
  await client.endAsync().catch(() => {});
  await connection.close().catch(() => {});
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
