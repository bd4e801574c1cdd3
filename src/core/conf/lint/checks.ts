// After reading: what config__read, config__check and the startup steps of mosquitto.c, net.c and
// security_default.c find wrong with the configuration as a whole: the default listener the
// options opened, incomplete bridges, listeners that clash, TLS half set up, and listeners that
// refuse every client.

import * as l10n from '@vscode/l10n';
import type { ConfFix } from '../types';
import type { Bridge, LintState, Listener } from './state';
import { q } from './text';

/** The checks mosquitto makes once every file is read; `mainFile` is the file given to the linter. */
export function checkConfig(lx: LintState, mainFile: string): void {
  const all = [...lx.listeners];
  const def = lx.defaultListener;
  if (lx.defaultTrigger) {
    def.port = def.port || 1883;
    def.file = lx.defaultTrigger.file;
    def.span = lx.defaultTrigger.span;
    def.lineSpan = lx.defaultTrigger.span;
    all.push(def);
    if (!lx.defaultPortLoc) {
      const t = lx.defaultTrigger;
      const inInclude = t.file !== mainFile;
      lx.add(t.file, t.span, 'warning', 'implicit-default-listener',
        l10n.t('"{0}" comes before any "listener" line{1}, so mosquitto applies it to its default listener and opens that listener on port 1883 on all interfaces{2}.{3}', t.value, inInclude ? l10n.t(' of this included file') : '', lx.localOnly ? l10n.t(', with anonymous access allowed') : '', inInclude ? l10n.t(' Options in an included file do not continue the listener of the including file.') : ''));
    }
  }
  checkBridges(lx);
  checkDuplicateListeners(lx, all);
  for (const l of all) {
    checkTls(lx, l);
  }
  checkAnonymous(lx, all, mainFile);
  const ws = all.filter((l) => l.protocol === 'websockets');
  if (ws.length > 0 && ws.length === all.length) {
    const l = ws[0];
    if (l) {
      lx.add(l.file, l.span, 'error', 'websockets-only',
        l10n.t('Every listener uses protocol websockets: mosquitto 2.0.11 (Debian build) then fails with "Unable to start any listening sockets". Add a plain MQTT listener.'));
    }
  }
}

function checkBridges(lx: LintState): void {
  const locals = new Map<string, Bridge>();
  for (const b of lx.bridges) {
    if (!b.addresses) {
      lx.add(b.file, b.span, 'error', 'bridge-incomplete', l10n.t('Bridge {0} has no "address" line; mosquitto refuses a bridge without remote addresses.', q(b.name)));
    }
    if (b.topicCount === 0) {
      lx.add(b.file, b.span, 'error', 'bridge-incomplete', l10n.t('Bridge {0} has no "topic" line; mosquitto refuses a bridge without topics.', q(b.name)));
    }
    const psk = b.strings.get('bridge_psk');
    const ident = b.strings.get('bridge_identity');
    if (psk && !ident) {
      lx.add(psk.file, psk.span, 'error', 'bridge-incomplete', l10n.t('Bridge {0} has bridge_psk but no bridge_identity; mosquitto refuses it.', q(b.name)));
    }
    if (ident && !psk) {
      lx.add(ident.file, ident.span, 'error', 'bridge-incomplete', l10n.t('Bridge {0} has bridge_identity but no bridge_psk; mosquitto refuses it.', q(b.name)));
    }
    const remote = b.strings.get('remote_clientid')?.value ?? `\u0000host.${b.name}`;
    const local = b.strings.get('local_clientid')?.value ?? `local.${remote}`;
    const other = locals.get(local);
    if (other) {
      const loc = b.strings.get('local_clientid');
      lx.add(loc?.file ?? b.file, loc?.span ?? b.span, 'error', 'duplicate-bridge-clientid',
        l10n.t('Bridges {0} and {1} end up with the same local_clientid {2}; mosquitto requires them to differ.', q(other.name), q(b.name), q(local.replace('\u0000host', '<hostname>'))));
    } else {
      locals.set(local, b);
    }
    const cert = b.strings.get('bridge_certfile');
    const key = b.strings.get('bridge_keyfile');
    if (cert && !key) {
      lx.add(cert.file, cert.span, 'warning', 'tls-incomplete', l10n.t('Bridge {0} has bridge_certfile but no bridge_keyfile; the certificate cannot be used.', q(b.name)));
    } else if (key && !cert) {
      lx.add(key.file, key.span, 'warning', 'tls-incomplete', l10n.t('Bridge {0} has bridge_keyfile but no bridge_certfile; the key cannot be used.', q(b.name)));
    }
  }
}

function family(l: Listener): 4 | 6 | 0 {
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

function checkDuplicateListeners(lx: LintState, all: Listener[]): void {
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
          lx.add(b.file, b.span, 'warning', 'duplicate-listener', l10n.t('The Unix socket {0} is already used by the listener at {1}; mosquitto replaces the first socket and only this listener is reachable.', q(a.unixPath), where));
          break;
        }
        continue;
      }
      if (a.port !== b.port) {
        continue;
      }
      const fa = family(a);
      const fb = family(b);
      if (fa !== 0 && fb !== 0 && fa !== fb) {
        continue;
      }
      const ha = norm(a.host);
      const hb = norm(b.host);
      if (ha === undefined || hb === undefined || ha === hb) {
        const what = b.isDefault ? l10n.t('The default listener (port {0})', b.port) : l10n.t('Port {0}', b.port);
        lx.add(b.file, b.span, 'error', 'duplicate-listener',
          l10n.t('{0} is already used by the listener at {1}{2}; mosquitto fails to start with "Address already in use".', what, where, a.isDefault ? l10n.t(' (the default listener)') : ''));
        break;
      }
    }
  }
}

function checkTls(lx: LintState, l: Listener): void {
  const s = l.strings;
  const cert = s.get('certfile');
  const key = s.get('keyfile');
  const psk = s.get('psk_hint');
  const tls = (cert !== undefined && key !== undefined) || psk !== undefined;
  if (cert && !key) {
    lx.add(cert.file, cert.span, 'warning', 'tls-incomplete', l10n.t('certfile without keyfile: mosquitto does not switch TLS on for this listener and serves plain, unencrypted MQTT.'));
  } else if (key && !cert) {
    lx.add(key.file, key.span, 'warning', 'tls-incomplete', l10n.t('keyfile without certfile: mosquitto does not switch TLS on for this listener and serves plain, unencrypted MQTT.'));
  }
  if (!tls) {
    for (const k of ['cafile', 'capath', 'crlfile', 'dhparamfile', 'ciphers', 'ciphers_tls1.3', 'tls_version']) {
      const loc = s.get(k);
      if (loc && !(cert || key)) {
        lx.add(loc.file, { ...loc.span }, 'warning', 'tls-option-without-tls', l10n.t('"{0}" has no effect: TLS is off on this listener (it needs certfile and keyfile, or psk_hint).', k));
      }
    }
    if (l.requireCertificate && !(cert || key)) {
      const r = l.requireCertificate;
      lx.add(r.file, r.span, 'warning', 'tls-option-without-tls', l10n.t('require_certificate has no effect: TLS is off on this listener (it needs certfile and keyfile).'));
    }
    return;
  }
  const v = s.get('tls_version');
  if (v && !['tlsv1.3', 'tlsv1.2', 'tlsv1.1'].includes(v.value) && l.protocol === 'mqtt') {
    lx.add(v.file, v.span, 'error', 'invalid-value', l10n.t('Unsupported tls_version {0}: mosquitto fails to start this listener. Use tlsv1.3, tlsv1.2 or tlsv1.1.', q(v.value)));
  }
  if (l.requireCertificate && cert && !s.get('cafile') && !s.get('capath')) {
    const r = l.requireCertificate;
    lx.add(r.file, r.span, 'warning', 'tls-no-ca', l10n.t('require_certificate is true but there is no cafile or capath to check client certificates against: every client will be refused.'));
  }
  if (l.useIdentity && cert && !l.requireCertificate) {
    const u = l.useIdentity;
    lx.add(u.file, u.span, 'warning', 'tls-identity-without-certificate', l10n.t('use_identity_as_username needs require_certificate true; without a client certificate there is no identity and clients are refused.'));
  }
}

function checkAnonymous(lx: LintState, all: Listener[], mainFile: string): void {
  if (lx.localOnly) {
    if (all.length === 0) {
      lx.add(mainFile, { line: 0, start: 0, end: 0 }, 'info', 'local-only',
        l10n.t('No listener is configured: mosquitto starts in local-only mode, listening on port 1883 of 127.0.0.1 and ::1 only, and allows anonymous clients. Add a "listener" line to accept remote clients.'));
    }
    return;
  }
  for (const l of all) {
    const sec = lx.perListener ? l.sec : lx.globalSec;
    if (sec.allowAnonymous === true || lx.anonymousBroken) {
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
    lx.add(l.file, l.span, 'warning', 'no-authentication',
      l10n.t('{0} will refuse every client: {1} and it has no password_file, plugin{2} or certificate identity (require_certificate + use_identity_as_username).{3}', what, expl, l.strings.has('psk_hint') ? l10n.t(', psk_file') : '', lx.perListener ? l10n.t(' With per_listener_settings true, security options must follow this listener.') : ''),
      fixes);
  }
}
