/** checkMessageFile: what the parser cannot know — connections, variables, JSON bodies. */
import * as l10n from '@vscode/l10n';
import { encodesJson, parseEncoding } from './encoding';
import { findJsonError } from '../format/jsonErrors';
import { validateFilter } from '../brokers/subscriptions';
import { closest, findHeader, isJsonContentType, parseHeaderValue } from './catalog';
import { evaluateLine, evaluatePart, Expansion, isEvalError, scanTemplate, Scope, systemVariableProblem, unresolvedMessage, UNKNOWN, type SystemEvaluator } from './template';
import { captureProblem, captureRefs } from './captures';
import type { CheckContext, MessageBlock, MessageFile, MessageHeader, Problem, Severity } from './types';

/**
 * Sample values for the static check: known system variables get a typical value, `$env` is
 * unknown (the check never reads the environment).
 */
const SAMPLES: SystemEvaluator = (name, args) => {
  switch (name) {
    case '$uuid':
      return '00000000-0000-4000-8000-000000000000';
    case '$isoTimestamp':
      return '2024-01-01T00:00:00.000Z';
    case '$timestamp':
      return '1704067200';
    case '$randomInt':
      return String(Number(args[0]));
    default:
      return UNKNOWN;
  }
};

const looksLikeHost = (name: string) => /^(localhost|[\d.]+|\[[\d:a-f]+\])(:\d+)?$/i.test(name) || /^[\w-]+(\.[\w-]+)+(:\d+)?$/.test(name) || /:\d+$/.test(name);

export function checkMessageFile(file: MessageFile, context: CheckContext): Problem[] {
  const problems: Problem[] = [];
  try {
    check(file, context, problems);
  } catch (e) {
    problems.push({ line: 0, start: 0, end: 0, severity: 'error', code: 'internal', message: l10n.t('Checking this file failed: {0}', e instanceof Error ? e.message : String(e)) });
  }
  return problems.sort((a, b) => a.line - b.line || a.start - b.start);
}

function check(file: MessageFile, context: CheckContext, problems: Problem[]): void {
  const scope = new Scope(file.variables);
  const memo = new Expansion(context.maxPayloadBytes);
  const add = (line: number, start: number, end: number, severity: Severity, code: string, message: string, suggestion?: string) =>
    problems.push({ line, start, end: Math.max(start, end), severity, code, message, ...(suggestion !== undefined ? { suggestion } : {}) });

  /** Reports unresolved names and bad system variables in one line of template text. */
  const refs = (text: string, line: number, column: number, lookupLine: number, user?: MessageBlock) => {
    if (!text.includes('{{')) {
      return;
    }
    for (const p of scanTemplate(text)) {
      if (p.kind === 'var' && !scope.lookup(p.name, lookupLine)) {
        const u = unresolvedMessage(scope, p.name, lookupLine);
        add(line, column + p.start, column + p.end, 'error', 'unresolved-variable', u.message, u.suggestion);
      } else if (p.kind === 'system') {
        const sp = systemVariableProblem(p.name, p.args);
        if (sp) {
          add(line, column + p.start, column + p.end, 'error', sp.code, sp.message, sp.suggestion);
        }
      } else if (p.kind === 'capture') {
        const cp = captureProblem(file, p, user);
        if (cp) {
          add(line, column + p.start, column + p.end, cp.severity, cp.code, cp.message, cp.suggestion);
        }
      }
    }
  };
  /** The value with sample system variables; undefined when unknown or in error. */
  const value = (text: string, line: number, column: number, quoted = false): string | undefined => {
    if (quoted) {
      return text;
    }
    const v = evaluateLine(text, line, column, scope, SAMPLES, memo);
    return typeof v === 'string' ? v : undefined;
  };

  for (const d of file.variables) {
    refs(d.value, d.line, d.valueSpan.start, d.line);
    // A value that expands past the payload limit is said at the definition where it does.
    const v = evaluateLine(d.value, d.line, d.valueSpan.start, scope, SAMPLES, memo);
    if (isEvalError(v) && v.code === 'expansion-too-large' && v.line === d.line) {
      add(v.line, v.start, v.end, 'error', v.code, v.message);
    }
  }

  const byName = new Map(context.connections.map((c) => [c.name, c]));
  for (const b of file.blocks) {
    const req = b.requestLine;
    const lastHeader = (name: string): MessageHeader | undefined => {
      let found: MessageHeader | undefined;
      for (const h of b.headers) {
        if (h.canonical === name) {
          found = h;
        }
      }
      return found;
    };
    const headerValue = (name: string) => {
      const h = lastHeader(name);
      return h ? value(h.value, h.line, h.valueSpan.start) : undefined;
    };

    // Variables used by the block
    if (!b.connection.quoted) {
      refs(b.connection.name, req, b.connection.span.start, req, b);
    }
    if (!b.target.quoted) {
      refs(b.target.text, req, b.target.span.start, req, b);
    }
    for (const h of b.headers) {
      refs(h.value, h.line, h.valueSpan.start, req, b);
    }
    if (b.body?.kind === 'inline') {
      const startLine = b.body.startLine;
      b.body.text.split('\n').forEach((l, k) => refs(l, startLine + k, 0, req, b));
    } else if (b.body?.kind === 'file') {
      refs(b.body.path, b.body.line, b.body.span.start, req, b);
    }

    // Captures that come through a variable: the order is the using block's business.
    for (const r of captureRefs(file, b, scope)) {
      const cp = r.via !== undefined ? captureProblem(file, r.part, b) : undefined;
      if (cp?.code === 'capture-order') {
        add(r.line, r.start, r.end, 'error', cp.code, l10n.t('{0} (through the variable "{1}")', cp.message, r.via!));
      }
    }

    // Connection
    const conn = value(b.connection.name, req, b.connection.span.start, b.connection.quoted);
    const { start: cs, end: ce } = b.connection.span;
    if (conn !== undefined && (conn !== '' || b.connection.quoted)) {
      const found = byName.get(conn);
      if (!found) {
        const sameCase = context.connections.find((c) => c.name.toLowerCase() === conn.toLowerCase());
        const s = sameCase?.name ?? closest(conn, context.connections.filter((c) => c.kind === b.scheme).map((c) => c.name)) ?? closest(conn, context.connections.map((c) => c.name));
        const host = looksLikeHost(conn) ? l10n.t(' "{0}" looks like a host: the URL names a connection of the Brokers view, never a host.', conn) : '';
        const known = context.connections.length === 0 ? l10n.t(' There are no connections yet: add one in the Brokers view.') : '';
        const meant = s ? (sameCase ? l10n.t(' — did you mean "{0}"? (names are case-sensitive)', s) : l10n.t(' — did you mean "{0}"?', s)) : '';
        add(req, cs, ce, 'error', 'unknown-connection', l10n.t('Unknown connection "{0}"{1}.{2}{3}', conn, meant, host, known), s);
      } else if (found.kind !== b.scheme) {
        add(req, 0, cs, 'error', 'wrong-kind', l10n.t('"{0}" is an {1} connection: write {2}://', conn, found.kind.toUpperCase(), found.kind), found.kind);
      } else if (found.kind === 'amqp' && found.vhost !== undefined) {
        const h = lastHeader('Vhost');
        const v = h ? value(h.value, h.line, h.valueSpan.start) : undefined;
        if (h && v !== undefined && v !== found.vhost) {
          add(h.line, h.valueSpan.start, h.valueSpan.end, 'error', 'vhost-mismatch', l10n.t('"{0}" is connected to vhost "{1}", not "{2}": use a connection to "{2}", or change Vhost', conn, found.vhost, v), found.vhost);
        }
      }
    }

    // Expectations: their variables and connections, like the request line's.
    for (const e of b.expectations) {
      if (!e.connection.quoted) {
        refs(e.connection.name, e.line, e.connection.span.start, req, b);
      }
      if (!e.target.quoted) {
        refs(e.target.text, e.line, e.target.span.start, req, b);
      }
      for (const h of e.headers) {
        refs(h.value, h.line, h.valueSpan.start, req, b);
      }
      if (e.body) {
        const startLine = e.body.startLine;
        e.body.text.split('\n').forEach((l, k) => refs(l, startLine + k, 0, req, b));
      }
      const name = value(e.connection.name, e.line, e.connection.span.start, e.connection.quoted);
      if (name !== undefined && name !== '') {
        const found = byName.get(name);
        if (!found) {
          const s = closest(name, context.connections.filter((c) => c.kind === e.scheme).map((c) => c.name));
          add(e.line, e.connection.span.start, e.connection.span.end, 'error', 'unknown-connection', s ? l10n.t('Unknown connection "{0}" — did you mean "{1}"?', name, s) : l10n.t('Unknown connection "{0}"', name), s);
        } else if (found.kind !== e.scheme) {
          add(e.line, 0, e.connection.span.start, 'error', 'wrong-kind', l10n.t('"{0}" is an {1} connection: write {2}://', name, found.kind.toUpperCase(), found.kind), found.kind);
        }
      }
    }

    // Target
    const target = value(b.target.text, req, b.target.span.start, b.target.quoted);
    const { start: ts, end: te } = b.target.span;
    if (target !== undefined && !b.target.missing) {
      if (b.scheme === 'mqtt' && b.verb === 'PUBLISH') {
        if (/[+#]/.test(target)) {
          add(req, ts, te, 'error', 'wildcard-in-topic', l10n.t('The topic "{0}" contains a wildcard (+ or #): wildcards are for SUBSCRIBE; publish to one exact topic', target));
        } else if (target.includes('\u0000')) {
          add(req, ts, te, 'error', 'bad-topic', l10n.t('The topic contains a NUL character, which MQTT does not allow'));
        }
      } else if (b.scheme === 'mqtt' && target !== '') {
        const problem = validateFilter(target);
        if (problem) {
          add(req, ts, te, 'error', 'invalid-filter', problem);
        }
      } else if (b.scheme === 'amqp' && b.verb === 'PUBLISH' && target === '') {
        const rk = headerValue('Routing-Key');
        if (!lastHeader('Routing-Key') || rk === '') {
          add(req, ts, te, 'error', 'missing-routing-key', l10n.t('The default exchange delivers to the queue named by the routing key: add Routing-Key: QUEUE'));
        }
      }
    }

    // Header values that hold variables (literal ones were checked by the parser)
    for (const h of b.headers) {
      const info = h.canonical ? findHeader(h.canonical) : undefined;
      if (!info || !info.kinds.includes(b.scheme) || !info.verbs.includes(b.verb)) {
        continue;
      }
      const v = h.value.includes('{{') ? value(h.value, h.line, h.valueSpan.start) : undefined;
      if (v !== undefined) {
        const r = parseHeaderValue(info, v);
        if (!r.ok) {
          add(h.line, h.valueSpan.start, h.valueSpan.end, 'error', info.type === 'qos' ? 'bad-qos' : info.type === 'boolean' ? 'bad-boolean' : 'bad-value', l10n.t('{0} (after substituting variables)', r.error));
        }
      }
      if (info.name === 'Response-Topic') {
        const rt = value(h.value, h.line, h.valueSpan.start);
        if (rt !== undefined && /[+#]/.test(rt)) {
          add(h.line, h.valueSpan.start, h.valueSpan.end, 'error', 'wildcard-in-topic', l10n.t('Response-Topic "{0}" contains a wildcard (+ or #): it must be one exact topic', rt));
        }
      }
    }
    const interval = lastHeader('Interval');
    if (interval && b.verb === 'PUBLISH') {
      const repeat = headerValue('Repeat');
      if (!lastHeader('Repeat') || repeat === '1') {
        add(interval.line, interval.nameSpan.start, interval.valueSpan.end, 'info', 'interval-without-repeat', l10n.t('Interval has no effect without Repeat: N (N > 1)'));
      }
    }

    // Encoding: the codecs and their order; a structured codec reads the body as JSON.
    const enc = lastHeader('Encoding');
    let encodesBodyAsJson = false;
    if (enc && b.verb === 'PUBLISH') {
      const v = value(enc.value, enc.line, enc.valueSpan.start);
      if (v !== undefined) {
        const parsed = parseEncoding(v);
        if (!parsed.ok) {
          add(enc.line, enc.valueSpan.start, enc.valueSpan.end, 'error', 'bad-encoding', parsed.error);
        } else {
          encodesBodyAsJson = encodesJson(parsed.steps);
        }
      }
    }

    // JSON body
    const ct = headerValue('Content-Type');
    if (b.verb === 'PUBLISH' && b.body?.kind === 'inline' && ((ct !== undefined && isJsonContentType(ct)) || encodesBodyAsJson)) {
      checkJson(b, ct ?? '', encodesBodyAsJson ? enc?.value.trim() : undefined);
    }
  }

  /**
   * The body is checked as JSON after substituting the variables' values (system variables get
   * samples: a number for $timestamp and $randomInt, a UUID or date for $uuid and $isoTimestamp);
   * a value that cannot be known ($env) counts as "x" inside a JSON string and as 0 outside.
   * Bodies with unresolved variables are not checked (that is reported already).
   */
  function checkJson(b: MessageBlock, contentType: string, encoding?: string) {
    if (b.body?.kind !== 'inline') {
      return;
    }
    const lines = b.body.text.split('\n');
    let out = '';
    let inString = false;
    let escape = false;
    const feed = (chunk: string) => {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (inString) {
          if (escape) {
            escape = false;
          } else if (c === 92) {
            escape = true;
          } else if (c === 34) {
            inString = false;
          }
        } else if (c === 34) {
          inString = true;
        }
      }
    };
    /** Per output segment: where it starts in `out` and where it came from. */
    const map: { out: number; line: number; col: number; len: number; whole: boolean; end: number }[] = [];
    for (let k = 0; k < lines.length; k++) {
      const line = b.body.startLine + k;
      const text = lines[k]!;
      const parts = text.includes('{{') ? scanTemplate(text) : [{ kind: 'text' as const, text, start: 0, end: text.length }];
      for (const p of parts) {
        let v: string;
        if (p.kind === 'text') {
          v = p.text;
        } else {
          const r = evaluatePart(p, line, 0, scope, SAMPLES, memo);
          if (isEvalError(r)) {
            return;
          }
          v = r === UNKNOWN ? (inString ? 'x' : '0') : r;
        }
        map.push({ out: out.length, line, col: p.start, len: v.length, whole: p.kind !== 'text' || v.length !== p.end - p.start, end: p.end });
        out += v;
        feed(v);
      }
      if (k < lines.length - 1) {
        map.push({ out: out.length, line, col: text.length, len: 1, whole: true, end: text.length });
        out += '\n';
        feed('\n');
      }
    }
    try {
      JSON.parse(out);
      return;
    } catch {
      // find where below
    }
    const err = findJsonError(out) ?? { pos: 0, message: l10n.t('The JSON could not be read') };
    let seg = map[0];
    for (const m of map) {
      if (m.out <= err.pos) {
        seg = m;
      } else {
        break;
      }
    }
    const line = seg?.line ?? b.body.startLine;
    const start = seg ? (seg.whole ? seg.col : seg.col + Math.min(err.pos - seg.out, seg.len)) : 0;
    const end = seg ? (seg.whole ? Math.max(seg.end, start + 1) : start + 1) : 1;
    add(line, start, end, 'error', 'invalid-json', encoding !== undefined ? l10n.t('Invalid JSON (Encoding: {0} encodes the JSON body): {1}', encoding, err.message) : l10n.t('Invalid JSON (Content-Type is {0}): {1}', contentType.trim(), err.message));
  }
}
