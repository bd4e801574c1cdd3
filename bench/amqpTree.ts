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
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await tree.refreshAmqp(c);
      items = walk(c);
      times.push(performance.now() - t);
    }
    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = await fetch('http://127.0.0.1:15672/api/queues/%2F', { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` } });
      await r.json();
      baseline.push(performance.now() - t);
    }
    const queues = c.topology?.vhosts.find((v) => v.name === '/')?.queues.filter((q) => q.name.startsWith(prefix)).length ?? 0;
    writeFileSync(out, JSON.stringify({ times, baseline, items, queues }));
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
  } finally {
    for (let i = 0; i < QUEUES; i++) {
      await ch.deleteQueue(`${prefix}${i}`).catch(() => {});
    }
    await conn.close();
  }
}
