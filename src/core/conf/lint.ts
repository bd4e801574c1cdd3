// mosquitto.conf linter. It replays what mosquitto 2.0.11 does with a configuration (src/conf.c
// config__read_file_core / config__read / config__check, then the startup steps of mosquitto.c,
// net.c and security_default.c) and reports:
//   errors   — where that broker refuses to start (same rule, plain words);
//   warnings — what it accepts but is very likely not what the author meant, and files that do not
//              exist (the broker refuses to start then, but the file may exist on the broker's host);
//   info     — worth knowing (local-only mode, soft deprecations).

import * as l10n from '@vscode/l10n';
import { atoi, atol, isCSpace, parseConfInternal, restOf, type ParsedInternal } from './parser';
import { findOption, suggestOption } from './optionLookup';
import type { ConfDiagnostic, ConfFix, ConfFs, ConfToken, LintOptions, LintResult, ParsedConf, Severity, Span } from './types';

// ---- small path helpers (no node:path: the core also runs in web workers) ----------------------

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

function dirname(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (i < 0) {
    return '.';
  }
  if (i === 0) {
    return '/';
  }
  return p.slice(0, i);
}

function joinPath(dir: string, name: string): string {
  if (dir.endsWith('/') || dir.endsWith('\\')) {
    return dir + name;
  }
  return `${dir}/${name}`;
}

function resolvePath(base: string, p: string): string {
  return isAbsolute(p) ? p : joinPath(base, p);
}

/** The order of mosquitto's scmp_p: case-insensitive first, then by case, then shorter first. */
export function compareIncludeNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    const ux = x >= 0x61 && x <= 0x7a ? x - 32 : x;
    const uy = y >= 0x61 && y <= 0x7a ? y - 32 : y;
    if (ux !== uy) {
      return ux - uy;
    }
    if (x !== y) {
      return x - y;
    }
  }
  return a.length - b.length;
}

// ---- state mirroring struct mosquitto__config -------------------------------------------------

interface Loc {
  file: string;
  span: Span;
  value: string;
}

interface SecOpts {
  strings: Map<string, Loc>; // acl_file, password_file, psk_file, auto_id_prefix
  allowAnonymous?: boolean;
  plugins: Loc[];
}

interface Listener {
  file: string;
  span: Span; // the `listener` word (or the option that created the default listener)
  lineSpan: Span; // end of the listener line, for inserting after it
  port: number;
  host?: string;
  unixPath?: string;
  socketDomain?: 'ipv4' | 'ipv6';
  protocol: 'mqtt' | 'websockets';
  strings: Map<string, Loc>;
  requireCertificate?: Loc;
  useIdentity?: Loc;
  useSubject?: Loc;
  sec: SecOpts;
  isDefault: boolean;
}

interface Bridge {
  name: string;
  file: string;
  span: Span;
  addresses?: Loc;
  topicCount: number;
  strings: Map<string, Loc>;
}

const newSec = (): SecOpts => ({ strings: new Map(), plugins: [] });

function newListener(file: string, span: Span, port: number, isDefault: boolean): Listener {
  return { file, span, lineSpan: span, port, protocol: 'mqtt', strings: new Map(), sec: newSec(), isDefault };
}

const BOOL_OPTIONS = new Set([
  'allow_anonymous', 'allow_duplicate_messages', 'allow_zero_length_clientid', 'auth_plugin_deny_special_chars',
  'autosave_on_changes', 'bridge_attempt_unsubscribe', 'bridge_insecure', 'bridge_require_ocsp', 'bridge_outgoing_retain',
  'check_retain_source', 'cleansession', 'local_cleansession', 'connection_messages', 'log_timestamp', 'notifications',
  'notifications_local_only', 'per_listener_settings', 'persistence', 'retained_persistence', 'queue_qos0_messages',
  'require_certificate', 'retain_available', 'round_robin', 'set_tcp_nodelay', 'try_private', 'upgrade_outgoing_qos',
  'use_identity_as_username', 'use_subject_as_username', 'use_username_as_clientid',
]);

/** Integer options read with conf__parse_int and the range mosquitto enforces (undefined: none). */
const INT_RANGES = new Map<string, { min?: number; max?: number; message?: () => string } | undefined>([
  ['autosave_interval', undefined],
  ['bridge_max_packet_size', undefined],
  ['idle_timeout', undefined],
  ['keepalive_interval', { max: 65535, message: () => l10n.t('the bridge keepalive must be at most 65535') }],
  ['log_facility', { min: 0, max: 7, message: () => l10n.t('log_facility must be between 0 and 7 (LOG_LOCAL0–7)') }],
  ['max_qos', { min: 0, max: 2, message: () => l10n.t('max_qos must be 0, 1 or 2') }],
  ['maximum_qos', { min: 0, max: 2, message: () => l10n.t('max_qos must be 0, 1 or 2') }],
  ['max_inflight_bytes', undefined],
  ['max_inflight_messages', { max: 65535, message: () => l10n.t('max_inflight_messages must be at most 65535') }],
  ['max_keepalive', { min: 10, max: 65535, message: () => l10n.t('max_keepalive must be between 10 and 65535') }],
  ['max_packet_size', { min: 20, message: () => l10n.t('max_packet_size must be at least 20') }],
  ['max_queued_bytes', undefined],
  ['max_queued_messages', undefined],
  ['port', { min: 1, max: 65535, message: () => l10n.t('a port must be between 1 and 65535') }],
  ['sys_interval', { min: 0, max: 65535, message: () => l10n.t('sys_interval must be between 0 and 65535') }],
  ['threshold', undefined],
  ['websockets_log_level', undefined],
  ['websockets_headers_size', { min: 0, max: 65535, message: () => l10n.t('websockets_headers_size must be between 0 and 65535') }],
]);

const BRIDGE_ONLY = new Set([
  'address', 'addresses', 'bridge_attempt_unsubscribe', 'bridge_cafile', 'bridge_alpn', 'bridge_bind_address', 'bridge_capath',
  'bridge_certfile', 'bridge_identity', 'bridge_insecure', 'bridge_require_ocsp', 'bridge_max_packet_size', 'bridge_outgoing_retain',
  'bridge_keyfile', 'bridge_protocol_version', 'bridge_psk', 'bridge_tls_version', 'clientid', 'remote_clientid', 'cleansession',
  'local_cleansession', 'idle_timeout', 'keepalive_interval', 'local_clientid', 'local_password', 'local_username', 'notifications',
  'notifications_local_only', 'notification_topic', 'password', 'remote_password', 'restart_timeout', 'round_robin', 'start_type',
  'threshold', 'topic', 'try_private', 'username', 'remote_username',
]);

/** Bridge string options and the slot they fill (aliases share one). */
const BRIDGE_STRINGS = new Map<string, string>([
  ['bridge_cafile', 'bridge_cafile'], ['bridge_alpn', 'bridge_alpn'], ['bridge_bind_address', 'bridge_bind_address'],
  ['bridge_capath', 'bridge_capath'], ['bridge_certfile', 'bridge_certfile'], ['bridge_identity', 'bridge_identity'],
  ['bridge_keyfile', 'bridge_keyfile'], ['bridge_psk', 'bridge_psk'], ['bridge_tls_version', 'bridge_tls_version'],
  ['clientid', 'remote_clientid'], ['remote_clientid', 'remote_clientid'], ['local_clientid', 'local_clientid'],
  ['local_password', 'local_password'], ['local_username', 'local_username'], ['notification_topic', 'notification_topic'],
  ['password', 'remote_password'], ['remote_password', 'remote_password'], ['username', 'remote_username'],
  ['remote_username', 'remote_username'],
]);

/** Listener string options (cur_listener fields). */
const LISTENER_STRINGS = new Set([
  'bind_interface', 'cafile', 'capath', 'certfile', 'ciphers', 'ciphers_tls1.3', 'crlfile', 'dhparamfile', 'http_dir', 'keyfile',
  'psk_hint', 'tls_engine', 'tls_engine_kpass_sha1', 'tls_keyform', 'tls_version', 'mount_point',
]);

/** Global string options (config fields that are never freed before parsing, so a second value is an error). */
const GLOBAL_STRINGS = new Set(['clientid_prefixes', 'log_timestamp_format', 'persistence_file', 'persistence_location', 'pid_file']);

/** Options that pick the current security options (conf__set_cur_security_options). */
const SECURITY_MARKERS = new Set(['acl_file', 'allow_anonymous', 'allow_zero_length_clientid', 'auth_plugin', 'plugin', 'auto_id_prefix', 'check_retain_source', 'password_file', 'psk_file']);

/** Files checked for existence: option → what must be there. */
const FILE_KINDS = new Map<string, 'file' | 'dir' | 'parent'>([
  ['acl_file', 'file'], ['password_file', 'file'], ['psk_file', 'file'], ['cafile', 'file'], ['certfile', 'file'], ['keyfile', 'file'],
  ['crlfile', 'file'], ['dhparamfile', 'file'], ['plugin', 'file'], ['auth_plugin', 'file'], ['bridge_cafile', 'file'],
  ['bridge_certfile', 'file'], ['bridge_keyfile', 'file'], ['capath', 'dir'], ['bridge_capath', 'dir'], ['http_dir', 'dir'],
  ['persistence_location', 'dir'], ['pid_file', 'parent'],
]);

const DEPRECATED_SOFT = new Map<string, () => string>([
  ['allow_duplicate_messages', () => l10n.t('It is deprecated and has no effect any more: mosquitto 2 always allows duplicate messages.')],
  ['clientid_prefixes', () => l10n.t('It is deprecated; use an authentication plugin or ACLs instead.')],
  ['message_size_limit', () => l10n.t('It is deprecated; `max_packet_size` is the recommended replacement.')],
  ['retained_persistence', () => l10n.t('It is the old name of `persistence`.')],
  ['auth_plugin', () => l10n.t('It is the old name of `plugin`.')],
]);

const INT_TEXT = /^[+-]?[0-9]+$/;

/** Characters mosquitto_validate_utf8 refuses in a string value (JS strings are already decoded). */
function badUtf8Index(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xfdd0 && c <= 0xfdef) || c === 0xfffe || c === 0xffff || c === 0xfffd) {
      return i;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) {
        return i;
      }
      const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
      if ((cp & 0xffff) === 0xfffe || (cp & 0xffff) === 0xffff) {
        return i;
      }
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return i;
    }
  }
  return -1;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}

/** Control characters shown as '?'. */
function printable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : s.charAt(i);
  }
  return out;
}

const q = (s: string): string => `"${s.length > 80 ? `${s.slice(0, 77)}…` : s}"`;

// ---- the linter -------------------------------------------------------------------------------

class Linter {
  readonly diags: ConfDiagnostic[] = [];
  readonly included: ParsedConf[] = [];
  private readonly fileOrder = new Map<string, number>();
  private readonly fs: ConfFs | undefined;
  private readonly baseDir: string;

  // global state (struct mosquitto__config, and the static cur_security_options)
  private perListener = false;
  private securityTouched = false;
  private readonly globalSec = newSec();
  private readonly listeners: Listener[] = [];
  private readonly defaultListener: Listener;
  private defaultTrigger: Loc | undefined;
  private defaultPortLoc: Loc | undefined;
  private localOnly = true;
  private readonly bridges: Bridge[] = [];
  private readonly globals = new Map<string, Loc>();
  private logFile: Loc | undefined;
  private firstListenerLoc: Loc | undefined;
  /** An allow_anonymous line (or a misspelling of it) was refused: don't guess what it meant. */
  private anonymousBroken = false;

  // per-file state (locals of config__read_file_core)
  private file = '';
  private curListener: Listener;
  private curBridge: Bridge | undefined;
  private curPlugin = false;
  private level = 0;

  constructor(opts: LintOptions) {
    this.fs = opts.fs;
    this.baseDir = opts.baseDir ?? dirname(opts.file);
    this.defaultListener = newListener(opts.file, { line: 0, start: 0, end: 0 }, 0, true);
    this.curListener = this.defaultListener;
  }

  private add(file: string, span: Span, severity: Severity, code: string, message: string, fixes?: ConfFix[]): void {
    const d: ConfDiagnostic = { file, span: { line: span.line, start: span.start, end: span.end }, severity, code, message };
    if (fixes && fixes.length > 0) {
      d.fixes = fixes;
    }
    this.diags.push(d);
  }
  private error(span: Span, code: string, message: string, fixes?: ConfFix[]): void {
    this.add(this.file, span, 'error', code, message, fixes);
  }
  private warn(span: Span, code: string, message: string, fixes?: ConfFix[]): void {
    this.add(this.file, span, 'warning', code, message, fixes);
  }
  private info(span: Span, code: string, message: string, fixes?: ConfFix[]): void {
    this.add(this.file, span, 'info', code, message, fixes);
  }

  lintFile(file: string, parsed: ParsedInternal, level: number): void {
    this.fileOrder.set(file, this.fileOrder.size);
    this.file = file;
    this.level = level;
    this.curListener = this.defaultListener;
    this.curBridge = undefined;
    this.curPlugin = false;
    if (parsed.nulLine >= 0) {
      this.warn({ line: parsed.nulLine, start: parsed.nulColumn, end: parsed.nulColumn + 1 }, 'nul-byte',
        l10n.t('NUL byte: mosquitto stops reading this file here — the rest of this line and every following line are ignored.'));
    }
    const lines = parsed.conf.lines;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (!l || l.kind !== 'option' || !l.name) {
        continue;
      }
      const text = parsed.texts[i] ?? '';
      const cr = text.indexOf('\r');
      if (cr >= 0) {
        this.warn({ line: l.line, start: cr, end: cr + 1 }, 'lone-cr',
          l10n.t('Carriage return inside a line: mosquitto only ends lines at LF, so what follows the CR belongs to this line (old Mac line endings?).'));
      }
      this.option(l.line, l.name, l.args, l.rest, text);
    }
  }

  // ---- value readers ------------------------------------------------------------------------

  private span(line: number, t: { start: number; end: number }): Span {
    return { line, start: t.start, end: t.end };
  }

  /** Trailing words mosquitto never reads. */
  private extra(line: number, name: string, args: ConfToken[], from: number): void {
    const first = args[from];
    const last = args[args.length - 1];
    if (!first || !last || first.text.startsWith('#')) {
      return;
    }
    this.warn({ line, start: first.start, end: last.end }, 'ignored-argument',
      l10n.t('mosquitto ignores {0}{1}: "{2}" takes only one value.', q(first.text), args.length - from > 1 ? l10n.t(' and what follows') : '', name),
      [{ kind: 'replace', title: l10n.t('Remove the ignored words'), span: { line, start: args[from - 1]?.end ?? first.start, end: last.end }, text: '' }]);
  }

  private missing(line: number, name: ConfToken, what: string, severity: Severity = 'error'): void {
    const msg = severity === 'error'
      ? l10n.t('"{0}" needs {1}; mosquitto refuses an empty value.', name.text, what)
      : l10n.t('"{0}" has no value; mosquitto logs an error but starts anyway, ignoring the line.', name.text);
    this.add(this.file, this.span(line, name), severity, 'missing-value', msg);
  }

  private bool(line: number, name: ConfToken, args: ConfToken[]): boolean | undefined {
    const a = args[0];
    if (!a) {
      this.missing(line, name, l10n.t('a value (true or false)'));
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
      this.error(this.span(line, a), 'invalid-value', l10n.t('Invalid value {0} for "{1}"{2}: mosquitto accepts only true, false, 1 or 0.', q(a.text), name.text, tab),
        fix ? [{ kind: 'replace', title: l10n.t('Change to {0}', fix), span: this.span(line, a), text: fix }] : undefined);
      return undefined;
    }
    this.extra(line, name.text, args, 1);
    return v;
  }

  /** conf__parse_int plus the option's range check. Returns atoi's value (undefined when empty). */
  private int(line: number, name: ConfToken, args: ConfToken[], range?: { min?: number; max?: number; message?: () => string }): number | undefined {
    const a = args[0];
    if (!a) {
      this.missing(line, name, 'a number');
      return undefined;
    }
    const v = atoi(a.text);
    this.extra(line, name.text, args, 1);
    if (range && ((range.min !== undefined && v < range.min) || (range.max !== undefined && v > range.max))) {
      this.error(this.span(line, a), 'out-of-range', l10n.t('Invalid value {0} for "{1}"{2}: {3}.', q(a.text), name.text, INT_TEXT.test(a.text) ? '' : l10n.t(' (read as {0})', v), range.message?.() ?? l10n.t('out of range')));
      return v;
    }
    this.nonNumeric(line, name.text, a, v);
    return v;
  }

  private nonNumeric(line: number, name: string, a: ConfToken, v: number): void {
    if (!INT_TEXT.test(a.text)) {
      this.warn(this.span(line, a), 'not-a-number', l10n.t('{0} is not a number; mosquitto reads it as {1} for "{2}".', q(a.text), v, name),
        /^[+-]?[0-9]+/.test(a.text) ? [{ kind: 'replace', title: l10n.t('Change to {0}', v), span: this.span(line, a), text: String(v) }] : undefined);
    }
  }

  /** conf__parse_string into `slot` of `map`; `where` names the scope for the duplicate message. */
  private str(line: number, name: ConfToken, rest: ConfToken | undefined, map: Map<string, Loc> | undefined, slot: string, where: string): Loc | undefined {
    if (!rest) {
      this.missing(line, name, 'a value');
      return undefined;
    }
    const prev = map?.get(slot);
    if (prev) {
      const at = prev.file === this.file ? `line ${prev.span.line + 1}` : `${prev.file}:${prev.span.line + 1}`;
      this.error(this.span(line, name), 'duplicate-option', l10n.t('"{0}" is already set {1} ({2}); mosquitto refuses a second value.', name.text, where, at));
      return undefined;
    }
    const bad = badUtf8Index(rest.text);
    if (bad >= 0) {
      this.error({ line, start: rest.start + bad, end: rest.start + bad + 1 }, 'malformed-utf8',
        l10n.t('The value of "{0}" contains a character mosquitto rejects (control character or invalid UTF-8): "Malformed UTF-8 in configuration".', name.text));
      return undefined;
    }
    if (rest.text.length > 16383 && utf8Length(rest.text) > 65535) {
      this.error(this.span(line, rest), 'value-too-long', l10n.t('The value of "{0}" is longer than 65535 bytes; mosquitto refuses it.', name.text));
      return undefined;
    }
    this.commentInValue(line, name.text, rest);
    const loc: Loc = { file: this.file, span: this.span(line, rest), value: rest.text };
    map?.set(slot, loc);
    return loc;
  }

  private commentInValue(line: number, name: string, rest: ConfToken): void {
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
    this.warn({ line, start: rest.start + i + (t.charCodeAt(i) === 0x23 ? 0 : 1), end: rest.end }, 'comment-in-value',
      l10n.t('mosquitto has no end-of-line comments: "{0}" gets the whole rest of the line, {1}. Put the comment on its own line.', name, q(t)),
      value.length > 0 ? [{ kind: 'replace', title: l10n.t('Move the comment to the line above'), span: { line, start: rest.start + s, end: rest.end }, text: '' }] : undefined);
  }

  private secScope(): SecOpts {
    return this.perListener ? this.curListener.sec : this.globalSec;
  }

  private trigger(line: number, name: ConfToken): void {
    if (this.curListener.isDefault && !this.defaultTrigger) {
      this.defaultTrigger = { file: this.file, span: this.span(line, name), value: name.text };
    }
  }

  private needBridge(line: number, name: ConfToken): boolean {
    if (this.curBridge) {
      return true;
    }
    this.error(this.span(line, name), 'bridge-option-outside-bridge',
      l10n.t('"{0}" is a bridge option but no bridge has been started{1}: put it after a "connection <name>" line (mosquitto: "Invalid bridge configuration").', name.text, this.level > 0 ? l10n.t(' in this file') : ''));
    return false;
  }

  private fileCheck(name: string, loc: Loc | undefined, kindOverride?: 'file' | 'dir' | 'parent'): void {
    const fs = this.fs;
    const kind = kindOverride ?? FILE_KINDS.get(name);
    if (!fs || !loc || !kind) {
      return;
    }
    const path = resolvePath(this.baseDir, loc.value);
    const target = kind === 'parent' ? dirname(path) : path;
    let st: 'file' | 'dir' | undefined;
    try {
      st = fs.stat(target);
    } catch {
      st = undefined;
    }
    const want = kind === 'file' ? 'file' : 'dir';
    if (st === want) {
      return;
    }
    const what = kind === 'file' ? l10n.t('File') : l10n.t('Directory');
    const msg = st === undefined
      ? l10n.t('{0} not found: {1}{2}.', what, target, kind === 'parent' ? l10n.t(' (for {0})', path) : '')
      : l10n.t('{0} is a {1}, but "{2}" needs a {3}.', target, st === 'dir' ? l10n.t('directory') : l10n.t('file'), name, want === 'dir' ? l10n.t('directory') : l10n.t('file'));
    const fixes: ConfFix[] = [];
    if (name === 'password_file' && st === undefined) {
      fixes.push({ kind: 'createPasswordFile', title: l10n.t('Create the password file with mosquitto_passwd'), path });
    }
    const rel = isAbsolute(loc.value) ? '' : l10n.t(" Relative paths are resolved against mosquitto's working directory (assumed: {0}).", this.baseDir);
    this.add(loc.file, loc.span, 'warning', 'missing-file', l10n.t('{0} mosquitto will not start if it cannot read it.{1}', msg, rel), fixes);
  }

  // ---- one option line (the big if/else of config__read_file_core) ----------------------------

  private option(line: number, name: ConfToken, args: ConfToken[], rest: ConfToken | undefined, text: string): void {
    const n = name.text;
    const a0 = args[0];
    if (SECURITY_MARKERS.has(n)) {
      this.securityTouched = true;
    }
    if (BOOL_OPTIONS.has(n)) {
      if (BRIDGE_ONLY.has(n) && !this.needBridge(line, name)) {
        return;
      }
      if ((n === 'auth_plugin_deny_special_chars') && !this.curPlugin) {
        this.error(this.span(line, name), 'plugin-option-without-plugin',
          l10n.t('"{0}" must follow a "plugin" (or "auth_plugin") line{1}.', n, this.level > 0 ? l10n.t(' in the same file') : ''));
        return;
      }
      const v = this.bool(line, name, args);
      this.softDeprecation(line, name);
      if (v === undefined) {
        if (n === 'allow_anonymous') {
          this.anonymousBroken = true;
        }
        return;
      }
      this.applyBool(line, name, v);
      return;
    }
    if (INT_RANGES.has(n)) {
      if (BRIDGE_ONLY.has(n) && !this.needBridge(line, name)) {
        return;
      }
      if (n === 'port') {
        this.portOption(line, name, args);
        return;
      }
      const v = this.int(line, name, args, INT_RANGES.get(n));
      if (v === undefined) {
        return;
      }
      if (n === 'keepalive_interval' && v < 5 && v <= 65535) {
        this.warn(this.span(line, args[0] ?? name), 'value-adjusted', l10n.t('A bridge keepalive below 5 seconds is raised to 5 by mosquitto.'));
      } else if ((n === 'max_qos' || n === 'maximum_qos') && v !== 2) {
        this.trigger(line, name);
      }
      return;
    }
    if (BRIDGE_STRINGS.has(n)) {
      if (!this.needBridge(line, name)) {
        return;
      }
      const b = this.curBridge;
      if (!b) {
        return;
      }
      const certish = n === 'bridge_cafile' || n === 'bridge_capath' || n === 'bridge_certfile' || n === 'bridge_keyfile';
      if (certish && (b.strings.has('bridge_identity') || b.strings.has('bridge_psk'))) {
        this.error(this.span(line, name), 'tls-psk-conflict', l10n.t('"{0}" cannot be combined with bridge_identity/bridge_psk on the same bridge: certificate and PSK encryption exclude each other.', n));
        return;
      }
      if ((n === 'bridge_identity' || n === 'bridge_psk') && ['bridge_cafile', 'bridge_capath', 'bridge_certfile', 'bridge_keyfile'].some((k) => b.strings.has(k))) {
        this.error(this.span(line, name), 'tls-psk-conflict', l10n.t('"{0}" cannot be combined with certificate options on the same bridge: certificate and PSK encryption exclude each other.', n));
        return;
      }
      const loc = this.str(line, name, rest, b.strings, BRIDGE_STRINGS.get(n) ?? n, l10n.t('for bridge "{0}"', b.name));
      this.fileCheck(n, loc);
      return;
    }
    if (LISTENER_STRINGS.has(n)) {
      this.listenerString(line, name, rest);
      return;
    }
    if (GLOBAL_STRINGS.has(n)) {
      const loc = this.str(line, name, rest, this.globals, n, l10n.t('in this configuration'));
      this.softDeprecation(line, name);
      this.fileCheck(n, loc);
      return;
    }
    switch (n) {
      case 'acl_file':
      case 'password_file':
      case 'psk_file':
      case 'auto_id_prefix': {
        const sec = this.secScope();
        if (n === 'password_file' || n === 'psk_file') {
          if (this.perListener) {
            this.trigger(line, name);
          }
        }
        const where = this.perListener ? (this.curListener.isDefault ? l10n.t('for the default listener') : l10n.t('for this listener')) : l10n.t('globally (per_listener_settings is false)');
        const loc = this.str(line, name, rest, sec.strings, n, where);
        this.fileCheck(n, loc);
        return;
      }
      case 'auth_plugin':
      case 'plugin': {
        const sec = this.secScope();
        this.curPlugin = true;
        if (this.perListener) {
          this.trigger(line, name);
        }
        const loc = this.str(line, name, rest, undefined, n, '');
        this.softDeprecation(line, name);
        if (loc) {
          sec.plugins.push(loc);
          this.fileCheck(n, loc);
        } else {
          sec.plugins.push({ file: this.file, span: this.span(line, name), value: '' });
        }
        return;
      }
      case 'user': {
        this.str(line, name, rest, undefined, n, '');
        return;
      }
      case 'address':
      case 'addresses':
        this.addressOption(line, name, args);
        return;
      case 'bind_address': {
        this.localOnly = false;
        const loc = this.str(line, name, rest, this.defaultListener.strings, 'bind_address', l10n.t('for the default listener'));
        this.deprecatedWarning(line, name, l10n.t('Give the address on a "listener" line instead, e.g. {0}.', '"listener 1883 ' + (loc?.value ?? '127.0.0.1') + '"'));
        if (loc) {
          this.defaultListener.host = loc.value;
          this.defaultTrigger ??= loc;
          this.defaultPortLoc ??= { ...loc, span: this.span(line, name) };
        }
        return;
      }
      case 'bridge_protocol_version': {
        if (!this.needBridge(line, name)) {
          return;
        }
        this.rawEnum(line, name, text, ['mqttv31', 'mqttv311', 'mqttv50']);
        return;
      }
      case 'connection': {
        if (!a0) {
          this.missing(line, name, l10n.t('a bridge name'));
          return;
        }
        const dup = this.bridges.find((b) => b.name === a0.text);
        if (dup) {
          this.error(this.span(line, a0), 'duplicate-bridge', l10n.t('A bridge named {0} already exists ({1}); bridge names must be unique.', q(a0.text), dup.file === this.file ? l10n.t('line {0}', dup.span.line + 1) : `${dup.file}:${dup.span.line + 1}`));
          return;
        }
        this.extra(line, n, args, 1);
        const b: Bridge = { name: a0.text, file: this.file, span: this.span(line, a0), topicCount: 0, strings: new Map() };
        this.bridges.push(b);
        this.curBridge = b;
        return;
      }
      case 'include_dir':
        this.includeDir(line, name, text);
        return;
      case 'listener':
        this.listenerOption(line, name, args, text);
        return;
      case 'log_dest':
        this.logDest(line, name, args, text);
        return;
      case 'log_type':
        this.enumOption(line, name, args, ['none', 'information', 'notice', 'warning', 'error', 'debug', 'subscribe', 'unsubscribe', 'internal', 'websockets', 'all'], 'warning');
        return;
      case 'max_connections': {
        if (!a0) {
          this.missing(line, name, 'a number', 'warning');
          return;
        }
        const v = atoi(a0.text);
        this.nonNumeric(line, n, a0, v);
        this.extra(line, n, args, 1);
        if (v >= 0) {
          this.trigger(line, name);
        }
        return;
      }
      case 'memory_limit': {
        if (!a0) {
          this.missing(line, name, 'a number');
          return;
        }
        const v = atol(a0.text);
        this.extra(line, n, args, 1);
        if (v < 0) {
          this.error(this.span(line, a0), 'out-of-range', l10n.t('Invalid memory_limit {0}: it must not be negative (0 means no limit).', q(a0.text)));
          return;
        }
        if (v > 0 && v <= 2000) {
          this.error(this.span(line, a0), 'out-of-range', l10n.t('memory_limit {0} means {1} bytes{2}: far too little for mosquitto to start.', q(a0.text), v, INT_TEXT.test(a0.text) ? '' : l10n.t(' (units are not understood)')));
          return;
        }
        if (v > 0 && v < 1048576) {
          this.warn(this.span(line, a0), 'out-of-range', l10n.t('memory_limit {0} means only {1} bytes{2}: mosquitto will run out of memory almost at once.', q(a0.text), v, INT_TEXT.test(a0.text) ? '' : l10n.t(' (units are not understood)')));
          return;
        }
        this.nonNumeric(line, n, a0, v);
        return;
      }
      case 'message_size_limit': {
        const v = this.int(line, name, args);
        this.softDeprecation(line, name);
        if (v !== undefined && (v < 0 || v > 268435455) && a0) {
          this.error(this.span(line, a0), 'out-of-range', l10n.t('Invalid message_size_limit {0}: it must be between 0 and 268435455 bytes.', q(a0.text)));
        }
        return;
      }
      case 'max_topic_alias': {
        if (!a0) {
          this.missing(line, name, 'a number');
          return;
        }
        const v = atoi(a0.text);
        this.extra(line, n, args, 1);
        if (v < 0 || v > 65535) {
          this.error(this.span(line, a0), 'out-of-range', l10n.t('Invalid max_topic_alias {0}: it must be between 0 and 65535.', q(a0.text)));
          return;
        }
        this.nonNumeric(line, n, a0, v);
        return;
      }
      case 'per_listener_settings':
        return; // handled with the bools
      case 'persistent_client_expiration':
        this.expiration(line, name, args);
        return;
      case 'protocol': {
        const v = this.enumOption(line, name, args, ['mqtt', 'websockets'], 'warning');
        if (v) {
          this.curListener.protocol = v === 'websockets' ? 'websockets' : 'mqtt';
          if (v === 'websockets') {
            this.trigger(line, name);
          }
        }
        return;
      }
      case 'restart_timeout':
        this.restartTimeout(line, name, args);
        return;
      case 'retry_interval':
        this.warn(this.span(line, name), 'deprecated-option', l10n.t('"retry_interval" was removed in mosquitto 2.0: it is accepted but has no effect.'),
          [{ kind: 'replace', title: l10n.t('Remove the line'), span: { line, start: 0, end: text.length }, text: '' }]);
        return;
      case 'start_type': {
        if (!this.needBridge(line, name)) {
          return;
        }
        if (a0?.text === 'manual') {
          this.error(this.span(line, a0), 'invalid-value', l10n.t('start_type manual is not supported by mosquitto; use automatic, lazy or once.'));
          return;
        }
        this.enumOption(line, name, args, ['automatic', 'lazy', 'once'], 'error');
        return;
      }
      case 'socket_domain': {
        const v = this.enumOption(line, name, args, ['ipv4', 'ipv6'], 'error');
        if (v === 'ipv4' || v === 'ipv6') {
          this.curListener.socketDomain = v;
          this.trigger(line, name);
        }
        return;
      }
      case 'topic':
        this.topicOption(line, name, args);
        return;
      default:
        break;
    }
    if (n.startsWith('auth_opt_') || n.startsWith('plugin_opt_')) {
      this.pluginOpt(line, name, text);
      return;
    }
    this.unknown(line, name, text);
  }

  private softDeprecation(line: number, name: ConfToken): void {
    const why = DEPRECATED_SOFT.get(name.text)?.();
    if (why) {
      const repl = findOption(name.text)?.deprecated;
      const fix: ConfFix[] = repl && /^[a-z_]+$/.test(repl) ? [{ kind: 'replace', title: l10n.t('Use {0}', repl), span: this.span(line, name), text: repl }] : [];
      this.info(this.span(line, name), 'deprecated-option', l10n.t('"{0}" still works. {1}', name.text, why), fix);
    }
  }

  private deprecatedWarning(line: number, name: ConfToken, advice: string, fixes?: ConfFix[]): void {
    this.warn(this.span(line, name), 'deprecated-option', l10n.t('"{0}" is deprecated and configures mosquitto\'s default listener. {1}', name.text, advice), fixes);
  }

  private applyBool(line: number, name: ConfToken, v: boolean): void {
    const n = name.text;
    const loc: Loc = { file: this.file, span: this.span(line, name), value: String(v) };
    switch (n) {
      case 'allow_anonymous':
        this.secScope().allowAnonymous = v;
        return;
      case 'allow_zero_length_clientid':
        if (!v && this.perListener) {
          this.trigger(line, name);
        }
        return;
      case 'per_listener_settings':
        if (v && this.securityTouched) {
          this.error(this.span(line, name), 'per-listener-settings-order',
            l10n.t('per_listener_settings must come before every security option (password_file, acl_file, allow_anonymous, plugin, …): mosquitto refuses it here. Move it to the top of the file.'));
          return;
        }
        if (this.listeners.length > 0 && this.firstListenerLoc) {
          this.warn(this.span(line, name), 'per-listener-settings-order',
            l10n.t('per_listener_settings comes after the first listener (line {0}{1}); put it at the top of the file so it is clear which options it affects.', this.firstListenerLoc.span.line + 1, this.firstListenerLoc.file === this.file ? '' : l10n.t(' of {0}', this.firstListenerLoc.file)));
        }
        this.perListener = v;
        return;
      case 'require_certificate':
        this.curListener.requireCertificate = v ? loc : undefined;
        if (v) {
          this.trigger(line, name);
        }
        return;
      case 'use_identity_as_username':
        this.curListener.useIdentity = v ? loc : undefined;
        if (v) {
          this.trigger(line, name);
        }
        return;
      case 'use_subject_as_username':
        this.curListener.useSubject = v ? loc : undefined;
        if (v) {
          this.trigger(line, name);
        }
        return;
      case 'use_username_as_clientid':
        if (v) {
          this.trigger(line, name);
        }
        return;
      default:
        return;
    }
  }

  private portOption(line: number, name: ConfToken, args: ConfToken[]): void {
    this.localOnly = false;
    const a0 = args[0];
    if (this.defaultPortLoc && this.defaultListener.port !== 0) {
      this.warn(this.span(line, name), 'duplicate-option', l10n.t('The default listener port is already set (line {0}); mosquitto only uses the last one.', this.defaultPortLoc.span.line + 1));
    }
    const fixes: ConfFix[] = a0 ? [{ kind: 'replace', title: l10n.t('Replace by "listener {0}"', a0.text), span: this.span(line, name), text: 'listener' }] : [];
    this.deprecatedWarning(line, name, l10n.t('Use "listener <port>" instead.'), fixes);
    const v = this.int(line, name, args, INT_RANGES.get('port'));
    if (v === undefined || v < 1 || v > 65535) {
      return;
    }
    this.defaultListener.port = v;
    this.defaultPortLoc = { file: this.file, span: this.span(line, name), value: String(v) };
    this.defaultTrigger ??= this.defaultPortLoc;
  }

  private listenerString(line: number, name: ConfToken, rest: ConfToken | undefined): void {
    const n = name.text;
    const l = this.curListener;
    if (n === 'mount_point' && this.listeners.length === 0) {
      this.error(this.span(line, name), 'listener-option-before-listener', l10n.t('mount_point needs a "listener" line before it: mosquitto refuses it otherwise.'));
      return;
    }
    if ((n === 'cafile' || n === 'certfile') && l.strings.has('psk_hint')) {
      this.error(this.span(line, name), 'tls-psk-conflict', l10n.t('"{0}" cannot be used on a listener that already has psk_hint: certificate and PSK encryption exclude each other on one listener.', n));
      return;
    }
    const where = l.isDefault ? l10n.t('for the default listener') : l10n.t('for this listener');
    const loc = this.str(line, name, rest, l.strings, n, where);
    if (!loc) {
      return;
    }
    if (n !== 'tls_version' && n !== 'http_dir' && !(n === 'tls_keyform' && loc.value !== 'engine')) {
      this.trigger(line, name);
    }
    if (n === 'mount_point' && /[+#]/.test(loc.value)) {
      this.error(loc.span, 'invalid-value', l10n.t('Invalid mount_point {0}: it must not contain the wildcards + or #.', q(loc.value)));
    }
    if (n === 'tls_engine_kpass_sha1') {
      const hex = loc.value.replace(/^0+/, '');
      if (!/^[0-9a-fA-F]+$/.test(loc.value) || hex.length < 39 || hex.length > 40) {
        this.error(loc.span, 'invalid-value', l10n.t('tls_engine_kpass_sha1 must be a SHA-1 digest written as 40 hex digits.'));
      }
    }
    if (n === 'tls_keyform' && loc.value !== 'engine' && loc.value !== 'pem') {
      this.warn(loc.span, 'invalid-value', l10n.t('tls_keyform {0} is not "pem" or "engine"; mosquitto treats it as pem.', q(loc.value)));
    }
    this.fileCheck(n, loc);
  }

  private rawEnum(line: number, name: ConfToken, text: string, values: string[]): void {
    const raw = text.slice(name.end + 1);
    if (name.end >= text.length || raw.length === 0) {
      this.missing(line, name, `a value (${values.join(', ')})`);
      return;
    }
    if (values.includes(raw)) {
      return;
    }
    const span: Span = { line, start: name.end + 1, end: text.length };
    const first = raw.trim().split(/[ \t]+/)[0] ?? '';
    const fixes: ConfFix[] = values.includes(first) ? [{ kind: 'replace', title: l10n.t('Change to "{0}"', first), span, text: first }] : [];
    const why = values.includes(first) ? l10n.t(' mosquitto compares the whole rest of the line, so extra blanks or a comment make it invalid.') : '';
    this.error(span, 'invalid-value', l10n.t('Invalid {0} {1}: expected one of {2}.{3}', name.text, q(raw), values.join(', '), why), fixes);
  }

  /** A one-word enumerated value; `emptySeverity` says what an empty value is (some are only logged). */
  private enumOption(line: number, name: ConfToken, args: ConfToken[], values: string[], emptySeverity: Severity): string | undefined {
    const a0 = args[0];
    if (!a0) {
      this.missing(line, name, `a value (${values.join(', ')})`, emptySeverity);
      return undefined;
    }
    if (!values.includes(a0.text)) {
      const lower = a0.text.toLowerCase();
      const fix = values.find((v) => v === lower) ?? values.find((v) => lower.startsWith(v) && lower.length - v.length <= 1);
      this.error(this.span(line, a0), 'invalid-value', l10n.t('Invalid {0} value {1}: expected one of {2}.', name.text, q(a0.text), values.join(', ')),
        fix ? [{ kind: 'replace', title: l10n.t('Change to {0}', fix), span: this.span(line, a0), text: fix }] : undefined);
      return undefined;
    }
    this.extra(line, name.text, args, 1);
    return a0.text;
  }

  private addressOption(line: number, name: ConfToken, args: ConfToken[]): void {
    if (!this.needBridge(line, name)) {
      return;
    }
    const b = this.curBridge;
    if (!b) {
      return;
    }
    if (b.addresses) {
      this.error(this.span(line, name), 'duplicate-option', l10n.t('This bridge already has its addresses (line {0}); list every address on one "{1}" line.', b.addresses.span.line + 1, name.text));
      return;
    }
    let count = 0;
    for (const a of args) {
      if (a.text.startsWith('#')) {
        break;
      }
      count++;
      const c = a.text.lastIndexOf(':');
      if (c >= 0) {
        const port = atoi(a.text.slice(c + 1));
        if (port < 1 || port > 65535) {
          this.error(this.span(line, a), 'invalid-port', l10n.t('Invalid port in bridge address {0}: a port must be between 1 and 65535 (IPv6 addresses need a port, e.g. [::1]:1883 is written ::1:1883).', q(a.text)));
        }
      }
    }
    if (count === 0) {
      this.missing(line, name, l10n.t('at least one address'));
      return;
    }
    b.addresses = { file: this.file, span: this.span(line, name), value: '' };
  }

  private includeDir(line: number, name: ConfToken, text: string): void {
    if (this.level > 0) {
      this.warn(this.span(line, name), 'include-dir-ignored', l10n.t('include_dir is only read in the main configuration file; mosquitto ignores it in included files.'));
      return;
    }
    const raw = name.end < text.length ? text.slice(name.end + 1) : '';
    if (raw.length === 0) {
      this.missing(line, name, 'a directory');
      return;
    }
    const span: Span = { line, start: name.end + 1, end: text.length };
    const trimmed = raw.trim();
    if (trimmed !== raw && trimmed.length > 0) {
      this.warn(span, 'blank-in-path', l10n.t('The include_dir path is taken literally, blanks included: mosquitto looks for {0}.', q(raw)),
        [{ kind: 'replace', title: l10n.t('Remove the blanks'), span, text: trimmed }]);
    }
    const fs = this.fs;
    if (!fs) {
      return;
    }
    const dir = resolvePath(this.baseDir, raw);
    let entries: string[] | undefined;
    try {
      entries = fs.stat(dir) === 'dir' ? fs.readDir(dir) : undefined;
    } catch {
      entries = undefined;
    }
    if (!entries) {
      this.warn(span, 'missing-file', l10n.t('Directory not found: {0}. mosquitto will not start if it cannot open it ("Unable to open include_dir").', dir));
      return;
    }
    const names = entries.filter((e) => e.length > 5 && e.endsWith('.conf')).sort(compareIncludeNames);
    const saved = { file: this.file, listener: this.curListener, bridge: this.curBridge, plugin: this.curPlugin, level: this.level };
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
        this.add(saved.file, span, 'error', 'include-is-directory', l10n.t('{0} is a directory; mosquitto refuses to read it as a config file (rename it so it does not end in .conf).', path));
        continue;
      }
      if (content === undefined) {
        this.add(saved.file, span, 'warning', 'missing-file', l10n.t('Cannot read {0}; mosquitto will not start if it cannot open it.', path));
        continue;
      }
      const parsed = parseConfInternal(content, path);
      this.included.push(parsed.conf);
      this.lintFile(path, parsed, this.level + 1);
    }
    this.file = saved.file;
    this.curListener = saved.listener;
    this.curBridge = saved.bridge;
    this.curPlugin = saved.plugin;
    this.level = saved.level;
  }

  private listenerOption(line: number, name: ConfToken, args: ConfToken[], text: string): void {
    this.localOnly = false;
    const a0 = args[0];
    if (!a0) {
      this.missing(line, name, l10n.t('a port number'));
      return;
    }
    const port = atoi(a0.text);
    if (port < 0 || port > 65535) {
      this.error(this.span(line, a0), 'invalid-port', l10n.t('Invalid port {0}: a port must be between 1 and 65535 (or 0 with a Unix socket path).', q(a0.text)));
      return;
    }
    const a1 = args[1] && !args[1].text.startsWith('#') ? args[1] : undefined;
    if (port === 0 && !a1) {
      this.error(this.span(line, a0), 'invalid-port', INT_TEXT.test(a0.text)
        ? l10n.t('A listener with port 0 must give a Unix socket path: "listener 0 /path/to/socket".')
        : l10n.t('{0} is not a number: mosquitto reads it as port 0, which needs a Unix socket path.', q(a0.text)));
      return;
    }
    this.nonNumeric(line, 'listener', a0, port);
    if (a1) {
      this.extra(line, 'listener', args, 2);
    }
    const l = newListener(this.file, this.span(line, name), port, false);
    l.lineSpan = { line, start: text.length, end: text.length };
    if (a1) {
      if (port === 0) {
        l.unixPath = a1.text;
        if (utf8Length(a1.text) > 107) {
          this.error(this.span(line, a1), 'invalid-value', l10n.t('The Unix socket path is longer than 107 bytes; mosquitto cannot open it.'));
        }
      } else {
        l.host = a1.text;
      }
    }
    this.listeners.push(l);
    this.firstListenerLoc ??= { file: this.file, span: l.span, value: '' };
    this.curListener = l;
  }

  private logDest(line: number, name: ConfToken, args: ConfToken[], text: string): void {
    const a0 = args[0];
    if (!a0) {
      this.missing(line, name, l10n.t('a destination (stderr, stdout, syslog, topic, dlt, file <path> or none)'));
      return;
    }
    if (a0.text === 'file') {
      if (this.logFile) {
        this.error(this.span(line, a0), 'duplicate-option', l10n.t('"log_dest file" is already given (line {0}{1}); mosquitto logs to one file only.', this.logFile.span.line + 1, this.logFile.file === this.file ? '' : l10n.t(' of {0}', this.logFile.file)));
        return;
      }
      let s = a0.end + 1;
      while (s < text.length && (text.charCodeAt(s) === 0x20 || text.charCodeAt(s) === 0x09)) {
        s++;
      }
      if (a0.end >= text.length || s >= text.length) {
        this.error(this.span(line, a0), 'missing-value', l10n.t('"log_dest file" needs the path of the log file.'));
        return;
      }
      const value = text.slice(s);
      const loc: Loc = { file: this.file, span: { line, start: s, end: text.length }, value };
      this.logFile = loc;
      if (value !== value.trimEnd()) {
        this.warn(loc.span, 'blank-in-path', l10n.t('The log file path is taken literally up to the end of the line, blanks included: {0}.', q(value)),
          [{ kind: 'replace', title: l10n.t('Remove trailing blanks'), span: loc.span, text: value.trimEnd() }]);
      } else {
        this.commentInValue(line, 'log_dest file', { text: value, start: s, end: text.length });
      }
      this.fileCheck('log_dest', loc, 'parent');
      return;
    }
    this.enumOption(line, name, args, ['none', 'syslog', 'stdout', 'stderr', 'topic', 'dlt', 'file'], 'error');
  }

  private expiration(line: number, name: ConfToken, args: ConfToken[]): void {
    const a0 = args[0];
    if (!a0) {
      this.missing(line, name, 'a duration', 'warning');
      return;
    }
    const unit = a0.text.charAt(a0.text.length - 1);
    const mult = unit === 'h' ? 3600 : unit === 'd' ? 86400 : unit === 'w' ? 604800 : unit === 'm' ? 2592000 : unit === 'y' ? 31536000 : 0;
    const num = a0.text.slice(0, -1);
    if (mult === 0 || atoi(num) * mult <= 0) {
      const fix: ConfFix[] = INT_TEXT.test(a0.text) && atoi(a0.text) > 0 ? [{ kind: 'replace', title: l10n.t('Change to {0}d (days)', a0.text), span: this.span(line, a0), text: `${a0.text}d` }] : [];
      this.error(this.span(line, a0), 'invalid-value', l10n.t('Invalid persistent_client_expiration {0}: write a positive number followed by h, d, w, m or y (e.g. 14d).', q(a0.text)), fix);
      return;
    }
    if (!INT_TEXT.test(num)) {
      this.warn(this.span(line, a0), 'not-a-number', l10n.t('{0} is not a plain number; mosquitto reads {1} as {2}{3}.', q(num), q(a0.text), atoi(num), unit));
    }
    this.extra(line, name.text, args, 1);
  }

  private restartTimeout(line: number, name: ConfToken, args: ConfToken[]): void {
    if (!this.needBridge(line, name)) {
      return;
    }
    const a0 = args[0];
    if (!a0) {
      this.missing(line, name, l10n.t('a number of seconds'));
      return;
    }
    let base = atoi(a0.text);
    this.nonNumeric(line, name.text, a0, base);
    if (base < 1) {
      base = 1;
    }
    const a1 = args[1];
    if (a1) {
      const cap = atoi(a1.text);
      if (cap < base) {
        const comment = a1.text.startsWith('#') ? l10n.t(' (a comment here is read as the cap, 0)') : '';
        this.error(this.span(line, a1), 'out-of-range', l10n.t('restart_timeout: the backoff cap {0} is lower than the base {1}{2}; mosquitto refuses it.', q(a1.text), base, comment));
        return;
      }
      this.nonNumeric(line, name.text, a1, cap);
      this.extra(line, name.text, args, 2);
    }
  }

  private topicOption(line: number, name: ConfToken, args: ConfToken[]): void {
    if (!this.needBridge(line, name)) {
      return;
    }
    const b = this.curBridge;
    const topic = args[0];
    if (!b || !topic) {
      if (!topic) {
        this.missing(line, name, l10n.t('a topic pattern'));
      }
      return;
    }
    const dir = args[1];
    let local: string | undefined;
    let remote: string | undefined;
    if (dir) {
      const d = dir.text.toLowerCase();
      if (d !== 'out' && d !== 'in' && d !== 'both') {
        const comment = dir.text.startsWith('#') ? l10n.t(' A comment cannot follow the topic: mosquitto reads it as the direction.') : '';
        this.error(this.span(line, dir), 'invalid-value', l10n.t('Invalid bridge topic direction {0}: expected out, in or both.{1}', q(dir.text), comment));
        return;
      }
      const qosTok = args[2];
      if (qosTok) {
        const qos = atoi(qosTok.text) & 0xff;
        if (qos > 2) {
          this.error(this.span(line, qosTok), 'invalid-value', l10n.t('Invalid bridge QoS {0}: expected 0, 1 or 2.', q(qosTok.text)));
          return;
        }
        if (!qosTok.text.startsWith('#')) {
          if (!INT_TEXT.test(qosTok.text)) {
            this.nonNumeric(line, 'topic QoS', qosTok, qos);
          }
          const lp = args[3];
          if (lp) {
            if (lp.text !== '""' && !lp.text.startsWith('#')) {
              local = lp.text;
            }
            if (!lp.text.startsWith('#')) {
              const rp = args[4];
              if (rp && rp.text !== '""' && !rp.text.startsWith('#')) {
                remote = rp.text;
              }
              if (rp && !rp.text.startsWith('#')) {
                this.extra(line, 'topic', args, 5);
              }
            }
          }
        }
      }
    }
    if (local !== undefined && /[+#]/.test(local)) {
      this.error(this.span(line, args[3] ?? topic), 'invalid-value', l10n.t('Invalid bridge local prefix {0}: it must not contain + or #.', q(local)));
      return;
    }
    if (remote !== undefined && /[+#]/.test(remote)) {
      this.error(this.span(line, args[4] ?? topic), 'invalid-value', l10n.t('Invalid bridge remote prefix {0}: it must not contain + or #.', q(remote)));
      return;
    }
    if (topic.text === '""' && (local === undefined || remote === undefined)) {
      this.error(this.span(line, topic), 'invalid-value', l10n.t('An empty topic ("") needs both a local and a remote prefix (mosquitto: "Invalid bridge remapping").'));
      return;
    }
    b.topicCount++;
  }

  private pluginOpt(line: number, name: ConfToken, text: string): void {
    const n = name.text;
    if (!this.curPlugin) {
      this.error(this.span(line, name), 'plugin-option-without-plugin',
        l10n.t('"{0}" must follow a "plugin" (or "auth_plugin") line{1}: mosquitto refuses plugin options without a plugin.', n, this.level > 0 ? l10n.t(' in the same file') : ''));
      return;
    }
    const prefix = n.startsWith('auth_opt_') ? 9 : 11;
    if (n.length < prefix + 3) {
      this.error(this.span(line, name), 'invalid-plugin-option', l10n.t('Invalid plugin option name {0}: mosquitto requires a key of at least three characters after "{1}".', q(n), n.slice(0, prefix)));
      return;
    }
    let s = name.end + 1;
    while (s < text.length && (text.charCodeAt(s) === 0x20 || text.charCodeAt(s) === 0x09)) {
      s++;
    }
    if (name.end >= text.length || s >= text.length) {
      this.missing(line, name, 'a value');
    }
  }

  private unknown(line: number, name: ConfToken, text: string): void {
    const n = name.text;
    const span = this.span(line, name);
    const tab = n.indexOf('\t');
    if (n === '#' || (n.startsWith('#') && name.start > 0)) {
      this.error(span, 'unknown-option', l10n.t('A comment must start in the first column: mosquitto reads this "#" as an option name and refuses it.'),
        [{ kind: 'replace', title: l10n.t('Remove the leading blanks'), span: { line, start: 0, end: name.start }, text: '' }]);
      return;
    }
    if (tab > 0) {
      const head = n.slice(0, tab);
      if (findOption(head)) {
        this.error(span, 'unknown-option', l10n.t('mosquitto separates words with spaces only: with the tab, {0} is read as one unknown option name.', q(n)),
          [{ kind: 'replace', title: l10n.t('Replace tabs by spaces'), span: { line, start: name.start, end: text.length }, text: text.slice(name.start).replace(/\t/g, ' ') }]);
        return;
      }
    }
    if (tab === 0 || n.startsWith('\t')) {
      const t = n.replace(/^\t+/, '');
      this.error(span, 'unknown-option', l10n.t('mosquitto does not skip tabs at the start of a line: {0} is read as the option name. Indent with spaces or not at all.', q(n)),
        t.length > 0 ? [{ kind: 'replace', title: l10n.t('Remove the leading tabs'), span: { line, start: name.start, end: name.start + (n.length - t.length) }, text: '' }] : undefined);
      return;
    }
    const s = suggestOption(n);
    if (s === 'allow_anonymous') {
      this.anonymousBroken = true;
    }
    if (s) {
      this.error(span, 'unknown-option', l10n.t('Unknown option {0} — did you mean "{1}"? mosquitto refuses unknown options.', q(n), s),
        [{ kind: 'replace', title: l10n.t('Change to {0}', s), span, text: s }]);
      return;
    }
    const bad = badUtf8Index(n) >= 0;
    this.error(span, 'unknown-option', l10n.t('Unknown option {0}: mosquitto refuses options it does not know.', q(bad ? printable(n) : n)));
  }

  // ---- after reading: config__read, config__check, startup -----------------------------------

  finish(mainFile: string): void {
    const all = [...this.listeners];
    const def = this.defaultListener;
    if (this.defaultTrigger) {
      def.port = def.port || 1883;
      def.file = this.defaultTrigger.file;
      def.span = this.defaultTrigger.span;
      def.lineSpan = this.defaultTrigger.span;
      all.push(def);
      if (!this.defaultPortLoc) {
        const t = this.defaultTrigger;
        const inInclude = t.file !== mainFile;
        this.add(t.file, t.span, 'warning', 'implicit-default-listener',
          l10n.t('"{0}" comes before any "listener" line{1}, so mosquitto applies it to its default listener and opens that listener on port 1883 on all interfaces{2}.{3}', t.value, inInclude ? l10n.t(' of this included file') : '', this.localOnly ? l10n.t(', with anonymous access allowed') : '', inInclude ? l10n.t(' Options in an included file do not continue the listener of the including file.') : ''));
      }
    }
    this.checkBridges();
    this.checkDuplicateListeners(all);
    for (const l of all) {
      this.checkTls(l);
    }
    this.checkAnonymous(all, mainFile);
    const ws = all.filter((l) => l.protocol === 'websockets');
    if (ws.length > 0 && ws.length === all.length) {
      const l = ws[0];
      if (l) {
        this.add(l.file, l.span, 'error', 'websockets-only',
          l10n.t('Every listener uses protocol websockets: mosquitto 2.0.11 (Debian build) then fails with "Unable to start any listening sockets". Add a plain MQTT listener.'));
      }
    }
  }

  private checkBridges(): void {
    const locals = new Map<string, Bridge>();
    for (const b of this.bridges) {
      if (!b.addresses) {
        this.add(b.file, b.span, 'error', 'bridge-incomplete', l10n.t('Bridge {0} has no "address" line; mosquitto refuses a bridge without remote addresses.', q(b.name)));
      }
      if (b.topicCount === 0) {
        this.add(b.file, b.span, 'error', 'bridge-incomplete', l10n.t('Bridge {0} has no "topic" line; mosquitto refuses a bridge without topics.', q(b.name)));
      }
      const psk = b.strings.get('bridge_psk');
      const ident = b.strings.get('bridge_identity');
      if (psk && !ident) {
        this.add(psk.file, psk.span, 'error', 'bridge-incomplete', l10n.t('Bridge {0} has bridge_psk but no bridge_identity; mosquitto refuses it.', q(b.name)));
      }
      if (ident && !psk) {
        this.add(ident.file, ident.span, 'error', 'bridge-incomplete', l10n.t('Bridge {0} has bridge_identity but no bridge_psk; mosquitto refuses it.', q(b.name)));
      }
      const remote = b.strings.get('remote_clientid')?.value ?? `\u0000host.${b.name}`;
      const local = b.strings.get('local_clientid')?.value ?? `local.${remote}`;
      const other = locals.get(local);
      if (other) {
        const loc = b.strings.get('local_clientid');
        this.add(loc?.file ?? b.file, loc?.span ?? b.span, 'error', 'duplicate-bridge-clientid',
          l10n.t('Bridges {0} and {1} end up with the same local_clientid {2}; mosquitto requires them to differ.', q(other.name), q(b.name), q(local.replace('\u0000host', '<hostname>'))));
      } else {
        locals.set(local, b);
      }
      const cert = b.strings.get('bridge_certfile');
      const key = b.strings.get('bridge_keyfile');
      if (cert && !key) {
        this.add(cert.file, cert.span, 'warning', 'tls-incomplete', l10n.t('Bridge {0} has bridge_certfile but no bridge_keyfile; the certificate cannot be used.', q(b.name)));
      } else if (key && !cert) {
        this.add(key.file, key.span, 'warning', 'tls-incomplete', l10n.t('Bridge {0} has bridge_keyfile but no bridge_certfile; the key cannot be used.', q(b.name)));
      }
    }
  }

  private family(l: Listener): 4 | 6 | 0 {
    if (l.socketDomain) {
      return l.socketDomain === 'ipv4' ? 4 : 6;
    }
    if (l.host && /^[0-9.]+$/.test(l.host)) {
      return 4;
    }
    if (l.host?.includes(':')) {
      return 6;
    }
    return 0;
  }

  private checkDuplicateListeners(all: Listener[]): void {
    const norm = (h: string | undefined): string | undefined =>
      h === undefined || h === '0.0.0.0' || h === '::' ? undefined : h === 'localhost' || h === '127.0.0.1' || h === '::1' ? 'loopback' : h;
    for (let j = 1; j < all.length; j++) {
      const b = all[j];
      if (!b) {
        continue;
      }
      for (let i = 0; i < j; i++) {
        const a = all[i];
        if (!a) {
          continue;
        }
        const where = a.file === b.file ? `line ${a.span.line + 1}` : `${a.file}:${a.span.line + 1}`;
        if (a.unixPath !== undefined || b.unixPath !== undefined) {
          if (a.unixPath !== undefined && a.unixPath === b.unixPath) {
            this.add(b.file, b.span, 'warning', 'duplicate-listener', l10n.t('The Unix socket {0} is already used by the listener at {1}; mosquitto replaces the first socket and only this listener is reachable.', q(a.unixPath), where));
            break;
          }
          continue;
        }
        if (a.port !== b.port) {
          continue;
        }
        const fa = this.family(a);
        const fb = this.family(b);
        if (fa !== 0 && fb !== 0 && fa !== fb) {
          continue;
        }
        const ha = norm(a.host);
        const hb = norm(b.host);
        if (ha === undefined || hb === undefined || ha === hb) {
          const what = b.isDefault ? l10n.t('The default listener (port {0})', b.port) : l10n.t('Port {0}', b.port);
          this.add(b.file, b.span, 'error', 'duplicate-listener',
            l10n.t('{0} is already used by the listener at {1}{2}; mosquitto fails to start with "Address already in use".', what, where, a.isDefault ? l10n.t(' (the default listener)') : ''));
          break;
        }
      }
    }
  }

  private checkTls(l: Listener): void {
    const s = l.strings;
    const cert = s.get('certfile');
    const key = s.get('keyfile');
    const psk = s.get('psk_hint');
    const tls = (cert !== undefined && key !== undefined) || psk !== undefined;
    if (cert && !key) {
      this.add(cert.file, cert.span, 'warning', 'tls-incomplete', l10n.t('certfile without keyfile: mosquitto does not switch TLS on for this listener and serves plain, unencrypted MQTT.'));
    } else if (key && !cert) {
      this.add(key.file, key.span, 'warning', 'tls-incomplete', l10n.t('keyfile without certfile: mosquitto does not switch TLS on for this listener and serves plain, unencrypted MQTT.'));
    }
    if (!tls) {
      for (const k of ['cafile', 'capath', 'crlfile', 'dhparamfile', 'ciphers', 'ciphers_tls1.3', 'tls_version']) {
        const loc = s.get(k);
        if (loc && !(cert || key)) {
          this.add(loc.file, { ...loc.span }, 'warning', 'tls-option-without-tls', l10n.t('"{0}" has no effect: TLS is off on this listener (it needs certfile and keyfile, or psk_hint).', k));
        }
      }
      if (l.requireCertificate && !(cert || key)) {
        const r = l.requireCertificate;
        this.add(r.file, r.span, 'warning', 'tls-option-without-tls', l10n.t('require_certificate has no effect: TLS is off on this listener (it needs certfile and keyfile).'));
      }
      return;
    }
    const v = s.get('tls_version');
    if (v && !['tlsv1.3', 'tlsv1.2', 'tlsv1.1'].includes(v.value) && l.protocol === 'mqtt') {
      this.add(v.file, v.span, 'error', 'invalid-value', l10n.t('Unsupported tls_version {0}: mosquitto fails to start this listener. Use tlsv1.3, tlsv1.2 or tlsv1.1.', q(v.value)));
    }
    if (l.requireCertificate && cert && !s.get('cafile') && !s.get('capath')) {
      const r = l.requireCertificate;
      this.add(r.file, r.span, 'warning', 'tls-no-ca', l10n.t('require_certificate is true but there is no cafile or capath to check client certificates against: every client will be refused.'));
    }
    if (l.useIdentity && cert && !l.requireCertificate) {
      const u = l.useIdentity;
      this.add(u.file, u.span, 'warning', 'tls-identity-without-certificate', l10n.t('use_identity_as_username needs require_certificate true; without a client certificate there is no identity and clients are refused.'));
    }
  }

  private checkAnonymous(all: Listener[], mainFile: string): void {
    if (this.localOnly) {
      if (all.length === 0) {
        this.add(mainFile, { line: 0, start: 0, end: 0 }, 'info', 'local-only',
          l10n.t('No listener is configured: mosquitto starts in local-only mode, listening on port 1883 of 127.0.0.1 and ::1 only, and allows anonymous clients. Add a "listener" line to accept remote clients.'));
      }
      return;
    }
    for (const l of all) {
      const sec = this.perListener ? l.sec : this.globalSec;
      if (sec.allowAnonymous === true || this.anonymousBroken) {
        continue;
      }
      const hasPsk = l.strings.has('psk_hint') && sec.strings.has('psk_file');
      const hasCertId = l.requireCertificate !== undefined && (l.useIdentity !== undefined || l.useSubject !== undefined);
      if (sec.strings.has('password_file') || sec.plugins.length > 0 || hasPsk || hasCertId) {
        continue;
      }
      const expl = sec.allowAnonymous === false ? l10n.t('allow_anonymous is false') : l10n.t('allow_anonymous is not set (false by default since mosquitto 2.0)');
      const what = l.isDefault ? l10n.t('The default listener (port {0})', l.port) : l.unixPath !== undefined ? l10n.t('The Unix socket listener {0}', q(l.unixPath)) : l10n.t('The listener on port {0}', l.port);
      const fixes: ConfFix[] = sec.allowAnonymous === undefined && !l.isDefault
        ? [{ kind: 'replace', title: l10n.t('Allow anonymous clients (allow_anonymous true)'), span: l.lineSpan, text: '\nallow_anonymous true' }]
        : [];
      this.add(l.file, l.span, 'warning', 'no-authentication',
        l10n.t('{0} will refuse every client: {1} and it has no password_file, plugin{2} or certificate identity (require_certificate + use_identity_as_username).{3}', what, expl, l.strings.has('psk_hint') ? l10n.t(', psk_file') : '', this.perListener ? l10n.t(' With per_listener_settings true, security options must follow this listener.') : ''),
        fixes);
    }
  }

  sortDiagnostics(): void {
    const order = this.fileOrder;
    this.diags.sort((a, b) => {
      const fa = order.get(a.file) ?? Number.MAX_SAFE_INTEGER;
      const fb = order.get(b.file) ?? Number.MAX_SAFE_INTEGER;
      return fa - fb || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.span.line - b.span.line || a.span.start - b.span.start;
    });
  }
}

/** Lints a mosquitto.conf text as mosquitto 2.0.11 would read it. Never throws. */
export function lintConf(text: string, options: LintOptions): LintResult {
  const file = options?.file ?? '';
  let parsed: ParsedInternal;
  try {
    parsed = parseConfInternal(typeof text === 'string' ? text : '', file);
  } catch {
    return { parsed: { file, lines: [], sections: [], perListenerSettings: false }, diagnostics: [], included: [] };
  }
  const linter = new Linter({ ...options, file });
  try {
    linter.lintFile(file, parsed, 0);
    linter.finish(file);
  } catch (e) {
    linter.diags.push({
      file, span: { line: 0, start: 0, end: 0 }, severity: 'info', code: 'internal-error',
      message: l10n.t('The linter stopped early: {0}', e instanceof Error ? e.message : String(e)),
    });
  }
  linter.sortDiagnostics();
  return { parsed: parsed.conf, diagnostics: linter.diags, included: linter.included };
}

// Re-exported for tests and the CLI.
export { restOf, isCSpace };
