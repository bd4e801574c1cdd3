// Sending a PublishDraft (from the publish panel, message files, scripts) through a connection, with
// the outcome in plain words: sent / puback / pubcomp for MQTT, routed / unroutable for AMQP. The one
// route of a draft: checked and encoded once (validate.ts), then handed to the connection through the
// little of it that sending needs (MqttSender, AmqpSender), so the route runs against fakes in tests.
import * as l10n from '@vscode/l10n';
import type { IClientPublishOptions } from 'mqtt';
import type { Options } from 'amqplib';
import { AmqpConnection } from '../amqp/amqpConnection';
import type { BrokerConnection } from '../brokers/connection';
import { MqttConnection, OUTBOX_MESSAGES, type PublishResult } from '../mqtt/mqttConnection';
import type { PublishDraft, PublishOutcome } from '../protocol/publish';
import { checkDraft, mqtt5PropertiesSet, problemsText, type PublishLimits } from './validate';

type MqttDraft = NonNullable<PublishDraft['mqtt']>;
type AmqpDraft = NonNullable<PublishDraft['amqp']>;

/** Does the draft set any MQTT 5 property? (3.1.1 cannot carry them.) */
export function hasMqtt5Properties(m: MqttDraft): boolean {
  return mqtt5PropertiesSet(m).length > 0;
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
  set('contentEncoding', a.contentEncoding);
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

/** What sending needs of an MQTT connection (an MqttConnection). */
export interface MqttSender {
  readonly profile: { readonly name: string };
  readonly state: { readonly kind: string };
  /** An established connection was lost and is coming back: QoS 1/2 wait in its outbox. */
  readonly isReconnecting: boolean;
  readonly protocolVersion: 4 | 5;
  publish(topic: string, payload: Buffer, options: IClientPublishOptions): Promise<PublishResult>;
}

/** What sending needs of an AMQP connection (an AmqpConnection). */
export interface AmqpSender {
  readonly profile: { readonly name: string };
  readonly state: { readonly kind: string };
  /** Why RabbitMQ blocks publishers (a resource alarm), undefined when it does not. */
  readonly blocked: string | undefined;
  publish(exchange: string, routingKey: string, body: Uint8Array, options: Options.Publish): Promise<'routed' | 'unroutable' | 'sent'>;
}

const notConnected = (name: string): PublishOutcome => ({ ok: false, text: l10n.t('Not sent: "{0}" is not connected.', name) });
const failed = (err: unknown): PublishOutcome => ({ ok: false, text: l10n.t('Not sent: {0}', err instanceof Error ? err.message : String(err)) });

/** Sends a draft; never throws for broker refusals: they come back as `{ ok: false, text }`. */
export async function sendDraft(connection: BrokerConnection, draft: PublishDraft, limits: PublishLimits = {}): Promise<PublishOutcome> {
  if (connection instanceof MqttConnection) {
    return sendMqttDraft(connection, draft, limits);
  }
  if (connection instanceof AmqpConnection) {
    return sendAmqpDraft(connection, draft, limits);
  }
  return connection.state.kind !== 'connected' ? notConnected(connection.profile.name) : { ok: false, text: l10n.t('Not sent: unknown broker kind.') };
}

export async function sendMqttDraft(connection: MqttSender, draft: PublishDraft, limits: PublishLimits = {}): Promise<PublishOutcome> {
  // QoS 1/2 may wait in the connection's bounded outbox while it reconnects.
  if (connection.state.kind !== 'connected' && !connection.isReconnecting) {
    return notConnected(connection.profile.name);
  }
  const m = draft.mqtt;
  if (!m) {
    return { ok: false, text: l10n.t('Not sent: the message has no MQTT topic.') };
  }
  const checked = checkDraft(draft, connection.protocolVersion, limits);
  if (checked.problems.length || !checked.payload) {
    return { ok: false, text: l10n.t('Not sent: {0}', problemsText(checked.problems)) };
  }
  const payload = Buffer.from(checked.payload);
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
    return failed(err);
  }
}

export async function sendAmqpDraft(connection: AmqpSender, draft: PublishDraft, limits: PublishLimits = {}): Promise<PublishOutcome> {
  if (connection.state.kind !== 'connected') {
    return notConnected(connection.profile.name);
  }
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
  const checked = checkDraft(draft, undefined, limits);
  if (checked.problems.length || !checked.payload) {
    return { ok: false, text: l10n.t('Not sent: {0}', problemsText(checked.problems)) };
  }
  const body = checked.payload;
  const where = `${a.exchange || l10n.t('(AMQP default)')} / ${a.routingKey || l10n.t('(empty routing key)')}`;
  try {
    const result = await connection.publish(a.exchange, a.routingKey, body, amqpPublishOptions(a));
    if (result === 'unroutable') {
      return { ok: false, text: l10n.t('Unroutable — no queue bound for this routing key ({0}). The broker returned the message.', where) };
    }
    return { ok: true, text: result === 'routed' ? l10n.t('Routed') : l10n.t('Sent (not mandatory: routing unknown)'), detail: l10n.t('{0} bytes to {1}', body.length.toLocaleString('en-US'), where) };
  } catch (err) {
    return failed(err);
  }
}
