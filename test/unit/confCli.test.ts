// The bundled `mosquitto-lint` CLI (dist/mosquitto-lint.js), run with plain node as a pipeline would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '../../../dist/mosquitto-lint.js');

function lint(args: string[], cwd: string, input?: string): { code: number | null; out: string[]; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout.split('\n').filter(Boolean), err: r.stderr };
}

describe('mosquitto-lint CLI', function () {
  this.timeout(20_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'be-lint-'));
    writeFileSync(join(dir, 'good.conf'), 'listener 1883\nallow_anonymous true\n');
    // Line 2: unknown option (error). Line 3: deprecated port (warning).
    writeFileSync(join(dir, 'bad.conf'), '# broken\nallow_anonymus true\nport 1884\n');
    mkdirSync(join(dir, 'etc/conf.d'), { recursive: true });
    writeFileSync(join(dir, 'etc/main.conf'), 'listener 1883\nallow_anonymous true\ninclude_dir conf.d\n');
    writeFileSync(join(dir, 'etc/conf.d/b.conf'), '\nlistener 1883\n');
    writeFileSync(join(dir, 'etc/conf.d/a.conf'), 'max_inflight_messages 20\nbogus_option 1\n');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and prints nothing for a clean config', () => {
    const r = lint(['good.conf'], dir);
    assert.deepEqual(r.out, []);
    assert.equal(r.code, 0);
  });

  it('prints FILE:LINE:COL: severity: message, 1-based, sorted, and exits 1 on errors', () => {
    const r = lint(['bad.conf'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out[0] ?? '', /^bad\.conf:2:1: error: .*allow_anonymus.*allow_anonymous/);
    assert.match(r.out[1] ?? '', /^bad\.conf:3:1: warning: .*port/);
    assert.equal(r.out.length, 2, r.out.join('\n'));
  });

  it('--quiet prints errors only', () => {
    const r = lint(['--quiet', 'bad.conf'], dir);
    assert.equal(r.out.length, 1);
    assert.equal(r.code, 1);
  });

  it('reports problems of include_dir files under their own path, in mosquitto order', () => {
    const r = lint(['etc/main.conf'], dir);
    assert.equal(r.code, 1, r.out.join('\n'));
    const files = r.out.map((l) => l.split(':')[0]);
    assert.ok(files.includes('etc/conf.d/a.conf'), r.out.join('\n'));
    assert.ok(r.out.some((l) => /^etc\/conf\.d\/a\.conf:2:1: error: .*bogus_option/.test(l)), r.out.join('\n'));
    // The listener on 1883 again, in another file.
    assert.ok(r.out.some((l) => /^etc\/conf\.d\/b\.conf:2:\d+: (error|warning): .*1883/.test(l)), r.out.join('\n'));
    const sorted = [...r.out].sort((x, y) => {
      const [fx = '', lx = '0'] = x.split(':');
      const [fy = '', ly = '0'] = y.split(':');
      return fx < fy ? -1 : fx > fy ? 1 : Number(lx) - Number(ly);
    });
    assert.deepEqual(r.out, sorted);
  });

  it('reads standard input with -', () => {
    const r = lint(['-'], dir, 'listener 1883\nallow_anonymous maybe\n');
    assert.equal(r.code, 1);
    assert.match(r.out[0] ?? '', /^-:2:\d+: error: .*maybe/);
  });

  it('exits 2 on an unreadable file, a directory and usage errors', () => {
    const missing = lint(['nope.conf'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read nope\.conf: no such file/);
    assert.equal(lint(['etc'], dir).code, 2);
    assert.equal(lint([], dir).code, 2);
    const unknown = lint(['--frobnicate', 'good.conf'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown option --frobnicate/);
  });

  it('still lints the readable files when one is missing', () => {
    const r = lint(['bad.conf', 'nope.conf'], dir);
    assert.equal(r.code, 2);
    assert.ok(r.out.some((l) => l.startsWith('bad.conf:2:')), r.out.join('\n'));
  });
});
