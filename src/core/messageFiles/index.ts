/** Message files: parse, check, resolve. See docs/message-files.md for the format. */
import { assertionPathEnd } from './expect';
import type { Expectation, MessageBlock, MessageFile, MessageKind, VariableDef } from './types';

export * from './types';
export { parseMessageFile, splitLines } from './parser';
export { checkMessageFile } from './check';
export { resolveBlock, resolvePath } from './resolve';
export { formatTargetUrl, parseTargetUrl, type ParsedUrl } from './url';
export { HEADER_NAMES, SYSTEM_VARIABLES, findHeader, findSystemVariable, isJsonContentType, parseDuration, type HeaderInfo, type SystemVariableInfo } from './catalog';
export { scanTemplate, type TemplatePart } from './template';

/** The block whose range holds `line`, if any (for "which message is the cursor in"). */
export function blockAt(file: MessageFile, line: number): MessageBlock | undefined {
  return file.blocks.find((b) => line >= b.range.startLine && line <= b.range.endLine);
}

/** The variables in force at `line` (the last definition above it of each name), for completion. */
export function variablesAt(file: MessageFile, line: number): VariableDef[] {
  const byName = new Map<string, VariableDef>();
  for (const d of file.variables) {
    if (d.line < line) {
      byName.set(d.name, d);
    }
  }
  return [...byName.values()];
}

export type CompletionContext =
  /** Inside `{{…` (not closed before the cursor): offer variables in force and system variables. */
  | { readonly kind: 'variable'; readonly prefix: string; readonly start: number }
  /** The request line, before the URL's "://": offer PUBLISH / SUBSCRIBE and schemes. */
  | { readonly kind: 'verb'; readonly prefix: string; readonly start: number }
  /** Connection name after "mqtt://": offer connections of that kind (format with formatTargetUrl). */
  | { readonly kind: 'connection'; readonly scheme: MessageKind; readonly prefix: string; readonly start: number }
  /** After "mqtt://CONNECTION/": offer topics seen on the broker / exchanges. */
  | { readonly kind: 'target'; readonly scheme: MessageKind; readonly connection: string; readonly prefix: string; readonly start: number }
  /** A header name in a block's header lines. */
  | { readonly kind: 'headerName'; readonly scheme: MessageKind; readonly block: MessageBlock; readonly prefix: string; readonly start: number }
  /** A header value (after "Name:"). */
  | { readonly kind: 'headerValue'; readonly scheme: MessageKind; readonly header: string; readonly prefix: string; readonly start: number }
  /** A header name in an EXPECT section's header lines. */
  | { readonly kind: 'expectHeaderName'; readonly expectation: Expectation; readonly prefix: string; readonly start: number }
  /** An EXPECT header's value (after "Name:"), other than an Assert path. */
  | { readonly kind: 'expectHeaderValue'; readonly expectation: Expectation; readonly header: string; readonly prefix: string; readonly start: number }
  /** The JSON path of an `Assert:` line (before its operator): offer the paths of the last message seen on the EXPECT's topic. */
  | { readonly kind: 'jsonPath'; readonly expectation: Expectation; readonly prefix: string; readonly start: number };

/** The completion context on an EXPECT section's header lines, if `line` is one. */
function expectContextAt(block: MessageBlock, before: string, line: number, character: number): CompletionContext | undefined {
  const e = block.expectations.find((x) => line > x.line && line <= x.range.endLine + 1 && (!x.body || line < x.body.startLine));
  if (!e || (line === e.range.endLine + 1 && block.expectations.some((x) => x.line === line))) {
    return undefined;
  }
  const colon = before.indexOf(':');
  if (colon < 0) {
    const w = before.trimStart();
    return { kind: 'expectHeaderName', expectation: e, prefix: w, start: character - w.length };
  }
  const header = before.slice(0, colon).trim();
  const value = before.slice(colon + 1).trimStart();
  if (header.toLowerCase() === 'assert') {
    const path = value.replace(/^(?:not\s+)?exists\s+/i, '');
    if ((path === '' || path.startsWith('$')) && assertionPathEnd(path, true) < 0) {
      return { kind: 'jsonPath', expectation: e, prefix: path, start: character - path.length };
    }
    return undefined;
  }
  return { kind: 'expectHeaderValue', expectation: e, header, prefix: value, start: character - value.length };
}

/**
 * What to complete at (`line`, `character`) of a parsed file; `lineText` is that line's text.
 * `start` is the column where the replaced word begins.
 */
export function completionContextAt(file: MessageFile, lineText: string, line: number, character: number): CompletionContext | undefined {
  const before = lineText.slice(0, character);
  const open = before.lastIndexOf('{{');
  if (open >= 0 && before.indexOf('}}', open) < 0 && before.charCodeAt(open - 1) !== 92) {
    return { kind: 'variable', prefix: before.slice(open + 2).trimStart(), start: open + 2 + (before.slice(open + 2).length - before.slice(open + 2).trimStart().length) };
  }
  const block = blockAt(file, line);
  if (block && line === block.requestLine) {
    const m = /^(\s*\S*\s+)?(mqtt|amqp):\/\//i.exec(before);
    if (!m) {
      const w = /\S*$/.exec(before)![0];
      return { kind: 'verb', prefix: w, start: character - w.length };
    }
    const { connection, target } = block;
    if (character <= connection.span.end || character < target.span.start) {
      const start = connection.span.start;
      return { kind: 'connection', scheme: block.scheme, prefix: lineText.slice(start, Math.max(start, character)), start };
    }
    return { kind: 'target', scheme: block.scheme, connection: connection.name, prefix: lineText.slice(target.span.start, character), start: target.span.start };
  }
  const expect = block && line > block.requestLine ? expectContextAt(block, before, line, character) : undefined;
  if (expect) {
    return expect;
  }
  if (block && line > block.requestLine) {
    const bodyLine = block.body ? (block.body.kind === 'inline' ? block.body.startLine : block.body.line) : Infinity;
    const lastHeader = block.headers.length ? block.headers[block.headers.length - 1]!.line : block.requestLine;
    const inHeaders = line < bodyLine && line <= lastHeader + 1;
    if (inHeaders) {
      const colon = before.indexOf(':');
      if (colon < 0) {
        const w = before.trimStart();
        return { kind: 'headerName', scheme: block.scheme, block, prefix: w, start: character - w.length };
      }
      const value = before.slice(colon + 1);
      const w = value.trimStart();
      return { kind: 'headerValue', scheme: block.scheme, header: before.slice(0, colon).trim(), prefix: w, start: character - w.length };
    }
  } else if (!block || line < block.requestLine) {
    if (!before.trimStart().startsWith('@') && !before.trimStart().startsWith('#') && !before.trimStart().startsWith('//')) {
      const w = /\S*$/.exec(before)![0];
      if (!/\s/.test(before.trim())) {
        return { kind: 'verb', prefix: w, start: character - w.length };
      }
    }
  }
  return undefined;
}
