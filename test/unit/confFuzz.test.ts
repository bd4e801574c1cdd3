// The mosquitto.conf parser and linter never throw: 10,000+ random and mutated configs (binary junk,
// huge lines, NUL bytes, CRLF, unicode) each return diagnostics in bounded time.
import assert from 'node:assert/strict';
import { lintConf, parseConf } from '../../src/core/conf';
import { completionsAt, outline, placeAt } from '../../src/core/conf/assist';
import type { ConfFs } from '../../src/core/conf/types';

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

function randomText(r: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const kind = r();
    if (kind < 0.5) {
      s += String.fromCharCode(Math.floor(r() * 128));
    } else if (kind < 0.8) {
      s += WORDS[Math.floor(r() * WORDS.length)] ?? '';
    } else if (kind < 0.9) {
      s += ' ';
    } else {
      s += String.fromCharCode(Math.floor(r() * 0xffff));
    }
  }
  return s;
}

function mutate(r: () => number, text: string): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < 0.3) {
      s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8));
    } else if (op < 0.7) {
      s = s.slice(0, at) + randomText(r, 1 + Math.floor(r() * 6)) + s.slice(at);
    } else if (op < 0.85) {
      const from = Math.floor(r() * s.length);
      s = s.slice(0, at) + s.slice(from, from + Math.floor(r() * 40)) + s.slice(at);
    } else {
      s = s.slice(0, at) + '\n' + s.slice(at);
    }
  }
  return s;
}

/** A file system full of odd answers: include_dir into junk files, itself, and unreadable entries. */
function fuzzFs(r: () => number): ConfFs {
  return {
    readFile: (p) => (r() < 0.3 ? undefined : p.endsWith('.conf') ? mutate(r, SEEDS[Math.floor(r() * SEEDS.length)] ?? '') : randomText(r, 20)),
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
      const text = i % 3 === 0 ? randomText(r, Math.floor(r() * 400)) : mutate(r, i % 7 === 0 ? base.repeat(5) : base);
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
  });

  it('handles a 1 MB line, NUL bytes and 100,000 empty lines', () => {
    const huge = `password_file /${'a'.repeat(1_000_000)}\nlistener 1883\0\n${'\n'.repeat(100_000)}listener 1883\n`;
    const result = lintConf(huge, { file: 'huge.conf' });
    const lines = result.diagnostics.map((d) => d.span.line);
    assert.ok(result.parsed.lines.length >= 100_002, 'every line is parsed');
    assert.ok(lines.length > 0, 'the duplicate listener or the NUL byte is reported');
  });
});
