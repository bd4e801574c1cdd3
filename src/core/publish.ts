// Sending a PublishDraft (from the publish panel, message files, scripts) through a connection, with
// the outcome in plain words: sent / puback / pubcomp for MQTT, routed / unroutable for AMQP.
import type { IClientPublishOptions } from 'mqtt';
import type { Options } from 'amqplib';
import { AmqpConnection } from './amqp/amqpConnection';
import type { BrokerConnection } from './connection';
import { encodeDraftPayload, validateDraft } from './format/draft';
import { MqttConnection, OUTBOX_MESSAGES } from './mqtt/mqttConnection';
import type { PublishDraft, PublishOutcome } from './protocol/messages';

type MqttDraft = NonNullable<PublishDraft['mqtt']>;
type AmqpDraft = NonNullable<PublishDraft['amqp']>;

const MQTT5_PROPERTY_KEYS = ['contentType', 'payloadFormatIndicator', 'responseTopic', 'correlationData', 'messageExpiryInterval', 'topicAlias', 'userProperties'] as const;

/** Does the draft set any MQTT 5 property? (3.1.1 cannot carry them.) */
export function hasMqtt5Properties(m: MqttDraft): boolean {
  return MQTT5_PROPERTY_KEYS.some((k) => {
    const v = m[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '' && v !== false;
  });
}

export function mqttPublishOptions(m: MqttDraft, version: 4 | 5): IClientPublishOptions {
  const options: IClientPublishOptions = { qos: m.qos, retain: m.retain };
  if (version === 5) {
    const properties: NonNullable<IClientPublishOptions['properties']> = {};
    if (m.contentType) {
      properties.contentType = m.contentType;
    }
    if (m.payloadFormatIndicator) {
      properties.payloadFormatIndicator = true;
    }
    if (m.responseTopic) {
      properties.responseTopic = m.responseTopic;
    }
    if (m.correlationData) {
      properties.correlationData = Buffer.from(m.correlationData, 'utf8');
    }
    if (m.messageExpiryInterval !== undefined) {
      properties.messageExpiryInterval = m.messageExpiryInterval;
    }
    if (m.topicAlias !== undefined) {
      properties.topicAlias = m.topicAlias;
    }
    if (m.userProperties?.length) {
      const up: Record<string, string | string[]> = {};
      for (const { key, value } of m.userProperties) {
        const prev = up[key];
        up[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      }
      properties.userProperties = up;
    }
    if (Object.keys(properties).length) {
      options.properties = properties;
    }
  }
  return options;
}

export function amqpPublishOptions(a: AmqpDraft): Options.Publish {
  const headers = a.headers?.length ? Object.fromEntries(a.headers.map((h) => [h.key, h.value])) : undefined;
  const o: Options.Publish = { mandatory: a.mandatory };
  const set = <K extends keyof Options.Publish>(k: K, v: Options.Publish[K] | undefined | ''): void => {
    if (v !== undefined && v !== '') {
      o[k] = v;
    }
  };
  set('headers', headers);
  set('contentType', a.contentType);
  set('deliveryMode', a.deliveryMode);
  set('correlationId', a.correlationId);
  set('replyTo', a.replyTo);
  set('expiration', a.expiration);
  set('messageId', a.messageId);
  set('type', a.type);
  set('priority', a.priority);
  return o;
}

const MQTT5_PUBLISH_REASONS: Record<number, string> = {
  0x10: 'no matching subscribers',
  0x80: 'unspecified error',
  0x83: 'implementation specific error',
  0x87: 'not authorized to publish to this topic',
  0x90: 'topic name invalid',
  0x91: 'packet identifier in use',
  0x97: 'quota exceeded',
  0x99: 'payload format invalid',
};

/** Sends a draft; never throws for broker refusals: they come back as `{ ok: false, text }`. */
export async function sendDraft(connection: BrokerConnection, draft: PublishDraft): Promise<PublishOutcome> {
  // MQTT QoS 1/2 may wait in the connection's bounded outbox while it reconnects.
  if (connection.state.kind !== 'connected' && !(connection instanceof MqttConnection && connection.isReconnecting)) {
    return { ok: false, text: `Not sent: "${connection.profile.name}" is not connected.` };
  }
  if (connection instanceof MqttConnection) {
    const m = draft.mqtt;
    if (!m) {
      return { ok: false, text: 'Not sent: the message has no MQTT topic.' };
    }
    const problems = validateDraft(draft, connection.protocolVersion);
    if (problems.length) {
      return { ok: false, text: `Not sent: ${problems.join(' ')}` };
    }
    const payload = Buffer.from(encodeDraftPayload(draft));
    try {
      const result = await connection.publish(m.topic, payload, mqttPublishOptions(m, connection.protocolVersion));
      if (result.kind === 'queued') {
        return {
          ok: true,
          queued: true,
          text: `Queued (QoS ${m.qos}): "${connection.profile.name}" is reconnecting`,
          detail: `${result.waiting.toLocaleString('en-US')} of at most ${OUTBOX_MESSAGES.toLocaleString('en-US')} messages wait; they are sent when the connection returns`,
        };
      }
      const packet = result.packet as { reasonCode?: number } | undefined;
      const code = packet?.reasonCode ?? 0;
      if (code >= 0x80) {
        return { ok: false, text: `Refused by the broker: ${MQTT5_PUBLISH_REASONS[code] ?? `reason code 0x${code.toString(16)}`}` };
      }
      const ack = m.qos === 0 ? 'Sent (QoS 0: no acknowledgement)' : m.qos === 1 ? 'PUBACK received' : 'PUBCOMP received';
      return { ok: true, text: ack, detail: `${payload.length.toLocaleString('en-US')} bytes to ${m.topic}${code === 0x10 ? ' — no matching subscribers' : ''}` };
    } catch (err) {
      return { ok: false, text: `Not sent: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  if (connection instanceof AmqpConnection) {
    if (connection.blocked !== undefined) {
      return { ok: false, text: `Not sent: RabbitMQ is blocking publishers on "${connection.profile.name}" (${connection.blocked}). It would hold the message until the alarm clears; try again then.` };
    }
    const a = draft.amqp;
    if (!a) {
      return { ok: false, text: 'Not sent: the message has no AMQP exchange.' };
    }
    const problems = validateDraft(draft);
    if (problems.length) {
      return { ok: false, text: `Not sent: ${problems.join(' ')}` };
    }
    const body = encodeDraftPayload(draft);
    const where = `${a.exchange || '(AMQP default)'} / ${a.routingKey || '(empty routing key)'}`;
    try {
      const result = await connection.publish(a.exchange, a.routingKey, body, amqpPublishOptions(a));
      if (result === 'unroutable') {
        return { ok: false, text: `Unroutable — no queue bound for this routing key (${where}). The broker returned the message.` };
      }
      return { ok: true, text: result === 'routed' ? 'Routed' : 'Sent (not mandatory: routing unknown)', detail: `${body.length.toLocaleString('en-US')} bytes to ${where}` };
    } catch (err) {
      return { ok: false, text: `Not sent: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return { ok: false, text: 'Not sent: unknown broker kind.' };
}
