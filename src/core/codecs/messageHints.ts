// What an inspected message says about its own encoding, as codec hints: the MQTT topic (spBv1.0/),
// the MQTT 5 content-type, the AMQP content_type / content_encoding (amqplib names them contentType /
// contentEncoding, the management API content_type / content_encoding), exchange, routing key and
// the queue a peek read. Pure and cheap: used on display only, never per message at ingest.
import type { PropertyValue } from '../protocol/inspect';
import type { DecodeHints } from './types';

export interface HintSource {
  readonly topic: string;
  readonly exchange?: string;
  readonly properties?: Readonly<Record<string, PropertyValue>>;
}

function text(props: Readonly<Record<string, PropertyValue>> | undefined, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = props?.[n];
    if (typeof v === 'string' && v.trim() !== '') {
      return v;
    }
  }
  return undefined;
}

/** The hints of a message; `queue` when it was peeked from one. MQTT messages have no exchange. */
export function hintsOf(m: HintSource, queue?: string): DecodeHints {
  const contentType = text(m.properties, 'contentType', 'content_type');
  const contentEncoding = text(m.properties, 'contentEncoding', 'content_encoding');
  const amqp = m.exchange !== undefined;
  return {
    ...(amqp ? { routingKey: m.topic, exchange: m.exchange } : { topic: m.topic }),
    ...(queue !== undefined ? { queue } : {}),
    ...(contentType ? { contentType } : {}),
    ...(contentEncoding ? { contentEncoding } : {}),
  };
}
