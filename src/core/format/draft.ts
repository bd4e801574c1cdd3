/** Checking and encoding what the publish panel drafted. */
import type { PublishDraft } from '../protocol/messages';
import { fromBase64, fromHex, utf8Encode } from './bytes';
import { jsonError } from './jsonErrors';

/** The bytes to send for this draft. Throws an Error in plain words when the payload is invalid for its format. */
export function encodeDraftPayload(draft: PublishDraft): Uint8Array {
  switch (draft.format) {
    case 'text':
      return utf8Encode(draft.payload);
    case 'json':
      try {
        JSON.parse(draft.payload);
      } catch (e) {
        throw new Error(jsonError(draft.payload, e instanceof Error ? e.message : undefined).error, { cause: e });
      }
      return utf8Encode(draft.payload);
    case 'base64':
      return fromBase64(draft.payload);
    case 'hex':
      return fromHex(draft.payload);
    default:
      throw new Error(`Unknown payload format "${String((draft as { format: unknown }).format)}": use text, json, base64 or hex`);
  }
}

const utf8Length = (s: string) => utf8Encode(s).length;
const isUint = (n: unknown, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
/** MQTT's largest packet is 256 MB; the payload must fit with the topic and properties. */
const MQTT_MAX_PAYLOAD = 268_435_455;

/**
 * Every problem with the draft, in plain words (empty when it can be sent). `mqttVersion` is the
 * connection's protocol (4 = MQTT 3.1.1, 5 = MQTT 5) when known.
 */
export function validateDraft(draft: PublishDraft, mqttVersion?: 4 | 5): string[] {
  const problems: string[] = [];
  let payload: Uint8Array | undefined;
  try {
    payload = encodeDraftPayload(draft);
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }

  const m = draft.mqtt;
  if (m) {
    const hasAlias = m.topicAlias !== undefined;
    if (m.topic === '') {
      if (!hasAlias || mqttVersion === 4) {
        problems.push('The topic is empty: enter the topic to publish to, e.g. sensors/room1/temperature');
      }
    } else {
      if (m.topic.includes('+') || m.topic.includes('#')) {
        problems.push(`The topic "${m.topic}" contains a wildcard (+ or #): wildcards are for subscribing; publish to one exact topic`);
      }
      if (m.topic.includes('\u0000')) {
        problems.push('The topic contains a NUL character (U+0000), which MQTT does not allow');
      }
      const bytes = utf8Length(m.topic);
      if (bytes > 65_535) {
        problems.push(`The topic is ${bytes.toLocaleString('en')} bytes long in UTF-8; MQTT allows at most 65,535`);
      }
    }
    if (![0, 1, 2].includes(m.qos)) {
      problems.push(`QoS ${String(m.qos)} does not exist: use 0 (at most once), 1 (at least once) or 2 (exactly once)`);
    }
    if (payload && payload.length > MQTT_MAX_PAYLOAD) {
      problems.push(`The payload is ${payload.length.toLocaleString('en')} bytes; an MQTT message can carry at most 256 MB`);
    }
    const set = (v: unknown) => v !== undefined && v !== '' && v !== false;
    const v5 = (
      [
        ['content type', m.contentType],
        ['payload format indicator', m.payloadFormatIndicator],
        ['response topic', m.responseTopic],
        ['correlation data', m.correlationData],
        ['message expiry interval', m.messageExpiryInterval],
        ['topic alias', m.topicAlias],
        ['user properties', m.userProperties?.length ? m.userProperties : undefined],
      ] as const
    )
      .filter(([, v]) => set(v))
      .map(([name]) => name);
    if (mqttVersion === 4 && v5.length > 0) {
      problems.push(`MQTT 3.1.1 has no message properties: connect with MQTT 5 to send them (set: ${v5.join(', ')})`);
    }
    if (hasAlias && !(isUint(m.topicAlias, 65_535) && m.topicAlias >= 1)) {
      problems.push(`Topic alias ${String(m.topicAlias)} is out of range: use a whole number from 1 to 65,535 (and no more than the broker's topic alias maximum)`);
    }
    if (m.messageExpiryInterval !== undefined && !isUint(m.messageExpiryInterval, 4_294_967_295)) {
      problems.push(`Message expiry interval ${String(m.messageExpiryInterval)} is not valid: use whole seconds from 0 to 4,294,967,295`);
    }
    if (m.responseTopic !== undefined && m.responseTopic !== '' && (/[+#]/.test(m.responseTopic) || m.responseTopic.includes('\u0000'))) {
      problems.push(`The response topic "${m.responseTopic}" contains a wildcard or NUL: it must be one exact topic`);
    }
    if (m.payloadFormatIndicator && payload && !isUtf8(payload)) {
      problems.push('The payload format indicator says UTF-8 text, but the payload is not valid UTF-8: clear the indicator for binary payloads');
    }
    m.userProperties?.forEach((p, k) => {
      if (p.key === '') {
        problems.push(`User property ${k + 1} has an empty name`);
      }
    });
  }

  const a = draft.amqp;
  if (a) {
    if (utf8Length(a.exchange) > 255) {
      problems.push('The exchange name is longer than 255 bytes, the most AMQP allows');
    }
    if (utf8Length(a.routingKey) > 255) {
      problems.push(`The routing key is ${utf8Length(a.routingKey)} bytes long; AMQP allows at most 255`);
    }
    if (a.priority !== undefined && !isUint(a.priority, 255)) {
      problems.push(`Priority ${String(a.priority)} is out of range: use a whole number from 0 to 255 (RabbitMQ queues usually use 0 to 10)`);
    }
    if (a.deliveryMode !== undefined && a.deliveryMode !== 1 && a.deliveryMode !== 2) {
      problems.push(`Delivery mode ${String(a.deliveryMode)} does not exist: use 1 (transient) or 2 (persistent)`);
    }
    if (a.expiration !== undefined && a.expiration !== '' && !/^\d+$/.test(a.expiration)) {
      problems.push(`Expiration "${a.expiration}" is not valid: RabbitMQ expects whole milliseconds as digits, e.g. 60000`);
    } else if (a.expiration !== undefined && a.expiration !== '' && Number(a.expiration) > 4_294_967_295) {
      problems.push(`Expiration ${a.expiration} ms is too large: RabbitMQ accepts at most 4,294,967,295`);
    }
    for (const [name, field] of [
      ['content type', a.contentType],
      ['correlation id', a.correlationId],
      ['reply-to', a.replyTo],
      ['message id', a.messageId],
      ['type', a.type],
    ] as const) {
      if (field !== undefined && utf8Length(field) > 255) {
        problems.push(`The ${name} is longer than 255 bytes, the most an AMQP property allows`);
      }
    }
    const seen = new Set<string>();
    a.headers?.forEach((h, k) => {
      if (h.key === '') {
        problems.push(`Header ${k + 1} has an empty name`);
      } else if (seen.has(h.key)) {
        problems.push(`Header "${h.key}" is set twice: only the last value would be sent`);
      }
      seen.add(h.key);
    });
  }

  if (!m && !a) {
    problems.push('There is nothing to publish to: choose an MQTT topic or an AMQP exchange');
  }
  return problems;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
