// Certificates (issue 23): the fixes a refused certificate offers — Choose CA File… and Trust This
// Certificate (a pinned fingerprint) — and the explicit TLS options of a connection (only this CA,
// PKCS#12 client certificates, ALPN), against private mosquittos with TLS listeners and generated
// certificates, in real VS Code.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionState } from '../../src/core/brokers/state';
import type { BrokerExplorerApi } from '../../src/extension';
import type { AmqpProfile, MqttProfile } from '../../src/core/brokers/profile';
import { startTlsProxy } from '../support/tlsProxy';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { makeBadCertificates, makeClientP12, makeTestPki, type BadCertificates, type TestPki } from '../support/tls';
import { api, readLog, until } from './helpers';

type Failed = Extract<ConnectionState, { kind: 'failed' }>;

describe('Certificates: fixes and explicit trust', function () {
  this.timeout(90_000);
  let a: BrokerExplorerApi;
  let pki: TestPki;
  let bad: BadCertificates;
  const ids: string[] = [];
  const brokers: PrivateBroker[] = [];

  before(async () => {
    a = await api();
    pki = makeTestPki();
    bad = makeBadCertificates(pki);
  });
  after(async () => {
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    for (const b of brokers) {
      await b.dispose();
    }
  });

  const shownSince = (before: number) => a.testing!.notifications().slice(before);

  /** A TLS MQTT broker of the user's own, not connected yet. */
  const addTlsBroker = async (name: string, port: number, tls?: MqttProfile['tls']): Promise<string> => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name, host: '127.0.0.1', port, connect: false });
    ids.push(id);
    const draft = a.registry.get(id)!.profile as MqttProfile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...draft, protocol: 'mqtts', ...(tls ? { tls } : {}) } });
    return id;
  };

  it('an issuer the connection does not know: Choose CA File… is offered, refuses a key file, and the CA file chosen connects', async () => {
    const broker = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: bad.unknownCaCert, key: bad.key } });
    brokers.push(broker);
    const before = a.testing!.notifications().length;
    const id = await addTlsBroker('unknown issuer', broker.tlsPort!);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
    const state = a.registry.get(id)!.state as Failed;
    assert.equal(state.cause, 'certificate');
    assert.equal(state.certificate, 'unknownIssuer');
    assert.match(state.reason, /issued by Somebody Else CA, which this connection does not trust/);
    const notice = await until(() => shownSince(before).find((n) => n.message.startsWith('Could not connect to "unknown issuer"')), 'the failure notification');
    assert.deepEqual(notice.actions.slice(0, 2), ['Show Certificate…', 'Choose CA File…']);

    const report = await vscode.commands.executeCommand<string>('brokerExplorer.showServerCertificate', id);
    assert.match(report, /^Fix: Choose CA File…/m, 'the report names the fix');
    const doc = vscode.window.activeTextEditor!.document.uri;
    assert.equal(doc.scheme, 'broker-explorer-certificate');
    assert.equal(doc.query, id, 'the title bar command finds the broker from the document');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // A key is not a certificate: said in words, the profile unchanged.
    const errorsBefore = a.testing!.notifications().length;
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.chooseCaFile', doc, { file: bad.key }), undefined);
    const refusal = await until(() => shownSince(errorsBefore).find((n) => n.message.includes('holds no PEM certificate')), 'the refusal of a key file');
    assert.match(refusal.message, /choose the CA's certificate, not a key/);
    assert.equal((a.registry.get(id)!.profile as MqttProfile).tls?.caFile, undefined);

    // The issuer's certificate, chosen from the document's title bar: saved and connected.
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.chooseCaFile', doc, { file: join(pki.dir, 'other-ca.crt') }), 'connected');
    const fixed = a.registry.get(id)!;
    assert.equal((fixed.profile as MqttProfile).tls?.caFile, join(pki.dir, 'other-ca.crt'));
    assert.equal(fixed.state.kind, 'connected');
  });

  it('an expired certificate offers no CA file or pin: neither would fix it', async () => {
    const broker = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: bad.expiredCert, key: bad.key } });
    brokers.push(broker);
    const before = a.testing!.notifications().length;
    const id = await addTlsBroker('expired', broker.tlsPort!, { caFile: pki.ca });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
    assert.equal((a.registry.get(id)!.state as Failed).certificate, 'expired');
    const notice = await until(() => shownSince(before).find((n) => n.message.startsWith('Could not connect to "expired"')), 'the failure notification');
    assert.deepEqual(notice.actions, ['Show Certificate…', 'Show Log']);
  });

  const fingerprint = (file: string) => new X509Certificate(readFileSync(file)).fingerprint256;

  it('Trust This Certificate pins the fingerprint; a swapped certificate is refused in the handshake, both fingerprints named, and no CONNECT reaches the broker', async () => {
    // The broker serves a self-signed certificate from files the test swaps between restarts.
    const dir = mkdtempSync(join(tmpdir(), 'be-pin-'));
    const served = { cert: join(dir, 'served.crt'), key: join(dir, 'served.key') };
    copyFileSync(pki.ca, served.cert);
    copyFileSync(join(pki.dir, 'ca.key'), served.key);
    const logFile = join(dir, 'mosquitto.log');
    const broker = await startPrivateMosquitto({ users: { meter: 'pw-pin-7' }, tls: { ca: pki.ca, ...served }, extra: [`log_dest file ${logFile}`, 'log_type notice'] });
    brokers.push(broker);
    const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    const count = (re: RegExp) => log().split('\n').filter((l) => re.test(l)).length;
    const trusted = fingerprint(pki.ca);

    const before = a.testing!.notifications().length;
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'pinned', host: '127.0.0.1', port: broker.tlsPort!, username: 'meter', password: 'pw-pin-7', connect: false });
    ids.push(id);
    const draft = a.registry.get(id)!.profile as MqttProfile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...draft, protocol: 'mqtts' } });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
    assert.equal((a.registry.get(id)!.state as Failed).certificate, 'selfSigned');
    const notice = await until(() => shownSince(before).find((n) => n.message.startsWith('Could not connect to "pinned"')), 'the failure notification');
    assert.deepEqual(notice.actions, ['Show Certificate…', 'Choose CA File…', 'Trust This Certificate…', 'Show Log']);

    // Trusted from the certificate document: what it showed is pinned, then the broker connects (with its password).
    await vscode.commands.executeCommand<string>('brokerExplorer.showServerCertificate', id);
    const doc = vscode.window.activeTextEditor!.document.uri;
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.trustServerCertificate', doc, { confirm: false }), 'connected');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const pinned = (a.registry.get(id)!.profile as MqttProfile).tls?.pinned;
    assert.equal(pinned?.sha256, trusted);
    assert.match(await vscode.commands.executeCommand<string>('brokerExplorer.showServerCertificate', id), new RegExp(`^Trust: this exact certificate is trusted for this connection \\(SHA-256 ${trusted}\\)`, 'm'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const connects = await until(() => count(/New client connected from .* u'meter'/) || undefined, 'mosquitto to log the CONNECT');
    assert.equal(connects, 1);
    await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', id);

    // Another certificate on the same port: refused during the handshake.
    await broker.stop();
    copyFileSync(join(pki.dir, 'other-ca.crt'), served.cert);
    copyFileSync(join(pki.dir, 'other-ca.key'), served.key);
    await broker.start();
    const attemptsBefore = count(/New connection from/);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
    const refused = a.registry.get(id)!.state as Failed;
    assert.equal(refused.cause, 'certificate');
    assert.equal(refused.certificate, 'pinMismatch');
    assert.equal(
      refused.reason,
      `TLS: the server's certificate is not the one trusted for this connection — it presents SHA-256 ${fingerprint(join(pki.dir, 'other-ca.crt'))}, the trusted one is ${trusted}. Nothing was sent to it. If the broker's certificate was renewed, look at it (Show Certificate…) and trust it again.`,
    );
    // The broker saw the TLS connections (the attempt and the probe) but no CONNECT, so no password.
    await until(() => count(/New connection from/) >= attemptsBefore + 1 || undefined, 'mosquitto to log the refused connection');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(count(/New client connected/), connects, `no CONNECT after the swap:\n${log()}`);

    // Stop Trusting a Pinned Certificate: the pin goes, the chain and host name count again.
    await vscode.commands.executeCommand('brokerExplorer.untrustServerCertificate', id);
    assert.equal((a.registry.get(id)!.profile as MqttProfile).tls?.pinned, undefined);
  });

  it('a pinned AMQP connection: a swapped certificate gets no AMQP header and no password (a TLS front that counts what arrives)', async () => {
    const front = await startTlsProxy(pki.ca, join(pki.dir, 'ca.key'), 5672);
    try {
      const id = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'pinned amqp', host: '127.0.0.1', port: front.port, username: 'guest', password: 'guest', vhost: '/', managementUrl: 'http://127.0.0.1:15672', connect: false });
      ids.push(id);
      const draft = a.registry.get(id)!.profile as AmqpProfile;
      await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...draft, protocol: 'amqps' } });
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
      assert.equal((a.registry.get(id)!.state as Failed).certificate, 'selfSigned');
      assert.equal(front.bytesReceived(), 0, 'a refused certificate gets nothing');
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.trustServerCertificate', id, { confirm: false }), 'connected');
      await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', id);
      const sent = front.bytesReceived();
      assert.ok(sent > 8, 'the pinned certificate got the AMQP handshake');

      front.setCertificate(join(pki.dir, 'other-ca.crt'), join(pki.dir, 'other-ca.key'));
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
      const refused = a.registry.get(id)!.state as Failed;
      assert.equal(refused.certificate, 'pinMismatch');
      assert.match(refused.reason, new RegExp(`presents SHA-256 ${fingerprint(join(pki.dir, 'other-ca.crt'))}, the trusted one is ${fingerprint(pki.ca)}`));
      assert.equal(front.bytesReceived(), sent, 'nothing was sent to the swapped certificate');

      // Its CA chosen instead: the pin goes, and a certificate that CA issued connects.
      front.setCertificate(pki.serverCert, pki.serverKey);
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.chooseCaFile', id, { file: pki.ca }), 'connected');
      assert.equal((a.registry.get(id)!.profile as AmqpProfile).tls?.pinned, undefined);
    } finally {
      await front.close();
    }
  });

  it('a CA file adds to the default roots, or is the only CA: both connect to a broker it issued, and the binding covers the choice', async () => {
    const broker = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey } });
    brokers.push(broker);
    const id = await addTlsBroker('ca modes', broker.tlsPort!, { caFile: pki.ca });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected', 'added to the default roots');
    const p = a.registry.get(id)!.profile as MqttProfile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...p, tls: { ...p.tls, caOnly: true } } });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected', 'only this CA');
    assert.equal((a.registry.get(id)!.profile as MqttProfile).tls?.caOnly, true);
  });

  it('a PKCS#12 client certificate with its passphrase from secret storage gets into a broker that requires client certificates', async () => {
    const broker = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey, requireClientCert: true } });
    brokers.push(broker);
    const p12 = makeClientP12(pki, 'p12-secret');
    const id = await addTlsBroker('p12 client', broker.tlsPort!, { caFile: pki.ca });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed', 'no client certificate: refused');
    const p = a.registry.get(id)!.profile as MqttProfile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...p, tls: { ...p.tls, pfxFile: p12 } }, passphrase: 'not-it' });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed');
    assert.match((a.registry.get(id)!.state as Failed).reason, /^Cannot use the client certificate .*client\.p12: the saved passphrase does not open it/);
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: a.registry.get(id)!.profile, passphrase: 'p12-secret' });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    assert.equal(await a.registry.hasSecret(id, 'passphrase'), true);
    // The test certificates last two days: the client certificate inside the .p12 is warned about too.
    assert.match(String(a.registry.get(id)!.warning), /This connection's client certificate expires in [01] days?/);
    assert.ok(!JSON.stringify(a.testing!.storage.globalState.get('brokerExplorer.profiles')).includes('p12-secret'), 'the passphrase is not in the profile');
  });

  it('ALPN protocols per connection: a TLS front that closes clients without x-amzn-mqtt-ca lets in the one that offers it', async () => {
    const broker = await startPrivateMosquitto();
    brokers.push(broker);
    const front = await startTlsProxy(pki.serverCert, pki.serverKey, broker.port, { requireAlpn: ['x-amzn-mqtt-ca'] });
    try {
      const id = await addTlsBroker('alpn', front.port, { caFile: pki.ca });
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'failed', 'no ALPN: closed by the front');
      assert.equal(front.bytesReceived(), 0);
      const p = a.registry.get(id)!.profile as MqttProfile;
      await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...p, tls: { ...p.tls, alpnProtocols: ['x-amzn-mqtt-ca'] } } });
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
      assert.ok(front.bytesReceived() > 0);
      const report = await vscode.commands.executeCommand<string>('brokerExplorer.showServerCertificate', id);
      assert.match(report, /^Protocol: TLSv1\.\d · ALPN x-amzn-mqtt-ca$/m);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', id);
    } finally {
      await front.close();
    }
  });

  it('a broker of .vscode/brokers.json: Trust This Certificate keeps the pin in our own storage, never in the file; it holds across reloads and stops applying when the file points elsewhere', async () => {
    const broker = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: pki.ca, key: join(pki.dir, 'ca.key') } });
    brokers.push(broker);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const dir = vscode.Uri.joinPath(folder.uri, '.vscode');
    const file = vscode.Uri.joinPath(dir, 'brokers.json');
    const hadDir = await vscode.workspace.fs.stat(dir).then(() => true, () => false);
    const entry = (port: number) => `{ "brokers": [{ "name": "team tls", "kind": "mqtt", "host": "127.0.0.1", "port": ${port}, "protocol": "mqtts" }] }\n`;
    const write = (text: string) => vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    const teamTls = () => a.registry.list().find((c) => c.profile.source?.kind === 'workspace' && c.profile.name === 'team tls');
    try {
      await write(entry(broker.tlsPort!));
      const ws = await until(() => teamTls()?.profile.port === broker.tlsPort && teamTls(), 'the workspace broker');
      const before = a.testing!.notifications().length;
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', ws.id), 'failed');
      assert.equal((a.registry.get(ws.id)!.state as Failed).certificate, 'selfSigned', JSON.stringify({ state: a.registry.get(ws.id)!.state, same: a.registry.get(ws.id) === ws }));
      const notice = await until(() => shownSince(before).find((n) => n.message.startsWith('Could not connect to "team tls"')), 'the failure notification');
      assert.ok(notice.actions.includes('Trust This Certificate…'), notice.actions.join(', '));

      assert.equal(await vscode.commands.executeCommand('brokerExplorer.trustServerCertificate', ws.id, { confirm: false }), 'connected');
      const pinned = a.registry.get(ws.id)!;
      assert.equal((pinned.profile as MqttProfile).tls?.pinned?.sha256, fingerprint(pki.ca));
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)), entry(broker.tlsPort!), 'brokers.json is not changed');
      assert.ok(!JSON.stringify(a.registry.savedProfiles()).includes(ws.id), 'nor is the workspace broker saved among the user\'s own');
      assert.match(await vscode.commands.executeCommand<string>('brokerExplorer.showServerCertificate', ws.id), /^Trust: this exact certificate is trusted for this connection/m);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

      // The file read again (a change elsewhere in it): the pin is applied again from our storage,
      // and the broker, its entry unchanged, keeps its connection (it was replaced and connected
      // again once, a reload arriving during the next step: trusting then returned "connecting").
      const reads = () => readLog(a.logUri).split(`brokers.json (${folder.name}): 1 broker(s)`).length;
      const readsBefore = reads();
      await write(`// team brokers\n${entry(broker.tlsPort!)}`);
      await until(() => reads() > readsBefore, 'the file read again');
      assert.equal(teamTls(), pinned, 'the same connection');
      assert.equal(pinned.state.kind, 'connected');
      assert.equal((teamTls()!.profile as MqttProfile).tls?.pinned?.sha256, fingerprint(pki.ca), 'kept across reloads of the file');
      assert.equal(a.registry.workspacePinIsStale(ws.id), false);

      // Stop trusting it: the certificate is refused again; then trusted again for what follows.
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.untrustServerCertificate', ws.id), 'failed');
      assert.equal((teamTls()!.profile as MqttProfile).tls?.pinned, undefined);
      assert.equal((a.registry.get(ws.id)!.state as Failed).certificate, 'selfSigned');
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.trustServerCertificate', ws.id, { confirm: false }), 'connected');

      // The file now points the broker elsewhere (a pulled change): the pin does not follow it.
      const other = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: pki.ca, key: join(pki.dir, 'ca.key') } });
      brokers.push(other);
      await write(entry(other.tlsPort!));
      const moved = await until(() => teamTls()?.profile.port === other.tlsPort && teamTls(), 'the moved entry');
      assert.equal((moved.profile as MqttProfile).tls?.pinned, undefined, 'a pin is bound to the endpoint it was given for');
      assert.equal(a.registry.workspacePinIsStale(ws.id), true);
      assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', ws.id), 'failed', 'the certificate is checked as usual again');
      assert.equal((a.registry.get(ws.id)!.state as Failed).certificate, 'selfSigned');
    } finally {
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
      if (!hadDir) {
        await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
      }
    }
  });
});
