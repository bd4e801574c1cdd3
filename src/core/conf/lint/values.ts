// Reading an option's value the way mosquitto does (conf__parse_bool, conf__parse_int,
// conf__parse_string, one-word enumerations), with the words for what it refuses or reads
// differently than the author probably meant: trailing words, non-numbers, comments in values.

import * as l10n from '@vscode/l10n';
import { atoi } from '../parser';
import { findOption } from '../optionLookup';
import type { ConfFix, ConfToken, Severity, Span } from '../types';
import type { LintState, Loc } from './state';
import { badUtf8Index, INT_TEXT, q, utf8Length } from './text';

/** Trailing words mosquitto never reads. */
export function extra(lx: LintState, line: number, name: string, args: ConfToken[], from: number): void {
  const first = args[from];
  const last = args[args.length - 1];
  if (!first || !last || first.text.startsWith('#')) {
    return;
  }
  lx.warn({ line, start: first.start, end: last.end }, 'ignored-argument',
    l10n.t('mosquitto ignores {0}{1}: "{2}" takes only one value.', q(first.text), args.length - from > 1 ? l10n.t(' and what follows') : '', name),
    [{ kind: 'replace', title: l10n.t('Remove the ignored words'), span: { line, start: args[from - 1]?.end ?? first.start, end: last.end }, text: '' }]);
}

export function missing(lx: LintState, line: number, name: ConfToken, what: string, severity: Severity = 'error'): void {
  const msg = severity === 'error'
    ? l10n.t('"{0}" needs {1}; mosquitto refuses an empty value.', name.text, what)
    : l10n.t('"{0}" has no value; mosquitto logs an error but starts anyway, ignoring the line.', name.text);
  lx.add(lx.file, lx.span(line, name), severity, 'missing-value', msg);
}

export function readBool(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): boolean | undefined {
  const a = args[0];
  if (!a) {
    missing(lx, line, name, l10n.t('a value (true or false)'));
    return undefined;
  }
  let v: boolean | undefined;
  if (a.text === 'true' || a.text === '1') {
    v = true;
  } else if (a.text === 'false' || a.text === '0') {
    v = false;
  }
  if (v === undefined) {
    const lower = a.text.toLowerCase().replace(/[\t\r\v\f]+$/, '');
    const fix = lower === 'true' || lower === 'yes' || lower === 'on' ? 'true' : lower === 'false' || lower === 'no' || lower === 'off' ? 'false' : undefined;
    const tab = a.text.includes('\t') ? l10n.t(' (it contains a tab)') : '';
    lx.error(lx.span(line, a), 'invalid-value', l10n.t('Invalid value {0} for "{1}"{2}: mosquitto accepts only true, false, 1 or 0.', q(a.text), name.text, tab),
      fix ? [{ kind: 'replace', title: l10n.t('Change to {0}', fix), span: lx.span(line, a), text: fix }] : undefined);
    return undefined;
  }
  extra(lx, line, name.text, args, 1);
  return v;
}

/** The first word read with `parse` (atoi, atol: mosquitto's own reading, no range), trailing words warned about. */
export function numberWord(lx: LintState, line: number, name: ConfToken, args: ConfToken[], parse: (s: string) => number): number | undefined {
  const a0 = args[0];
  if (!a0) {
    missing(lx, line, name, 'a number');
    return undefined;
  }
  const v = parse(a0.text);
  extra(lx, line, name.text, args, 1);
  return v;
}

/** conf__parse_int plus the option's range check. Returns atoi's value (undefined when empty). */
export function readInt(lx: LintState, line: number, name: ConfToken, args: ConfToken[], range?: { min?: number; max?: number; message?: () => string }): number | undefined {
  const a = args[0];
  const v = numberWord(lx, line, name, args, atoi);
  if (v === undefined || !a) {
    return undefined;
  }
  if (range && ((range.min !== undefined && v < range.min) || (range.max !== undefined && v > range.max))) {
    lx.error(lx.span(line, a), 'out-of-range', l10n.t('Invalid value {0} for "{1}"{2}: {3}.', q(a.text), name.text, INT_TEXT.test(a.text) ? '' : l10n.t(' (read as {0})', v), range.message?.() ?? l10n.t('out of range')));
    return v;
  }
  nonNumeric(lx, line, name.text, a, v);
  return v;
}

export function nonNumeric(lx: LintState, line: number, name: string, a: ConfToken, v: number): void {
  if (!INT_TEXT.test(a.text)) {
    lx.warn(lx.span(line, a), 'not-a-number', l10n.t('{0} is not a number; mosquitto reads it as {1} for "{2}".', q(a.text), v, name),
      /^[+-]?[0-9]+/.test(a.text) ? [{ kind: 'replace', title: l10n.t('Change to {0}', v), span: lx.span(line, a), text: String(v) }] : undefined);
  }
}

/** conf__parse_string into `slot` of `map`; `where` names the scope for the duplicate message. */
export function readString(lx: LintState, line: number, name: ConfToken, rest: ConfToken | undefined, map: Map<string, Loc> | undefined, slot: string, where: string): Loc | undefined {
  if (!rest) {
    missing(lx, line, name, 'a value');
    return undefined;
  }
  const prev = map?.get(slot);
  if (prev) {
    const at = prev.file === lx.file ? `line ${prev.span.line + 1}` : `${prev.file}:${prev.span.line + 1}`;
    lx.error(lx.span(line, name), 'duplicate-option', l10n.t('"{0}" is already set {1} ({2}); mosquitto refuses a second value.', name.text, where, at));
    return undefined;
  }
  const bad = badUtf8Index(rest.text);
  if (bad >= 0) {
    lx.error({ line, start: rest.start + bad, end: rest.start + bad + 1 }, 'malformed-utf8',
      l10n.t('The value of "{0}" contains a character mosquitto rejects (control character or invalid UTF-8): "Malformed UTF-8 in configuration".', name.text));
    return undefined;
  }
  if (rest.text.length > 16383 && utf8Length(rest.text) > 65535) {
    lx.error(lx.span(line, rest), 'value-too-long', l10n.t('The value of "{0}" is longer than 65535 bytes; mosquitto refuses it.', name.text));
    return undefined;
  }
  commentInValue(lx, line, name.text, rest);
  const loc: Loc = { file: lx.file, span: lx.span(line, rest), value: rest.text };
  map?.set(slot, loc);
  return loc;
}

export function commentInValue(lx: LintState, line: number, name: string, rest: ConfToken): void {
  const t = rest.text;
  let i = t.startsWith('#') ? 0 : -1;
  if (i < 0) {
    const j = t.indexOf(' #');
    const k = t.indexOf('\t#');
    i = j < 0 ? k : k < 0 ? j : Math.min(j, k);
  }
  if (i < 0) {
    return;
  }
  let s = i;
  while (s > 0 && (t.charCodeAt(s - 1) === 0x20 || t.charCodeAt(s - 1) === 0x09)) {
    s--;
  }
  const value = t.slice(0, i).trimEnd();
  lx.warn({ line, start: rest.start + i + (t.charCodeAt(i) === 0x23 ? 0 : 1), end: rest.end }, 'comment-in-value',
    l10n.t('mosquitto has no end-of-line comments: "{0}" gets the whole rest of the line, {1}. Put the comment on its own line.', name, q(t)),
    value.length > 0 ? [{ kind: 'replace', title: l10n.t('Move the comment to the line above'), span: { line, start: rest.start + s, end: rest.end }, text: '' }] : undefined);
}

export function rawEnum(lx: LintState, line: number, name: ConfToken, text: string, values: string[]): void {
  const raw = text.slice(name.end + 1);
  if (name.end >= text.length || raw.length === 0) {
    missing(lx, line, name, `a value (${values.join(', ')})`);
    return;
  }
  if (values.includes(raw)) {
    return;
  }
  const span: Span = { line, start: name.end + 1, end: text.length };
  const first = raw.trim().split(/[ \t]+/)[0] ?? '';
  const fixes: ConfFix[] = values.includes(first) ? [{ kind: 'replace', title: l10n.t('Change to "{0}"', first), span, text: first }] : [];
  const why = values.includes(first) ? l10n.t(' mosquitto compares the whole rest of the line, so extra blanks or a comment make it invalid.') : '';
  lx.error(span, 'invalid-value', l10n.t('Invalid {0} {1}: expected one of {2}.{3}', name.text, q(raw), values.join(', '), why), fixes);
}

/** A one-word enumerated value; `emptySeverity` says what an empty value is (some are only logged). */
export function enumOption(lx: LintState, line: number, name: ConfToken, args: ConfToken[], values: string[], emptySeverity: Severity): string | undefined {
  const a0 = args[0];
  if (!a0) {
    missing(lx, line, name, `a value (${values.join(', ')})`, emptySeverity);
    return undefined;
  }
  if (!values.includes(a0.text)) {
    const lower = a0.text.toLowerCase();
    const fix = values.find((v) => v === lower) ?? values.find((v) => lower.startsWith(v) && lower.length - v.length <= 1);
    lx.error(lx.span(line, a0), 'invalid-value', l10n.t('Invalid {0} value {1}: expected one of {2}.', name.text, q(a0.text), values.join(', ')),
      fix ? [{ kind: 'replace', title: l10n.t('Change to {0}', fix), span: lx.span(line, a0), text: fix }] : undefined);
    return undefined;
  }
  extra(lx, line, name.text, args, 1);
  return a0.text;
}

/** The note on an option that is deprecated but still works (the catalog says why). */
export function softDeprecation(lx: LintState, line: number, name: ConfToken): void {
  const info = findOption(name.text);
  const why = info?.stillWorks?.();
  if (why) {
    const repl = info?.deprecated;
    const fix: ConfFix[] = repl && /^[a-z_]+$/.test(repl) ? [{ kind: 'replace', title: l10n.t('Use {0}', repl), span: lx.span(line, name), text: repl }] : [];
    lx.info(lx.span(line, name), 'deprecated-option', l10n.t('"{0}" still works. {1}', name.text, why), fix);
  }
}

/** A boolean option: its value (undefined when refused), with the note when it is soft-deprecated. */
export function boolOption(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): boolean | undefined {
  const v = readBool(lx, line, name, args);
  softDeprecation(lx, line, name);
  return v;
}

/** An integer option, checked against the range the catalog gives it. */
export function intOption(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): number | undefined {
  return readInt(lx, line, name, args, findOption(name.text)?.range);
}
