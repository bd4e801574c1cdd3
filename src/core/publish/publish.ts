// Sending a PublishDraft (from the publish panel, message files, scripts) through a connection, with
// the outcome in plain words: sent / puback / pubcomp for MQTT, routed / unroutable for AMQP.
import * as l10n from '@vscode/l10n';
import type { IClientPublishOptions } from 'mqtt';
import type { Options } from 'amqplib';
import { AmqpConnection } from '../amqp/amqpConnection';
import type { BrokerConnection } from '../brokers/connection';
import { encodeDraftPayload, validateDraft } from '../format/draft';
import { MqttConnection, OUTBOX_MESSAGES } from '../mqtt/mqttConnection';
import type { PublishDraft, PublishOutcome } from '../protocol/publish';

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

const MQTT5_PUBLISH_REASONS: Record<number, () => string> = {
  0x10: () => l10n.t('no matching subscribers'),
  0x80: () => l10n.t('unspecified error'),
  0x83: () => l10n.t('implementation specific error'),
  0x87: () => l10n.t('not authorized to publish to this topic'),
  0x90: () => l10n.t('topic name invalid'),
  0x91: () => l10n.t('packet identifier in use'),
  0x97: () => l10n.t('quota exceeded'),
  0x99: () => l10n.t('payload format invalid'),
};

/** Sends a draft; never throws for broker refusals: they come back as `{ ok: false, text }`. */
export async function sendDraft(connection: BrokerConnection, draft: PublishDraft): Promise<PublishOutcome> {
  // MQTT QoS 1/2 may wait in the connection's bounded outbox while it reconnects.
  if (connection.state.kind !== 'connected' && !(connection instanceof MqttConnection && connection.isReconnecting)) {
    return { ok: false, text: l10n.t('Not sent: "{0}" is not connected.', connection.profile.name) };
  }
  if (connection instanceof MqttConnection) {
    const m = draft.mqtt;
    if (!m) {
      return { ok: false, text: l10n.t('Not sent: the message has no MQTT topic.') };
    }
    const problems = validateDraft(draft, connection.protocolVersion);
    if (problems.length) {
      return { ok: false, text: l10n.t('Not sent: {0}', problems.join(' ')) };
    }
    const payload = Buffer.from(encodeDraftPayload(draft));
    try {
      const result = await connection.publish(m.topic, payload, mqttPublishOptions(m, connection.protocolVersion));
      if (result.kind === 'queued') {
        return {
          ok: true,
          queued: true,
          text: l10n.t('Queued (QoS {0}): "{1}" is reconnecting', m.qos, connection.profile.name),
          detail: l10n.t('{0} of at most {1} messages wait; they are sent when the connection returns', result.waiting.toLocaleString('en-US'), OUTBOX_MESSAGES.toLocaleString('en-US')),
        };
      }
      const packet = result.packet as { reasonCode?: number } | undefined;
      const code = packet?.reasonCode ?? 0;
      if (code >= 0x80) {
        return { ok: false, text: l10n.t('Refused by the broker: {0}', MQTT5_PUBLISH_REASONS[code]?.() ?? l10n.t('reason code 0x{0}', code.toString(16))) };
      }
      const ack = m.qos === 0 ? l10n.t('Sent (QoS 0: no acknowledgement)') : m.qos === 1 ? l10n.t('PUBACK received') : l10n.t('PUBCOMP received');
      const bytes = payload.length.toLocaleString('en-US');
      return { ok: true, text: ack, detail: code === 0x10 ? l10n.t('{0} bytes to {1} — no matching subscribers', bytes, m.topic) : l10n.t('{0} bytes to {1}', bytes, m.topic) };
    } catch (err) {
      return { ok: false, text: l10n.t('Not sent: {0}', err instanceof Error ? err.message : String(err)) };
    }
  }
  if (connection instanceof AmqpConnection) {
    if (connection.blocked !== undefined) {
      return {
        ok: false,
        text: l10n.t('Not sent: RabbitMQ is blocking publishers on "{0}" ({1}). It would hold the message until the alarm clears; try again then.', connection.profile.name, connection.blocked),
      };
    }
    const a = draft.amqp;
    if (!a) {
      return { ok: false, text: l10n.t('Not sent: the message has no AMQP exchange.') };
    }
    const problems = validateDraft(draft);
    if (problems.length) {
      return { ok: false, text: l10n.t('Not sent: {0}', problems.join(' ')) };
    }
    const body = encodeDraftPayload(draft);
    const where = `${a.exchange || l10n.t('(AMQP default)')} / ${a.routingKey || l10n.t('(empty routing key)')}`;
    try {
      const result = await connection.publish(a.exchange, a.routingKey, body, amqpPublishOptions(a));
      if (result === 'unroutable') {
        return { ok: false, text: l10n.t('Unroutable — no queue bound for this routing key ({0}). The broker returned the message.', where) };
      }
      return { ok: true, text: result === 'routed' ? l10n.t('Routed') : l10n.t('Sent (not mandatory: routing unknown)'), detail: l10n.t('{0} bytes to {1}', body.length.toLocaleString('en-US'), where) };
    } catch (err) {
      return { ok: false, text: l10n.t('Not sent: {0}', err instanceof Error ? err.message : String(err)) };
    }
  }
  return { ok: false, text: l10n.t('Not sent: unknown broker kind.') };
}
