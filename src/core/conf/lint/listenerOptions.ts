// Options of the current listener (struct mosquitto__listener): the `listener` line that starts one,
// the deprecated `port` / `bind_address` of the default listener, TLS and the other listener
// strings, and the settings that make mosquitto open its default listener when they come first.

import * as l10n from '@vscode/l10n';
import { atoi } from '../parser';
import type { ConfFix, ConfToken } from '../types';
import { fileCheck } from './files';
import { newListener, type LintState, type Loc, type OptionRule } from './state';
import { INT_TEXT, q, utf8Length } from './text';
import { boolOption, enumOption, extra, intOption, missing, nonNumeric, numberWord, readString } from './values';

function deprecatedWarning(lx: LintState, line: number, name: ConfToken, advice: string, fixes?: ConfFix[]): void {
  lx.warn(lx.span(line, name), 'deprecated-option', l10n.t('"{0}" is deprecated and configures mosquitto\'s default listener. {1}', name.text, advice), fixes);
}

function portOption(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): void {
  lx.localOnly = false;
  const a0 = args[0];
  if (lx.defaultPortLoc && lx.defaultListener.port !== 0) {
    lx.warn(lx.span(line, name), 'duplicate-option', l10n.t('The default listener port is already set (line {0}); mosquitto only uses the last one.', lx.defaultPortLoc.span.line + 1));
  }
  const fixes: ConfFix[] = a0 ? [{ kind: 'replace', title: l10n.t('Replace by "listener {0}"', a0.text), span: lx.span(line, name), text: 'listener' }] : [];
  deprecatedWarning(lx, line, name, l10n.t('Use "listener <port>" instead.'), fixes);
  const v = intOption(lx, line, name, args);
  if (v === undefined || v < 1 || v > 65535) {
    return;
  }
  lx.defaultListener.port = v;
  lx.defaultPortLoc = { file: lx.file, span: lx.span(line, name), value: String(v) };
  lx.defaultTrigger ??= lx.defaultPortLoc;
}

function listenerOption(lx: LintState, line: number, name: ConfToken, args: ConfToken[], text: string): void {
  lx.localOnly = false;
  const a0 = args[0];
  if (!a0) {
    missing(lx, line, name, l10n.t('a port number'));
    return;
  }
  const port = atoi(a0.text);
  if (port < 0 || port > 65535) {
    lx.error(lx.span(line, a0), 'invalid-port', l10n.t('Invalid port {0}: a port must be between 1 and 65535 (or 0 with a Unix socket path).', q(a0.text)));
    return;
  }
  const a1 = args[1] && !args[1].text.startsWith('#') ? args[1] : undefined;
  if (port === 0 && !a1) {
    lx.error(lx.span(line, a0), 'invalid-port', INT_TEXT.test(a0.text)
      ? l10n.t('A listener with port 0 must give a Unix socket path: "listener 0 /path/to/socket".')
      : l10n.t('{0} is not a number: mosquitto reads it as port 0, which needs a Unix socket path.', q(a0.text)));
    return;
  }
  nonNumeric(lx, line, 'listener', a0, port);
  if (a1) {
    extra(lx, line, 'listener', args, 2);
  }
  const l = newListener(lx.file, lx.span(line, name), port, false);
  l.lineSpan = { line, start: text.length, end: text.length };
  if (a1) {
    if (port === 0) {
      l.unixPath = a1.text;
      if (utf8Length(a1.text) > 107) {
        lx.error(lx.span(line, a1), 'invalid-value', l10n.t('The Unix socket path is longer than 107 bytes; mosquitto cannot open it.'));
      }
    } else {
      l.host = a1.text;
    }
  }
  lx.listeners.push(l);
  lx.firstListenerLoc ??= { file: lx.file, span: l.span, value: '' };
  lx.curListener = l;
}

/** A listener string (TLS files, ciphers, mount_point…): one value per listener. */
export const listenerString: OptionRule = (lx, line, name, _args, rest) => {
  const n = name.text;
  const l = lx.curListener;
  if (n === 'mount_point' && lx.listeners.length === 0) {
    lx.error(lx.span(line, name), 'listener-option-before-listener', l10n.t('mount_point needs a "listener" line before it: mosquitto refuses it otherwise.'));
    return;
  }
  if ((n === 'cafile' || n === 'certfile') && l.strings.has('psk_hint')) {
    lx.error(lx.span(line, name), 'tls-psk-conflict', l10n.t('"{0}" cannot be used on a listener that already has psk_hint: certificate and PSK encryption exclude each other on one listener.', n));
    return;
  }
  const where = l.isDefault ? l10n.t('for the default listener') : l10n.t('for this listener');
  const loc = readString(lx, line, name, rest, l.strings, n, where);
  if (!loc) {
    return;
  }
  if (n !== 'tls_version' && n !== 'http_dir' && !(n === 'tls_keyform' && loc.value !== 'engine')) {
    lx.trigger(line, name);
  }
  if (n === 'mount_point' && /[+#]/.test(loc.value)) {
    lx.error(loc.span, 'invalid-value', l10n.t('Invalid mount_point {0}: it must not contain the wildcards + or #.', q(loc.value)));
  }
  if (n === 'tls_engine_kpass_sha1') {
    const hex = loc.value.replace(/^0+/, '');
    if (!/^[0-9a-fA-F]+$/.test(loc.value) || hex.length < 39 || hex.length > 40) {
      lx.error(loc.span, 'invalid-value', l10n.t('tls_engine_kpass_sha1 must be a SHA-1 digest written as 40 hex digits.'));
    }
  }
  if (n === 'tls_keyform' && loc.value !== 'engine' && loc.value !== 'pem') {
    lx.warn(loc.span, 'invalid-value', l10n.t('tls_keyform {0} is not "pem" or "engine"; mosquitto treats it as pem.', q(loc.value)));
  }
  fileCheck(lx, n, loc);
};

/** A boolean that names a client certificate rule of the listener, and opens the default listener when true. */
function certificateRule(field: 'requireCertificate' | 'useIdentity' | 'useSubject'): OptionRule {
  return (lx, line, name, args) => {
    const v = boolOption(lx, line, name, args);
    if (v === undefined) {
      return;
    }
    const loc: Loc = { file: lx.file, span: lx.span(line, name), value: String(v) };
    lx.curListener[field] = v ? loc : undefined;
    if (v) {
      lx.trigger(line, name);
    }
  };
}

/** max_qos / maximum_qos: anything but 2 configures (and so opens) the default listener before any `listener`. */
const maxQos: OptionRule = (lx, line, name, args) => {
  const v = intOption(lx, line, name, args);
  if (v !== undefined && v !== 2) {
    lx.trigger(line, name);
  }
};

/** The listener options with a reading of their own or an effect beyond their value. */
export const LISTENER_RULES: Record<string, OptionRule> = {
  listener: (lx, line, name, args, _rest, text) => listenerOption(lx, line, name, args, text),
  port: portOption,
  bind_address: (lx, line, name, _args, rest) => {
    lx.localOnly = false;
    const loc = readString(lx, line, name, rest, lx.defaultListener.strings, 'bind_address', l10n.t('for the default listener'));
    deprecatedWarning(lx, line, name, l10n.t('Give the address on a "listener" line instead, e.g. {0}.', '"listener 1883 ' + (loc?.value ?? '127.0.0.1') + '"'));
    if (loc) {
      lx.defaultListener.host = loc.value;
      lx.defaultTrigger ??= loc;
      lx.defaultPortLoc ??= { ...loc, span: lx.span(line, name) };
    }
  },
  max_connections: (lx, line, name, args) => {
    const n = name.text;
    const a0 = args[0];
    if (!a0) {
      missing(lx, line, name, 'a number', 'warning');
      return;
    }
    const v = atoi(a0.text);
    nonNumeric(lx, line, n, a0, v);
    extra(lx, line, n, args, 1);
    if (v >= 0) {
      lx.trigger(line, name);
    }
  },
  max_topic_alias: (lx, line, name, args) => {
    const n = name.text;
    const a0 = args[0];
    const v = numberWord(lx, line, name, args, atoi);
    if (v === undefined || !a0) {
      return;
    }
    if (v < 0 || v > 65535) {
      lx.error(lx.span(line, a0), 'out-of-range', l10n.t('Invalid max_topic_alias {0}: it must be between 0 and 65535.', q(a0.text)));
      return;
    }
    nonNumeric(lx, line, n, a0, v);
  },
  max_qos: maxQos,
  maximum_qos: maxQos,
  protocol: (lx, line, name, args) => {
    const v = enumOption(lx, line, name, args, ['mqtt', 'websockets'], 'warning');
    if (v) {
      lx.curListener.protocol = v === 'websockets' ? 'websockets' : 'mqtt';
      if (v === 'websockets') {
        lx.trigger(line, name);
      }
    }
  },
  socket_domain: (lx, line, name, args) => {
    const v = enumOption(lx, line, name, args, ['ipv4', 'ipv6'], 'error');
    if (v === 'ipv4' || v === 'ipv6') {
      lx.curListener.socketDomain = v;
      lx.trigger(line, name);
    }
  },
  require_certificate: certificateRule('requireCertificate'),
  use_identity_as_username: certificateRule('useIdentity'),
  use_subject_as_username: certificateRule('useSubject'),
  use_username_as_clientid: (lx, line, name, args) => {
    if (boolOption(lx, line, name, args) === true) {
      lx.trigger(line, name);
    }
  },
};
