// Options of the broker as a whole (struct mosquitto__config): persistence, logging, limits, the
// general strings, and include_dir, which reads more files into the same configuration.

import * as l10n from '@vscode/l10n';
import { atoi, atol, parseConfInternal } from '../parser';
import type { ConfFix, ConfToken, Span } from '../types';
import { compareIncludeNames, fileCheck, joinPath, outOfReach, resolvePath } from './files';
import type { LintState, Loc, OptionRule } from './state';
import { INT_TEXT, q } from './text';
import { commentInValue, enumOption, extra, missing, nonNumeric, numberWord, readInt, readString, softDeprecation } from './values';

/** A general string (clientid_prefixes, persistence_file, pid_file…): mosquitto refuses a second value. */
export const generalString: OptionRule = (lx, line, name, _args, rest) => {
  const n = name.text;
  const loc = readString(lx, line, name, rest, lx.globals, n, l10n.t('in this configuration'));
  softDeprecation(lx, line, name);
  fileCheck(lx, n, loc);
};

function includeDir(lx: LintState, line: number, name: ConfToken, text: string): void {
  if (lx.level > 0) {
    lx.warn(lx.span(line, name), 'include-dir-ignored', l10n.t('include_dir is only read in the main configuration file; mosquitto ignores it in included files.'));
    return;
  }
  const raw = name.end < text.length ? text.slice(name.end + 1) : '';
  if (raw.length === 0) {
    missing(lx, line, name, 'a directory');
    return;
  }
  const span: Span = { line, start: name.end + 1, end: text.length };
  const trimmed = raw.trim();
  if (trimmed !== raw && trimmed.length > 0) {
    lx.warn(span, 'blank-in-path', l10n.t('The include_dir path is taken literally, blanks included: mosquitto looks for {0}.', q(raw)),
      [{ kind: 'replace', title: l10n.t('Remove the blanks'), span, text: trimmed }]);
  }
  const fs = lx.fs;
  if (!fs) {
    return;
  }
  const dir = resolvePath(lx.baseDir, raw);
  const notChecked = outOfReach(lx, dir);
  if (notChecked) {
    lx.add(lx.file, span, 'info', 'not-checked', notChecked);
    return;
  }
  let entries: string[] | undefined;
  try {
    entries = fs.stat(dir) === 'dir' ? fs.readDir(dir) : undefined;
  } catch {
    entries = undefined;
  }
  if (!entries) {
    lx.warn(span, 'missing-file', l10n.t('Directory not found on this machine: {0}. mosquitto refuses to start if it cannot open it there ("Unable to open include_dir").', dir));
    return;
  }
  const names = entries.filter((e) => e.length > 5 && e.endsWith('.conf')).sort(compareIncludeNames);
  const saved = { file: lx.file, listener: lx.curListener, bridge: lx.curBridge, plugin: lx.curPlugin, level: lx.level };
  for (const e of names) {
    const path = joinPath(dir, e);
    let st: 'file' | 'dir' | undefined;
    let content: string | undefined;
    try {
      st = fs.stat(path);
      content = st === 'file' ? fs.readFile(path) : undefined;
    } catch {
      content = undefined;
    }
    if (st === 'dir') {
      lx.add(saved.file, span, 'error', 'include-is-directory', l10n.t('{0} is a directory; mosquitto refuses to read it as a config file (rename it so it does not end in .conf).', path));
      continue;
    }
    if (content === undefined) {
      lx.add(saved.file, span, 'warning', 'missing-file', l10n.t('Cannot read {0} on this machine; mosquitto refuses to start if it cannot open it there.', path));
      continue;
    }
    const parsed = parseConfInternal(content, path);
    lx.included.push(parsed.conf);
    lx.lintFile(path, parsed, lx.level + 1);
  }
  lx.file = saved.file;
  lx.curListener = saved.listener;
  lx.curBridge = saved.bridge;
  lx.curPlugin = saved.plugin;
  lx.level = saved.level;
}

function logDest(lx: LintState, line: number, name: ConfToken, args: ConfToken[], text: string): void {
  const a0 = args[0];
  if (!a0) {
    missing(lx, line, name, l10n.t('a destination (stderr, stdout, syslog, topic, dlt, file <path> or none)'));
    return;
  }
  if (a0.text === 'file') {
    if (lx.logFile) {
      lx.error(lx.span(line, a0), 'duplicate-option', l10n.t('"log_dest file" is already given (line {0}{1}); mosquitto logs to one file only.', lx.logFile.span.line + 1, lx.logFile.file === lx.file ? '' : l10n.t(' of {0}', lx.logFile.file)));
      return;
    }
    let s = a0.end + 1;
    while (s < text.length && (text.charCodeAt(s) === 0x20 || text.charCodeAt(s) === 0x09)) {
      s++;
    }
    if (a0.end >= text.length || s >= text.length) {
      lx.error(lx.span(line, a0), 'missing-value', l10n.t('"log_dest file" needs the path of the log file.'));
      return;
    }
    const value = text.slice(s);
    const loc: Loc = { file: lx.file, span: { line, start: s, end: text.length }, value };
    lx.logFile = loc;
    if (value !== value.trimEnd()) {
      lx.warn(loc.span, 'blank-in-path', l10n.t('The log file path is taken literally up to the end of the line, blanks included: {0}.', q(value)),
        [{ kind: 'replace', title: l10n.t('Remove trailing blanks'), span: loc.span, text: value.trimEnd() }]);
    } else {
      commentInValue(lx, line, 'log_dest file', { text: value, start: s, end: text.length });
    }
    fileCheck(lx, 'log_dest', loc, 'parent');
    return;
  }
  enumOption(lx, line, name, args, ['none', 'syslog', 'stdout', 'stderr', 'topic', 'dlt', 'file'], 'error');
}

function expiration(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): void {
  const a0 = args[0];
  if (!a0) {
    missing(lx, line, name, 'a duration', 'warning');
    return;
  }
  const unit = a0.text.charAt(a0.text.length - 1);
  const mult = unit === 'h' ? 3600 : unit === 'd' ? 86400 : unit === 'w' ? 604800 : unit === 'm' ? 2592000 : unit === 'y' ? 31536000 : 0;
  const num = a0.text.slice(0, -1);
  if (mult === 0 || atoi(num) * mult <= 0) {
    const fix: ConfFix[] = INT_TEXT.test(a0.text) && atoi(a0.text) > 0 ? [{ kind: 'replace', title: l10n.t('Change to {0}d (days)', a0.text), span: lx.span(line, a0), text: `${a0.text}d` }] : [];
    lx.error(lx.span(line, a0), 'invalid-value', l10n.t('Invalid persistent_client_expiration {0}: write a positive number followed by h, d, w, m or y (e.g. 14d).', q(a0.text)), fix);
    return;
  }
  if (!INT_TEXT.test(num)) {
    lx.warn(lx.span(line, a0), 'not-a-number', l10n.t('{0} is not a plain number; mosquitto reads {1} as {2}{3}.', q(num), q(a0.text), atoi(num), unit));
  }
  extra(lx, line, name.text, args, 1);
}

function memoryLimit(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): void {
  const n = name.text;
  const a0 = args[0];
  const v = numberWord(lx, line, name, args, atol);
  if (v === undefined || !a0) {
    return;
  }
  if (v < 0) {
    lx.error(lx.span(line, a0), 'out-of-range', l10n.t('Invalid memory_limit {0}: it must not be negative (0 means no limit).', q(a0.text)));
    return;
  }
  if (v > 0 && v <= 2000) {
    lx.error(lx.span(line, a0), 'out-of-range', l10n.t('memory_limit {0} means {1} bytes{2}: far too little for mosquitto to start.', q(a0.text), v, INT_TEXT.test(a0.text) ? '' : l10n.t(' (units are not understood)')));
    return;
  }
  if (v > 0 && v < 1048576) {
    lx.warn(lx.span(line, a0), 'out-of-range', l10n.t('memory_limit {0} means only {1} bytes{2}: mosquitto will run out of memory almost at once.', q(a0.text), v, INT_TEXT.test(a0.text) ? '' : l10n.t(' (units are not understood)')));
    return;
  }
  nonNumeric(lx, line, n, a0, v);
}

function messageSizeLimit(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): void {
  const a0 = args[0];
  const v = readInt(lx, line, name, args);
  softDeprecation(lx, line, name);
  if (v !== undefined && (v < 0 || v > 268435455) && a0) {
    lx.error(lx.span(line, a0), 'out-of-range', l10n.t('Invalid message_size_limit {0}: it must be between 0 and 268435455 bytes.', q(a0.text)));
  }
}

/** The general options with a reading of their own (the others are read by their catalog value kind). */
export const GENERAL_RULES: Record<string, OptionRule> = {
  include_dir: (lx, line, name, _args, _rest, text) => includeDir(lx, line, name, text),
  log_dest: (lx, line, name, args, _rest, text) => logDest(lx, line, name, args, text),
  log_type: (lx, line, name, args) => {
    enumOption(lx, line, name, args, ['none', 'information', 'notice', 'warning', 'error', 'debug', 'subscribe', 'unsubscribe', 'internal', 'websockets', 'all'], 'warning');
  },
  memory_limit: memoryLimit,
  message_size_limit: messageSizeLimit,
  persistent_client_expiration: expiration,
  retry_interval: (lx, line, name, _args, _rest, text) => {
    lx.warn(lx.span(line, name), 'deprecated-option', l10n.t('"retry_interval" was removed in mosquitto 2.0: it is accepted but has no effect.'),
      [{ kind: 'replace', title: l10n.t('Remove the line'), span: { line, start: 0, end: text.length }, text: '' }]);
  },
  user: (lx, line, name, _args, rest) => {
    readString(lx, line, name, rest, undefined, name.text, '');
  },
};
