// The publish form's building blocks: a text field with its label and problem slot, a checkbox,
// a button, radio groups, collapsible sections and the name/value table. Built with DOM APIs only
// (strict CSP). Editing one clears its field's problem and persists the form.
import * as l10n from '@vscode/l10n';
import { el, icon } from '../shared/dom';
import type { FieldId } from './model/fields';
import type { KeyValueRow } from './model/form';
import { clearProblem } from './render';
import { persist, state } from './state';

export type TextField = HTMLElementTagNameMap['vscode-textfield'];
export type Checkbox = HTMLElementTagNameMap['vscode-checkbox'];
export type Button = HTMLElementTagNameMap['vscode-button'];

/** Where problems with a field are shown (hidden while there are none). */
export function problemSlot(field: FieldId): HTMLElement {
  return el('div', { class: 'problem', 'data-problem-for': field, hidden: true });
}

export interface FieldOptions {
  placeholder?: string;
  help?: string;
  /** Narrow input (numbers). */
  short?: boolean;
  type?: 'text' | 'number';
}

export function textField(id: string, label: string, field: FieldId, onInput: (value: string) => void, o: FieldOptions = {}): { root: HTMLElement; input: TextField } {
  const input = el('vscode-textfield', { id, class: o.short ? 'short' : undefined, placeholder: o.placeholder, 'data-field': field });
  input.label = label; // aria-label of the inner <input>
  input.addEventListener('input', () => {
    onInput(input.value);
    clearProblem(field);
    persist();
  });
  state.controls.set(field, input);
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

export function checkbox(id: string, label: string, onChange: (checked: boolean) => void): Checkbox {
  const box = el('vscode-checkbox', { id, label });
  box.addEventListener('change', () => {
    onChange(box.checked);
    persist();
  });
  return box;
}

export function button(id: string, text: string, iconName: string, onClick: () => void, o: { secondary?: boolean; title?: string } = {}): Button {
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
export function onRadioChange(group: HTMLElementTagNameMap['vscode-radio-group'], onChange: (value: string) => void): void {
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
export function section(id: string, title: string, open: boolean, ...body: (Node | null)[]): HTMLDetailsElement {
  const d = el('details', { id, class: 'section', open }, el('summary', {}, icon('chevron-right', 'twisty'), el('span', {}, title)), el('div', { class: 'section-body' }, ...body));
  return d;
}

/** An editable name/value table (MQTT user properties, AMQP headers). */
export interface KvTable {
  root: HTMLElement;
  render(): void;
  setDisabled(disabled: boolean): void;
}

/** The words of a name/value table, translated as whole phrases (row numbers as `{0}`). */
export interface KvWords {
  table: string;
  empty: string;
  add: string;
  name: (n: number) => string;
  value: (n: number) => string;
  remove: (n: number) => string;
}

export function kvTable(id: string, words: KvWords, field: FieldId, rows: () => KeyValueRow[]): KvTable {
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
