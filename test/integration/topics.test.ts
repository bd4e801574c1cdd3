import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { TopicNode } from '../../src/core/mqtt/topicNode';
import type { MqttTreeNode } from '../../src/mqtt/mqttTree';
import type { BrokerExplorerApi } from '../../src/extension';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { api, until } from './helpers';

describe('MQTT topic tree in the extension host (own Mosquitto)', function () {
  this.timeout(60_000);
  let broker: PrivateBroker;
  let a: BrokerExplorerApi;
  let connection: MqttConnection;
  let publisher: mqtt.MqttClient;

  const label = (n: MqttTreeNode): string => {
    const l = a.mqttTree.getTreeItem(n).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  const child = (n: MqttTreeNode, name: string) => {
    const c = a.mqttTree.getChildren(n).find((x) => label(x) === name);
    assert.ok(c, `${label(n)} has a child ${name}; it has ${a.mqttTree.getChildren(n).map(label).join(', ')}`);
    return c;
  };

  before(async () => {
    broker = await startPrivateMosquitto();
    a = await api();
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'topics broker', host: '127.0.0.1', port: broker.port });
    connection = a.registry.get(id) as MqttConnection;
    assert.equal(connection.state.kind, 'connected');
    publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
  });

  after(async () => {
    await publisher?.endAsync();
    if (connection) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', connection.id, { confirm: false });
    }
    await broker?.dispose();
  });

  it('shows 1,000 published messages as a nested tree, with the empty first level of /weather/…', async () => {
    for (let i = 0; i < 500; i++) {
      publisher.publish(`/weather/station${String(i % 10).padStart(2, '0')}/temperature`, JSON.stringify({ temperature: 20 + (i % 7) }));
      publisher.publish(`factory/line${(i % 5) + 1}/machine${i % 10}/rpm`, String(1400 + i));
    }
    const model = connection.topics;
    await until(() => model.find('/weather/station09/temperature')?.messages === 50 && model.findPath(['factory'])!.subtreeMessages === 500, 'all 1,000 messages');
    const top = a.mqttTree.getChildren(connection).map(label);
    assert.deepEqual(top.filter((l) => l !== '$SYS'), ['(empty)', 'factory']);

    const empty = child(connection, '(empty)');
    const emptyItem = a.mqttTree.getTreeItem(empty);
    assert.equal(emptyItem.description, '10 topics, 500 messages');
    assert.equal(emptyItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const temperature = child(child(child(empty, 'weather'), 'station03'), 'temperature');
    const item = a.mqttTree.getTreeItem(temperature);
    assert.match(String(item.description), /^\{"temperature":2\d\} · ×50/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'json');
    assert.equal(item.id, `${connection.id}/t//weather/station03/temperature`);
    assert.equal(item.tooltip, undefined, 'built on hover, not on every render');
    assert.match((a.mqttTree.resolveTreeItem(item, temperature).tooltip as vscode.MarkdownString).value, /\/weather\/station03\/temperature/);

    const factory = a.mqttTree.getTreeItem(child(connection, 'factory'));
    assert.equal(factory.description, '10 topics, 500 messages');
    const brokerItem = a.mqttTree.getTreeItem(connection);
    assert.match(String(brokerItem.description), /^connected · \d+ topics( · \S+\/s)? · 127\.0\.0\.1:\d+$/);
  });

  it('shows at most 1,000 children of a node, and a hint to filter for the rest', async () => {
    for (let i = 0; i < 1100; i++) {
      publisher.publish(`fan/device${String(i).padStart(4, '0')}`, 'x');
    }
    await until(() => connection.topics.findPath(['fan'])?.subtreeTopics === 1100, '1,100 topics under fan/');
    const children = a.mqttTree.getChildren(child(connection, 'fan'));
    assert.equal(children.length, 1001);
    assert.equal(label(children[999]!), 'device0999');
    const more = a.mqttTree.getTreeItem(children[1000]!);
    assert.equal(more.label, '100 more topics…');
    assert.equal(more.command?.command, 'brokerExplorer.filterTopics');
    assert.equal(a.mqttTree.getChildren(children[1000]).length, 0);
  });

  it('coalesces tree refreshes: one per refresh interval at most, however many messages arrive', async () => {
    // Hidden views are not refreshed; a view that becomes visible late only means fewer refreshes,
    // and the wait for "the refresh the load causes" below covers it.
    await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
    // Counted as VS Code sees them: the provider's own change events.
    let refreshes = 0;
    const counting = a.mqttTree.onDidChangeTreeData(() => refreshes++);
    const loadMessages = () => connection.topics.findPath(['load'])?.subtreeMessages ?? 0;
    const messagesBefore = loadMessages();
    const started = Date.now();
    // 20 bursts of 200 messages; each burst waits until the tree has seen it, so the load arrives
    // however fast this machine is. The bound below follows from the timer, not from speed: a slow
    // machine gets fewer refreshes, never more.
    for (let burst = 1; burst <= 20; burst++) {
      for (let i = 0; i < 200; i++) {
        publisher.publish(`load/${i}`, 'x');
      }
      await until(() => loadMessages() - messagesBefore >= burst * 200 * 0.9, `burst ${burst} to arrive`);
    }
    await until(() => refreshes > 0, 'the refresh the load causes');
    const elapsed = Date.now() - started;
    counting.dispose();
    const messages = loadMessages() - messagesBefore;
    assert.ok(messages >= 3600, `the load arrived (${messages} messages)`);
    const allowed = Math.ceil(elapsed / a.mqttTree.refreshIntervalMs) + 1;
    assert.ok(refreshes <= allowed, `${refreshes} refreshes in ${elapsed} ms; the ${a.mqttTree.refreshIntervalMs} ms interval allows ${allowed}`);
    assert.ok(refreshes >= 1 && messages / refreshes >= 20, `${messages} messages coalesced into ${refreshes} refreshes`);
  });

  it('refreshes only the rows that changed: a busy topic at the tick rate, its folders and the broker at most once a second', async () => {
    await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
    await publisher.publishAsync('policy/site/line/busy', '0', { qos: 1 });
    await until(() => connection.topics.find('policy/site/line/busy'), 'the busy topic');
    const leaf = connection.topics.find('policy/site/line/busy')!;
    const line = leaf.parent!;
    const site = line.parent!;
    // The user opens the path down to the topic: VS Code renders those rows.
    for (let attempt = 0; attempt < 10 && !(a.mqttTree.isRendered(leaf) && a.mqttTree.isRendered(line)); attempt++) {
      await a.mqttTree.view!.reveal(leaf, { select: false, focus: false });
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(a.mqttTree.isRendered(leaf) && a.mqttTree.isRendered(line), 'VS Code rendered the revealed rows');
    await new Promise((r) => setTimeout(r, 1000));
    const seen = { leaf: 0, line: 0, site: 0, broker: 0, events: 0, lineAfterStop: 0 };
    let stopped = false;
    const counting = a.mqttTree.onDidChangeTreeData((e) => {
      const nodes = e === undefined ? [connection] : Array.isArray(e) ? e : [e];
      if (stopped) {
        seen.lineAfterStop += nodes.includes(line) || nodes.includes(site) || nodes.includes(connection) ? 1 : 0;
        return;
      }
      seen.events++;
      seen.leaf += nodes.includes(leaf) ? 1 : 0;
      seen.line += nodes.includes(line) ? 1 : 0;
      seen.site += nodes.includes(site) ? 1 : 0;
      seen.broker += nodes.includes(connection) ? 1 : 0;
    });
    const started = Date.now();
    let seconds: number;
    try {
      let i = 0;
      while (Date.now() - started < 3000) {
        publisher.publish('policy/site/line/busy', String(++i));
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, 300));
      stopped = true;
      seconds = (Date.now() - started) / 1000;
      // The last counts reach the folder row even though no message follows them.
      await until(() => seen.lineAfterStop > 0, 'a refresh of the folder rows after the last message', 3000);
    } finally {
      counting.dispose();
    }
    const ticks = seconds * (1000 / a.mqttTree.refreshIntervalMs);
    assert.ok(leaf.messages > 100, `the busy topic received its messages (${leaf.messages})`);
    // The busy row follows its messages (4 times a second; a loaded machine may skip some ticks).
    assert.ok(seen.leaf >= ticks / 3, `the busy topic's row: ${JSON.stringify(seen)} in ${seconds} s`);
    // Rows whose only change is counts and rate: at most once a second each (plus the first).
    for (const [row, n] of [['line', seen.line], ['site', seen.site], ['broker', seen.broker]] as const) {
      assert.ok(n <= Math.ceil(seconds) + 1, `${row} refreshed ${n} times in ${seconds.toFixed(1)} s: ${JSON.stringify(seen)}`);
    }
  });

  it('marks retained topics and deletes a retained message', async () => {
    await publisher.publishAsync('/weather/station01/status', 'online', { retain: true, qos: 1 });
    const node = await until(() => connection.topics.find('/weather/station01/status'), 'the retained message');
    let item = a.mqttTree.getTreeItem(node);
    assert.equal(item.contextValue, 'topic+message+retained');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pinned');

    const deleted = await vscode.commands.executeCommand<number>('brokerExplorer.deleteRetained', node);
    assert.equal(deleted, 1);
    await until(() => node.last?.size === 0, 'the empty delete message to come back');
    item = a.mqttTree.getTreeItem(node);
    assert.equal(item.contextValue, 'topic+message');
    assert.equal(await retainedOnBroker(broker.port, '/weather/station01/status'), 0, 'the broker no longer has it');
  });

  it('deletes every retained message below a node', async () => {
    for (let i = 0; i < 5; i++) {
      await publisher.publishAsync(`plant/hall${i}/config`, `{"v":${i}}`, { retain: true, qos: 1 });
    }
    await publisher.publishAsync('plant/live', 'not retained');
    const plant = await until(() => (connection.topics.findPath(['plant'])?.subtreeTopics === 6 ? connection.topics.findPath(['plant']) : undefined), 'plant/*');
    const deleted = await vscode.commands.executeCommand<number>('brokerExplorer.deleteRetainedBelow', plant, { confirm: false });
    assert.equal(deleted, 5);
    assert.equal(await retainedOnBroker(broker.port, 'plant/#'), 0);
  });

  it('filters the tree by a wildcard filter or by text', async () => {
    await vscode.commands.executeCommand('brokerExplorer.filterTopics', connection, '+/weather/+/temperature');
    assert.deepEqual(a.mqttTree.getChildren(connection).map(label), ['(empty)']);
    const stations = a.mqttTree.getChildren(child(child(connection, '(empty)'), 'weather'));
    assert.equal(stations.length, 10);
    assert.deepEqual(a.mqttTree.getChildren(stations[1]).map(label), ['temperature'], 'status is filtered out');
    assert.match(String(a.mqttTree.getTreeItem(connection).description), / · filter: \+\/weather\/\+\/temperature · /);

    await vscode.commands.executeCommand('brokerExplorer.filterTopics', connection, 'machine3');
    assert.deepEqual(a.mqttTree.getChildren(connection).map(label), ['factory']);
    const lines = a.mqttTree.getChildren(child(connection, 'factory'));
    assert.ok(lines.every((l) => a.mqttTree.getChildren(l).map(label).join() === 'machine3'));

    await vscode.commands.executeCommand('brokerExplorer.clearTopicFilter', connection);
    assert.ok(a.mqttTree.getChildren(connection).map(label).includes('plant'));
  });

  it('copies a topic and its payload', async () => {
    const node = connection.topics.find('factory/line1/machine0/rpm') as TopicNode;
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.copyTopic', node), 'factory/line1/machine0/rpm');
    assert.equal(await vscode.env.clipboard.readText(), 'factory/line1/machine0/rpm');
    const payload = await vscode.commands.executeCommand<string>('brokerExplorer.copyPayload', node);
    assert.match(payload, /^1\d{3}$/);
  });

  it('shows one rate: folder row, broker row and status bar agree, and rates go when messages stop or the broker disconnects', async () => {
    await vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
    const rateOf = (text: string | undefined): number | undefined => {
      const m = /(?:^| · )([\d.,]+)(K|M)?\/s(?: · |$)/.exec(text ?? '');
      return m ? Number(m[1]!.replace(/,/g, '')) * (m[2] === 'K' ? 1e3 : m[2] === 'M' ? 1e6 : 1) : undefined;
    };
    const folderRate = () => rateOf(String(a.mqttTree.getTreeItem(child(connection, 'rate')).description));
    const brokerRate = () => rateOf(String(a.mqttTree.getTreeItem(connection).description));
    /** The status bar's own figure for this broker (its tooltip lists each broker). */
    const statusRate = () => {
      a.statusBar.update();
      return rateOf(String(a.statusBar.tooltip).split('\n').find((l) => l.startsWith('topics broker (MQTT)'))?.split(' (MQTT)')[1]);
    };
    // About 400 messages a second on two topics, paced by the clock, for four seconds.
    let sending = true;
    let sent = 0;
    const pace = (async () => {
      const started = Date.now();
      while (sending) {
        const due = Math.floor((Date.now() - started) / 5) * 2;
        for (; sent < due; sent += 2) {
          publisher.publish('rate/a', 'x');
          publisher.publish('rate/b', 'y');
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      await until(() => connection.topics.find('rate/b'), 'the rate topics');
      await new Promise((r) => setTimeout(r, 2500));
      const samples: [number | undefined, number | undefined, number | undefined][] = [];
      for (let i = 0; i < 4; i++) {
        samples.push([folderRate(), brokerRate(), statusRate()]);
        await new Promise((r) => setTimeout(r, 300));
      }
      for (const [folder, brokerRow, status] of samples) {
        assert.ok(folder !== undefined && folder > 100, `the folder row shows a rate: ${JSON.stringify(samples)}`);
        // Everything this broker receives goes to rate/: the three figures are the same rate.
        assert.ok(brokerRow !== undefined && Math.abs(brokerRow - folder) <= folder * 0.15, `broker row ${brokerRow}/s, folder ${folder}/s: ${String(a.mqttTree.getTreeItem(connection).description)}`);
        assert.ok(status !== undefined && Math.abs(status - folder) <= folder * 0.15, `status bar ${status}/s, folder ${folder}/s`);
      }
      assert.match(a.statusBar.text, /^\$\(radio-tower\) \d+ brokers? · [\d.,K]+ msg\/s$/);
    } finally {
      sending = false;
      await pace;
    }
    // Messages stop: the view itself is refreshed until the window has passed and no rate is left.
    let refreshed = 0;
    const counting = a.mqttTree.onDidChangeTreeData((e) => {
      if (e === undefined || e === connection || (Array.isArray(e) && e.includes(connection))) {
        refreshed++;
      }
    });
    try {
      await until(() => folderRate() === undefined && brokerRate() === undefined && statusRate() === undefined, 'the rates to go once nothing arrives', 6000);
      await until(() => refreshed > 0, 'a refresh of this broker after the last message', 3000);
    } finally {
      counting.dispose();
    }
    // A disconnected broker's rows show no rate, even right after traffic.
    for (let i = 0; i < 200; i++) {
      publisher.publish('rate/a', 'x');
    }
    await until(() => folderRate() !== undefined || (connection.topics.find('rate/a')?.messages ?? 0) > 0, 'the burst');
    await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', connection);
    try {
      assert.equal(folderRate(), undefined, String(a.mqttTree.getTreeItem(child(connection, 'rate')).description));
      assert.equal(brokerRate(), undefined, String(a.mqttTree.getTreeItem(connection).description));
    } finally {
      await vscode.commands.executeCommand('brokerExplorer.connectBroker', connection);
      connection = a.registry.get(connection.id) as MqttConnection;
      await until(() => connection.state.kind === 'connected', 'connected again');
    }
  });

  it('subscribes only to a chosen subtree', async () => {
    const weather = connection.topics.findPath(['', 'weather'])!;
    const filter = await vscode.commands.executeCommand<string>('brokerExplorer.subscribeOnlyTo', weather);
    assert.equal(filter, '/weather/#');
    connection = a.registry.get(connection.id) as MqttConnection;
    assert.equal(connection.state.kind, 'connected');
    assert.deepEqual(connection.subscriptions, [{ filter: '/weather/#', qos: 0 }]);
    await publisher.publishAsync('factory/line1/machine0/rpm', '1', { qos: 1 });
    await publisher.publishAsync('/weather/station00/temperature', '{"temperature": 1}', { qos: 1 });
    await until(() => connection.topics.find('/weather/station00/temperature'), 'the weather message');
    // The factory message was published first by the same client: had it been subscribed, it
    // would have arrived before the weather message (MQTT keeps a publisher's order).
    assert.equal(connection.topics.find('factory/line1/machine0/rpm'), undefined);
  });

  it('reconnects after the broker restarts and receives messages again (subscribed once more)', async () => {
    await broker.stop();
    await until(() => connection.state.kind === 'reconnecting', 'reconnecting');
    await broker.start();
    await until(() => connection.state.kind === 'connected', 'connected again', 40_000);
    const again = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    const before = connection.topics.find('/weather/station00/temperature')!.messages;
    await again.publishAsync('/weather/station00/temperature', '{"temperature": 30}', { qos: 1 });
    await until(() => connection.topics.find('/weather/station00/temperature')!.messages === before + 1, 'the new message');
    // A second subscription would deliver a copy before this later message of the same client.
    await again.publishAsync('/weather/station00/sentinel', 'after', { qos: 1 });
    await until(() => connection.topics.find('/weather/station00/sentinel'), 'the sentinel after it');
    assert.equal(connection.topics.find('/weather/station00/temperature')!.messages, before + 1, 'delivered exactly once');
    await again.endAsync();
    publisher.end(true);
    publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
  });
});

/** How many retained messages a fresh subscriber gets on `filter`. */
async function retainedOnBroker(port: number, filter: string): Promise<number> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
  let n = 0;
  client.on('message', (_t, payload, packet) => {
    if (packet.retain && payload.length > 0) {
      n++;
    }
  });
  await client.subscribeAsync(filter);
  // Retained messages come right after the SUBACK; a message on a sentinel topic subscribed
  // afterwards arrives after all of them.
  const sentinel = `be-sentinel/${client.options.clientId}`;
  const seen = new Promise<void>((r) => client.on('message', (t) => t === sentinel && r()));
  await client.subscribeAsync(sentinel, { qos: 1 });
  await client.publishAsync(sentinel, 'end', { qos: 1 });
  await seen;
  await client.endAsync();
  return n;
}

describe('editing MQTT brokers in the extension host', function () {
  this.timeout(60_000);
  let broker: PrivateBroker;
  let a: BrokerExplorerApi;
  const ids: string[] = [];

  before(async () => {
    broker = await startPrivateMosquitto({ users: { sensor: 'pw-1' } });
    a = await api();
  });
  after(async () => {
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    await broker?.dispose();
  });

  it('edits a broker: new credentials and subscriptions apply on the reconnect', async () => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'needs login', host: '127.0.0.1', port: broker.port });
    ids.push(id);
    const first = a.registry.get(id) as MqttConnection;
    assert.match(first.state.kind === 'failed' ? first.state.reason : first.state.kind, /^Not authorized/);

    // Saving the form of a failed broker connects it with the new settings (no Connect needed).
    const profile = { ...first.profile, kind: 'mqtt' as const, username: 'sensor', subscriptions: [{ filter: 'plant/#', qos: 1 as const }] };
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile, password: 'pw-1' });
    const edited = a.registry.get(id) as MqttConnection;
    assert.notEqual(edited, first, 'a new connection object with the same id');
    assert.equal(edited.state.kind, 'connected', 'the failed broker connected again when its form was saved');
    assert.deepEqual(edited.subscriptions, [{ filter: 'plant/#', qos: 1 }]);

    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { username: 'sensor', password: 'pw-1' });
    await pub.publishAsync('plant/a', '1', { qos: 1 });
    await pub.publishAsync('other/b', '2', { qos: 1 });
    await pub.publishAsync('plant/sentinel', '3', { qos: 1 });
    await until(() => edited.topics.find('plant/sentinel'), 'plant/sentinel, published after other/b');
    assert.equal(edited.topics.find('other/b'), undefined, 'only the edited subscription is shown');
    await pub.endAsync();
  });

  it('says what a connected broker without topics waits for, and keeps its row when the first topic comes', async () => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'waiting broker', host: '127.0.0.1', port: broker.port });
    ids.push(id);
    const filter = `be-waiting-${process.pid}/#`;
    const first = a.registry.get(id) as MqttConnection;
    const label = (n: MqttTreeNode): string => {
      const l = a.mqttTree.getTreeItem(n).label;
      return typeof l === 'string' ? l : (l?.label ?? '');
    };
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, {
      profile: { ...first.profile, kind: 'mqtt' as const, username: 'sensor', subscriptions: [{ filter, qos: 0 as const }] },
      password: 'pw-1',
    });
    const c = a.registry.get(id) as MqttConnection;
    await until(() => c.state.kind === 'connected', 'connected with the new subscription');
    const [waiting, ...rest] = a.mqttTree.getChildren(c);
    assert.equal(rest.length, 0);
    const waitingItem = a.mqttTree.getTreeItem(waiting!);
    assert.equal(label(waiting!), 'No messages yet');
    assert.equal(waitingItem.description, `subscribed to ${filter}`);
    const row = a.mqttTree.getTreeItem(c);
    assert.equal(row.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'open, with what it waits for');
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { username: 'sensor', password: 'pw-1' });
    await publisher.publishAsync(`be-waiting-${process.pid}/x`, '1', { qos: 1 });
    await publisher.endAsync();
    await until(() => c.topics.topicCount === 1, 'the first topic');
    assert.deepEqual(a.mqttTree.getChildren(c).map(label), [`be-waiting-${process.pid}`]);
    // The same row id: VS Code keeps the expansion it has (the user's), nothing re-opens it.
    assert.equal(a.mqttTree.getTreeItem(c).id, row.id);
    await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', c);
    const disconnected = a.mqttTree.getTreeItem(c);
    assert.equal(disconnected.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'topics stay after a disconnect');
    assert.doesNotMatch(String(disconnected.description), /\/s/, 'no rate on a disconnected broker');
  });

  it('duplicates a broker with its password but never its client id', async () => {
    const source = a.registry.list('mqtt').find((c) => c.profile.name === 'needs login') as MqttConnection;
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.duplicateBroker', source, {
      profile: { ...source.profile, name: 'needs login (copy)', clientId: undefined },
      password: 'pw-1',
    });
    ids.push(id);
    const copy = a.registry.get(id) as MqttConnection;
    assert.equal(copy.state.kind, 'connected');
    assert.notEqual(copy.clientId, source.clientId);
    assert.equal(copy.profile.name, 'needs login (copy)');
  });

  it('copies a broker as a mosquitto_sub command without its password', async () => {
    const source = a.registry.list('mqtt').find((c) => c.profile.name === 'needs login') as MqttConnection;
    const command = await vscode.commands.executeCommand<string>('brokerExplorer.copyMosquittoSub', source);
    assert.equal(command, `mosquitto_sub -h 127.0.0.1 -p ${broker.port} -V mqttv5 -i ${source.clientId} -u sensor -P "$MQTT_PASSWORD" -t 'plant/#' -q 1 -v`);
    assert.equal(await vscode.env.clipboard.readText(), command);
    assert.ok(!command.includes('pw-1'));
  });
});
