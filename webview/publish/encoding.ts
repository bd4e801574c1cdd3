// The Encoding control under the payload (issue 20): the codec (Protobuf with a message type of
// the workspace's .proto files, MessagePack, CBOR, Sparkplug B), a compression after it, the size
// the host encoded (or what is wrong, in words); for Sparkplug B the command builder (the metrics of
// the last BIRTH by name) and the session's "Simulate edge node" checkbox. The host encodes: this
// builds the controls and shows what it answers.
import * as l10n from '@vscode/l10n';
import { byId, el, icon } from '../shared/dom';
import { byteCount } from './model/payload';
import { CODECS, COMPRESSIONS, codecLabel, compressionLabel, isCommandTopic, type Compression, type EncodingCodec } from './model/encoding';
import { clearProblem } from './render';
import { persist, state } from './state';
import { button, checkbox, problemSlot, type Checkbox } from './widgets';

type Select = HTMLElementTagNameMap['vscode-single-select'];

export interface EncodingView {
  readonly root: HTMLElement;
  readonly codec: Select;
  readonly type: Select;
  readonly compression: Select;
  readonly metric: Select;
  readonly simulate: Checkbox;
}

export interface EncodingActions {
  /** The codec, type or compression changed (the host encodes again). */
  readonly changed: () => void;
  /** Adds the chosen BIRTH metric to the JSON body. */
  readonly addMetric: (name: string) => void;
  readonly simulate: (on: boolean) => void;
}

const SPARKPLUG_PREFIX = 'spBv1.0/';

export function buildEncoding(actions: EncodingActions): EncodingView {
  const form = () => state.form;
  const select = (id: string, label: string): Select => {
    const s = el('vscode-single-select', { id, 'data-field': 'encoding' });
    s.label = label;
    return s;
  };
  const codec = select('encoding', l10n.t('Encoding'));
  codec.append(...CODECS.map((c) => el('vscode-option', { value: c }, codecLabel(c))));
  codec.addEventListener('change', () => {
    form().encoding.codec = (CODECS as readonly string[]).includes(codec.value) ? (codec.value as EncodingCodec) : '';
    changed();
  });
  state.controls.set('encoding', codec);
  const type = select('encoding-type', l10n.t('Message type'));
  type.addEventListener('change', () => {
    form().encoding.type = type.value;
    changed();
  });
  const compression = select('compression', l10n.t('Compression'));
  compression.append(...COMPRESSIONS.map((c) => el('vscode-option', { value: c }, compressionLabel(c))));
  compression.addEventListener('change', () => {
    form().encoding.compression = (COMPRESSIONS as readonly string[]).includes(compression.value) ? (compression.value as Compression) : '';
    changed();
  });
  function changed(): void {
    clearProblem('encoding');
    renderEncoding(view);
    persist();
    actions.changed();
  }

  const metric = select('sparkplug-metric', l10n.t('Metric of the last BIRTH'));
  const add = button('sparkplug-add', l10n.t('Add metric'), 'add', () => metric.value && actions.addMetric(metric.value), { secondary: true });
  const simulate = checkbox('simulate', l10n.t('Simulate edge node (this session only: lets BIRTH, DATA and DEATH be sent)'), (on) => actions.simulate(on));

  const field = (id: string, label: string, control: HTMLElement, ...rest: HTMLElement[]) =>
    el('div', { class: 'field', id: `${id}-field` }, el('vscode-label', { for: id }, label), control, ...rest);
  const root = el(
    'div',
    { class: 'encoding-section' },
    el(
      'div',
      { class: 'row encoding-row' },
      field('encoding', l10n.t('Encoding'), codec),
      field('encoding-type', l10n.t('Message type'), type),
      field('compression', l10n.t('Compression'), compression),
      el('div', { id: 'encoding-status', class: 'status grow', role: 'status', 'aria-live': 'polite' }),
    ),
    problemSlot('encoding'),
    el(
      'div',
      { id: 'sparkplug-builder', class: 'row sparkplug-builder', hidden: true },
      field('sparkplug-metric', l10n.t('Metric of the last BIRTH'), metric),
      el('div', { class: 'field end' }, add),
      el('div', { id: 'sparkplug-note', class: 'help grow' }),
    ),
    el('div', { id: 'simulate-field', class: 'field', hidden: true }, simulate),
  );
  const view: EncodingView = { root, codec, type, compression, metric, simulate };
  return view;
}

/** Puts the encoding choice, the types and the BIRTH metrics into the controls. */
export function renderEncoding(v: EncodingView): void {
  const e = state.form.encoding;
  if (v.codec.value !== e.codec) {
    v.codec.value = e.codec;
  }
  const types = e.type && !state.encodingTypes.includes(e.type) ? [e.type, ...state.encodingTypes] : [...state.encodingTypes];
  // Options are rebuilt only when the list changed: the select keeps showing the chosen one.
  const key = JSON.stringify(types);
  if (v.type.dataset.types !== key) {
    v.type.dataset.types = key;
    v.type.replaceChildren(
      el('vscode-option', { value: '' }, types.length ? l10n.t('pick a message type') : l10n.t('no message types in the workspace .proto files')),
      ...types.map((t) => el('vscode-option', { value: t }, t)),
    );
  }
  if (v.type.value !== e.type) {
    v.type.value = e.type;
  }
  byId('encoding-type-field').hidden = e.codec !== 'protobuf';
  if (v.compression.value !== e.compression) {
    v.compression.value = e.compression;
  }
  byId('compression-field').hidden = e.codec === 'sparkplug';

  const mqtt = state.kind === 'mqtt';
  const topic = state.form.mqtt.topic;
  const builder = mqtt && e.codec === 'sparkplug' && isCommandTopic(topic);
  byId('sparkplug-builder').hidden = !builder;
  const metrics = state.birthMetrics ?? [];
  const metricKey = JSON.stringify(metrics);
  if (v.metric.dataset.metrics !== metricKey) {
    v.metric.dataset.metrics = metricKey;
    v.metric.replaceChildren(...metrics.map((m) => el('vscode-option', { value: m.name }, `${m.name} (${m.datatype})`)));
    if (metrics[0]) {
      v.metric.value = metrics[0].name;
    }
  }
  byId('sparkplug-note').textContent = !builder
    ? ''
    : metrics.length
      ? l10n.t('Metrics are sent by the alias and data type the BIRTH gave them.')
      : l10n.t('No BIRTH of this edge node or device seen since the connection started: give each metric its "datatype".');
  byId('simulate-field').hidden = !(mqtt && topic.startsWith(SPARKPLUG_PREFIX));
  v.simulate.checked = state.simulate;
}

/** The host's answer to the encoding: the size sent, or what is wrong; nothing when there is no encoding. */
export function showEncoded(r: { readonly bytes?: number; readonly error?: string } | undefined): void {
  const status = byId('encoding-status');
  if (!r) {
    status.replaceChildren();
    delete status.dataset.state;
    return;
  }
  status.dataset.state = r.error !== undefined ? 'error' : 'ok';
  status.replaceChildren(...(r.error !== undefined ? [icon('error'), ` ${r.error}`] : [l10n.t('Encoded: {0}', byteCount(r.bytes ?? 0))]));
}
