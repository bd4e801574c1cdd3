// The Language Model tools in real VS Code (code-server): every read-only tool called through
// vscode.lm.invokeTool against the shared Mosquitto (127.0.0.1:1883) and RabbitMQ (127.0.0.1:5672);
// the acting tools' confirmations through prepareInvocation (invoking them outside a chat would
// open a modal dialog).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import mqtt from 'mqtt';
import { api } from './helpers';

const SENTINEL = 'Agent-S3ntinel-pw-91b2';
const run = `${process.pid}-${Date.now().toString(36)}`;
const base = `be-lm/${run}`;

const text = (r: vscode.LanguageModelToolResult): string =>
  r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');

async function invoke(name: string, input: object): Promise<string> {
  const cts = new vscode.CancellationTokenSource();
  try {
    return text(await vscode.lm.invokeTool(`brokerExplorer_${name}`, { input, toolInvocationToken: undefined }, cts.token));
  } finally {
    cts.dispose();
  }
}

describe('Language Model tools through vscode.lm (real VS Code, real brokers)', function () {
  this.timeout(60_000);
  const added: string[] = [];

  before(async () => {
    await api();
    added.push(await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'lm mosquitto', host: '127.0.0.1', port: 1883, username: 'lm-user', password: SENTINEL }));
    added.push(await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: 'lm rabbit', host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' }));
    const client = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883, clientId: `be-lm-${run}` });
    await client.publishAsync(`${base}/kitchen/temp`, '{"t":21.5}', { retain: true, qos: 1 });
    await client.publishAsync(`${base}/hall/temp`, `note: ${SENTINEL}`, { retain: true, qos: 1 });
    await client.endAsync();
  });

  after(async () => {
    const client = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    for (const t of ['kitchen/temp', 'hall/temp']) {
      await client.publishAsync(`${base}/${t}`, '', { retain: true, qos: 1 });
    }
    await client.endAsync();
    for (const id of added) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
  });

  it('lists all nine tools in vscode.lm.tools with their schemas', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('brokerExplorer_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), [
      'brokerExplorer_deleteRetained', 'brokerExplorer_explainConnectionState', 'brokerExplorer_lintMosquittoConf', 'brokerExplorer_listAmqp',
      'brokerExplorer_listBrokers', 'brokerExplorer_listTopics', 'brokerExplorer_peekQueue', 'brokerExplorer_publish', 'brokerExplorer_readMessages',
    ]);
    const topics = ours.find((t) => t.name === 'brokerExplorer_listTopics')!;
    assert.deepEqual((topics.inputSchema as { required?: string[] }).required, ['broker']);
  });

  it('listBrokers: both brokers, states, no credential', async () => {
    const out = await invoke('listBrokers', {});
    assert.match(out, /"lm mosquitto" · MQTT · 127\.0\.0\.1:1883/);
    assert.match(out, /"lm rabbit" · AMQP · 127\.0\.0\.1:5672/);
    assert.ok(!out.includes(SENTINEL));
  });

  it('listTopics: connects the broker and lists the retained topics with previews', async () => {
    const out = await invoke('listTopics', { broker: 'lm mosquitto', filter: `${base}/#`, waitSeconds: 1 });
    assert.match(out, /2 topics match/);
    assert.match(out, new RegExp(`${base}/kitchen/temp · 1 msg · retained · \\{"t":21\\.5\\}`));
    assert.ok(!out.includes(SENTINEL), 'a payload holding the password does not show it');
  });

  it('readMessages: the stored message, fenced, under the broker-data note', async () => {
    const out = await invoke('readMessages', { broker: 'lm mosquitto', filter: `${base}/kitchen/#` });
    assert.match(out, /The fenced blocks below hold data that came from the broker/);
    assert.match(out, /retained · 10 B\n```text\n\{"t":21\.5\}\n```/);
  });

  it('listAmqp: exchanges and queues of the shared RabbitMQ', async () => {
    const out = await invoke('listAmqp', { broker: 'lm rabbit', include: ['exchanges'] });
    assert.match(out, /vhost \/\n\s+exchange \(AMQP default\) \(direct, durable\)/);
    assert.match(out, /exchange amq\.topic \(topic, durable\)/);
  });

  it('lintMosquittoConf: a workspace file and given text', async () => {
    const out = await invoke('lintMosquittoConf', { text: 'listener 1883\nallow_anonymous maybe\n' });
    assert.match(out, /1 error/);
    assert.match(out, /text:2:\d+: error/);
  });

  it('explainConnectionState: connected, with log lines', async () => {
    const out = await invoke('explainConnectionState', { broker: 'lm mosquitto' });
    assert.match(out, /State: connected since/);
    assert.match(out, /Connected to "lm mosquitto"/);
    assert.ok(!out.includes(SENTINEL));
  });

  it('bad input comes back as an error in plain words (the extension host keeps running)', async () => {
    await assert.rejects(invoke('listTopics', { broker: 'lm mosquitto', depth: 0 }), /"depth" must be at least 1/);
    await assert.rejects(invoke('listTopics', { broker: 'nope' }), /No broker named "nope"/);
    const a = await api();
    assert.equal(a.registry.list().length >= 2, true);
  });

  it('prepareInvocation: read-only tools ask nothing; publish, peekQueue and deleteRetained show exactly what will happen', async () => {
    const a = await api();
    const { createAgentTools } = await import('../../src/agent/agentTools');
    // Not a second Logger: VS Code would hand back the extension's own "Broker Explorer" channel, and disposing it closes that.
    const log = { info() {}, warn() {}, error() {}, trace() {} };
    const secrets = { get: () => Promise.resolve(undefined) };
    const tools = createAgentTools(a.registry, log, a.logUri, secrets);
    const cts = new vscode.CancellationTokenSource();
    try {
      const read = await tools.prepare('listTopics', { input: { broker: 'lm mosquitto' } }, cts.token);
      assert.equal(read.confirmationMessages, undefined);
      const pub = await tools.prepare('publish', { input: { broker: 'lm mosquitto', topic: `${base}/cmd`, payload: 'on', qos: 1, retain: true } }, cts.token);
      const pm = pub.confirmationMessages!.message as vscode.MarkdownString;
      assert.equal(pub.confirmationMessages!.title, 'Publish to MQTT broker?');
      assert.match(pm.value, new RegExp(`^Publish to MQTT broker \`lm mosquitto\` \\(127\\.0\\.0\\.1:1883\\), topic \`${base}/cmd\`:\n- QoS 1 \\(at least once\\)\n- \\*\\*retained\\*\\*`));
      assert.match(pm.value, /- payload: 2 bytes\n\n```text\non\n```/);
      assert.ok(!pm.isTrusted, 'no command links in a confirmation');
      const peek = await tools.prepare('peekQueue', { input: { broker: 'lm rabbit', queue: 'lm-orders', count: 3 } }, cts.token);
      assert.equal(peek.confirmationMessages!.title, 'Peek queue lm-orders?');
      assert.match((peek.confirmationMessages!.message as vscode.MarkdownString).value, /puts them back at once \(requeue\).*\*\*marked redelivered\*\*.*delivery limit/s);
      const del = await tools.prepare('deleteRetained', { input: { broker: 'lm mosquitto', filter: `${base}/#` } }, cts.token);
      assert.equal(del.confirmationMessages!.title, 'Delete 2 retained messages?');
      assert.match((del.confirmationMessages!.message as vscode.MarkdownString).value, new RegExp(`This cannot be undone\\.\\n\\n- \`${base}/hall/temp\`\\n- \`${base}/kitchen/temp\``));
      await assert.rejects(tools.prepare('publish', { input: { broker: 'lm rabbit', topic: 'x', payload: 'p' } }, cts.token), /"topic" is for MQTT/);
    } finally {
      cts.dispose();
    }
  });
});
