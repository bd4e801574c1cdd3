// `mosquitto-lint FILE...`: the extension's mosquitto.conf checks for pipelines. Built to
// dist/mosquitto-lint.js (plain `node`, no dependencies). Prints `FILE:LINE:COL: severity: MESSAGE`
// (1-based), sorted by file and line; exits 1 on any error, 0 otherwise, 2 on usage errors or an
// unreadable input. `-` reads standard input.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { lintConf, nodeFs } from '../core/conf';
import type { ConfDiagnostic } from '../core/conf/types';

const USAGE = `usage: mosquitto-lint [--quiet] FILE...
Checks mosquitto.conf files the way mosquitto 2.0 reads them.
  FILE      a config file; - reads standard input
  --quiet   errors only
Prints FILE:LINE:COL: error|warning|info: MESSAGE; exits 1 if any error, 2 on usage or read errors.`;

export interface CliIo {
  readFile(path: string): string;
  readStdin(): string;
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

function formatLine(display: string, d: ConfDiagnostic): string {
  return `${display}:${d.span.line + 1}:${d.span.start + 1}: ${d.severity}: ${d.message}`;
}

/** Runs the CLI; returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo): number {
  const files: string[] = [];
  let quiet = false;
  let endOfOptions = false;
  for (const arg of argv) {
    if (!endOfOptions && arg === '--') {
      endOfOptions = true;
    } else if (!endOfOptions && (arg === '-h' || arg === '--help')) {
      io.out(USAGE);
      return 0;
    } else if (!endOfOptions && (arg === '-q' || arg === '--quiet')) {
      quiet = true;
    } else if (!endOfOptions && arg.startsWith('-') && arg !== '-') {
      io.err(`mosquitto-lint: unknown option ${arg}`);
      io.err(USAGE);
      return 2;
    } else {
      files.push(arg);
    }
  }
  if (!files.length) {
    io.err(USAGE);
    return 2;
  }
  let errors = 0;
  let unreadable = false;
  const rows: { file: string; diagnostic: ConfDiagnostic; order: number }[] = [];
  files.forEach((given, order) => {
    let text: string;
    const path = given === '-' ? resolve(io.cwd, 'stdin.conf') : resolve(io.cwd, given);
    try {
      text = given === '-' ? io.readStdin() : io.readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
      io.err(`mosquitto-lint: cannot read ${given}: ${why}`);
      unreadable = true;
      return;
    }
    const result = lintConf(text, { file: path, baseDir: given === '-' ? io.cwd : undefined, fs: nodeFs });
    for (const d of result.diagnostics) {
      // Problems in include_dir files are shown under their own path, relative like the given one.
      const display = d.file === path ? (given === '-' ? '-' : given) : displayPath(given, io.cwd, d.file);
      rows.push({ file: display, diagnostic: d, order });
    }
  });
  rows.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.order - b.order ||
      a.diagnostic.span.line - b.diagnostic.span.line ||
      a.diagnostic.span.start - b.diagnostic.span.start,
  );
  for (const { file, diagnostic } of rows) {
    if (diagnostic.severity === 'error') {
      errors++;
    }
    if (!quiet || diagnostic.severity === 'error') {
      io.out(formatLine(file, diagnostic));
    }
  }
  if (unreadable) {
    return 2;
  }
  return errors ? 1 : 0;
}

/** An included file's path written the way the user wrote the including one (relative stays relative). */
function displayPath(given: string, cwd: string, included: string): string {
  return given !== '-' && isAbsolute(given) ? included : relative(cwd, included);
}

/* istanbul ignore next: the process entry point */
if (require.main === module) {
  const code = runCli(process.argv.slice(2), {
    readFile: (p) => readFileSync(p, 'utf8'),
    readStdin: () => readFileSync(0, 'utf8'),
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
