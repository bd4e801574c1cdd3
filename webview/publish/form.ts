// The publish form's DOM, built once from the form's definition (model/fields.ts): the connection
// and destination, MQTT options and MQTT 5 properties, AMQP options, headers and properties, the
// payload editor, Send / Copy as command, and the history list. Returns the controls the renderers
// fill (FormView); what the buttons do comes in as FormActions.
import * as l10n from '@vscode/l10n';
import { byId, el, icon } from '../shared/dom';
import { TEXT_FIELDS, setTextValue, type TextFieldId } from './model/fields';
import { FORMATS, formatLabel } from './model/payload';
import { clearProblem } from './render';
import { schedulePayloadCheck } from './payload';
import { persist, state } from './state';
import { button, checkbox, kvTable, onRadioChange, problemSlot, section, textField, type Button, type Checkbox, type KvTable, type TextField } from './widgets';
import type { PayloadFormat } from '../../src/core/protocol/publish';
import { buildEncoding, type EncodingActions, type EncodingView } from './encoding';

type Select = HTMLElementTagNameMap['vscode-single-select'];
type Radio = HTMLElementTagNameMap['vscode-radio'];

/** The controls the renderers fill. */
export interface FormView {
  readonly targetSelect: Select;
  /** The inputs of the text fields. */
  readonly text: Readonly<Record<TextFieldId, TextField>>;
  readonly qosRadios: readonly Radio[];
  readonly retain: Checkbox;
  readonly mqtt5: HTMLDetailsElement;
  /** Disabled through an MQTT 3.1.1 connection. */
  readonly mqtt5Controls: readonly (TextField | Checkbox)[];
  readonly pfi: Checkbox;
  readonly userProps: KvTable;
  readonly mandatory: Checkbox;
  readonly headers: KvTable;
  readonly deliveryMode: Select;
  readonly formatRadios: readonly Radio[];
  readonly payload: HTMLTextAreaElement;
  readonly encoding: EncodingView;
  readonly sendButton: Button;
}

/** What the form's controls do beyond editing the form state. */
export interface FormActions {
  readonly selectTarget: (brokerId: string) => void;
  readonly switchFormat: (format: PayloadFormat) => void;
  readonly formatJson: () => void;
  readonly loadFile: () => void;
  readonly send: () => void;
  readonly copyCommand: () => void;
  readonly encoding: EncodingActions;
}

export function buildForm(root: HTMLElement, actions: FormActions): FormView {
  const form = () => state.form;
  // Connection and destination
  const targetSelect = el('vscode-single-select', { id: 'target', 'data-field': 'target' });
  targetSelect.label = l10n.t('Connection');
  targetSelect.addEventListener('change', () => actions.selectTarget(targetSelect.value));
  state.controls.set('target', targetSelect);

  const fields = Object.fromEntries(
    TEXT_FIELDS.map((f) => [
      f.field,
      textField(f.id, f.label(), f.field, (v) => setTextValue(form(), f, v), {
        placeholder: 'placeholder' in f ? f.placeholder() : undefined,
        help: 'help' in f ? f.help() : undefined,
        short: 'short' in f ? f.short : undefined,
      }),
    ]),
  ) as Record<TextFieldId, ReturnType<typeof textField>>;
  const text = Object.fromEntries(TEXT_FIELDS.map((f) => [f.field, fields[f.field].input])) as Record<TextFieldId, TextField>;

  const targetRow = el(
    'div',
    { class: 'row target-row' },
    el('div', { class: 'field connection' }, el('vscode-label', { for: 'target' }, l10n.t('Connection')), targetSelect, el('div', { id: 'target-note', class: 'note', hidden: true }), problemSlot('target')),
    el('div', { id: 'mqtt-destination', class: 'grow' }, fields.topic.root),
    el('div', { id: 'amqp-destination', class: 'row grow' }, fields.exchange.root, fields.routingKey.root),
  );

  // MQTT options
  const qosGroup = el('vscode-radio-group', { id: 'qos', 'aria-label': l10n.t('QoS'), 'data-field': 'qos' });
  const qosWords = [l10n.t('at most once'), l10n.t('at least once'), l10n.t('exactly once')];
  const qosRadios = ([0, 1, 2] as const).map((q) => el('vscode-radio', { id: `qos-${q}`, name: 'qos', value: q, label: `${q} — ${qosWords[q]}` }));
  qosGroup.append(...qosRadios);
  onRadioChange(qosGroup, (v) => {
    const q = Number(v);
    if (q === 0 || q === 1 || q === 2) {
      form().mqtt.qos = q;
      persist();
    }
  });
  state.controls.set('qos', qosGroup);
  const retain = checkbox('retain', l10n.t('Retain'), (c) => (form().mqtt.retain = c));

  const pfi = checkbox('payload-format-indicator', l10n.t('Payload is UTF-8 text (payload format indicator)'), (c) => (form().mqtt.payloadFormatIndicator = c));
  state.controls.set('payloadFormatIndicator', pfi);
  const userProps = kvTable(
    'user-properties',
    {
      table: l10n.t('User properties'),
      empty: l10n.t('No user properties.'),
      add: l10n.t('Add user property'),
      name: (n) => l10n.t('user property {0} name', n),
      value: (n) => l10n.t('user property {0} value', n),
      remove: (n) => l10n.t('Remove user property {0}', n),
    },
    'userProperties',
    () => form().mqtt.userProperties,
  );
  const mqtt5 = section(
    'mqtt5',
    l10n.t('MQTT 5 properties'),
    false,
    el('div', { id: 'mqtt5-note', class: 'note', hidden: true }, icon('info'), ` ${l10n.t('MQTT 3.1.1 connection: no properties')}`),
    el('div', { class: 'grid' }, fields.contentType.root, fields.responseTopic.root, fields.correlationData.root, fields.messageExpiryInterval.root, fields.topicAlias.root),
    el('div', { class: 'field' }, pfi, problemSlot('payloadFormatIndicator')),
    el('div', { class: 'field' }, el('div', { class: 'label-like', id: 'user-properties-label' }, l10n.t('User properties')), userProps.root),
  );

  const mqttOptions = el(
    'div',
    { id: 'mqtt-options' },
    el('div', { class: 'row options' }, el('div', { class: 'field' }, el('div', { class: 'label-like', 'aria-hidden': 'true' }, l10n.t('QoS')), qosGroup, problemSlot('qos')), el('div', { class: 'field end' }, retain)),
    el('div', { id: 'broker-limits', class: 'note', hidden: true, role: 'note' }),
    mqtt5,
  );

  // AMQP options
  const mandatory = checkbox('mandatory', l10n.t('Mandatory (return the message when no queue is bound)'), (c) => (form().amqp.mandatory = c));
  const headers = kvTable(
    'headers',
    {
      table: l10n.t('Headers'),
      empty: l10n.t('No headers.'),
      add: l10n.t('Add header'),
      name: (n) => l10n.t('header {0} name', n),
      value: (n) => l10n.t('header {0} value', n),
      remove: (n) => l10n.t('Remove header {0}', n),
    },
    'headers',
    () => form().amqp.headers,
  );
  const deliveryMode = el(
    'vscode-single-select',
    { id: 'delivery-mode', 'data-field': 'deliveryMode' },
    el('vscode-option', { value: '' }, l10n.t('not set')),
    el('vscode-option', { value: '1' }, l10n.t('transient (1)')),
    el('vscode-option', { value: '2' }, l10n.t('persistent (2)')),
  );
  deliveryMode.label = l10n.t('Delivery mode');
  deliveryMode.addEventListener('change', () => {
    const v = deliveryMode.value;
    form().amqp.deliveryMode = v === '1' || v === '2' ? v : '';
    persist();
  });
  state.controls.set('deliveryMode', deliveryMode);
  const dm = el('div', { class: 'field' }, el('vscode-label', { for: 'delivery-mode' }, l10n.t('Delivery mode')), deliveryMode, problemSlot('deliveryMode'));

  const amqpOptions = el(
    'div',
    { id: 'amqp-options' },
    el('div', { class: 'row options' }, el('div', { class: 'field' }, mandatory)),
    section('amqp-headers', l10n.t('Headers'), form().amqp.headers.length > 0, headers.root),
    section(
      'amqp-properties',
      l10n.t('Properties'),
      false,
      el(
        'div',
        { class: 'grid' },
        fields.amqpContentType.root,
        dm,
        fields.correlationId.root,
        fields.replyTo.root,
        fields.messageId.root,
        fields.type.root,
        fields.expiration.root,
        fields.priority.root,
      ),
    ),
  );

  // Payload
  const formatGroup = el('vscode-radio-group', { id: 'format', 'aria-label': l10n.t('Payload format') });
  const formatRadios = FORMATS.map((fmt) => el('vscode-radio', { id: `format-${fmt}`, name: 'format', value: fmt, label: formatLabel(fmt) }));
  formatGroup.append(...formatRadios);
  onRadioChange(formatGroup, (v) => {
    const fmt = FORMATS.find((f) => f === v);
    if (fmt) {
      actions.switchFormat(fmt);
    }
  });
  const payload = el('textarea', {
    id: 'payload',
    class: 'payload',
    rows: 8,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': 'payload-status payload-problem',
    'data-field': 'payload',
  });
  payload.addEventListener('input', () => {
    form().payload = payload.value;
    clearProblem('payload');
    schedulePayloadCheck(payload);
    persist();
  });
  state.controls.set('payload', payload);
  const payloadProblem = problemSlot('payload');
  payloadProblem.id = 'payload-problem';

  const payloadSection = el(
    'div',
    { class: 'payload-section' },
    el(
      'div',
      { class: 'row payload-head' },
      el('label', { for: 'payload', class: 'label-like' }, l10n.t('Payload')),
      formatGroup,
      el('span', { class: 'spacer' }),
      button('pretty-json', l10n.t('Format'), 'json', actions.formatJson, { secondary: true, title: l10n.t('Pretty-print the JSON') }),
      button('load-file', l10n.t('Load from file…'), 'go-to-file', actions.loadFile, { secondary: true }),
    ),
    payload,
    el('div', { class: 'payload-foot' }, el('div', { id: 'payload-status', class: 'status' }), el('div', { id: 'payload-note', class: 'help', 'aria-live': 'polite' })),
    payloadProblem,
  );
  const encoding = buildEncoding(actions.encoding);

  // Actions and result
  const sendButton = button('send', l10n.t('Send'), 'send', actions.send, { title: l10n.t('Send (Ctrl+Enter)') });
  const actionsRow = el(
    'div',
    { class: 'row actions' },
    sendButton,
    button('copy-command', l10n.t('Copy as command'), 'copy', actions.copyCommand, { secondary: true, title: l10n.t('Copy as mosquitto_pub / rabbitmqadmin command') }),
    el('div', { id: 'result', class: 'result', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-state': 'idle' }),
  );
  const generalProblems = problemSlot('general');
  const copyStatus = el('div', { id: 'copy-status', class: 'help', role: 'status', 'aria-live': 'polite' });

  // History
  const historySection = el(
    'section',
    { class: 'history', 'aria-labelledby': 'history-title' },
    el('h2', { id: 'history-title' }, icon('history'), ` ${l10n.t('History')}`),
    el('ul', { id: 'history', class: 'history-list', 'aria-labelledby': 'history-title' }),
    el('div', { id: 'history-empty', class: 'help' }),
  );

  root.replaceChildren(
    el('form', { id: 'publish-form', class: 'publish', 'aria-label': l10n.t('Publish a message'), novalidate: true }, targetRow, mqttOptions, amqpOptions, payloadSection, encoding.root, actionsRow, generalProblems, copyStatus),
    historySection,
  );
  byId<HTMLFormElement>('publish-form').addEventListener('submit', (e) => e.preventDefault());

  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      actions.send();
    }
  });
  const mqtt5Controls = [text.contentType, text.responseTopic, text.correlationData, text.messageExpiryInterval, text.topicAlias, pfi];
  return { targetSelect, text, qosRadios, retain, mqtt5, mqtt5Controls, pfi, userProps, mandatory, headers, deliveryMode, formatRadios, payload, encoding, sendButton };
}
