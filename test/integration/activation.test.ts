// Runs first (files run in name order): its first test checks the extension is not active yet.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MqttTreeProvider } from '../../src/mqtt/mqttTree';
import { COMMANDS } from '../../src/shared/commandTable';
import type { AmqpTreeProvider } from '../../src/amqp/amqpTree';
import { freePort, startFakeServer } from '../support/net';
import { crashes } from './crashes';
import { api, EXTENSION_ID, readLog, until } from './helpers';

/** The items the view would show, as VS Code asks the provider for them. */
function items(tree: MqttTreeProvider | AmqpTreeProvider): vscode.TreeItem[] {
  // The root rows of either tree are broker connections.
  return (tree as MqttTreeProvider).getChildren().map((n) => (tree as MqttTreeProvider).getTreeItem(n));
}

async function itemNamed(tree: MqttTreeProvider | AmqpTreeProvider, label: string): Promise<vscode.TreeItem | undefined> {
  return items(tree).find((i) => i.label === label);
}

describe('Broker Explorer in the extension host', () => {
  const added: string[] = [];

  after(async () => {
    for (const id of added) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
  });

  it('is not active until one of its views or commands is used, and never activates on "*"', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const pkg = ext.packageJSON as { activationEvents?: string[]; main: string; extensionKind: string[] };
    assert.ok(!(pkg.activationEvents ?? []).includes('*'));
    assert.deepEqual(pkg.extensionKind, ['workspace']);
    assert.equal(ext.isActive, false, 'nothing in this workspace should have activated it');
  });

  it('activates and contributes its commands', async () => {
    await api();
    const commands = await vscode.commands.getCommands(true);
    // Every command of the table is registered at activation (lazy features register a stub that loads them).
    for (const id of Object.keys(COMMANDS)) {
      assert.ok(commands.includes(id), `command ${id}`);
    }
  });

  it('shows the problems of .vscode/decoders.json when the file is opened, before any payload was decoded', async () => {
    const a = await api();
    assert.equal(a.codecs.loaded, false, 'activation leaves the decoders unloaded');
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const dir = join(root, '.vscode');
    const hadDir = existsSync(dir);
    const file = join(dir, 'decoders.json');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '{ "mappings": [ { "codec": "cbor" } ] }');
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      const diags = await until(() => {
        const d = vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((x) => x.source !== 'json');
        return d.length > 0 && d;
      }, 'a diagnostic on decoders.json');
      assert.match(diags.map((d) => d.message).join('\n'), /A mapping needs "topic"/);
      assert.equal(a.codecs.loaded, true);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(file, { force: true });
      if (!hadDir) {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('adds an MQTT broker by command and shows it connected in the MQTT view', async () => {
    const a = await api();
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'local mosquitto', host: '127.0.0.1', port: 1883 });
    assert.ok(id, 'the command returns the new broker id');
    added.push(id);
    const item = await until(async () => {
      const i = await itemNamed(a.mqttTree, 'local mosquitto');
      return i?.description?.toString().startsWith('connected') ? i : undefined;
    }, 'the MQTT node to be connected');
    assert.match(String(item.description), /^connected( · \S+ topics?)?( · \S+\/s)? · 127\.0\.0\.1:1883$/);
    assert.equal(item.contextValue, 'broker+mqtt+connected+canDisconnect');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.match(String(item.id), new RegExp(`^mqtt/${id}/(empty|\\d+)$`));
    assert.match(item.accessibilityInformation?.label ?? '', /^MQTT broker local mosquitto at 127\.0\.0\.1:1883: connected$/);
    assert.equal(items(a.amqpTree).length, 0, 'the AMQP view does not show MQTT brokers');
  });

  it('disconnects and connects again from the node', async () => {
    const a = await api();
    const id = added[0]!;
    await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', id);
    let item = await itemNamed(a.mqttTree, 'local mosquitto');
    assert.match(String(item?.description), /^disconnected( · \S+ topics?)? · 127\.0\.0\.1:1883$/);
    assert.equal(item?.contextValue, 'broker+mqtt+disconnected+canConnect');
    assert.equal(item?.command?.command, 'brokerExplorer.connectBroker', 'clicking a disconnected node connects it');

    const state = await vscode.commands.executeCommand<string>('brokerExplorer.connectBroker', a.registry.get(id));
    assert.equal(state, 'connected');
    item = await itemNamed(a.mqttTree, 'local mosquitto');
    assert.match(String(item?.description), /^connected( · \S+ topics?)?( · \S+\/s)? · 127\.0\.0\.1:1883$/);
  });

  it('reports an unreachable port as a failed node with a plain reason, without throwing', async () => {
    const a = await api();
    const port = await freePort();
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'nobody home', host: '127.0.0.1', port });
    added.push(id);
    const item = await itemNamed(a.mqttTree, 'nobody home');
    assert.equal(item?.description, `failed: Connection refused: nothing is listening on 127.0.0.1:${port} · 127.0.0.1:${port}`);
    assert.equal((item?.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(readLog(a.logUri), new RegExp(`Connection refused: nothing is listening on 127\\.0\\.0\\.1:${port}`));
  });

  it('reports a server that is not an MQTT broker', async () => {
    const a = await api();
    const http = await startFakeServer('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    try {
      const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'a web server', host: '127.0.0.1', port: http.port });
      added.push(id);
      const item = await itemNamed(a.mqttTree, 'a web server');
      assert.match(String(item?.description), /^failed: The server at 127\.0\.0\.1:\d+ (does not speak MQTT|closed the connection before answering)/);
    } finally {
      await http.close();
    }
  });

  it('adds RabbitMQ with a password kept out of the profile, and shows it connected in the AMQP view', async () => {
    const a = await api();
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', {
      name: 'local rabbit',
      host: '127.0.0.1',
      port: 5672,
      username: 'guest',
      password: 'guest',
    });
    added.push(id);
    const item = await itemNamed(a.amqpTree, 'local rabbit');
    assert.match(String(item?.description), /^connected · RabbitMQ \d.* · 127\.0\.0\.1:5672$/);
    assert.equal(item?.contextValue, 'broker+amqp+connected+canDisconnect');
    const profile = a.registry.get(id)!.profile;
    assert.ok(!JSON.stringify(profile).includes('"password"'), 'no password in the saved profile');
    assert.ok(!readLog(a.logUri).includes('guest"'), 'no secret in the log');
  });

  it('says "Not authorized" for a wrong RabbitMQ password', async () => {
    const a = await api();
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', {
      name: 'wrong password',
      host: '127.0.0.1',
      port: 5672,
      username: 'guest',
      password: 'definitely-wrong',
    });
    added.push(id);
    const item = await itemNamed(a.amqpTree, 'wrong password');
    assert.equal(item?.description, 'failed: not authorized · 127.0.0.1:5672'); // the notification says the whole sentence
    assert.ok(!readLog(a.logUri).includes('definitely-wrong'), 'the password never reaches the log');
  });

  it('removes a broker and its node', async () => {
    const a = await api();
    const id = added.pop()!;
    const removed = await vscode.commands.executeCommand<boolean>('brokerExplorer.removeBroker', id, { confirm: false });
    assert.equal(removed, true);
    assert.equal(await itemNamed(a.amqpTree, 'wrong password'), undefined);
    assert.equal(a.registry.get(id), undefined);
  });

  it('left no unhandled rejection or uncaught exception from this extension in the extension host', () => {
    const ours = crashes.filter((c) => c.includes('broker-explorer') || c.includes('/dist/extension.js') || c.includes('/dist/vendor/'));
    assert.deepEqual(ours, []);
  });
});
