// Import Connections / Export Connections (#23) in real VS Code against real brokers: files in the
// other tools' formats (see test/unit/connectionImport.test.ts for the sources they follow) are
// imported, the passwords land in secret storage only, and the imported brokers connect.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MqttProfile } from '../../src/core/brokers/profile';
import type { ExportOutcome, ImportOutcome } from '../../src/brokers/connectionImport';
import mqtt from 'mqtt';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { makeTestPki, type TestPki } from '../support/tls';
import { api, until } from './helpers';

describe('connection import and export (#23)', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'be-import-'));
  const brokers: PrivateBroker[] = [];
  const added: string[] = [];
  let pki: TestPki;
  const folder = vscode.workspace.workspaceFolders![0]!;
  const dotVscode = vscode.Uri.joinPath(folder.uri, '.vscode');
  let createdDotVscode = false;

  const importFrom = async (args: Record<string, unknown>): Promise<ImportOutcome> => {
    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('brokerExplorer.importConnections', { select: 'all', ...args });
    assert.ok(outcome, `the import ran (last notification: ${(await api()).testing?.notifications().at(-1)?.message})`);
    added.push(...outcome.added);
    return outcome;
  };

  before(async () => {
    pki = makeTestPki();
    try {
      await vscode.workspace.fs.stat(dotVscode);
    } catch {
      createdDotVscode = true;
    }
  });

  after(async () => {
    for (const id of added) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    await Promise.all(brokers.map((b) => b.dispose()));
    rmSync(dir, { recursive: true, force: true });
    rmSync(pki.dir, { recursive: true, force: true });
    if (createdDotVscode) {
      await vscode.workspace.fs.delete(dotVscode, { recursive: true }).then(undefined, () => undefined);
    }
  });

  it('an MQTTX export: the password goes to secret storage only, and the broker that asks for it lets the imported connection in', async () => {
    const a = await api();
    const broker = await startPrivateMosquitto({ users: { operator: 'imp0rted pass' } });
    brokers.push(broker);
    const file = join(dir, 'mqttx-data.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          id: 'a1',
          clientId: 'mqttx_import_test',
          name: 'from mqttx',
          clean: true,
          protocol: 'mqtt',
          host: '127.0.0.1',
          port: broker.port,
          keepalive: 30,
          username: 'operator',
          password: 'imp0rted pass',
          path: '/mqtt',
          ssl: false,
          mqttVersion: '5.0',
          subscriptions: [{ topic: 'import/#', qos: 1, createAt: '' }],
          isCollection: false,
        },
      ]),
    );
    const outcome = await importFrom({ file });
    assert.equal(outcome.format, 'MQTTX');
    assert.equal(outcome.added.length, 1);
    const id = outcome.added[0]!;
    const profile = a.registry.get(id)?.profile as MqttProfile;
    assert.equal(profile.name, 'from mqttx');
    assert.deepEqual(profile.subscriptions, [{ filter: 'import/#', qos: 1 }]);
    assert.equal(profile.clientId, 'mqttx_import_test');
    // Nothing the extension keeps in its state holds the password.
    const kept = JSON.stringify(a.testing?.storage.globalState.keys().map((k) => a.testing?.storage.globalState.get(k)));
    assert.ok(!kept.includes('imp0rted pass'), 'no password in globalState');
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected', 'the password from secret storage got in');
    assert.ok(a.testing?.notifications().some((n) => /^Imported 1 broker from MQTTX: from mqttx\b/.test(n.message)), 'the user is told what was added');
  });

  it('MQTT Explorer settings with an inline CA: the certificate becomes a file and the TLS connection verifies with it', async () => {
    const a = await api();
    const broker = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey } });
    brokers.push(broker);
    const file = join(dir, 'settings.json');
    writeFileSync(
      file,
      JSON.stringify({
        ConnectionManager_connections: {
          'explorer-1': {
            configVersion: 1,
            certValidation: true,
            id: 'explorer-1',
            name: 'from mqtt explorer',
            encryption: true,
            type: 'mqtt',
            host: '127.0.0.1',
            port: broker.tlsPort,
            protocol: 'mqtt',
            selfSignedCertificate: { name: 'ca.crt', data: readFileSync(pki.ca).toString('base64') },
            subscriptions: [{ topic: '#', qos: 0 }],
          },
        },
      }),
    );
    const outcome = await importFrom({ file });
    assert.equal(outcome.format, 'MQTT Explorer');
    const id = outcome.added[0]!;
    const profile = a.registry.get(id)?.profile as MqttProfile;
    assert.equal(profile.protocol, 'mqtts');
    const caFile = profile.tls?.caFile ?? '';
    assert.ok(caFile.startsWith(a.testing!.storage.globalStorageUri.fsPath), `CA written to the extension's storage: ${caFile}`);
    assert.equal(readFileSync(caFile).toString(), readFileSync(pki.ca).toString());
    assert.equal(profile.tls?.verify, undefined, 'verification stays on');
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
  });

  it('a mosquitto_sub command line becomes a broker subscribed to its topics, and the tree shows what arrives', async () => {
    const a = await api();
    const topic = `import-test/${Date.now()}/reading`;
    const outcome = await importFrom({ text: `mosquitto_sub -h 127.0.0.1 -p 1883 -i be-import-${Date.now()} -t '${topic.split('/').slice(0, 2).join('/')}/#' -q 1 -V mqttv5 -v` });
    assert.equal(outcome.format, 'mosquitto_sub');
    const id = outcome.added[0]!;
    const c = a.registry.get(id) as MqttConnection;
    assert.deepEqual(c.profile.subscriptions, [{ filter: `${topic.split('/').slice(0, 2).join('/')}/#`, qos: 1 }]);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    const publisher = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    try {
      await publisher.publishAsync(topic, '21.5', { qos: 1 });
      await until(() => c.topics.find(topic), 'the imported broker to see the message');
    } finally {
      await publisher.endAsync();
    }
  });

  it('vsmqtt profiles in the workspace settings.json', async () => {
    const a = await api();
    const settingsFile = vscode.Uri.joinPath(dotVscode, 'settings.json');
    let before: Uint8Array | undefined;
    try {
      before = await vscode.workspace.fs.readFile(settingsFile);
    } catch {
      before = undefined;
    }
    const existing = before ? (JSON.parse(new TextDecoder().decode(before)) as Record<string, unknown>) : {};
    await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(JSON.stringify({ ...existing, 'vsmqtt.brokerProfiles': [{ name: 'from vsmqtt', host: '127.0.0.1', port: 1883, savedSubscriptions: [{ topic: 'vsmqtt/#', qos: 0 }] }] })));
    try {
      await until(() => vscode.workspace.getConfiguration().inspect('vsmqtt.brokerProfiles')?.workspaceValue, 'VS Code to read the settings');
      const outcome = await importFrom({ fromSettings: true });
      assert.equal(outcome.format, 'vsmqtt');
      const profile = a.registry.get(outcome.added[0]!)?.profile as MqttProfile;
      assert.equal(profile.name, 'from vsmqtt');
      assert.deepEqual(profile.subscriptions, [{ filter: 'vsmqtt/#', qos: 0 }]);
    } finally {
      if (before) {
        await vscode.workspace.fs.writeFile(settingsFile, before);
      } else {
        await vscode.workspace.fs.delete(settingsFile);
      }
    }
  });

  it('a file it cannot read says so in words and adds nothing', async () => {
    const a = await api();
    const count = a.registry.list().length;
    const file = join(dir, 'notes.json');
    writeFileSync(file, '{ "hello": "world" }');
    const outcome = await importFrom({ file });
    assert.deepEqual(outcome.added, []);
    assert.equal(a.registry.list().length, count);
    assert.ok(a.testing?.notifications().some((n) => n.severity === 'warning' && /^Nothing to import: no connections found/.test(n.message)), 'the user is told why');
  });

  it('exports the imported brokers to .vscode/brokers.json without passwords, and they come back as workspace brokers', async () => {
    const a = await api();
    const brokersFile = vscode.Uri.joinPath(dotVscode, 'brokers.json');
    const mqttx = added[0]!;
    const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>('brokerExplorer.exportConnections', { ids: [mqttx], folder: folder.uri.fsPath });
    try {
      assert.ok(outcome);
      assert.deepEqual(outcome.added, ['from mqttx']);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(brokersFile));
      assert.ok(!text.includes('imp0rted pass'), 'no password in brokers.json');
      const workspaceCopy = await until(() => a.registry.list().find((c) => c.profile.source?.kind === 'workspace' && c.profile.name === 'from mqttx'), 'the exported broker to appear from brokers.json');
      const original = a.registry.get(mqttx)!.profile as MqttProfile;
      const copy = workspaceCopy.profile as MqttProfile;
      assert.deepEqual([copy.host, copy.port, copy.username, copy.clientId, copy.subscriptions], [original.host, original.port, original.username, original.clientId, original.subscriptions]);
      // A second export of the same broker leaves the file's entry as it is.
      const again = await vscode.commands.executeCommand<ExportOutcome | undefined>('brokerExplorer.exportConnections', { ids: [mqttx], folder: folder.uri.fsPath });
      assert.deepEqual(again?.kept, ['from mqttx']);
    } finally {
      await vscode.workspace.fs.delete(brokersFile).then(undefined, () => undefined);
    }
  });
});
