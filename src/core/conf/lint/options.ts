// One option line, the big if/else of config__read_file_core as a table: each option of the catalog
// gets the rule of its group when it has one of its own, or else the reading its catalog value kind
// and scope call for. Names the catalog does not know are plugin options or unknown options.

import * as l10n from '@vscode/l10n';
import { CATALOG } from '../catalog';
import { findOption, suggestOption } from '../optionLookup';
import type { ConfToken, OptionInfo } from '../types';
import { BRIDGE_RULES, bridgeString } from './bridgeOptions';
import { GENERAL_RULES, generalString } from './generalOptions';
import { LISTENER_RULES, listenerString } from './listenerOptions';
import { pluginOpt, SECURITY_RULES, securityString } from './securityOptions';
import type { LintState, OptionRule } from './state';
import { badUtf8Index, printable, q } from './text';
import { boolOption, intOption } from './values';

interface Rule {
  /** Picks the current security options: per_listener_settings may no longer be switched on. */
  picksSecurity: boolean;
  /** A bridge option other than `connection`: refused before any `connection` line. */
  needsBridge: boolean;
  read: OptionRule;
}

const OWN_RULES: Record<string, OptionRule> = { ...GENERAL_RULES, ...SECURITY_RULES, ...LISTENER_RULES, ...BRIDGE_RULES };

const STRING_RULES: Record<OptionInfo['scope'], OptionRule> = {
  general: generalString,
  security: securityString,
  listener: listenerString,
  bridge: bridgeString,
};

const boolRule: OptionRule = (lx, line, name, args) => {
  boolOption(lx, line, name, args);
};
const intRule: OptionRule = (lx, line, name, args) => {
  intOption(lx, line, name, args);
};

function ruleOf(info: OptionInfo): OptionRule | undefined {
  const own = OWN_RULES[info.name];
  if (own) {
    return own;
  }
  switch (info.value) {
    case 'bool':
      return boolRule;
    case 'int':
      return intRule;
    case 'string':
      return STRING_RULES[info.scope];
    default:
      return undefined;
  }
}

/** Option name → rule, for every exact name of the catalog (the plugin option prefixes are matched apart). */
const RULES = new Map<string, Rule>();
for (const info of CATALOG) {
  const read = info.name.endsWith('*') ? undefined : ruleOf(info);
  if (read) {
    RULES.set(info.name, { picksSecurity: info.picksSecurity === true, needsBridge: info.scope === 'bridge' && info.name !== 'connection', read });
  }
}

/** Lints one option line of the file being read. */
export function lintOption(lx: LintState, line: number, name: ConfToken, args: ConfToken[], rest: ConfToken | undefined, text: string): void {
  const n = name.text;
  const rule = RULES.get(n);
  if (rule) {
    if (rule.picksSecurity) {
      lx.securityTouched = true;
    }
    if (rule.needsBridge && !lx.needBridge(line, name)) {
      return;
    }
    rule.read(lx, line, name, args, rest, text);
    return;
  }
  if (n.startsWith('auth_opt_') || n.startsWith('plugin_opt_')) {
    pluginOpt(lx, line, name, text);
    return;
  }
  unknown(lx, line, name, text);
}

function unknown(lx: LintState, line: number, name: ConfToken, text: string): void {
  const n = name.text;
  const span = lx.span(line, name);
  const tab = n.indexOf('\t');
  if (n === '#' || (n.startsWith('#') && name.start > 0)) {
    lx.error(span, 'unknown-option', l10n.t('A comment must start in the first column: mosquitto reads this "#" as an option name and refuses it.'),
      [{ kind: 'replace', title: l10n.t('Remove the leading blanks'), span: { line, start: 0, end: name.start }, text: '' }]);
    return;
  }
  if (tab > 0) {
    const head = n.slice(0, tab);
    if (findOption(head)) {
      lx.error(span, 'unknown-option', l10n.t('mosquitto separates words with spaces only: with the tab, {0} is read as one unknown option name.', q(n)),
        [{ kind: 'replace', title: l10n.t('Replace tabs by spaces'), span: { line, start: name.start, end: text.length }, text: text.slice(name.start).replace(/\t/g, ' ') }]);
      return;
    }
  }
  if (tab === 0 || n.startsWith('\t')) {
    const t = n.replace(/^\t+/, '');
    lx.error(span, 'unknown-option', l10n.t('mosquitto does not skip tabs at the start of a line: {0} is read as the option name. Indent with spaces or not at all.', q(n)),
      t.length > 0 ? [{ kind: 'replace', title: l10n.t('Remove the leading tabs'), span: { line, start: name.start, end: name.start + (n.length - t.length) }, text: '' }] : undefined);
    return;
  }
  const s = suggestOption(n);
  if (s === 'allow_anonymous') {
    lx.anonymousBroken = true;
  }
  if (s) {
    lx.error(span, 'unknown-option', l10n.t('Unknown option {0} — did you mean "{1}"? mosquitto refuses unknown options.', q(n), s),
      [{ kind: 'replace', title: l10n.t('Change to {0}', s), span, text: s }]);
    return;
  }
  const bad = badUtf8Index(n) >= 0;
  lx.error(span, 'unknown-option', l10n.t('Unknown option {0}: mosquitto refuses options it does not know.', q(bad ? printable(n) : n)));
}
