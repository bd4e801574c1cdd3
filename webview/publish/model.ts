/**
 * The publish panel's logic without a DOM: the form's state, drafts built from it, problems
 * mapped to fields, payload conversions between formats, history and outcome labels.
 * Runs in plain Node too (test/unit/publishModel.test.ts). Every text shown goes through l10n `l10n.t()`.
 */
import type {
  BrokerKind,
  HistoryEntry,
  PayloadFormat,
  PublishDraft,
  PublishOutcome,
  PublishTarget,
  UserProperty,
} from '../../src/core/protocol/publish';
import type { QoS } from '../../src/core/protocol/shared';
import * as l10n from '@vscode/l10n';
import { decodeText, encodeDraftPayload, formatJson, fromBase64, fromHex, toBase64, toHex, utf8Encode, validateDraft } from '../../src/core/format';

export interface KeyValueRow {
  key: string;
  value: string;
}

/** MQTT fields as typed (numbers stay text until sent, so a half-typed value is never lost). */
export interface MqttForm {
  topic: string;
  qos: QoS;
  retain: boolean;
  contentType: string;
  payloadFormatIndicator: boolean;
  responseTopic: string;
  correlationData: string;
  messageExpiryInterval: string;
  topicAlias: string;
  userProperties: KeyValueRow[];
}

export interface AmqpForm {
  exchange: string;
  routingKey: string;
  mandatory: boolean;
  headers: KeyValueRow[];
  contentType: string;
  deliveryMode: '' | '1' | '2';
  correlationId: string;
  replyTo: string;
  expiration: string;
  messageId: string;
  type: string;
  priority: string;
}

/** Everything the form holds: both sides, so switching between an MQTT and an AMQP target keeps each. */
export interface FormState {
  format: PayloadFormat;
  payload: string;
  mqtt: MqttForm;
  amqp: AmqpForm;
}

export const FORMATS: readonly PayloadFormat[] = ['text', 'json', 'base64', 'hex'];
/** A format's name as shown (JSON, Base64 and Hex are names: only "Text" is translated). */
export function formatLabel(format: PayloadFormat): string {
  switch (format) {
    case 'text':
      return l10n.t('Text');
    case 'json':
      return 'JSON';
    case 'base64':
      return 'Base64';
    case 'hex':
      return 'Hex';
  }
}

/** Shown for the default exchange (''); typing it (in English or as shown) means '' too. */
export const DEFAULT_EXCHANGE = '(default)';

/** The default exchange as shown: "(default)", translated. */
export function defaultExchangeLabel(): string {
  return l10n.t('(default)');
}

export function emptyForm(): FormState {
  return {
    format: 'text',
    payload: '',
    mqtt: {
      topic: '',
      qos: 0,
      retain: false,
      contentType: '',
      payloadFormatIndicator: false,
      responseTopic: '',
      correlationData: '',
      messageExpiryInterval: '',
      topicAlias: '',
      userProperties: [],
    },
    amqp: {
      exchange: '',
      routingKey: '',
      mandatory: true,
      headers: [],
      contentType: '',
      deliveryMode: '',
      correlationId: '',
      replyTo: '',
      expiration: '',
      messageId: '',
      type: '',
      priority: '',
    },
  };
}

const str = (v: string | undefined) => v ?? '';
const num = (v: number | undefined) => (v === undefined ? '' : String(v));
const rows = (v: readonly UserProperty[] | undefined): KeyValueRow[] => (v ?? []).map((p) => ({ key: p.key, value: p.value }));

/** The form for a draft; the side the draft lacks is kept from `base`. */
export function formFromDraft(draft: PublishDraft, base: FormState = emptyForm()): FormState {
  const form: FormState = { ...base, format: draft.format, payload: draft.payload };
  const m = draft.mqtt;
  if (m) {
    form.mqtt = {
      topic: m.topic,
      qos: m.qos,
      retain: m.retain,
      contentType: str(m.contentType),
      payloadFormatIndicator: m.payloadFormatIndicator ?? false,
      responseTopic: str(m.responseTopic),
      correlationData: str(m.correlationData),
      messageExpiryInterval: num(m.messageExpiryInterval),
      topicAlias: num(m.topicAlias),
      userProperties: rows(m.userProperties),
    };
  }
  const a = draft.amqp;
  if (a) {
    form.amqp = {
      exchange: a.exchange,
      routingKey: a.routingKey,
      mandatory: a.mandatory,
      headers: rows(a.headers),
      contentType: str(a.contentType),
      deliveryMode: a.deliveryMode === 1 ? '1' : a.deliveryMode === 2 ? '2' : '',
      correlationId: str(a.correlationId),
      replyTo: str(a.replyTo),
      expiration: str(a.expiration),
      messageId: str(a.messageId),
      type: str(a.type),
      priority: num(a.priority),
    };
  }
  return form;
}

/** Form fields a problem can be shown next to. */
export type FieldId =
  | 'target'
  | 'topic'
  | 'qos'
  | 'contentType'
  | 'payloadFormatIndicator'
  | 'responseTopic'
  | 'correlationData'
  | 'messageExpiryInterval'
  | 'topicAlias'
  | 'userProperties'
  | 'exchange'
  | 'routingKey'
  | 'headers'
  | 'amqpContentType'
  | 'deliveryMode'
  | 'correlationId'
  | 'replyTo'
  | 'expiration'
  | 'messageId'
  | 'type'
  | 'priority'
  | 'payload'
  | 'general';

/** Fields in the order the form shows them (problems are listed, and the first focused, in this order). */
export const FIELD_ORDER: readonly FieldId[] = [
  'target',
  'topic',
  'exchange',
  'routingKey',
  'qos',
  'contentType',
  'responseTopic',
  'correlationData',
  'messageExpiryInterval',
  'topicAlias',
  'payloadFormatIndicator',
  'userProperties',
  'headers',
  'amqpContentType',
  'deliveryMode',
  'correlationId',
  'replyTo',
  'messageId',
  'type',
  'expiration',
  'priority',
  'payload',
  'general',
];

export interface Problem {
  readonly field: FieldId;
  readonly text: string;
}

/** Where a problem from `validateDraft` (plain words) belongs, by the words it uses. */
export function fieldForProblem(text: string, kind: BrokerKind): FieldId {
  // Quoted parts are what the user typed (a topic named "json/x"): not words to go by.
  const t = text.toLowerCase().replace(/"[^"]*"/g, '""');
  const rules: [RegExp, FieldId, BrokerKind?][] = [
    [/payload format indicator/, 'payloadFormatIndicator', 'mqtt'],
    [/^(invalid json|not json|not base64|not hex)|\bpayload\b/, 'payload'],
    [/topic alias/, 'topicAlias', 'mqtt'],
    [/response topic/, 'responseTopic', 'mqtt'],
    [/user propert/, 'userProperties', 'mqtt'],
    [/correlation data/, 'correlationData', 'mqtt'],
    [/expiry|expir/, 'messageExpiryInterval', 'mqtt'],
    [/content.?type/, 'contentType', 'mqtt'],
    [/qos|quality of service/, 'qos', 'mqtt'],
    [/topic/, 'topic', 'mqtt'],
    [/routing key|queue name/, 'routingKey', 'amqp'],
    [/exchange/, 'exchange', 'amqp'],
    [/header/, 'headers', 'amqp'],
    [/content.?type/, 'amqpContentType', 'amqp'],
    [/delivery mode|persistent|transient/, 'deliveryMode', 'amqp'],
    [/correlation/, 'correlationId', 'amqp'],
    [/reply.?to/, 'replyTo', 'amqp'],
    [/expiration|expir|ttl/, 'expiration', 'amqp'],
    [/message.?id/, 'messageId', 'amqp'],
    [/priority/, 'priority', 'amqp'],
    [/\btype\b/, 'type', 'amqp'],
  ];
  for (const [re, field, only] of rules) {
    if ((only === undefined || only === kind) && re.test(t)) {
      return field;
    }
  }
  return 'general';
}

/** A whole number typed in a text field: undefined when empty, a problem when not a number. */
function parseWhole(text: string, field: FieldId, what: string, problems: Problem[]): number | undefined {
  const typed = text.trim();
  if (typed === '') {
    return undefined;
  }
  if (!/^\d+$/.test(typed)) {
    problems.push({ field, text: l10n.t('{0} must be a whole number (0, 1, 2…), not “{1}”.', what, typed) });
    return undefined;
  }
  return Number(typed);
}

const opt = (v: string) => (v === '' ? undefined : v);
/** Rows with a name or a value (rows left completely empty are ignored). */
const keep = (list: readonly KeyValueRow[]): UserProperty[] => list.filter((r) => r.key !== '' || r.value !== '').map((r) => ({ key: r.key, value: r.value }));

/** Drops undefined members so drafts compare and serialize cleanly. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) {
    if (o[k] === undefined) {
      delete o[k];
    }
  }
  return o;
}

export function mqttPart(m: MqttForm, mqttVersion: 4 | 5 | undefined, problems: Problem[] = []): NonNullable<PublishDraft['mqtt']> {
  const base = { topic: m.topic, qos: m.qos, retain: m.retain };
  if (mqttVersion === 4) {
    return base; // MQTT 3.1.1 has no properties: the panel says so and sends none
  }
  const userProperties = keep(m.userProperties);
  return compact({
    ...base,
    contentType: opt(m.contentType),
    payloadFormatIndicator: m.payloadFormatIndicator ? true : undefined,
    responseTopic: opt(m.responseTopic),
    correlationData: opt(m.correlationData),
    messageExpiryInterval: parseWhole(m.messageExpiryInterval, 'messageExpiryInterval', l10n.t('Message expiry'), problems),
    topicAlias: parseWhole(m.topicAlias, 'topicAlias', l10n.t('Topic alias'), problems),
    userProperties: userProperties.length ? userProperties : undefined,
  });
}

export function amqpPart(a: AmqpForm, problems: Problem[] = []): NonNullable<PublishDraft['amqp']> {
  const headers = keep(a.headers);
  const expiration = a.expiration.trim();
  if (expiration !== '' && !/^\d+$/.test(expiration)) {
    problems.push({ field: 'expiration', text: l10n.t('Expiration must be a whole number of milliseconds, not “{0}”.', expiration) });
  }
  return compact({
    exchange: exchangeValue(a.exchange),
    routingKey: a.routingKey,
    mandatory: a.mandatory,
    headers: headers.length ? headers : undefined,
    contentType: opt(a.contentType),
    deliveryMode: a.deliveryMode === '1' ? (1 as const) : a.deliveryMode === '2' ? (2 as const) : undefined,
    correlationId: opt(a.correlationId),
    replyTo: opt(a.replyTo),
    expiration: opt(expiration),
    messageId: opt(a.messageId),
    type: opt(a.type),
    priority: parseWhole(a.priority, 'priority', l10n.t('Priority'), problems),
  });
}

/** The exchange as sent: '' for the default exchange, whether left empty or typed as "(default)". */
export function exchangeValue(text: string): string {
  const typed = text.trim();
  return typed === DEFAULT_EXCHANGE || typed === defaultExchangeLabel() ? '' : text;
}

/** The draft to send to a target of `kind`, with the problems found while reading the form. */
export function draftFromForm(form: FormState, kind: BrokerKind, mqttVersion?: 4 | 5): { draft: PublishDraft; problems: Problem[] } {
  const problems: Problem[] = [];
  const draft: PublishDraft =
    kind === 'mqtt'
      ? { payload: form.payload, format: form.format, mqtt: mqttPart(form.mqtt, mqttVersion, problems) }
      : { payload: form.payload, format: form.format, amqp: amqpPart(form.amqp, problems) };
  return { draft, problems };
}

/** Both sides as one draft, kept with setState so the form survives hide/show and reload. */
export function persistedDraft(form: FormState): PublishDraft {
  return { payload: form.payload, format: form.format, mqtt: mqttPart(form.mqtt, 5), amqp: amqpPart(form.amqp) };
}

/** Every problem that keeps the form from being sent: the form's own, then `validateDraft`'s. */
export function collectProblems(
  form: FormState,
  target: PublishTarget,
  validate: (draft: PublishDraft, mqttVersion?: 4 | 5) => string[] = validateDraft,
): { draft: PublishDraft; problems: Problem[] } {
  const { draft, problems } = draftFromForm(form, target.kind, target.mqttVersion);
  for (const text of validate(draft, target.mqttVersion)) {
    const field = fieldForProblem(text, target.kind);
    if (!problems.some((p) => p.field === field && p.text === text)) {
      problems.push({ field, text });
    }
  }
  problems.sort((x, y) => FIELD_ORDER.indexOf(x.field) - FIELD_ORDER.indexOf(y.field));
  return { draft, problems };
}

/** Why a send to this target is refused before anything is checked, or undefined. */
export function sendRefusal(target: PublishTarget | undefined): string | undefined {
  if (!target) {
    return l10n.t('Pick a connection to send through.');
  }
  if (!target.connected) {
    return l10n.t('“{0}” is not connected: connect it in the Brokers view, then send again.', target.name);
  }
  return undefined;
}

export function targetLabel(target: PublishTarget): string {
  const kind = target.kind === 'amqp' ? 'AMQP' : target.mqttVersion === 4 ? 'MQTT 3.1.1' : target.mqttVersion === 5 ? 'MQTT 5' : 'MQTT';
  return target.connected ? l10n.t('{0} — {1}', target.name, kind) : l10n.t('{0} — {1} (disconnected)', target.name, kind);
}

// ---------------------------------------------------------------------------------------------
// Payload

/** The payload's bytes, or the reason it can't be encoded in its format. */
function bytesOf(payload: string, format: PayloadFormat): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  try {
    switch (format) {
      case 'base64':
        return { ok: true, bytes: fromBase64(payload) };
      case 'hex':
        return { ok: true, bytes: fromHex(payload) };
      default:
        return { ok: true, bytes: utf8Encode(payload) };
    }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export type Conversion =
  | { readonly ok: true; readonly payload: string }
  /** `invalid`: the payload isn't valid in its current format (switch without converting); `binary`: the bytes aren't text (stay). */
  | { readonly ok: false; readonly reason: 'invalid' | 'binary'; readonly error: string };

/**
 * The same bytes in another format: text ↔ base64 ↔ hex, JSON ↔ text (the text is kept as is).
 * Fails, in plain words, when the payload isn't valid in `from` or the bytes aren't UTF-8 text.
 */
export function convertPayload(payload: string, from: PayloadFormat, to: PayloadFormat): Conversion {
  const isText = (f: PayloadFormat) => f === 'text' || f === 'json';
  if (from === to || (isText(from) && isText(to)) || payload.trim() === '') {
    return { ok: true, payload: payload.trim() === '' && !isText(from) ? '' : payload };
  }
  const source = bytesOf(payload, from);
  if (!source.ok) {
    return { ok: false, reason: 'invalid', error: l10n.t('The payload is not valid {0}, so it was not converted. {1}', formatLabel(from), source.error) };
  }
  switch (to) {
    case 'base64':
      return { ok: true, payload: toBase64(source.bytes) };
    case 'hex':
      return { ok: true, payload: toHex(source.bytes, ' ') };
    default: {
      const text = decodeText(source.bytes);
      return text === undefined
        ? { ok: false, reason: 'binary', error: l10n.t('These {0} are not UTF-8 text: keep them as {1}.', byteCount(source.bytes.length), formatLabel(from)) }
        : { ok: true, payload: text };
    }
  }
}

export type PayloadCheck =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly error: string; readonly line?: number; readonly column?: number };

/** Live check of the payload as typed: its encoded size, or what is wrong (JSON with line:column). */
export function checkPayload(payload: string, format: PayloadFormat): PayloadCheck {
  if (format === 'json') {
    if (payload.trim() === '') {
      return { ok: false, error: l10n.t('Empty: a JSON payload needs a value, e.g. {} or "text".') };
    }
    const r = formatJson(payload, 2);
    if (!r.ok) {
      return { ok: false, error: r.error, line: r.line, column: r.column };
    }
  }
  try {
    return { ok: true, bytes: encodeDraftPayload({ payload, format, mqtt: { topic: '', qos: 0, retain: false } }).length };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The 0-based offset of a 1-based line and column in `text` (clamped to its length). */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) {
      return text.length;
    }
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/** Pretty-printed JSON (2 spaces), or undefined when the text isn't JSON. */
export function prettyJson(payload: string): string | undefined {
  const r = formatJson(payload, 2);
  return r.ok ? r.pretty : undefined;
}

/** A loaded file as a payload: text stays text (JSON when it parses), other bytes become base64 or hex. */
export function payloadFromFile(bytes: Uint8Array, current: PayloadFormat): { format: PayloadFormat; payload: string } {
  const text = decodeText(bytes);
  if (text !== undefined) {
    const t = text.trim();
    const json = (t.startsWith('{') || t.startsWith('[')) && formatJson(text, 2).ok;
    return { format: json ? 'json' : 'text', payload: text };
  }
  return current === 'hex' ? { format: 'hex', payload: toHex(bytes, ' ') } : { format: 'base64', payload: toBase64(bytes) };
}

/** "1 byte", "1,024 bytes". */
export function byteCount(n: number): string {
  const count = n.toLocaleString('en-US');
  return n === 1 ? l10n.t('{0} byte', count) : l10n.t('{0} bytes', count);
}

// ---------------------------------------------------------------------------------------------
// Outcomes and history

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
