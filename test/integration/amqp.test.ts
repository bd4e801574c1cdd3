import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { PeekedMessage } from '../../src/core/amqp/management';
import type { AmqpTreeNode } from '../../src/amqp/amqpTree';
import type { BrokerExplorerApi } from '../../src/extension';
import { freePort } from '../support/net';
import { api, until } from './helpers';

describe('RabbitMQ in the AMQP view (real RabbitMQ with its management API)', function () {
  this.timeout(60_000);
  let a: BrokerExplorerApi;
  let c: AmqpConnection;
  const queue = `be-it-info-${process.pid}`;
  const ids: string[] = [];

  const label = (n: AmqpTreeNode): string => {
    const l = a.amqpTree.getTreeItem(n).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  const child = (n: AmqpTreeNode, name: string): AmqpTreeNode => {
    const found = a.amqpTree.getChildren(n).find((x) => label(x) === name);
    assert.ok(found, `${label(n)} has ${name}; it has ${a.amqpTree.getChildren(n).map(label).join(', ')}`);
    return found;
  };
  const path = (...names: string[]): AmqpTreeNode => names.reduce<AmqpTreeNode>((n, name) => child(n, name), c);

  before(async () => {
    a = await api();
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'rabbit', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    ids.push(id);
    c = a.registry.get(id) as AmqpConnection;
    assert.equal(c.state.kind, 'connected');
    await until(() => c.topology, 'the first topology');
  });
  after(async () => {
    await c?.management.deleteQueue('/', queue).catch(() => {});
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
  });

  it('shows vhost, exchanges (defaults grouped) and queues', () => {
    assert.deepEqual(a.amqpTree.getChildren(c).map(label).includes('/'), true);
    assert.deepEqual(a.amqpTree.getChildren(path('/')).map(label), ['Exchanges', 'Queues']);
    const defaults = a.amqpTree.getChildren(path('/', 'Exchanges', 'Default exchanges')).map(label);
    assert.ok(defaults.includes('(AMQP default)') && defaults.includes('amq.topic'), defaults.join(', '));
    assert.match(String(a.amqpTree.getTreeItem(c).description), /^connected · RabbitMQ 3\..* · 127\.0\.0\.1:5672$/);
  });

  it("runs the seed's flow from commands: declare logs, bind with info, publish (routed / unroutable), peek, purge", async () => {
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.declareExchange', c, { name: 'logs', type: 'direct', durable: false }), 'logs');
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.declareQueue', c, { name: queue, type: 'classic', durable: false }), queue);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.bindQueue', c, { queue, exchange: 'logs', routingKey: 'info' }), true);

    const logs = path('/', 'Exchanges', 'logs');
    assert.match(String(a.amqpTree.getTreeItem(logs).description), /^direct · transient · \d+ bindings?$/);
    assert.equal(a.amqpTree.getTreeItem(logs).contextValue, 'exchange+direct');
    const binding = a.amqpTree.getChildren(logs).find((b) => label(b) === `→ ${queue}`)!;
    assert.equal(a.amqpTree.getTreeItem(binding).description, 'routing key info');

    const body = '{"message": "System started successfully."}';
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.publishToExchange', logs, { routingKey: 'info', body }), 'routed');
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.publishToExchange', logs, { routingKey: 'debug', body: 'x' }), 'unroutable');

    const q = path('/', 'Queues', queue);
    assert.deepEqual(a.amqpTree.getChildren(q).map(label), ['← (AMQP default)', '← logs']);
    const peeked = await vscode.commands.executeCommand<PeekedMessage[]>('brokerExplorer.peekQueue', q, { count: 5, open: false });
    assert.equal(peeked.length, 1);
    assert.equal(peeked[0]!.payload, body);
    assert.equal((peeked[0]!.properties as { content_type?: string }).content_type, 'application/json');

    assert.equal(await vscode.commands.executeCommand('brokerExplorer.purgeQueue', path('/', 'Queues', queue), { confirm: false }), true);
    const after = await vscode.commands.executeCommand<PeekedMessage[]>('brokerExplorer.peekQueue', path('/', 'Queues', queue), { count: 5, open: false });
    assert.deepEqual(after, []);
  });

  it('survives a refused operation (404) with the broker reply in the log, connection up', async () => {
    const result = await vscode.commands.executeCommand('brokerExplorer.bindQueue', c, { queue, exchange: 'be-no-such-exchange', routingKey: 'x' });
    assert.equal(result, undefined, 'the command failed (and showed the error)');
    assert.equal(c.state.kind, 'connected');
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.publishToExchange', path('/', 'Exchanges', 'logs'), { routingKey: 'info', body: 'ok' }), 'routed');
  });

  it('taps an exchange: messages flowing through it are listed, and stopping removes the tap queue', async () => {
    const exchange = `be-it-tap-${process.pid}`;
    await vscode.commands.executeCommand('brokerExplorer.declareExchange', c, { name: exchange, type: 'topic', durable: false });
    try {
      const key = await vscode.commands.executeCommand<string>('brokerExplorer.tapExchange', path('/', 'Exchanges', exchange), { pattern: 'station01.#' });
      const tap = a.taps.tap(key)!;
      const node = () => path('/', 'Exchanges', exchange);
      for (const t of [25.5, 25.7, 25.6]) {
        assert.equal(await vscode.commands.executeCommand('brokerExplorer.publishToExchange', node(), { routingKey: 'station01.temperature', body: JSON.stringify({ temperature: t }) }), 'routed');
      }
      await until(() => tap.received === 3, 'three tapped messages');
      assert.deepEqual(tap.messages().map((m) => m.routingKey), ['station01.temperature', 'station01.temperature', 'station01.temperature']);
      const queue = tap.queueName!;
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.stopTap', key), true);
      const queues = (await c.refreshTopology()).vhosts.find((v) => v.name === '/')!.queues.map((q) => q.name);
      assert.ok(!queues.includes(queue), 'the tap queue is gone');
    } finally {
      await c.management.deleteExchange('/', exchange).catch(() => {});
    }
  });

  it('declares a queue with a dead-letter exchange and a TTL, shown in its tooltip', async () => {
    const name = `be-it-dlx-${process.pid}`;
    await vscode.commands.executeCommand('brokerExplorer.declareQueue', c, { name, type: 'classic', durable: false, arguments: { 'x-dead-letter-exchange': 'logs', 'x-message-ttl': 60000 } });
    try {
      const node = path('/', 'Queues', name);
      const tooltip = (a.amqpTree.resolveTreeItem(a.amqpTree.getTreeItem(node), node).tooltip as vscode.MarkdownString).value;
      assert.match(tooltip, /dead-letter exchange: logs/);
      assert.match(tooltip, /message TTL \(ms\): 60000/);
    } finally {
      await c.management.deleteQueue('/', name).catch(() => {});
    }
  });

  it('binds to a headers exchange with header arguments, and peeks with truncation', async () => {
    const exchange = `be-it-headers-${process.pid}`;
    const q = `be-it-hq-${process.pid}`;
    await vscode.commands.executeCommand('brokerExplorer.declareExchange', c, { name: exchange, type: 'headers', durable: false });
    await vscode.commands.executeCommand('brokerExplorer.declareQueue', c, { name: q, type: 'classic', durable: false });
    try {
      await vscode.commands.executeCommand('brokerExplorer.bindQueue', c, { queue: q, exchange, routingKey: '', arguments: { 'x-match': 'all', site: 'north' } });
      const node = () => path('/', 'Exchanges', exchange);
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.publishToExchange', node(), { routingKey: '', body: 'x'.repeat(100), headers: { site: 'north' } }), 'routed');
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.publishToExchange', node(), { routingKey: '', body: 'y', headers: { site: 'south' } }), 'unroutable');
      const binding = a.amqpTree.getChildren(node())[0]!;
      const description = String(a.amqpTree.getTreeItem(binding).description);
      assert.ok(description.includes('x-match="all"') && description.includes('site="north"'), description);
      const peeked = await vscode.commands.executeCommand<PeekedMessage[]>('brokerExplorer.peekQueue', path('/', 'Queues', q), { count: 1, truncate: 10, open: false });
      assert.equal(peeked[0]!.payload, 'x'.repeat(10));
      assert.equal(peeked[0]!.payload_bytes, 100);
    } finally {
      await c.management.deleteQueue('/', q).catch(() => {});
      await c.management.deleteExchange('/', exchange).catch(() => {});
    }
  });

  it('declares an auto-delete exchange with arguments', async () => {
    const name = `be-it-ae-${process.pid}`;
    await vscode.commands.executeCommand('brokerExplorer.declareExchange', c, { name, type: 'fanout', durable: false, autoDelete: true, arguments: { 'alternate-exchange': 'logs' } });
    try {
      const node = path('/', 'Exchanges', name);
      const item = a.amqpTree.resolveTreeItem(a.amqpTree.getTreeItem(node), node);
      assert.equal(item.description, 'fanout · transient · auto-delete');
      assert.match((item.tooltip as vscode.MarkdownString).value, /arguments: alternate-exchange="logs"/);
    } finally {
      await c.management.deleteExchange('/', name).catch(() => {});
    }
  });

  it('filters the listed queues by a regular expression', async () => {
    const names = ['a', 'b'].map((x) => `be-it-filter-${x}-${process.pid}`);
    for (const n of names) {
      await vscode.commands.executeCommand('brokerExplorer.declareQueue', c, { name: n, type: 'classic', durable: false });
    }
    try {
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.filterQueues', c, `^be-it-filter-a-`), '^be-it-filter-a-');
      assert.deepEqual(a.amqpTree.getChildren(path('/', 'Queues')).map(label), [names[0]]);
      assert.match(String(a.amqpTree.getTreeItem(path('/', 'Queues')).description), /^1 of \d+ · filter: \^be-it-filter-a-$/);
      await vscode.commands.executeCommand('brokerExplorer.filterQueues', c, '');
      assert.ok(names.every((n) => a.amqpTree.getChildren(path('/', 'Queues')).map(label).includes(n)));
    } finally {
      for (const n of names) {
        await c.management.deleteQueue('/', n).catch(() => {});
      }
    }
  });

  it('uses management API credentials of their own when set', async () => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'own mgmt user', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    ids.push(id);
    const first = a.registry.get(id) as AmqpConnection;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...first.profile, managementUsername: 'guest' }, managementPassword: 'wrong' });
    let conn = a.registry.get(id) as AmqpConnection;
    await until(() => conn.state.kind === 'connected' && conn.topology?.error, 'the refused management login');
    assert.match(conn.topology!.error!, /^Not authorized: the management API refused/);
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: conn.profile, managementPassword: 'guest' });
    conn = a.registry.get(id) as AmqpConnection;
    await until(() => conn.state.kind === 'connected' && conn.topology && !conn.topology.error, 'the management API with its own credentials');
  });

  it('reads a stream from an offset instead of peeking it', async () => {
    const stream = `be-it-stream-${process.pid}`;
    await vscode.commands.executeCommand('brokerExplorer.declareQueue', c, { name: stream, type: 'stream' });
    try {
      await c.publish('', stream, Buffer.from('{"temperature": 25.5}'));
      const node = path('/', 'Queues', stream);
      assert.match(String(a.amqpTree.getTreeItem(node).contextValue), /^queue\+stream/);
      const read = await vscode.commands.executeCommand<{ body: Buffer }[]>('brokerExplorer.peekQueue', node, { count: 5, offset: 'first', open: false });
      assert.deepEqual(read.map((m) => m.body.toString()), ['{"temperature": 25.5}']);
    } finally {
      await c.management.deleteQueue('/', stream).catch(() => {});
    }
  });

  it('deletes a queue and the tree follows', async () => {
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.deleteQueue', path('/', 'Queues', queue), { confirm: false }), true);
    assert.ok(!a.amqpTree.getChildren(path('/', 'Queues')).map(label).includes(queue));
  });

  it('without the management API, says how to enable it and still connects', async () => {
    const port = await freePort();
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', {
      name: 'no management',
      host: '127.0.0.1',
      port: 5672,
      username: 'guest',
      password: 'guest',
      managementUrl: `http://127.0.0.1:${port}`,
    });
    ids.push(id);
    const other = a.registry.get(id) as AmqpConnection;
    assert.equal(other.state.kind, 'connected');
    await until(() => other.topology, 'a topology attempt');
    const notice = a.amqpTree.getChildren(other)[0]!;
    const child = (n: AmqpTreeNode, name: string): AmqpTreeNode => a.amqpTree.getChildren(n).find((x) => label(x) === name)!;
    assert.match(label(notice), /not reachable .* rabbitmq-plugins enable rabbitmq_management$/);

    // Named queues and exchanges are still shown, checked by passive declares.
    const named = `be-it-named-${process.pid}`;
    try {
      await c.declareQueue(named, 'classic', { durable: false });
      await c.publish('', named, Buffer.from('one'));
      await vscode.commands.executeCommand('brokerExplorer.watchName', other, { kind: 'queue', name: named });
      // A name that does not exist is said so, in words, and is not added; the connection stays.
      const before = a.testing!.notifications().length;
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.watchName', other, { name: 'be-no-such-name' }), undefined);
      await until(() => a.testing!.notifications().slice(before).some((n) => n.severity === 'warning' && n.message === 'No queue or exchange named "be-no-such-name" in vhost "/"'), 'the missing name, said');
      assert.equal(other.state.kind, 'connected', 'a failed passive declare closes only its own channel');
      await vscode.commands.executeCommand('brokerExplorer.watchName', other, { kind: 'exchange', name: 'logs' });
      const queues = a.amqpTree.getChildren(child(child(other, '/'), 'Queues'));
      const described = queues.map((q) => `${label(q)}: ${String(a.amqpTree.getTreeItem(q).description)}`);
      assert.deepEqual(described, [`${named}: 1 message · 0 consumers · checked by name`]);
      assert.deepEqual(other.profile.watched?.queues, [named]);
      assert.equal(a.amqpTree.getTreeItem(child(child(child(other, '/'), 'Exchanges'), 'logs')).description, 'exists · checked by name');
    } finally {
      await c.management.deleteQueue('/', named).catch(() => {});
    }

    // Editing the broker back to the default management URL (and a heartbeat) fixes it.
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...other.profile, managementUrl: undefined, heartbeat: 10 } });
    const edited = a.registry.get(id) as AmqpConnection;
    await until(() => edited.state.kind === 'connected' && edited.topology && !edited.topology.error, 'the edited broker to list its vhosts');
    assert.deepEqual(a.amqpTree.getChildren(edited).map(label).includes('/'), true);
    assert.equal(edited.profile.heartbeat, 10);
  });
});
