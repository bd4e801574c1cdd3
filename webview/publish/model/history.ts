/**
 * Outcomes and the history without a DOM: the result line after a send, one line per sent message
 * (with a sentence for screen readers), newest first and capped.
 */
import * as l10n from '@vscode/l10n';
import type { HistoryEntry, PublishDraft, PublishOutcome } from '../../../src/core/protocol/publish';
import { defaultExchangeLabel } from './form';

export interface OutcomeView {
  readonly ok: boolean;
  /** "✔ puback · 14:03:07" */
  readonly text: string;
}

export function outcomeView(outcome: PublishOutcome, time: number, now: number = time): OutcomeView {
  const detail = outcome.ok && outcome.detail ? ` (${outcome.detail})` : '';
  const mark = !outcome.ok ? '✖' : outcome.queued ? '⏳' : '✔';
  return { ok: outcome.ok, text: `${mark} ${outcome.text}${detail} · ${formatTime(time, now)}` };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "14:03:07" today, "2024-05-01 14:03" on another day (local time). */
export function formatTime(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  const n = new Date(now);
  const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate()) {
    return hms;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hms.slice(0, 5)}`;
}

/** "(default)" for the default exchange. */
export function exchangeLabel(exchange: string): string {
  return exchange === '' ? defaultExchangeLabel() : exchange;
}

/** Where a draft goes, in one line: the topic, or "exchange → routing key". */
export function destinationLabel(draft: PublishDraft): string {
  if (draft.mqtt) {
    return draft.mqtt.topic;
  }
  if (draft.amqp) {
    return `${exchangeLabel(draft.amqp.exchange)} → ${draft.amqp.routingKey || l10n.t('(no routing key)')}`;
  }
  return '';
}

/** The payload on one line, at most `max` characters. */
export function payloadPreview(draft: PublishDraft, max = 60): string {
  const one = draft.payload.replace(/\s+/g, ' ').trim();
  if (one === '') {
    return l10n.t('(empty)');
  }
  const prefix = draft.format === 'base64' || draft.format === 'hex' ? `${draft.format}: ` : '';
  const text = prefix + one;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface HistoryView {
  readonly time: string;
  readonly destination: string;
  readonly preview: string;
  readonly result: string;
  /** For screen readers: everything in one sentence. */
  readonly label: string;
}

export function historyView(entry: HistoryEntry, now: number = Date.now()): HistoryView {
  const time = formatTime(entry.time, now);
  const destination = destinationLabel(entry.draft);
  const preview = payloadPreview(entry.draft);
  const m = entry.draft.mqtt;
  const qos = m ? `, ${m.retain ? l10n.t('QoS {0}, retained', m.qos) : l10n.t('QoS {0}', m.qos)}` : '';
  return { time, destination, preview, result: entry.result, label: `${time}: ${destination}${qos}, ${preview}, ${entry.result}` };
}

export const HISTORY_MAX = 50;

/** The list with `entry` first (newest first), at most `max` entries. */
export function addToHistory(list: readonly HistoryEntry[], entry: HistoryEntry, max = HISTORY_MAX): HistoryEntry[] {
  return [entry, ...list].slice(0, max);
}

/** The history sorted newest first (the host should send it so; this makes sure). */
export function newestFirst(list: readonly HistoryEntry[]): HistoryEntry[] {
  return [...list].sort((a, b) => b.time - a.time);
}
