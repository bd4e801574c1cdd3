// Runs inside the extension host (see scripts/bench.mjs): measures how long activating Broker
// Explorer takes, whether mqtt.js / amqplib were loaded by it, and — as the baseline in the same
// host — how long loading those two client bundles takes, which eager loading would have added.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('broker-explorer.broker-explorer');
  if (!ext) {
    throw new Error('extension not found');
  }
  if (ext.isActive) {
    throw new Error('the extension was already active: activation cannot be measured');
  }
  // Let the built-in extensions finish starting, so that only our activation is timed.
  await new Promise((r) => setTimeout(r, 5000));
  const vendor = (name: string) => join(ext.extensionPath, 'dist', 'vendor', `${name}.js`);
  const started = performance.now();
  await ext.activate();
  const activationMs = performance.now() - started;
  const loaded = ['mqtt', 'amqplib'].filter((n) => require.cache[vendor(n)] !== undefined);

  const t = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(vendor('mqtt'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(vendor('amqplib'));
  const clientsMs = performance.now() - t;

  const out = process.env.BROKER_EXPLORER_BENCH_OUT;
  if (!out) {
    throw new Error('BROKER_EXPLORER_BENCH_OUT is not set');
  }
  writeFileSync(out, JSON.stringify({ activationMs, clientsLoaded: loaded, clientsMs }));
}
