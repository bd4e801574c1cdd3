/** parseMessageFile: text → blocks, variables and syntax problems. One pass, never throws. */
import * as l10n from '@vscode/l10n';
import { closest, findHeader, HEADER_NAMES, parseHeaderValue, type HeaderInfo } from './catalog';
import { hasTemplate, scanTemplate } from './template';
import { EXPECT_HEADERS, findExpectHeader, parseExpectValue } from './expect';
import type { Expectation, MessageBlock, MessageBody, MessageFile, MessageHeader, MessageKind, MessageVerb, Problem, Severity, VariableDef } from './types';
import { parseTargetUrl } from './url';

const SEPARATOR = /^\s*###/;
const HEADER = /^(\s*)([A-Za-z][A-Za-z0-9_-]*)(\s*):(\s*)(.*?)\s*$/;
const VARIABLE = /^(\s*)@([A-Za-z_][\w.-]*)(\s*)=(\s*)(.*?)\s*$/;
const FILE_BODY = /^(\s*)<(@?)(\s+)(\S.*?)\s*$/;
const VERBS: readonly MessageVerb[] = ['PUBLISH', 'SUBSCRIBE'];
/** `EXPECT [NONE] URL` at the start of a line ends the body before it (docs/message-files.md, Expectations). */
const EXPECT_LINE = /^EXPECT(?=\s|$)/;

/** Splits on CRLF, CR and LF, as VS Code counts lines. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The block's header `name` says `auto` (Response-Topic: auto, Reply-To: auto). */
const isAuto = (b: { headers: readonly MessageHeader[] }, name: string): boolean => b.headers.some((h) => h.canonical === name && h.value.trim().toLowerCase() === 'auto');

const isComment = (trimmed: string) => trimmed.startsWith('#') || trimmed.startsWith('//');

interface Draft {
  name?: string;
  startLine: number;
  requestLine: number;
  verb: MessageVerb;
  scheme: MessageKind;
  connection: MessageBlock['connection'];
  target: MessageBlock['target'];
  headers: MessageHeader[];
  bodyFrom: number; // first line after the blank line, -1 while in headers
  /** The first EXPECT line: the body ends before it. */
  bodyEnd?: number;
  expectations: ExpectDraft[];
}

interface ExpectDraft {
  line: number;
  none: boolean;
  scheme: MessageKind;
  connection: MessageBlock['connection'];
  target: MessageBlock['target'];
  headers: MessageHeader[];
  bodyFrom: number;
}

export function parseMessageFile(text: string): MessageFile {
  const lines = splitLines(typeof text === 'string' ? text : '');
  const problems: Problem[] = [];
  const variables: VariableDef[] = [];
  const blocks: MessageBlock[] = [];
  const problem = (line: number, start: number, end: number, severity: Severity, code: string, message: string, suggestion?: string) => {
    const p: { -readonly [K in keyof Problem]: Problem[K] } = { line, start, end: Math.max(start, end), severity, code, message };
    if (suggestion !== undefined) {
      p.suggestion = suggestion;
    }
    problems.push(p);
  };

  let state: 'preamble' | 'headers' | 'body' | 'skip' | 'expectHeaders' | 'expectBody' = 'preamble';
  let sectionStart = 0;
  let sectionName: string | undefined;
  let cur: Draft | undefined;

  const finish = (endExclusive: number) => {
    if (!cur) {
      return;
    }
    const b = cur;
    cur = undefined;
    const expectations = finishExpectations(b, endExclusive);
    let last = (b.bodyEnd ?? endExclusive) - 1;
    while (last > b.requestLine && lines[last]!.trim() === '') {
      last--;
    }
    let body: MessageBody | undefined;
    if (b.bodyFrom >= 0 && b.bodyFrom <= last) {
      let first = b.bodyFrom;
      while (first <= last && lines[first]!.trim() === '') {
        first++;
      }
      if (first <= last) {
        const fm = FILE_BODY.exec(lines[first]!);
        if (fm && first === last) {
          const start = fm[1]!.length + 1 + fm[2]!.length + fm[3]!.length;
          body = { kind: 'file', path: fm[4]!, substitute: fm[2] === '@', line: first, span: { start, end: start + fm[4]!.length } };
        } else {
          if (fm) {
            problem(first, 0, lines[first]!.length, 'warning', 'file-body-not-alone', l10n.t('"< file" sends a file only when it is the only line of the body; this body is sent as text'));
          }
          const vm = VARIABLE.exec(lines[first]!);
          if (vm) {
            problem(first, 0, lines[first]!.length, 'info', 'variable-in-body', l10n.t('This line is part of the body. To define a variable, put it before a request line (e.g. after a ### line)'));
          }
          body = { kind: 'inline', text: lines.slice(first, last + 1).join('\n'), startLine: first };
        }
      }
    }
    blockChecks(b, body);
    // No spreads here: an object literal that starts with a spread is slow to build in V8.
    const block: { -readonly [K in keyof MessageBlock]: MessageBlock[K] } = {
      range: { startLine: b.startLine, endLine: last },
      requestLine: b.requestLine,
      verb: b.verb,
      scheme: b.scheme,
      connection: b.connection,
      target: b.target,
      headers: b.headers,
      body,
      expectations,
    };
    if (expectations.length) {
      block.range = { startLine: b.startLine, endLine: expectations[expectations.length - 1]!.range.endLine };
    }
    if (b.name !== undefined) {
      block.name = b.name;
    }
    blocks.push(block);
  };

  /** Closes the block's EXPECT sections: each ends where the next begins (or the block ends). */
  const finishExpectations = (b: Draft, endExclusive: number): Expectation[] => {
    const out: Expectation[] = [];
    b.expectations.forEach((e, k) => {
      const end = k + 1 < b.expectations.length ? b.expectations[k + 1]!.line : endExclusive;
      let last = end - 1;
      while (last > e.line && lines[last]!.trim() === '') {
        last--;
      }
      const x: { -readonly [K in keyof Expectation]: Expectation[K] } = { line: e.line, none: e.none, scheme: e.scheme, connection: e.connection, target: e.target, headers: e.headers, range: { startLine: e.line, endLine: last } };
      if (e.bodyFrom >= 0) {
        let first = e.bodyFrom;
        while (first <= last && lines[first]!.trim() === '') {
          first++;
        }
        if (first <= last) {
          x.body = { text: lines.slice(first, last + 1).join('\n'), startLine: first };
        }
      }
      if (e.scheme === 'amqp') {
        const has = (n: string) => e.headers.some((h) => h.canonical === n);
        if (!has('Queue') && !has('Exchange') && isAuto(b, 'Reply-To')) {
          // the reply: listened for on the temporary reply queue
        } else if (has('Queue') === has('Exchange')) {
          problem(e.line, 0, lines[e.line]!.trimEnd().length, 'error', 'expect-amqp-source', has('Queue') ? l10n.t('Name one source: Queue: NAME (consumed) or Exchange: NAME (a temporary tap queue), not both') : l10n.t('Name the source of an AMQP expectation: Queue: NAME (its messages are consumed; Peek: true puts them back) or Exchange: NAME with Routing-Key: PATTERN'));
        } else if (has('Peek') && has('Exchange')) {
          const h = e.headers.find((x) => x.canonical === 'Peek')!;
          problem(h.line, h.nameSpan.start, h.nameSpan.end, 'warning', 'header-not-for-verb', l10n.t('Peek applies to a Queue: an exchange tap takes nothing from other queues'));
        }
      }
      if (e.none && x.body) {
        problem(x.body.startLine, 0, lines[x.body.startLine]!.length, 'warning', 'body-ignored', l10n.t('EXPECT NONE expects no message: this expected payload is ignored'));
      }
      out.push(x);
    });
    return out;
  };

  /** `EXPECT [NONE] mqtt://CONNECTION/FILTER` */
  const expectLine = (b: Draft, i: number, raw: string): ExpectDraft | undefined => {
    const m = /^(EXPECT)(\s*)(NONE(?=\s|$))?(\s*)(.*?)\s*$/.exec(raw)!;
    const none = m[3] !== undefined;
    const urlStart = m[1]!.length + m[2]!.length + (m[3]?.length ?? 0) + m[4]!.length;
    const url = m[5]!;
    if (b.verb !== 'PUBLISH') {
      problem(i, 0, raw.trimEnd().length, 'error', 'expect-not-after-publish', l10n.t('EXPECT follows a PUBLISH block: it says what must arrive once that message is sent'));
      return undefined;
    }
    if (url === '') {
      problem(i, 0, raw.trimEnd().length, 'error', 'missing-target', l10n.t('EXPECT needs what to listen to: EXPECT mqtt://CONNECTION/TOPIC-FILTER'));
      return undefined;
    }
    const parsed = parseTargetUrl(url, urlStart);
    const amqp = parsed.scheme === 'amqp';
    // After `Response-Topic: auto`, `EXPECT mqtt://CONNECTION` (no topic) listens for the reply.
    const reply = !amqp && parsed.scheme === 'mqtt' && isAuto(b, 'Response-Topic');
    for (const p of parsed.problems) {
      // `EXPECT amqp://CONNECTION` names its source in a header: no "/EXCHANGE" is needed.
      if (!((amqp || reply) && p.code === 'missing-target')) {
        problem(i, p.start, p.end, p.severity, p.code, p.message, p.suggestion);
      }
    }
    if (!parsed.scheme) {
      return undefined;
    }
    urlTemplates(i, parsed);
    if (amqp) {
      if (!parsed.target.missing && parsed.target.text !== '') {
        problem(i, parsed.target.span.start, parsed.target.span.end, 'error', 'expect-amqp-path', l10n.t('An AMQP expectation names its source in a header, not in the URL (exchange names may contain "/"): EXPECT amqp://CONNECTION with Queue: NAME, or Exchange: NAME and Routing-Key: PATTERN'));
      }
      return { line: i, none, scheme: 'amqp', connection: parsed.connection, target: parsed.target, headers: [], bodyFrom: -1 };
    }
    if (!parsed.target.missing && parsed.target.text === '' && !parsed.target.quoted) {
      problem(i, parsed.target.span.start, parsed.target.span.end, 'error', 'empty-topic', l10n.t('The topic filter is empty: e.g. EXPECT mqtt://local/devices/+/ack'));
    }
    return { line: i, none, scheme: parsed.scheme, connection: parsed.connection, target: parsed.target, headers: [], bodyFrom: -1 };
  };

  const expectHeader = (e: ExpectDraft, i: number, raw: string) => {
    const m = HEADER.exec(raw);
    if (!m) {
      problem(i, raw.length - raw.trimStart().length, raw.length, 'error', 'malformed-header', l10n.t('Not an expectation header: write Name: value (e.g. Within: 2s), and leave an empty line before the expected payload'));
      return;
    }
    const name = m[2]!;
    const nameStart = m[1]!.length;
    const valueStart = nameStart + name.length + m[3]!.length + 1 + m[4]!.length;
    const value = m[5]!;
    const info = findExpectHeader(name);
    const h: { -readonly [K in keyof MessageHeader]: MessageHeader[K] } = { name, value, line: i, nameSpan: { start: nameStart, end: nameStart + name.length }, valueSpan: { start: valueStart, end: valueStart + value.length } };
    if (info) {
      h.canonical = info.name;
    }
    e.headers.push(h);
    if (!info) {
      const s = closest(name, EXPECT_HEADERS.map((x) => x.name));
      problem(i, nameStart, nameStart + name.length, 'warning', 'unknown-header', s ? l10n.t('Unknown expectation "{0}" — did you mean "{1}"?; it is not checked', name, s) : l10n.t('Unknown expectation "{0}"; it is not checked', name), s);
      return;
    }
    if (!info.kinds.includes(e.scheme)) {
      problem(i, nameStart, nameStart + name.length, 'warning', 'header-wrong-kind', l10n.t('{0} is not checked on {1} expectations', info.name, e.scheme.toUpperCase()));
    }
    if (e.none && !['Within', 'Topic', 'Queue', 'Exchange', 'Routing-Key', 'Peek'].includes(info.name)) {
      problem(i, nameStart, nameStart + name.length, 'warning', 'header-not-for-verb', l10n.t('{0} has no effect on EXPECT NONE (nothing may arrive)', info.name));
    }
    if (!info.repeatable) {
      const before = e.headers.find((x) => x !== h && x.canonical === info.name);
      if (before) {
        problem(i, nameStart, nameStart + name.length, 'warning', 'duplicate-header', l10n.t('{0} is already set on line {1}: the last one is used', info.name, before.line + 1));
      }
    }
    if (hasTemplate(value)) {
      templateSyntax(i, valueStart, value);
    } else {
      const r = parseExpectValue(info, value);
      if (!r.ok) {
        problem(i, valueStart, valueStart + value.length, 'error', 'bad-value', r.error);
      }
    }
  };

  /** Checks that need the whole block (syntax only; checkMessageFile does the rest). */
  const blockChecks = (b: Draft, body: MessageBody | undefined) => {
    const has = (n: string) => b.headers.some((h) => h.canonical === n);
    const t = b.target;
    if (!t.missing && t.text === '' && !t.quoted) {
      if (b.scheme === 'mqtt' && b.verb === 'PUBLISH' && !has('Topic-Alias')) {
        problem(b.requestLine, t.span.start, t.span.end, 'error', 'empty-topic', l10n.t('The topic is empty: write it after the "/" (an empty topic needs Topic-Alias)'));
      } else if (b.scheme === 'mqtt' && b.verb === 'SUBSCRIBE') {
        problem(b.requestLine, t.span.start, t.span.end, 'error', 'empty-topic', l10n.t('The topic filter is empty: e.g. mqtt://local/weather/#'));
      }
    }
    if (b.scheme === 'amqp' && b.verb === 'SUBSCRIBE' && !t.missing && t.text === '') {
      problem(b.requestLine, t.span.start, t.span.end, 'error', 'default-exchange-subscribe', l10n.t('The default exchange cannot be tapped (nothing can be bound to it): name an exchange'));
    }
    if (b.verb === 'SUBSCRIBE' && body) {
      const line = body.kind === 'inline' ? body.startLine : body.line;
      problem(line, 0, lines[line]!.length, 'warning', 'body-ignored', l10n.t('SUBSCRIBE sends nothing: this body is ignored'));
    }
  };

  const header = (b: Draft, i: number, raw: string) => {
    const m = HEADER.exec(raw);
    if (!m) {
      const t = raw.trim();
      const fm = FILE_BODY.test(raw) || t.startsWith('{') || t.startsWith('[') || t.startsWith('<') || t.startsWith('"');
      problem(
        i,
        raw.length - raw.trimStart().length,
        raw.length,
        'error',
        'malformed-header',
        fm
          ? l10n.t('Leave an empty line between the headers and the body')
          : l10n.t('Not a header: write Name: value (e.g. {0}), and leave an empty line before the body', b.scheme === 'amqp' ? 'Routing-Key: info' : 'QoS: 1'),
      );
      return;
    }
    const name = m[2]!;
    const nameStart = m[1]!.length;
    const valueStart = nameStart + name.length + m[3]!.length + 1 + m[4]!.length;
    const value = m[5]!;
    const info = findHeader(name);
    const h: { -readonly [K in keyof MessageHeader]: MessageHeader[K] } = {
      name,
      value,
      line: i,
      nameSpan: { start: nameStart, end: nameStart + name.length },
      valueSpan: { start: valueStart, end: valueStart + value.length },
    };
    if (info) {
      h.canonical = info.name;
    }
    b.headers.push(h);
    const nameEnd = nameStart + name.length;
    if (!info) {
      const applicable = HEADER_NAMES.filter((x) => x.kinds.includes(b.scheme)).map((x) => x.name);
      const s = closest(name, applicable) ?? closest(name, HEADER_NAMES.map((x) => x.name));
      problem(i, nameStart, nameEnd, 'warning', 'unknown-header', s ? l10n.t('Unknown header "{0}" — did you mean "{1}"?; it is not sent', name, s) : l10n.t('Unknown header "{0}"; it is not sent', name), s);
      return;
    }
    if (!info.kinds.includes(b.scheme)) {
      const alt = info.otherKind;
      problem(
        i,
        nameStart,
        nameEnd,
        'warning',
        'header-wrong-kind',
        alt
          ? l10n.t('{0} is an {1} header: ignored for {2} messages — the {2} equivalent is {3}', info.name, info.kinds[0]!.toUpperCase(), b.scheme.toUpperCase(), alt)
          : l10n.t('{0} is an {1} header: ignored for {2} messages', info.name, info.kinds[0]!.toUpperCase(), b.scheme.toUpperCase()),
        alt,
      );
      return;
    }
    if (!info.verbs.includes(b.verb)) {
      problem(i, nameStart, nameEnd, 'warning', 'header-not-for-verb', l10n.t('{0} has no effect on {1}', info.name, b.verb));
      return;
    }
    if (!info.repeatable) {
      const before = b.headers.find((x) => x !== h && x.canonical === info.name);
      if (before) {
        problem(i, nameStart, nameEnd, 'warning', 'duplicate-header', l10n.t('{0} is already set on line {1}: the last one is used', info.name, before.line + 1));
      }
    }
    if (hasTemplate(value)) {
      templateSyntax(i, valueStart, value);
    } else {
      valueCheck(info, i, h.valueSpan.start, h.valueSpan.end, value);
    }
  };

  const valueCheck = (info: HeaderInfo, line: number, start: number, end: number, value: string) => {
    const r = parseHeaderValue(info, value);
    if (!r.ok) {
      const code = info.type === 'qos' ? 'bad-qos' : info.type === 'boolean' ? 'bad-boolean' : 'bad-value';
      problem(line, start, end, 'error', code, r.error);
    }
  };

  /** `{{` syntax in a URL's connection and target (request and EXPECT lines), unless quoted. */
  const urlTemplates = (i: number, parsed: ReturnType<typeof parseTargetUrl>) => {
    if (!parsed.connection.quoted) {
      templateSyntax(i, parsed.connection.span.start, parsed.connection.name);
    }
    if (!parsed.target.quoted && !parsed.target.missing) {
      templateSyntax(i, parsed.target.span.start, parsed.target.text);
    }
  };

  /** Reports `{{` syntax errors (unclosed, bad names); names are checked by checkMessageFile. */
  const templateSyntax = (line: number, column: number, value: string) => {
    for (const p of scanTemplate(value)) {
      if (p.kind === 'bad') {
        problem(line, column + p.start, column + p.end, 'error', p.code, p.message);
      }
    }
  };

  const requestLine = (i: number, raw: string) => {
    const trimmed = raw.trimEnd();
    const m = /^(\s*)(\S+)(\s*)(.*)$/.exec(trimmed)!;
    const verbText = m[2]!;
    const verbStart = m[1]!.length;
    const verbEnd = verbStart + verbText.length;
    if (verbText.includes('://')) {
      problem(i, verbStart, verbEnd, 'error', 'missing-verb', l10n.t('Start the request line with PUBLISH or SUBSCRIBE: PUBLISH mqtt://local/topic'), 'PUBLISH ' + verbText);
      return undefined;
    }
    const upper = verbText.toUpperCase();
    if (!VERBS.includes(upper as MessageVerb)) {
      const s = closest(upper, VERBS);
      problem(i, verbStart, verbEnd, 'error', 'unknown-verb', s ? l10n.t('Unknown request "{0}": a message starts with PUBLISH or SUBSCRIBE — did you mean {1}?', verbText, s) : l10n.t('Unknown request "{0}": a message starts with PUBLISH or SUBSCRIBE', verbText), s);
      return undefined;
    }
    const verb = upper as MessageVerb;
    const urlStart = verbEnd + m[3]!.length;
    const url = m[4]!;
    if (url === '') {
      problem(i, verbEnd, verbEnd, 'error', 'missing-target', l10n.t('{0} needs a target: {0} mqtt://CONNECTION/TOPIC or amqp://CONNECTION/EXCHANGE', verb));
      return undefined;
    }
    const parsed = parseTargetUrl(url, urlStart);
    for (const p of parsed.problems) {
      problem(i, p.start, p.end, p.severity, p.code, p.message, p.suggestion);
    }
    if (!parsed.scheme) {
      return undefined;
    }
    urlTemplates(i, parsed);
    const d: Draft = {
      startLine: sectionStart,
      requestLine: i,
      verb,
      scheme: parsed.scheme,
      connection: parsed.connection,
      target: parsed.target,
      headers: [],
      bodyFrom: -1,
      expectations: [],
    };
    if (sectionName !== undefined) {
      d.name = sectionName;
    }
    return d;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (SEPARATOR.test(raw)) {
      finish(i);
      sectionStart = i;
      const name = raw.replace(SEPARATOR, '').trim();
      sectionName = name === '' ? undefined : name;
      state = 'preamble';
      continue;
    }
    if (cur && EXPECT_LINE.test(raw)) {
      cur.bodyEnd ??= i;
      const e = expectLine(cur, i, raw);
      if (e) {
        cur.expectations.push(e);
        state = 'expectHeaders';
      } else {
        state = 'skip';
      }
      continue;
    }
    switch (state) {
      case 'preamble': {
        const t = raw.trim();
        if (t === '' || isComment(t)) {
          break;
        }
        if (t.startsWith('@')) {
          const m = VARIABLE.exec(raw);
          if (!m) {
            problem(i, raw.length - raw.trimStart().length, raw.length, 'error', 'malformed-variable', l10n.t('Write a variable as @name = value (names start with a letter or _ and contain letters, digits, _ . and -)'));
            break;
          }
          const nameStart = m[1]!.length + 1;
          const valueStart = nameStart + m[2]!.length + m[3]!.length + 1 + m[4]!.length;
          variables.push({
            name: m[2]!,
            value: m[5]!,
            line: i,
            nameSpan: { start: nameStart, end: nameStart + m[2]!.length },
            valueSpan: { start: valueStart, end: valueStart + m[5]!.length },
          });
          templateSyntax(i, valueStart, m[5]!);
          break;
        }
        cur = requestLine(i, raw);
        state = cur ? 'headers' : 'skip';
        break;
      }
      case 'headers':
        if (raw.trim() === '') {
          cur!.bodyFrom = i + 1;
          state = 'body';
        } else if (!isComment(raw.trim())) {
          header(cur!, i, raw);
        }
        break;
      case 'body': {
        // Body lines are taken as they are; check `{{` syntax here (cheap) so problems come in line order.
        if (raw.includes('{{')) {
          templateSyntax(i, 0, raw);
        }
        break;
      }
      case 'expectHeaders': {
        const e = cur!.expectations[cur!.expectations.length - 1]!;
        if (raw.trim() === '') {
          e.bodyFrom = i + 1;
          state = 'expectBody';
        } else if (!isComment(raw.trim())) {
          expectHeader(e, i, raw);
        }
        break;
      }
      case 'expectBody':
        if (raw.includes('{{')) {
          templateSyntax(i, 0, raw);
        }
        break;
      case 'skip':
        break;
    }
  }
  finish(lines.length);
  problems.sort((a, b) => a.line - b.line || a.start - b.start);
  return { variables, blocks, problems, lineCount: lines.length };
}
