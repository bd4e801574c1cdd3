// The AMQP view re-renders only what a poll changed (issue 19, P6): real RabbitMQ and its
// management API, the extension's own tree provider, its onDidChangeTreeData events as VS Code gets them.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AmqpConnection, Topology } from '../../src/core/amqp/amqpConnection';
import type { AmqpTreeNode } from '../../src/amqp/amqpTree';
import type { BrokerExplorerApi } from '../../src/extension';
import { api, until } from './helpers';

/** The scheduler coalesces changes for 100 ms: wait past that for the event of a poll. */
const FLUSH_WAIT_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A snapshot's content without its time: two polls that read the same broker state compare equal. */
const content = (t: Topology | undefined): string => JSON.stringify(t ? { ...t, fetchedAt: 0 } : t);

describe('AMQP view refresh: a poll re-renders only what changed (real RabbitMQ)', function () {
  this.timeout(90_000);
  let a: BrokerExplorerApi;
  let c: AmqpConnection;
  let id: string;
  const queue = `be-it-refresh-${process.pid}`;
  const events: (AmqpTreeNode | AmqpTreeNode[] | undefined)[] = [];
  let listening: vscode.Disposable | undefined;

  const label = (n: AmqpTreeNode): string => {
    const l = a.amqpTree.getTreeItem(n).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  const child = (n: AmqpTreeNode, name: string): AmqpTreeNode => {
    const found = a.amqpTree.getChildren(n).find((x) => label(x) === name);
    assert.ok(found, `${label(n)} has ${name}`);
    return found;
  };
  /** Asks for every row down to the queues, as VS Code does for the expanded groups. */
  const queueNode = (): AmqpTreeNode => child(child(child(c, '/'), 'Queues'), queue);
  /** One poll (what the timer runs while the view is visible) and the events it caused. */
  const poll = async (): Promise<{ fired: (AmqpTreeNode | undefined)[]; before: string; after: string }> => {
    await sleep(FLUSH_WAIT_MS); // events of an earlier change are out
    const before = content(c.topology);
    events.length = 0;
    await a.amqpTree.refreshAmqp(c);
    await sleep(FLUSH_WAIT_MS);
    return { fired: events.flatMap((e) => (Array.isArray(e) ? e : [e])), before, after: content(c.topology) };
  };

  before(async () => {
    a = await api();
    id = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'rabbit refresh', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    c = a.registry.get(id) as AmqpConnection;
    assert.equal(c.state.kind, 'connected');
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.declareQueue', c, { name: queue, type: 'classic', durable: false }), queue);
    // Only this test's queue is listed: other tests on the shared broker change the other rows less.
    c.queueFilter = `^${queue}$`;
    await a.amqpTree.refreshAmqp(c);
    queueNode();
    listening = a.amqpTree.onDidChangeTreeData((e) => events.push(e));
  });
  after(async () => {
    listening?.dispose();
    await c?.management.deleteQueue('/', queue).catch(() => {});
    await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
  });

  it('a poll that reads the same broker state fires no tree change and keeps every node', async () => {
    const node = queueNode();
    // Other suites share this RabbitMQ: a poll during which they changed something is not this case.
    let quiet: { fired: (AmqpTreeNode | undefined)[] } | undefined;
    for (let attempt = 0; attempt < 10 && !quiet; attempt++) {
      const p = await poll();
      if (p.before === p.after) {
        quiet = p;
      }
    }
    assert.ok(quiet, 'two polls in a row read the same state within 10 tries');
    assert.deepEqual(quiet.fired, [], 'no onDidChangeTreeData for a poll that changed nothing');
    assert.equal(queueNode(), node, 'the queue row is the same node (VS Code keeps its rendered item)');
  });

  it('a changed queue depth fires that queue row only', async () => {
    const node = queueNode();
    const description = (): string => String(a.amqpTree.getTreeItem(queueNode()).description);
    const ready = (): number => Number(/^(\d+) ready/.exec(description())?.[1]);
    assert.equal(ready(), 0);
    // Only this queue's own data may change in the poll that is judged: other suites share this broker.
    // The default exchange carries the publish to this queue: its own statistics move with it.
    const others = (s: string): string =>
      JSON.stringify(
        (JSON.parse(s) as Topology).vhosts.map((v) => ({
          ...v,
          queues: v.queues.filter((q) => q.name !== queue),
          exchanges: v.exchanges.map((e) => (e.name === '' ? { ...e, message_stats: undefined } : e)),
        })),
      );
    let judged: (AmqpTreeNode | undefined)[] | undefined;
    let differed = '';
    for (let attempt = 1; attempt <= 8 && !judged; attempt++) {
      assert.equal(await c.publish('', queue, Buffer.from(`message ${attempt}`)), 'routed');
      // The management API updates queue statistics every few seconds: poll until the row shows it.
      const p = await until(async () => {
        const r = await poll();
        return ready() === attempt ? r : undefined;
      }, `the queue row to show ${attempt} ready`, 30_000);
      if (others(p.before) === others(p.after)) {
        judged = p.fired;
      } else {
        const b = others(p.before);
        const a2 = others(p.after);
        let i = 0;
        while (i < b.length && b[i] === a2[i]) {
          i++;
        }
        differed = `${b.slice(Math.max(0, i - 120), i + 60)} → ${a2.slice(Math.max(0, i - 120), i + 60)}`;
      }
    }
    assert.ok(judged, `a poll in which only this queue changed, within 8 tries; the last other change: ${differed}`);
    assert.deepEqual(judged, [node], 'one event, for the queue row, which is the node VS Code already has');
    assert.equal(queueNode(), node);
    assert.match(description(), /^\d+ ready · 0 consumers/);
  });

  it('makes the queue tooltip when the row is hovered (resolveTreeItem), with the current counts', () => {
    const node = queueNode();
    const item = a.amqpTree.getTreeItem(node);
    assert.equal(item.tooltip, undefined, 'not made for every row of every poll');
    const resolved = a.amqpTree.resolveTreeItem(item, node);
    const tooltip = (resolved.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes(`**Queue ${queue.replace(/-/g, '\\-')}**`), tooltip);
    assert.match(tooltip, /messages ready: [1-5]\n/);
  });
});
