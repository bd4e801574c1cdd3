// Runs inside the extension host (scripts/bench.mjs, "amqpTree"): a RabbitMQ vhost with 2,000
// queues; times a refresh of the AMQP view (management API reads + building every tree item)
// against a bare fetch of the same /api/queues listing.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../src/core/amqp/amqpConnection';
import type { AmqpTreeNode } from '../src/amqp/amqpTree';
import type { BrokerExplorerApi } from '../src/extension';

const QUEUES = 2000;
const RUNS = 9;

export async function run(): Promise<void> {
  const out = process.env.BROKER_EXPLORER_BENCH_OUT;
  if (!out) {
    throw new Error('BROKER_EXPLORER_BENCH_OUT is not set');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const amqplib = require('amqplib') as typeof import('amqplib');
  const conn = await amqplib.connect('amqp://guest:guest@127.0.0.1:5672');
  const ch = await conn.createChannel();
  const prefix = `be-bench-q-${process.pid}-`;
  for (let i = 0; i < QUEUES; i++) {
    await ch.assertQueue(`${prefix}${i}`, { durable: false });
  }
  await new Promise((r) => setTimeout(r, 3000)); // let the broker's statistics settle after 2,000 declares
  try {
    const api = await vscode.extensions.getExtension<BrokerExplorerApi>('broker-explorer.broker-explorer')!.activate();
    await vscode.commands.executeCommand('brokerExplorer.amqp.focus');
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'bench', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    const c = api.registry.get(id) as AmqpConnection;
    const tree = api.amqpTree;
    const walk = (n: AmqpTreeNode): number => {
      tree.getTreeItem(n);
      return 1 + tree.getChildren(n).reduce((sum, child) => sum + walk(child), 0);
    };
    await tree.refreshAmqp(c); // the first read, started when it connected
    walk(c); // every row asked for once, as VS Code does when the groups are expanded
    // The rows VS Code renders again for what the provider fired: each element, and below it what is
    // expanded by default (a fired broker row re-renders its whole default-expanded subtree).
    const rerendered = (n: AmqpTreeNode): number =>
      1 + (tree.getTreeItem(n).collapsibleState === vscode.TreeItemCollapsibleState.Expanded ? tree.getChildren(n).reduce((sum, child) => sum + rerendered(child), 0) : 0);
    let fired = 0;
    const listening = tree.onDidChangeTreeData((e) => {
      for (const n of Array.isArray(e) ? e : [e]) {
        fired += n === undefined ? tree.getChildren().reduce((sum, root) => sum + rerendered(root), 0) : rerendered(n);
      }
    });
    const settle = () => new Promise((r) => setTimeout(r, 300)); // past the tree's 100 ms coalescing
    const times: number[] = [];
    const unchangedFired: number[] = [];
    let items = 0;
    for (let i = 0; i < RUNS; i++) {
      await settle();
      fired = 0;
      const t = performance.now();
      await tree.refreshAmqp(c);
      items = walk(c);
      times.push(performance.now() - t);
      await settle();
      unchangedFired.push(fired);
    }
    // One queue's depth changes: the management API shows it within its statistics interval (5 s).
    const probe = `${prefix}10`; // among the first 500 by name
    const depth = () => c.topology?.vhosts.find((v) => v.name === '/')?.queues.find((q) => q.name === probe)?.messages_ready ?? 0;
    ch.sendToQueue(probe, Buffer.from('one'));
    let changedFired = -1;
    for (let i = 0; i < 40 && changedFired < 0; i++) {
      await settle();
      fired = 0;
      await tree.refreshAmqp(c);
      await settle();
      if (depth() === 1) {
        changedFired = fired;
      }
    }
    listening.dispose();
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await fetch('http://127.0.0.1:15672/api/queues/%2F', { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` } });
      await r.json();
      baseline.push(performance.now() - t);
    }
    const queues = c.topology?.vhosts.find((v) => v.name === '/')?.queues.filter((q) => q.name.startsWith(prefix)).length ?? 0;
    writeFileSync(out, JSON.stringify({ times, baseline, items, queues, unchangedFired, changedFired }));
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
  } finally {
    for (let i = 0; i < QUEUES; i++) {
      await ch.deleteQueue(`${prefix}${i}`).catch(() => {});
    }
    await conn.close();
  }
}
