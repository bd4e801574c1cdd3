// broker-explorer-mcp (dist/broker-explorer-mcp.js) driven over stdio by the MCP SDK's own client,
// in plain Node, against the shared Mosquitto (127.0.0.1:1883) and RabbitMQ (127.0.0.1:5672).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import mqtt from 'mqtt';
import { parseMcpArgs } from '../../src/cli/mcpServer';

const ROOT = resolve(__dirname, '../../..');
const SERVER = join(ROOT, 'dist', 'broker-explorer-mcp.js');
const run = `${process.pid}-${Date.now().toString(36)}`;
const base = `be-mcp/${run}`;

type TextResult = { content: { type: string; text?: string }[]; isError?: boolean };
const textOf = (r: unknown): string =>
  (r as TextResult).content
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('');

async function connect(cwd: string, args: string[], env: Record<string, string> = {}, client = new Client({ name: 'broker-explorer-test', version: '1.0.0' })): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [SERVER, ...args], cwd, env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await client.connect(transport);
  return { client, stderr: () => err };
}

describe('broker-explorer-mcp over stdio (the SDK client, real brokers)', function () {
  this.timeout(30_000);
  let dir: string;
  const clients: Client[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'be-mcp-'));
    mkdirSync(join(dir, '.vscode'));
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(
      join(dir, '.vscode', 'brokers.json'),
      JSON.stringify({
        brokers: [
          { name: 'local mosquitto', kind: 'mqtt', host: '127.0.0.1', port: 1883, subscriptions: [{ filter: `${base}/#`, qos: 0 }] },
          { name: 'local rabbit', kind: 'amqp', host: '127.0.0.1', port: 5672, username: 'guest' },
        ],
      }),
    );
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    await pub.publishAsync(`${base}/garden/soil`, '{"moisture":41}', { retain: true, qos: 1 });
    await pub.endAsync();
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    const pub = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    for (const t of ['garden/soil', 'garden/valve']) {
      await pub.publishAsync(`${base}/${t}`, '', { retain: true, qos: 1 });
    }
    await pub.endAsync();
  });

  it('parses its arguments and refuses unknown ones', () => {
    assert.deepEqual(parseMcpArgs([]), { brokers: undefined, allowPublish: false });
    assert.deepEqual(parseMcpArgs(['--brokers', 'b.json', '--allow-publish']), { brokers: 'b.json', allowPublish: true });
    assert.equal(parseMcpArgs(['--brokers']), '--brokers needs a file');
    assert.equal(parseMcpArgs(['--yolo']), 'unknown argument --yolo');
  });

  it('lists the read-only tools (with schemas and read-only hints), finds the nearest brokers.json, and calls listTopics', async () => {
    const { client, stderr } = await connect(join(dir, 'sub', 'deeper'), [], { BROKER_EXPLORER_PASSWORD_LOCAL_RABBIT: 'guest' });
    clients.push(client);
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['listBrokers', 'listTopics', 'readMessages', 'listAmqp', 'lintMosquittoConf', 'explainConnectionState'],
    );
    const lt = tools.find((t) => t.name === 'listTopics')!;
    assert.deepEqual(lt.inputSchema.required, ['broker']);
    assert.equal(lt.annotations?.readOnlyHint, true);
    assert.match(stderr(), /ready \(.*\.vscode\/brokers\.json; acting tools off\)/);

    const brokers = textOf(await client.callTool({ name: 'listBrokers', arguments: {} }));
    assert.match(brokers, /"local mosquitto" · MQTT · 127\.0\.0\.1:1883 · disconnected/);
    const topics = textOf(await client.callTool({ name: 'listTopics', arguments: { broker: 'local mosquitto', filter: `${base}/#` } }));
    assert.match(topics, /1 topic match/);
    assert.match(topics, new RegExp(`${base}/garden/soil · 1 msg · retained · \\{"moisture":41\\}`));
    const amqp = textOf(await client.callTool({ name: 'listAmqp', arguments: { broker: 'local rabbit', include: ['exchanges'] } }));
    assert.match(amqp, /exchange amq\.topic \(topic, durable\)/, 'the password came from BROKER_EXPLORER_PASSWORD_LOCAL_RABBIT');
    assert.ok(!amqp.includes('guest'), 'and it is not shown');
  });

  it('refuses publish without --allow-publish, and bad input, in plain words', async () => {
    const { client } = await connect(dir, []);
    clients.push(client);
    const refused = (await client.callTool({ name: 'publish', arguments: { broker: 'local mosquitto', topic: `${base}/garden/valve`, payload: 'open' } })) as TextResult;
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /Acting tools \(publish, peekQueue, deleteRetained\) are off: start broker-explorer-mcp with --allow-publish/);
    const bad = (await client.callTool({ name: 'listTopics', arguments: { broker: 'local mosquitto', maxItems: 1000 } })) as TextResult;
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /Bad input for listTopics: "maxItems" must be at most 200/);
    const failed = (await client.callTool({ name: 'listAmqp', arguments: { broker: 'local rabbit' } })) as TextResult;
    assert.equal(failed.isError, true);
    assert.match(textOf(failed), /Could not connect to AMQP broker "local rabbit" .*Not authorized/, 'no password in the environment: refused, said so');
    const why = textOf(await client.callTool({ name: 'explainConnectionState', arguments: { broker: 'local rabbit' } }));
    assert.match(why, /set BROKER_EXPLORER_PASSWORD_LOCAL_RABBIT in the environment of broker-explorer-mcp/);
  });

  it('with --allow-publish offers the acting tools and publishes', async () => {
    const { client } = await connect(dir, ['--allow-publish']);
    clients.push(client);
    const { tools } = await client.listTools();
    assert.equal(tools.length, 9);
    assert.equal(tools.find((t) => t.name === 'deleteRetained')?.annotations?.destructiveHint, true);
    const sent = textOf(await client.callTool({ name: 'publish', arguments: { broker: 'local mosquitto', topic: `${base}/garden/valve`, payload: 'open', qos: 1, retain: true } }));
    assert.match(sent, /^PUBACK received — 4 bytes to be-mcp\//);
    const read = textOf(await client.callTool({ name: 'readMessages', arguments: { broker: 'local mosquitto', filter: `${base}/garden/valve` } }));
    assert.match(read, /```text\nopen\n```/);
  });

  it('asks a client that supports elicitation with the confirmation text, and does nothing when the user declines', async () => {
    const asked: string[] = [];
    let answer: 'decline' | 'accept' = 'decline';
    const client = new Client({ name: 'broker-explorer-test', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(String((request.params as { message?: string }).message));
      return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });
    await connect(dir, ['--allow-publish'], {}, client);
    clients.push(client);
    const args = { broker: 'local mosquitto', filter: `${base}/garden/#` };
    const declined = (await client.callTool({ name: 'deleteRetained', arguments: args })) as TextResult;
    assert.equal(declined.isError, true);
    assert.equal(textOf(declined), 'Not done: the user did not confirm.');
    assert.match(asked[0] ?? '', /^Delete \d retained messages?\?\n\nDelete the retained messages? of \d topics? matching `be-mcp\/[^`]+\/garden\/#` on MQTT broker `local mosquitto`/);
    assert.match(asked[0] ?? '', new RegExp(`- \`${base}/garden/soil\``));
    const still = textOf(await client.callTool({ name: 'listTopics', arguments: args }));
    assert.match(still, /garden\/soil · \d+ msgs? · retained/, 'the retained message is still there');
    answer = 'accept';
    const done = textOf(await client.callTool({ name: 'deleteRetained', arguments: args }));
    assert.match(done, /^Deleted \d retained messages? on "local mosquitto"/);
    assert.equal(asked.length, 2);
  });
});
