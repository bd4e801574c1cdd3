// The AMQP view's model (src/core/amqp/topologyTree.ts) in plain Node: what each snapshot changes.
import assert from 'node:assert/strict';
import type { AmqpConnection, Topology, VhostTopology } from '../../src/core/amqp/amqpConnection';
import type { BindingInfo, ExchangeInfo, QueueInfo } from '../../src/core/amqp/management';
import { AmqpTopologyTree, type AmqpNode } from '../../src/core/amqp/topologyTree';

const exchange = (name: string, type = 'direct'): ExchangeInfo => ({ name, vhost: '/', type, durable: true, auto_delete: false, internal: false, arguments: {} });
const queue = (name: string, ready = 0, extra: Partial<QueueInfo> = {}): QueueInfo => ({ name, vhost: '/', durable: true, auto_delete: false, exclusive: false, arguments: {}, type: 'classic', state: 'running', messages_ready: ready, messages_unacknowledged: 0, consumers: 0, ...extra });
const binding = (source: string, destination: string, routing_key = destination): BindingInfo => ({ source, vhost: '/', destination, destination_type: 'queue', routing_key, arguments: {}, properties_key: routing_key });

interface Spec {
  queues: [string, number][];
  exchanges?: string[];
  bindings?: [string, string, string?][];
  total?: number;
  error?: string;
}

/** A fresh snapshot each time (new objects, as every poll of the management API gives). */
function snapshot(spec: Spec): Topology {
  const queues = spec.queues.map(([n, ready]) => queue(n, ready));
  const vhost: VhostTopology = {
    name: '/',
    exchanges: ['', 'amq.direct', 'amq.topic', ...(spec.exchanges ?? [])].map((n) => exchange(n)),
    queues,
    queueTotal: spec.total ?? queues.length,
    bindings: [...queues.map((q) => binding('', q.name)), ...(spec.bindings ?? []).map(([s, d, k]) => binding(s, d, k))],
  };
  return { fetchedAt: Date.now(), vhosts: [vhost], ...(spec.error ? { error: spec.error } : {}) };
}

/** What the model reads of a connection, settable like a poll would. */
function fakeConnection(first: Spec): { c: AmqpConnection; set: (spec: Spec) => void; filter: (f: string | undefined) => void } {
  const state: { id: string; topology: Topology | undefined; queueFilter: string | undefined } = { id: 'rabbit', topology: snapshot(first), queueFilter: undefined };
  return {
    c: state as unknown as AmqpConnection,
    set: (spec) => (state.topology = snapshot(spec)),
    filter: (f) => (state.queueFilter = f),
  };
}

const labels = (nodes: readonly AmqpNode[]): string[] => nodes.map((n) => n.row.label);

/** Everything VS Code would show with every node expanded (all children made). */
function expandAll(tree: AmqpTopologyTree): AmqpNode[] {
  const all: AmqpNode[] = [];
  const walk = (nodes: readonly AmqpNode[]): void => {
    for (const n of nodes) {
      all.push(n);
      walk(tree.children(n));
    }
  };
  walk(tree.roots());
  return all;
}

const base: Spec = { queues: [['orders', 0], ['billing', 3], ['audit', 0]], exchanges: ['logs'], bindings: [['logs', 'audit', 'info']] };

describe('AMQP tree model (topology snapshots → rows, diffed)', () => {
  it('shows vhost, exchanges (defaults grouped), queues sorted by name, and bindings both ways', () => {
    const { c } = fakeConnection(base);
    const tree = new AmqpTopologyTree(c);
    const [vhost] = tree.roots();
    assert.equal(vhost!.row.label, '/');
    assert.equal(vhost!.row.description, 'vhost · 4 exchanges, 3 queues');
    const [exchanges, queues] = tree.children(vhost!);
    assert.deepEqual(labels(tree.children(exchanges!)), ['logs', 'Default exchanges']);
    assert.deepEqual(labels(tree.children(tree.children(exchanges!)[1]!)), ['(AMQP default)', 'amq.direct', 'amq.topic']);
    assert.deepEqual(labels(tree.children(queues!)), ['audit', 'billing', 'orders']);
    const logs = tree.children(exchanges!)[0]!;
    assert.equal(logs.row.description, 'direct · durable · 1 binding');
    assert.deepEqual(labels(tree.children(logs)), ['→ audit']);
    const audit = tree.children(queues!)[0]!;
    assert.deepEqual(labels(tree.children(audit)), ['← (AMQP default)', '← logs']);
    const billing = tree.children(queues!)[1]!;
    assert.equal(billing.row.description, '3 ready · 0 consumers');
    assert.equal(billing.row.contextValue, 'queue+classic+hasMessages');
    assert.equal(billing.row.accessibilityLabel, 'queue billing, 3 ready, 0 consumers');
    assert.deepEqual(billing.row.tooltip, { title: 'Queue billing', lines: ['type: classic', 'messages ready: 3', 'messages unacknowledged: 0', 'consumers: 0', 'durable: true', 'exclusive: false', 'auto-delete: false', 'state: running'] });
  });

  it('a snapshot with the same content changes nothing and keeps every node', () => {
    const { c, set } = fakeConnection(base);
    const tree = new AmqpTopologyTree(c);
    const before = expandAll(tree);
    set(base);
    assert.deepEqual(tree.update(), { nodes: [], roots: false });
    const after = expandAll(tree);
    assert.equal(after.length, before.length);
    assert.ok(after.every((n, i) => n === before[i]), 'the same node objects');
    assert.equal(after.find((n) => n.row.label === 'billing')!.queue!.messages_ready, 3, 'the nodes hold the new snapshot');
  });

  it('a changed queue depth changes that queue row only', () => {
    const { c, set } = fakeConnection(base);
    const tree = new AmqpTopologyTree(c);
    const before = expandAll(tree);
    set({ ...base, queues: [['orders', 0], ['billing', 4], ['audit', 0]] });
    const changes = tree.update();
    assert.equal(changes.roots, false);
    assert.deepEqual(changes.nodes.map((n) => n.id), [before.find((n) => n.row.label === 'billing')!.id]);
    assert.equal(changes.nodes[0], before.find((n) => n.row.label === 'billing'), 'the node shown before, updated');
    assert.equal(changes.nodes[0]!.row.description, '4 ready · 0 consumers');
  });

  it('a new queue changes the Queues group (its children) and the counts above it, not the other queues', () => {
    const { c, set } = fakeConnection(base);
    const tree = new AmqpTopologyTree(c);
    expandAll(tree);
    set({ ...base, queues: [...base.queues, ['carts', 0]] });
    const changes = tree.update();
    assert.deepEqual(changes.nodes.map((n) => n.row.label).sort(), ['/', 'Queues']);
    const queues = tree.children(tree.children(tree.roots()[0]!)[1]!);
    assert.deepEqual(labels(queues), ['audit', 'billing', 'carts', 'orders']);
  });

  it('children never shown are not diffed: a collapsed queue whose bindings change only changes if its row does', () => {
    const { c, set } = fakeConnection(base);
    const tree = new AmqpTopologyTree(c);
    const queues = tree.children(tree.children(tree.roots()[0]!)[1]!);
    const audit = queues.find((n) => n.row.label === 'audit')!;
    assert.equal(audit.children, undefined, 'not made until asked for');
    set({ ...base, bindings: [['logs', 'audit', 'info'], ['logs', 'audit', 'warn']] });
    const changes = tree.update();
    // Its row shows no binding count, so nothing of it changed; logs (not shown) is not reported either.
    assert.deepEqual(changes.nodes, []);
    assert.deepEqual(labels(tree.children(audit)), ['← (AMQP default)', '← logs', '← logs']);
  });

  it('a binding added below an expanded exchange changes that exchange (row and children)', () => {
    const { c, set } = fakeConnection(base);
    const tree = new AmqpTopologyTree(c);
    expandAll(tree);
    set({ ...base, bindings: [['logs', 'audit', 'info'], ['logs', 'orders', 'warn']] });
    const changes = tree.update();
    const changed = changes.nodes.map((n) => `${n.type} ${n.row.label}`).sort();
    assert.deepEqual(changed, ['exchange logs', 'queue orders']);
  });

  it('a failed read adds a notice above the vhosts (the broker row changes), and recovery removes it', () => {
    const { c, set } = fakeConnection(base);
    const tree = new AmqpTopologyTree(c);
    expandAll(tree);
    set({ ...base, error: 'The RabbitMQ management API at http://127.0.0.1:15672 is not reachable' });
    assert.equal(tree.update().roots, true);
    assert.deepEqual(labels(tree.roots()), ['The RabbitMQ management API at http://127.0.0.1:15672 is not reachable', '/']);
    set(base);
    assert.equal(tree.update().roots, true);
    assert.deepEqual(labels(tree.roots()), ['/']);
  });

  it('says how many queues are not listed, and a filter shows in the Queues row', () => {
    const { c, set, filter } = fakeConnection({ ...base, total: 2000 });
    const tree = new AmqpTopologyTree(c);
    const group = tree.children(tree.roots()[0]!)[1]!;
    assert.equal(group.row.description, '2000');
    assert.equal(tree.children(group).at(-1)!.row.label, '1,997 more queues not listed (the first 3 by name are shown) — use Filter Queues');
    filter('^b');
    set({ ...base, total: 2000 });
    const changes = tree.update();
    assert.ok(changes.nodes.includes(group));
    assert.equal(group.row.description, '2,000 of 2,000 · filter: ^b');
  });

  it('keeps ids unique when the broker lists the same binding twice', () => {
    const { c } = fakeConnection({ ...base, bindings: [['logs', 'audit', 'info'], ['logs', 'audit', 'info']] });
    const tree = new AmqpTopologyTree(c);
    const ids = expandAll(tree).map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('a node of an older snapshot that is gone is no longer in the tree', () => {
    const { c, set } = fakeConnection(base);
    const tree = new AmqpTopologyTree(c);
    const orders = expandAll(tree).find((n) => n.row.label === 'orders')!;
    assert.equal(tree.has(orders), true);
    set({ ...base, queues: [['billing', 3], ['audit', 0]] });
    tree.update();
    assert.equal(tree.has(orders), false);
    assert.deepEqual(tree.children(orders), []);
  });
});
