// The publish state into the DOM: the connection picker and its note, the side of the form shown
// (MQTT or AMQP), the form's values, each field's problems, the result line and the Send button.
import * as l10n from '@vscode/l10n';
import { byId, el, icon } from '../shared/dom';
import { FORM_FIELDS, TEXT_FIELDS, textValue, type FieldId } from './model/fields';
import type { Problem } from './model/problems';
import { targetLabel } from './model/targets';
import type { FormView } from './form';
import { renderPayload } from './payload';
import { renderEncoding } from './encoding';
import { currentTarget, state } from './state';

export function renderTargets(v: FormView): void {
  const { targets, brokerId } = state;
  const options = targets.map((t) => el('vscode-option', { value: t.brokerId }, targetLabel(t)));
  if (brokerId !== undefined && !currentTarget()) {
    options.push(el('vscode-option', { value: brokerId }, l10n.t('Removed connection')));
  }
  if (options.length === 0) {
    options.push(el('vscode-option', { value: '' }, l10n.t('No connections')));
  }
  v.targetSelect.replaceChildren(...options);
  v.targetSelect.value = brokerId ?? '';
  renderTargetNote(v);
}

export function renderTargetNote(v: FormView): void {
  const note = byId('target-note');
  const target = currentTarget();
  let text: string | undefined;
  if (state.targets.length === 0) {
    text = l10n.t('No connections: add a broker in the Brokers view.');
  } else if (!target) {
    text = state.brokerId ? l10n.t('This connection was removed: pick another.') : l10n.t('Pick a connection.');
  } else if (!target.connected && target.reconnecting) {
    text = l10n.t('Reconnecting: QoS 1 and 2 messages wait in an outbox (up to 1,000) and are sent when the connection is back; QoS 0 is refused.');
  } else if (!target.connected) {
    text = l10n.t('Disconnected: connect it in the Brokers view to send.');
  }
  note.replaceChildren(...(text ? [icon('warning'), ` ${text}`] : []));
  note.hidden = text === undefined;
  const t4 = target?.kind === 'mqtt' && target.mqttVersion === 4;
  byId('mqtt5-note').hidden = !t4;
  for (const c of v.mqtt5Controls) {
    c.disabled = t4;
  }
  v.userProps.setDisabled(t4);
  v.mqtt5.classList.toggle('disabled', t4);
  // The broker's CONNACK limits: a QoS above its maximum and Retain when it keeps none.
  const maxQos = target?.kind === 'mqtt' ? (target.maximumQoS ?? 2) : 2;
  for (const r of v.qosRadios) {
    r.disabled = Number(r.value) > maxQos;
  }
  v.retain.disabled = target?.kind === 'mqtt' && target.retainAvailable === false;
  const limits = [
    ...(maxQos < 2 ? [l10n.t('this broker accepts QoS {0} at most', maxQos)] : []),
    ...(v.retain.disabled ? [l10n.t('it keeps no retained messages')] : []),
  ];
  const limitNote = byId('broker-limits');
  limitNote.textContent = limits.length ? l10n.t('Broker limits (CONNACK): {0}.', limits.join('; ')) : '';
  limitNote.hidden = !limits.length;
}

export function renderKind(): void {
  const t = currentTarget();
  state.kind = t ? t.kind : state.kind;
  const mqtt = state.kind === 'mqtt';
  byId('mqtt-destination').hidden = !mqtt;
  byId('mqtt-options').hidden = !mqtt;
  byId('amqp-destination').hidden = mqtt;
  byId('amqp-options').hidden = mqtt;
}

/** Puts the form state into the controls. */
export function renderForm(v: FormView): void {
  const form = state.form;
  for (const f of TEXT_FIELDS) {
    v.text[f.field].value = textValue(form, f);
  }
  const m = form.mqtt;
  for (const r of v.qosRadios) {
    r.checked = Number(r.value) === m.qos;
  }
  v.retain.checked = m.retain;
  v.pfi.checked = m.payloadFormatIndicator;
  v.userProps.render();
  if (m.contentType || m.responseTopic || m.correlationData || m.messageExpiryInterval || m.topicAlias || m.payloadFormatIndicator || m.userProperties.length) {
    v.mqtt5.open = true;
  }
  const a = form.amqp;
  v.mandatory.checked = a.mandatory;
  v.headers.render();
  if (a.headers.length) {
    byId<HTMLDetailsElement>('amqp-headers').open = true;
  }
  v.deliveryMode.value = a.deliveryMode;
  if (a.contentType || a.deliveryMode || a.correlationId || a.replyTo || a.expiration || a.messageId || a.type || a.priority) {
    byId<HTMLDetailsElement>('amqp-properties').open = true;
  }
  renderPayload(v);
  renderEncoding(v.encoding);
}

// ---------------------------------------------------------------------------------------------
// Problems and results

export function clearProblem(field: FieldId): void {
  for (const slot of document.querySelectorAll<HTMLElement>(`[data-problem-for="${field}"]`)) {
    slot.hidden = true;
    slot.replaceChildren();
  }
  const c = state.controls.get(field);
  if (c) {
    if ('invalid' in c) {
      c.invalid = false;
    }
    c.removeAttribute('aria-invalid');
  }
}

export function showProblems(all: readonly Problem[]): void {
  // The payload's own format errors are already shown live under it.
  const payloadShown = byId('payload-status').dataset.state === 'error';
  const problems = all.filter((p) => !(p.field === 'payload' && payloadShown));
  for (const slot of document.querySelectorAll<HTMLElement>('[data-problem-for]')) {
    const field = slot.dataset.problemFor as FieldId;
    const mine = problems.filter((p) => p.field === field);
    slot.hidden = mine.length === 0;
    slot.replaceChildren(...mine.map((p) => el('div', {}, icon('error'), ` ${p.text}`)));
    const c = state.controls.get(field);
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

/** Opens the section a field is in and focuses it (a table's Add button when it has no control). */
export function focusField(field: FieldId): void {
  const table = FORM_FIELDS.find((f) => f.field === field && f.control === 'table');
  const c = state.controls.get(field) ?? (table ? byId(`${table.id}-add`) : undefined);
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
export function showResult(result: ResultState, text: string): void {
  const r = byId('result');
  r.dataset.state = result;
  const mark = /^[✔✖] /.exec(text);
  r.replaceChildren(
    ...(result === 'pending' ? [icon('loading', 'codicon-modifier-spin'), ` ${text}`] : mark ? [el('span', { class: 'mark' }, mark[0].trim()), ` ${text.slice(2)}`] : [text]),
  );
}

export function setSending(v: FormView, busy: boolean): void {
  state.sending = busy;
  v.sendButton.disabled = busy;
  v.sendButton.icon = busy ? 'loading' : 'send';
  v.sendButton.iconSpin = busy;
  v.sendButton.setAttribute('aria-busy', String(busy));
  v.sendButton.lastChild!.textContent = busy ? l10n.t('Sending…') : l10n.t('Send');
}
