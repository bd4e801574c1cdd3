// Editor assistance computed from a parsed config: what is under the cursor (hover), what can be
// typed there (completion), the outline and the listener a CodeLens connects to. Pure, no vscode.
import * as l10n from '@vscode/l10n';
import { CATALOG } from './catalog';
import { findOption } from './optionLookup';
import type { ConfLine, ConfSection, ConfToken, ListenerSection, OptionInfo, ParsedConf, Span } from './types';

export type Place =
  | { kind: 'name'; line: ConfLine; token: ConfToken }
  | { kind: 'arg'; line: ConfLine; option: OptionInfo | undefined; token: ConfToken; index: number };

function within(token: ConfToken, col: number): boolean {
  return col >= token.start && col <= token.end;
}

/** The option name or argument at (line, col), if any. */
export function placeAt(parsed: ParsedConf, line: number, col: number): Place | undefined {
  const l = parsed.lines[line];
  if (!l || l.kind !== 'option' || !l.name) {
    return undefined;
  }
  if (within(l.name, col)) {
    return { kind: 'name', line: l, token: l.name };
  }
  const index = l.args.findIndex((a) => within(a, col));
  const token = l.args[index];
  return token ? { kind: 'arg', line: l, option: findOption(l.name.text), token, index } : undefined;
}

function scopeLabel(info: OptionInfo): string {
  switch (info.scope) {
    case 'general':
      return l10n.t('general (applies to the whole broker)');
    case 'listener':
      return l10n.t('listener (applies to the listener above it)');
    case 'security':
      return l10n.t('security: general, or per listener when {0}', '`per_listener_settings true`');
    case 'bridge':
      return l10n.t('bridge (applies to the {0} above it)', '`connection`');
  }
}

/** Markdown for a hover: synopsis, documentation, default, scope, deprecation. */
export function optionMarkdown(info: OptionInfo): string {
  const parts = ['```\n' + info.syntax + '\n```', info.doc];
  const facts: string[] = [];
  if (info.values?.length) {
    facts.push(l10n.t('**Values:** {0}', info.values.map((v) => '`' + v + '`').join(', ')));
  }
  if (info.default) {
    facts.push(l10n.t('**Default:** {0}', info.default));
  }
  facts.push(l10n.t('**Scope:** {0}', scopeLabel(info)));
  if (info.repeatable) {
    facts.push(l10n.t('May appear more than once.'));
  }
  if (info.reloadable !== undefined) {
    facts.push(info.reloadable ? l10n.t('Applied when the configuration is reloaded (SIGHUP).') : l10n.t('Needs a broker restart to change.'));
  }
  parts.push(facts.join('  \n'));
  if (info.deprecated) {
    parts.push(l10n.t('**Deprecated:** {0}', info.deprecated));
  }
  return parts.join('\n\n');
}

export interface OptionCompletion {
  kind: 'option';
  /** Replace this span (the partial name typed so far; empty at the start of a line). */
  span: Span;
  /** Options, best first: those of the section the cursor is in come before general ones. */
  options: { info: OptionInfo; rank: number }[];
}

export interface ValueCompletion {
  kind: 'value';
  span: Span;
  option: OptionInfo;
  values: string[];
}

const BOOLEAN_VALUES = ['true', 'false'];

/** Index of the section (listener/bridge) that a line belongs to, by position. */
function sectionOfLine(parsed: ParsedConf, line: number): ConfSection | undefined {
  let found: ConfSection | undefined;
  for (const s of parsed.sections) {
    if (s.line <= line) {
      found = s;
    }
  }
  return found;
}

function rankFor(info: OptionInfo, section: ConfSection | undefined, perListener: boolean): number | undefined {
  const inBridge = section?.kind === 'bridge';
  const inListener = section?.kind === 'listener' && !section.defaultListener;
  switch (info.scope) {
    case 'bridge':
      return inBridge ? 0 : undefined; // bridge options outside a `connection` are refused by mosquitto
    case 'listener':
      return inListener ? 0 : 2;
    case 'security':
      return inListener && perListener ? 0 : 1;
    case 'general':
      return inBridge || inListener ? 1 : 0;
  }
}

/** What can be typed at (line, col) given the text of that line. */
export function completionsAt(parsed: ParsedConf, line: number, col: number, lineText: string): OptionCompletion | ValueCompletion | undefined {
  if (lineText.startsWith('#')) {
    return undefined;
  }
  const before = lineText.slice(0, col);
  // mosquitto skips spaces (not tabs) before the option name.
  const indent = before.length - before.replace(/^ +/, '').length;
  const firstSpace = before.indexOf(' ', indent);
  if (firstSpace < 0) {
    // Typing the option name: mosquitto wants it at the start of the line (leading spaces are allowed).
    // The section above the cursor (the line being typed may itself parse as a new section).
    const section = sectionOfLine(parsed, line - 1);
    const options: OptionCompletion['options'] = [];
    for (const info of CATALOG) {
      const rank = rankFor(info, section, parsed.perListenerSettings);
      if (rank !== undefined && !info.name.endsWith('*')) {
        options.push({ info, rank: info.deprecated ? rank + 3 : rank });
      }
    }
    options.sort((a, b) => a.rank - b.rank || a.info.name.localeCompare(b.info.name));
    return { kind: 'option', span: { line, start: indent, end: before.length }, options };
  }
  const name = before.slice(indent, firstSpace);
  const info = findOption(name);
  if (!info) {
    return undefined;
  }
  const argsBefore = before.slice(firstSpace + 1);
  const argIndex = argsBefore.split(' ').length - 1;
  if (argIndex !== 0) {
    return undefined;
  }
  const values = info.values?.length ? info.values : isBooleanOption(info) ? BOOLEAN_VALUES : undefined;
  if (!values) {
    return undefined;
  }
  return { kind: 'value', span: { line, start: firstSpace + 1, end: col }, option: info, values };
}

function isBooleanOption(info: OptionInfo): boolean {
  return /\btrue\s*\|\s*false\b|\[ true \| false \]/.test(info.syntax);
}

export interface OutlineEntry {
  label: string;
  detail: string;
  kind: 'listener' | 'bridge' | 'option';
  /** First and last line (0-based, inclusive). */
  range: { start: number; end: number };
  selection: Span;
  children: OutlineEntry[];
}

function optionEntry(l: ConfLine): OutlineEntry | undefined {
  if (l.kind !== 'option' || !l.name) {
    return undefined;
  }
  return {
    label: l.name.text,
    detail: l.rest?.text ?? '',
    kind: 'option',
    range: { start: l.line, end: l.line },
    selection: { line: l.line, start: l.name.start, end: l.name.end },
    children: [],
  };
}

export function listenerLabel(s: ListenerSection): string {
  const where = s.socketPath ? l10n.t('unix socket {0}', s.bindAddress ?? '') : s.bindAddress ? l10n.t('{0} on {1}', s.port, s.bindAddress) : `${s.port}`;
  const what = [s.protocol === 'websockets' ? 'WebSockets' : 'MQTT', s.tls ? 'TLS' : ''].filter(Boolean).join(' + ');
  return l10n.t('Listener {0} ({1})', where, what);
}

/** Listeners and bridges as sections holding their options; options of the general part at top level. */
export function outline(parsed: ParsedConf): OutlineEntry[] {
  const top: OutlineEntry[] = [];
  const sectionEntries = parsed.sections.map((s): OutlineEntry => {
    const line = parsed.lines[s.line];
    const start = line?.name?.start ?? 0;
    const end = line?.rest?.end ?? line?.name?.end ?? 0;
    return {
      label: s.kind === 'listener' ? listenerLabel(s) : l10n.t('Bridge {0}', s.name),
      detail: s.kind === 'bridge' ? s.addresses.join(' ') : '',
      kind: s.kind,
      range: { start: s.line, end: Math.max(s.line, s.endLine) },
      selection: { line: s.line, start, end },
      children: [],
    };
  });
  for (const l of parsed.lines) {
    const entry = optionEntry(l);
    if (!entry) {
      continue;
    }
    const owner = l.section >= 0 ? sectionEntries[l.section] : undefined;
    const section = l.section >= 0 ? parsed.sections[l.section] : undefined;
    if (owner && section && section.line === l.line) {
      continue; // the section's own header line
    }
    if (owner && section && !(section.kind === 'listener' && section.defaultListener)) {
      owner.children.push(entry);
    } else {
      top.push(entry);
    }
  }
  for (const s of sectionEntries) {
    top.push(s);
  }
  return top.sort((a, b) => a.range.start - b.range.start);
}
