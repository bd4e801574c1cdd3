// The history list under the form: one line per message sent through the chosen connection, newest
// first; a click loads it into the form, "Send again" loads and sends it.
import * as l10n from '@vscode/l10n';
import type { HistoryEntry } from '../../src/core/protocol/publish';
import { byId, el } from '../shared/dom';
import type { FormActions, FormView } from './form';
import { formFromDraft } from './model/form';
import { historyView } from './model/history';
import { renderForm, showProblems } from './render';
import { persist, state } from './state';

export function renderHistory(v: FormView, actions: Pick<FormActions, 'send'>): void {
  const list = byId('history');
  const now = Date.now();
  list.replaceChildren(
    ...state.history.map((entry, i) => {
      const h = historyView(entry, now);
      const load = el(
        'button',
        { type: 'button', class: 'history-load', 'aria-label': l10n.t('{0}. Load into the form', h.label), title: l10n.t('Load into the form') },
        el('span', { class: 'h-time' }, h.time),
        el('span', { class: 'h-dest' }, h.destination),
        el('span', { class: 'h-preview' }, h.preview),
        el('span', { class: 'h-result' }, h.result),
      );
      load.addEventListener('click', () => loadEntry(v, entry));
      const again = el('vscode-button', { class: 'history-send-again', icon: 'debug-rerun', secondary: true, 'aria-label': l10n.t('Send again: {0}', h.destination), title: l10n.t('Send again') }, l10n.t('Send again'));
      again.addEventListener('click', () => {
        loadEntry(v, entry);
        actions.send();
      });
      return el('li', { class: 'history-entry', 'data-index': i }, load, again);
    }),
  );
  const empty = byId('history-empty');
  empty.textContent = state.historyLoading ? l10n.t('Loading…') : state.history.length ? '' : l10n.t('Nothing sent through this connection yet.');
  empty.hidden = state.history.length > 0;
}

function loadEntry(v: FormView, entry: HistoryEntry): void {
  state.form = formFromDraft(entry.draft, state.form);
  showProblems([]);
  renderForm(v);
  persist();
}
