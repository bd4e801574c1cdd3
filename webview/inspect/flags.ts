// The Flags column of the inspector's list and the flags in the detail pane's head: one table, so
// a row, its accessible label, its tooltips and the detail say the same thing. DOM-free.
import * as l10n from '@vscode/l10n';
import type { InspectedMessage } from '../../src/core/protocol/inspect';

export interface Flag {
  /** A codicon name, or undefined for the QoS badge (text). */
  readonly icon?: string;
  /** What the badge shows when there is no icon. */
  readonly badge?: string;
  /** The tooltip and the words in the row's accessible label. */
  readonly title: string;
  /** The short word in the detail pane's head. */
  readonly word: string;
}

/** The flags of a message, in column order. */
export function messageFlags(m: Pick<InspectedMessage, 'qos' | 'retain' | 'redelivered' | 'returned' | 'truncated'>): Flag[] {
  const flags: Flag[] = [];
  if (m.qos !== undefined) {
    flags.push({ badge: `Q${m.qos}`, title: l10n.t('QoS {0}', m.qos), word: l10n.t('QoS {0}', m.qos) });
  }
  if (m.retain) {
    flags.push({ icon: 'pinned', title: l10n.t('Retained'), word: l10n.t('retained') });
  }
  if (m.returned) {
    // A peek puts every message back: the broker reports it redelivered from now on, whatever it said this time.
    flags.push({ icon: 'history', title: l10n.t('Returned to the queue (now redelivered)'), word: l10n.t('returned to the queue (now redelivered)') });
  } else if (m.redelivered) {
    flags.push({ icon: 'history', title: l10n.t('Redelivered (delivered before and put back)'), word: l10n.t('redelivered') });
  }
  if (m.truncated) {
    flags.push({ icon: 'ellipsis', title: l10n.t('Truncated (the list holds the first bytes: Open in Editor shows all the host kept)'), word: l10n.t('truncated') });
  }
  return flags;
}

/** The mark on the first message after a gap: how many arrived before it and were never listed. */
export function gapFlag(count: number, rate: string): Flag {
  const n = count.toLocaleString();
  return {
    icon: 'warning',
    title: l10n.t('{0} messages before this one not shown ({1}: they arrived faster than the list keeps them; counted in received)', n, rate),
    word: l10n.t('{0} not shown ({1})', n, rate),
  };
}

/** The Flags column header's tooltip: what each mark means. */
export function flagsLegend(): string {
  return [
    l10n.t('Flags:'),
    l10n.t('Q0, Q1, Q2 — the MQTT QoS it was delivered with'),
    l10n.t('pin — retained (MQTT: the broker keeps it for new subscribers)'),
    l10n.t('clock — AMQP: redelivered; a peek returns every message to the queue, so peeked messages are marked "returned to the queue (now redelivered)": the broker reports them redelivered from now on'),
    l10n.t('… — truncated: the list has the first bytes'),
    l10n.t('warning — messages just before this one were not shown: they arrived faster than the list keeps them (counted in received)'),
  ].join('\n');
}
