// Runs inside the extension host (scripts/bench.mjs, P3): an inspector panel open on a subtree of
// the local Mosquitto while another process publishes at 50k msg/s. Measures postMessage calls per
// second to the webview (goal ≤ 10) and whether every published message reached the inspector and
// the topic model (counts match); then the same at 5k msg/s, where the webview must get them all. The posts are counted by the API's test-only `testing.panelPosts`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MqttConnection } from '../src/core/mqtt/mqttConnection';
import type { BrokerExplorerApi } from '../src/extension';

export async function run(): Promise<void> {
  const out = process.env.BROKER_EXPLORER_BENCH_OUT;
  const rate = Number(process.env.BROKER_EXPLORER_BENCH_RATE ?? 50_000);
  const seconds = Number(process.env.BROKER_EXPLORER_BENCH_SECONDS ?? 10);
  const low = Number(process.env.BROKER_EXPLORER_BENCH_LOW_RATE ?? 5_000);
  if (!out) {
    throw new Error('BROKER_EXPLORER_BENCH_OUT is not set');
  }
  const ext = vscode.extensions.getExtension<BrokerExplorerApi>('broker-explorer.broker-explorer')!;
  const api = await ext.activate();
  if (!api.testing) {
    throw new Error('the extension does not run under test: no post counts');
  }
  const counts = api.testing.panelPosts;
  const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'bench-inspect', host: '127.0.0.1', port: 1883 });
  const connection = api.registry.get(id) as MqttConnection;
  if (connection.state.kind !== 'connected') {
    throw new Error(`could not connect: ${JSON.stringify(connection.state)}`);
  }
  // Two offered loads: 5k msg/s (goal: the webview gets every message) and 50k msg/s (goal:
  // every message counted, the newest 10k shown, the rest said as "N not shown").
  const phases: Record<string, unknown>[] = [];
  for (const [i, phaseRate] of [low, rate].entries()) {
    const prefix = `bench/p3-${process.pid}-${i}`;
    const panel = await api.panels.inspect({ kind: 'mqtt', brokerId: id, filter: `${prefix}/#` });
    const readyBy = Date.now() + 30_000;
    while (!panel.isReady && Date.now() < readyBy) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!panel.isReady) {
      throw new Error('the inspector webview never became ready');
    }
    const postsBefore = counts.posts(panel);
    const perSecond: number[] = [];
    let last = postsBefore;
    const sampler = setInterval(() => {
      perSecond.push(counts.posts(panel) - last);
      last = counts.posts(panel);
    }, 1000);
    const modelBefore = connection.topics.findPath(prefix.split('/'))?.subtreeMessages ?? 0;
    const started = Date.now();
    const publisher = spawn(process.execPath, [join(ext.extensionPath, 'out/bench/throughput.js'), 'publish', '1883', prefix, '1000', String(phaseRate), String(seconds)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let published = '';
    publisher.stdout.on('data', (d: Buffer) => (published += d.toString()));
    await new Promise<void>((resolve) => publisher.once('exit', () => resolve()));
    const sent = JSON.parse(published.trim().split('\n').pop()!) as { sent: number; seconds: number };
    const deadline = Date.now() + 15_000;
    while ((panel.buffer.total < sent.sent || counts.appendedMessages(panel) + counts.skippedMessages(panel) < panel.buffer.total) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1100));
    clearInterval(sampler);
    const elapsed = (Date.now() - started) / 1000;
    const model = (connection.topics.findPath(prefix.split('/'))?.subtreeMessages ?? 0) - modelBefore;
    phases.push({
      offered: sent.sent / sent.seconds,
      sent: sent.sent,
      seconds: elapsed,
      inspectorReceived: panel.buffer.total,
      postedToWebview: counts.appendedMessages(panel),
      notShown: counts.skippedMessages(panel),
      kept: panel.buffer.size,
      modelReceived: model,
      posts: counts.posts(panel) - postsBefore,
      postsPerSecondMax: Math.max(0, ...perSecond),
      postsPerSecondMean: (counts.posts(panel) - postsBefore) / elapsed,
    });
    panel.dispose();
  }
  writeFileSync(out, JSON.stringify({ low: phases[0], high: phases[1] }));
  await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
}
