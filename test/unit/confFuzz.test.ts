// The mosquitto.conf parser and linter never throw: 10,000+ random and mutated configs (binary junk,
// huge lines, NUL bytes, CRLF, unicode) each return diagnostics in bounded time.
import assert from 'node:assert/strict';
import { lintConf, parseConf } from '../../src/core/conf';
import { completionsAt, outline, placeAt } from '../../src/core/conf/assist';
import type { ConfFs } from '../../src/core/conf/types';
import { mutate, randomText, rng, type MutationMix, type TextMix } from '../support/fuzz';
import { outcome } from '../support/reliability';

const SEEDS = [
  'listener 1883\nallow_anonymous true\n',
  'per_listener_settings true\nlistener 8883 0.0.0.0\ncertfile /etc/c.crt\nkeyfile /etc/c.key\ncafile ca.pem\nrequire_certificate true\n',
  'connection cloud\naddress a.example:8883 b.example\ntopic sensors/# out 1 local/ remote/\nbridge_protocol_version mqttv50\ncleansession false\n',
  'port 1883\nbind_address 127.0.0.1\npersistence true\npersistence_location /var/lib/mosquitto/\nlog_dest file /var/log/mosquitto.log\n',
  'listener 9001\nprotocol websockets\nhttp_dir /www\nmax_connections -1\nmemory_limit 10M\npersistent_client_expiration 2w\n',
  'plugin /usr/lib/mosquitto_dynamic_security.so\nplugin_opt_config_file dynsec.json\nauth_opt_backend files\ninclude_dir conf.d\n',
  '# comment\r\n\r\nlistener 1883\r\n  listener\t1884\r\nallow_anonymous True # yes\r\n',
];

const WORDS = ['listener', 'port', 'connection', 'address', 'topic', 'true', 'false', '0', '-1', '65536', '#', '\t', '  ', '\0', '\r', '\n', '\u00e9', '\ud83d\ude00', '\ud800', 'include_dir', '.', '/', 'auth_opt_', 'plugin_opt_x', '1d', '10M', 'both', 'in', 'out', 'websockets', 'mqtt'];

const TEXT: TextMix = { words: WORDS, ascii: 0.5, word: 0.8, space: 0.9 };
const MUTATION: MutationMix = { text: TEXT, remove: 0.3, insert: 0.7, insertMax: 6, copy: 0.85 };

/** A file system full of odd answers: include_dir into junk files, itself, and unreadable entries. */
function fuzzFs(r: () => number): ConfFs {
  return {
    readFile: (p) => (r() < 0.3 ? undefined : p.endsWith('.conf') ? mutate(r, SEEDS[Math.floor(r() * SEEDS.length)] ?? '', MUTATION) : randomText(r, 20, TEXT)),
    stat: (p) => (p.endsWith('.d') || p.endsWith('conf.d') ? 'dir' : r() < 0.5 ? 'file' : undefined),
    readDir: () => (r() < 0.2 ? undefined : ['a.conf', 'b.conf', 'ignored.txt', '.hidden.conf']),
  };
}

describe('mosquitto.conf parser fuzzing', function () {
  this.timeout(120_000);

  it('returns for 10,000 random and mutated configs, and never throws', () => {
    const r = rng(20261126);
    let diagnostics = 0;
    for (let i = 0; i < 10_000; i++) {
      const base = SEEDS[i % SEEDS.length] ?? '';
      const text = i % 3 === 0 ? randomText(r, Math.floor(r() * 400), TEXT) : mutate(r, i % 7 === 0 ? base.repeat(5) : base, MUTATION);
      let result;
      try {
        result = lintConf(text, { file: `/fuzz/case${i}/mosquitto.conf`, fs: i % 2 ? fuzzFs(r) : undefined });
        const parsed = parseConf(text, 'x.conf');
        const line = Math.floor(r() * (parsed.lines.length + 1));
        const col = Math.floor(r() * 30);
        placeAt(parsed, line, col);
        completionsAt(parsed, line, col, text.split('\n')[line] ?? '');
        outline(parsed);
      } catch (e) {
        assert.fail(`case ${i} threw ${String(e)} for ${JSON.stringify(text.slice(0, 200))}`);
      }
      assert.ok(Array.isArray(result.diagnostics), `case ${i} returned diagnostics`);
      for (const d of result.diagnostics) {
        assert.ok(d.span.line >= 0 && d.span.start >= 0 && d.span.end >= d.span.start, `case ${i}: a sane span ${JSON.stringify(d.span)}`);
        assert.ok(d.message.length > 0, `case ${i}: a message`);
      }
      diagnostics += result.diagnostics.length;
    }
    // Junk must be reported, not silently accepted.
    assert.ok(diagnostics > 10_000, `junk produced ${diagnostics} diagnostics`);
    outcome('Fuzzing', '10,000 random and mutated mosquitto.conf files (with a fuzzed file system for included files)', `Parser, linter, completion and outline never threw; ${diagnostics.toLocaleString('en-US')} diagnostics, each with a sane span and a message.`);
  });

  it('handles a 1 MB line, NUL bytes and 100,000 empty lines', () => {
    const huge = `password_file /${'a'.repeat(1_000_000)}\nlistener 1883\0\n${'\n'.repeat(100_000)}listener 1883\n`;
    const result = lintConf(huge, { file: 'huge.conf' });
    const lines = result.diagnostics.map((d) => d.span.line);
    assert.ok(result.parsed.lines.length >= 100_002, 'every line is parsed');
    assert.ok(lines.length > 0, 'the duplicate listener or the NUL byte is reported');
  });
});
