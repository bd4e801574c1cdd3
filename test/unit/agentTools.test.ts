// The agent tools' core (src/core/agent) in plain Node: input validation and output bounds for each
// tool, confirmations of the acting ones, no secret in any output, against the shared Mosquitto
// (127.0.0.1:1883) and RabbitMQ (127.0.0.1:5672, management on 15672).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { BrokerConnection } from '../../src/core/brokers/connection';
import type { AmqpProfile, MqttProfile } from '../../src/core/brokers/profile';
import { LogTail, type AgentHost } from '../../src/core/agent/host';
import { BoundedOutput, BROKER_DATA_NOTE, DEFAULT_MAX_BYTES, fenceFor, payloadText, redact } from '../../src/core/agent/output';
import { jsonSchema, parseInput, SCHEMAS, TOOL_NAMES, ToolInputError } from '../../src/core/agent/schemas';
import { coveredBy, peekConfirmation, prepareTool, runTool, TOOLS } from '../../src/core/agent/tools';
import { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import { AGENT_TOOL_NAMES } from '../../src/agent/agentIds';

const SENTINEL = 'S3ntinel-pa55word-7f1c';
const run = `${process.pid}-${Date.now().toString(36)}`;

function makeHost(connections: BrokerConnection[], extra: Partial<AgentHost> = {}): AgentHost & { log: LogTail } {
  const log = new LogTail();
  return {
    log,
    connections: () => connections,
    connectRefusal: () => undefined,
    connect: (c) => c.connect(),
    actingRefusal: () => undefined,
    recentLog: (c, max) => log.about(c.profile.name, max),
    readConf: (path) => ({ file: path, text: readFileSync(path, 'utf8') }),
    baseDir: tmpdir(),
    secrets: () => [SENTINEL],
    ...extra,
  };
}

function publishRetained(topic: string, payload: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect({ host: '127.0.0.1', port: 1883, clientId: `be-agent-pub-${run}` });
    client.on('error', reject);
    client.on('connect', () => {
      client.publish(topic, payload, { retain: true, qos: 1 }, (err) => {
        client.end(false, {}, () => (err ? reject(err) : resolve()));
      });
    });
  });
}

describe('agent tools: input schemas and validation', () => {
  it('has a schema, a title and a description for every tool, and JSON schemas without $schema', () => {
    assert.deepEqual(Object.keys(TOOLS).sort(), [...TOOL_NAMES].sort());
    for (const name of TOOL_NAMES) {
      const s = jsonSchema(name);
      assert.equal(s.type, 'object', name);
      assert.equal(s.additionalProperties, false, `${name} refuses unknown inputs`);
      assert.equal(s.$schema, undefined);
      assert.ok(TOOLS[name].description.length > 60, `${name} says when to use it`);
    }
    assert.deepEqual(jsonSchema('readMessages').required, ['broker', 'filter']);
  });

  it('refuses bad input with a sentence that names the field and what is accepted', () => {
    const bad = (name: (typeof TOOL_NAMES)[number], input: unknown, pattern: RegExp): void => {
      assert.throws(() => parseInput(name, input), (e: unknown) => e instanceof ToolInputError && pattern.test(e.message), `${name} ${JSON.stringify(input)}`);
    };
    bad('listBrokers', { kind: 'kafka' }, /"kind" must be one of "mqtt", "amqp"/);
    bad('listBrokers', { maxBytes: 100 }, /"maxBytes" must be at least 1024/);
    bad('listBrokers', { maxBytes: 70000 }, /"maxBytes" must be at most 65536/);
    bad('listTopics', {}, /"broker" is missing.*It takes: broker, filter, depth, waitSeconds, maxItems, maxBytes/);
    bad('listTopics', { broker: 'x', maxItems: 201 }, /"maxItems" must be at most 200/);
    bad('listTopics', { broker: 'x', depth: 1.5 }, /"depth" must be a whole number|"depth"/);
    bad('readMessages', { broker: 'x' }, /"filter" is missing/);
    bad('readMessages', { broker: 'x', filter: 'a', liveSeconds: 31 }, /"liveSeconds" must be at most 30/);
    bad('readMessages', { broker: 'x', filter: 'a', colour: 'red' }, /unknown input "colour"/);
    bad('listAmqp', { broker: 'x', include: ['users'] }, /"include.0" must be one of/);
    bad('lintMosquittoConf', { text: 42 }, /"text" must be a string/);
    bad('explainConnectionState', { broker: '' }, /"broker" must not be empty/);
    bad('publish', { broker: 'x', payload: 'p', qos: 3 }, /"qos" must be 0, 1 or 2/);
    bad('publish', { broker: 'x' }, /"payload" is missing/);
    bad('peekQueue', { broker: 'x', queue: 'q', count: 51 }, /"count" must be at most 50/);
    bad('deleteRetained', { broker: 'x', filter: 'a', maxTopics: 0 }, /"maxTopics" must be at least 1/);
    assert.deepEqual(parseInput('listTopics', { broker: 'b', filter: 'a/#' }), { broker: 'b', filter: 'a/#' });
  });

  it('refuses an unknown tool and a broker that does not exist, naming the ones that do', async () => {
    const c = new MqttConnection({ id: 'm1', kind: 'mqtt', name: 'dev mosquitto', host: '127.0.0.1', port: 1883 });
    const host = makeHost([c]);
    await assert.rejects(runTool('dropTables', {}, host), /Unknown tool "dropTables": the tools are listBrokers, listTopics/);
    await assert.rejects(runTool('listTopics', { broker: 'prod' }, host), (e: unknown) => e instanceof ToolInputError && /No broker named "prod". The brokers are: "dev mosquitto"\./.test(e.message));
    await assert.rejects(runTool('listAmqp', { broker: 'dev mosquitto' }, host), /is an MQTT broker; this tool reads RabbitMQ/);
    await assert.rejects(runTool('listTopics', { broker: 'dev mosquitto', filter: 'a/#/b' }, host), /Bad MQTT filter "a\/#\/b": "#" must be a whole level and the last one/);
    assert.equal(c.state.kind, 'disconnected', 'bad input connects nothing');
  });
});

describe('agent tools: output bounds', () => {
  it('stops at 200 items and says how many more were not shown', () => {
    const out = new BoundedOutput({ maxBytes: 65536 });
    out.line('head');
    for (let i = 0; i < 250; i++) {
      out.item(`item ${i}`);
    }
    const text = out.finish();
    assert.equal(out.itemsShown, 200);
    assert.match(text, /item 199\n50 more not shown \(limits: 200 items, 65,536 bytes\)/);
    assert.doesNotMatch(text, /item 200\b/);
  });

  it('keeps to 8 KB by default and to maxBytes up to 64 KB, closing an open fence', () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${'x'.repeat(400)} ${i}`);
    for (const [limits, max] of [[{}, DEFAULT_MAX_BYTES], [{ maxBytes: 65536 }, 65536], [{ maxBytes: 1_000_000 }, 65536]] as const) {
      const out = new BoundedOutput(limits);
      out.line('head').openData(rows);
      for (const r of rows) {
        out.item(r);
      }
      const text = out.finish();
      assert.ok(Buffer.byteLength(text) <= max, `${Buffer.byteLength(text)} <= ${max}`);
      assert.ok(Buffer.byteLength(text) > max - 800, `fills what it may (${Buffer.byteLength(text)} of ${max})`);
      assert.match(text, /\n```\n\d+ more not shown/);
    }
  });

  it('fences broker data so that it cannot close the block, and cuts payloads with a marker', () => {
    assert.equal(fenceFor(['a ``` b', '`````']), '``````');
    const long = payloadText(Buffer.from('é'.repeat(1000)), 101);
    assert.equal(Buffer.byteLength(long.text), 100, 'never splits a character');
    assert.equal(long.marker, '[truncated: 100 of 2,000 bytes shown]');
    const bin = payloadText(Buffer.from([0, 1, 2, 0xff, 0xfe]), 1024);
    assert.equal(bin.kind, 'binary');
    assert.equal(bin.text, '00 01 02 ff fe');
    assert.equal(payloadText(Buffer.alloc(0), 10).kind, 'empty');
    assert.equal(payloadText(Buffer.from('abc'), 10, 5000).marker, '[truncated: 3 of 5,000 bytes shown]', 'a payload stored cut says so');
    assert.equal(redact(`a ${SENTINEL} b`, [SENTINEL]), 'a ••• b');
  });

  it('knows which subscriptions already deliver a filter (no second subscription for live reads)', () => {
    assert.ok(coveredBy(['#', '$SYS/#'], 'weather/#'));
    assert.ok(coveredBy(['#', '$SYS/#'], '$SYS/broker/uptime'));
    assert.ok(!coveredBy(['#'], '+/status'), '+ at the top also matches what # does, but keep it simple: subscribe');
    assert.ok(coveredBy(['sensors/#'], 'sensors/+/t'));
    assert.ok(!coveredBy(['sensors/#'], 'other/x'));
  });
});

describe('agent tools against the shared Mosquitto and RabbitMQ', function () {
  this.timeout(30_000);
  const base = `be-agent/${run}`;
  let mq: MqttConnection;
  let rabbit: AmqpConnection;
  let host: ReturnType<typeof makeHost>;
  const queue = `be-agent-q-${run}`;

  before(async () => {
    const log = new LogTail();
    const mp: MqttProfile = { id: 'agent-m', kind: 'mqtt', name: 'local mosquitto', host: '127.0.0.1', port: 1883, username: 'agent', subscriptions: [{ filter: `${base}/#`, qos: 0 }] };
    const ap: AmqpProfile = { id: 'agent-a', kind: 'amqp', name: 'local rabbit', host: '127.0.0.1', port: 5672, vhost: '/', username: 'guest' };
    mq = new MqttConnection(mp, { getPassword: async () => SENTINEL, log });
    rabbit = new AmqpConnection(ap, { getPassword: async () => 'guest', log });
    host = makeHost([mq, rabbit]);
    (host as { recentLog: AgentHost['recentLog'] }).recentLog = (c, max) => log.about(c.profile.name, max);
    for (let i = 0; i < 30; i++) {
      await publishRetained(`${base}/room${String(i).padStart(2, '0')}/temp`, JSON.stringify({ t: 20 + i / 10 }));
    }
    await publishRetained(`${base}/secret`, `the password is ${SENTINEL}`);
    await publishRetained(`${base}/binary`, Buffer.from([0, 1, 2, 3, 0xff]));
  });

  after(async () => {
    await rabbit.management.deleteQueue('/', queue).catch(() => undefined);
    // Leave no retained message behind on the shared broker.
    if (mq.state.kind === 'connected') {
      await runTool('deleteRetained', { broker: 'local mosquitto', filter: `${base}/#`, maxTopics: 1000 }, host).catch(() => undefined);
    }
    await mq.dispose();
    await rabbit.dispose();
  });

  it('listBrokers: names, kinds, endpoints and states, never a credential', async () => {
    const text = await runTool('listBrokers', {}, host);
    assert.match(text, /^2 brokers \(1 MQTT, 1 AMQP\)/);
    assert.ok(text.includes(BROKER_DATA_NOTE));
    assert.match(text, /"local mosquitto" · MQTT · 127\.0\.0\.1:1883 · disconnected · no TLS · saved by the user/);
    assert.match(text, /"local rabbit" · AMQP · 127\.0\.0\.1:5672/);
    assert.doesNotMatch(text, /\bagent\b|username/, 'no username (the MQTT profile has user "agent")');
    assert.ok(!text.includes(SENTINEL));
    assert.match(await runTool('listBrokers', { kind: 'amqp' }, host), /^1 broker \(0 MQTT, 1 AMQP\)/);
  });

  it('listTopics connects, waits for retained messages and lists them with previews; depth groups; bounds hold', async () => {
    const text = await runTool('listTopics', { broker: 'local mosquitto', filter: `${base}/#`, waitSeconds: 1 }, host);
    assert.equal(mq.state.kind, 'connected');
    assert.match(text, /32 topics match/);
    assert.match(text, new RegExp(`${base}/room07/temp · 1 msg · retained · \\{"t":20\\.7\\}`));
    assert.match(text, /binary · 1 msg · retained · binary 5 B: 00 01 02 03 ff/);
    assert.ok(!text.includes(SENTINEL), 'a payload holding the password is redacted');
    assert.ok(text.includes('•••'));
    const grouped = await runTool('listTopics', { broker: 'local mosquitto', filter: `${base}/#`, depth: 2 }, host);
    assert.match(grouped, new RegExp(`${base.split('/')[0]}/${run} · 32 topics · 32 msg · 32 retained`));
    const few = await runTool('listTopics', { broker: 'local mosquitto', filter: `${base}/#`, maxItems: 5 }, host);
    assert.match(few, /27 more not shown \(limits: 5 items/);
  });

  it('readMessages: stored messages with fenced payloads, and a live subscription with a timeout', async () => {
    const text = await runTool('readMessages', { broker: 'local mosquitto', filter: `${base}/+/temp`, count: 3, maxPayloadBytes: 16 }, host);
    assert.match(text, /3 messages, the newest 3 of 30 kept/);
    assert.match(text, /QoS \d · retained · 1\d B\n```text\n\{"t":/);
    const liveDone = runTool('readMessages', { broker: 'local mosquitto', filter: `${base}/live/#`, liveSeconds: 5, count: 2 }, host);
    await new Promise((r) => setTimeout(r, 300));
    const client = await mqtt.connectAsync({ host: '127.0.0.1', port: 1883 });
    await client.publishAsync(`${base}/live/a`, 'one ``` two');
    await client.publishAsync(`${base}/live/b`, 'three');
    await client.endAsync();
    const live = await liveDone;
    assert.match(live, /2 messages, received in a live subscription/);
    assert.match(live, /````text\none ``` two\n````/, 'a payload with a fence gets a longer fence');
    const none = await runTool('readMessages', { broker: 'local mosquitto', filter: `${base}/nothing/#`, liveSeconds: 0.5 }, host);
    assert.match(none, /0 messages.*\nNothing was published/);
  });

  it('every tool keeps to maxBytes and maxItems, and says how many more were not shown', async () => {
    const within = (t: string, max: number): void => assert.ok(Buffer.byteLength(t) <= max, `${Buffer.byteLength(t)} bytes > ${max}: ${t.slice(0, 120)}`);
    const read = await runTool('readMessages', { broker: 'local mosquitto', filter: `${base}/#`, count: 200, maxBytes: 1024 }, host);
    within(read, 1024);
    assert.match(read, /\d+ more not shown \(limits: 200 items, 1,024 bytes\)/);
    const topics = await runTool('listTopics', { broker: 'local mosquitto', filter: `${base}/#`, maxBytes: 1024 }, host);
    within(topics, 1024);
    assert.match(topics, /more not shown/);
    const many = Array.from({ length: 250 }, (_, i) => new MqttConnection({ id: `many-${i}`, kind: 'mqtt', name: `broker ${i}`, host: '127.0.0.1', port: 1883 }));
    const brokers = await runTool('listBrokers', { maxBytes: 65536 }, makeHost(many));
    assert.match(brokers, /"broker 199" ·[^\n]*\n```\n50 more not shown \(limits: 200 items/);
    within(await runTool('listBrokers', {}, makeHost(many)), DEFAULT_MAX_BYTES);
    const conf = Array.from({ length: 300 }, (_, i) => `no_such_option_${i} 1`).join('\n');
    const lint = await runTool('lintMosquittoConf', { text: conf, maxItems: 2 }, host);
    assert.match(lint, /^mosquitto\.conf the given text, as mosquitto 2\.0 reads it: 300 errors/);
    assert.match(lint, /```text\ntext:1:1: error \[unknown-option\][^\n]*\ntext:2:1: error \[unknown-option\][^\n]*\n```\n299 more not shown \(limits: 2 items/);
    const explain = await runTool('explainConnectionState', { broker: 'local mosquitto', logLines: 50, maxBytes: 1024 }, host);
    within(explain, 1024);
    await Promise.all(many.map((c) => c.dispose()));
  });

  it('listAmqp: vhosts, exchanges, queues with depth and consumers, bindings; filter and bounds', async () => {
    await rabbit.connect();
    await rabbit.declareQueue(queue, 'classic', { durable: false });
    await rabbit.bindQueue(queue, 'amq.topic', 'agent.#');
    await rabbit.publish('', queue, Buffer.from('hello from the test'));
    const text = await runTool('listAmqp', { broker: 'local rabbit', queueFilter: '^be-agent-q-' }, host);
    assert.match(text, /RabbitMQ broker "local rabbit" \(127\.0\.0\.1:5672, management API http:\/\/127\.0\.0\.1:15672\)/);
    assert.match(text, /vhost \/\n/);
    assert.match(text, /exchange amq\.topic \(topic, durable\)/);
    assert.match(text, new RegExp(`queue ${queue} \\(classic, (\\d+|\\?) ready, 0 unacked, 0 consumers`));
    assert.match(text, new RegExp(`binding amq\\.topic -> queue ${queue} key agent\\.#`));
    const few = await runTool('listAmqp', { broker: 'local rabbit', include: ['exchanges'], maxItems: 3 }, host);
    assert.match(few, /more not shown \(limits: 3 items/);
    await assert.rejects(runTool('listAmqp', { broker: 'local rabbit', queueFilter: '(' }, host), /Bad queueFilter "\("/);
  });

  it('lintMosquittoConf: the same diagnostics as the editor, for a file or for text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'be-agent-conf-'));
    const file = join(dir, 'mosquitto.conf');
    writeFileSync(file, 'listener 1883\nallow_anonymous maybe\nfoo_bar 1\n');
    const text = await runTool('lintMosquittoConf', { path: file }, host);
    assert.match(text, /1 error .*allow_anonymous|error \[/);
    assert.match(text, /:2:\d+: error \[[a-z-]+\]: .*allow_anonymous/);
    assert.match(text, /:3:1: error \[unknown-option\]/);
    assert.match(await runTool('lintMosquittoConf', { text: 'listener 1883\nallow_anonymous true\n' }, host), /no problems found/);
    await assert.rejects(runTool('lintMosquittoConf', {}, host), /Give either "path" .* or "text"/);
  });

  it('explainConnectionState: plain words for connected and failed, recent log lines, no password', async () => {
    const ok = await runTool('explainConnectionState', { broker: 'local mosquitto' }, host);
    assert.match(ok, /State: connected since/);
    assert.match(ok, /Recent log lines about it/);
    assert.match(ok, /Connected to "local mosquitto"/);
    const wrong = new AmqpConnection({ id: 'agent-bad', kind: 'amqp', name: 'bad rabbit', host: '127.0.0.1', port: 5672, vhost: '/', username: 'guest' }, { getPassword: async () => SENTINEL });
    const h = makeHost([wrong]);
    await assert.rejects(runTool('listAmqp', { broker: 'bad rabbit' }, h), /Could not connect to AMQP broker "bad rabbit" \(127\.0\.0\.1:5672\): Not authorized/);
    const failed = await runTool('explainConnectionState', { broker: 'bad rabbit' }, h);
    assert.match(failed, /State: failed\. Reason: Not authorized/);
    assert.match(failed, /fix the username or password/);
    for (const t of [ok, failed]) {
      assert.ok(!t.includes(SENTINEL));
    }
    await wrong.dispose();
  });

  it('publish: the confirmation shows exactly what is sent; MQTT and AMQP send; wrong-kind fields are refused', async () => {
    const confirm = await prepareTool('publish', { broker: 'local mosquitto', topic: `${base}/cmd`, payload: '{"on":true}', format: 'json', qos: 1, retain: true, userProperties: { from: 'agent' } }, host);
    assert.ok(confirm);
    assert.equal(confirm.title, 'Publish to MQTT broker?');
    assert.match(confirm.message, /Publish to MQTT broker `local mosquitto` \(127\.0\.0\.1:1883\), topic `be-agent\/[^`]+\/cmd`:/);
    assert.match(confirm.message, /- QoS 1 \(at least once\)\n- \*\*retained\*\*/);
    assert.match(confirm.message, /- user property `from` = `agent`/);
    assert.match(confirm.message, /- payload: 11 bytes \(given as json\)\n\n```text\n\{"on":true\}\n```/);
    await assert.rejects(prepareTool('publish', { broker: 'local mosquitto', topic: 'a/+', payload: 'x' }, host), /Bad topic "a\/\+"/);
    await assert.rejects(prepareTool('publish', { broker: 'local mosquitto', topic: 'a', payload: '{', format: 'json' }, host), /Not sent: .*JSON/i);
    await assert.rejects(prepareTool('publish', { broker: 'local mosquitto', exchange: 'x', payload: 'p' }, host), /"exchange" is for AMQP/);
    await assert.rejects(prepareTool('publish', { broker: 'local rabbit', topic: 't', payload: 'p' }, host), /"topic" is for MQTT/);
    assert.match(await runTool('publish', { broker: 'local mosquitto', topic: `${base}/cmd`, payload: 'on', qos: 1 }, host), /^PUBACK received — 2 bytes to be-agent\//);
    const amqpConfirm = await prepareTool('publish', { broker: 'local rabbit', exchange: '', routingKey: queue, payload: 'hi', persistent: true, headers: { k: 'v' } }, host);
    assert.match(amqpConfirm!.message, /- exchange the default exchange .*\n- routing key `be-agent-q-[^`]+`\n- mandatory: returned, not dropped, if no queue takes it\n- persistent \(delivery mode 2\)\n- header `k` = `v`/);
    assert.match(await runTool('publish', { broker: 'local rabbit', exchange: '', routingKey: queue, payload: 'hi' }, host), /^Routed — 2 bytes to/);
    await assert.rejects(runTool('publish', { broker: 'local rabbit', exchange: 'amq.direct', routingKey: 'nobody-binds-this', payload: 'x' }, host), /Unroutable/);
  });

  it('peekQueue: the confirmation says it requeues and marks redelivered (and the quorum limit); the peek shows payloads', async () => {
    const c = peekConfirmation(rabbit, '/', queue, 5, undefined);
    assert.match(c.message, /Peek up to 5 messages of queue `be-agent-q-[^`]+` \(vhost `\/`\) on RabbitMQ broker `local rabbit`/);
    assert.match(c.message, /puts them back at once \(requeue\).*\*\*marked redelivered\*\*/s);
    const quorum = peekConfirmation(rabbit, '/', 'orders', 1, { name: 'orders', vhost: '/', type: 'quorum', durable: true, auto_delete: false, exclusive: false, arguments: { 'x-delivery-limit': 3 }, consumers: 2 });
    assert.match(quorum.message, /\*\*Quorum queue\*\*: every peek counts as a delivery against its delivery limit \(x-delivery-limit = 3\)/);
    assert.match(quorum.message, /2 consumers are attached/);
    const prepared = await prepareTool('peekQueue', { broker: 'local rabbit', queue, count: 2 }, host);
    assert.match(prepared!.message, /Peek up to 2 messages/);
    const text = await runTool('peekQueue', { broker: 'local rabbit', queue, count: 2, maxPayloadBytes: 16 }, host);
    assert.match(text, /2 messages peeked and put back/);
    assert.match(text, /```text\nhello from the te\n```\n\[truncated: 16 of 19 bytes shown\]|```text\nhello from the t\n```\n\[truncated: 16 of 19 bytes shown\]/);
    const again = await runTool('peekQueue', { broker: 'local rabbit', queue, count: 1 }, host);
    assert.match(again, /redelivered before: yes/);
  });

  it('deleteRetained: the confirmation lists the topics; it deletes them; acting tools refuse when the host says so', async () => {
    const confirm = await prepareTool('deleteRetained', { broker: 'local mosquitto', filter: `${base}/+/temp` }, host);
    assert.equal(confirm!.title, 'Delete 30 retained messages?');
    assert.match(confirm!.message, /This cannot be undone\.\n\n- `be-agent\/[^`]+\/room00\/temp`/);
    assert.match(confirm!.message, /- … 10 more$/);
    const tooMany = await prepareTool('deleteRetained', { broker: 'local mosquitto', filter: `${base}/#`, maxTopics: 3 }, host);
    assert.match(tooMany!.message, /more than maxTopics \(3\): the call will be refused/);
    await assert.rejects(runTool('deleteRetained', { broker: 'local mosquitto', filter: `${base}/#`, maxTopics: 3 }, host), /Nothing deleted: \d+ topics match/);
    const off = makeHost([mq], { actingRefusal: () => 'Acting tools are off: start broker-explorer-mcp with --allow-publish.' });
    await assert.rejects(runTool('deleteRetained', { broker: 'local mosquitto', filter: `${base}/#` }, off), /--allow-publish/);
    await assert.rejects(prepareTool('publish', { broker: 'local mosquitto', topic: 'a', payload: 'b' }, off), /--allow-publish/);
    const done = await runTool('deleteRetained', { broker: 'local mosquitto', filter: `${base}/+/temp` }, host);
    assert.match(done, /^Deleted 30 retained messages on "local mosquitto"/);
  });

  it('a read-only tool does not connect a broker the host refuses, and says why', async () => {
    const other = new MqttConnection({ id: 'agent-ws', kind: 'mqtt', name: 'cloned repo broker', host: '127.0.0.1', port: 1883, source: { kind: 'workspace', folder: '/tmp/x', name: 'x' } });
    const h = makeHost([other], { connectRefusal: () => 'This folder is not trusted: brokers from its .vscode/brokers.json are not connected by tools.' });
    await assert.rejects(runTool('listTopics', { broker: 'cloned repo broker' }, h), /not trusted/);
    assert.equal(other.state.kind, 'disconnected');
    assert.match(await runTool('listBrokers', {}, h), /\.vscode\/brokers\.json of x · tools will not connect it here/);
    await other.dispose();
  });

  it('no output of any tool contains the password (sentinel)', async () => {
    const outputs = await Promise.all([
      runTool('listBrokers', {}, host),
      runTool('listTopics', { broker: 'local mosquitto', filter: `${base}/#` }, host),
      runTool('readMessages', { broker: 'local mosquitto', filter: `${base}/#`, count: 200, maxBytes: 65536 }, host),
      runTool('explainConnectionState', { broker: 'local mosquitto', logLines: 50 }, host),
      runTool('explainConnectionState', { broker: 'local rabbit', logLines: 50 }, host),
      runTool('listAmqp', { broker: 'local rabbit' }, host),
    ]);
    for (const t of outputs) {
      assert.ok(!t.includes(SENTINEL), t.slice(0, 200));
    }
    assert.ok(outputs[2].includes('the password is •••'));
  });

  it('every schema of package.json matches the core (and no tool is missing there)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../../../package.json') as { contributes: { languageModelTools?: { name: string; inputSchema: unknown; modelDescription: string; displayName: string }[] } };
    const tools = pkg.contributes.languageModelTools ?? [];
    assert.deepEqual(
      tools.map((t) => t.name),
      TOOL_NAMES.map((n) => `brokerExplorer_${n}`),
    );
    for (const t of tools) {
      const name = t.name.replace(/^brokerExplorer_/, '') as (typeof TOOL_NAMES)[number];
      assert.deepEqual(t.inputSchema, jsonSchema(name), `${t.name} inputSchema`);
      assert.equal(t.modelDescription, TOOLS[name].description, `${t.name} modelDescription`);
      assert.equal(t.displayName, TOOLS[name].title);
    }
    assert.ok(Object.keys(SCHEMAS).length === 9);
    assert.deepEqual([...AGENT_TOOL_NAMES], TOOL_NAMES, 'the names registered at activation (src/agent/agentIds.ts) are the core tools');
    const events = (pkg as unknown as { activationEvents: string[] }).activationEvents;
    for (const n of TOOL_NAMES) {
      assert.ok(events.includes(`onLanguageModelTool:brokerExplorer_${n}`), n);
    }
    const when = Object.fromEntries(tools.map((t) => [t.name, (t as { when?: string }).when]));
    for (const n of TOOL_NAMES) {
      assert.equal(when[`brokerExplorer_${n}`], TOOLS[n].acting ? 'isWorkspaceTrusted' : undefined, `${n}: acting tools are hidden in untrusted folders`);
    }
  });
});
