/**
 * Captures (`{{login.response.$.token}}`): a later block of a message file uses a value of what an
 * earlier block's expectation received. Here: finding the captures a block uses (through variables
 * too), the blocks that must run before it, the problems shown as you type, and reading the value
 * from the captured message. Pure: no `vscode`, no network. docs/message-files.md, "Captures".
 */
import * as l10n from '@vscode/l10n';
import { jsonpath } from 'json-p3';
import { closest } from './catalog';
import { pathProblem } from './expect';
import { scanTemplate, Scope, type TemplatePart } from './template';
import type { MessageBlock, MessageFile, Severity } from './types';

export type CapturePart = Extract<TemplatePart, { kind: 'capture' }>;

/** The message a block's expectation captured: the first that matched its first `EXPECT` (not NONE). */
export interface CapturedMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
}

/** What a block left for the blocks after it in this run. */
export interface BlockCapture {
  readonly outcome: 'passed' | 'failed' | 'errored' | 'cancelled';
  /** Undefined when nothing matched (or the block could not run). */
  readonly message?: CapturedMessage;
}

/** A capture used by a block: where it is written in the block, and the variable it comes through. */
export interface CaptureRef {
  readonly part: CapturePart;
  readonly line: number;
  /** Columns of the `{{…}}` in the block: the capture itself, or the `{{variable}}` it comes through. */
  readonly start: number;
  readonly end: number;
  /** Set when the capture is in the value of this variable (or one it uses). */
  readonly via?: string;
}

/** The first block named `name` (`### name`), as the Test Explorer takes the first of two of the same name. */
export function findNamedBlock(file: MessageFile, name: string): MessageBlock | undefined {
  return file.blocks.find((b) => b.name === name);
}

/** The expectation whose first matching message a block's captures read: its first that is not `EXPECT NONE`. */
export function captureExpectationIndex(block: MessageBlock): number {
  return block.expectations.findIndex((e) => !e.none);
}

/** Each line of template text a block uses, with its position: request line, headers, body, expectations. */
function blockTexts(block: MessageBlock): { text: string; line: number; column: number }[] {
  const out: { text: string; line: number; column: number }[] = [];
  const req = block.requestLine;
  if (!block.connection.quoted) {
    out.push({ text: block.connection.name, line: req, column: block.connection.span.start });
  }
  if (!block.target.quoted && !block.target.missing) {
    out.push({ text: block.target.text, line: req, column: block.target.span.start });
  }
  for (const h of block.headers) {
    out.push({ text: h.value, line: h.line, column: h.valueSpan.start });
  }
  if (block.body?.kind === 'inline') {
    const start = block.body.startLine;
    block.body.text.split('\n').forEach((text, k) => out.push({ text, line: start + k, column: 0 }));
  } else if (block.body?.kind === 'file') {
    out.push({ text: block.body.path, line: block.body.line, column: block.body.span.start });
  }
  for (const e of block.expectations) {
    if (!e.connection.quoted) {
      out.push({ text: e.connection.name, line: e.line, column: e.connection.span.start });
    }
    if (!e.target.quoted && !e.target.missing) {
      out.push({ text: e.target.text, line: e.line, column: e.target.span.start });
    }
    for (const h of e.headers) {
      out.push({ text: h.value, line: h.line, column: h.valueSpan.start });
    }
    if (e.body) {
      const start = e.body.startLine;
      e.body.text.split('\n').forEach((text, k) => out.push({ text, line: start + k, column: 0 }));
    }
  }
  return out.filter((t) => t.text.includes('{{'));
}

/** The captures `block` uses, written in it or in the values of the variables it uses (and theirs). */
export function captureRefs(file: MessageFile, block: MessageBlock, scope: Scope = new Scope(file.variables)): CaptureRef[] {
  const out: CaptureRef[] = [];
  const inVariable = (name: string, line: number, seen: Set<string>): CapturePart[] => {
    const def = scope.lookup(name, line);
    if (!def || seen.has(`${def.name}@${def.line}`)) {
      return [];
    }
    seen.add(`${def.name}@${def.line}`);
    return scanTemplate(def.value).flatMap((p) => (p.kind === 'capture' ? [p] : p.kind === 'var' ? inVariable(p.name, def.line, seen) : []));
  };
  for (const t of blockTexts(block)) {
    for (const p of scanTemplate(t.text)) {
      if (p.kind === 'capture') {
        out.push({ part: p, line: t.line, start: t.column + p.start, end: t.column + p.end });
      } else if (p.kind === 'var') {
        for (const c of inVariable(p.name, block.requestLine, new Set())) {
          out.push({ part: c, line: t.line, start: t.column + p.start, end: t.column + p.end, via: p.name });
        }
      }
    }
  }
  return out;
}

/**
 * Why a capture cannot work, in words (undefined when it can): no block of that name, a block with
 * no expectation to capture from, a JSON path that does not compile, or — when `user` is given —
 * a block that does not come before `user` in the file (blocks run in file order).
 */
export function captureProblem(file: MessageFile, part: CapturePart, user?: MessageBlock): { code: string; message: string; severity: Severity; suggestion?: string } | undefined {
  const source = findNamedBlock(file, part.block);
  if (!source) {
    const names = file.blocks.flatMap((b) => (b.name !== undefined && b.expectations.length ? [b.name] : []));
    const s = closest(part.block, names);
    return {
      code: 'unknown-capture',
      severity: 'error',
      message: s
        ? l10n.t('No block is named "{0}" — did you mean "{1}"? A capture reads what a block named by its ### line received', part.block, s)
        : l10n.t('No block is named "{0}": name the block whose response you capture with a ### {0} line', part.block),
      ...(s !== undefined ? { suggestion: s } : {}),
    };
  }
  if (captureExpectationIndex(source) < 0) {
    return {
      code: 'capture-without-expect',
      severity: 'error',
      message: source.expectations.length
        ? l10n.t('Block "{0}" only has EXPECT NONE: there is no message to capture', part.block)
        : l10n.t('Block "{0}" has no EXPECT: a capture reads the first message its expectation receives; add an EXPECT to it', part.block),
    };
  }
  if (part.field.kind === 'path') {
    const bad = pathProblem(part.field.path);
    if (bad) {
      return { code: 'bad-capture', severity: 'error', message: bad };
    }
  }
  if (user && source.range.startLine >= user.range.startLine) {
    return {
      code: 'capture-order',
      severity: 'error',
      message:
        source === user
          ? l10n.t('A block cannot capture its own response: "{0}" is this block', part.block)
          : l10n.t('Block "{0}" comes later in the file (line {1}): blocks run in file order, so capture only from a block above this one', part.block, source.requestLine + 1),
    };
  }
  return undefined;
}

/**
 * The blocks that must run before `block` for its captures, in file order, with theirs (a block
 * that captures from a block that captures…). Captures that cannot work (see captureProblem) are
 * left out: evaluating them says why.
 */
export function captureDependencies(file: MessageFile, block: MessageBlock): MessageBlock[] {
  const scope = new Scope(file.variables);
  const needed = new Set<MessageBlock>();
  const visit = (b: MessageBlock) => {
    for (const r of captureRefs(file, b, scope)) {
      const source = findNamedBlock(file, r.part.block);
      if (source && !needed.has(source) && !captureProblem(file, r.part, b)) {
        needed.add(source);
        visit(source);
      }
    }
  };
  visit(block);
  return file.blocks.filter((b) => needed.has(b));
}

/** True when the block uses any capture (directly or through variables). */
export function usesCaptures(file: MessageFile, block: MessageBlock): boolean {
  return captureRefs(file, block).length > 0;
}

const utf8 = new TextDecoder('utf-8');

/** The text a capture puts in place: a string as it is, any other JSON value as JSON. */
function asText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Reads a capture from this run's captures (by block name). An error in words when the block has
 * not run in this run, captured nothing, or the path does not select exactly one value.
 */
export function evaluateCapture(part: CapturePart, captures: ReadonlyMap<string, BlockCapture>): string | { code: string; message: string } {
  const c = captures.get(part.block);
  if (!c) {
    return { code: 'capture-not-run', message: l10n.t('Block "{0}" has not run in this run, so its response cannot be captured: run the file, or Run Test on this block (it runs "{0}" first)', part.block) };
  }
  if (!c.message) {
    return { code: 'capture-empty', message: l10n.t('Block "{0}" captured no message (its test {1}): nothing matched its first EXPECT', part.block, c.outcome) };
  }
  const text = utf8.decode(c.message.payload);
  switch (part.field.kind) {
    case 'body':
      return text;
    case 'topic':
      return c.message.topic;
    case 'path': {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return { code: 'capture-not-json', message: l10n.t('The response of "{0}" is not JSON, so {1} cannot be read from it', part.block, part.field.path) };
      }
      let values: unknown[];
      try {
        values = jsonpath.query(part.field.path, doc as never).values();
      } catch (e) {
        return { code: 'bad-capture', message: e instanceof Error ? e.message : String(e) };
      }
      if (values.length !== 1) {
        return {
          code: 'capture-not-one',
          message: values.length
            ? l10n.t('{0} selects {1} values in the response of "{2}": a capture needs exactly one', part.field.path, values.length, part.block)
            : l10n.t('{0} selects nothing in the response of "{1}"', part.field.path, part.block),
        };
      }
      return asText(values[0]);
    }
  }
}
