// The contract between the mosquitto.conf core (parser, catalog, linter) and its users: the editor
// glue in src/conf, the `mosquitto-lint` CLI, tests and benchmarks. Plain data, no vscode.

export type Severity = 'error' | 'warning' | 'info';

/** A span on one line. `line` is 0-based; columns are UTF-16 offsets into that line, `end` exclusive. */
export interface Span {
  line: number;
  start: number;
  end: number;
}

/** A machine-applicable fix offered as a quick fix in the editor. */
export type ConfFix =
  /** Replace `span` (in the diagnostic's file) by `text`. */
  | { kind: 'replace'; title: string; span: Span; text: string }
  /** Create the password file at `path` (absolute) with `mosquitto_passwd`. */
  | { kind: 'createPasswordFile'; title: string; path: string };

export interface ConfDiagnostic {
  /** The file the problem is in: the linted file's name as given, or an included file's path. */
  file: string;
  span: Span;
  severity: Severity;
  /** Plain words. For errors, says what mosquitto would refuse and why. */
  message: string;
  /** Stable identifier of the rule, e.g. `unknown-option`, `missing-file`, `deprecated-option`. */
  code: string;
  fixes?: ConfFix[];
}

export interface ConfToken {
  text: string;
  start: number;
  end: number;
}

/** One physical line of a config file, as mosquitto's parser sees it. */
export interface ConfLine {
  /** 0-based line number. */
  line: number;
  kind: 'blank' | 'comment' | 'option';
  /** The option name token (kind 'option'). */
  name?: ConfToken;
  /** The space-separated tokens after the name (mosquitto splits on ' ' only). */
  args: ConfToken[];
  /** Everything after the name with blanks trimmed: what string-valued options receive. */
  rest?: ConfToken;
  /** Index into ParsedConf.sections of the listener/bridge this line belongs to, or -1 for the general part. */
  section: number;
}

export interface ListenerSection {
  kind: 'listener';
  /** 0-based line of the `listener` (or deprecated `port`) line. */
  line: number;
  /** Last line (0-based, inclusive) that belongs to this section in this file. */
  endLine: number;
  /** Port as mosquitto reads it (0 with a unix socket path). */
  port: number;
  /** Bind address / host, or the unix socket path when `socketPath` is true. */
  bindAddress?: string;
  socketPath?: boolean;
  protocol: 'mqtt' | 'websockets';
  /** TLS is enabled on this listener (certfile+keyfile, or PSK). */
  tls: boolean;
  cafile?: string;
  capath?: string;
  certfile?: string;
  keyfile?: string;
  requireCertificate?: boolean;
  /** True for the deprecated `port N` form that configures the default listener. */
  defaultListener?: boolean;
}

export interface BridgeSection {
  kind: 'bridge';
  line: number;
  endLine: number;
  /** The connection name. */
  name: string;
  addresses: string[];
}

export type ConfSection = ListenerSection | BridgeSection;

export interface ParsedConf {
  /** As given to the linter. */
  file: string;
  lines: ConfLine[];
  sections: ConfSection[];
  /** Value of per_listener_settings as it ends up (false when absent). */
  perListenerSettings: boolean;
}

/** What the linter may read from disk; the CLI and the extension give it the real file system. */
export interface ConfFs {
  readFile(path: string): string | undefined;
  stat(path: string): 'file' | 'dir' | undefined;
  /** Entry names (not paths) of a directory, or undefined when it cannot be read. */
  readDir(path: string): string[] | undefined;
}

export interface LintOptions {
  /** The file name to report diagnostics under (as given on the command line / the document's path). */
  file: string;
  /**
   * Directory relative paths are resolved against. Default: the directory of `file`.
   * (mosquitto resolves them against its working directory; configs are usually started from there.)
   */
  baseDir?: string;
  /** File system access for existence checks and include_dir; without it those checks are skipped. */
  fs?: ConfFs;
  /**
   * Where `fs` may look. Network (UNC) paths are never touched (on Windows, opening one sends the
   * user's credentials to that host); in an untrusted folder (`trusted: false`) nothing outside
   * `roots` is either. Such paths get a "not checked" note. Absent: trusted, anywhere (the CLI).
   */
  reach?: { readonly trusted: boolean; readonly roots: readonly string[] };
}

export interface LintResult {
  parsed: ParsedConf;
  /** Diagnostics of the file and of the files its include_dir lines pull in, sorted by file then line. */
  diagnostics: ConfDiagnostic[];
  /** Files read through include_dir, in the order mosquitto reads them. */
  included: ParsedConf[];
}

/** An option of mosquitto.conf as the catalog describes it. */
export interface OptionInfo {
  /** Exact name, or a prefix ending in `*` (`auth_opt_*`, `plugin_opt_*`). */
  name: string;
  /** general; listener (applies to the current listener); security (general, or per listener when per_listener_settings is true); bridge (after `connection`). */
  scope: 'general' | 'listener' | 'security' | 'bridge';
  /** Synopsis as in the man page, e.g. `listener port [bind address/host/unix socket path]`. */
  syntax: string;
  /** Allowed values of the (first) argument, for completion and hover. */
  values?: string[];
  /** Default value in plain words. */
  default?: string;
  /** May appear more than once (in the same scope). */
  repeatable: boolean;
  /** Deprecated: what to use instead. */
  deprecated?: string;
  /** Markdown documentation (our own words, after mosquitto.conf(5)). */
  doc: string;
  /** Applied on SIGHUP reload. */
  reloadable?: boolean;

  // What the linter needs to replay how mosquitto reads the option (src/core/conf/lint reads these):
  /**
   * How the value is read: `bool` (true, false, 1 or 0), `int` (conf__parse_int: atoi of one word),
   * `string` (conf__parse_string: the rest of the line, valid UTF-8). Absent: the option has a reading
   * of its own (enumerations, ports, durations, paths to the end of the line, …).
   */
  value?: 'bool' | 'int' | 'string';
  /** For `int` values: the range mosquitto enforces, and the words for a value outside it. */
  range?: { min?: number; max?: number; message: () => string };
  /** Another spelling of that option: both fill the same setting, so giving both is giving it twice. */
  sameAs?: string;
  /** The value names what mosquitto opens at startup: a file, a directory, or a file whose directory must exist. */
  path?: 'file' | 'dir' | 'parent';
  /** Setting it picks the current security options (conf__set_cur_security_options), so `per_listener_settings` must come before it. */
  picksSecurity?: boolean;
  /** Deprecated but still working: why it is worth changing (said as information, not a warning). */
  stillWorks?: () => string;
}
