/** resolveBlock: one block of a parsed file → the message to send (or the inspector to open). */
import * as l10n from '@vscode/l10n';
import { encodesJson, parseEncoding, type EncodingStep } from './encoding';
import { toBase64 } from '../format/bytes';
import { jsonError } from '../format/jsonErrors';
import { validateFilter } from '../brokers/subscriptions';
import type { PublishDraft, UserProperty } from '../protocol/publish';
import type { QoS } from '../protocol/shared';
import { findHeader, isJsonContentType, parseHeaderValue } from './catalog';
import { evaluateLine, Expansion, isEvalError, Scope, type EvalError, type SystemEvaluator, UNKNOWN } from './template';
import type { MessageBlock, MessageFile, ResolveEnv, ResolvedMessage, ResolveError } from './types';
import { DEFAULT_WITHIN_MS, findExpectHeader, parseExpectValue, type Assertion, type CountRule, type ExpectValue, type ResolvedExpectation } from './expect';
import { formatTargetUrl } from './url';
import { evaluateCapture, type BlockCapture } from './captures';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Joins a path written in a message file to the file's folder ('/' and '\' both separate). */
export function resolvePath(baseDir: string, path: string): string {
  if (/^(?:[A-Za-z]:[\\/]|[\\/])/.test(path)) {
    return path;
  }
  const windows = /^[A-Za-z]:\\/.test(baseDir) || (baseDir.includes('\\') && !baseDir.includes('/'));
  const sep = windows ? '\\' : '/';
  const root = /^(?:[A-Za-z]:)?[\\/]?/.exec(baseDir)![0];
  const parts = baseDir.slice(root.length).split(/[\\/]+/).filter((p) => p !== '');
  for (const seg of path.split(/[\\/]+/)) {
    if (seg === '' || seg === '.') {
      continue;
    }
    if (seg === '..') {
      parts.pop();
    } else {
      parts.push(seg);
    }
  }
  return root.replace(/[\\/]$/, sep) + parts.join(sep);
}

/** True when the bytes are UTF-8 text without control characters other than tab, CR, LF, FF. */
function asText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

const errorAt = (e: EvalError): ResolveError => ({ error: l10n.t('Line {0}: {1}', e.line + 1, e.message), line: e.line });

/**
 * Substitutes variables, reads `< file` bodies and builds what to send. Never throws: problems
 * come back as `{ error }` in plain words. Call it once per message sent (for "Send ×N" too),
 * so `{{$uuid}}`, `{{$timestamp}}`… are fresh each time.
 */
export function resolveBlock(file: MessageFile, block: MessageBlock, env: ResolveEnv): ResolvedMessage | ResolveError {
  try {
    return resolve(file, block, env);
  } catch (e) {
    return { error: l10n.t('Could not prepare the message: {0}', e instanceof Error ? e.message : String(e)) };
  }
}

function resolve(file: MessageFile, block: MessageBlock, env: ResolveEnv): ResolvedMessage | ResolveError {
  const { startLine, endLine } = block.range;
  const blocking = file.problems.find((p) => p.severity === 'error' && p.line >= startLine && p.line <= endLine);
  if (blocking) {
    return { error: l10n.t('Line {0}: {1}', blocking.line + 1, blocking.message), line: blocking.line };
  }
  const { scope, system, memo, untrusted, at, isErr } = evaluator(file, env);
  const req = block.requestLine;

  const connection = at(block.connection.name, req, block.connection.span.start, block.connection.quoted);
  if (isErr(connection)) {
    return connection;
  }
  if (connection === '') {
    return { error: l10n.t('Line {0}: no connection is named', req + 1), line: req };
  }
  const target = at(block.target.text, req, block.target.span.start, block.target.quoted);
  if (isErr(target)) {
    return target;
  }

  // Headers: substituted and converted; the last of a non-repeatable header wins.
  const values = new Map<string, string | number | boolean>();
  const pairs = new Map<string, UserProperty[]>();
  for (const h of block.headers) {
    const info = h.canonical ? findHeader(h.canonical) : undefined;
    if (!info || !info.kinds.includes(block.scheme) || !info.verbs.includes(block.verb)) {
      continue; // unknown or not applicable: a warning, not sent
    }
    const text = at(h.value, h.line, h.valueSpan.start);
    if (isErr(text)) {
      return text;
    }
    const r = parseHeaderValue(info, text);
    if (!r.ok) {
      return { error: l10n.t('Line {0}: {1}', h.line + 1, r.error), line: h.line };
    }
    if (typeof r.value === 'object') {
      const list = pairs.get(info.name) ?? [];
      list.push({ key: r.value.key, value: r.value.value });
      pairs.set(info.name, list);
    } else {
      values.set(info.name, r.value);
    }
  }
  const str = (n: string) => values.get(n) as string | undefined;
  const num = (n: string) => values.get(n) as number | undefined;
  const bool = (n: string) => values.get(n) as boolean | undefined;
  const vhost = block.scheme === 'amqp' ? str('Vhost') : undefined;
  const common = { connection, kind: block.scheme, verb: block.verb, ...(vhost !== undefined ? { vhost } : {}) };

  if (block.verb === 'SUBSCRIBE') {
    if (block.scheme === 'mqtt') {
      const problem = validateFilter(target);
      if (problem) {
        return { error: l10n.t('Line {0}: {1}', req + 1, problem), line: req };
      }
      return { ...common, filter: target, repeat: 1, intervalMs: 0 };
    }
    if (target === '') {
      return { error: l10n.t('Line {0}: the default exchange cannot be tapped: name an exchange', req + 1), line: req };
    }
    const pattern = str('Routing-Key');
    return { ...common, exchange: target, filter: pattern === undefined || pattern === '' ? '#' : pattern, repeat: 1, intervalMs: 0 };
  }

  // Body
  const contentType = str('Content-Type');
  const json = contentType !== undefined && isJsonContentType(contentType);
  let payload = '';
  let format: PublishDraft['format'] = 'text';
  const body = block.body;
  if (body?.kind === 'inline') {
    const lines = body.text.split('\n');
    const out: string[] = [];
    for (let k = 0; k < lines.length; k++) {
      const v = at(lines[k]!, body.startLine + k, 0);
      if (isErr(v)) {
        return v;
      }
      out.push(v);
    }
    payload = out.join('\n');
  } else if (body?.kind === 'file') {
    if (!env.trusted) {
      return { error: l10n.t('Line {0}: {1}', body.line + 1, untrusted(l10n.t('file contents ({0})', `< ${body.path}`)).message), line: body.line };
    }
    const p = at(body.path, body.line, body.span.start);
    if (isErr(p)) {
      return p;
    }
    const full = resolvePath(env.baseDir, p);
    let bytes: Uint8Array;
    try {
      bytes = env.readFile(full);
    } catch (e) {
      return { error: l10n.t('Line {0}: cannot read {1}: {2}', body.line + 1, p, e instanceof Error ? e.message : String(e)), line: body.line };
    }
    const text = asText(bytes);
    if (body.substitute) {
      if (text === undefined) {
        return { error: l10n.t('Line {0}: {1} is not UTF-8 text, so "<@" cannot substitute variables in it; use "<" to send it as it is', body.line + 1, p), line: body.line };
      }
      const lines = text.split(/\r\n|\r|\n/);
      const seps = text.match(/\r\n|\r|\n/g) ?? [];
      let out = '';
      for (let k = 0; k < lines.length; k++) {
        const v = evaluateLine(lines[k]!, req, 0, scope, system, memo);
        if (isEvalError(v) || v === UNKNOWN) {
          const why = isEvalError(v) ? v.message : l10n.t('a value could not be computed');
          return { error: l10n.t('{0}, line {1}: {2}', p, k + 1, why), line: body.line };
        }
        out += v + (seps[k] ?? '');
      }
      payload = out;
    } else if (text === undefined) {
      payload = toBase64(bytes);
      format = 'base64';
      if (json) {
        return { error: l10n.t('Line {0}: {1} is binary, but Content-Type says JSON', body.line + 1, p), line: body.line };
      }
    } else {
      payload = text;
    }
  }
  if (json && format === 'text') {
    format = 'json';
    try {
      JSON.parse(payload);
    } catch (e) {
      const where = body?.kind === 'file' ? body.line : body?.kind === 'inline' ? body.startLine : req;
      return { error: l10n.t('Line {0}: the body is not JSON, but Content-Type says {1}: {2}', where + 1, contentType, jsonError(payload, e instanceof Error ? e.message : undefined).error), line: where };
    }
  }

  // Encoding: checked here, applied when the block is sent (encodeDraft: the codecs load then).
  const encodingText = str('Encoding');
  let encoding: readonly EncodingStep[] | undefined;
  if (encodingText !== undefined) {
    const line = block.headers.find((h) => h.name.toLowerCase() === 'encoding')?.line ?? req;
    const parsed = parseEncoding(encodingText);
    if (!parsed.ok) {
      return { error: l10n.t('Line {0}: {1}', line + 1, parsed.error), line };
    }
    encoding = parsed.steps;
    if (encodesJson(encoding) && format === 'text') {
      try {
        JSON.parse(payload);
      } catch (e) {
        const where = body?.kind === 'file' ? body.line : body?.kind === 'inline' ? body.startLine : req;
        return { error: l10n.t('Line {0}: the body is not JSON, but Encoding: {1} encodes JSON: {2}', where + 1, encodingText, jsonError(payload, e instanceof Error ? e.message : undefined).error), line: where };
      }
    }
  }

  const repeat = num('Repeat') ?? 1;
  const intervalMs = num('Interval') ?? 0;
  let draft: PublishDraft;
  if (block.scheme === 'mqtt') {
    if (/[+#]/.test(target)) {
      return { error: l10n.t('Line {0}: the topic "{1}" contains a wildcard (+ or #): publish to one exact topic', req + 1, target), line: req };
    }
    if (target.includes('\u0000')) {
      return { error: l10n.t('Line {0}: the topic contains a NUL character', req + 1), line: req };
    }
    if (target === '' && num('Topic-Alias') === undefined) {
      return { error: l10n.t('Line {0}: the topic is empty', req + 1), line: req };
    }
    const responseTopic = str('Response-Topic');
    if (responseTopic !== undefined && /[+#]/.test(responseTopic)) {
      return { error: l10n.t('Response-Topic "{0}" contains a wildcard: it must be one exact topic', responseTopic) };
    }
    const m: NonNullable<PublishDraft['mqtt']> = {
      topic: target,
      qos: (num('QoS') ?? 0) as QoS,
      retain: bool('Retain') ?? false,
      ...(contentType !== undefined ? { contentType } : {}),
      ...(bool('Payload-Format-Indicator') !== undefined ? { payloadFormatIndicator: bool('Payload-Format-Indicator') } : {}),
      ...(responseTopic !== undefined ? { responseTopic } : {}),
      ...(str('Correlation-Data') !== undefined ? { correlationData: str('Correlation-Data') } : {}),
      ...(num('Message-Expiry-Interval') !== undefined ? { messageExpiryInterval: num('Message-Expiry-Interval') } : {}),
      ...(num('Topic-Alias') !== undefined ? { topicAlias: num('Topic-Alias') } : {}),
      ...(pairs.has('User-Property') ? { userProperties: pairs.get('User-Property') } : {}),
    };
    draft = { payload, format, mqtt: m };
  } else {
    const routingKey = str('Routing-Key') ?? '';
    if (target === '' && routingKey === '') {
      return { error: l10n.t('Line {0}: the default exchange delivers to the queue named by the routing key: add Routing-Key: QUEUE', req + 1), line: req };
    }
    const a: NonNullable<PublishDraft['amqp']> = {
      exchange: target,
      routingKey,
      mandatory: bool('Mandatory') ?? true, // like the publish panel: unroutable messages are reported, not dropped
      ...(pairs.has('Header') ? { headers: pairs.get('Header') } : {}),
      ...(contentType !== undefined ? { contentType } : {}),
      ...(num('Delivery-Mode') !== undefined ? { deliveryMode: num('Delivery-Mode') as 1 | 2 } : {}),
      ...(str('Correlation-Id') !== undefined ? { correlationId: str('Correlation-Id') } : {}),
      ...(str('Reply-To') !== undefined ? { replyTo: str('Reply-To') } : {}),
      ...(str('Expiration') !== undefined ? { expiration: str('Expiration') } : {}),
      ...(str('Message-Id') !== undefined ? { messageId: str('Message-Id') } : {}),
      ...(str('Type') !== undefined ? { type: str('Type') } : {}),
      ...(num('Priority') !== undefined ? { priority: num('Priority') } : {}),
    };
    draft = { payload, format, amqp: a };
  }
  return { ...common, draft, ...(encoding ? { encoding } : {}), repeat, intervalMs };
}

/** Substitution for one resolution of a block: variables, system variables, the expansion budget. */
function evaluator(file: MessageFile, env: ResolveEnv) {
  const scope = new Scope(file.variables);
  const captures = env.captures ?? new Map<string, BlockCapture>();
  const memo = new Expansion(env.maxPayloadBytes, (part) => evaluateCapture(part, captures));
  const untrusted = (what: string) => ({
    code: 'untrusted',
    message: l10n.t('This workspace is not trusted, so message files cannot send {0}. Trust the workspace to send this message.', what),
  });
  const system: SystemEvaluator = (name, args) => {
    switch (name) {
      case '$uuid':
        return env.uuid();
      case '$isoTimestamp':
        return env.now().toISOString();
      case '$timestamp':
        return String(Math.floor(env.now().getTime() / 1000));
      case '$randomInt': {
        const min = Number(args[0]);
        const max = Number(args[1]);
        return String(Math.min(max - 1, min + Math.floor(env.random() * (max - min))));
      }
      case '$env': {
        if (!env.trusted) {
          return untrusted(l10n.t('environment variables ({0})', `{{$env ${args[0] ?? ''}}}`));
        }
        const v = env.getEnv(args[0]!);
        return v === undefined ? { code: 'env-unset', message: l10n.t("The environment variable {0} is not set (in VS Code's environment)", `${args[0]}`) } : v;
      }
      default:
        return { code: 'unknown-system-variable', message: l10n.t('Unknown system variable {0}', name) };
    }
  };
  const at = (text: string, line: number, column: number, quoted = false): string | ResolveError => {
    if (quoted) {
      return text;
    }
    const v = evaluateLine(text, line, column, scope, system, memo);
    if (isEvalError(v)) {
      return errorAt(v);
    }
    return v === UNKNOWN ? { error: l10n.t('Line {0}: a value could not be computed', line + 1), line } : v;
  };
  const isErr = (v: unknown): v is ResolveError => typeof v === 'object' && v !== null && 'error' in v;
  return { scope, system, memo, untrusted, at, isErr };
}

/**
 * The block's EXPECT sections with their values substituted and converted (run before each send:
 * `{{$uuid}}` is fresh). Never throws; the first problem comes back as `{ error }`.
 */
export function resolveExpectations(file: MessageFile, block: MessageBlock, env: ResolveEnv, defaultWithinMs = DEFAULT_WITHIN_MS): ResolvedExpectation[] | ResolveError {
  try {
    const { at, isErr } = evaluator(file, env);
    const out: ResolvedExpectation[] = [];
    for (const e of block.expectations) {
      const connection = at(e.connection.name, e.line, e.connection.span.start, e.connection.quoted);
      if (isErr(connection)) {
        return connection;
      }
      if (connection === '') {
        return { error: l10n.t('Line {0}: no connection is named', e.line + 1), line: e.line };
      }
      const amqp = e.scheme === 'amqp';
      const autoHeader = (name: string) => block.headers.some((h) => h.canonical === name && h.value.trim().toLowerCase() === 'auto');
      const reply = amqp ? autoHeader('Reply-To') && !e.headers.some((h) => h.canonical === 'Queue' || h.canonical === 'Exchange') : e.target.missing && autoHeader('Response-Topic');
      let filter = '';
      if (!amqp && !reply) {
        const f = at(e.target.text, e.line, e.target.span.start, e.target.quoted);
        if (isErr(f)) {
          return f;
        }
        const bad = validateFilter(f);
        if (bad) {
          return { error: l10n.t('Line {0}: {1}', e.line + 1, bad), line: e.line };
        }
        filter = f;
      }
      const values = new Map<string, ExpectValue>();
      const userProperties: { key: string; value: string }[] = [];
      const amqpHeaders: { key: string; value: string }[] = [];
      const assertions: Assertion[] = [];
      for (const h of e.headers) {
        const info = h.canonical ? findExpectHeader(h.canonical) : undefined;
        if (!info || !info.kinds.includes(e.scheme)) {
          continue;
        }
        const text = at(h.value, h.line, h.valueSpan.start);
        if (isErr(text)) {
          return text;
        }
        const r = parseExpectValue(info, text);
        if (!r.ok) {
          return { error: l10n.t('Line {0}: {1}', h.line + 1, r.error), line: h.line };
        }
        if (info.name === 'User-Property') {
          userProperties.push(r.value as { key: string; value: string });
        } else if (info.name === 'Header') {
          amqpHeaders.push(r.value as { key: string; value: string });
        } else if (info.name === 'Assert') {
          assertions.push(r.value as Assertion);
        } else {
          values.set(info.name, r.value);
        }
      }
      let payload: string | undefined;
      if (e.body && !e.none) {
        const lines = e.body.text.split('\n');
        const outLines: string[] = [];
        for (let k = 0; k < lines.length; k++) {
          const v = at(lines[k]!, e.body.startLine + k, 0);
          if (isErr(v)) {
            return v;
          }
          outLines.push(v);
        }
        payload = outLines.join('\n');
      }
      const get = <T extends ExpectValue>(n: string) => values.get(n) as T | undefined;
      const queue = amqp ? get<string>('Queue') : undefined;
      const exchange = amqp ? get<string>('Exchange') : undefined;
      if (amqp && !reply) {
        if ((queue === undefined) === (exchange === undefined)) {
          return { error: l10n.t('Line {0}: an AMQP expectation needs Queue: NAME or Exchange: NAME (one of them)', e.line + 1), line: e.line };
        }
        if (queue === '') {
          return { error: l10n.t('Line {0}: Queue is empty', e.line + 1), line: e.line };
        }
        if (exchange === '') {
          return { error: l10n.t('Line {0}: the default exchange cannot be tapped: name an exchange, or expect on the Queue', e.line + 1), line: e.line };
        }
        const rk = get<string>('Routing-Key');
        filter = exchange !== undefined ? (rk === undefined || rk === '' ? '#' : rk) : '';
      }
      const source = reply ? ` (${l10n.t('the reply')})` : amqp ? (queue !== undefined ? ` (Queue: ${queue})` : ` (Exchange: ${exchange}, Routing-Key: ${filter})`) : '';
      const x: { -readonly [K in keyof ResolvedExpectation]: ResolvedExpectation[K] } = {
        line: e.line,
        none: e.none,
        kind: e.scheme,
        connection,
        filter,
        withinMs: get<number>('Within') ?? defaultWithinMs,
        count: get<CountRule>('Count') ?? { op: 'atLeast', n: 1 },
        userProperties,
        assertions,
        title: amqp || reply ? `EXPECT ${e.none ? 'NONE ' : ''}${formatTargetUrl(e.scheme, connection, '').replace(/\/$/, '')}${source}` : `EXPECT ${e.none ? 'NONE ' : ''}${formatTargetUrl('mqtt', connection, filter)}`,
      };
      if (reply) {
        x.reply = true;
      }
      if (amqp) {
        x.amqpHeaders = amqpHeaders;
        if (queue !== undefined) {
          x.queue = queue;
          x.peek = get<boolean>('Peek') ?? false;
          const rk = get<string>('Routing-Key');
          if (rk !== undefined) {
            x.routingKey = rk;
          }
        } else if (exchange !== undefined) {
          x.exchange = exchange;
        }
        const cid = get<string>('Correlation-Id');
        if (cid !== undefined) {
          x.correlationId = cid;
        }
      }
      const set = <K extends keyof ResolvedExpectation>(k: K, v: ResolvedExpectation[K] | undefined) => {
        if (v !== undefined) {
          x[k] = v;
        }
      };
      set('qos', get<number>('QoS'));
      set('retain', get<boolean>('Retain'));
      set('topic', get<string>('Topic'));
      set('contentType', get<string>('Content-Type'));
      set('correlationData', get<string>('Correlation-Data'));
      set('payloadMatches', get<RegExp>('Payload-Matches'));
      set('payload', payload);
      out.push(x);
    }
    return out;
  } catch (err) {
    return { error: l10n.t('Could not prepare the expectations: {0}', err instanceof Error ? err.message : String(err)) };
  }
}
