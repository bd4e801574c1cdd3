// Runs inside the extension host (see scripts/bench.mjs, P2): the MQTT view open on the local
// Mosquitto subscribed to # and $SYS/#, while a separate process publishes at up to 50k msg/s for
// 20 s. Measures tree refresh events per second, event-loop lag (p99, max) under load and idle,
// and how many messages arrived.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { MqttConnection } from '../src/core/mqtt/mqttConnection';
import type { BrokerExplorerApi } from '../src/extension';

function lag(ms: number): Promise<{ p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return new Promise((resolve) =>
    setTimeout(() => {
      h.disable();
      resolve({ p99: h.percentile(99) / 1e6, max: h.max / 1e6 });
    }, ms),
  );
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
  await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
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
  const loaded = lag(seconds * 1000);
  await new Promise<void>((resolve) => publisher.once('exit', () => resolve()));
  const underLoad = await loaded;
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
    }),
  );
  await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
}
