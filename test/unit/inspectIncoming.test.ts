// What each inspector feed delivers, as the buffer takes it (src/core/inspect/incoming.ts):
// mqtt.js packets, AMQP tap deliveries and management-API peeks, with JSON-safe properties.
import assert from 'node:assert/strict';
import type { IPublishPacket } from 'mqtt';
import { fromLiveMessage, fromPeekedMessage, fromTapDelivery, propertyRecord, toPropertyValue } from '../../src/core/inspect/incoming';

describe('inspector feeds: incoming messages', () => {
  it('makes property values JSON-safe: bytes as text or base64, dates, bigints, odd numbers, deep values', () => {
    assert.equal(toPropertyValue(new TextEncoder().encode('req-42')), 'req-42');
    assert.equal(toPropertyValue(new Uint8Array([0xff, 0x00, 0xfe])), 'base64:/wD+');
    assert.equal(toPropertyValue(new Date(Date.UTC(2024, 4, 1))), '2024-05-01T00:00:00.000Z');
    assert.equal(toPropertyValue(12n), '12');
    assert.equal(toPropertyValue(Number.NaN), 'NaN');
    assert.equal(toPropertyValue(undefined), null);
    assert.equal(toPropertyValue(Symbol('s')), '');
    assert.deepEqual(toPropertyValue({ a: [1, 'x', true], skipped: undefined }), { a: [1, 'x', true] });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 12; i++) {
      deep = [deep];
    }
    assert.match(JSON.stringify(toPropertyValue(deep)), /"…"/);
  });

  it('gives a record of properties only when there are some', () => {
    assert.deepEqual(propertyRecord({ contentType: 'application/json' }), { contentType: 'application/json' });
    for (const none of [undefined, null, {}, [], 'x']) {
      assert.equal(propertyRecord(none), undefined, JSON.stringify(none));
    }
  });

  it('takes an MQTT message with its QoS, retain flag and MQTT 5 properties', () => {
    const payload = Buffer.from([1, 2]);
    const packet = { cmd: 'publish', topic: 'a/b', payload, qos: 1, retain: true, dup: false, properties: { userProperties: { site: 'north' }, correlationData: Buffer.from('c1') } } as IPublishPacket;
    assert.deepEqual(fromLiveMessage({ topic: 'a/b', payload, packet, time: 5 }), {
      time: 5,
      topic: 'a/b',
      payload,
      qos: 1,
      retain: true,
      properties: { userProperties: { site: 'north' }, correlationData: 'c1' },
    });
    const plain = fromLiveMessage({ topic: 'a', payload, packet: { ...packet, properties: undefined }, time: 1 });
    assert.equal(plain.properties, undefined);
  });

  it('takes a tap delivery: routing key as topic, exchange, redelivered, properties and headers', () => {
    const content = new Uint8Array([0x68, 0x69]);
    const m = fromTapDelivery({ time: 3, exchange: 'logs', routingKey: 'info', redelivered: false, content, properties: { contentType: 'text/plain', priority: 5 }, headers: { host: 'web-1' } });
    assert.deepEqual(m, { time: 3, topic: 'info', exchange: 'logs', redelivered: false, payload: content, properties: { contentType: 'text/plain', priority: 5 }, headers: { host: 'web-1' } });
    assert.equal(fromTapDelivery({ time: 3, exchange: '', routingKey: 'q', redelivered: true, content, properties: {} }).headers, undefined);
  });

  it('takes a peeked message: base64 or text payload, its full size, headers out of the properties', () => {
    const base = { payload_bytes: 100, redelivered: true, exchange: '', routing_key: 'q', message_count: 0 };
    const b64 = fromPeekedMessage({ ...base, payload: Buffer.from('disk almost full').toString('base64'), payload_encoding: 'base64', properties: { priority: 5, headers: { host: 'web-1' } } }, 7);
    assert.equal(Buffer.from(b64.payload).toString(), 'disk almost full');
    assert.deepEqual([b64.time, b64.topic, b64.size, b64.exchange, b64.redelivered], [7, 'q', 100, '', true]);
    assert.deepEqual([b64.properties, b64.headers], [{ priority: 5 }, { host: 'web-1' }]);
    const text = fromPeekedMessage({ ...base, payload: 'héllo', payload_encoding: 'string', properties: {} }, 8);
    assert.equal(Buffer.from(text.payload).toString('utf8'), 'héllo');
    assert.deepEqual([text.properties, text.headers], [undefined, undefined]);
  });
});
