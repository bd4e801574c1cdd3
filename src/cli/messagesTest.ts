// `broker-messages-test [options] FILE…`: runs the blocks of message files that have EXPECT
// sections as tests, outside VS Code (CI pipelines). Connections come from the nearest
// `.vscode/brokers.json` at or above each file's folder (or --brokers FILE); passwords from
// BROKER_EXPLORER_PASSWORD_<CONNECTION> (upper case, other characters `_`). Exit 0: all passed;
// 1: a test failed; 2: the run could not start (usage, unreadable file, unknown connection,
// broker unreachable). Built to dist/broker-messages-test.js.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import type { BrokerConnection } from '../core/brokers/connection';
import type { BrokerProfile } from '../core/brokers/profile';
import { parseWorkspaceBrokers, WORKSPACE_BROKERS_FILE } from '../core/brokers/workspaceBrokers';
import { AmqpConnection } from '../core/amqp/amqpConnection';
import { readFileUpTo } from '../core/messageFiles/readLimited';
import { DEFAULT_WITHIN_MS, formatMs } from '../core/messageFiles/expect';
import { parseMessageFile } from '../core/messageFiles/parser';
import { fileRun, type BlockTestResult } from '../core/messageFiles/run';
import type { ResolveEnv } from '../core/messageFiles/types';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import { DEFAULT_PAYLOAD_LIMIT_BYTES } from '../core/messageFiles/template';
import { sendDraft } from '../core/publish/publish';
import { nearestBrokersFile, passwordVariable } from '../core/brokers/brokersFile';

const USAGE = `usage: broker-messages-test [options] FILE...
Runs the blocks of .mqtt message files that have EXPECT sections as tests.
  --reporter pretty|junit|tap   output format (default pretty)
  --output FILE                 write the report to FILE instead of standard output
  --timeout S                   default time an EXPECT waits, in seconds (default 5)
  --brokers FILE                connections from this brokers.json (default: the nearest
                                .vscode/brokers.json at or above each file's folder)
  --env FILE                    KEY=VALUE lines read by {{$env KEY}} (before the process environment)
  --bail                        stop at the first failure
Passwords: BROKER_EXPLORER_PASSWORD_<CONNECTION> (upper case, other characters _).
Exit 0 all passed, 1 a test failed, 2 the run could not start.`;

export interface TestCliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
}

export { passwordVariable } from '../core/brokers/brokersFile';

interface Options {
  reporter: 'pretty' | 'junit' | 'tap';
  output?: string;
  withinMs: number;
  brokers?: string;
  envFile?: string;
  bail: boolean;
  files: string[];
}

function parseArgs(argv: readonly string[]): Options | string {
  const o: Options = { reporter: 'pretty', withinMs: DEFAULT_WITHIN_MS, bail: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string | undefined => argv[++i];
    switch (a) {
      case '--reporter': {
        const v = value();
        if (v !== 'pretty' && v !== 'junit' && v !== 'tap') {
          return `--reporter takes pretty, junit or tap, not ${v ?? 'nothing'}`;
        }
        o.reporter = v;
        break;
      }
      case '--output':
        o.output = value();
        if (!o.output) {
          return '--output needs a file';
        }
        break;
      case '--timeout': {
        const v = Number(value());
        if (!Number.isFinite(v) || v <= 0 || v > 600) {
          return '--timeout takes seconds, more than 0 and at most 600';
        }
        o.withinMs = Math.round(v * 1000);
        break;
      }
      case '--brokers':
        o.brokers = value();
        if (!o.brokers) {
          return '--brokers needs a file';
        }
        break;
      case '--env':
        o.envFile = value();
        if (!o.envFile) {
          return '--env needs a file';
        }
        break;
      case '--bail':
        o.bail = true;
        break;
      default:
        if (a.startsWith('-')) {
          return `unknown option ${a}`;
        }
        o.files.push(a);
    }
  }
  return o.files.length ? o : 'no message file given';
}

/** KEY=VALUE lines (# comments, optional quotes), as .env files write them. */
export function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith('#')) {
      const v = m[2]!;
      out.set(m[1]!, /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v);
    }
  }
  return out;
}


const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''); // eslint-disable-line no-control-regex

interface FileResult {
  readonly file: string;
  readonly results: BlockTestResult[];
}

function junit(files: readonly FileResult[]): string {
  const all = files.flatMap((f) => f.results);
  const failures = all.filter((r) => r.outcome === 'failed').length;
  const errors = all.filter((r) => r.outcome === 'errored' || r.outcome === 'cancelled').length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="broker-messages-test" tests="${all.length}" failures="${failures}" errors="${errors}" time="${seconds(all.reduce((n, r) => n + r.durationMs, 0))}">`];
  for (const f of files) {
    const fails = f.results.filter((r) => r.outcome === 'failed').length;
    const errs = f.results.filter((r) => r.outcome === 'errored' || r.outcome === 'cancelled').length;
    lines.push(`  <testsuite name="${xml(f.file)}" tests="${f.results.length}" failures="${fails}" errors="${errs}" time="${seconds(f.results.reduce((n, r) => n + r.durationMs, 0))}">`);
    for (const r of f.results) {
      const open = `    <testcase classname="${xml(f.file)}" name="${xml(r.name)}" file="${xml(f.file)}" line="${r.line + 1}" time="${seconds(r.durationMs)}"`;
      if (r.outcome === 'passed') {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      const failed = r.expectations.find((e) => !e.result.passed);
      const detail = failed ? [failed.result.message, ...(failed.result.expected !== undefined ? [`expected:\n${failed.result.expected}`, `actual:\n${failed.result.actual ?? ''}`] : [])].join('\n') : (r.message ?? '');
      const tag = r.outcome === 'failed' ? 'failure' : 'error';
      lines.push(`      <${tag} message="${xml(r.message ?? r.outcome)}" type="${r.outcome}">${xml(detail)}</${tag}>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

function tap(files: readonly FileResult[]): string {
  const all = files.flatMap((f) => f.results.map((r) => ({ file: f.file, r })));
  const lines = ['TAP version 14', `1..${all.length}`];
  all.forEach(({ file, r }, i) => {
    lines.push(`${r.outcome === 'passed' ? 'ok' : 'not ok'} ${i + 1} - ${file}:${r.line + 1} ${r.name.replace(/#/g, '\\#')}`);
    if (r.outcome !== 'passed') {
      const failed = r.expectations.find((e) => !e.result.passed)?.result;
      lines.push('  ---', `  message: ${JSON.stringify(r.message ?? r.outcome)}`, `  outcome: ${r.outcome}`);
      if (failed?.expected !== undefined) {
        lines.push(`  expected: ${JSON.stringify(failed.expected)}`, `  actual: ${JSON.stringify(failed.actual ?? '')}`);
      }
      lines.push('  ...');
    }
  });
  return lines.join('\n') + '\n';
}

function pretty(files: readonly FileResult[]): string {
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const f of files) {
    lines.push(f.file);
    for (const r of f.results) {
      const mark = r.outcome === 'passed' ? '✔' : '✘';
      lines.push(`  ${mark} ${r.name} (line ${r.line + 1}, ${formatMs(r.durationMs)})`);
      if (r.outcome === 'passed') {
        passed++;
        continue;
      }
      failed++;
      lines.push(`      ${r.outcome === 'failed' ? '' : `${r.outcome}: `}${r.message ?? ''}`);
      const res = r.expectations.find((e) => !e.result.passed)?.result;
      if (res?.expected !== undefined) {
        lines.push('      expected:', ...res.expected.split('\n').map((l) => `        ${l}`), '      actual:', ...(res.actual ?? '').split('\n').map((l) => `        ${l}`));
      }
    }
  }
  lines.push('', `${passed} passed, ${failed} failed`);
  return lines.join('\n') + '\n';
}

/** Runs the CLI; resolves with the exit code. */
export async function runTestCli(argv: readonly string[], io: TestCliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.out(USAGE + '\n');
    return 0;
  }
  const o = parseArgs(argv);
  if (typeof o === 'string') {
    io.err(`broker-messages-test: ${o}\n${USAGE}\n`);
    return 2;
  }
  let envFile = new Map<string, string>();
  if (o.envFile) {
    try {
      envFile = parseEnvFile(readFileSync(resolve(io.cwd, o.envFile), 'utf8'));
    } catch (e) {
      io.err(`broker-messages-test: cannot read ${o.envFile}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  // Read every file and its connections first: a run that cannot start says so before sending anything.
  const jobs: { path: string; display: string; text: string; profiles: Map<string, BrokerProfile> }[] = [];
  const brokerFiles = new Map<string, Map<string, BrokerProfile>>();
  for (const given of o.files) {
    const path = resolve(io.cwd, given);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      io.err(`broker-messages-test: cannot read ${given}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    const brokersPath = o.brokers ? resolve(io.cwd, o.brokers) : nearestBrokersFile(dirname(path));
    if (!brokersPath) {
      io.err(`broker-messages-test: no ${WORKSPACE_BROKERS_FILE} at or above ${relative(io.cwd, dirname(path)) || '.'}: give one with --brokers FILE\n`);
      return 2;
    }
    let profiles = brokerFiles.get(brokersPath);
    if (!profiles) {
      let parsed;
      try {
        const folder = o.brokers ? dirname(brokersPath) : dirname(dirname(brokersPath));
        parsed = parseWorkspaceBrokers(readFileSync(brokersPath, 'utf8'), { path: folder, name: basename(folder) });
      } catch (e) {
        io.err(`broker-messages-test: cannot read ${brokersPath}: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
      }
      for (const p of parsed.problems) {
        io.err(`broker-messages-test: ${relative(io.cwd, brokersPath)}: ${p}\n`);
      }
      profiles = new Map(parsed.profiles.map((p) => [p.name, p]));
      brokerFiles.set(brokersPath, profiles);
    }
    jobs.push({ path, display: relative(io.cwd, path) || given, text, profiles });
  }

  const open = new Map<string, BrokerConnection>();
  const connect = async (profiles: Map<string, BrokerProfile>, name: string, kind: 'mqtt' | 'amqp'): Promise<BrokerConnection> => {
    const profile = profiles.get(name);
    if (!profile || profile.kind !== kind) {
      throw new StartError(`no ${kind.toUpperCase()} connection named "${name}" in the brokers file (known: ${[...profiles.keys()].join(', ') || 'none'})`);
    }
    const key = `${profile.id}`;
    let c = open.get(key);
    if (!c) {
      const getPassword = async () => io.env[passwordVariable(name)];
      c = profile.kind === 'mqtt' ? new MqttConnection({ ...profile, subscriptions: [] }, { getPassword }) : new AmqpConnection(profile, { getPassword });
      open.set(key, c);
    }
    if (c.state.kind !== 'connected') {
      const state = await c.connect();
      if (state.kind !== 'connected') {
        throw new StartError(`could not connect to "${name}": ${state.kind === 'failed' ? state.reason : state.kind}`);
      }
    }
    return c;
  };

  const results: FileResult[] = [];
  let startError: string | undefined;
  try {
    outer: for (const job of jobs) {
      const file = parseMessageFile(job.text);
      const env: ResolveEnv = {
        readFile: (p) => readFileUpTo(p, DEFAULT_PAYLOAD_LIMIT_BYTES),
        getEnv: (n) => envFile.get(n) ?? io.env[n],
        now: () => new Date(),
        random: Math.random,
        uuid: randomUUID,
        baseDir: dirname(job.path),
        trusted: true,
        maxPayloadBytes: DEFAULT_PAYLOAD_LIMIT_BYTES,
      };
      const fileResults: BlockTestResult[] = [];
      results.push({ file: job.display, results: fileResults });
      let starting: StartError | undefined;
      // Blocks run in file order; captures pass from block to block.
      const fr = fileRun(file, env, {
        defaultWithinMs: o.withinMs,
        send: sendDraft,
        connection: (name, kind) =>
          connect(job.profiles, name, kind).catch((e: unknown) => {
            if (e instanceof StartError) {
              starting = e;
            }
            throw e;
          }),
      });
      for (const block of file.blocks.filter((b) => b.expectations.length)) {
        const r = await fr.run(block);
        if (starting) {
          startError = `${job.display}:${block.requestLine + 1}: ${starting.message}`;
          break outer;
        }
        fileResults.push(r);
        if (o.bail && r.outcome !== 'passed') {
          break outer;
        }
      }
    }
  } finally {
    await Promise.all([...open.values()].map((c) => c.dispose()));
  }
  if (startError) {
    io.err(`broker-messages-test: ${startError}\n`);
    return 2;
  }
  const report = o.reporter === 'junit' ? junit(results) : o.reporter === 'tap' ? tap(results) : pretty(results);
  if (o.output) {
    writeFileSync(resolve(io.cwd, o.output), report);
    if (o.reporter !== 'pretty') {
      io.out(pretty(results));
    }
  } else {
    io.out(report);
  }
  return results.some((f) => f.results.some((r) => r.outcome !== 'passed')) ? 1 : 0;
}

class StartError extends Error {}

/* istanbul ignore next: the process entry point */
if (require.main === module) {
  void runTestCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`broker-messages-test: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
