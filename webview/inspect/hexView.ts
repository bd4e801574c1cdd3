// The Hex view: a classic dump, virtualised — only the lines in view are formatted and in the DOM.
import { hexDumpLines } from '../../src/core/format';
import { el } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { visibleWindow } from './windowing';

const BYTES_PER_LINE = 16;
const LINE_HEIGHT = 18;

export function renderHex(bytes: Uint8Array, host: HTMLElement): void {
  const lines = Math.ceil(bytes.length / BYTES_PER_LINE);
  const viewport = el('div', { class: 'hex-viewport', tabindex: 0, role: 'document', 'aria-label': l10n.t('Hex dump, {0} bytes', bytes.length) });
  const spacer = el('div', { class: 'hex-spacer' });
  const pre = el('pre', { class: 'hex-lines', 'data-view': 'hex' });
  spacer.style.height = `${lines * LINE_HEIGHT}px`;
  spacer.appendChild(pre);
  viewport.appendChild(spacer);
  host.replaceChildren(viewport);
  if (lines === 0) {
    pre.textContent = l10n.t('(empty payload)');
    spacer.style.height = 'auto';
    return;
  }
  let frame = 0;
  let shown = '';
  const draw = (): void => {
    frame = 0;
    const w = visibleWindow(viewport.scrollTop, viewport.clientHeight || 400, LINE_HEIGHT, lines, 8);
    const key = `${w.start}:${w.end}`;
    if (key === shown) {
      return;
    }
    shown = key;
    pre.style.transform = `translateY(${w.offset}px)`;
    pre.textContent = hexDumpLines(bytes, w.start, w.end - w.start).join('\n');
  };
  viewport.addEventListener('scroll', () => {
    if (!frame) {
      frame = requestAnimationFrame(draw);
    }
  });
  new ResizeObserver(() => {
    shown = '';
    draw();
  }).observe(viewport);
  draw();
}
