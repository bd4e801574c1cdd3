/**
 * Expectations of message files (`EXPECT …` after a PUBLISH block): the header catalog, the
 * assertion language (`$.status == "ok"`, JSON paths in RFC 9535 syntax evaluated by json-p3) and
 * the judge that decides, from the messages received, whether an expectation held — with the
 * expected and actual values a diff shows. Pure: no `vscode`, no network.
 */
import * as l10n from '@vscode/l10n';
import { jsonpath } from 'json-p3';
import { topicMatches } from '../mqtt/topicFilter';
import { parseDuration, parseHeaderValue, type HeaderInfo } from './catalog';
import type { MessageKind } from './types';

/** The default of `Within:` (the setting brokerExplorer.messages.expectWithinSeconds overrides it). */
export const DEFAULT_WITHIN_MS = 5000;
export const MAX_WITHIN_MS = 600_000;

export type ExpectHeaderType = 'duration' | 'count' | 'qos' | 'boolean' | 'string' | 'keyValue' | 'regex' | 'assert' | 'filter';

export interface ExpectHeaderInfo {
  readonly name: string;
  readonly kinds: readonly MessageKind[];
  readonly type: ExpectHeaderType;
  readonly repeatable?: boolean;
  readonly values?: readonly string[];
  readonly doc: string;
  readonly example: string;
}

const MQTT: readonly MessageKind[] = ['mqtt'];
const AMQP: readonly MessageKind[] = ['amqp'];
const BOTH: readonly MessageKind[] = ['mqtt', 'amqp'];

export const EXPECT_HEADERS: readonly ExpectHeaderInfo[] = [
  { name: 'Within', kinds: BOTH, type: 'duration', values: ['1s', '2s', '5s', '10s'], doc: 'How long to wait for the messages: 500ms, 2s, 1m (a bare number is seconds). Default 5 s. EXPECT NONE waits all of it.', example: 'Within: 2s' },
  { name: 'Count', kinds: BOTH, type: 'count', values: ['exactly 1', 'at least 1', 'at most 1'], doc: 'How many matching messages must arrive: exactly N, at least N, at most N (a bare N is exactly N). Default at least 1.', example: 'Count: exactly 1' },
  { name: 'QoS', kinds: MQTT, type: 'qos', values: ['0', '1', '2'], doc: 'The QoS the message is delivered with (the lower of the publisher\'s and the subscription\'s, which is 2 here).', example: 'QoS: 1' },
  { name: 'Retain', kinds: MQTT, type: 'boolean', values: ['true', 'false'], doc: 'Whether the message arrives with the RETAIN flag (MQTT 5 keeps it for live messages: retain as published).', example: 'Retain: false' },
  { name: 'Topic', kinds: MQTT, type: 'filter', doc: 'The topic the message must arrive on: a topic or a filter with + and #, narrower than the EXPECT line\'s.', example: 'Topic: devices/+/ack' },
  { name: 'Content-Type', kinds: BOTH, type: 'string', doc: 'The content type the message must carry (MQTT 5 property, AMQP content_type).', example: 'Content-Type: application/json' },
  { name: 'Correlation-Data', kinds: MQTT, type: 'string', doc: 'The MQTT 5 correlation data the message must carry (compared as UTF-8 text).', example: 'Correlation-Data: {{requestId}}' },
  { name: 'User-Property', kinds: MQTT, type: 'keyValue', repeatable: true, doc: 'An MQTT 5 user property the message must carry, key=value. Repeat for more.', example: 'User-Property: site=north' },
  { name: 'Payload-Matches', kinds: BOTH, type: 'regex', doc: 'A regular expression (JavaScript syntax, /…/flags or bare) the payload text must match.', example: 'Payload-Matches: ^\\{"ok":' },
  { name: 'Assert', kinds: BOTH, type: 'assert', repeatable: true, doc: 'A JSON path assertion on the payload (RFC 9535 paths): $.status == "ok", $.temperature > 20, exists $.id, not exists $.error, $.name =~ /^st/. Repeat for more.', example: 'Assert: $.status == "ok"' },
  { name: 'Queue', kinds: AMQP, type: 'string', doc: 'AMQP: the queue to consume from. Its messages are taken (acknowledged) unless Peek: true.', example: 'Queue: orders' },
  { name: 'Peek', kinds: AMQP, type: 'boolean', values: ['true', 'false'], doc: 'AMQP, with Queue: put the messages back (requeued) when the expectation is judged, instead of taking them. RabbitMQ then marks them redelivered.', example: 'Peek: true' },
  { name: 'Exchange', kinds: AMQP, type: 'string', doc: 'AMQP: the exchange to tap through a temporary exclusive queue bound to it (nothing is taken from other queues).', example: 'Exchange: logs' },
  { name: 'Routing-Key', kinds: AMQP, type: 'string', doc: 'AMQP, with Exchange: the binding pattern of the tap queue (# for all on a topic exchange). With Queue: the routing key each message must have.', example: 'Routing-Key: info' },
  { name: 'Header', kinds: AMQP, type: 'keyValue', repeatable: true, doc: 'AMQP: a header the message must carry, key=value (compared as text). Repeat for more.', example: 'Header: source=billing' },
  { name: 'Correlation-Id', kinds: AMQP, type: 'string', doc: 'AMQP: the correlation_id property the message must carry.', example: 'Correlation-Id: {{requestId}}' },
];

const BY_LOWER = new Map(EXPECT_HEADERS.map((h) => [h.name.toLowerCase(), h]));

export function findExpectHeader(name: string): ExpectHeaderInfo | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

export type CountRule = { readonly op: 'exactly' | 'atLeast' | 'atMost'; readonly n: number };

export type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~';

/** `Assert:` parsed: a JSON path, and what its value must be. */
export type Assertion =
  | { readonly kind: 'exists' | 'notExists'; readonly path: string; readonly text: string }
  | { readonly kind: 'compare'; readonly path: string; readonly op: Comparison; readonly expected: unknown; readonly regex?: RegExp; readonly text: string };

export type ExpectValue = number | boolean | string | CountRule | RegExp | Assertion | { key: string; value: string };

/** Parses a regular expression written as /…/flags or bare. */
export function parseRegex(text: string): RegExp | string {
  const m = /^\/(.*)\/([dgimsuvy]*)$/s.exec(text);
  try {
    return m ? new RegExp(m[1]!, m[2]!.replace('g', '')) : new RegExp(text);
  } catch (e) {
    return l10n.t('Not a regular expression: {0}', e instanceof Error ? e.message : String(e));
  }
}

/** Checks and converts an EXPECT header value (already substituted). */
export function parseExpectValue(info: ExpectHeaderInfo, raw: string): { ok: true; value: ExpectValue } | { ok: false; error: string } {
  const text = raw.trim();
  switch (info.type) {
    case 'duration': {
      const ms = parseDuration(text, 's');
      if (ms === undefined || ms > MAX_WITHIN_MS) {
        return { ok: false, error: l10n.t('Within must be a duration such as 500ms, 2s or 1m (a bare number is seconds), at most 10 minutes, not "{0}"', text) };
      }
      return { ok: true, value: Math.round(ms) };
    }
    case 'count': {
      const m = /^(?:(exactly|at\s+least|at\s+most)\s+)?(\d{1,6})$/i.exec(text);
      if (!m) {
        return { ok: false, error: l10n.t('Count must be exactly N, at least N or at most N (e.g. "exactly 1"), not "{0}"', text) };
      }
      const word = (m[1] ?? 'exactly').toLowerCase().replace(/\s+/g, ' ');
      return { ok: true, value: { op: word === 'at least' ? 'atLeast' : word === 'at most' ? 'atMost' : 'exactly', n: Number(m[2]) } };
    }
    case 'regex': {
      const r = parseRegex(text);
      return typeof r === 'string' ? { ok: false, error: r } : { ok: true, value: r };
    }
    case 'assert': {
      const a = parseAssertion(text);
      return typeof a === 'string' ? { ok: false, error: a } : { ok: true, value: a };
    }
    case 'filter':
      return text === '' ? { ok: false, error: l10n.t('Topic is empty') } : { ok: true, value: text };
    default: {
      // qos, boolean, string, keyValue: the same rules as the headers of a message.
      const r = parseHeaderValue({ name: info.name, type: info.type, kinds: info.kinds, verbs: ['PUBLISH'], doc: '', example: '' } satisfies HeaderInfo, text);
      return r.ok ? { ok: true, value: r.value } : r;
    }
  }
}

const OPS: readonly Comparison[] = ['==', '!=', '<=', '>=', '=~', '<', '>'];

/**
 * Where an assertion's JSON path ends: the index of the first operator outside brackets,
 * parentheses and quotes (filters inside brackets keep theirs) — or, with `orSpace`, of a space
 * there too (completion: the path is done) — and -1 while the text is all path.
 */
export function assertionPathEnd(t: string, orSpace = false): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (quote) {
      if (c === '\\') {
        i++;
      } else if (c === quote) {
        quote = undefined;
      }
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[' || c === '(') {
      depth++;
    } else if (c === ']' || c === ')') {
      depth--;
    } else if (depth === 0 && (OPS.some((o) => t.startsWith(o, i)) || (orSpace && /\s/.test(c)))) {
      return i;
    }
  }
  return -1;
}

/**
 * `$.a.b == "x"`, `exists $.id`, `not exists $.error`, `$.t > 20`, `$.name =~ /^st/`. The path
 * ends at the first operator outside brackets, parentheses and quotes (filters inside brackets
 * keep theirs); the value is JSON (a string in double quotes, a number, true, false, null).
 */
export function parseAssertion(text: string): Assertion | string {
  const t = text.trim();
  const ex = /^(not\s+)?exists\s+(\$.*)$/i.exec(t);
  if (ex) {
    const path = ex[2]!.trim();
    const bad = pathProblem(path);
    return bad ?? { kind: ex[1] ? 'notExists' : 'exists', path, text: t };
  }
  if (!t.startsWith('$')) {
    return l10n.t('An assertion starts with a JSON path ($…) or "exists $…": e.g. $.status == "ok"');
  }
  const i = assertionPathEnd(t);
  if (i >= 0) {
    const op = OPS.find((o) => t.startsWith(o, i))!;
    const path = t.slice(0, i).trim();
    const valueText = t.slice(i + op.length).trim();
    const bad = pathProblem(path);
    if (bad) {
      return bad;
    }
    if (op === '=~') {
      const r = parseRegex(valueText);
      return typeof r === 'string' ? r : { kind: 'compare', path, op, expected: valueText, regex: r, text: t };
    }
    let expected: unknown;
    try {
      expected = JSON.parse(valueText);
    } catch {
      return l10n.t('The value after {0} must be JSON: a "string" in double quotes, a number, true, false or null — not {1}', op, valueText || l10n.t('nothing'));
    }
    if ((op === '<' || op === '<=' || op === '>' || op === '>=') && typeof expected !== 'number' && typeof expected !== 'string') {
      return l10n.t('{0} compares numbers or strings', op);
    }
    return { kind: 'compare', path, op, expected, text: t };
  }
  return l10n.t('No comparison: write $.path == value (or !=, <, <=, >, >=, =~ /regex/), or exists $.path');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The JSON paths of a value's members, as `Assert:` completion offers them: `$.a`, `$.a.b`,
 * `$.items[0]`, `$['odd key']`, depth first, with a short preview of each value. Arrays list
 * their first element's members only. At most `limit` paths.
 */
export function jsonPathsOf(value: unknown, limit = 200): { path: string; preview: string }[] {
  const out: { path: string; preview: string }[] = [];
  const preview = (v: unknown): string => {
    const text = JSON.stringify(v) ?? String(v);
    return text.length > 60 ? `${text.slice(0, 59)}…` : text;
  };
  const visit = (v: unknown, path: string, depth: number) => {
    if (out.length >= limit || depth > 8 || typeof v !== 'object' || v === null) {
      return;
    }
    const entries: [string, unknown][] = Array.isArray(v) ? (v.length ? [['[0]', v[0]]] : []) : Object.entries(v).map(([k, x]) => [IDENTIFIER.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`, x]);
    for (const [step, child] of entries) {
      if (out.length >= limit) {
        return;
      }
      out.push({ path: path + step, preview: preview(child) });
      visit(child, path + step, depth + 1);
    }
  };
  visit(value, '$', 0);
  return out;
}

/** A JSON path that does not compile, in words (undefined when it does). */
export function pathProblem(path: string): string | undefined {
  try {
    jsonpath.compile(path);
    return undefined;
  } catch (e) {
    return l10n.t('Not a JSON path (RFC 9535): {0}', e instanceof Error ? e.message.replace(/\s*\(\S*:\d+:\d+\)$/, '') : String(e));
  }
}

/** A message as the judge sees it. AMQP messages: `topic` is the routing key, QoS 0, no RETAIN. */
export interface ReceivedMessage {
  readonly topic: string;
  /** AMQP: the exchange it was published to ('' the default exchange). */
  readonly exchange?: string;
  /** AMQP: the message was delivered before (requeued). */
  readonly redelivered?: boolean;
  /** AMQP headers, as text. */
  readonly headers?: Readonly<Record<string, string>>;
  /** AMQP correlation_id. */
  readonly correlationId?: string;
  /** AMQP reply_to / MQTT 5 response topic. */
  readonly replyTo?: string;
  readonly payload: Uint8Array;
  readonly qos: number;
  readonly retain: boolean;
  readonly contentType?: string;
  readonly correlationData?: Uint8Array;
  readonly userProperties?: Readonly<Record<string, string | readonly string[]>>;
  /** Milliseconds after the message was sent. */
  readonly afterMs: number;
}

/** An expectation with its values substituted and converted, ready to judge. */
export interface ResolvedExpectation {
  readonly line: number;
  readonly none: boolean;
  /** Which protocol it listens with (default mqtt). */
  readonly kind?: MessageKind;
  readonly connection: string;
  /** MQTT: the topic filter. AMQP: the tap's binding pattern (Exchange) or '' (Queue). */
  readonly filter: string;
  /** The reply to `Response-Topic: auto` / `Reply-To: auto`: the runner fills in where it listens and the correlation. */
  readonly reply?: boolean;
  /** AMQP: consume this queue… */
  readonly queue?: string;
  /** …and put its messages back when judged. */
  readonly peek?: boolean;
  /** AMQP: tap this exchange with `filter` as the binding pattern. */
  readonly exchange?: string;
  /** AMQP with Queue: the routing key each message must have. */
  readonly routingKey?: string;
  readonly amqpHeaders?: readonly { key: string; value: string }[];
  readonly correlationId?: string;
  readonly withinMs: number;
  readonly count: CountRule;
  readonly qos?: number;
  readonly retain?: boolean;
  readonly topic?: string;
  readonly contentType?: string;
  readonly correlationData?: string;
  readonly userProperties: readonly { key: string; value: string }[];
  readonly payloadMatches?: RegExp;
  readonly assertions: readonly Assertion[];
  /** The EXPECT body: compared as JSON when both sides are JSON, else as text. */
  readonly payload?: string;
  /** The EXPECT line as written, for messages. */
  readonly title: string;
}

/** One assertion that did not hold for a message: what was expected and what came. */
export interface Mismatch {
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
}

export interface ExpectationResult {
  readonly passed: boolean;
  /** One sentence: "2 messages matched; exactly 1 was expected". */
  readonly message: string;
  /** For a diff: the expected and actual text (the closest message's failing values). */
  readonly expected?: string;
  readonly actual?: string;
  readonly received: readonly ReceivedMessage[];
  readonly matched: number;
}

const utf8 = new TextDecoder('utf-8');

/** The first message that needs nothing more: at least N reached, or a count already over the limit. */
export function isSettled(exp: ResolvedExpectation, matched: number): boolean {
  if (exp.none) {
    return matched > 0;
  }
  const { op, n } = exp.count;
  return op === 'atLeast' ? matched >= n : matched > n;
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? l10n.t('(nothing)') : (JSON.stringify(v) ?? typeof v));

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function compare(actual: unknown, a: Extract<Assertion, { kind: 'compare' }>): boolean {
  switch (a.op) {
    case '==':
      return deepEqual(actual, a.expected);
    case '!=':
      return !deepEqual(actual, a.expected);
    case '=~':
      return typeof actual === 'string' && a.regex!.test(actual);
    default: {
      if (typeof actual !== typeof a.expected || (typeof actual !== 'number' && typeof actual !== 'string')) {
        return false;
      }
      const x = actual;
      const y = a.expected as number | string;
      return a.op === '<' ? x < y : a.op === '<=' ? x <= y : a.op === '>' ? x > y : x >= y;
    }
  }
}

/** What in `msg` does not match `exp` (empty: it matches). */
export function mismatches(exp: ResolvedExpectation, msg: ReceivedMessage): Mismatch[] {
  const out: Mismatch[] = [];
  if (exp.topic !== undefined && !topicMatches(exp.topic, msg.topic)) {
    out.push({ what: l10n.t('topic'), expected: exp.topic, actual: msg.topic });
  }
  if (exp.qos !== undefined && msg.qos !== exp.qos) {
    out.push({ what: 'QoS', expected: String(exp.qos), actual: String(msg.qos) });
  }
  if (exp.retain !== undefined && msg.retain !== exp.retain) {
    out.push({ what: 'Retain', expected: String(exp.retain), actual: String(msg.retain) });
  }
  if (exp.contentType !== undefined && msg.contentType !== exp.contentType) {
    out.push({ what: 'Content-Type', expected: exp.contentType, actual: msg.contentType ?? l10n.t('(none)') });
  }
  if (exp.correlationData !== undefined) {
    const actual = msg.correlationData ? utf8.decode(msg.correlationData) : undefined;
    if (actual !== exp.correlationData) {
      out.push({ what: 'Correlation-Data', expected: exp.correlationData, actual: actual ?? l10n.t('(none)') });
    }
  }
  if (exp.routingKey !== undefined && msg.topic !== exp.routingKey) {
    out.push({ what: 'Routing-Key', expected: exp.routingKey, actual: msg.topic });
  }
  if (exp.correlationId !== undefined && msg.correlationId !== exp.correlationId) {
    out.push({ what: 'Correlation-Id', expected: exp.correlationId, actual: msg.correlationId ?? l10n.t('(none)') });
  }
  for (const h of exp.amqpHeaders ?? []) {
    const v = msg.headers?.[h.key];
    if (v !== h.value) {
      out.push({ what: l10n.t('Header {0}', h.key), expected: h.value, actual: v ?? l10n.t('(none)') });
    }
  }
  for (const p of exp.userProperties) {
    const v = msg.userProperties?.[p.key];
    const values = v === undefined ? [] : typeof v === 'string' ? [v] : v;
    if (!values.includes(p.value)) {
      out.push({ what: l10n.t('User-Property {0}', p.key), expected: p.value, actual: values.length ? values.join(', ') : l10n.t('(none)') });
    }
  }
  const text = utf8.decode(msg.payload);
  if (exp.payloadMatches && !exp.payloadMatches.test(text)) {
    out.push({ what: 'Payload-Matches', expected: String(exp.payloadMatches), actual: text });
  }
  if (exp.payload !== undefined) {
    const want = parseJson(exp.payload);
    const got = want.ok ? parseJson(text) : { ok: false as const };
    const equal = want.ok && got.ok ? deepEqual(want.value, got.value) : text === exp.payload;
    if (!equal) {
      // JSON on both sides: the diff shows both formatted the same way.
      out.push(want.ok && got.ok ? { what: l10n.t('payload'), expected: JSON.stringify(want.value, null, 2), actual: JSON.stringify(got.value, null, 2) } : { what: l10n.t('payload'), expected: exp.payload, actual: text });
    }
  }
  if (exp.assertions.length) {
    const doc = parseJson(text);
    for (const a of exp.assertions) {
      if (!doc.ok) {
        out.push({ what: a.text, expected: l10n.t('a JSON payload'), actual: text.length > 200 ? `${text.slice(0, 200)}…` : text });
        continue;
      }
      let values: unknown[];
      try {
        values = jsonpath.query(a.path, doc.value as never).values();
      } catch (e) {
        out.push({ what: a.text, expected: l10n.t('a JSON path that evaluates'), actual: e instanceof Error ? e.message : String(e) });
        continue;
      }
      if (a.kind === 'exists' || a.kind === 'notExists') {
        if ((values.length > 0) !== (a.kind === 'exists')) {
          out.push({ what: a.text, expected: a.kind === 'exists' ? l10n.t('{0} present', a.path) : l10n.t('{0} absent', a.path), actual: values.length ? show(values[0]) : l10n.t('(absent)') });
        }
        continue;
      }
      const c = a as Extract<Assertion, { kind: 'compare' }>;
      if (values.length !== 1) {
        out.push({ what: c.text, expected: `${c.op} ${c.op === '=~' ? String(c.regex) : show(c.expected)}`, actual: values.length ? l10n.t('{0} values: {1}', values.length, show(values)) : l10n.t('(absent)') });
        continue;
      }
      if (!compare(values[0], c)) {
        out.push({ what: c.text, expected: `${c.path} ${c.op} ${c.op === '=~' ? String(c.regex) : show(c.expected)}`, actual: `${c.path} = ${show(values[0])}` });
      }
    }
  }
  return out;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many.replace('{n}', n.toLocaleString('en')));

function countText(c: CountRule): string {
  return c.op === 'exactly' ? l10n.t('exactly {0}', c.n) : c.op === 'atLeast' ? l10n.t('at least {0}', c.n) : l10n.t('at most {0}', c.n);
}

/** Whether the expectation held for the messages received on its filter within its time. */
export function judge(exp: ResolvedExpectation, received: readonly ReceivedMessage[]): ExpectationResult {
  const checks = received.map((m) => mismatches(exp, m));
  const matched = checks.filter((c) => c.length === 0).length;
  const base = { received, matched };
  const within = l10n.t('within {0}', formatMs(exp.withinMs));
  if (exp.none) {
    if (matched === 0) {
      return { ...base, passed: true, message: received.length ? l10n.t('Nothing matching arrived {0} ({1} other messages)', within, received.length) : l10n.t('Nothing arrived {0}', within) };
    }
    const first = received[checks.findIndex((c) => c.length === 0)]!;
    return { ...base, passed: false, message: l10n.t('Expected nothing {0}, but {1} arrived (first on {2} after {3})', within, plural(matched, l10n.t('1 message'), l10n.t('{n} messages')), first.topic, formatMs(first.afterMs)), expected: l10n.t('(no message)'), actual: utf8.decode(first.payload) };
  }
  const { op, n } = exp.count;
  const ok = op === 'exactly' ? matched === n : op === 'atLeast' ? matched >= n : matched <= n;
  if (ok) {
    return { ...base, passed: true, message: l10n.t('{0} matched {1} ({2} expected)', plural(matched, l10n.t('1 message'), l10n.t('{n} messages')), within, countText(exp.count)) };
  }
  if (!received.length) {
    return { ...base, passed: false, message: l10n.t('No message arrived on {0} {1} ({2} expected)', sourceText(exp), within, countText(exp.count)), expected: countText(exp.count), actual: l10n.t('(no message)') };
  }
  // The closest message (fewest mismatches) explains why the others did not count.
  let best = -1;
  for (let i = 0; i < checks.length; i++) {
    if (checks[i]!.length > 0 && (best < 0 || checks[i]!.length < checks[best]!.length)) {
      best = i;
    }
  }
  const header = l10n.t('{0} of {1} received matched {2} ({3} expected)', matched, received.length, within, countText(exp.count));
  if (best < 0) {
    return { ...base, passed: false, message: header, expected: countText(exp.count), actual: String(matched) };
  }
  const miss = checks[best]!;
  const why = miss.map((m) => l10n.t('{0}: expected {1}, got {2}', m.what, m.expected, m.actual)).join('; ');
  return {
    ...base,
    passed: false,
    message: `${header}. ${l10n.t('Closest message ({0}): {1}', received[best]!.topic, why)}`,
    expected: miss.map((m) => (miss.length > 1 ? `${m.what}: ${m.expected}` : m.expected)).join('\n'),
    actual: miss.map((m) => (miss.length > 1 ? `${m.what}: ${m.actual}` : m.actual)).join('\n'),
  };
}

/** What an expectation listens to, in words: a topic filter, `queue orders`, `exchange logs (info)`. */
export function sourceText(exp: Pick<ResolvedExpectation, 'kind' | 'filter' | 'queue' | 'exchange'>): string {
  if (exp.kind !== 'amqp') {
    return exp.filter;
  }
  if (exp.queue === undefined && exp.exchange === undefined) {
    return l10n.t('the reply queue');
  }
  return exp.queue !== undefined ? l10n.t('queue {0}', exp.queue) : l10n.t('exchange {0} ({1})', exp.exchange ?? '', exp.filter);
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
