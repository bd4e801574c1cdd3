import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import type { BrokerConnection } from '../../src/core/brokers/connection';
import { api, until } from './helpers';

const encoder = new TextEncoder();

/** Read through a function: TypeScript would keep an earlier assertion's narrowing. */
const stateOf = (c: BrokerConnection): string => c.state.kind;

/** A port nobody listens on (taken and released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function brokersJson(mqttPort: number): string {
  return `// written by test/integration/workspaceBrokers.test.ts and removed again
{
  "brokers": [
    { "name": "team mosquitto", "kind": "mqtt", "host": "127.0.0.1", "port": ${mqttPort}, "autoConnect": true },
    { "name": "team rabbit", "kind": "amqp", "host": "127.0.0.1", "port": 5672, "username": "guest", }, // trailing comma: jsonc
  ],
}
`;
}

describe('workspace brokers (.vscode/brokers.json)', function () {
  this.timeout(60_000);
  const folder = vscode.workspace.workspaceFolders![0]!;
  const dir = vscode.Uri.joinPath(folder.uri, '.vscode');
  const file = vscode.Uri.joinPath(dir, 'brokers.json');
  let createdDir = false;

  const workspaceBroker = async (name: string): Promise<BrokerConnection | undefined> =>
    (await api()).registry.list().find((c) => c.profile.source?.kind === 'workspace' && c.profile.name === name);

  before(async () => {
    await api();
    try {
      await vscode.workspace.fs.stat(dir);
    } catch {
      createdDir = true;
    }
    await vscode.workspace.fs.writeFile(file, encoder.encode(brokersJson(1883)));
  });

  after(async () => {
    await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    if (createdDir) {
      await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
    }
  });

  it('shows both brokers marked as workspace, connects the autoConnect one and the other with its password, follows edits and deletion', async () => {
    const { registry, mqttTree, amqpTree } = await api();
    const mosquitto = await until(() => workspaceBroker('team mosquitto'), 'the MQTT workspace broker');
    const rabbit = await until(() => workspaceBroker('team rabbit'), 'the AMQP workspace broker');
    assert.deepEqual(mosquitto.profile.source, { kind: 'workspace', folder: folder.uri.fsPath, name: folder.name });
    assert.match(mosquitto.id, /^ws-[0-9a-f]{8}-team-mosquitto$/);

    const item = mqttTree.getTreeItem(mosquitto);
    assert.match(String(item.description), new RegExp(`workspace: ${folder.name}`));
    assert.match(String(item.contextValue), /^broker\+mqtt\b.*\+workspace$/);
    assert.match(String(amqpTree.getTreeItem(rabbit).contextValue), /^broker\+amqp\b.*\+workspace$/);

    // The test host is trusted: autoConnect applies.
    assert.equal(vscode.workspace.isTrusted, true);
    await until(() => mosquitto.state.kind === 'connected', 'the autoConnect broker to connect');
    assert.equal(stateOf(rabbit), 'disconnected', 'no autoConnect: it waits');

    // The password given once goes to secret storage (people get an input box instead).
    const state = await vscode.commands.executeCommand<string>('brokerExplorer.connectBroker', rabbit.id, { password: 'guest' });
    assert.equal(state, 'connected');
    assert.equal(await registry.hasSecret(rabbit.id, 'password'), true);

    // Nothing of it reaches the saved profiles (globalState brokerExplorer.profiles).
    const saved = JSON.stringify(registry.savedProfiles());
    assert.ok(!saved.includes(mosquitto.id) && !saved.includes(rabbit.id) && !saved.includes('"workspace"'), saved);

    // Remove removes nothing: the broker is defined in the file (which opens).
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.removeBroker', mosquitto.id, { confirm: false }), false);
    assert.equal(registry.get(mosquitto.id), mosquitto);
    await until(() => vscode.window.activeTextEditor?.document.uri.toString() === file.toString(), 'brokers.json to open');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // An edit: the changed broker gets a new connection, the unchanged one keeps its own.
    const port = await freePort();
    await vscode.workspace.fs.writeFile(file, encoder.encode(brokersJson(port)));
    const moved = await until(() => {
      const c = registry.get(mosquitto.id);
      return c && c !== mosquitto && c.profile.port === port ? c : undefined;
    }, 'the edited broker');
    assert.equal(moved.profile.name, 'team mosquitto');
    assert.equal(registry.get(rabbit.id), rabbit, 'the unchanged broker keeps its connection');
    assert.equal(stateOf(rabbit), 'connected');
    await until(() => mosquitto.state.kind === 'disconnected', 'the old connection to close');

    // Clean up the password (it survives the file on purpose), then delete the file.
    await registry.storePassword(rabbit.id, '');
    await vscode.workspace.fs.delete(file);
    await until(() => !registry.get(mosquitto.id) && !registry.get(rabbit.id), 'the workspace brokers to go away');
    await until(() => stateOf(rabbit) === 'disconnected', 'the removed broker’s connection to close');
    assert.ok(!JSON.stringify(registry.savedProfiles()).includes('"workspace"'));
  });
});
