// The publish panel: pick a connection, fill the message, send it, see the outcome inline, and
// send again from the history. The logic lives in model.ts (tested in Node); this file owns the
// DOM, built with DOM APIs only (strict CSP: no HTML strings, no inline handlers, no eval).
// Every text shown goes through l10n `l10n.t()`; `init` configures it (host.ts) before build() runs.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../shared/base.css';
import './publish.css';
import type { HistoryEntry, PublishHostMessage as HostMessage, PayloadFormat, PublishDraft, PublishInit, PublishTarget } from '../../src/core/protocol/publish';
import { connect, getState, post, request, setState } from '../shared/host';
import { byId, el, icon } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import * as M from './model';

type TextField = HTMLElementTagNameMap['vscode-textfield'];
type Checkbox = HTMLElementTagNameMap['vscode-checkbox'];
type Select = HTMLElementTagNameMap['vscode-single-select'];
type Button = HTMLElementTagNameMap['vscode-button'];
type Radio = HTMLElementTagNameMap['vscode-radio'];

/** How long Send waits for the host before saying so (a late answer is still shown). */
const SEND_TIMEOUT_MS = 30_000;
/** How long the "Copy as command" answer stays. */
const COPY_NOTE_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// State

let targets: readonly PublishTarget[] = [];
let brokerId: string | undefined;
let form: M.FormState = M.emptyForm();
let history: HistoryEntry[] = [];
let historyLoading = false;
let built = false;
let sending = false;
let sendSeq = 0;

const currentTarget = (): PublishTarget | undefined => targets.find((t) => t.brokerId === brokerId);
/** The side of the form shown: the target's kind, else the draft's. */
let kind: 'mqtt' | 'amqp' = 'mqtt';

let persistTimer: ReturnType<typeof setTimeout> | undefined;
/** Keeps the form (both sides) and the chosen connection across hide/show and reload. */
function persist(now = false): void {
  clearTimeout(persistTimer);
  const write = () => setState({ panel: 'publish', brokerId, draft: M.persistedDraft(form) });
  if (now) {
    write();
  } else {
    persistTimer = setTimeout(write, 250);
  }
}

// ---------------------------------------------------------------------------------------------
// Building blocks

/** Where problems with a field are shown (hidden while there are none). */
function problemSlot(field: M.FieldId): HTMLElement {
  return el('div', { class: 'problem', 'data-problem-for': field, hidden: true });
}

/** Controls that get `invalid` when their field has a problem. */
const controls = new Map<M.FieldId, HTMLElement & { invalid?: boolean }>();

interface FieldOptions {
  placeholder?: string;
  help?: string;
  /** Narrow input (numbers). */
  short?: boolean;
  type?: 'text' | 'number';
}

function textField(id: string, label: string, field: M.FieldId, onInput: (value: string) => void, o: FieldOptions = {}): { root: HTMLElement; input: TextField } {
  const input = el('vscode-textfield', { id, class: o.short ? 'short' : undefined, placeholder: o.placeholder, 'data-field': field });
  input.label = label; // aria-label of the inner <input>
  input.addEventListener('input', () => {
    onInput(input.value);
    clearProblem(field);
    persist();
  });
  controls.set(field, input);
  const root = el(
    'div',
    { class: 'field' },
    el('vscode-label', { for: id }, label),
    input,
    o.help ? el('div', { class: 'help' }, o.help) : null,
    problemSlot(field),
  );
  return { root, input };
}

function checkbox(id: string, label: string, onChange: (checked: boolean) => void): Checkbox {
  const box = el('vscode-checkbox', { id, label });
  box.addEventListener('change', () => {
    onChange(box.checked);
    persist();
  });
  return box;
}

function button(id: string, text: string, iconName: string, onClick: () => void, o: { secondary?: boolean; title?: string } = {}): Button {
  const b = el('vscode-button', { id, icon: iconName, secondary: o.secondary, title: o.title }, text);
  b.addEventListener('click', () => {
    if (!b.disabled) {
      onClick();
    }
  });
  return b;
}

/**
 * Calls `onChange` with the checked radio's value after a click, Space or an arrow key. The
 * group's arrow keys check a radio without firing `change` (vscode-elements 2.5): its own
 * keydown listener runs first, so this one reads the result. `onChange` must ignore repeats.
 */
function onRadioChange(group: HTMLElementTagNameMap['vscode-radio-group'], onChange: (value: string) => void): void {
  const read = () => {
    const checked = Array.from(group.querySelectorAll('vscode-radio')).find((r) => r.checked);
    if (checked) {
      onChange(checked.value);
    }
  };
  group.addEventListener('change', read);
  group.addEventListener('keydown', (e) => {
    if (e.key.startsWith('Arrow')) {
      read();
    }
  });
}

/** A collapsible section (native <details>: keyboard and screen readers know it). */
function section(id: string, title: string, open: boolean, ...body: (Node | null)[]): HTMLDetailsElement {
  const d = el('details', { id, class: 'section', open }, el('summary', {}, icon('chevron-right', 'twisty'), el('span', {}, title)), el('div', { class: 'section-body' }, ...body));
  return d;
}

/** An editable name/value table (MQTT user properties, AMQP headers). */
interface KvTable {
  root: HTMLElement;
  render(): void;
  setDisabled(disabled: boolean): void;
}

/** The words of a name/value table, translated as whole phrases (row numbers as `{0}`). */
interface KvWords {
  table: string;
  empty: string;
  add: string;
  name: (n: number) => string;
  value: (n: number) => string;
  remove: (n: number) => string;
}

function kvTable(id: string, words: KvWords, field: M.FieldId, rows: () => M.KeyValueRow[]): KvTable {
  let disabled = false;
  const body = el('tbody');
  const table = el(
    'table',
    { id, class: 'kv', 'aria-label': words.table },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, l10n.t('Name')), el('th', { scope: 'col' }, l10n.t('Value')), el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, l10n.t('Remove'))))),
    body,
  );
  const empty = el('div', { class: 'help kv-empty' }, words.empty);
  const add = button(`${id}-add`, words.add, 'add', () => {
    rows().push({ key: '', value: '' });
    render();
    persist();
    body.querySelector<TextField>('tr:last-child vscode-textfield')?.focus();
  }, { secondary: true });

  function render(): void {
    const list = rows();
    body.replaceChildren(
      ...list.map((row, i) => {
        const n = i + 1;
        const key = el('vscode-textfield', { class: 'kv-key', 'data-row': i, placeholder: l10n.t('name'), disabled });
        key.label = words.name(n);
        key.value = row.key;
        key.addEventListener('input', () => {
          row.key = key.value;
          clearProblem(field);
          persist();
        });
        const value = el('vscode-textfield', { class: 'kv-value', 'data-row': i, placeholder: l10n.t('value'), disabled });
        value.label = words.value(n);
        value.value = row.value;
        value.addEventListener('input', () => {
          row.value = value.value;
          persist();
        });
        const remove = el('vscode-button', { class: 'kv-remove', icon: 'close', 'icon-only': true, secondary: true, title: words.remove(n), 'aria-label': words.remove(n), disabled });
        remove.addEventListener('click', () => {
          if (disabled) {
            return;
          }
          list.splice(i, 1);
          render();
          persist();
          const next = body.querySelectorAll<TextField>('vscode-textfield.kv-key')[Math.min(i, list.length - 1)];
          (next ?? add).focus();
        });
        return el('tr', {}, el('td', {}, key), el('td', {}, value), el('td', {}, remove));
      }),
    );
    table.hidden = list.length === 0;
    empty.hidden = list.length > 0;
    add.disabled = disabled;
  }

  const root = el('div', { class: 'kv-wrap' }, table, empty, add, problemSlot(field));
  return {
    root,
    render,
    setDisabled(d: boolean) {
      disabled = d;
      render();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The form

let targetSelect: Select;
let topic: TextField;
let qosRadios: Radio[] = [];
let retain: Checkbox;
let mqtt5: HTMLDetailsElement;
let mqtt5Fields: { contentType: TextField; responseTopic: TextField; correlationData: TextField; expiry: TextField; alias: TextField; pfi: Checkbox };
let userProps: KvTable;
let exchange: TextField;
let routingKey: TextField;
let mandatory: Checkbox;
let headers: KvTable;
let amqpFields: { contentType: TextField; correlationId: TextField; replyTo: TextField; expiration: TextField; messageId: TextField; type: TextField; priority: TextField };
let deliveryMode: Select;
let formatRadios: Radio[] = [];
let payload: HTMLTextAreaElement;
let sendButton: Button;

function build(root: HTMLElement): void {
  // Connection and destination
  targetSelect = el('vscode-single-select', { id: 'target', 'data-field': 'target' });
  targetSelect.label = l10n.t('Connection');
  targetSelect.addEventListener('change', () => selectTarget(targetSelect.value));
  controls.set('target', targetSelect);

  topic = textField('topic', l10n.t('Topic'), 'topic', (v) => (form.mqtt.topic = v), { placeholder: l10n.t('e.g. home/kitchen/temperature') }).input;
  exchange = textField('exchange', l10n.t('Exchange'), 'exchange', (v) => (form.amqp.exchange = v), { placeholder: M.defaultExchangeLabel() }).input;
  routingKey = textField('routing-key', l10n.t('Routing key'), 'routingKey', (v) => (form.amqp.routingKey = v)).input;

  const targetRow = el(
    'div',
    { class: 'row target-row' },
    el('div', { class: 'field connection' }, el('vscode-label', { for: 'target' }, l10n.t('Connection')), targetSelect, el('div', { id: 'target-note', class: 'note', hidden: true }), problemSlot('target')),
    el('div', { id: 'mqtt-destination', class: 'grow' }, topic.parentElement),
    el('div', { id: 'amqp-destination', class: 'row grow' }, exchange.parentElement, routingKey.parentElement),
  );

  // MQTT options
  const qosGroup = el('vscode-radio-group', { id: 'qos', 'aria-label': l10n.t('QoS'), 'data-field': 'qos' });
  const qosWords = [l10n.t('at most once'), l10n.t('at least once'), l10n.t('exactly once')];
  qosRadios = ([0, 1, 2] as const).map((q) => el('vscode-radio', { id: `qos-${q}`, name: 'qos', value: q, label: `${q} — ${qosWords[q]}` }));
  qosGroup.append(...qosRadios);
  onRadioChange(qosGroup, (v) => {
    const q = Number(v);
    if (q === 0 || q === 1 || q === 2) {
      form.mqtt.qos = q;
      persist();
    }
  });
  controls.set('qos', qosGroup);
  retain = checkbox('retain', l10n.t('Retain'), (c) => (form.mqtt.retain = c));

  const f = (id: string, label: string, field: M.FieldId, set: (v: string) => void, o?: FieldOptions) => textField(id, label, field, set, o);
  const none = l10n.t('none');
  const ct = f('content-type', l10n.t('Content type'), 'contentType', (v) => (form.mqtt.contentType = v), { placeholder: l10n.t('e.g. application/json') });
  const rt = f('response-topic', l10n.t('Response topic'), 'responseTopic', (v) => (form.mqtt.responseTopic = v));
  const cd = f('correlation-data', l10n.t('Correlation data'), 'correlationData', (v) => (form.mqtt.correlationData = v), { help: l10n.t('Sent as UTF-8 bytes.') });
  const ex = f('message-expiry', l10n.t('Message expiry (s)'), 'messageExpiryInterval', (v) => (form.mqtt.messageExpiryInterval = v), { short: true, placeholder: none });
  const al = f('topic-alias', l10n.t('Topic alias'), 'topicAlias', (v) => (form.mqtt.topicAlias = v), { short: true, placeholder: none });
  const pfi = checkbox('payload-format-indicator', l10n.t('Payload is UTF-8 text (payload format indicator)'), (c) => (form.mqtt.payloadFormatIndicator = c));
  controls.set('payloadFormatIndicator', pfi);
  mqtt5Fields = { contentType: ct.input, responseTopic: rt.input, correlationData: cd.input, expiry: ex.input, alias: al.input, pfi };
  userProps = kvTable(
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
    () => form.mqtt.userProperties,
  );
  mqtt5 = section(
    'mqtt5',
    l10n.t('MQTT 5 properties'),
    false,
    el('div', { id: 'mqtt5-note', class: 'note', hidden: true }, icon('info'), ` ${l10n.t('MQTT 3.1.1 connection: no properties')}`),
    el('div', { class: 'grid' }, ct.root, rt.root, cd.root, ex.root, al.root),
    el('div', { class: 'field' }, pfi, problemSlot('payloadFormatIndicator')),
    el('div', { class: 'field' }, el('div', { class: 'label-like', id: 'user-properties-label' }, l10n.t('User properties')), userProps.root),
  );

  const mqttOptions = el(
    'div',
    { id: 'mqtt-options' },
    el('div', { class: 'row options' }, el('div', { class: 'field' }, el('div', { class: 'label-like', 'aria-hidden': 'true' }, l10n.t('QoS')), qosGroup, problemSlot('qos')), el('div', { class: 'field end' }, retain)),
    mqtt5,
  );

  // AMQP options
  mandatory = checkbox('mandatory', l10n.t('Mandatory (return the message when no queue is bound)'), (c) => (form.amqp.mandatory = c));
  headers = kvTable(
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
    () => form.amqp.headers,
  );
  const a = (id: string, label: string, field: M.FieldId, set: (v: string) => void, o?: FieldOptions) => textField(id, label, field, set, o);
  const act = a('amqp-content-type', l10n.t('Content type'), 'amqpContentType', (v) => (form.amqp.contentType = v), { placeholder: l10n.t('e.g. application/json') });
  const cid = a('correlation-id', l10n.t('Correlation id'), 'correlationId', (v) => (form.amqp.correlationId = v));
  const rto = a('reply-to', l10n.t('Reply to'), 'replyTo', (v) => (form.amqp.replyTo = v));
  const exp = a('expiration', l10n.t('Expiration (ms)'), 'expiration', (v) => (form.amqp.expiration = v), { short: true, placeholder: none });
  const mid = a('message-id', l10n.t('Message id'), 'messageId', (v) => (form.amqp.messageId = v));
  const typ = a('amqp-type', l10n.t('Type'), 'type', (v) => (form.amqp.type = v));
  const pri = a('priority', l10n.t('Priority'), 'priority', (v) => (form.amqp.priority = v), { short: true, placeholder: none });
  amqpFields = { contentType: act.input, correlationId: cid.input, replyTo: rto.input, expiration: exp.input, messageId: mid.input, type: typ.input, priority: pri.input };
  deliveryMode = el(
    'vscode-single-select',
    { id: 'delivery-mode', 'data-field': 'deliveryMode' },
    el('vscode-option', { value: '' }, l10n.t('not set')),
    el('vscode-option', { value: '1' }, l10n.t('transient (1)')),
    el('vscode-option', { value: '2' }, l10n.t('persistent (2)')),
  );
  deliveryMode.label = l10n.t('Delivery mode');
  deliveryMode.addEventListener('change', () => {
    const v = deliveryMode.value;
    form.amqp.deliveryMode = v === '1' || v === '2' ? v : '';
    persist();
  });
  controls.set('deliveryMode', deliveryMode);
  const dm = el('div', { class: 'field' }, el('vscode-label', { for: 'delivery-mode' }, l10n.t('Delivery mode')), deliveryMode, problemSlot('deliveryMode'));

  const amqpOptions = el(
    'div',
    { id: 'amqp-options' },
    el('div', { class: 'row options' }, el('div', { class: 'field' }, mandatory)),
    section('amqp-headers', l10n.t('Headers'), form.amqp.headers.length > 0, headers.root),
    section('amqp-properties', l10n.t('Properties'), false, el('div', { class: 'grid' }, act.root, dm, cid.root, rto.root, mid.root, typ.root, exp.root, pri.root)),
  );

  // Payload
  const formatGroup = el('vscode-radio-group', { id: 'format', 'aria-label': l10n.t('Payload format') });
  formatRadios = M.FORMATS.map((fmt) => el('vscode-radio', { id: `format-${fmt}`, name: 'format', value: fmt, label: M.formatLabel(fmt) }));
  formatGroup.append(...formatRadios);
  onRadioChange(formatGroup, (v) => {
    const fmt = M.FORMATS.find((f) => f === v);
    if (fmt) {
      switchFormat(fmt);
    }
  });
  payload = el('textarea', {
    id: 'payload',
    class: 'payload',
    rows: 8,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': 'payload-status payload-problem',
    'data-field': 'payload',
  });
  payload.addEventListener('input', () => {
    form.payload = payload.value;
    clearProblem('payload');
    schedulePayloadCheck();
    persist();
  });
  controls.set('payload', payload);
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
      button('pretty-json', l10n.t('Format'), 'json', formatJsonPayload, { secondary: true, title: l10n.t('Pretty-print the JSON') }),
      button('load-file', l10n.t('Load from file…'), 'go-to-file', () => void loadFile(), { secondary: true }),
    ),
    payload,
    el('div', { class: 'payload-foot' }, el('div', { id: 'payload-status', class: 'status' }), el('div', { id: 'payload-note', class: 'help', 'aria-live': 'polite' })),
    payloadProblem,
  );

  // Actions and result
  sendButton = button('send', l10n.t('Send'), 'send', () => void send(), { title: l10n.t('Send (Ctrl+Enter)') });
  const actions = el(
    'div',
    { class: 'row actions' },
    sendButton,
    button('copy-command', l10n.t('Copy as command'), 'copy', () => void copyCommand(), { secondary: true, title: l10n.t('Copy as mosquitto_pub / rabbitmqadmin command') }),
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
    el('form', { id: 'publish-form', class: 'publish', 'aria-label': l10n.t('Publish a message'), novalidate: true }, targetRow, mqttOptions, amqpOptions, payloadSection, actions, generalProblems, copyStatus),
    historySection,
  );
  byId<HTMLFormElement>('publish-form').addEventListener('submit', (e) => e.preventDefault());

  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void send();
    }
  });
  built = true;
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderTargets(): void {
  const options = targets.map((t) => el('vscode-option', { value: t.brokerId }, M.targetLabel(t)));
  if (brokerId !== undefined && !currentTarget()) {
    options.push(el('vscode-option', { value: brokerId }, l10n.t('Removed connection')));
  }
  if (options.length === 0) {
    options.push(el('vscode-option', { value: '' }, l10n.t('No connections')));
  }
  targetSelect.replaceChildren(...options);
  targetSelect.value = brokerId ?? '';
  renderTargetNote();
}

function renderTargetNote(): void {
  const note = byId('target-note');
  const target = currentTarget();
  let text: string | undefined;
  if (targets.length === 0) {
    text = l10n.t('No connections: add a broker in the Brokers view.');
  } else if (!target) {
    text = brokerId ? l10n.t('This connection was removed: pick another.') : l10n.t('Pick a connection.');
  } else if (!target.connected && target.reconnecting) {
    text = l10n.t('Reconnecting: QoS 1 and 2 messages wait in an outbox (up to 1,000) and are sent when the connection is back; QoS 0 is refused.');
  } else if (!target.connected) {
    text = l10n.t('Disconnected: connect it in the Brokers view to send.');
  }
  note.replaceChildren(...(text ? [icon('warning'), ` ${text}`] : []));
  note.hidden = text === undefined;
  const t4 = target?.kind === 'mqtt' && target.mqttVersion === 4;
  byId('mqtt5-note').hidden = !t4;
  for (const c of Object.values(mqtt5Fields)) {
    c.disabled = t4;
  }
  userProps.setDisabled(t4);
  mqtt5.classList.toggle('disabled', t4);
}

function renderKind(): void {
  const t = currentTarget();
  kind = t ? t.kind : kind;
  const mqtt = kind === 'mqtt';
  byId('mqtt-destination').hidden = !mqtt;
  byId('mqtt-options').hidden = !mqtt;
  byId('amqp-destination').hidden = mqtt;
  byId('amqp-options').hidden = mqtt;
}

/** Puts the form state into the controls. */
function renderForm(): void {
  const m = form.mqtt;
  topic.value = m.topic;
  for (const r of qosRadios) {
    r.checked = Number(r.value) === m.qos;
  }
  retain.checked = m.retain;
  mqtt5Fields.contentType.value = m.contentType;
  mqtt5Fields.responseTopic.value = m.responseTopic;
  mqtt5Fields.correlationData.value = m.correlationData;
  mqtt5Fields.expiry.value = m.messageExpiryInterval;
  mqtt5Fields.alias.value = m.topicAlias;
  mqtt5Fields.pfi.checked = m.payloadFormatIndicator;
  userProps.render();
  if (m.contentType || m.responseTopic || m.correlationData || m.messageExpiryInterval || m.topicAlias || m.payloadFormatIndicator || m.userProperties.length) {
    mqtt5.open = true;
  }
  const a = form.amqp;
  exchange.value = a.exchange;
  routingKey.value = a.routingKey;
  mandatory.checked = a.mandatory;
  headers.render();
  if (a.headers.length) {
    byId<HTMLDetailsElement>('amqp-headers').open = true;
  }
  amqpFields.contentType.value = a.contentType;
  amqpFields.correlationId.value = a.correlationId;
  amqpFields.replyTo.value = a.replyTo;
  amqpFields.expiration.value = a.expiration;
  amqpFields.messageId.value = a.messageId;
  amqpFields.type.value = a.type;
  amqpFields.priority.value = a.priority;
  deliveryMode.value = a.deliveryMode;
  if (a.contentType || a.deliveryMode || a.correlationId || a.replyTo || a.expiration || a.messageId || a.type || a.priority) {
    byId<HTMLDetailsElement>('amqp-properties').open = true;
  }
  renderPayload();
}

function renderPayload(): void {
  for (const r of formatRadios) {
    r.checked = r.value === form.format;
  }
  if (payload.value !== form.payload) {
    payload.value = form.payload;
  }
  payload.classList.toggle('json', form.format === 'json');
  byId<Button>('pretty-json').disabled = form.format !== 'json';
  checkPayloadNow();
}

let payloadTimer: ReturnType<typeof setTimeout> | undefined;
function schedulePayloadCheck(): void {
  clearTimeout(payloadTimer);
  payloadTimer = setTimeout(checkPayloadNow, 150);
}

/** The byte count, or what is wrong with the payload in its format (JSON with line:column). */
function checkPayloadNow(): void {
  clearTimeout(payloadTimer);
  const status = byId('payload-status');
  const r = M.checkPayload(form.payload, form.format);
  status.dataset.state = r.ok ? 'ok' : 'error';
  payload.setAttribute('aria-invalid', String(!r.ok));
  if (r.ok) {
    status.replaceChildren(form.format === 'json' ? l10n.t('Valid JSON · {0}', M.byteCount(r.bytes)) : M.byteCount(r.bytes));
  } else {
    status.replaceChildren(icon('error'), ` ${r.error}`);
  }
}

function setNote(id: string, text: string, ms = 6000): void {
  const note = byId(id);
  note.textContent = text;
  const mine = text;
  setTimeout(() => {
    if (note.textContent === mine) {
      note.textContent = '';
    }
  }, ms);
}

function switchFormat(to: PayloadFormat): void {
  const from = form.format;
  if (from === to) {
    return;
  }
  const c = M.convertPayload(form.payload, from, to);
  if (c.ok) {
    form.payload = c.payload;
    form.format = to;
  } else if (c.reason === 'invalid') {
    form.format = to; // the payload wasn't valid as it was: maybe it was typed in the wrong format
    setNote('payload-note', c.error);
  } else {
    setNote('payload-note', c.error);
  }
  clearProblem('payload');
  renderPayload();
  persist();
}

function formatJsonPayload(): void {
  const pretty = M.prettyJson(form.payload);
  if (pretty === undefined) {
    const r = M.checkPayload(form.payload, 'json');
    payload.focus();
    if (!r.ok && r.line !== undefined && r.column !== undefined) {
      const at = M.offsetOf(form.payload, r.line, r.column);
      payload.setSelectionRange(at, at);
    }
    return;
  }
  form.payload = pretty;
  payload.value = pretty;
  checkPayloadNow();
  persist();
}

// ---------------------------------------------------------------------------------------------
// Problems and results

function clearProblem(field: M.FieldId): void {
  for (const slot of document.querySelectorAll<HTMLElement>(`[data-problem-for="${field}"]`)) {
    slot.hidden = true;
    slot.replaceChildren();
  }
  const c = controls.get(field);
  if (c) {
    if ('invalid' in c) {
      c.invalid = false;
    }
    c.removeAttribute('aria-invalid');
  }
}

function showProblems(all: readonly M.Problem[]): void {
  // The payload's own format errors are already shown live under it.
  const payloadShown = byId('payload-status').dataset.state === 'error';
  const problems = all.filter((p) => !(p.field === 'payload' && payloadShown));
  for (const slot of document.querySelectorAll<HTMLElement>('[data-problem-for]')) {
    const field = slot.dataset.problemFor as M.FieldId;
    const mine = problems.filter((p) => p.field === field);
    slot.hidden = mine.length === 0;
    slot.replaceChildren(...mine.map((p) => el('div', {}, icon('error'), ` ${p.text}`)));
    const c = controls.get(field);
    if (c) {
      if ('invalid' in c) {
        c.invalid = mine.length > 0;
      }
      if (mine.length) {
        c.setAttribute('aria-invalid', 'true');
      } else {
        c.removeAttribute('aria-invalid');
      }
    }
  }
}

/** Opens the section a field is in and focuses it. */
function focusField(field: M.FieldId): void {
  const c = controls.get(field) ?? (field === 'userProperties' ? byId('user-properties-add') : field === 'headers' ? byId('headers-add') : undefined);
  if (!c) {
    return;
  }
  const details = c.closest('details');
  if (details) {
    details.open = true;
  }
  c.focus();
}

type ResultState = 'idle' | 'pending' | 'ok' | 'error' | 'invalid';
function showResult(state: ResultState, text: string): void {
  const r = byId('result');
  r.dataset.state = state;
  const mark = /^[✔✖] /.exec(text);
  r.replaceChildren(
    ...(state === 'pending' ? [icon('loading', 'codicon-modifier-spin'), ` ${text}`] : mark ? [el('span', { class: 'mark' }, mark[0].trim()), ` ${text.slice(2)}`] : [text]),
  );
}

function setSending(busy: boolean): void {
  sending = busy;
  sendButton.disabled = busy;
  sendButton.icon = busy ? 'loading' : 'send';
  sendButton.iconSpin = busy;
  sendButton.setAttribute('aria-busy', String(busy));
  sendButton.lastChild!.textContent = busy ? l10n.t('Sending…') : l10n.t('Send');
}

// ---------------------------------------------------------------------------------------------
// Requests

async function send(): Promise<void> {
  if (sending || !built) {
    return;
  }
  const target = currentTarget();
  const refusal = M.sendRefusal(target);
  if (refusal || !target) {
    showProblems([]);
    showResult('error', `✖ ${l10n.t('Not sent: {0}', refusal ?? '')}`);
    return;
  }
  const { draft, problems } = M.collectProblems(form, target);
  showProblems(problems);
  if (problems.length) {
    const first = problems[0]!.text;
    showResult('invalid', `✖ ${l10n.t('Not sent: {0}', problems.length === 1 ? first : l10n.t('{0} (and {1} more, marked above)', first, problems.length - 1))}`);
    focusField(problems[0]!.field);
    return;
  }
  const seq = ++sendSeq;
  setSending(true);
  showResult('pending', l10n.t('Sending…'));
  const timer = setTimeout(() => {
    if (seq === sendSeq && sending) {
      setSending(false);
      showResult('error', `✖ ${l10n.t('No answer from the extension after {0} s.', SEND_TIMEOUT_MS / 1000)}`);
    }
  }, SEND_TIMEOUT_MS);
  const reply = await request((id) => ({ type: 'publish/send', id, brokerId: target.brokerId, draft }));
  clearTimeout(timer);
  if (seq === sendSeq) {
    setSending(false);
  }
  const now = Date.now();
  if (reply.type === 'publish/result') {
    showResult(reply.outcome.ok ? 'ok' : 'error', M.outcomeView(reply.outcome, now).text);
    if (reply.outcome.ok && target.brokerId === brokerId) {
      history = M.addToHistory(history, { time: now, brokerId: target.brokerId, draft, result: reply.outcome.text });
      renderHistory();
    }
  } else if (reply.type === 'error') {
    showResult('error', `✖ ${reply.message} · ${M.formatTime(now)}`);
  } else {
    showResult('error', `✖ ${l10n.t('Unexpected answer from the extension ({0}).', reply.type)}`);
  }
}

let copyTimer: ReturnType<typeof setTimeout> | undefined;
async function copyCommand(): Promise<void> {
  const status = byId('copy-status');
  const target = currentTarget();
  if (!target) {
    status.textContent = l10n.t('Pick a connection first.');
    return;
  }
  const { draft } = M.draftFromForm(form, target.kind, target.mqttVersion);
  const reply = await request((id) => ({ type: 'publish/copyCommand', id, brokerId: target.brokerId, draft }));
  status.dataset.state = reply.type === 'done' ? 'ok' : 'error';
  status.replaceChildren(...(reply.type === 'done' ? [icon('check'), ` ${reply.text}`] : [icon('error'), ` ${reply.type === 'error' ? reply.message : l10n.t('Could not copy.')}`]));
  clearTimeout(copyTimer);
  copyTimer = setTimeout(() => status.replaceChildren(), COPY_NOTE_MS);
}

async function loadFile(): Promise<void> {
  const reply = await request((id) => ({ type: 'publish/loadFile', id }));
  if (reply.type === 'error') {
    setNote('payload-note', reply.message);
    return;
  }
  if (reply.type !== 'publish/file' || !reply.bytes) {
    return; // cancelled
  }
  const loaded = M.payloadFromFile(reply.bytes, form.format);
  form.format = loaded.format;
  form.payload = loaded.payload;
  clearProblem('payload');
  renderPayload();
  persist();
  setNote('payload-note', l10n.t('Loaded {0} ({1}) as {2}.', reply.name ?? l10n.t('the file'), M.byteCount(reply.bytes.length), M.formatLabel(loaded.format)));
  payload.focus();
}

// ---------------------------------------------------------------------------------------------
// History

function renderHistory(): void {
  const list = byId('history');
  const now = Date.now();
  list.replaceChildren(
    ...history.map((entry, i) => {
      const v = M.historyView(entry, now);
      const load = el(
        'button',
        { type: 'button', class: 'history-load', 'aria-label': l10n.t('{0}. Load into the form', v.label), title: l10n.t('Load into the form') },
        el('span', { class: 'h-time' }, v.time),
        el('span', { class: 'h-dest' }, v.destination),
        el('span', { class: 'h-preview' }, v.preview),
        el('span', { class: 'h-result' }, v.result),
      );
      load.addEventListener('click', () => loadEntry(entry));
      const again = el('vscode-button', { class: 'history-send-again', icon: 'debug-rerun', secondary: true, 'aria-label': l10n.t('Send again: {0}', v.destination), title: l10n.t('Send again') }, l10n.t('Send again'));
      again.addEventListener('click', () => {
        loadEntry(entry);
        void send();
      });
      return el('li', { class: 'history-entry', 'data-index': i }, load, again);
    }),
  );
  const empty = byId('history-empty');
  empty.textContent = historyLoading ? l10n.t('Loading…') : history.length ? '' : l10n.t('Nothing sent through this connection yet.');
  empty.hidden = history.length > 0;
}

function loadEntry(entry: HistoryEntry): void {
  form = M.formFromDraft(entry.draft, form);
  showProblems([]);
  renderForm();
  persist();
}

// ---------------------------------------------------------------------------------------------
// Host messages

function selectTarget(id: string): void {
  if (id === brokerId || id === '') {
    return;
  }
  brokerId = id;
  history = [];
  historyLoading = true;
  post({ type: 'publish/selectBroker', brokerId: id });
  renderTargetNote();
  renderKind();
  renderHistory();
  showProblems([]);
  showResult('idle', '');
  persist(true);
}

let initCount = 0;
function init(p: PublishInit): void {
  const root = byId('root');
  if (!built) {
    build(root);
  }
  const saved = initCount++ === 0 ? getState() : undefined;
  const savedPublish = saved?.panel === 'publish' ? saved : undefined;
  targets = p.targets;
  // First init after a (re)load: the form as it was left wins; a later init is a new prefill.
  const draft: PublishDraft = savedPublish?.draft ?? p.draft;
  form = M.formFromDraft(draft, M.emptyForm());
  const wanted = [savedPublish?.brokerId, p.brokerId].find((id) => id !== undefined && targets.some((t) => t.brokerId === id));
  brokerId = wanted ?? targets.find((t) => t.connected)?.brokerId ?? targets[0]?.brokerId ?? p.brokerId;
  kind = currentTarget()?.kind ?? (draft.amqp && !draft.mqtt ? 'amqp' : 'mqtt');
  history = M.newestFirst(p.history);
  historyLoading = false;
  if (brokerId !== undefined && brokerId !== p.brokerId) {
    history = [];
    historyLoading = true;
    post({ type: 'publish/selectBroker', brokerId });
  }
  renderTargets();
  renderKind();
  renderForm();
  renderHistory();
  showProblems([]);
  showResult('idle', '');
  persist(true);
}

connect((message: HostMessage) => {
  switch (message.type) {
    case 'init':
      if (message.panel === 'publish') {
        init(message.publish);
      }
      break;
    case 'publish/targets':
      if (built) {
        targets = message.targets;
        renderTargets();
        renderKind();
      }
      break;
    case 'publish/history':
      if (built && message.brokerId === brokerId) {
        history = M.newestFirst(message.history);
        historyLoading = false;
        renderHistory();
      }
      break;
    case 'error':
      if (message.inReplyTo === undefined) {
        if (built) {
          showResult('error', `✖ ${message.message}`);
        } else {
          byId('root').textContent = message.message;
        }
      }
      break;
    default:
      break; // replies go to their request()
  }
});
