// A collapsible JSON tree built lazily: a node's children exist in the DOM only once it is
// expanded, and each level shows at most PAGE children with "Show more". A 1 MB document
// opens at once because only the first level is built.
import { el, icon } from '../shared/dom';
import * as l10n from '@vscode/l10n';

const PAGE = 1000;
const AUTO_EXPAND_LEVELS = 1;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function renderJsonTree(value: unknown, host: HTMLElement): void {
  const tree = el('div', { class: 'json-tree', role: 'tree', 'aria-label': l10n.t('JSON tree') });
  tree.appendChild(node(undefined, value as Json, 0, tree));
  host.replaceChildren(tree);
  tree.addEventListener('keydown', (e) => onKey(e, tree));
  const first = tree.querySelector<HTMLElement>('[role="treeitem"]');
  if (first) {
    first.tabIndex = 0;
  }
}

function isContainer(v: Json): v is Json[] | { [key: string]: Json } {
  return v !== null && typeof v === 'object';
}

function summary(v: Json[] | { [key: string]: Json }): string {
  return Array.isArray(v) ? `[${v.length}]` : `{${Object.keys(v).length}}`;
}

function scalar(v: Exclude<Json, object> | null): HTMLElement {
  if (typeof v === 'string') {
    return el('span', { class: 'json-string' }, JSON.stringify(v));
  }
  if (typeof v === 'number') {
    return el('span', { class: 'json-number' }, String(v));
  }
  if (typeof v === 'boolean') {
    return el('span', { class: 'json-boolean' }, String(v));
  }
  return el('span', { class: 'json-null' }, 'null');
}

function node(key: string | undefined, value: Json, depth: number, tree: HTMLElement): HTMLElement {
  const item = el('div', { role: 'treeitem', class: 'json-node', tabindex: -1, 'aria-level': depth + 1 });
  const line = el('div', { class: 'json-line' });
  item.appendChild(line);
  line.style.paddingLeft = `${depth * 14}px`;
  const keyEl = key === undefined ? null : el('span', { class: 'json-key' }, `${key}: `);
  if (!isContainer(value)) {
    line.append(el('span', { class: 'json-twisty' }), ...(keyEl ? [keyEl] : []), scalar(value));
    return item;
  }
  const twisty = el('span', { class: 'json-twisty' }, icon('chevron-right'));
  line.append(twisty, ...(keyEl ? [keyEl] : []), el('span', { class: 'json-summary' }, summary(value)));
  item.setAttribute('aria-expanded', 'false');
  let children: HTMLElement | null = null;
  const toggle = (expand: boolean): void => {
    item.setAttribute('aria-expanded', String(expand));
    twisty.replaceChildren(icon(expand ? 'chevron-down' : 'chevron-right'));
    if (expand && !children) {
      children = el('div', { role: 'group' });
      fill(children, value, depth + 1, 0, tree);
      item.appendChild(children);
    }
    if (children) {
      children.hidden = !expand;
    }
  };
  (item as NodeEl).__toggle = toggle;
  line.addEventListener('click', (e) => {
    e.stopPropagation();
    focusItem(tree, item);
    toggle(item.getAttribute('aria-expanded') !== 'true');
  });
  if (depth < AUTO_EXPAND_LEVELS) {
    toggle(true);
  }
  return item;
}

function fill(group: HTMLElement, value: Json[] | { [key: string]: Json }, depth: number, from: number, tree: HTMLElement): void {
  const keys = Array.isArray(value) ? null : Object.keys(value);
  const total = keys ? keys.length : (value as Json[]).length;
  const to = Math.min(total, from + PAGE);
  const frag = document.createDocumentFragment();
  for (let i = from; i < to; i++) {
    const k = keys ? (keys[i] as string) : String(i);
    const v = keys ? (value as { [key: string]: Json })[k] : (value as Json[])[i];
    frag.appendChild(node(k, v as Json, depth, tree));
  }
  if (to < total) {
    const more = el(
      'button',
      { type: 'button', class: 'json-more link-button', 'aria-label': l10n.t('Show {0} more of {1} remaining', Math.min(PAGE, total - to), total - to) },
      l10n.t('Show more ({0} remaining)', total - to),
    );
    more.style.marginLeft = `${depth * 14 + 18}px`;
    more.addEventListener('click', () => {
      more.remove();
      fill(group, value, depth, to, tree);
    });
    frag.appendChild(more);
  }
  group.appendChild(frag);
}

interface NodeEl extends HTMLElement {
  __toggle?: (expand: boolean) => void;
}

function focusItem(tree: HTMLElement, item: HTMLElement): void {
  for (const other of tree.querySelectorAll<HTMLElement>('[role="treeitem"][tabindex="0"]')) {
    other.tabIndex = -1;
  }
  item.tabIndex = 0;
  item.focus();
}

function visibleItems(tree: HTMLElement): HTMLElement[] {
  return [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')].filter((i) => i.offsetParent !== null);
}

function onKey(e: KeyboardEvent, tree: HTMLElement): void {
  const item = (e.target as HTMLElement).closest<NodeEl>('[role="treeitem"]');
  if (!item) {
    return;
  }
  const expanded = item.getAttribute('aria-expanded');
  const move = (delta: number): void => {
    const items = visibleItems(tree);
    const next = items[items.indexOf(item) + delta];
    if (next) {
      focusItem(tree, next);
    }
  };
  switch (e.key) {
    case 'ArrowDown':
      move(1);
      break;
    case 'ArrowUp':
      move(-1);
      break;
    case 'ArrowRight':
      if (expanded === 'false') {
        item.__toggle?.(true);
      } else {
        move(1);
      }
      break;
    case 'ArrowLeft':
      if (expanded === 'true') {
        item.__toggle?.(false);
      } else {
        const parent = item.parentElement?.closest<HTMLElement>('[role="treeitem"]');
        if (parent) {
          focusItem(tree, parent);
        }
      }
      break;
    case 'Enter':
    case ' ':
      if (expanded !== null) {
        item.__toggle?.(expanded !== 'true');
      }
      break;
    default:
      return;
  }
  e.preventDefault();
  e.stopPropagation();
}
