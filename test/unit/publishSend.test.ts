// The one route of a draft (src/core/publish/publish.ts) against fake connections: checked and
// encoded once, refused in plain words before anything is sent, or sent with the options built from
// it and the outcome put in words (the real brokers are in test/faults and test/integration).
import assert from 'node:assert/strict';
import type { IClientPublishOptions } from 'mqtt';
import type { Options } from 'amqplib';
import type { PublishResult } from '../../src/core/mqtt/mqttConnection';
import type { PublishDraft } from '../../src/core/protocol/publish';
import { sendAmqpDraft, sendMqttDraft, type AmqpSender, type MqttSender } from '../../src/core/publish/publish';

function fakeMqtt(result: PublishResult | Error = { kind: 'sent', packet: undefined }, over: Partial<MqttSender> = {}) {
  const sent: { topic: string; payload: Buffer; options: IClientPublishOptions }[] = [];
  const sender: MqttSender = {
    profile: { name: 'local' },
    state: { kind: 'connected' },
    isReconnecting: false,
    protocolVersion: 5,
    publish: (topic, payload, options) => {
      sent.push({ topic, payload, options });
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
    ...over,
  };
  return { sender, sent };
}

function fakeAmqp(result: 'routed' | 'unroutable' | 'sent' = 'routed', over: Partial<AmqpSender> = {}) {
  const sent: { exchange: string; routingKey: string; body: Uint8Array; options: Options.Publish }[] = [];
  const sender: AmqpSender = {
    profile: { name: 'rabbit' },
    state: { kind: 'connected' },
    blocked: undefined,
    publish: (exchange, routingKey, body, options) => {
      sent.push({ exchange, routingKey, body, options });
      return Promise.resolve(result);
    },
    ...over,
  };
  return { sender, sent };
}

const mqtt = (payload: string, m: Partial<NonNullable<PublishDraft['mqtt']>> = {}, format: PublishDraft['format'] = 'text'): PublishDraft => ({
  payload,
  format,
  mqtt: { topic: 'a/b', qos: 1, retain: false, ...m },
});
const amqp = (a: Partial<NonNullable<PublishDraft['amqp']>> = {}): PublishDraft => ({ payload: 'hé', format: 'text', amqp: { exchange: 'logs', routingKey: 'info', mandatory: true, ...a } });

describe('publish: sending a draft', () => {
  it('MQTT: sends the encoded bytes with the options of the draft and says what came back', async () => {
    const { sender, sent } = fakeMqtt();
    const outcome = await sendMqttDraft(sender, mqtt('01 02 ff', { contentType: 'application/octet-stream' }, 'hex'));
    assert.deepEqual(outcome, { ok: true, text: 'PUBACK received', detail: '3 bytes to a/b' });
    assert.equal(sent.length, 1);
    assert.deepEqual([...sent[0]!.payload], [1, 2, 0xff]);
    assert.deepEqual(sent[0]!.options, { qos: 1, retain: false, properties: { contentType: 'application/octet-stream' } });
    assert.equal((await sendMqttDraft(fakeMqtt().sender, mqtt('x', { qos: 0 }))).text, 'Sent (QoS 0: no acknowledgement)');
    assert.equal((await sendMqttDraft(fakeMqtt().sender, mqtt('x', { qos: 2 }))).text, 'PUBCOMP received');
  });

  it('MQTT: refuses a draft with problems before anything is sent, all of them in one sentence', async () => {
    const { sender, sent } = fakeMqtt();
    const outcome = await sendMqttDraft(sender, mqtt('zz', { topic: 'a/+' }, 'hex'));
    assert.equal(outcome.ok, false);
    assert.match(outcome.text, /^Not sent: Not hex: .* The topic "a\/\+" contains a wildcard/);
    const v4 = await sendMqttDraft(fakeMqtt(undefined, { protocolVersion: 4 }).sender, mqtt('x', { contentType: 'text/plain' }));
    assert.equal(v4.text, 'Not sent: MQTT 3.1.1 has no message properties: connect with MQTT 5 to send them (set: content type)', 'checked against the connection’s version');
    assert.equal((await sendMqttDraft(sender, { payload: 'x', format: 'text' })).text, 'Not sent: the message has no MQTT topic.');
    assert.equal(sent.length, 0);
  });

  it('MQTT: not connected, queued while reconnecting, refused by the broker, failed', async () => {
    const off = fakeMqtt(undefined, { state: { kind: 'disconnected' } });
    assert.deepEqual(await sendMqttDraft(off.sender, mqtt('x')), { ok: false, text: 'Not sent: "local" is not connected.' });
    assert.equal(off.sent.length, 0);
    const back = fakeMqtt({ kind: 'queued', waiting: 3 }, { state: { kind: 'reconnecting' }, isReconnecting: true });
    assert.deepEqual(await sendMqttDraft(back.sender, mqtt('x')), {
      ok: true,
      queued: true,
      text: 'Queued (QoS 1): "local" is reconnecting',
      detail: '3 of at most 1,000 messages wait; they are sent when the connection returns',
    });
    const refused = await sendMqttDraft(fakeMqtt({ kind: 'sent', packet: { reasonCode: 0x87 } }).sender, mqtt('x'));
    assert.deepEqual(refused, { ok: false, text: 'Refused by the broker: not authorized to publish to this topic' });
    const nobody = await sendMqttDraft(fakeMqtt({ kind: 'sent', packet: { reasonCode: 0x10 } }).sender, mqtt('x'));
    assert.deepEqual(nobody, { ok: true, text: 'PUBACK received', detail: '1 bytes to a/b — no matching subscribers' });
    assert.deepEqual(await sendMqttDraft(fakeMqtt(new Error('socket closed')).sender, mqtt('x')), { ok: false, text: 'Not sent: socket closed' });
  });

  it('AMQP: routed, unroutable, or sent without mandatory, with the options of the draft', async () => {
    const { sender, sent } = fakeAmqp();
    assert.deepEqual(await sendAmqpDraft(sender, amqp({ priority: 5 })), { ok: true, text: 'Routed', detail: '3 bytes to logs / info' });
    assert.deepEqual(sent[0]!.options, { mandatory: true, priority: 5 });
    assert.deepEqual([...sent[0]!.body], [0x68, 0xc3, 0xa9]);
    const lost = await sendAmqpDraft(fakeAmqp('unroutable').sender, amqp({ exchange: '', routingKey: '' }));
    assert.deepEqual(lost, { ok: false, text: 'Unroutable — no queue bound for this routing key ((AMQP default) / (empty routing key)). The broker returned the message.' });
    assert.equal((await sendAmqpDraft(fakeAmqp('sent').sender, amqp({ mandatory: false }))).text, 'Sent (not mandatory: routing unknown)');
  });

  it('AMQP: not connected, blocked by an alarm, or a draft with problems: nothing is sent', async () => {
    const off = fakeAmqp('routed', { state: { kind: 'failed' } });
    assert.deepEqual(await sendAmqpDraft(off.sender, amqp()), { ok: false, text: 'Not sent: "rabbit" is not connected.' });
    const blocked = fakeAmqp('routed', { blocked: 'low on memory' });
    assert.match((await sendAmqpDraft(blocked.sender, amqp())).text, /^Not sent: RabbitMQ is blocking publishers on "rabbit" \(low on memory\)\./);
    const bad = fakeAmqp();
    assert.equal((await sendAmqpDraft(bad.sender, amqp({ priority: 300 }))).text, 'Not sent: Priority 300 is out of range: use a whole number from 0 to 255 (RabbitMQ queues usually use 0 to 10)');
    assert.equal((await sendAmqpDraft(bad.sender, { payload: 'x', format: 'text' })).text, 'Not sent: the message has no AMQP exchange.');
    assert.equal(off.sent.length + blocked.sent.length + bad.sent.length, 0);
  });
});
