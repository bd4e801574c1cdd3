// The linter's state while it reads a configuration: what mosquitto keeps in struct mosquitto__config
// (listeners, bridges, security options) and in the locals of config__read_file_core (the current
// listener, bridge and plugin, the include level), the diagnostics found so far, and the few helpers
// every option group uses to report and to find the current scope.

import * as l10n from '@vscode/l10n';
import type { ParsedInternal } from '../parser';
import type { ConfDiagnostic, ConfFix, ConfFs, ConfToken, LintOptions, ParsedConf, Severity, Span } from '../types';
import { dirname } from './files';

/** Where a value was given, and the value. */
export interface Loc {
  file: string;
  span: Span;
  value: string;
}

/** struct mosquitto__security_options: global, or one per listener with per_listener_settings. */
export interface SecOpts {
  strings: Map<string, Loc>; // acl_file, password_file, psk_file, auto_id_prefix
  allowAnonymous?: boolean;
  plugins: Loc[];
}

export interface Listener {
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

export interface Bridge {
  name: string;
  file: string;
  span: Span;
  addresses?: Loc;
  topicCount: number;
  strings: Map<string, Loc>;
}

/** What the linter does with one option line: the reading of its value and what the value sets. */
export type OptionRule = (lx: LintState, line: number, name: ConfToken, args: ConfToken[], rest: ConfToken | undefined, text: string) => void;

export const newSec = (): SecOpts => ({ strings: new Map(), plugins: [] });

export function newListener(file: string, span: Span, port: number, isDefault: boolean): Listener {
  return { file, span, lineSpan: span, port, protocol: 'mqtt', strings: new Map(), sec: newSec(), isDefault };
}

export abstract class LintState {
  readonly diags: ConfDiagnostic[] = [];
  readonly included: ParsedConf[] = [];
  readonly fs: ConfFs | undefined;
  readonly baseDir: string;
  readonly reach: LintOptions['reach'];

  // global state (struct mosquitto__config, and the static cur_security_options)
  perListener = false;
  securityTouched = false;
  readonly globalSec = newSec();
  readonly listeners: Listener[] = [];
  readonly defaultListener: Listener;
  defaultTrigger: Loc | undefined;
  defaultPortLoc: Loc | undefined;
  localOnly = true;
  readonly bridges: Bridge[] = [];
  readonly globals = new Map<string, Loc>();
  logFile: Loc | undefined;
  firstListenerLoc: Loc | undefined;
  /** An allow_anonymous line (or a misspelling of it) was refused: don't guess what it meant. */
  anonymousBroken = false;

  // per-file state (locals of config__read_file_core)
  file = '';
  curListener: Listener;
  curBridge: Bridge | undefined;
  curPlugin = false;
  level = 0;

  constructor(opts: LintOptions) {
    this.fs = opts.fs;
    this.reach = opts.reach;
    this.baseDir = opts.baseDir ?? dirname(opts.file);
    this.defaultListener = newListener(opts.file, { line: 0, start: 0, end: 0 }, 0, true);
    this.curListener = this.defaultListener;
  }

  /** Reads one file (the main one, or one include_dir pulls in at `level` 1). */
  abstract lintFile(file: string, parsed: ParsedInternal, level: number): void;

  add(file: string, span: Span, severity: Severity, code: string, message: string, fixes?: ConfFix[]): void {
    const d: ConfDiagnostic = { file, span: { line: span.line, start: span.start, end: span.end }, severity, code, message };
    if (fixes && fixes.length > 0) {
      d.fixes = fixes;
    }
    this.diags.push(d);
  }
  error(span: Span, code: string, message: string, fixes?: ConfFix[]): void {
    this.add(this.file, span, 'error', code, message, fixes);
  }
  warn(span: Span, code: string, message: string, fixes?: ConfFix[]): void {
    this.add(this.file, span, 'warning', code, message, fixes);
  }
  info(span: Span, code: string, message: string, fixes?: ConfFix[]): void {
    this.add(this.file, span, 'info', code, message, fixes);
  }

  span(line: number, t: { start: number; end: number }): Span {
    return { line, start: t.start, end: t.end };
  }

  secScope(): SecOpts {
    return this.perListener ? this.curListener.sec : this.globalSec;
  }

  /** An option that makes mosquitto open its default listener when it comes before any `listener`. */
  trigger(line: number, name: ConfToken): void {
    if (this.curListener.isDefault && !this.defaultTrigger) {
      this.defaultTrigger = { file: this.file, span: this.span(line, name), value: name.text };
    }
  }

  needBridge(line: number, name: ConfToken): boolean {
    if (this.curBridge) {
      return true;
    }
    this.error(this.span(line, name), 'bridge-option-outside-bridge',
      l10n.t('"{0}" is a bridge option but no bridge has been started{1}: put it after a "connection <name>" line (mosquitto: "Invalid bridge configuration").', name.text, this.level > 0 ? l10n.t(' in this file') : ''));
    return false;
  }
}
