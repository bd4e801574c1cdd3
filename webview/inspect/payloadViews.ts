// The payload views of the detail pane — Text | JSON | Hex | Base64 | Diff — and the decoded forms
// of a message they share. A view is rendered into the pane's body only when shown; every piece
// of message data goes in through textContent.
import type { DecodedPayload, InspectedMessage } from '../../src/core/protocol/inspect';
import { decodeText, DIFF_LIMIT_BYTES, formatJsonHead, isDiffTooLarge, lineDiff, toBase64 } from '../../src/core/format';
import { el, icon } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { formatSize, formatTime } from './display';
import { renderHex } from './hexView';
import { renderJsonTree } from './jsonTree';
import type { MessageStore } from './store';

export const VIEWS = ['text', 'json', 'decoded', 'hex', 'base64', 'diff'] as const;
export type DetailView = (typeof VIEWS)[number];
export const isDetailView = (v: unknown): v is DetailView => typeof v === 'string' && (VIEWS as readonly string[]).includes(v);
/** A view's tab label (JSON, Hex and Base64 are names: Text and Diff are translated). */
export function viewLabel(view: DetailView): string {
  switch (view) {
    case 'text':
      return l10n.t('Text');
    case 'json':
      return 'JSON';
    case 'decoded':
      return l10n.t('Decoded');
    case 'hex':
      return 'Hex';
    case 'base64':
      return 'Base64';
    case 'diff':
      return l10n.t('Diff');
  }
}

/** Characters a Text/Base64 view shows before a "Show all" button (layout of huge <pre>s is slow). */
const TEXT_CAP = 200_000;
/** Bytes the Base64 view encodes before "Show all" (divisible by 3). */
const B64_BYTES = 150_000;

/** Decoded forms of one message, computed on first use. */
export class Decoded {
  private textValue: string | undefined | null = null;
  private jsonValue: ReturnType<typeof formatJsonHead> | null = null;
  /** The host's decode (the Decoded tab), once asked for; `codec` when chosen in Decode as…. */
  decoded: Promise<DecodedPayload | undefined> | undefined;
  constructor(readonly message: InspectedMessage) {}
  get text(): string | undefined {
    if (this.textValue === null) {
      const text = decodeText(this.message.payload, this.message.truncated);
      this.textValue = text;
      return text;
    }
    return this.textValue;
  }
  /** Parsed for the tree and the chart; the indented text only when the Diff needs it (formatJsonHead). */
  get json(): ReturnType<typeof formatJsonHead> | undefined {
    const t = this.text;
    if (t === undefined || t.trim() === '') {
      return undefined;
    }
    if (this.jsonValue === null) {
      this.jsonValue = formatJsonHead(t);
    }
    return this.jsonValue;
  }
}

/** The decoded text when a codec decoded the payload (not plain JSON, text or bytes, and no error). */
export function codecText(d: DecodedPayload | undefined): string | undefined {
  return d && d.codecs.length > 0 && !d.error ? d.text : undefined;
}

/** Renders the view of the message into the pane's body (Diff compares with the previous message on its topic in `store`). */
export function renderPayloadView(view: DetailView, d: Decoded, body: HTMLElement, store: MessageStore<InspectedMessage>): void {
  switch (view) {
    case 'text':
      if (d.text === undefined) {
        body.replaceChildren(note('info', l10n.t('Binary payload (not UTF-8 text): see Hex or Base64.')));
      } else {
        body.replaceChildren(bigPre(d.text === '' ? l10n.t('(empty payload)') : d.text, 'detail-text', 'text'));
      }
      break;
    case 'json':
      renderJson(d, body);
      break;
    case 'hex':
      renderHex(d.message.payload, body);
      break;
    case 'base64':
      renderBase64(d.message.payload, body);
      break;
    case 'diff':
      renderDiff(d, body, store);
      break;
    case 'decoded':
      break; // the detail pane asks the host (renderDecoded)
  }
}

export interface DecodedActions {
  readonly copy: () => void;
  readonly open: () => void;
  readonly decodeAs: () => void;
}

/** The Decoded tab: codec and schema named, the warnings and the error in words, the decoded text (as text, never HTML). */
export function renderDecoded(d: DecodedPayload | undefined, body: HTMLElement, actions: DecodedActions): void {
  if (!d) {
    body.replaceChildren(note('info', l10n.t('Decoding…')));
    return;
  }
  const button = (id: string, iconName: string, label: string, run: () => void): HTMLElement => {
    const b = el('button', { type: 'button', class: 'link-button', id }, icon(iconName), ` ${label}`);
    b.addEventListener('click', run);
    return b;
  };
  const by: Record<DecodedPayload['by'], string> = {
    chosen: l10n.t('chosen'),
    mapping: l10n.t('mapped'),
    hints: l10n.t('from content-type / topic'),
    detected: l10n.t('detected by magic bytes'),
    none: l10n.t('no codec claims it'),
  };
  const parts = [el('span', { class: 'decoded-codec', id: 'decoded-codec' }, l10n.t('Codec: {0}', d.codec))];
  if (d.schema) {
    parts.push(el('span', { class: 'decoded-schema', id: 'decoded-schema' }, l10n.t('Schema: {0}', d.schema)));
  }
  parts.push(el('span', { class: 'muted', id: 'decoded-by' }, d.mapping ? `${by[d.by]} · ${d.mapping}` : by[d.by]));
  const head = el(
    'div',
    { class: 'decoded-head' },
    ...parts,
    el('span', { class: 'spacer' }),
    button('btn-decode-as', 'symbol-class', l10n.t('Decode as…'), actions.decodeAs),
    button('btn-copy-decoded', 'copy', l10n.t('Copy'), actions.copy),
    button('btn-open-decoded', 'go-to-file', l10n.t('Open in Editor'), actions.open),
  );
  const notes: HTMLElement[] = [];
  if (d.error) {
    notes.push(note('error', d.error));
  }
  if (d.truncated) {
    notes.push(el('div', { class: 'note note-info truncated-marker', id: 'decoded-truncated', role: 'note' }, icon('warning'), ` ${l10n.t('Cut at the payload limit of {0}: a decompression bomb or a cut payload stops there.', formatSize(d.limit))}`));
  }
  for (const w of d.warnings) {
    notes.push(note('info', w));
  }
  body.replaceChildren(head, ...notes, bigPre(d.text, 'detail-decoded', 'decoded'));
}

function renderJson(d: Decoded, body: HTMLElement): void {
  const j = d.json;
  if (!j) {
    body.replaceChildren(note('info', d.text === undefined ? l10n.t('Binary payload: not JSON.') : l10n.t('Empty payload: not JSON.')));
    return;
  }
  if (!j.ok) {
    const text = d.message.truncated
      ? l10n.t('Not valid JSON: {0} at line {1}, column {2} (the payload is truncated: open it in the editor to see all of it).', j.error, j.line, j.column)
      : l10n.t('Not valid JSON: {0} at line {1}, column {2}.', j.error, j.line, j.column);
    body.replaceChildren(note('error', text));
    return;
  }
  const host = el('div', { class: 'json-host', id: 'detail-json', 'data-view': 'json' });
  body.replaceChildren(host);
  renderJsonTree(j.value, host);
}

function renderDiff(d: Decoded, body: HTMLElement, store: MessageStore<InspectedMessage>): void {
  const m = d.message;
  const prev = store.previousOnTopic(m.topic, m.seq);
  if (!prev) {
    body.replaceChildren(note('info', l10n.t('No earlier message on this topic in the list to compare with.')));
    return;
  }
  if (m.payload.length > DIFF_LIMIT_BYTES || prev.payload.length > DIFF_LIMIT_BYTES) {
    body.replaceChildren(note('info', l10n.t('Too large to diff (over {0}).', formatSize(DIFF_LIMIT_BYTES))));
    return;
  }
  const p = new Decoded(prev);
  const asText = (x: Decoded): string | undefined => (x.json?.ok ? x.json.full().pretty : x.text);
  const before = asText(p);
  const after = asText(d);
  if (before === undefined || after === undefined) {
    body.replaceChildren(note('info', l10n.t('Binary payloads: no line diff. Compare them in Hex.')));
    return;
  }
  renderLineDiff(before, after, prev, body);
}

/** The Diff of two payloads a codec decoded (the host's decode of each): their decoded texts, line by line. */
export function renderDecodedDiff(before: DecodedPayload, after: DecodedPayload, prev: InspectedMessage, body: HTMLElement): void {
  renderLineDiff(before.text, after.text, prev, body, l10n.t('Decoded ({0})', after.codec));
}

function renderLineDiff(before: string, after: string, prev: InspectedMessage, body: HTMLElement, decodedAs?: string): void {
  if (isDiffTooLarge(before, after)) {
    body.replaceChildren(note('info', l10n.t('Too large to diff (over {0} or too many lines).', formatSize(DIFF_LIMIT_BYTES))));
    return;
  }
  const lines = lineDiff(before, after);
  const pre = el('pre', { class: 'diff', id: 'detail-diff', 'data-view': 'diff', ...(decodedAs ? { 'data-decoded': 'true' } : {}) });
  const frag = document.createDocumentFragment();
  let changes = 0;
  for (const l of lines) {
    const sign = l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' ';
    if (l.kind !== 'same') {
      changes++;
    }
    frag.appendChild(el('div', { class: `diff-line diff-${l.kind}` }, el('span', { class: 'diff-sign', 'aria-hidden': 'true' }, sign), l.text === '' ? ' ' : l.text));
  }
  pre.appendChild(frag);
  const compared =
    changes === 0
      ? l10n.t('Same as #{0} ({1})', prev.seq, formatTime(prev.time))
      : changes === 1
        ? l10n.t('Compared with #{0} ({1}): {2} changed line', prev.seq, formatTime(prev.time), changes)
        : l10n.t('Compared with #{0} ({1}): {2} changed lines', prev.seq, formatTime(prev.time), changes);
  const summary = el('div', { class: 'muted diff-summary', id: 'diff-summary' }, decodedAs ? `${decodedAs} · ${compared}` : compared);
  body.replaceChildren(summary, pre);
}

/** Base64 of the first B64_BYTES bytes at once (a multiple of 3: the text continues seamlessly), the rest on demand. */
function renderBase64(bytes: Uint8Array, body: HTMLElement): void {
  const pre = el('pre', { class: 'payload wrap', id: 'detail-base64', 'data-view': 'base64', tabindex: 0, 'aria-label': l10n.t('Base64 of the payload') });
  if (bytes.length <= B64_BYTES) {
    pre.textContent = toBase64(bytes);
    body.replaceChildren(pre);
    return;
  }
  pre.textContent = toBase64(bytes.subarray(0, B64_BYTES));
  const more = el('button', { type: 'button', class: 'link-button' }, l10n.t('Show all ({0})', formatSize(bytes.length)));
  more.addEventListener('click', () => {
    pre.textContent = toBase64(bytes);
    more.remove();
  });
  body.replaceChildren(el('div', {}, pre, more));
}

function bigPre(text: string, id: string, view: DetailView, extra = ''): HTMLElement {
  const pre = el('pre', { class: `payload ${extra}`, id, 'data-view': view, tabindex: 0, 'aria-label': l10n.t('{0} of the payload', viewLabel(view)) });
  if (text.length <= TEXT_CAP) {
    pre.textContent = text;
    return pre;
  }
  pre.textContent = text.slice(0, TEXT_CAP);
  const more = el('button', { type: 'button', class: 'link-button' }, l10n.t('Show all {0} characters', text.length.toLocaleString()));
  more.addEventListener('click', () => {
    pre.textContent = text;
    more.remove();
  });
  return el('div', {}, pre, more);
}

function note(kind: 'info' | 'error', text: string): HTMLElement {
  return el('div', { class: `note note-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, icon(kind === 'error' ? 'error' : 'info'), ` ${text}`);
}
