// Restricted Mode and Import Connections (#23): nothing reads a file outside the untrusted
// workspace, so an import from such a file is refused in words; a file inside it and a pasted
// mosquitto_sub command line still import.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ImportOutcome } from '../../src/brokers/connectionImport';
import { api } from '../integration/helpers';

describe('Import Connections in an untrusted folder', function () {
  this.timeout(30_000);

  it('refuses a file outside the workspace, imports one inside it and a pasted command line', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const a = await api();
    const outside = mkdtempSync(join(tmpdir(), 'be-outside-'));
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const mqttx = JSON.stringify([{ name: 'outside broker', host: '127.0.0.1', port: 1883, mqttVersion: '5.0', ssl: false, password: 'from-outside' }]);
    const added: string[] = [];
    try {
      writeFileSync(join(outside, 'mqttx.json'), mqttx);
      const before = a.registry.list().length;
      const refused = await vscode.commands.executeCommand<ImportOutcome | undefined>('brokerExplorer.importConnections', { file: join(outside, 'mqttx.json'), select: 'all' });
      assert.equal(refused, undefined, 'the command stopped');
      assert.equal(a.registry.list().length, before, 'nothing added');
      assert.ok(
        a.testing?.notifications().some((n) => /not trusted: Broker Explorer reads no files outside it/.test(n.message)),
        'the user is told why',
      );
      writeFileSync(join(folder, 'mqttx-inside.json'), mqttx.replace('outside broker', 'inside broker'));
      const inside = await vscode.commands.executeCommand<ImportOutcome | undefined>('brokerExplorer.importConnections', { file: join(folder, 'mqttx-inside.json'), select: 'all' });
      added.push(...(inside?.added ?? []));
      assert.equal(inside?.added.length, 1);
      const pasted = await vscode.commands.executeCommand<ImportOutcome | undefined>('brokerExplorer.importConnections', { text: 'mosquitto_sub -h 127.0.0.1 -t "pasted/#"', select: 'all' });
      added.push(...(pasted?.added ?? []));
      assert.equal(pasted?.added.length, 1);
      assert.equal(a.registry.get(added[0]!)?.state.kind, 'disconnected', 'an import never connects by itself');
    } finally {
      for (const id of added) {
        await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
      }
      rmSync(outside, { recursive: true, force: true });
      rmSync(join(folder, 'mqttx-inside.json'), { force: true });
    }
  });
});
