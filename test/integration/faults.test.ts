// What the user sees when brokers misbehave: the fault suite (test/faults) proves the connection
// logic in plain Node; these tests prove the tree in the real extension host says so.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { MqttTreeNode } from '../../src/mqtt/mqttTree';
import type { BrokerExplorerApi } from '../../src/extension';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { startProxy, type TcpProxy } from '../support/proxy';
import { outcome } from '../support/reliability';
import { api, until } from './helpers';

describe('faults as the tree shows them (extension host, own mosquitto)', function () {
  this.timeout(60_000);
  let a: BrokerExplorerApi;
  let broker: PrivateBroker;
  let aclBroker: PrivateBroker;
  let proxy: TcpProxy;
  const ids: string[] = [];

  const item = (n: MqttTreeNode) => a.mqttTree.getTreeItem(n);
  const tooltipText = (n: MqttTreeNode): string => {
    const t = item(n).tooltip;
    return t instanceof vscode.MarkdownString ? t.value : String(t ?? '');
  };

  before(async () => {
    a = await api();
    broker = await startPrivateMosquitto();
    aclBroker = await startPrivateMosquitto({ dynsec: { reader: { password: 'reader-pass', subscribe: ['allowed/#'] } } });
    proxy = await startProxy(broker.port);
  });
  after(async () => {
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    await proxy?.close();
    await broker?.dispose();
    await aclBroker?.dispose();
  });

  async function addBroker(name: string, port: number, extra: Record<string, unknown> = {}, password?: string): Promise<MqttConnection> {
    const id = `fault-ui-${name.replace(/\W+/g, '-')}-${Date.now()}`;
    ids.push(id);
    const c = (await a.registry.add({ id, kind: 'mqtt', name, host: '127.0.0.1', port, ...extra } as never, password)) as MqttConnection;
    await vscode.commands.executeCommand('brokerExplorer.connectBroker', id);
    return c;
  }

  it('a stalled network: the broker node says the broker stopped answering, then recovers', async () => {
    const c = await addBroker('stalled broker', proxy.port, { keepalive: 2 });
    assert.equal(c.state.kind, 'connected');
    proxy.stall();
    try {
      await until(() => c.state.kind === 'reconnecting', 'the stall to be noticed', 15_000);
      const description = String(item(c).description);
      assert.match(description, /^reconnecting in \d+s · (\S+ topics? · )?The broker at 127\.0\.0\.1:\d+ stopped answering: no reply to the keepalive ping/);
      assert.match(tooltipText(c), /stopped answering/);
      assert.equal((item(c).iconPath as vscode.ThemeIcon).id, 'sync~spin');
    } finally {
      proxy.resume();
    }
    await until(() => c.state.kind === 'connected', 'the reconnect', 20_000);
    assert.doesNotMatch(String(item(c).description), /stopped answering/);
    outcome('What the user sees', 'Network stall (extension host, keepalive 2 s)', 'The broker node reads "reconnecting in Ns · The broker at … stopped answering: no reply to the keepalive ping …" with a spinning icon, then "connected" again.');
  });

  it('a refused subscription: connected, with a warning icon and the reason on the node', async () => {
    const c = await addBroker('acl broker', aclBroker.port, { username: 'reader', subscriptions: [{ filter: '#', qos: 0 }, { filter: 'allowed/#', qos: 0 }] }, 'reader-pass');
    assert.equal(c.state.kind, 'connected');
    await until(() => String(item(c).description).includes('refused'), 'the warning on the node');
    assert.match(String(item(c).description), /^connected · (\S+ topics? · )?(\S+\/s · )?The broker refused the subscription # \(not authorised/);
    const icon = item(c).iconPath as vscode.ThemeIcon;
    assert.equal(icon.id, 'warning');
    assert.equal((icon.color as unknown as { id: string }).id, 'list.warningForeground');
    assert.match(tooltipText(c), /\*\*Warning:\*\* The broker refused the subscription \\# /);
    // The whole sentence, once, in a notification (the narrow row cuts it off).
    const told = a.testing!.notifications().filter((n) => n.message.startsWith('"acl broker": The broker refused the subscription # (not authorised'));
    assert.equal(told.length, 1);
    assert.equal(told[0]?.severity, 'warning');
    outcome('What the user sees', 'Subscription refused by an ACL (extension host)', `The node stays connected with a warning icon (theme colour list.warningForeground) and "${String(item(c).description).slice(0, 90)}…".`);
  });

  it('broker killed and restarted: the node reconnects, the topic tree has no duplicates and counts go on', async () => {
    const c = await addBroker('killed broker', broker.port);
    const pub = mqtt.connect({ host: '127.0.0.1', port: broker.port, reconnectPeriod: 100 });
    pub.on('error', () => {});
    const timer = setInterval(() => pub.connected && pub.publish('plant/line1/rpm', '1500'), 20);
    try {
      await until(() => (c.topics.find('plant/line1/rpm')?.messages ?? 0) > 5, 'messages');
      for (let k = 0; k < 2; k++) {
        const before = c.topics.find('plant/line1/rpm')!.messages;
        await broker.kill();
        await until(() => c.state.kind === 'reconnecting' && (c.state.attempt >= 2 || Date.now() > c.state.at), 'a reconnect attempt', 10_000);
        await broker.start();
        await until(() => c.state.kind === 'connected', 'the reconnect', 20_000);
        await until(() => c.topics.find('plant/line1/rpm')!.messages > before, 'counts to go on');
      }
      const label = (n: MqttTreeNode) => {
        const l = item(n).label;
        return typeof l === 'string' ? l : (l?.label ?? '');
      };
      const top = a.mqttTree.getChildren(c).map(label);
      assert.deepEqual(top.filter((l) => l === 'plant'), ['plant'], 'one node per topic level');
      assert.equal(String(item(c).description).split(' · ')[0], 'connected');
    } finally {
      clearInterval(timer);
      pub.end(true);
    }
  });

  it('a 65,535-byte topic level is cut in the tree label and the screen-reader label', async () => {
    const c = await addBroker('long topic broker', broker.port);
    const long = 'x'.repeat(65_535);
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port });
    await pub.publishAsync(long, 'long', { qos: 1 });
    await pub.endAsync();
    const node = await until(() => c.topics.find(long), 'the long topic');
    const it = a.mqttTree.getTreeItem(node);
    const label = typeof it.label === 'string' ? it.label : (it.label?.label ?? '');
    assert.equal(label, `${'x'.repeat(200)}… (65,535 characters)`);
    assert.ok((it.accessibilityInformation?.label.length ?? 0) < 400);
  });
});
