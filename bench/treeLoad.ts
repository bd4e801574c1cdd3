// Runs inside the extension host (see scripts/bench.mjs, P2): the MQTT view open on the local
// Mosquitto subscribed to # and $SYS/#, while a separate process publishes at up to 50k msg/s for
// 20 s. Measures tree refresh events per second, event-loop lag (p99, max) under load and idle,
// and how many messages arrived, and (P4b) the host's memory: RSS, V8's heap spaces, scavenges.
// For looking into memory, not part of the figures: BROKER_EXPLORER_BENCH_HEAP_PROFILE=<file>
// writes the sampling heap profile's top allocation sites (objects that survived a scavenge;
// BROKER_EXPLORER_BENCH_HEAP_ALL=1: every allocation), BROKER_EXPLORER_BENCH_HIDDEN=1 runs the load
// with the MQTT view not shown, BROKER_EXPLORER_BENCH_TRACE_GC=1 has V8 print every collection
// during the load (bytes allocated, promoted, surviving, the young generation's capacity) to the
// host's stdout, which BROKER_EXPLORER_HARNESS_LOG=<file> (scripts/harness.mjs) keeps.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import * as vscode from 'vscode';
import { lag } from './hostLag';
import type { MqttConnection } from '../src/core/mqtt/mqttConnection';
import type { BrokerExplorerApi } from '../src/extension';


/** Self time per function (the five largest; share of the busy, non-idle time) from an in-process CPU profile of this extension host. */
interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  startTime: number;
  endTime: number;
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))));
}

function topSelf(profile: Profile, n = 5): { fn: string; ms: number; share: number }[] {
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length) / 1000;
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    const f = byId.get(id)!;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + interval);
  }
  const busy = [...self].filter(([k]) => !k.startsWith('(idle)'));
  const total = busy.reduce((sum, [, ms]) => sum + ms, 0);
  return busy
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms), share: Number((ms / total).toFixed(3)) }));
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}
interface HeapProfile {
  head: HeapNode;
}

/** Allocation sites by sampled bytes, each with its two callers. */
function topAllocations(profile: HeapProfile, n = 25): { site: string; mb: number }[] {
  const bytes = new Map<string, number>();
  const frame = (f: HeapNode['callFrame']) => `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  const walk = (node: HeapNode, stack: string[]): void => {
    const here = [frame(node.callFrame), ...stack].slice(0, 3);
    if (node.selfSize) {
      const key = here.join(' < ');
      bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
    }
    for (const c of node.children) {
      walk(c, here);
    }
  };
  walk(profile.head, []);
  return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, n).map(([site, b]) => ({ site, mb: Math.round(b / 1e4) / 100 }));
}

export async function run(): Promise<void> {
  const out = process.env.BROKER_EXPLORER_BENCH_OUT;
  const rate = Number(process.env.BROKER_EXPLORER_BENCH_RATE ?? 50_000);
  const seconds = Number(process.env.BROKER_EXPLORER_BENCH_SECONDS ?? 20);
  if (!out) {
    throw new Error('BROKER_EXPLORER_BENCH_OUT is not set');
  }
  const ext = vscode.extensions.getExtension<BrokerExplorerApi>('broker-explorer.broker-explorer')!;
  const api = await ext.activate();
  if (process.env.BROKER_EXPLORER_BENCH_HIDDEN !== '1') {
    await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
  }
  const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'bench', host: '127.0.0.1', port: 1883 });
  const connection = api.registry.get(id) as MqttConnection;
  if (connection.state.kind !== 'connected') {
    throw new Error(`could not connect: ${JSON.stringify(connection.state)}`);
  }
  await new Promise((r) => setTimeout(r, 1000));
  const idle = await lag(3000);

  const prefix = `bench/p2-${process.pid}`;
  const before = connection.topics.totalMessages;
  let refreshes = 0;
  const counting = api.mqttTree.onDidChangeTreeData(() => refreshes++);
  const started = Date.now();
  const publisher = spawn(process.execPath, [join(ext.extensionPath, 'out/bench/throughput.js'), 'publish', '1883', prefix, '10000', String(rate), String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let published = '';
  publisher.stdout.on('data', (d: Buffer) => (published += d.toString()));
  if (process.env.BROKER_EXPLORER_BENCH_TRACE_GC === '1') {
    setFlagsFromString('--trace-gc-nvp'); // V8 prints each collection to the host's stdout (see the header)
  }
  const loaded = lag(seconds * 1000);
  // P4b: the extension host's resident memory before and during the load (sampled every 250 ms).
  const rssBefore = process.memoryUsage().rss;
  let rssMax = rssBefore;
  let atMax = process.memoryUsage();
  const spaces = () => getHeapSpaceStatistics().filter((x) => x.space_size > 0).map((x) => `${x.space_name} ${(x.space_used_size / 1048576).toFixed(1)}/${(x.space_size / 1048576).toFixed(1)}`).join(', ');
  const spacesBefore = spaces();
  let spacesAtMax = '';
  const gcs = { minor: 0, major: 0, majorMs: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gcs.minor++;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gcs.major++;
        gcs.majorMs += e.duration;
      }
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const rssTimer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > rssMax) {
      rssMax = m.rss;
      atMax = m;
      spacesAtMax = spaces();
    }
  }, 250);
  // The extension host's own CPU profile during the load (issue 19: top self-time functions).
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 1000 });
  await post(session, 'Profiler.start');
  // Where the heap goes (for a person looking into P4b, not part of the figures): the sampling heap
  // profiler over objects that survive a scavenge, i.e. what reaches the old generation.
  const heapOut = process.env.BROKER_EXPLORER_BENCH_HEAP_PROFILE;
  if (heapOut) {
    await post(session, 'HeapProfiler.enable');
    await post(session, 'HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.BROKER_EXPLORER_BENCH_HEAP_ALL === '1' });
  }
  await new Promise<void>((resolve) => publisher.once('exit', () => resolve()));
  const underLoad = await loaded;
  clearInterval(rssTimer);
  gcObserver.disconnect();
  if (process.env.BROKER_EXPLORER_BENCH_TRACE_GC === '1') {
    setFlagsFromString('--no-trace-gc-nvp');
  }
  const rssAfter = process.memoryUsage().rss;
  rssMax = Math.max(rssMax, rssAfter);
  const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
  if (heapOut) {
    const { profile: heap } = await post<{ profile: HeapProfile }>(session, 'HeapProfiler.stopSampling');
    writeFileSync(heapOut, JSON.stringify(topAllocations(heap), null, 1));
  }
  session.disconnect();
  const sent = (JSON.parse(published.trim().split('\n').pop()!) as { sent: number; seconds: number });
  const deadline = Date.now() + 10_000;
  const model = connection.topics;
  const inPrefix = () => model.findPath(prefix.split('/'))?.subtreeMessages ?? 0;
  while (inPrefix() < sent.sent && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const elapsed = (Date.now() - started) / 1000;
  counting.dispose();
  writeFileSync(
    out,
    JSON.stringify({
      offered: sent.sent / sent.seconds,
      sent: sent.sent,
      received: inPrefix(),
      totalReceived: model.totalMessages - before,
      seconds: elapsed,
      achieved: inPrefix() / sent.seconds,
      refreshesPerSecond: refreshes / elapsed,
      idle,
      underLoad,
      profile: topSelf(profile),
      hidden: process.env.BROKER_EXPLORER_BENCH_HIDDEN === '1',
      rss: { before: rssBefore, max: rssMax, heapUsedAtMax: atMax.heapUsed, spacesAtMax, spacesBefore, gcs, heapTotalAtMax: atMax.heapTotal, externalAtMax: atMax.external, arrayBuffersAtMax: atMax.arrayBuffers, after: rssAfter, treeBytes: model.treeBytes, storedBytes: model.storedBytes, topics: model.topicCount },
    }),
  );
  await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
}
