// Runs inside the extension host (see scripts/bench.mjs): measures how long activating Broker
// Explorer takes, how long until both of its views got their first rows (the first paint), what
// each step of activate() cost (the brokerExplorer:* performance marks of src/shared/marks.ts),
// whether mqtt.js / amqplib were loaded by it, and — as the baseline in the same host — how long
// loading those two client bundles takes, which eager loading would have added.
import { Session } from 'node:inspector';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import type { BrokerExplorerApi } from '../src/extension';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

const PREFIX = 'brokerExplorer:';

function marks(): Map<string, number> {
  return new Map(
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith(PREFIX))
      .map((m) => [m.name.slice(PREFIX.length), m.startTime]),
  );
}

export async function run(): Promise<void> {
  if (process.env.BROKER_EXPLORER_BENCH_FLOOR) {
    return floor();
  }
  const ext = vscode.extensions.getExtension('broker-explorer.broker-explorer');
  if (!ext) {
    throw new Error(`extension not found (development extensions: ${vscode.extensions.all.filter((e) => !e.extensionPath.includes('code-server')).map((e) => e.id).join(', ')})`);
  }
  if (ext.isActive) {
    throw new Error('the extension was already active: activation cannot be measured');
  }
  // Let the built-in extensions finish starting, so that only our activation is timed.
  await new Promise((r) => setTimeout(r, 5000));
  const vendor = (name: string) => join(ext.extensionPath, 'dist', 'vendor', `${name}.js`);
  // BROKER_EXPLORER_BENCH_PROFILE: a CPU profile of the activation (a separate host: it slows it down).
  const profiling = process.env.BROKER_EXPLORER_BENCH_PROFILE ? await startProfile() : undefined;
  const started = performance.now();
  await ext.activate();
  const activationMs = performance.now() - started;
  const profile = profiling ? await profiling.stop() : undefined;
  // Our lazy bundles already loaded when activation resolved (only dist/extension.js should be).
  const dist = join(ext.extensionPath, 'dist');
  const bundlesAtActivation = Object.keys(require.cache).filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length + 1));
  // Then the view opens (VS Code's focus command for it, from the renderer): it asks each tree for
  // its root rows. Work activate() deferred runs now, before those requests are answered.
  await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
  const deadline = Date.now() + 20_000;
  while (!(marks().has('mqtt.firstRoot') && marks().has('amqp.firstRoot'))) {
    if (Date.now() > deadline) {
      throw new Error(`the views did not ask for their rows within 20 s (marks: ${[...marks().keys()].join(', ')})`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const m = marks();
  const at = (name: string): number => {
    const t = m.get(name);
    if (t === undefined) {
      throw new Error(`no ${PREFIX}${name} mark`);
    }
    return t;
  };
  // Each step: the time since the mark before it (in the order they were made).
  const ordered = [...m.entries()].sort((a, b) => a[1] - b[1]);
  const steps: Record<string, number> = {};
  for (let i = 1; i < ordered.length; i++) {
    steps[ordered[i]![0]] = ordered[i]![1] - ordered[i - 1]![1];
  }
  const loaded = ['mqtt', 'amqplib'].filter((n) => require.cache[vendor(n)] !== undefined);

  const t = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(vendor('mqtt'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(vendor('amqplib'));
  const clientsMs = performance.now() - t;

  // The host that makes the code cache for the next ones (scripts/bench.mjs): wait until it is saved.
  if (process.env.BROKER_EXPLORER_BENCH_PRIME) {
    const storage = (ext.exports as BrokerExplorerApi).testing!.storage.globalStorageUri.fsPath;
    const dir = join(storage, 'v8-cache');
    const until = Date.now() + 15_000;
    while (!(existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.bin')))) {
      if (Date.now() > until) {
        throw new Error(`no code cache in ${dir} 15 s after activation`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const out = process.env.BROKER_EXPLORER_BENCH_OUT;
  if (!out) {
    throw new Error('BROKER_EXPLORER_BENCH_OUT is not set');
  }
  writeFileSync(
    out,
    JSON.stringify({
      activationMs,
      bundlesAtActivation,
      // Evaluating dist/extension.js (its first to its last statement) plus activate() itself: our own code only.
      ownActivationMs: at('loaded') - at('load') + (at('activated') - at('activate')),
      // Between the bundle's last statement and activate() being called: VS Code making the extension context.
      contextMs: at('activate') - at('loaded'),
      // From ext.activate() (VS Code reads and loads the bundle, then calls activate; then the view opens) to both views' first rows.
      firstRenderMs: Math.max(at('mqtt.firstRoot'), at('amqp.firstRoot')) - started,
      firstRenderMqttMs: at('mqtt.firstRoot') - started,
      firstRenderAmqpMs: at('amqp.firstRoot') - started,
      // What VS Code spent before the bundle's first statement ran (finding, reading, compiling it).
      beforeLoadMs: at('load') - started,
      steps,
      clientsLoaded: loaded,
      clientsMs,
      ...(profile ? { profile: summarize(profile, join(ext.extensionPath, 'dist')) } : {}),
    }),
  );
}

/** The P5 floor: the same measurement of a do-nothing extension (bench/fixtures/empty-extension) in a host of its own. */
async function floor(): Promise<void> {
  const ext = vscode.extensions.getExtension('bench.empty');
  if (!ext || ext.isActive) {
    throw new Error('the do-nothing extension (bench/fixtures/empty-extension) is missing or already active');
  }
  await new Promise((r) => setTimeout(r, 5000));
  const started = performance.now();
  await ext.activate();
  const activationMs = performance.now() - started;
  writeFileSync(process.env.BROKER_EXPLORER_BENCH_OUT!, JSON.stringify({ activationMs }));
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

async function startProfile(): Promise<{ stop(): Promise<Profile> }> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await post<{ profile: Profile }>('Profiler.stop');
      session.disconnect();
      if (process.env.BROKER_EXPLORER_BENCH_PROFILE_FILE) {
        writeFileSync(process.env.BROKER_EXPLORER_BENCH_PROFILE_FILE, JSON.stringify(profile));
      }
      return profile;
    },
  };
}

/** Self time by where the code is (ours, VS Code, Node, V8's own) and our 15 costliest functions. */
function summarize(profile: Profile, ours: string): { byArea: Record<string, number>; top: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byArea: Record<string, number> = {};
  const byFunction = new Map<string, number>();
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    const f = { ...frame, url: frame.url.replace(/^file:\/\//, '') };
    const area = f.url.startsWith(ours)
      ? `ours (${f.url.slice(ours.length + 1)})`
      : f.url.includes('/out/bench/')
        ? 'this benchmark'
        : f.url.startsWith('node:')
          ? `Node (${f.functionName || 'anonymous'})`
          : f.url
            ? 'VS Code'
            : `native ${f.functionName || '(unknown)'}`;
    byArea[area] = (byArea[area] ?? 0) + ms;
    if (f.url.startsWith(ours)) {
      const key = `${f.functionName || '(anonymous)'} ${f.url.slice(ours.length + 1)}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    }
  }
  const top = [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
  return { byArea, top };
}
