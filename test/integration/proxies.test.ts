// Proxies (issue 23): per-connection SOCKS5 (user/password) and HTTP CONNECT (Basic) proxies for
// MQTT over tcp, tls and ws, for AMQP (through the loopback relay) and the management API, in
// real VS Code, through real proxies of the test on 127.0.0.1 (test/support/proxyServers.ts) that
// count their tunnels; wrong proxy credentials and a refused target in their own words; and
// "none" connecting directly while VS Code's http.proxy points at a proxy that "system" does use.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { BrokerExplorerApi } from '../../src/extension';
import type { ConnectionState } from '../../src/core/brokers/state';
import { startHttpConnectProxy, startSocks5Proxy, type TestProxy } from '../support/proxyServers';
import { startWebSocketBroker } from '../support/wsBroker';
import { makeBadCertificates, makeTestPki } from '../support/tls';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startTlsProxy } from '../support/tlsProxy';
import { api, until } from './helpers';

type Failed = Extract<ConnectionState, { kind: 'failed' }>;

describe('Proxies: per-connection SOCKS5 and HTTP CONNECT', function () {
  this.timeout(90_000);
  let a: BrokerExplorerApi;
  const ids: string[] = [];
  const proxies: TestProxy[] = [];
  const stops: (() => Promise<void>)[] = [];
  const user = { name: 'plant', password: 'proxy-pw-1' };

  before(async () => {
    a = await api();
  });
  after(async () => {
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    for (const p of proxies) {
      await p.close();
    }
    for (const stop of stops) {
      await stop();
    }
  });

  const proxy = async (kind: 'socks5' | 'http', options: Parameters<typeof startSocks5Proxy>[0] = {}): Promise<TestProxy> => {
    const p = await (kind === 'socks5' ? startSocks5Proxy(options) : startHttpConnectProxy(options));
    proxies.push(p);
    return p;
  };

  /** A broker of the user's own with a proxy, saved through Edit Broker as the form saves it (proxy password in secret storage). */
  const addBehind = async (kind: 'mqtt' | 'amqp', name: string, port: number, patch: Record<string, unknown>, proxyPassword?: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const command = kind === 'mqtt' ? 'brokerExplorer.addMqttBroker' : 'brokerExplorer.addAmqpBroker';
    const id = await vscode.commands.executeCommand<string>(command, { name, host: '127.0.0.1', port, connect: false, ...extra });
    ids.push(id);
    const draft = a.registry.get(id)!.profile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...draft, ...patch }, ...(proxyPassword !== undefined ? { proxyPassword } : {}) });
    return id;
  };

  const published = async (c: MqttConnection, port: number, topic: string, options: mqtt.IClientOptions = {}): Promise<void> => {
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port, ...options });
    await pub.publishAsync(topic, 'through the proxy', { qos: 1 });
    await pub.endAsync();
    await until(() => c.topics.find(topic), `${topic} in the tree`);
  };

  for (const kind of ['socks5', 'http'] as const) {
    it(`MQTT over TCP through ${kind === 'socks5' ? 'SOCKS5' : 'HTTP CONNECT'} with the proxy's user and password: connected, messages flow, the proxy opened the tunnel`, async () => {
      const p = await proxy(kind, { user });
      const id = await addBehind('mqtt', `mqtt via ${kind}`, 1883, { proxy: p.url, subscriptions: [{ filter: `be-proxy/${kind}/#`, qos: 0 }] }, user.password);
      assert.equal(a.registry.get(id)!.profile.proxy, p.url);
      assert.equal(await a.registry.hasSecret(id, 'proxyPassword'), true, 'the proxy password is in secret storage');
      assert.ok(!JSON.stringify(a.registry.get(id)!.profile).includes(user.password), 'never in the profile');
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
      assert.deepEqual(p.tunnels, ['127.0.0.1:1883']);
      await published(a.registry.get(id) as MqttConnection, 1883, `be-proxy/${kind}/line1`);
      const tooltip = (a.mqttTree.getTreeItem(a.registry.get(id)!).tooltip as vscode.MarkdownString).value.replace(/\\/g, '');
      assert.ok(tooltip.includes(`proxy: \`${p.url}\``), tooltip);
    });
  }

  it('MQTT over TLS through a proxy: TLS runs end to end over the tunnel, the broker\'s name and CA checked', async () => {
    const pki = makeTestPki();
    const front = await startTlsProxy(pki.serverCert, pki.serverKey, 1883);
    stops.push(() => front.close());
    const p = await proxy('http');
    const id = await addBehind('mqtt', 'mqtts via http', front.port, { proxy: p.url, protocol: 'mqtts', tls: { caFile: pki.ca }, subscriptions: [{ filter: 'be-proxy/tls/#', qos: 0 }] });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    assert.deepEqual(p.tunnels, [`127.0.0.1:${front.port}`]);
    assert.ok(front.bytesReceived() > 0);
    await published(a.registry.get(id) as MqttConnection, 1883, 'be-proxy/tls/line1');
    // Without the CA the certificate is refused as it would be without a proxy.
    const other = await addBehind('mqtt', 'mqtts via http, no CA', front.port, { proxy: p.url, protocol: 'mqtts' });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', other), 'failed');
    assert.match((a.registry.get(other)!.state as Failed).reason, /TLS/);
  });

  it('MQTT over TLS through a proxy with a pinned certificate: another certificate is refused during the handshake, before any CONNECT', async () => {
    const pki = makeTestPki();
    const bad = makeBadCertificates(pki);
    const front = await startTlsProxy(bad.unknownCaCert, bad.key, 1883);
    stops.push(() => front.close());
    const p = await proxy('socks5');
    const pem = readFileSync(pki.serverCert, 'utf8');
    const id = await addBehind('mqtt', 'pinned via socks5', front.port, { proxy: p.url, protocol: 'mqtts', tls: { pinned: { sha256: new X509Certificate(pem).fingerprint256, pem } } }, undefined, { username: 'u', password: 'never-sent' });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
    assert.match((a.registry.get(id)!.state as Failed).reason, /not the one trusted for this connection/);
    // The handshake went through the proxy, and so did the probe that read the certificate to explain the refusal.
    assert.deepEqual(p.tunnels, [`127.0.0.1:${front.port}`, `127.0.0.1:${front.port}`], p.tunnels.join(', '));
    assert.equal(front.bytesReceived(), 0, 'the server with another certificate received no CONNECT (and no password)');
  });

  it('AMQPS through SOCKS5 and the relay: TLS checks the broker\'s name (a name only the proxy resolves), not the relay\'s 127.0.0.1', async () => {
    const pki = makeTestPki();
    const bad = makeBadCertificates(pki);
    const good = await startTlsProxy(pki.serverCert, pki.serverKey, 5672);
    const named = await startTlsProxy(bad.wrongNameCert, bad.key, 5672);
    stops.push(() => good.close(), () => named.close());
    const p = await proxy('socks5', { hosts: { 'broker.example.com': '127.0.0.1' } });
    const amqps = { username: 'guest', password: 'guest', vhost: '/', managementUrl: 'http://127.0.0.1:15672' };
    const ok = await addBehind('amqp', 'amqps via socks5', good.port, { proxy: p.url, protocol: 'amqps', tls: { caFile: pki.ca } }, undefined, amqps);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', ok), 'connected', JSON.stringify(a.registry.get(ok)!.state));
    assert.ok(p.tunnels.includes(`127.0.0.1:${good.port}`));
    assert.ok(good.bytesReceived() > 0);
    // A certificate for broker.example.com: refused for 127.0.0.1, accepted with that server name.
    const wrong = await addBehind('amqp', 'amqps wrong name', named.port, { proxy: p.url, protocol: 'amqps', tls: { caFile: pki.ca } }, undefined, amqps);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', wrong), 'failed');
    assert.match((a.registry.get(wrong)!.state as Failed).reason, /broker\.example\.com/, 'the mismatch names the names the certificate is for');
    // The broker by the name on its certificate, resolved by the proxy: amqplib talks to 127.0.0.1 (the relay), TLS checks broker.example.com.
    const byName = await addBehind('amqp', 'amqps by name', named.port, { host: 'broker.example.com', proxy: p.url, protocol: 'amqps', tls: { caFile: pki.ca } }, undefined, amqps);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', byName), 'connected', JSON.stringify(a.registry.get(byName)!.state));
    assert.ok(p.tunnels.includes(`broker.example.com:${named.port}`), p.tunnels.join(", "));
    // A certificate refused for that name is explained from what the server presents, read through the proxy too.
    const misnamed = await addBehind('amqp', 'amqps misnamed', good.port, { host: 'broker.example.com', proxy: p.url, protocol: 'amqps', tls: { caFile: pki.ca } }, undefined, amqps);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', misnamed), 'failed');
    const failed = a.registry.get(misnamed)!.state as Failed;
    assert.equal(failed.cause, 'certificate');
    assert.match(failed.reason, /not valid for broker\.example\.com; it names DNS:localhost, IP Address:127\.0\.0\.1/, `the certificate's names, read through the proxy: ${failed.reason}`);
  });

  it('MQTT over WebSockets through SOCKS5: the WebSocket goes through the tunnel', async () => {
    const broker = await startWebSocketBroker();
    stops.push(() => broker.stop());
    const p = await proxy('socks5', { user });
    const id = await addBehind('mqtt', 'ws via socks5', broker.port, { proxy: p.url, protocol: 'ws', path: broker.path, subscriptions: [{ filter: 'be-proxy/ws/#', qos: 0 }] }, user.password);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    // aedes speaks MQTT 3.1.1: the MQTT 5 attempt is refused and 3.1.1 follows, each through its own tunnel.
    assert.ok(p.tunnels.length >= 1 && p.tunnels.every((t) => t === `127.0.0.1:${broker.port}`), p.tunnels.join(', '));
    await published(a.registry.get(id) as MqttConnection, broker.port, 'be-proxy/ws/line1', { protocol: 'ws', path: broker.path });
  });

  it('MQTT over secure WebSockets (wss) through HTTP CONNECT: TLS to the broker over the tunnel, its CA checked', async () => {
    const pki = makeTestPki();
    const broker = await startWebSocketBroker('127.0.0.1', { cert: pki.serverCert, key: pki.serverKey });
    stops.push(() => broker.stop());
    const p = await proxy('http', { user });
    const id = await addBehind('mqtt', 'wss via http', broker.port, { proxy: p.url, protocol: 'wss', path: broker.path, tls: { caFile: pki.ca }, subscriptions: [{ filter: 'be-proxy/wss/#', qos: 0 }] }, user.password);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected', JSON.stringify(a.registry.get(id)!.state));
    assert.ok(p.tunnels.length >= 1 && p.tunnels.every((t) => t === `127.0.0.1:${broker.port}`), p.tunnels.join(', '));
    const c = a.registry.get(id) as MqttConnection;
    await c.mqttClient!.publishAsync('be-proxy/wss/line1', 'over wss', { qos: 1 });
    await until(() => c.topics.find('be-proxy/wss/line1'), 'the message back over wss');
    // Without the CA, refused as without a proxy.
    const other = await addBehind('mqtt', 'wss via http, no CA', broker.port, { proxy: p.url, protocol: 'wss', path: broker.path }, user.password);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', other), 'failed');
  });

  it('AMQP through SOCKS5 (a loopback relay) and the management API through the same proxy: the tree lists the queues', async () => {
    const p = await proxy('socks5', { user });
    const id = await addBehind('amqp', 'amqp via socks5', 5672, { proxy: p.url }, user.password, { username: 'guest', password: 'guest', vhost: '/', managementUrl: 'http://127.0.0.1:15672' });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    const c = a.registry.get(id) as AmqpConnection;
    assert.ok(p.tunnels.includes('127.0.0.1:5672'), `the AMQP connection went through the proxy: ${p.tunnels.join(', ')}`);
    const queue = `be-proxy-q-${Date.now()}`;
    await c.withChannel(async (ch) => void (await ch.assertQueue(queue, { autoDelete: false, durable: false })));
    try {
      const topology = await c.refreshTopology();
      assert.equal(topology.error, undefined, topology.error);
      assert.ok(topology.vhosts.find((v) => v.name === '/')?.queues.some((q) => q.name === queue), 'the management API listed the new queue');
      assert.ok(p.tunnels.includes('127.0.0.1:15672'), `the management API went through the proxy: ${p.tunnels.join(', ')}`);
    } finally {
      await c.withChannel(async (ch) => void (await ch.deleteQueue(queue)));
    }
  });

  for (const kind of ['socks5', 'http'] as const) {
    it(`${kind}: wrong proxy credentials fail in their own words, naming proxy and broker, and are not retried`, async () => {
      const p = await proxy(kind, { user });
      const id = await addBehind('mqtt', `bad creds ${kind}`, 1883, { proxy: p.url }, 'wrong');
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
      const state = a.registry.get(id)!.state as Failed;
      assert.equal(state.reason, `the ${kind === 'socks5' ? 'SOCKS5' : 'HTTP'} proxy 127.0.0.1:${p.port} refused the proxy user name or password (for 127.0.0.1:1883) — check the proxy user and proxy password in Edit Broker`);
      assert.deepEqual(p.tunnels, []);
    });

    it(`${kind}: a proxy that refuses the target says so, naming proxy and broker`, async () => {
      const p = await proxy(kind, { refuse: [':5672'] });
      const id = await addBehind('amqp', `refused ${kind}`, 5672, { proxy: p.url }, undefined, { username: 'guest', password: 'guest', vhost: '/' });
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
      const reason = (a.registry.get(id)!.state as Failed).reason;
      assert.equal(
        reason,
        `the ${kind === 'socks5' ? 'SOCKS5' : 'HTTP'} proxy 127.0.0.1:${p.port} refused to connect to 127.0.0.1:5672: ${kind === 'socks5' ? 'its rules do not allow this connection' : 'forbidden by the proxy (HTTP 403): its rules do not allow this host or port'}`,
      );
      assert.deepEqual(p.tunnels, []);
    });
  }

  it('"none" connects directly even while VS Code\'s http.proxy points at a proxy, which "system" does go through (WebSockets, the management API)', async () => {
    // 127.0.0.2: not "localhost" to VS Code's proxy resolver, which never proxies 127.0.0.1.
    const broker = await startWebSocketBroker('127.0.0.2');
    stops.push(() => broker.stop());
    const corporate = await proxy('http');
    const http = vscode.workspace.getConfiguration('http');
    const before = http.inspect<string>('proxy')?.globalValue;
    await http.update('proxy', corporate.url, vscode.ConfigurationTarget.Global);
    try {
      await until(() => vscode.workspace.getConfiguration('http').get('proxy') === corporate.url, 'http.proxy set');
      const ws = { protocol: 'ws', path: broker.path, host: '127.0.0.2', port: broker.port, subscriptions: [{ filter: 'be-proxy/none/#', qos: 0 }] };
      const system = await addBehind('mqtt', 'ws system', broker.port, ws);
      const connected = await vscode.commands.executeCommand('brokerExplorer.connectBroker', system);
      assert.equal(connected, 'connected', JSON.stringify(a.registry.get(system)!.state));
      assert.ok(corporate.tunnels.length > 0 && corporate.tunnels.every((t) => t === `127.0.0.2:${broker.port}`), `VS Code sent the "system" WebSocket through http.proxy: ${corporate.tunnels.join(', ')}`);
      const viaSystem = corporate.tunnels.length;
      const knocks = corporate.attempts;
      await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', system);

      const direct = await addBehind('mqtt', 'ws none', broker.port, { ...ws, proxy: 'none' });
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', direct), 'connected');
      assert.equal(corporate.tunnels.length, viaSystem, 'no new tunnel: "none" went directly');
      assert.equal(corporate.attempts, knocks, 'the proxy was not even asked');
      // Messages flow on it (published by the connection itself: a test client here would be proxied by VS Code).
      const c = a.registry.get(direct) as MqttConnection;
      await c.mqttClient!.publishAsync('be-proxy/none/line1', 'direct', { qos: 1 });
      await until(() => c.topics.find('be-proxy/none/line1'), 'the message back on the direct connection');
      assert.equal(corporate.attempts, knocks);

      // The management API: "none" goes directly, "system" follows http.proxy (VS Code's fetch).
      // "none" first: fetch keeps its connections, and one made through the proxy would be reused.
      const mgmt = { username: 'guest', password: 'guest', vhost: '/', managementUrl: 'http://127.0.0.2:15672' };
      const beforeMgmt = [corporate.tunnels.length, corporate.attempts] as const;
      const amqpNone = await addBehind('amqp', 'amqp none', 5672, { proxy: 'none' }, undefined, mgmt);
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', amqpNone), 'connected');
      const directTopology = await (a.registry.get(amqpNone) as AmqpConnection).refreshTopology();
      assert.equal(directTopology.error, undefined, directTopology.error);
      assert.ok(directTopology.vhosts.some((v) => v.name === '/'), 'the management API answered directly');
      assert.deepEqual([corporate.tunnels.length, corporate.attempts], beforeMgmt, '"none": the management API never asked the proxy');
      await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', amqpNone);
      const amqpSystem = await addBehind('amqp', 'amqp system', 5672, {}, undefined, mgmt);
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', amqpSystem), 'connected');
      const viaSystemTopology = await (a.registry.get(amqpSystem) as AmqpConnection).refreshTopology();
      assert.equal(viaSystemTopology.error, undefined, viaSystemTopology.error);
      assert.ok(corporate.tunnels.includes('127.0.0.2:15672'), `VS Code sent the "system" management API through http.proxy: ${corporate.tunnels.join(', ')}`);
      await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', amqpSystem);

      // Plain MQTT with "none" too (VS Code never proxies plain sockets; ours are direct).
      const knocksBeforeTcp = corporate.attempts;
      const tcp = await addBehind('mqtt', 'tcp none', 1883, { proxy: 'none', subscriptions: [{ filter: 'be-proxy/none-tcp/#', qos: 0 }] });
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', tcp), 'connected');
      assert.equal(corporate.attempts, knocksBeforeTcp);
    } finally {
      await http.update('proxy', before, vscode.ConfigurationTarget.Global);
    }
  });
});
