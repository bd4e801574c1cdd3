/** `{{…}}` references: scanning one line of text, and evaluating it against the file's variables. */
import * as l10n from '@vscode/l10n';
import { closest, findSystemVariable, SYSTEM_VARIABLES } from './catalog';
import type { VariableDef } from './types';
import { formatMegabytes } from '../format/bytes';

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number }
  /** `{{name}}`: a file variable. */
  | { readonly kind: 'var'; readonly name: string; readonly start: number; readonly end: number }
  /** `{{$name args}}`: a system variable (name with the `$`, as written). */
  | { readonly kind: 'system'; readonly name: string; readonly args: readonly string[]; readonly start: number; readonly end: number }
  /** `{{login.response.$.token}}`: a value of what block `login`'s expectation received (docs/message-files.md, Captures). */
  | { readonly kind: 'capture'; readonly block: string; readonly field: CaptureField; readonly start: number; readonly end: number }
  | { readonly kind: 'bad'; readonly code: string; readonly message: string; readonly start: number; readonly end: number };

const VAR_NAME = /^[A-Za-z_][\w.-]*$/;
/** `NAME.response…`: the shortest name before `.response` (block names may contain dots). */
const CAPTURE = /^([A-Za-z_][\w.-]*?)\.response(?:\.(.*))?$/s;

/** What a capture reads from the message: its payload text, its topic (AMQP: routing key) or a JSON path's value. */
export type CaptureField = { readonly kind: 'body' } | { readonly kind: 'topic' } | { readonly kind: 'path'; readonly path: string };

/** `{{NAME.response.FIELD}}`: the capture, a sentence saying how to write it, or undefined when it is no capture. */
export function parseCapture(inner: string): { block: string; field: CaptureField } | string | undefined {
  const m = CAPTURE.exec(inner);
  if (!m) {
    return undefined;
  }
  const rest = (m[2] ?? '').trim();
  const field: CaptureField | undefined = rest === 'body' ? { kind: 'body' } : rest === 'topic' ? { kind: 'topic' } : rest.startsWith('$') ? { kind: 'path', path: rest } : undefined;
  return field ? { block: m[1]!, field } : l10n.t('A capture reads {0}.response.body (the payload), {0}.response.topic or {0}.response.$.path (a JSON path), not "{1}"', m[1]!, inner);
}

/**
 * The parts of one line. `\{{` is a literal `{{`; any other `{{` starts a reference that must
 * close with `}}` on the same line.
 */
export function scanTemplate(text: string): TemplatePart[] {
  let open = text.indexOf('{{');
  if (open < 0) {
    return [{ kind: 'text', text, start: 0, end: text.length }];
  }
  const parts: TemplatePart[] = [];
  let literal = '';
  let literalStart = 0;
  let i = 0;
  const flush = (end: number) => {
    if (literal !== '') {
      parts.push({ kind: 'text', text: literal, start: literalStart, end });
    }
    literal = '';
  };
  while (open >= 0) {
    if (open > 0 && text.charCodeAt(open - 1) === 92) {
      // \{{ → {{
      literal += text.slice(i, open - 1) + '{{';
      i = open + 2;
      open = text.indexOf('{{', i);
      continue;
    }
    literal += text.slice(i, open);
    flush(open);
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      parts.push({ kind: 'bad', code: 'unclosed-variable', message: l10n.t('"{{" is not closed by "}}" on this line (write \\{{ for a literal "{{")'), start: open, end: text.length });
      i = text.length;
      literalStart = i;
      break;
    }
    const end = close + 2;
    const inner = text.slice(open + 2, close).trim();
    const capture = inner.startsWith('$') ? undefined : parseCapture(inner);
    if (typeof capture === 'string') {
      parts.push({ kind: 'bad', code: 'bad-capture', message: capture, start: open, end });
    } else if (capture) {
      parts.push({ kind: 'capture', block: capture.block, field: capture.field, start: open, end });
    } else if (inner.startsWith('$')) {
      const words = inner.split(/\s+/);
      parts.push({ kind: 'system', name: words[0]!, args: words.slice(1), start: open, end });
    } else if (VAR_NAME.test(inner)) {
      parts.push({ kind: 'var', name: inner, start: open, end });
    } else {
      parts.push({
        kind: 'bad',
        code: 'bad-variable',
        message:
          inner === ''
            ? l10n.t('Empty {{}}: write a variable name, e.g. {{temp}}, or a system variable such as {{$uuid}}')
            : l10n.t('"{0}" is not a variable name: names start with a letter or _ and contain letters, digits, _ . and -; system variables start with $', inner),
        start: open,
        end,
      });
    }
    i = end;
    literalStart = i;
    open = text.indexOf('{{', i);
  }
  literal += text.slice(i);
  flush(text.length);
  return parts;
}

/** True when the text contains a `{{` reference (escaped ones included). */
export const hasTemplate = (text: string): boolean => text.includes('{{');

export interface EvalError {
  readonly message: string;
  readonly code: string;
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** A value the static checker cannot know (e.g. `{{$env X}}`). */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type EvalResult = string | EvalError | typeof UNKNOWN;
export const isEvalError = (r: unknown): r is EvalError => typeof r === 'object' && r !== null && 'message' in r;

/** Checks the arguments of a system variable; returns an error sentence or undefined. */
export function systemVariableProblem(name: string, args: readonly string[]): { code: string; message: string; suggestion?: string } | undefined {
  const info = findSystemVariable(name);
  if (!info) {
    const s = closest(name, SYSTEM_VARIABLES.map((v) => v.name));
    return {
      code: 'unknown-system-variable',
      message: s
        ? l10n.t('Unknown system variable {0} — did you mean {1}? (known: {2})', name, s, SYSTEM_VARIABLES.map((v) => v.name).join(', '))
        : l10n.t('Unknown system variable {0} (known: {1})', name, SYSTEM_VARIABLES.map((v) => v.name).join(', ')),
      ...(s ? { suggestion: s } : {}),
    };
  }
  if (info.name === '$randomInt') {
    const [a, b] = args;
    if (args.length !== 2 || !/^-?\d+$/.test(a ?? '') || !/^-?\d+$/.test(b ?? '')) {
      return { code: 'bad-system-variable', message: l10n.t('$randomInt needs two whole numbers: {{$randomInt MIN MAX}} (MIN included, MAX excluded)') };
    }
    const min = Number(a);
    const max = Number(b);
    if (!(max > min) || !Number.isSafeInteger(min) || !Number.isSafeInteger(max)) {
      return { code: 'bad-system-variable', message: l10n.t('$randomInt {0} {1}: MAX must be greater than MIN (MAX is excluded)', String(a), String(b)) };
    }
    return undefined;
  }
  if (info.name === '$env') {
    return args.length === 1 && args[0] !== '' ? undefined : { code: 'bad-system-variable', message: l10n.t('$env needs the name of one environment variable: {{$env NAME}}') };
  }
  return args.length === 0 ? undefined : { code: 'bad-system-variable', message: l10n.t('{0} takes no arguments', info.name) };
}

/** Variable definitions by name, in line order, for "the latest definition above line L". */
export class Scope {
  private readonly byName = new Map<string, VariableDef[]>();

  constructor(defs: readonly VariableDef[]) {
    for (const d of defs) {
      const list = this.byName.get(d.name);
      if (list) {
        list.push(d);
      } else {
        this.byName.set(d.name, [d]);
      }
    }
  }

  /** The definition of `name` in force at `line` (the last one above it). */
  lookup(name: string, line: number): VariableDef | undefined {
    const list = this.byName.get(name);
    let found: VariableDef | undefined;
    if (list) {
      for (const d of list) {
        if (d.line < line) {
          found = d;
        } else {
          break;
        }
      }
    }
    return found;
  }

  /** The first definition below `line`, for "defined below" hints. */
  later(name: string, line: number): VariableDef | undefined {
    return this.byName.get(name)?.find((d) => d.line >= line);
  }

  names(line: number): string[] {
    return [...this.byName.entries()].filter(([, l]) => l[0]!.line < line).map(([n]) => n);
  }
}

/** The default of brokerExplorer.limits.payloadMegabytes: the largest payload published, read from a file or expanded from variables. */
export const DEFAULT_PAYLOAD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * What evaluating one file's templates shares: each definition's value, computed once, and the
 * most characters a value may expand to (24 lines of `@aN = {{aN-1}}{{aN-1}}` would otherwise
 * build 2^24 times the first value).
 */
export class Expansion {
  readonly values = new Map<VariableDef, EvalResult>();
  /** The value of a capture in this run; without it (the static check) a capture is UNKNOWN. */
  constructor(
    readonly maxChars: number = DEFAULT_PAYLOAD_LIMIT_BYTES,
    readonly capture?: (part: Extract<TemplatePart, { kind: 'capture' }>) => string | { message: string; code: string },
  ) {}
}

export type SystemEvaluator = (name: string, args: readonly string[]) => string | typeof UNKNOWN | { message: string; code: string };

/** Message for a reference to a variable not in force at `line`. */
export function unresolvedMessage(scope: Scope, name: string, line: number): { message: string; suggestion?: string } {
  const later = scope.later(name, line);
  if (later) {
    return { message: l10n.t('Variable "{0}" is defined below (line {1}): a definition applies to the lines after it; move it up', name, later.line + 1) };
  }
  const s = closest(name, scope.names(line));
  return {
    message: s
      ? l10n.t('Unresolved variable "{0}": define it with @{0} = value above this line — or did you mean "{1}"?', name, s)
      : l10n.t('Unresolved variable "{0}": define it with @{0} = value above this line', name),
    ...(s ? { suggestion: s } : {}),
  };
}

/** The value of one reference part (`var` or `system`; text parts are their text). */
export function evaluatePart(part: TemplatePart, line: number, column: number, scope: Scope, system: SystemEvaluator, memo: Expansion): EvalResult {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'bad':
      return { message: part.message, code: part.code, line, start: column + part.start, end: column + part.end };
    case 'system': {
      const problem = systemVariableProblem(part.name, part.args);
      if (problem) {
        return { code: problem.code, message: problem.message, line, start: column + part.start, end: column + part.end };
      }
      const v = system(findSystemVariable(part.name)!.name, part.args);
      return typeof v === 'object' ? { ...v, line, start: column + part.start, end: column + part.end } : v;
    }
    case 'capture': {
      if (!memo.capture) {
        return UNKNOWN;
      }
      const v = memo.capture(part);
      return typeof v === 'object' ? { ...v, line, start: column + part.start, end: column + part.end } : v;
    }
    case 'var': {
      const def = scope.lookup(part.name, line);
      if (!def) {
        return { message: unresolvedMessage(scope, part.name, line).message, code: 'unresolved-variable', line, start: column + part.start, end: column + part.end };
      }
      let v = memo.values.get(def);
      if (v === undefined) {
        v = evaluateLine(def.value, def.line, def.valueSpan.start, scope, system, memo);
        memo.values.set(def, v);
      }
      return v;
    }
  }
}

/**
 * Evaluates one line of template text. `line`/`column` place errors; variables resolve to the
 * definition in force at `line` (each definition is evaluated once per `memo`). UNKNOWN when a
 * part is unknown (static checks only).
 */
export function evaluateLine(text: string, line: number, column: number, scope: Scope, system: SystemEvaluator, memo: Expansion): EvalResult {
  if (!text.includes('{{')) {
    return text;
  }
  let out = '';
  let unknown = false;
  for (const part of scanTemplate(text)) {
    const v = evaluatePart(part, line, column, scope, system, memo);
    if (isEvalError(v)) {
      return v;
    }
    if (v === UNKNOWN) {
      unknown = true;
    } else {
      out += v;
      if (out.length > memo.maxChars) {
        // Said where it happens (the reference that passes the limit); the definitions that use it get the same error.
        return {
          code: 'expansion-too-large',
          message: l10n.t('The variables here expand to more than {0} MB, the limit of brokerExplorer.limits.payloadMegabytes: nothing with this value is sent', formatMegabytes(memo.maxChars)),
          line,
          start: column + part.start,
          end: column + part.end,
        };
      }
    }
  }
  return unknown ? UNKNOWN : out;
}
