// What each feed delivers, as the inspector's buffer takes it: an MQTT message, an AMQP tap
// delivery, a message peeked through the management API. Properties and headers from mqtt.js /
// amqplib are made JSON-safe for the webview (bytes as text or base64). Pure.
import type { PeekedMessage } from '../amqp/management';
import type { TapDelivery } from '../amqp/tap';
import { decodeText } from '../format/bytes';
import type { LiveMessage } from '../mqtt/mqttConnection';
import type { PropertyValue } from '../protocol/inspect';
import type { IncomingMessage } from './buffer';

/** Values from mqtt.js / amqplib made JSON-safe for the webview (bytes as text or base64). */
export function toPropertyValue(v: unknown, depth = 0): PropertyValue {
  if (v === null || v === undefined) {
    return null;
  }
  if (typeof v === 'string' || typeof v === 'boolean') {
    return v;
  }
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : String(v);
  }
  if (typeof v === 'bigint') {
    return v.toString();
  }
  if (v instanceof Uint8Array) {
    // Bytes (correlation data…) as text when they are text, else base64.
    return decodeText(v) ?? `base64:${Buffer.from(v).toString('base64')}`;
  }
  if (v instanceof Date) {
    return v.toISOString();
  }
  if (depth > 8) {
    return '…';
  }
  if (Array.isArray(v)) {
    return v.map((x) => toPropertyValue(x, depth + 1));
  }
  if (typeof v === 'object') {
    const out: Record<string, PropertyValue> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x !== undefined) {
        out[k] = toPropertyValue(x, depth + 1);
      }
    }
    return out;
  }
  return ''; // symbols and functions have nothing to show
}

/** Properties or headers by name; undefined when there are none. */
export function propertyRecord(v: unknown): Record<string, PropertyValue> | undefined {
  const p = toPropertyValue(v);
  return p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length ? (p as Record<string, PropertyValue>) : undefined;
}

/** An MQTT message (with its MQTT 5 properties and the subscriptions it matched, when known). */
export function fromLiveMessage(m: LiveMessage, matched?: readonly string[]): IncomingMessage {
  const p = m.packet.properties;
  const message: IncomingMessage = { time: m.time, topic: m.topic, payload: m.payload, qos: m.packet.qos, retain: m.packet.retain, properties: p ? propertyRecord(p) : undefined };
  return matched?.length ? { ...message, matched } : message;
}

/** A message an AMQP tap saw on its exchange. */
export function fromTapDelivery(m: TapDelivery): IncomingMessage {
  return { time: m.time, topic: m.routingKey, exchange: m.exchange, redelivered: m.redelivered, payload: m.content, properties: propertyRecord(m.properties), headers: propertyRecord(m.headers) };
}

/** A message read from a queue through the management API (its headers sit among the properties). */
export function fromPeekedMessage(m: PeekedMessage, time: number): IncomingMessage {
  const { headers, ...properties } = m.properties as Record<string, unknown> & { headers?: unknown };
  return {
    time,
    topic: m.routing_key,
    exchange: m.exchange,
    redelivered: m.redelivered,
    // The peek acks with requeue: the message is back in the queue, marked redelivered from now on.
    returned: true,
    payload: Buffer.from(m.payload, m.payload_encoding === 'base64' ? 'base64' : 'utf8'),
    size: m.payload_bytes,
    properties: propertyRecord(properties),
    headers: propertyRecord(headers),
  };
}
