import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BrokerConnection } from '../../src/core/brokers/connection';
import { api, until } from '../integration/helpers';
import { crashes } from '../integration/crashes';
import { outcome } from '../support/reliability';

/** Read through a function: TypeScript would keep an earlier assertion's narrowing. */
const stateOf = (c: BrokerConnection): string => c.state.kind;

describe('an untrusted folder (Restricted Mode) with .vscode/brokers.json', function () {
  this.timeout(30_000);

  it('shows its brokers but connects none by itself; a click still connects', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness opened the folder untrusted');
    const { registry, mqttTree } = await api();
    // brokers.json (written before VS Code started) names the shared Mosquitto with "autoConnect": true.
    const broker = await until(() => registry.list().find((c) => c.profile.source?.kind === 'workspace' && c.profile.name === 'cloned repo broker'), 'the workspace broker');
    assert.equal(broker.profile.autoConnect, true);
    // Long enough for an auto-connect to the local broker to have happened (it takes a few ms).
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(stateOf(broker), 'disconnected', 'no connection without trust');
    assert.match(String(mqttTree.getTreeItem(broker).description), /^disconnected · .*workspace: /);

    // The user asks for it: that is allowed in Restricted Mode.
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', broker.id), 'connected');
    await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', broker.id);
    assert.equal(stateOf(broker), 'disconnected');
    assert.deepEqual(crashes, []);
    outcome('Security', 'Workspace Trust: a cloned folder whose .vscode/brokers.json asks to auto-connect, opened untrusted in real VS Code', 'The broker is listed, not connected; Connect by the user still works.');
  });
});
