#!/usr/bin/env node
// Re-records test/fixtures/conf/verdicts.json: what the real mosquitto broker says about every config
// in test/fixtures/conf/corpus/. The unit test test/unit/confOracle.test.ts compares the linter with
// the recorded verdicts; CI never runs this script (it needs root and the mosquitto binary).
//
//   sudo node scripts/conf-oracle.mjs              re-record every case (about 1-2 minutes)
//   sudo node scripts/conf-oracle.mjs bool- tls    re-record only the cases whose path contains a word
//                                                  (merged into the existing verdicts.json)
//   MOSQUITTO=/path/to/mosquitto  JOBS=4           other binary / parallelism
//
// A case is `corpus/**/NAME.conf` (the config alone) or a directory `corpus/**/NAME/` holding
// `mosquitto.conf` and the files it references (conf.d/, passwd, acl, certs...). Each run:
//   1. copies the case into a fresh directory under /var/tmp, owned by user `mosquitto` and
//      world-readable (see 4.), so relative log/persistence/pid paths inside the case are writable;
//   2. creates a network namespace (`ip netns add`, `lo` up, net.ipv4.ip_unprivileged_port_start=0
//      so the broker may bind ports < 1024 after dropping privileges) so ports never clash with
//      each other or with the shared broker on 127.0.0.1:1883 in the root namespace;
//   3. inside it, a private mount namespace (`unshare --mount --propagation private`) bind-mounts
//      empty per-run directories over /etc/mosquitto, /var/lib/mosquitto, /var/log/mosquitto, /run
//      and /tmp, so pid_file / persistence / log_dest paths of real-world configs never touch the
//      host's files, and /etc/mosquitto/... paths resolve the same on every machine (to nothing);
//   4. runs `mosquitto -v -c <config>` with cwd = the case directory, AS ROOT, like Debian's systemd
//      unit: mosquitto 2.0 parses the config (and include_dir files) as root, then drops privileges
//      to user `mosquitto` before it writes the pid file, opens log files, reads password/ACL files,
//      certificates and plugins. That is why the case copy and the sandbox dirs are owned by
//      `mosquitto`. (-v only raises log_type to "all"; it changes no verdict.)
//   5. verdict: `accepted` when the broker logged "running" (or is still alive after the time
//      limit), `rejected` when it exited first. Then SIGTERM, SIGKILL after 1 s, `ip netns del`.
//      Never pkill/killall: processes are stopped by the PID this script started.
// Recorded per case: verdict, exit code, the error lines (stdout/stderr and log files the config
// wrote), errorAt = the first "Error found at FILE:LINE." mapped to the case-relative file, and the
// absolute paths the config mentions with whether they existed inside the sandbox (the test skips a
// case whose absolute paths exist differently on the machine that runs it).
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const fixtures = join(root, 'test/fixtures/conf');
const corpusDir = join(fixtures, 'corpus');
const verdictsFile = join(fixtures, 'verdicts.json');
const MOSQUITTO = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';
const JOBS = Number(process.env.JOBS ?? 4);
/** How long a broker that never says "running" must survive to count as accepted. */
const ALIVE_MS = 2500;
/** After "running": a little longer, in case something fails right after (it never did in 2.0.11). */
const GRACE_MS = 300;
const SANDBOX_DIRS = { etc: '/etc/mosquitto', lib: '/var/lib/mosquitto', log: '/var/log/mosquitto', run: '/run', tmp: '/tmp' };

if (process.getuid?.() !== 0) {
  console.error('conf-oracle: needs root (ip netns, mount namespaces); run it with sudo.');
  process.exit(2);
}

/** Case paths relative to the corpus: files `x.conf`, or directories holding `mosquitto.conf`. */
function listCases(dir, rel = '') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(p).isDirectory()) {
      if (existsSync(join(p, 'mosquitto.conf'))) out.push(r);
      else out.push(...listCases(p, r));
    } else if (name.endsWith('.conf')) {
      out.push(r);
    }
  }
  return out;
}

function mosquittoVersion() {
  let first;
  try {
    first = execFileSync(MOSQUITTO, ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    first = `${e.stdout ?? ''}`; // `-h` exits 3
  }
  const v = /mosquitto version (\S+)/.exec(first)?.[1] ?? 'unknown';
  let deb = '';
  try {
    deb = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'mosquitto'], { encoding: 'utf8' }).trim();
  } catch {
    /* not a Debian package */
  }
  return deb ? `${v} (Debian ${deb})` : v;
}

/** Absolute paths mentioned as option values in the case's config files (not in comments). */
function absolutePaths(caseDir, confName) {
  const files = [join(caseDir, confName)];
  const confD = [];
  const paths = new Set();
  for (const f of files) {
    const text = readFileSync(f, 'latin1');
    for (const raw of text.split('\n')) {
      const line = raw.replace(/[\r\n]+$/, '');
      if (line.startsWith('#')) continue;
      const tokens = line.split(' ').filter(Boolean);
      for (const t of tokens.slice(1)) if (t.startsWith('/')) paths.add(t);
      if (tokens[0] === 'include_dir' && tokens[1] && !isAbsolute(tokens[1])) confD.push(join(caseDir, tokens[1]));
    }
  }
  for (const d of confD) {
    if (!existsSync(d) || !statSync(d).isDirectory()) continue;
    for (const n of readdirSync(d)) {
      if (!n.endsWith('.conf')) continue;
      const text = readFileSync(join(d, n), 'latin1');
      for (const raw of text.split('\n')) {
        const tokens = raw.replace(/[\r\n]+$/, '').split(' ').filter(Boolean);
        if (tokens[0]?.startsWith('#')) continue;
        for (const t of tokens.slice(1)) if (t.startsWith('/')) paths.add(t);
      }
    }
  }
  return [...paths].sort();
}

/** The case copy belongs to `mosquitto`, like /mosquitto/* in the Docker image or /etc/mosquitto + /var/lib/mosquitto on Debian. */
function giveToMosquitto(p) {
  const st = statSync(p);
  chownSync(p, mosquittoIds.uid, mosquittoIds.gid);
  if (st.isDirectory()) {
    chmodSync(p, 0o755);
    for (const n of readdirSync(p)) giveToMosquitto(join(p, n));
  } else {
    chmodSync(p, (st.mode & 0o777) | 0o644);
  }
}

const mosquittoIds = (() => {
  const uid = Number(execFileSync('id', ['-u', 'mosquitto'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'mosquitto'], { encoding: 'utf8' }));
  return { uid, gid };
})();

// Runs inside the netns + mount namespace; "$1" sandbox, "$2" case dir, "$3" config, "$4".. abs paths.
const INNER = `
set -e
sb="$1"; cd "$2"; conf="$3"; shift 3
mount --bind "$sb/etc" /etc/mosquitto
mount --bind "$sb/lib" /var/lib/mosquitto
mount --bind "$sb/log" /var/log/mosquitto
mount --bind "$sb/run" /run
mount --bind "$sb/tmp" /tmp
mkdir -p /run/mosquitto && chown mosquitto:mosquitto /run/mosquitto
for p in "$@"; do
  if [ -d "$p" ]; then echo "dir $p"; elif [ -e "$p" ]; then echo "file $p"; else echo "none $p"; fi
done > "$sb/abs.txt"
set +e
exec "${MOSQUITTO}" -v -c "$conf"
`;

let nsCounter = 0;

function runCase(casePath) {
  const src = join(corpusDir, casePath);
  const isDir = statSync(src).isDirectory();
  // Not under /tmp: the sandbox mounts over /tmp.
  const tmp = mkdtempSync(join(process.env.ORACLE_TMP ?? '/var/tmp', 'conf-oracle-'));
  const caseDir = join(tmp, 'case');
  const sb = join(tmp, 'sandbox');
  const confName = isDir ? 'mosquitto.conf' : basename(casePath);
  if (isDir) cpSync(src, caseDir, { recursive: true });
  else {
    mkdirSync(caseDir);
    cpSync(src, join(caseDir, confName));
  }
  for (const d of Object.keys(SANDBOX_DIRS)) {
    mkdirSync(join(sb, d), { recursive: true });
    chownSync(join(sb, d), mosquittoIds.uid, mosquittoIds.gid);
  }
  chmodSync(join(sb, 'tmp'), 0o1777);
  giveToMosquitto(caseDir);
  chmodSync(tmp, 0o755);
  const abs = absolutePaths(caseDir, confName);

  const ns = `mqo${process.pid}x${nsCounter++}`;
  execFileSync('ip', ['netns', 'add', ns]);
  execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_unprivileged_port_start=0']);

  return new Promise((resolvePromise) => {
    const started = Date.now();
    // ip netns exec, unshare and sh all exec(): child.pid is mosquitto's pid.
    const child = spawn('ip', ['netns', 'exec', ns, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', INNER, 'sh', sb, caseDir, confName, ...abs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let exited = null;
    let sawRunning = false;
    let verdict;
    const onData = (b) => {
      out += b.toString('latin1');
      if (!sawRunning && /mosquitto version \S+ running/.test(out)) {
        sawRunning = true;
        setTimeout(decide, GRACE_MS);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const limit = setTimeout(decide, ALIVE_MS);
    child.on('close', (code, signal) => {
      exited = { code, signal };
      if (!verdict) decide();
    });
    function decide() {
      if (verdict) return;
      clearTimeout(limit);
      verdict = exited ? 'rejected' : 'accepted';
      if (exited) return finish();
      // Stop it by its own pid: SIGTERM, then SIGKILL.
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const killer = setTimeout(() => {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 1000);
      child.once('close', () => {
        clearTimeout(killer);
        setTimeout(finish, 50);
      });
      if (exited) {
        clearTimeout(killer);
        finish();
      }
    }
    let finished = false;
    function finish() {
      if (finished) return;
      finished = true;
      try {
        execFileSync('ip', ['netns', 'del', ns]);
      } catch {
        /* already gone */
      }
      const logs = [];
      const collect = (dir) => {
        if (!existsSync(dir)) return;
        for (const n of readdirSync(dir)) {
          const p = join(dir, n);
          const st = statSync(p);
          if (st.isDirectory()) collect(p);
          else if (/\.log$|log$/i.test(n) && st.size < 1e6) logs.push(readFileSync(p, 'latin1'));
        }
      };
      collect(join(sb, 'log'));
      collect(join(sb, 'tmp'));
      collect(caseDir);
      const all = [out, ...logs].join('\n');
      const lines = [...new Set(all.split('\n').map((l) => l.replace(/^\d+: /, '').trimEnd()).filter(Boolean))];
      const errorLines = lines.filter((l) => /error|unable|invalid|duplicate|fail|cannot|can't|not |deprecated|warning/i.test(l) && !/^mosquitto version/.test(l));
      let errorAt = null;
      const m = /Error found at (.*):(\d+)\.$/m.exec(lines.join('\n'));
      if (m) {
        const f = m[1];
        const absF = isAbsolute(f) ? f : resolve(caseDir, f);
        let file = relative(caseDir, absF);
        if (file.startsWith('..')) file = f;
        errorAt = { file: file.split('\\').join('/'), line: Number(m[2]) };
      }
      const absPaths = {};
      if (existsSync(join(sb, 'abs.txt'))) {
        for (const l of readFileSync(join(sb, 'abs.txt'), 'utf8').split('\n').filter(Boolean)) {
          const [kind, ...rest] = l.split(' ');
          absPaths[rest.join(' ')] = kind === 'none' ? null : kind;
        }
      }
      const result = {
        verdict,
        exitCode: verdict === 'rejected' ? (exited?.code ?? null) : null,
        errorLines,
        errorAt,
        ...(Object.keys(absPaths).length ? { absolutePaths: absPaths } : {}),
        ...(verdict === 'rejected' ? { output: lines.slice(0, 25) } : {}),
        ms: Date.now() - started,
      };
      rmSync(tmp, { recursive: true, force: true });
      resolvePromise(result);
    }
  });
}

async function main() {
  const filters = process.argv.slice(2);
  const cases = listCases(corpusDir).filter((c) => !filters.length || filters.some((f) => c.includes(f)));
  const previous = filters.length && existsSync(verdictsFile) ? JSON.parse(readFileSync(verdictsFile, 'utf8')) : { cases: {} };
  const results = { ...previous.cases };
  const t0 = Date.now();
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < cases.length) {
      const c = cases[next++];
      const r = await runCase(c);
      results[c] = Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'ms'));
      done++;
      const at = r.errorAt ? ` at ${r.errorAt.file}:${r.errorAt.line}` : '';
      console.log(`[${done}/${cases.length}] ${r.verdict.padEnd(8)} ${c}${at}${r.verdict === 'rejected' ? `  ${r.errorLines[0] ?? ''}` : ''}`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(JOBS, cases.length) }, worker));
  const all = listCases(corpusDir);
  const sorted = Object.fromEntries(all.filter((c) => results[c]).map((c) => [c, results[c]]));
  const doc = {
    mosquitto: mosquittoVersion(),
    recorded: new Date().toISOString(),
    how: 'scripts/conf-oracle.mjs: mosquitto -v -c CONFIG started as root (drops to user mosquitto after parsing), cwd = case dir, own netns + mount ns',
    sandbox: 'empty directories over /etc/mosquitto, /var/lib/mosquitto, /var/log/mosquitto, /run (with /run/mosquitto), /tmp',
    cases: sorted,
  };
  writeFileSync(verdictsFile, `${JSON.stringify(doc, null, 2)}\n`);
  const counts = Object.values(sorted).reduce((a, r) => ((a[r.verdict] = (a[r.verdict] ?? 0) + 1), a), {});
  console.log(`recorded ${cases.length} case(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s; verdicts.json now has ${Object.keys(sorted).length}: ${JSON.stringify(counts)}`);
}

await main();
