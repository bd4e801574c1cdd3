// The payload editor: the format radios and the text as typed, its live check (byte count, or what
// is wrong, JSON with line:column), switching formats (the same bytes), pretty-printing JSON, and
// the short notes under it.
import * as l10n from '@vscode/l10n';
import type { PayloadFormat } from '../../src/core/protocol/publish';
import { byId, icon } from '../shared/dom';
import { byteCount, checkPayload, convertPayload, offsetOf, prettyJson } from './model/payload';
import type { FormView } from './form';
import { clearProblem } from './render';
import { persist, state } from './state';
import type { Button } from './widgets';

export function renderPayload(v: FormView): void {
  const form = state.form;
  for (const r of v.formatRadios) {
    r.checked = r.value === form.format;
  }
  if (v.payload.value !== form.payload) {
    v.payload.value = form.payload;
  }
  v.payload.classList.toggle('json', form.format === 'json');
  byId<Button>('pretty-json').disabled = form.format !== 'json';
  checkPayloadNow(v.payload);
}

export function schedulePayloadCheck(payload: HTMLTextAreaElement): void {
  clearTimeout(state.timers.payloadCheck);
  state.timers.payloadCheck = setTimeout(() => checkPayloadNow(payload), 150);
}

/** The byte count, or what is wrong with the payload in its format (JSON with line:column). */
function checkPayloadNow(payload: HTMLTextAreaElement): void {
  clearTimeout(state.timers.payloadCheck);
  const form = state.form;
  const status = byId('payload-status');
  const r = checkPayload(form.payload, form.format);
  status.dataset.state = r.ok ? 'ok' : 'error';
  payload.setAttribute('aria-invalid', String(!r.ok));
  if (r.ok) {
    status.replaceChildren(form.format === 'json' ? l10n.t('Valid JSON · {0}', byteCount(r.bytes)) : byteCount(r.bytes));
  } else {
    status.replaceChildren(icon('error'), ` ${r.error}`);
  }
}

/** A note that clears itself after `ms` (unless another took its place). */
export function setNote(id: string, text: string, ms = 6000): void {
  const note = byId(id);
  note.textContent = text;
  const mine = text;
  setTimeout(() => {
    if (note.textContent === mine) {
      note.textContent = '';
    }
  }, ms);
}

export function switchFormat(v: FormView, to: PayloadFormat): void {
  const form = state.form;
  const from = form.format;
  if (from === to) {
    return;
  }
  const c = convertPayload(form.payload, from, to);
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
  renderPayload(v);
  persist();
}

export function formatJsonPayload(v: FormView): void {
  const form = state.form;
  const pretty = prettyJson(form.payload);
  if (pretty === undefined) {
    const r = checkPayload(form.payload, 'json');
    v.payload.focus();
    if (!r.ok && r.line !== undefined && r.column !== undefined) {
      const at = offsetOf(form.payload, r.line, r.column);
      v.payload.setSelectionRange(at, at);
    }
    return;
  }
  if (pretty.asSent) {
    setNote('payload-note', l10n.t('Nested too deeply to indent: the JSON is left as it is.'));
    return;
  }
  form.payload = pretty.text;
  v.payload.value = pretty.text;
  checkPayloadNow(v.payload);
  persist();
}
