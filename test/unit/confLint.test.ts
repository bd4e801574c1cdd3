import { strict as assert } from 'node:assert';
import { CATALOG, lintConf, parseConf } from '../../src/core/conf';
import type { ConfDiagnostic, ConfFs, LintResult } from '../../src/core/conf/types';

const lint = (text: string, fs?: ConfFs): LintResult => lintConf(text, { file: '/etc/mosquitto/mosquitto.conf', fs });
const codes = (r: LintResult, severity?: string): string[] =>
  r.diagnostics.filter((d) => !severity || d.severity === severity).map((d) => `${d.span.line}:${d.code}`);
const errors = (text: string, fs?: ConfFs): ConfDiagnostic[] => lint(text, fs).diagnostics.filter((d) => d.severity === 'error');
const OPEN = 'listener 1883\nallow_anonymous true\n';

/** An in-memory file system: paths ending in / are directories. */
function memFs(files: Record<string, string>): ConfFs {
  return {
    readFile: (p) => files[p],
    stat: (p) => (files[p] !== undefined ? 'file' : Object.keys(files).some((k) => k.startsWith(`${p}/`)) ? 'dir' : undefined),
    readDir: (p) => {
      const names = Object.keys(files).filter((k) => k.startsWith(`${p}/`)).map((k) => k.slice(p.length + 1).split('/')[0] ?? '');
      return names.length ? [...new Set(names)] : undefined;
    },
  };
}

describe('parseConf', () => {
  it('splits on spaces only, strips CR, skips # only in column 0', () => {
    const p = parseConf('listener 1883  127.0.0.1\r\n# c\n  # not a comment\nlistener\t1883\n\n', 'x.conf');
    assert.equal(p.lines[0]?.kind, 'option');
    assert.deepEqual(p.lines[0]?.args.map((a) => [a.text, a.start, a.end]), [['1883', 9, 13], ['127.0.0.1', 15, 24]]);
    assert.equal(p.lines[1]?.kind, 'comment');
    assert.equal(p.lines[2]?.name?.text, '#');
    assert.equal(p.lines[3]?.name?.text, 'listener\t1883');
    assert.equal(p.lines[4]?.kind, 'blank');
    assert.equal(p.lines.length, 5);
  });

  it('gives string options the rest of the line and describes listener sections', () => {
    const p = parseConf('per_listener_settings true\nlistener 8883 0.0.0.0\ncertfile  /c/cert.pem \nkeyfile /c/key.pem\ncafile /c/ca.pem\nrequire_certificate true\nlistener 0 /run/m.sock\nprotocol websockets\nconnection b\naddress a:1883 b\n', 'x');
    assert.equal(p.perListenerSettings, true);
    assert.equal(p.lines[2]?.rest?.text, '/c/cert.pem');
    assert.equal(p.lines[2]?.rest?.start, 10);
    const [l1, l2, b] = p.sections;
    assert.deepEqual(l1 && { ...l1 }, { kind: 'listener', line: 1, endLine: 5, port: 8883, bindAddress: '0.0.0.0', protocol: 'mqtt', tls: true, certfile: '/c/cert.pem', keyfile: '/c/key.pem', cafile: '/c/ca.pem', requireCertificate: true });
    assert.equal(l2?.kind === 'listener' && l2.socketPath, true);
    assert.equal(l2?.kind === 'listener' && l2.protocol, 'websockets');
    assert.deepEqual(b?.kind === 'bridge' && b.addresses, ['a:1883', 'b']);
    assert.equal(p.lines[9]?.section, 2);
  });

  it('marks the deprecated port form as the default listener', () => {
    const p = parseConf('port 1884\n', 'x');
    assert.deepEqual(p.sections[0], { kind: 'listener', line: 0, endLine: 0, port: 1884, protocol: 'mqtt', tls: false, defaultListener: true });
  });

  it('never throws on junk', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 300; i++) {
      let s = '';
      const n = rnd() % 200;
      for (let j = 0; j < n; j++) {
        s += String.fromCharCode(rnd() % 5 === 0 ? [10, 13, 0, 9, 32, 35][rnd() % 6] ?? 32 : rnd() % 0x3000);
      }
      lintConf(s, { file: 'junk.conf', fs: memFs({}) });
      parseConf(s, 'junk.conf');
    }
  });
});

describe('lintConf: what mosquitto refuses', () => {
  it('unknown option with did-you-mean and a replace fix', () => {
    const [d] = errors(`${OPEN}allow_anonymus true\n`);
    assert.equal(d?.code, 'unknown-option');
    assert.match(d?.message ?? '', /did you mean "allow_anonymous"/);
    assert.deepEqual(d?.span, { line: 2, start: 0, end: 14 });
    assert.deepEqual(d?.fixes?.[0], { kind: 'replace', title: 'Change to allow_anonymous', span: { line: 2, start: 0, end: 14 }, text: 'allow_anonymous' });
    assert.match(errors('Listener 1883\n')[0]?.message ?? '', /"listener"/);
  });

  it('a tab is not a separator; an indented # is not a comment', () => {
    const [t] = errors('listener\t1883\n');
    assert.equal(t?.code, 'unknown-option');
    assert.equal(t?.fixes?.[0]?.kind === 'replace' && t.fixes[0].text, 'listener 1883');
    const [h] = errors(`${OPEN}  # note\n`);
    assert.deepEqual(h?.span, { line: 2, start: 2, end: 3 });
    assert.deepEqual(h?.fixes?.[0]?.kind === 'replace' && h.fixes[0].span, { line: 2, start: 0, end: 2 });
    assert.deepEqual(errors(`${OPEN}   listener 1884\n`), [], 'leading spaces before a name are fine');
    assert.equal(errors(`listener 1883\nallow_anonymous true\t\n`)[0]?.code, 'invalid-value');
  });

  it('bools: only true/false/1/0', () => {
    const [d] = errors('listener 1883\nallow_anonymous yes\n');
    assert.equal(d?.code, 'invalid-value');
    assert.deepEqual(d?.span, { line: 1, start: 16, end: 19 });
    assert.equal(d?.fixes?.[0]?.kind === 'replace' && d.fixes[0].text, 'true');
    assert.equal(errors('listener 1883\nallow_anonymous\n')[0]?.code, 'missing-value');
    assert.deepEqual(errors('listener 1883\nallow_anonymous 1 # ok\n'), []);
  });

  it('ints: atoi semantics, range errors only', () => {
    assert.deepEqual(codes(lint(`${OPEN}max_keepalive 60s\n`)), ['2:not-a-number']);
    assert.deepEqual(codes(lint(`${OPEN}max_keepalive 5\n`), 'error'), ['2:out-of-range']);
    assert.deepEqual(codes(lint(`${OPEN}max_keepalive abc\n`), 'error'), ['2:out-of-range']);
    assert.deepEqual(codes(lint(`${OPEN}max_qos 3\n`), 'error'), ['2:out-of-range']);
    assert.deepEqual(codes(lint(`${OPEN}max_packet_size 10\n`), 'error'), ['2:out-of-range']);
    assert.deepEqual(codes(lint(`${OPEN}memory_limit -1\n`), 'error'), ['2:out-of-range']);
    assert.deepEqual(codes(lint(`${OPEN}memory_limit 1G\n`), 'error'), ['2:out-of-range']);
    assert.deepEqual(codes(lint(`${OPEN}sys_interval 10 20\n`)), ['2:ignored-argument']);
    assert.deepEqual(codes(lint(`${OPEN}max_connections\n`)), ['2:missing-value'], 'logged, not fatal');
    assert.equal(lint(`${OPEN}max_connections\n`).diagnostics[0]?.severity, 'warning');
  });

  it('listener ports and unix sockets', () => {
    assert.equal(errors('listener 70000\n')[0]?.code, 'invalid-port');
    assert.equal(errors('listener 0\n')[0]?.code, 'invalid-port');
    assert.equal(errors('listener abc\n')[0]?.code, 'invalid-port');
    assert.equal(errors('listener\n')[0]?.code, 'missing-value');
    assert.deepEqual(errors('listener 0 /run/mosquitto.sock\nallow_anonymous true\n'), []);
    assert.deepEqual(codes(lint('listener 1883abc\nallow_anonymous true\n')), ['0:not-a-number']);
  });

  it('duplicate listeners fail with Address already in use', () => {
    const r = lint(`${OPEN}listener 1883\n`);
    assert.deepEqual(codes(r, 'error'), ['2:duplicate-listener']);
    assert.deepEqual(codes(lint(`${OPEN}listener 1883 127.0.0.1\n`), 'error'), ['2:duplicate-listener']);
    assert.deepEqual(codes(lint('listener 1883 0.0.0.0\nlistener 1883 127.0.0.1\nallow_anonymous true\n'), 'error'), ['1:duplicate-listener']);
    assert.deepEqual(codes(lint('listener 1883 127.0.0.1\nlistener 1883 10.0.0.1\nallow_anonymous true\n'), 'error'), []);
    assert.deepEqual(codes(lint('listener 1883\nsocket_domain ipv4\nlistener 1883\nsocket_domain ipv6\nallow_anonymous true\n'), 'error'), []);
  });

  it('string values: duplicates per scope, comments become part of the value', () => {
    const r = lint('listener 1883\npassword_file /a\nlistener 1884\npassword_file /b\n');
    assert.deepEqual(codes(r, 'error'), ['3:duplicate-option']);
    assert.deepEqual(codes(lint('per_listener_settings true\nlistener 1883\npassword_file /a\nlistener 1884\npassword_file /b\n'), 'error'), []);
    const c = lint('listener 1883\npassword_file /etc/pw # users\n').diagnostics.find((d) => d.code === 'comment-in-value');
    assert.deepEqual(c?.span, { line: 1, start: 22, end: 29 });
    assert.deepEqual(c?.fixes?.[0]?.kind === 'replace' && c.fixes[0].span, { line: 1, start: 21, end: 29 });
    assert.equal(errors('listener 1883\ncafile\n')[0]?.code, 'missing-value');
    assert.equal(errors('listener 1883\ncafile /a\u0001b\n')[0]?.code, 'malformed-utf8');
  });

  it('per_listener_settings must precede security options', () => {
    assert.deepEqual(codes(lint('allow_anonymous true\nper_listener_settings true\nlistener 1883\n'), 'error'), ['1:per-listener-settings-order']);
    assert.deepEqual(codes(lint('check_retain_source true\nper_listener_settings true\n'), 'error'), ['1:per-listener-settings-order']);
    const late = lint('listener 1883\nper_listener_settings true\nallow_anonymous true\n');
    assert.deepEqual(codes(late), ['1:per-listener-settings-order']);
    assert.equal(late.diagnostics[0]?.severity, 'warning');
  });

  it('bridges', () => {
    assert.deepEqual(codes(lint(`${OPEN}topic # both\n`), 'error'), ['2:bridge-option-outside-bridge']);
    assert.deepEqual(codes(lint(`${OPEN}connection b\naddress h\n`), 'error'), ['2:bridge-incomplete']);
    assert.deepEqual(codes(lint(`${OPEN}connection b\ntopic # both\n`), 'error'), ['2:bridge-incomplete']);
    assert.deepEqual(codes(lint(`${OPEN}connection b\naddress h:0\ntopic #\n`), 'error'), ['3:invalid-port']);
    assert.deepEqual(codes(lint(`${OPEN}connection b\naddress h\ntopic # sideways\n`), 'error'), ['2:bridge-incomplete', '4:invalid-value']);
    assert.deepEqual(codes(lint(`${OPEN}connection b\naddress h\ntopic # both 3\n`), 'error'), ['2:bridge-incomplete', '4:invalid-value']);
    assert.deepEqual(codes(lint(`${OPEN}connection b\naddress h\ntopic # # comment\n`), 'error'), ['2:bridge-incomplete', '4:invalid-value']);
    assert.deepEqual(codes(lint(`${OPEN}connection b\naddress h\ntopic # both 0 "" ""\n`), 'error'), []);
    assert.deepEqual(codes(lint(`${OPEN}connection b\naddress h\ntopic #\nbridge_protocol_version mqttv311 \n`), 'error'), ['5:invalid-value']);
    assert.deepEqual(codes(lint(`${OPEN}connection b\naddress h\ntopic #\nconnection b\n`), 'error'), ['5:duplicate-bridge']);
    assert.deepEqual(codes(lint(`${OPEN}connection a\naddress h\ntopic #\nlocal_clientid x\nconnection b\naddress h\ntopic #\nlocal_clientid x\n`), 'error'), ['9:duplicate-bridge-clientid']);
    assert.deepEqual(codes(lint(`${OPEN}connection b\naddress h\ntopic #\nrestart_timeout 10 # c\n`), 'error'), ['5:out-of-range']);
  });

  it('other parser rules', () => {
    assert.deepEqual(codes(lint(`${OPEN}persistent_client_expiration 5\n`), 'error'), ['2:invalid-value']);
    assert.deepEqual(codes(lint(`${OPEN}persistent_client_expiration 14d\n`)), []);
    assert.deepEqual(codes(lint('mount_point a/\n'), 'error'), ['0:listener-option-before-listener']);
    assert.deepEqual(codes(lint(`${OPEN}mount_point a/#\n`), 'error'), ['2:invalid-value']);
    assert.deepEqual(codes(lint(`${OPEN}log_dest file\n`), 'error'), ['2:missing-value']);
    assert.deepEqual(codes(lint(`${OPEN}log_dest carrier-pigeon\n`), 'error'), ['2:invalid-value']);
    assert.deepEqual(codes(lint(`${OPEN}auth_opt_ab x\n`), 'error'), ['2:plugin-option-without-plugin']);
    assert.deepEqual(codes(lint(`${OPEN}plugin /p.so\nplugin_opt_ab x\n`), 'error'), ['3:invalid-plugin-option']);
    assert.deepEqual(codes(lint(`${OPEN}psk_hint h\ncafile /ca\n`), 'error'), ['3:tls-psk-conflict']);
    assert.deepEqual(codes(lint(`${OPEN}start_type manual\n`), 'error'), ['2:bridge-option-outside-bridge']);
    assert.deepEqual(codes(lint('listener 9001\nprotocol websockets\nallow_anonymous true\n'), 'error'), ['0:websockets-only']);
  });
});

describe('lintConf: rules from the catalog', () => {
  const names = CATALOG.map((o) => ({ info: o, name: o.name.replace('*', 'key') }));

  it('has a rule for every option of the catalog: none is reported unknown', () => {
    for (const { name } of names) {
      const r = lint(`plugin /p.so\nconnection b\n${name} 1\n`);
      assert.deepEqual(r.diagnostics.filter((d) => d.span.line === 2 && d.code === 'unknown-option'), [], name);
    }
  });

  it('refuses the bridge options of the catalog before any connection, and only those', () => {
    for (const { info, name } of names) {
      const refused = lint(`${name} 1\n`).diagnostics.some((d) => d.code === 'bridge-option-outside-bridge');
      assert.equal(refused, info.scope === 'bridge' && name !== 'connection', name);
    }
  });

  it('lets per_listener_settings follow only options that pick no security options', () => {
    for (const { info, name } of names) {
      const refused = errors(`${name} 1\nper_listener_settings true\n`).some((d) => d.code === 'per-listener-settings-order');
      assert.equal(refused, info.picksSecurity === true, name);
    }
  });
});

describe('lintConf: warnings and info', () => {
  it('deprecated port with a listener fix', () => {
    const d = lint('port 1883\nallow_anonymous true\n').diagnostics.find((x) => x.code === 'deprecated-option');
    assert.equal(d?.severity, 'warning');
    assert.deepEqual(d?.fixes?.[0], { kind: 'replace', title: 'Replace by "listener 1883"', span: { line: 0, start: 0, end: 4 }, text: 'listener' });
  });

  it('allow_anonymous pitfalls of mosquitto 2', () => {
    const r = lint('listener 1883\n');
    assert.deepEqual(codes(r), ['0:no-authentication']);
    assert.deepEqual(r.diagnostics[0]?.fixes?.[0], { kind: 'replace', title: 'Allow anonymous clients (allow_anonymous true)', span: { line: 0, start: 13, end: 13 }, text: '\nallow_anonymous true' });
    assert.deepEqual(codes(lint('listener 1883\npassword_file /pw\n')), []);
    assert.deepEqual(codes(lint('per_listener_settings true\nlistener 1883\npassword_file /pw\nlistener 1884\n')), ['3:no-authentication']);
    assert.deepEqual(codes(lint('log_type all\n')), ['0:local-only']);
    assert.equal(lint('log_type all\n').diagnostics[0]?.severity, 'info');
  });

  it('TLS combinations', () => {
    assert.deepEqual(codes(lint(`${OPEN}certfile /c\n`)), ['2:tls-incomplete']);
    assert.deepEqual(codes(lint(`${OPEN}keyfile /k\n`)), ['2:tls-incomplete']);
    assert.deepEqual(codes(lint(`${OPEN}cafile /ca\n`)), ['2:tls-option-without-tls']);
    assert.deepEqual(codes(lint(`${OPEN}certfile /c\nkeyfile /k\ntls_version tlsv1.0\n`), 'error'), ['4:invalid-value']);
    assert.deepEqual(codes(lint(`${OPEN}tls_version tlsv1.0\n`), 'error'), []);
  });

  it('options before any listener create the default listener on 1883', () => {
    assert.deepEqual(codes(lint('max_connections 5\n')), ['0:implicit-default-listener']);
    assert.deepEqual(codes(lint('listener 1883\nallow_anonymous true\n'), 'warning'), []);
  });

  it('missing files, relative to baseDir, with createPasswordFile', () => {
    const fs = memFs({ '/etc/mosquitto/acl': '' });
    const r = lintConf('listener 1883\npassword_file passwd\nacl_file acl\n', { file: '/etc/mosquitto/mosquitto.conf', fs });
    assert.deepEqual(codes(r), ['1:missing-file']);
    assert.deepEqual(r.diagnostics[0]?.span, { line: 1, start: 14, end: 20 });
    assert.deepEqual(r.diagnostics[0]?.fixes?.[0], { kind: 'createPasswordFile', title: 'Create the password file with mosquitto_passwd', path: '/etc/mosquitto/passwd' });
    // A warning, worded for what is known: the file may exist on the broker's host.
    assert.equal(r.diagnostics[0]?.severity, 'warning');
    assert.equal(
      r.diagnostics[0]?.message,
      "File not found on this machine: /etc/mosquitto/passwd. mosquitto refuses to start if it cannot read it there. Relative paths are resolved against mosquitto's working directory (assumed: /etc/mosquitto).",
    );
    const b = lintConf('listener 1883\npassword_file passwd\n', { file: '/x/m.conf', baseDir: '/etc/mosquitto', fs: memFs({ '/etc/mosquitto/passwd': '' }) });
    assert.deepEqual(codes(b), []);
  });

  it('NUL bytes swallow the rest of the file', () => {
    const r = lint(`${OPEN}max_qos 2\0junk\nfoo bar\n`);
    assert.deepEqual(codes(r), ['2:nul-byte']);
  });
});

describe('lintConf: include_dir', () => {
  const fs = memFs({
    '/etc/mosquitto/conf.d/b.conf': 'listener 1883\nallow_anonymous true\n',
    '/etc/mosquitto/conf.d/A.conf': 'log_type all\n',
    '/etc/mosquitto/conf.d/a.conf': 'bogus_option 1\n',
    '/etc/mosquitto/conf.d/notes.txt': 'ignored\n',
    '/etc/mosquitto/conf.d/.conf': 'ignored\n',
  });

  it('reads *.conf in mosquitto order and reports under their own path', () => {
    const r = lint('include_dir /etc/mosquitto/conf.d\nlistener 1883\n', fs);
    assert.deepEqual(r.included.map((p) => p.file), ['/etc/mosquitto/conf.d/A.conf', '/etc/mosquitto/conf.d/a.conf', '/etc/mosquitto/conf.d/b.conf']);
    assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.span.line}:${d.code}`), [
      '/etc/mosquitto/mosquitto.conf:1:duplicate-listener',
      '/etc/mosquitto/conf.d/a.conf:0:unknown-option',
    ]);
  });

  it('included files start without the including file\'s bridge', () => {
    const fs2 = memFs({ '/etc/conf.d/x.conf': 'topic # both\n' });
    const r = lint('listener 1883\nallow_anonymous true\nconnection b\naddress h\ntopic #\ninclude_dir /etc/conf.d\n', fs2);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.code}`), ['/etc/conf.d/x.conf:bridge-option-outside-bridge']);
  });

  it('a missing include_dir is a missing-file warning; trailing blanks count', () => {
    assert.deepEqual(codes(lint(`${OPEN}include_dir /nope\n`, fs)), ['2:missing-file']);
    assert.deepEqual(codes(lint(`${OPEN}include_dir /etc/mosquitto/conf.d \n`, memFs({ '/etc/mosquitto/conf.d/z.conf': '' }))), ['2:blank-in-path', '2:missing-file']);
  });
});

describe('lintConf: robustness', () => {
  it('handles CRLF like LF', () => {
    assert.deepEqual(codes(lint('listener 1883\r\nallow_anonymous true\r\n')), []);
  });
});
