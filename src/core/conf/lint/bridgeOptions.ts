// Options of a bridge (struct mosquitto__bridge): the `connection` line that starts one, its
// addresses and topics, its strings (client ids, credentials, TLS or PSK), and its timing. The
// dispatcher has already refused them outside a bridge.

import * as l10n from '@vscode/l10n';
import { atoi } from '../parser';
import { findOption } from '../optionLookup';
import type { ConfToken } from '../types';
import { fileCheck } from './files';
import type { Bridge, LintState, OptionRule } from './state';
import { INT_TEXT, q } from './text';
import { enumOption, extra, intOption, missing, nonNumeric, rawEnum, readString } from './values';

/** The bridge's certificate options: TLS by certificates, which excludes TLS by PSK. */
const CERT_OPTIONS = ['bridge_cafile', 'bridge_capath', 'bridge_certfile', 'bridge_keyfile'];

/** A bridge string: one value per bridge, and the two spellings of one setting (clientid, remote_clientid) count as one. */
export const bridgeString: OptionRule = (lx, line, name, _args, rest) => {
  const n = name.text;
  const b = lx.curBridge;
  if (!b) {
    return;
  }
  const certish = CERT_OPTIONS.includes(n);
  if (certish && (b.strings.has('bridge_identity') || b.strings.has('bridge_psk'))) {
    lx.error(lx.span(line, name), 'tls-psk-conflict', l10n.t('"{0}" cannot be combined with bridge_identity/bridge_psk on the same bridge: certificate and PSK encryption exclude each other.', n));
    return;
  }
  if ((n === 'bridge_identity' || n === 'bridge_psk') && CERT_OPTIONS.some((k) => b.strings.has(k))) {
    lx.error(lx.span(line, name), 'tls-psk-conflict', l10n.t('"{0}" cannot be combined with certificate options on the same bridge: certificate and PSK encryption exclude each other.', n));
    return;
  }
  const loc = readString(lx, line, name, rest, b.strings, findOption(n)?.sameAs ?? n, l10n.t('for bridge "{0}"', b.name));
  fileCheck(lx, n, loc);
};

function addressOption(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): void {
  const b = lx.curBridge;
  if (!b) {
    return;
  }
  if (b.addresses) {
    lx.error(lx.span(line, name), 'duplicate-option', l10n.t('This bridge already has its addresses (line {0}); list every address on one "{1}" line.', b.addresses.span.line + 1, name.text));
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
        lx.error(lx.span(line, a), 'invalid-port', l10n.t('Invalid port in bridge address {0}: a port must be between 1 and 65535 (IPv6 addresses need a port, e.g. [::1]:1883 is written ::1:1883).', q(a.text)));
      }
    }
  }
  if (count === 0) {
    missing(lx, line, name, l10n.t('at least one address'));
    return;
  }
  b.addresses = { file: lx.file, span: lx.span(line, name), value: '' };
}

function restartTimeout(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): void {
  const a0 = args[0];
  if (!a0) {
    missing(lx, line, name, l10n.t('a number of seconds'));
    return;
  }
  let base = atoi(a0.text);
  nonNumeric(lx, line, name.text, a0, base);
  if (base < 1) {
    base = 1;
  }
  const a1 = args[1];
  if (a1) {
    const cap = atoi(a1.text);
    if (cap < base) {
      const comment = a1.text.startsWith('#') ? l10n.t(' (a comment here is read as the cap, 0)') : '';
      lx.error(lx.span(line, a1), 'out-of-range', l10n.t('restart_timeout: the backoff cap {0} is lower than the base {1}{2}; mosquitto refuses it.', q(a1.text), base, comment));
      return;
    }
    nonNumeric(lx, line, name.text, a1, cap);
    extra(lx, line, name.text, args, 2);
  }
}

function topicOption(lx: LintState, line: number, name: ConfToken, args: ConfToken[]): void {
  const b = lx.curBridge;
  const topic = args[0];
  if (!b || !topic) {
    if (!topic) {
      missing(lx, line, name, l10n.t('a topic pattern'));
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
      lx.error(lx.span(line, dir), 'invalid-value', l10n.t('Invalid bridge topic direction {0}: expected out, in or both.{1}', q(dir.text), comment));
      return;
    }
    const qosTok = args[2];
    if (qosTok) {
      const qos = atoi(qosTok.text) & 0xff;
      if (qos > 2) {
        lx.error(lx.span(line, qosTok), 'invalid-value', l10n.t('Invalid bridge QoS {0}: expected 0, 1 or 2.', q(qosTok.text)));
        return;
      }
      if (!qosTok.text.startsWith('#')) {
        if (!INT_TEXT.test(qosTok.text)) {
          nonNumeric(lx, line, 'topic QoS', qosTok, qos);
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
              extra(lx, line, 'topic', args, 5);
            }
          }
        }
      }
    }
  }
  if (local !== undefined && /[+#]/.test(local)) {
    lx.error(lx.span(line, args[3] ?? topic), 'invalid-value', l10n.t('Invalid bridge local prefix {0}: it must not contain + or #.', q(local)));
    return;
  }
  if (remote !== undefined && /[+#]/.test(remote)) {
    lx.error(lx.span(line, args[4] ?? topic), 'invalid-value', l10n.t('Invalid bridge remote prefix {0}: it must not contain + or #.', q(remote)));
    return;
  }
  if (topic.text === '""' && (local === undefined || remote === undefined)) {
    lx.error(lx.span(line, topic), 'invalid-value', l10n.t('An empty topic ("") needs both a local and a remote prefix (mosquitto: "Invalid bridge remapping").'));
    return;
  }
  b.topicCount++;
}

/** The bridge options with a reading of their own or an effect beyond their value. */
export const BRIDGE_RULES: Record<string, OptionRule> = {
  connection: (lx, line, name, args) => {
    const n = name.text;
    const a0 = args[0];
    if (!a0) {
      missing(lx, line, name, l10n.t('a bridge name'));
      return;
    }
    const dup = lx.bridges.find((b) => b.name === a0.text);
    if (dup) {
      lx.error(lx.span(line, a0), 'duplicate-bridge', l10n.t('A bridge named {0} already exists ({1}); bridge names must be unique.', q(a0.text), dup.file === lx.file ? l10n.t('line {0}', dup.span.line + 1) : `${dup.file}:${dup.span.line + 1}`));
      return;
    }
    extra(lx, line, n, args, 1);
    const b: Bridge = { name: a0.text, file: lx.file, span: lx.span(line, a0), topicCount: 0, strings: new Map() };
    lx.bridges.push(b);
    lx.curBridge = b;
  },
  address: addressOption,
  addresses: addressOption,
  bridge_protocol_version: (lx, line, name, _args, _rest, text) => {
    rawEnum(lx, line, name, text, ['mqttv31', 'mqttv311', 'mqttv50']);
  },
  keepalive_interval: (lx, line, name, args) => {
    const v = intOption(lx, line, name, args);
    if (v !== undefined && v < 5 && v <= 65535) {
      lx.warn(lx.span(line, args[0] ?? name), 'value-adjusted', l10n.t('A bridge keepalive below 5 seconds is raised to 5 by mosquitto.'));
    }
  },
  restart_timeout: restartTimeout,
  start_type: (lx, line, name, args) => {
    const a0 = args[0];
    if (a0?.text === 'manual') {
      lx.error(lx.span(line, a0), 'invalid-value', l10n.t('start_type manual is not supported by mosquitto; use automatic, lazy or once.'));
      return;
    }
    enumOption(lx, line, name, args, ['automatic', 'lazy', 'once'], 'error');
  },
  topic: topicOption,
};
