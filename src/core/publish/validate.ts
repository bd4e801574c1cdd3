/**
 * Checking a draft before it is sent: every problem as a code, the publish form's field it belongs
 * to and a message in plain words (localized with l10n.t; English, byte for byte, without a bundle).
 * sendDraft checks once and sends the bytes encoded here; the publish webview runs the same check
 * to show each problem next to its field.
 */
import * as l10n from '@vscode/l10n';
import { formatMegabytes, isUtf8, utf8Encode } from '../format/bytes';
import type { PublishDraft } from '../protocol/publish';
import { encodeDraftPayload } from './payload';

type MqttDraft = NonNullable<PublishDraft['mqtt']>;
type AmqpDraft = NonNullable<PublishDraft['amqp']>;

/** What can be wrong with a draft, whatever the words. */
export const DRAFT_PROBLEM_CODES = [
  'payloadInvalid',
  'payloadTooLarge',
  'payloadOverLimit',
  'payloadNotUtf8',
  'topicEmpty',
  'topicWildcard',
  'topicNul',
  'topicTooLong',
  'qosInvalid',
  'mqtt3Properties',
  'topicAliasRange',
  'messageExpiryRange',
  'responseTopicInvalid',
  'userPropertyNameEmpty',
  'exchangeTooLong',
  'routingKeyTooLong',
  'priorityRange',
  'deliveryModeInvalid',
  'expirationInvalid',
  'expirationTooLarge',
  'amqpPropertyTooLong',
  'headerNameEmpty',
  'headerTwice',
  'nothingToPublish',
] as const;
export type DraftProblemCode = (typeof DRAFT_PROBLEM_CODES)[number];

/** The publish form's field a problem is shown next to (its field ids); 'general' for the draft as a whole. */
export type DraftField =
  | 'topic'
  | 'qos'
  | 'contentType'
  | 'payloadFormatIndicator'
  | 'responseTopic'
  | 'correlationData'
  | 'messageExpiryInterval'
  | 'topicAlias'
  | 'userProperties'
  | 'exchange'
  | 'routingKey'
  | 'headers'
  | 'amqpContentType'
  | 'deliveryMode'
  | 'correlationId'
  | 'replyTo'
  | 'expiration'
  | 'messageId'
  | 'type'
  | 'priority'
  | 'payload'
  | 'general';

export interface DraftProblem {
  readonly code: DraftProblemCode;
  readonly field: DraftField;
  /** In plain words, localized. */
  readonly message: string;
}

type Add = (code: DraftProblemCode, field: DraftField, message: string) => void;

const utf8Length = (s: string) => utf8Encode(s).length;
const isUint = (n: unknown, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
/** MQTT's largest packet is 256 MB; the payload must fit with the topic and properties. */
const MQTT_MAX_PAYLOAD = 268_435_455;

/** The MQTT 5 properties a draft sets, in this order (their keys are also the form's field ids). */
const MQTT5_PROPERTIES = ['contentType', 'payloadFormatIndicator', 'responseTopic', 'correlationData', 'messageExpiryInterval', 'topicAlias', 'userProperties'] as const;
type Mqtt5Property = (typeof MQTT5_PROPERTIES)[number];

/** The MQTT 5 properties the draft sets (MQTT 3.1.1 cannot carry them). */
export function mqtt5PropertiesSet(m: MqttDraft): Mqtt5Property[] {
  return MQTT5_PROPERTIES.filter((k) => {
    const v = m[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '' && v !== false;
  });
}

/** Each property's name in the sentence that lists those set (looked up when used, so translated). */
const MQTT5_PROPERTY_NAMES: Record<Mqtt5Property, () => string> = {
  contentType: () => l10n.t('content type'),
  payloadFormatIndicator: () => l10n.t('payload format indicator'),
  responseTopic: () => l10n.t('response topic'),
  correlationData: () => l10n.t('correlation data'),
  messageExpiryInterval: () => l10n.t('message expiry interval'),
  topicAlias: () => l10n.t('topic alias'),
  userProperties: () => l10n.t('user properties'),
};

/** The user's limits (settings) a draft is checked against besides the protocol's. */
export interface PublishLimits {
  /** brokerExplorer.limits.payloadMegabytes in bytes. */
  readonly maxPayloadBytes?: number;
}

/**
 * Every problem with the draft (none when it can be sent) and, when its payload is valid in its
 * format, the bytes to send. `mqttVersion` is the connection's protocol (4 = MQTT 3.1.1, 5 = MQTT 5)
 * when known.
 */
export function checkDraft(draft: PublishDraft, mqttVersion?: 4 | 5, limits: PublishLimits = {}): { problems: DraftProblem[]; payload: Uint8Array | undefined } {
  const problems: DraftProblem[] = [];
  const add: Add = (code, field, message) => problems.push({ code, field, message });
  let payload: Uint8Array | undefined;
  try {
    payload = encodeDraftPayload(draft);
  } catch (e) {
    add('payloadInvalid', 'payload', e instanceof Error ? e.message : String(e));
  }
  if (payload && limits.maxPayloadBytes !== undefined && payload.length > limits.maxPayloadBytes) {
    add(
      'payloadOverLimit',
      'payload',
      l10n.t('The payload is {0} bytes, more than the {1} MB of brokerExplorer.limits.payloadMegabytes', payload.length.toLocaleString('en'), formatMegabytes(limits.maxPayloadBytes)),
    );
  }
  if (draft.mqtt) {
    checkMqtt(draft.mqtt, payload, mqttVersion, add);
  }
  if (draft.amqp) {
    checkAmqp(draft.amqp, add);
  }
  if (!draft.mqtt && !draft.amqp) {
    add('nothingToPublish', 'general', l10n.t('There is nothing to publish to: choose an MQTT topic or an AMQP exchange'));
  }
  return { problems, payload };
}

/** Every problem with the draft, in the order checked (empty when it can be sent). */
export function validateDraft(draft: PublishDraft, mqttVersion?: 4 | 5, limits: PublishLimits = {}): DraftProblem[] {
  return checkDraft(draft, mqttVersion, limits).problems;
}

/** The problems' messages as one text. */
export function problemsText(problems: readonly DraftProblem[]): string {
  return problems.map((p) => p.message).join(' ');
}

function checkMqtt(m: MqttDraft, payload: Uint8Array | undefined, mqttVersion: 4 | 5 | undefined, add: Add): void {
  const hasAlias = m.topicAlias !== undefined;
  if (m.topic === '') {
    if (!hasAlias || mqttVersion === 4) {
      add('topicEmpty', 'topic', l10n.t('The topic is empty: enter the topic to publish to, e.g. sensors/room1/temperature'));
    }
  } else {
    if (m.topic.includes('+') || m.topic.includes('#')) {
      add('topicWildcard', 'topic', l10n.t('The topic "{0}" contains a wildcard (+ or #): wildcards are for subscribing; publish to one exact topic', m.topic));
    }
    if (m.topic.includes('\u0000')) {
      add('topicNul', 'topic', l10n.t('The topic contains a NUL character (U+0000), which MQTT does not allow'));
    }
    const bytes = utf8Length(m.topic);
    if (bytes > 65_535) {
      add('topicTooLong', 'topic', l10n.t('The topic is {0} bytes long in UTF-8; MQTT allows at most 65,535', bytes.toLocaleString('en')));
    }
  }
  if (![0, 1, 2].includes(m.qos)) {
    add('qosInvalid', 'qos', l10n.t('QoS {0} does not exist: use 0 (at most once), 1 (at least once) or 2 (exactly once)', String(m.qos)));
  }
  if (payload && payload.length > MQTT_MAX_PAYLOAD) {
    add('payloadTooLarge', 'payload', l10n.t('The payload is {0} bytes; an MQTT message can carry at most 256 MB', payload.length.toLocaleString('en')));
  }
  const v5 = mqtt5PropertiesSet(m);
  if (mqttVersion === 4 && v5[0] !== undefined) {
    add('mqtt3Properties', v5[0], l10n.t('MQTT 3.1.1 has no message properties: connect with MQTT 5 to send them (set: {0})', v5.map((k) => MQTT5_PROPERTY_NAMES[k]()).join(', ')));
  }
  if (hasAlias && !(isUint(m.topicAlias, 65_535) && m.topicAlias >= 1)) {
    add(
      'topicAliasRange',
      'topicAlias',
      l10n.t("Topic alias {0} is out of range: use a whole number from 1 to 65,535 (and no more than the broker's topic alias maximum)", String(m.topicAlias)),
    );
  }
  if (m.messageExpiryInterval !== undefined && !isUint(m.messageExpiryInterval, 4_294_967_295)) {
    add('messageExpiryRange', 'messageExpiryInterval', l10n.t('Message expiry interval {0} is not valid: use whole seconds from 0 to 4,294,967,295', String(m.messageExpiryInterval)));
  }
  if (m.responseTopic !== undefined && m.responseTopic !== '' && (/[+#]/.test(m.responseTopic) || m.responseTopic.includes('\u0000'))) {
    add('responseTopicInvalid', 'responseTopic', l10n.t('The response topic "{0}" contains a wildcard or NUL: it must be one exact topic', m.responseTopic));
  }
  if (m.payloadFormatIndicator && payload && !isUtf8(payload)) {
    add('payloadNotUtf8', 'payloadFormatIndicator', l10n.t('The payload format indicator says UTF-8 text, but the payload is not valid UTF-8: clear the indicator for binary payloads'));
  }
  m.userProperties?.forEach((p, k) => {
    if (p.key === '') {
      add('userPropertyNameEmpty', 'userProperties', l10n.t('User property {0} has an empty name', k + 1));
    }
  });
}

/** An AMQP property of at most 255 bytes: its form field and the whole sentence saying it is longer. */
const AMQP_SHORT_STRINGS: readonly [keyof AmqpDraft & ('contentType' | 'correlationId' | 'replyTo' | 'messageId' | 'type'), DraftField, () => string][] = [
  ['contentType', 'amqpContentType', () => l10n.t('The content type is longer than 255 bytes, the most an AMQP property allows')],
  ['correlationId', 'correlationId', () => l10n.t('The correlation id is longer than 255 bytes, the most an AMQP property allows')],
  ['replyTo', 'replyTo', () => l10n.t('The reply-to is longer than 255 bytes, the most an AMQP property allows')],
  ['messageId', 'messageId', () => l10n.t('The message id is longer than 255 bytes, the most an AMQP property allows')],
  ['type', 'type', () => l10n.t('The type is longer than 255 bytes, the most an AMQP property allows')],
];

function checkAmqp(a: AmqpDraft, add: Add): void {
  if (utf8Length(a.exchange) > 255) {
    add('exchangeTooLong', 'exchange', l10n.t('The exchange name is longer than 255 bytes, the most AMQP allows'));
  }
  const routingKeyBytes = utf8Length(a.routingKey);
  if (routingKeyBytes > 255) {
    add('routingKeyTooLong', 'routingKey', l10n.t('The routing key is {0} bytes long; AMQP allows at most 255', routingKeyBytes));
  }
  if (a.priority !== undefined && !isUint(a.priority, 255)) {
    add('priorityRange', 'priority', l10n.t('Priority {0} is out of range: use a whole number from 0 to 255 (RabbitMQ queues usually use 0 to 10)', String(a.priority)));
  }
  if (a.deliveryMode !== undefined && a.deliveryMode !== 1 && a.deliveryMode !== 2) {
    add('deliveryModeInvalid', 'deliveryMode', l10n.t('Delivery mode {0} does not exist: use 1 (transient) or 2 (persistent)', String(a.deliveryMode)));
  }
  if (a.expiration !== undefined && a.expiration !== '' && !/^\d+$/.test(a.expiration)) {
    add('expirationInvalid', 'expiration', l10n.t('Expiration "{0}" is not valid: RabbitMQ expects whole milliseconds as digits, e.g. 60000', a.expiration));
  } else if (a.expiration !== undefined && a.expiration !== '' && Number(a.expiration) > 4_294_967_295) {
    add('expirationTooLarge', 'expiration', l10n.t('Expiration {0} ms is too large: RabbitMQ accepts at most 4,294,967,295', a.expiration));
  }
  for (const [key, field, message] of AMQP_SHORT_STRINGS) {
    const value = a[key];
    if (value !== undefined && utf8Length(value) > 255) {
      add('amqpPropertyTooLong', field, message());
    }
  }
  const seen = new Set<string>();
  a.headers?.forEach((h, k) => {
    if (h.key === '') {
      add('headerNameEmpty', 'headers', l10n.t('Header {0} has an empty name', k + 1));
    } else if (seen.has(h.key)) {
      add('headerTwice', 'headers', l10n.t('Header "{0}" is set twice: only the last value would be sent', h.key));
    }
    seen.add(h.key);
  });
}
