// The Language Model tools in a folder nobody trusted (Restricted Mode): read-only, and no broker
// from the folder's .vscode/brokers.json is connected by them. Runs before workspaceTrust.test.ts
// (name order), while the folder's broker is still disconnected.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api } from '../integration/helpers';

async function invoke(name: string, input: object): Promise<string> {
  const cts = new vscode.CancellationTokenSource();
  try {
    const r = await vscode.lm.invokeTool(`brokerExplorer_${name}`, { input, toolInvocationToken: undefined }, cts.token);
    return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
  } finally {
    cts.dispose();
  }
}

describe('Language Model tools in an untrusted folder', function () {
  this.timeout(30_000);

  it("list the folder's broker but do not connect it, and refuse to act", async () => {
    const a = await api();
    assert.equal(vscode.workspace.isTrusted, false);
    const listed = await invoke('listBrokers', {});
    assert.match(listed, /"cloned repo broker" · MQTT · 127\.0\.0\.1:1883 · disconnected · no TLS · \.vscode\/brokers\.json of [^·]+ · tools will not connect it here/);
    await assert.rejects(invoke('listTopics', { broker: 'cloned repo broker' }), /not trusted \(Restricted Mode\): the tools do not connect brokers that come from its \.vscode\/brokers\.json/);
    const broker = a.registry.list().find((c) => c.profile.name === 'cloned repo broker');
    assert.equal(broker?.state.kind, 'disconnected', 'nothing dialled out');
    const why = await invoke('explainConnectionState', { broker: 'cloned repo broker' });
    assert.match(why, /State: not connected\..*but not here: This folder is not trusted/s);

    const { createAgentTools } = await import('../../src/agent/agentTools');
    const tools = createAgentTools(a.registry, { info() {}, warn() {}, error() {}, trace() {} }, a.logUri, { get: () => Promise.resolve(undefined) });
    const cts = new vscode.CancellationTokenSource();
    await assert.rejects(tools.prepare('publish', { input: { broker: 'cloned repo broker', topic: 't', payload: 'p' } }, cts.token), /the Broker Explorer tools are read-only here/);
    cts.dispose();
    // Through vscode.lm too (its `when: isWorkspaceTrusted` hides it from the tool picker, not from invokeTool): the tool refuses.
    await assert.rejects(invoke('publish', { broker: 'cloned repo broker', topic: 't', payload: 'p' }), /the Broker Explorer tools are read-only here, so nothing is published/);
    assert.equal(broker?.state.kind, 'disconnected');
  });
});
