// Certificates (issue 23): the fixes a refused certificate offers — Choose CA File… and Trust This
// Certificate (a pinned fingerprint) — and the explicit TLS options of a connection (only this CA,
// PKCS#12 client certificates, ALPN), against private mosquittos with TLS listeners and generated
// certificates, in real VS Code.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionState } from '../../src/core/brokers/state';
import type { BrokerExplorerApi } from '../../src/extension';
import type { MqttProfile } from '../../src/core/brokers/profile';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { makeBadCertificates, makeTestPki, type BadCertificates, type TestPki } from '../support/tls';
import { api, until } from './helpers';

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
});
