/**
 * The publish form's definition, without a DOM: its fields in the order it shows them (problems
 * are listed, and the first focused, in this order), each with the id of its control and, for the
 * text fields, the label, hints and the member of the form state they edit. form.ts builds the text
 * fields from it; validateDraft (src/core/publish/validate.ts) names its problems by these field ids.
 */
import * as l10n from '@vscode/l10n';
import { defaultExchangeLabel, type AmqpForm, type FormState, type MqttForm } from './form';

/** The members of a form side that hold plain text. */
type TextKey<T> = { [K in keyof T]: string extends T[K] ? (T[K] extends string ? K : never) : never }[keyof T];

export interface TextFieldDef {
  readonly control: 'text';
  readonly field: string;
  /** The control's element id. */
  readonly id: string;
  readonly label: () => string;
  readonly placeholder?: () => string;
  readonly help?: () => string;
  /** Narrow input (numbers). */
  readonly short?: boolean;
  /** What it edits in the form state. */
  readonly bind: { readonly side: 'mqtt'; readonly key: TextKey<MqttForm> } | { readonly side: 'amqp'; readonly key: TextKey<AmqpForm> };
}

export interface ControlDef {
  readonly control: 'select' | 'radios' | 'checkbox' | 'table' | 'textarea' | 'none';
  readonly field: string;
  /** The control's element id ('' for 'none': problems of the whole message). */
  readonly id: string;
}

const none = () => l10n.t('none');
const jsonExample = () => l10n.t('e.g. application/json');

export const FORM_FIELDS = [
  { field: 'target', id: 'target', control: 'select' },
  {
    field: 'topic',
    id: 'topic',
    control: 'text',
    label: () => l10n.t('Topic'),
    placeholder: () => l10n.t('e.g. home/kitchen/temperature'),
    bind: { side: 'mqtt', key: 'topic' },
  },
  { field: 'exchange', id: 'exchange', control: 'text', label: () => l10n.t('Exchange'), placeholder: defaultExchangeLabel, bind: { side: 'amqp', key: 'exchange' } },
  { field: 'routingKey', id: 'routing-key', control: 'text', label: () => l10n.t('Routing key'), bind: { side: 'amqp', key: 'routingKey' } },
  { field: 'qos', id: 'qos', control: 'radios' },
  { field: 'contentType', id: 'content-type', control: 'text', label: () => l10n.t('Content type'), placeholder: jsonExample, bind: { side: 'mqtt', key: 'contentType' } },
  { field: 'responseTopic', id: 'response-topic', control: 'text', label: () => l10n.t('Response topic'), bind: { side: 'mqtt', key: 'responseTopic' } },
  {
    field: 'correlationData',
    id: 'correlation-data',
    control: 'text',
    label: () => l10n.t('Correlation data'),
    help: () => l10n.t('Sent as UTF-8 bytes.'),
    bind: { side: 'mqtt', key: 'correlationData' },
  },
  {
    field: 'messageExpiryInterval',
    id: 'message-expiry',
    control: 'text',
    label: () => l10n.t('Message expiry (s)'),
    short: true,
    placeholder: none,
    bind: { side: 'mqtt', key: 'messageExpiryInterval' },
  },
  { field: 'topicAlias', id: 'topic-alias', control: 'text', label: () => l10n.t('Topic alias'), short: true, placeholder: none, bind: { side: 'mqtt', key: 'topicAlias' } },
  { field: 'payloadFormatIndicator', id: 'payload-format-indicator', control: 'checkbox' },
  { field: 'userProperties', id: 'user-properties', control: 'table' },
  { field: 'headers', id: 'headers', control: 'table' },
  { field: 'amqpContentType', id: 'amqp-content-type', control: 'text', label: () => l10n.t('Content type'), placeholder: jsonExample, bind: { side: 'amqp', key: 'contentType' } },
  { field: 'deliveryMode', id: 'delivery-mode', control: 'select' },
  { field: 'correlationId', id: 'correlation-id', control: 'text', label: () => l10n.t('Correlation id'), bind: { side: 'amqp', key: 'correlationId' } },
  { field: 'replyTo', id: 'reply-to', control: 'text', label: () => l10n.t('Reply to'), bind: { side: 'amqp', key: 'replyTo' } },
  { field: 'messageId', id: 'message-id', control: 'text', label: () => l10n.t('Message id'), bind: { side: 'amqp', key: 'messageId' } },
  { field: 'type', id: 'amqp-type', control: 'text', label: () => l10n.t('Type'), bind: { side: 'amqp', key: 'type' } },
  { field: 'expiration', id: 'expiration', control: 'text', label: () => l10n.t('Expiration (ms)'), short: true, placeholder: none, bind: { side: 'amqp', key: 'expiration' } },
  { field: 'priority', id: 'priority', control: 'text', label: () => l10n.t('Priority'), short: true, placeholder: none, bind: { side: 'amqp', key: 'priority' } },
  { field: 'payload', id: 'payload', control: 'textarea' },
  { field: 'encoding', id: 'encoding', control: 'select' },
  { field: 'general', id: '', control: 'none' },
] as const satisfies readonly (TextFieldDef | ControlDef)[];

/** Form fields a problem can be shown next to. */
export type FieldId = (typeof FORM_FIELDS)[number]['field'];

/** The fields typed as text, built from their definitions. */
type TextFieldEntry = Extract<(typeof FORM_FIELDS)[number], { control: 'text' }>;
export type TextFieldId = TextFieldEntry['field'];
export const TEXT_FIELDS: readonly TextFieldEntry[] = FORM_FIELDS.filter((f): f is TextFieldEntry => f.control === 'text');

/** Fields in the order the form shows them. */
export const FIELD_ORDER: readonly FieldId[] = FORM_FIELDS.map((f) => f.field);

/** What a text field shows: its member of the form state. */
export function textValue(form: FormState, f: TextFieldDef): string {
  return f.bind.side === 'mqtt' ? form.mqtt[f.bind.key] : form.amqp[f.bind.key];
}

/** Puts what was typed in a text field into its member of the form state. */
export function setTextValue(form: FormState, f: TextFieldDef, value: string): void {
  if (f.bind.side === 'mqtt') {
    form.mqtt[f.bind.key] = value;
  } else {
    form.amqp[f.bind.key] = value;
  }
}
