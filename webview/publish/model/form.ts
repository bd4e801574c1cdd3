/**
 * The publish form's data without a DOM: what each field holds as typed (both sides, MQTT and
 * AMQP), read from a draft and turned back into the draft to send, with the problems found while
 * reading it (a number that is not a whole number). Runs in plain Node (test/unit/publishModel.test.ts).
 */
import * as l10n from '@vscode/l10n';
import type { BrokerKind, PayloadFormat, PublishDraft, UserProperty } from '../../../src/core/protocol/publish';
import type { QoS } from '../../../src/core/protocol/shared';
import type { FieldId } from './fields';
import type { Problem } from './problems';
import { emptyEncoding, encodingFromText, encodingText, type EncodingForm } from './encoding';

export interface KeyValueRow {
  key: string;
  value: string;
}

/** MQTT fields as typed (numbers stay text until sent, so a half-typed value is never lost). */
export interface MqttForm {
  topic: string;
  qos: QoS;
  retain: boolean;
  contentType: string;
  payloadFormatIndicator: boolean;
  responseTopic: string;
  correlationData: string;
  messageExpiryInterval: string;
  topicAlias: string;
  userProperties: KeyValueRow[];
}

export interface AmqpForm {
  exchange: string;
  routingKey: string;
  mandatory: boolean;
  headers: KeyValueRow[];
  contentType: string;
  deliveryMode: '' | '1' | '2';
  correlationId: string;
  replyTo: string;
  expiration: string;
  messageId: string;
  type: string;
  priority: string;
}

/** Everything the form holds: both sides, so switching between an MQTT and an AMQP target keeps each. */
export interface FormState {
  format: PayloadFormat;
  payload: string;
  /** Encoded on the host before it is sent (none: as typed). */
  encoding: EncodingForm;
  mqtt: MqttForm;
  amqp: AmqpForm;
}

/** Shown for the default exchange (''); typing it (in English or as shown) means '' too. */
export const DEFAULT_EXCHANGE = '(default)';

/** The default exchange as shown: "(default)", translated. */
export function defaultExchangeLabel(): string {
  return l10n.t('(default)');
}

export function emptyForm(): FormState {
  return {
    format: 'text',
    payload: '',
    encoding: emptyEncoding(),
    mqtt: {
      topic: '',
      qos: 0,
      retain: false,
      contentType: '',
      payloadFormatIndicator: false,
      responseTopic: '',
      correlationData: '',
      messageExpiryInterval: '',
      topicAlias: '',
      userProperties: [],
    },
    amqp: {
      exchange: '',
      routingKey: '',
      mandatory: true,
      headers: [],
      contentType: '',
      deliveryMode: '',
      correlationId: '',
      replyTo: '',
      expiration: '',
      messageId: '',
      type: '',
      priority: '',
    },
  };
}

const str = (v: string | undefined) => v ?? '';
const num = (v: number | undefined) => (v === undefined ? '' : String(v));
const rows = (v: readonly UserProperty[] | undefined): KeyValueRow[] => (v ?? []).map((p) => ({ key: p.key, value: p.value }));

/** The form for a draft; the side the draft lacks is kept from `base`. */
export function formFromDraft(draft: PublishDraft, base: FormState = emptyForm()): FormState {
  const form: FormState = { ...base, format: draft.format, payload: draft.payload, encoding: encodingFromText(draft.encoding) };
  const m = draft.mqtt;
  if (m) {
    form.mqtt = {
      topic: m.topic,
      qos: m.qos,
      retain: m.retain,
      contentType: str(m.contentType),
      payloadFormatIndicator: m.payloadFormatIndicator ?? false,
      responseTopic: str(m.responseTopic),
      correlationData: str(m.correlationData),
      messageExpiryInterval: num(m.messageExpiryInterval),
      topicAlias: num(m.topicAlias),
      userProperties: rows(m.userProperties),
    };
  }
  const a = draft.amqp;
  if (a) {
    form.amqp = {
      exchange: a.exchange,
      routingKey: a.routingKey,
      mandatory: a.mandatory,
      headers: rows(a.headers),
      contentType: str(a.contentType),
      deliveryMode: a.deliveryMode === 1 ? '1' : a.deliveryMode === 2 ? '2' : '',
      correlationId: str(a.correlationId),
      replyTo: str(a.replyTo),
      expiration: str(a.expiration),
      messageId: str(a.messageId),
      type: str(a.type),
      priority: num(a.priority),
    };
  }
  return form;
}


/** A whole number typed in a text field: undefined when empty, a problem when not a number. */
function parseWhole(text: string, field: FieldId, what: string, problems: Problem[]): number | undefined {
  const typed = text.trim();
  if (typed === '') {
    return undefined;
  }
  if (!/^\d+$/.test(typed)) {
    problems.push({ field, text: l10n.t('{0} must be a whole number (0, 1, 2…), not “{1}”.', what, typed) });
    return undefined;
  }
  return Number(typed);
}

const opt = (v: string) => (v === '' ? undefined : v);
/** Rows with a name or a value (rows left completely empty are ignored). */
const keep = (list: readonly KeyValueRow[]): UserProperty[] => list.filter((r) => r.key !== '' || r.value !== '').map((r) => ({ key: r.key, value: r.value }));

/** Drops undefined members so drafts compare and serialize cleanly. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) {
    if (o[k] === undefined) {
      delete o[k];
    }
  }
  return o;
}

export function mqttPart(m: MqttForm, mqttVersion: 4 | 5 | undefined, problems: Problem[] = []): NonNullable<PublishDraft['mqtt']> {
  const base = { topic: m.topic, qos: m.qos, retain: m.retain };
  if (mqttVersion === 4) {
    return base; // MQTT 3.1.1 has no properties: the panel says so and sends none
  }
  const userProperties = keep(m.userProperties);
  return compact({
    ...base,
    contentType: opt(m.contentType),
    payloadFormatIndicator: m.payloadFormatIndicator ? true : undefined,
    responseTopic: opt(m.responseTopic),
    correlationData: opt(m.correlationData),
    messageExpiryInterval: parseWhole(m.messageExpiryInterval, 'messageExpiryInterval', l10n.t('Message expiry'), problems),
    topicAlias: parseWhole(m.topicAlias, 'topicAlias', l10n.t('Topic alias'), problems),
    userProperties: userProperties.length ? userProperties : undefined,
  });
}

export function amqpPart(a: AmqpForm, problems: Problem[] = []): NonNullable<PublishDraft['amqp']> {
  const headers = keep(a.headers);
  const expiration = a.expiration.trim();
  if (expiration !== '' && !/^\d+$/.test(expiration)) {
    problems.push({ field: 'expiration', text: l10n.t('Expiration must be a whole number of milliseconds, not “{0}”.', expiration) });
  }
  return compact({
    exchange: exchangeValue(a.exchange),
    routingKey: a.routingKey,
    mandatory: a.mandatory,
    headers: headers.length ? headers : undefined,
    contentType: opt(a.contentType),
    deliveryMode: a.deliveryMode === '1' ? (1 as const) : a.deliveryMode === '2' ? (2 as const) : undefined,
    correlationId: opt(a.correlationId),
    replyTo: opt(a.replyTo),
    expiration: opt(expiration),
    messageId: opt(a.messageId),
    type: opt(a.type),
    priority: parseWhole(a.priority, 'priority', l10n.t('Priority'), problems),
  });
}

/** The exchange as sent: '' for the default exchange, whether left empty or typed as "(default)". */
export function exchangeValue(text: string): string {
  const typed = text.trim();
  return typed === DEFAULT_EXCHANGE || typed === defaultExchangeLabel() ? '' : text;
}

/** The draft to send to a target of `kind`, with the problems found while reading the form. */
export function draftFromForm(form: FormState, kind: BrokerKind, mqttVersion?: 4 | 5): { draft: PublishDraft; problems: Problem[] } {
  const problems: Problem[] = [];
  const encoding = encodingText(form.encoding);
  const base = { payload: form.payload, format: form.format, ...(encoding ? { encoding } : {}) };
  const draft: PublishDraft = kind === 'mqtt' ? { ...base, mqtt: mqttPart(form.mqtt, mqttVersion, problems) } : { ...base, amqp: amqpPart(form.amqp, problems) };
  if (form.encoding.codec === 'protobuf' && !form.encoding.type.trim()) {
    problems.push({ field: 'encoding', text: l10n.t('Pick the protobuf message type to encode the JSON as.') });
  }
  return { draft, problems };
}

/** Both sides as one draft, kept with setState so the form survives hide/show and reload. */
export function persistedDraft(form: FormState): PublishDraft {
  const encoding = encodingText(form.encoding);
  return { payload: form.payload, format: form.format, ...(encoding ? { encoding } : {}), mqtt: mqttPart(form.mqtt, 5), amqp: amqpPart(form.amqp) };
}

