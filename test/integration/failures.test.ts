// The first hour's failures (issue 18): what a refusal says, which fix the notification offers,
// and that taking the fix connects — against a password-protected Mosquitto of the test's own and
// the shared one (client-id clash), in real VS Code.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { ConnectionState } from '../../src/core/brokers/state';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { BrokerExplorerApi } from '../../src/extension';
import type { MqttProfile } from '../../src/core/brokers/profile';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { makeBadCertificates, makeTestPki } from '../support/tls';
import { api, until } from './helpers';

describe('Connection failures: the words and the fix offered', function () {
  this.timeout(90_000);
  let broker: PrivateBroker;
  let a: BrokerExplorerApi;
  const ids: string[] = [];

  before(async () => {
    broker = await startPrivateMosquitto({ users: { meter: 'pw-meter-9' } });
    a = await api();
  });
  after(async () => {
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    await broker?.dispose();
  });

  const shownSince = (before: number) => a.testing!.notifications().slice(before);

  it('a broker that needs a login: the notification says so and offers Enter Credentials…, which connects', async () => {
    const before = a.testing!.notifications().length;
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'meter broker', host: '127.0.0.1', port: broker.port });
    ids.push(id);
    const failed = a.registry.get(id) as MqttConnection;
    assert.equal(failed.state.kind, 'failed');
    const notice = await until(() => shownSince(before).find((n) => n.message.startsWith('Could not connect to "meter broker"')), 'the failure notification');
    assert.equal(notice.message, 'Could not connect to "meter broker": Not authorized: this broker needs a username and password, and none is set for this connection');
    assert.deepEqual(notice.actions, ['Enter Credentials…', 'Show Log']);
    assert.equal(shownSince(before).filter((n) => n.message.startsWith('Could not connect')).length, 1, 'told once (the watcher and the command share the state)');

    // A username without its password: worded for that.
    await vscode.commands.executeCommand('brokerExplorer.enterCredentials', id, { username: 'meter', password: '' });
    const noPassword = a.registry.get(id) as MqttConnection;
    assert.equal(noPassword.state.kind === 'failed' && noPassword.state.reason, 'Not authorized: the broker refused user "meter", and no password is saved for this connection');

    // The wrong password: the user named, the password never.
    await vscode.commands.executeCommand('brokerExplorer.enterCredentials', id, { username: 'meter', password: 'Zz-not-it' });
    const wrong = a.registry.get(id) as MqttConnection;
    assert.match(wrong.state.kind === 'failed' ? wrong.state.reason : wrong.state.kind, /^Not authorized: the broker refused user "meter" with the saved password/);
    assert.ok(!a.testing!.notifications().some((n) => n.message.includes('Zz-not-it')), 'no notification holds the password');

    await vscode.commands.executeCommand('brokerExplorer.enterCredentials', id, { username: 'meter', password: 'pw-meter-9' });
    const fixed = a.registry.get(id) as MqttConnection;
    assert.equal(fixed.state.kind, 'connected', 'Enter Credentials… saved and connected');
    assert.equal(fixed.profile.username, 'meter');
    const row = a.mqttTree.getTreeItem(fixed);
    assert.match(String(row.description), /^connected/);
  });

  it('a client-id clash after connecting: one notification with the whole sentence and Edit Broker…; the row stays short', async () => {
    const clientId = `be-clash-${process.pid}`;
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'clash', host: '127.0.0.1', port: 1883, connect: false });
    ids.push(id);
    const c = a.registry.get(id) as MqttConnection;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...c.profile, clientId, protocolVersion: 5 } });
    const mine = a.registry.get(id) as MqttConnection;
    assert.equal(mine.state.kind, 'disconnected', 'a disconnected broker stays disconnected when edited');
    assert.equal((await mine.connect()).kind, 'connected');
    const before = a.testing!.notifications().length;
    // Another client with the same id that reconnects by itself (a device): each takes the session
    // from the other. Mosquitto 2.0.11 just closes the old connection (newer ones send DISCONNECT
    // 0x8e, session taken over): ours sees quick drops in a row and gives up instead of fighting.
    const other = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId, protocolVersion: 5, reconnectPeriod: 300 });
    other.on('error', () => {});
    try {
      await until(() => mine.state.kind === 'failed', 'our connection to give up (it does not fight for the id)', 40_000);
      const failed = mine.state as ConnectionState;
      assert.equal(failed.kind === 'failed' && failed.cause, 'clientId');
      const notice = await until(() => shownSince(before).find((n) => n.message.startsWith('Lost the connection to "clash"')), 'the clash notification');
      assert.match(notice.message, new RegExp(`same client id \\(${clientId}\\)`));
      assert.match(notice.message, /Give this broker a unique client id.*Edit Broker…, then Client ID/);
      assert.deepEqual(notice.actions, ['Edit Broker…', 'Show Log']);
      assert.equal(String(a.mqttTree.getTreeItem(mine).description).split(' · ')[0], 'failed: client id in use or refused');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(shownSince(before).filter((n) => n.message.includes('"clash"')).length, 1, 'one notification');
    } finally {
      await other.endAsync(true);
    }
  });

  it('a certificate the connection does not trust: the case named, Show Certificate… shows the chain, and its CA fixes it', async () => {
    const pki = makeTestPki();
    const bad = makeBadCertificates(pki);
    const expired = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: bad.expiredCert, key: bad.key } });
    try {
      const before = a.testing!.notifications().length;
      const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'expired tls', host: '127.0.0.1', port: expired.tlsPort!, connect: false });
      ids.push(id);
      const draft = a.registry.get(id)!.profile as MqttProfile;
      await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...draft, protocol: 'mqtts', tls: { caFile: pki.ca } } });
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
      const failed = a.registry.get(id)!;
      const state = failed.state as Extract<ConnectionState, { kind: 'failed' }>;
      assert.match(state.reason, /^TLS: the server's certificate expired on 2020-01-02/);
      assert.equal(state.cause, 'certificate');
      assert.equal(String(a.mqttTree.getTreeItem(failed).description).split(' · ')[0], 'failed: server certificate not trusted');
      assert.match(String(a.mqttTree.getTreeItem(failed).contextValue), /^broker\+mqtt\b.*\+tls$/, 'the row offers Show Server Certificate');
      const notice = await until(() => shownSince(before).find((n) => n.message.startsWith('Could not connect to "expired tls"')), 'the failure notification');
      assert.deepEqual(notice.actions, ['Show Certificate…', 'Show Log']);

      const report = await vscode.commands.executeCommand<string>('brokerExplorer.showServerCertificate', id);
      assert.match(report, /Verdict: TLS: the server's certificate expired on 2020-01-02/);
      assert.match(report, /Subject: +CN=bad/);
      assert.match(report, /Issuer: +CN=Broker Explorer Test CA/);
      assert.match(report, /SHA-256: +([0-9A-F]{2}:){31}[0-9A-F]{2}/);
      const shown = vscode.window.activeTextEditor?.document;
      assert.equal(shown?.uri.scheme, 'broker-explorer-certificate');
      assert.equal(shown?.getText(), report);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await expired.dispose();
    }
    // A broker whose certificate is right connects with the same CA file.
    const good = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey } });
    try {
      const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'good tls', host: '127.0.0.1', port: good.tlsPort!, connect: false });
      ids.push(id);
      const draft = a.registry.get(id)!.profile as MqttProfile;
      await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...draft, protocol: 'mqtts', tls: { caFile: pki.ca } } });
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
      // The test CA's certificates last two days: a certificate that ends within 14 days is said.
      assert.match(String(a.registry.get(id)!.warning), /^The server's TLS certificate expires in [01] days? \(\d{4}-\d\d-\d\d\): renew it before then/);
      assert.match(String(a.mqttTree.getTreeItem(a.registry.get(id)!).description), /expires in/);
      const report = await vscode.commands.executeCommand<string>('brokerExplorer.showServerCertificate', id);
      assert.match(report, /Verdict: trusted by this connection/);
      assert.match(report, /Names: +DNS:localhost, IP Address:127\.0\.0\.1/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await good.dispose();
    }
  });
});
