// Security options (struct mosquitto__security_options): global, or the current listener's with
// per_listener_settings true, which must come before them. Password, ACL and PSK files, anonymous
// access, and the plugins with their plugin_opt_* / auth_opt_* options.

import * as l10n from '@vscode/l10n';
import type { ConfToken } from '../types';
import { fileCheck } from './files';
import type { LintState, OptionRule } from './state';
import { q } from './text';
import { boolOption, missing, readString, softDeprecation } from './values';

/** A security string (acl_file, password_file, psk_file, auto_id_prefix): one value per security scope. */
export const securityString: OptionRule = (lx, line, name, _args, rest) => {
  const n = name.text;
  const sec = lx.secScope();
  if (n === 'password_file' || n === 'psk_file') {
    if (lx.perListener) {
      lx.trigger(line, name);
    }
  }
  const where = lx.perListener ? (lx.curListener.isDefault ? l10n.t('for the default listener') : l10n.t('for this listener')) : l10n.t('globally (per_listener_settings is false)');
  const loc = readString(lx, line, name, rest, sec.strings, n, where);
  fileCheck(lx, n, loc);
};

/** plugin / auth_plugin: one more plugin of the current security options; its options must follow in the same file. */
const pluginRule: OptionRule = (lx, line, name, _args, rest) => {
  const n = name.text;
  const sec = lx.secScope();
  lx.curPlugin = true;
  if (lx.perListener) {
    lx.trigger(line, name);
  }
  const loc = readString(lx, line, name, rest, undefined, n, '');
  softDeprecation(lx, line, name);
  if (loc) {
    sec.plugins.push(loc);
    fileCheck(lx, n, loc);
  } else {
    sec.plugins.push({ file: lx.file, span: lx.span(line, name), value: '' });
  }
};

/** auth_opt_* / plugin_opt_*: an option handed to the most recent plugin of the same file. */
export function pluginOpt(lx: LintState, line: number, name: ConfToken, text: string): void {
  const n = name.text;
  if (!lx.curPlugin) {
    lx.error(lx.span(line, name), 'plugin-option-without-plugin',
      l10n.t('"{0}" must follow a "plugin" (or "auth_plugin") line{1}: mosquitto refuses plugin options without a plugin.', n, lx.level > 0 ? l10n.t(' in the same file') : ''));
    return;
  }
  const prefix = n.startsWith('auth_opt_') ? 9 : 11;
  if (n.length < prefix + 3) {
    lx.error(lx.span(line, name), 'invalid-plugin-option', l10n.t('Invalid plugin option name {0}: mosquitto requires a key of at least three characters after "{1}".', q(n), n.slice(0, prefix)));
    return;
  }
  let s = name.end + 1;
  while (s < text.length && (text.charCodeAt(s) === 0x20 || text.charCodeAt(s) === 0x09)) {
    s++;
  }
  if (name.end >= text.length || s >= text.length) {
    missing(lx, line, name, 'a value');
  }
}

/** The security options with a reading of their own or an effect beyond their value. */
export const SECURITY_RULES: Record<string, OptionRule> = {
  allow_anonymous: (lx, line, name, args) => {
    const v = boolOption(lx, line, name, args);
    if (v === undefined) {
      lx.anonymousBroken = true;
      return;
    }
    lx.secScope().allowAnonymous = v;
  },
  allow_zero_length_clientid: (lx, line, name, args) => {
    if (boolOption(lx, line, name, args) === false && lx.perListener) {
      lx.trigger(line, name);
    }
  },
  auth_plugin: pluginRule,
  plugin: pluginRule,
  auth_plugin_deny_special_chars: (lx, line, name, args) => {
    const n = name.text;
    if (!lx.curPlugin) {
      lx.error(lx.span(line, name), 'plugin-option-without-plugin',
        l10n.t('"{0}" must follow a "plugin" (or "auth_plugin") line{1}.', n, lx.level > 0 ? l10n.t(' in the same file') : ''));
      return;
    }
    boolOption(lx, line, name, args);
  },
  per_listener_settings: (lx, line, name, args) => {
    const v = boolOption(lx, line, name, args);
    if (v === undefined) {
      return;
    }
    if (v && lx.securityTouched) {
      lx.error(lx.span(line, name), 'per-listener-settings-order',
        l10n.t('per_listener_settings must come before every security option (password_file, acl_file, allow_anonymous, plugin, …): mosquitto refuses it here. Move it to the top of the file.'));
      return;
    }
    if (lx.listeners.length > 0 && lx.firstListenerLoc) {
      lx.warn(lx.span(line, name), 'per-listener-settings-order',
        l10n.t('per_listener_settings comes after the first listener (line {0}{1}); put it at the top of the file so it is clear which options it affects.', lx.firstListenerLoc.span.line + 1, lx.firstListenerLoc.file === lx.file ? '' : l10n.t(' of {0}', lx.firstListenerLoc.file)));
    }
    lx.perListener = v;
  },
};
