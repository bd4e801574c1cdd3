// Runs inside the extension host (see scripts/bench.mjs, P11 Sparkplug view): the Sparkplug B view
// visible with a device of 10,000 metrics expanded, while the edge-node simulator (its own process,
// Eclipse Tahu's encoder) publishes a DDATA changing 1,000 of them every 100 ms through the shared
// Mosquitto. Measures the view's refreshes per second, the time the view's provider spends per
// refresh (getChildren + getTreeItem), and the extension host's event-loop lag against the same
// host idle just before.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { lag } from './hostLag';
import type { SparkplugElement } from '../src/codecs/sparkplug';
import type { BrokerExplorerApi } from '../src/extension';


async function until<T>(what: () => T | undefined, label: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v) {
      return v;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${label}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function run(): Promise<void> {
  const out = process.env.BROKER_EXPLORER_BENCH_OUT;
  const metrics = Number(process.env.BROKER_EXPLORER_BENCH_METRICS ?? 10_000);
  const changed = Number(process.env.BROKER_EXPLORER_BENCH_CHANGED ?? 1_000);
  const every = 100;
  const seconds = 10;
  if (!out) {
    throw new Error('BROKER_EXPLORER_BENCH_OUT is not set');
  }
  const ext = vscode.extensions.getExtension<BrokerExplorerApi>('broker-explorer.broker-explorer')!;
  const api = await ext.activate();
  const group = `bench-p11-${process.pid}`;
  const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'bench sparkplug', host: '127.0.0.1', port: 1883, connect: false });
  const profile = api.registry.get(id)!.profile;
  await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...profile, subscriptions: [{ filter: `spBv1.0/${group}/#`, qos: 0 }] } });
  if ((await vscode.commands.executeCommand<string>('brokerExplorer.connectBroker', id)) !== 'connected') {
    throw new Error('could not connect to 127.0.0.1:1883');
  }
  await new Promise((r) => setTimeout(r, 1000));
  const idle = await lag(3000);

  const simulator = spawn(
    process.execPath,
    [join(ext.extensionPath, 'out/test/support/sparkplugSimulator.js'), '--url', 'mqtt://127.0.0.1:1883', '--group', group, '--node', 'edge', '--device', 'big', '--every', String(every), '--metrics', String(metrics), '--changed', String(changed)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const tracker = api.codecs.sparkplug;
    const device = await until(
      () =>
        tracker
          .entries()
          .find(([b]) => b === id)?.[1]
          .groups.get(group)
          ?.nodes.get('edge')
          ?.devices.get('big'),
      'the DBIRTH of the 10k-metric device',
    );
    await until(() => device.metrics.size >= metrics, 'all metrics of the DBIRTH');
    await vscode.commands.executeCommand('brokerExplorer.sparkplug.focus');
    const tree = api.codecs.sparkplugTree;
    const view = api.codecs.sparkplugView;
    await until(() => view.visible || undefined, 'the Sparkplug view to be visible');

    const deviceElement: SparkplugElement = { kind: 'device', brokerId: id, device };
    // Ten folders of the device expanded: 1,000 metric rows listed, all of them changing.
    const expanded = Number(process.env.BROKER_EXPLORER_BENCH_FOLDERS ?? 10);
    const folders = tree.getChildren(deviceElement)
      .filter((e) => e.kind === 'folder')
      .slice(0, expanded);
    const firstMetrics = folders.map((f) => tree.getChildren(f)[0]!);
    // Time spent in the provider, and how often VS Code asked for the device's 10k rows.
    let providerMs = 0;
    let deviceListings = 0;
    let listedRows = 0;
    let items = 0;
    const getChildren = tree.getChildren.bind(tree);
    const getTreeItem = tree.getTreeItem.bind(tree);
    tree.getChildren = (e?: SparkplugElement) => {
      const t = performance.now();
      const r = getChildren(e);
      providerMs += performance.now() - t;
      if (e?.kind === 'device' || e?.kind === 'folder') {
        deviceListings++;
      }
      listedRows += r.length;
      return r;
    };
    tree.getTreeItem = (e: SparkplugElement) => {
      const t = performance.now();
      const r = getTreeItem(e);
      providerMs += performance.now() - t;
      items++;
      return r;
    };
    for (const m of firstMetrics) {
      const t = performance.now();
      await view.reveal(m, { select: false, focus: false, expand: false });
      console.error(`revealed ${m.kind === 'metric' ? m.metric.name : m.kind} in ${Math.round(performance.now() - t)} ms`);
    }
    await until(() => deviceListings > folders.length || undefined, 'VS Code to list the expanded folders');
    providerMs = 0;
    items = 0;
    deviceListings = 0;
    listedRows = 0;
    const redrawnBefore = tree.rowsRedrawn;
    let refreshes = 0;
    const counting = tree.onDidChangeTreeData(() => refreshes++);
    const updatesBefore = [...device.metrics.values()].reduce((n, m) => n + m.updates, 0);
    const started = performance.now();
    const loaded = await lag(seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    counting.dispose();
    const updates = [...device.metrics.values()].reduce((n, m) => n + m.updates, 0) - updatesBefore;
    tree.getChildren = getChildren;
    tree.getTreeItem = getTreeItem;
    writeFileSync(
      out,
      JSON.stringify({
        metrics: device.metrics.size,
        changed,
        every,
        seconds: elapsed,
        metricUpdatesPerSecond: updates / elapsed,
        refreshesPerSecond: refreshes / elapsed,
        deviceListings,
        folders: folders.length,
        listedRows,
        rowsRedrawnPerRefresh: refreshes ? (tree.rowsRedrawn - redrawnBefore) / refreshes : 0,
        itemsPerRefresh: refreshes ? items / refreshes : 0,
        providerMsPerRefresh: refreshes ? providerMs / refreshes : 0,
        idle,
        underLoad: loaded,
      }),
    );
  } finally {
    if (simulator.exitCode === null) {
      const exited = new Promise((r) => simulator.once('exit', r));
      simulator.kill('SIGTERM');
      await exited;
    }
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
  }
}
