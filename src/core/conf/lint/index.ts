// mosquitto.conf linter, entry of this folder. It replays what mosquitto 2.0.11 does with a
// configuration (src/conf.c config__read_file_core / config__read / config__check, then the startup
// steps of mosquitto.c, net.c and security_default.c) and reports:
//   errors   — where that broker refuses to start (same rule, plain words);
//   warnings — what it accepts but is very likely not what the author meant, and files that do not
//              exist (the broker refuses to start then, but the file may exist on the broker's host);
//   info     — worth knowing (local-only mode, soft deprecations).
// The folder follows mosquitto's steps: state.ts is what it remembers while reading; options.ts
// reads one line by the rule table it builds from the catalog, with the groups generalOptions.ts,
// securityOptions.ts, listenerOptions.ts and bridgeOptions.ts over the value readers of values.ts,
// text.ts and files.ts; checks.ts is what it checks once everything is read.

import * as l10n from '@vscode/l10n';
import { parseConfInternal, type ParsedInternal } from '../parser';
import type { LintOptions, LintResult } from '../types';
import { checkConfig } from './checks';
import { lintOption } from './options';
import { LintState } from './state';

class Linter extends LintState {
  private readonly fileOrder = new Map<string, number>();

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
      lintOption(this, l.line, l.name, l.args, l.rest, text);
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
    checkConfig(linter, file);
  } catch (e) {
    linter.diags.push({
      file, span: { line: 0, start: 0, end: 0 }, severity: 'info', code: 'internal-error',
      message: l10n.t('The linter stopped early: {0}', e instanceof Error ? e.message : String(e)),
    });
  }
  linter.sortDiagnostics();
  return { parsed: parsed.conf, diagnostics: linter.diags, included: linter.included };
}
