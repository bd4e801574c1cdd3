// Expectations in message files: the grammar (parser), the assertion language, the judge, and the
// runner against the real Mosquitto on 127.0.0.1:1883 with a responder process of the test's own.
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import type { BrokerConnection } from '../../src/core/brokers/connection';
import { judge, parseAssertion, type ReceivedMessage, type ResolvedExpectation } from '../../src/core/messageFiles/expect';
import { parseMessageFile } from '../../src/core/messageFiles/parser';
import { resolveExpectations } from '../../src/core/messageFiles/resolve';
import { runBlockTest } from '../../src/core/messageFiles/run';
import { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import { sendDraft } from '../../src/core/publish/publish';
import { testResolveEnv } from '../support/messageFiles';

const env = testResolveEnv;

const codes = (text: string) => parseMessageFile(text).problems.map((p) => `${p.line}:${p.code}`);

describe('message files: EXPECT (grammar)', () => {
  it('an EXPECT line ends the body; its headers and expected payload follow', () => {
    const f = parseMessageFile(
      [
        '### ping',
        'PUBLISH mqtt://local/devices/d1/cmd',
        'QoS: 1',
        '',
        '{"cmd": "ping"}',
        '',
        'EXPECT mqtt://local/devices/+/ack',
        'Within: 2s',
        'Count: exactly 1',
        'Assert: $.status == "ok"',
        'Assert: exists $.id',
        '',
        '{"status": "ok"}',
        '',
        'EXPECT NONE mqtt://local/devices/d1/error',
        'Within: 500ms',
        '',
        '### next',
        'PUBLISH mqtt://local/x',
        '',
        'plain',
      ].join('\n'),
    );
    assert.deepEqual(f.problems, []);
    const [b, next] = f.blocks;
    assert.equal(b!.body?.kind === 'inline' && b!.body.text, '{"cmd": "ping"}', 'the body stops before EXPECT');
    assert.equal(b!.expectations.length, 2);
    const [e1, e2] = b!.expectations;
    assert.equal(e1!.none, false);
    assert.equal(e1!.target.text, 'devices/+/ack');
    assert.deepEqual(e1!.headers.map((h) => `${h.canonical}=${h.value}`), ['Within=2s', 'Count=exactly 1', 'Assert=$.status == "ok"', 'Assert=exists $.id']);
    assert.deepEqual(e1!.body, { text: '{"status": "ok"}', startLine: 12 });
    assert.equal(e2!.none, true);
    assert.equal(e2!.body, undefined);
    assert.deepEqual(b!.range, { startLine: 0, endLine: 15 }, 'the block spans its expectations');
    assert.deepEqual(next!.expectations, []);
    assert.equal(next!.body?.kind === 'inline' && next!.body.text, 'plain');
  });

  it('files without EXPECT parse as before; "EXPECT" inside a line of the body is body text', () => {
    const f = parseMessageFile('PUBLISH mqtt://local/t\n\nwe EXPECT nothing\n  EXPECT indented is text too\n');
    assert.deepEqual(f.problems, []);
    assert.equal(f.blocks[0]!.body?.kind === 'inline' && f.blocks[0]!.body.text, 'we EXPECT nothing\n  EXPECT indented is text too');
    assert.deepEqual(f.blocks[0]!.expectations, []);
  });

  it('says what is wrong with an expectation as you type', () => {
    assert.deepEqual(codes('SUBSCRIBE mqtt://local/a\n\nEXPECT mqtt://local/b\n'), ['2:expect-not-after-publish']);
    assert.deepEqual(codes('PUBLISH mqtt://local/a\n\nx\nEXPECT\n'), ['3:missing-target']);
    assert.deepEqual(codes('PUBLISH mqtt://local/a\n\nx\nEXPECT amqp://rabbit/logs\n'), ['3:expect-amqp-source', '3:expect-amqp-path']);
    assert.deepEqual(codes('PUBLISH mqtt://local/a\n\nx\nEXPECT mqtt://local/b\nWithn: 2s\n'), ['4:unknown-header']);
    assert.equal(parseMessageFile('PUBLISH mqtt://local/a\n\nx\nEXPECT mqtt://local/b\nWithn: 2s\n').problems[0]!.suggestion, 'Within');
    assert.deepEqual(codes('PUBLISH mqtt://local/a\n\nx\nEXPECT mqtt://local/b\nCount: several\nWithin: forever\nAssert: $.a ==\n'), ['4:bad-value', '5:bad-value', '6:bad-value']);
    assert.deepEqual(codes('PUBLISH mqtt://local/a\n\nx\nEXPECT NONE mqtt://local/b\nCount: 1\n\n{"a":1}\n'), ['4:header-not-for-verb', '6:body-ignored']);
  });
});

describe('message files: assertions and the judge', () => {
  it('parses JSON path assertions (paths end at an operator outside brackets and quotes)', () => {
    assert.deepEqual(parseAssertion('$.status == "ok"'), { kind: 'compare', path: '$.status', op: '==', expected: 'ok', text: '$.status == "ok"' });
    assert.deepEqual(parseAssertion('exists $.id'), { kind: 'exists', path: '$.id', text: 'exists $.id' });
    assert.deepEqual(parseAssertion('not exists $.error'), { kind: 'notExists', path: '$.error', text: 'not exists $.error' });
    const filtered = parseAssertion('$.items[?@.kind == "a"].n >= 2');
    assert.equal(typeof filtered === 'object' && filtered.kind === 'compare' && `${filtered.path}|${filtered.op}|${String(filtered.expected)}`, '$.items[?@.kind == "a"].n|>=|2');
    assert.match(parseAssertion('$.a == ok') as string, /must be JSON/);
    assert.match(parseAssertion('status == "ok"') as string, /starts with a JSON path/);
    assert.match(parseAssertion('$[ == 1') as string, /Not a JSON path|No comparison/);
  });

  const base: ResolvedExpectation = { line: 0, none: false, connection: 'local', filter: 'a/#', withinMs: 1000, count: { op: 'atLeast', n: 1 }, userProperties: [], assertions: [], title: 'EXPECT mqtt://local/a/#' };
  const msg = (payload: string, extra: Partial<ReceivedMessage> = {}): ReceivedMessage => ({ topic: 'a/b', payload: Buffer.from(payload), qos: 1, retain: false, afterMs: 10, ...extra });
  const asserting = (...texts: string[]) => texts.map((t) => parseAssertion(t) as never);

  it('passes and fails with the expected and actual values of the closest message', () => {
    const exp = { ...base, assertions: asserting('$.status == "ok"', '$.temperature > 20', 'exists $.id') };
    assert.equal(judge(exp, [msg('{"status":"ok","temperature":21.5,"id":1}')]).passed, true);
    const r = judge(exp, [msg('not json'), msg('{"status":"error","temperature":21.5,"id":1}')]);
    assert.equal(r.passed, false);
    assert.equal(r.matched, 0);
    assert.match(r.message, /^0 of 2 received matched within 1 s \(at least 1 expected\)\. Closest message \(a\/b\): \$\.status == "ok": expected \$\.status == "ok", got \$\.status = "error"$/);
    assert.equal(r.expected, '$.status == "ok"');
    assert.equal(r.actual, '$.status = "error"');
  });

  it('compares an expected JSON payload as JSON (key order and spacing do not matter), text as text', () => {
    const exp = { ...base, payload: '{"a": 1, "b": [1, 2]}' };
    assert.equal(judge(exp, [msg('{"b":[1,2],"a":1}')]).passed, true);
    const r = judge(exp, [msg('{"b":[1,3],"a":1}')]);
    assert.equal(r.passed, false);
    assert.equal(r.expected, JSON.stringify({ a: 1, b: [1, 2] }, null, 2));
    assert.equal(r.actual, JSON.stringify({ b: [1, 3], a: 1 }, null, 2));
    assert.equal(judge({ ...base, payload: 'hello' }, [msg('hello')]).passed, true);
    assert.equal(judge({ ...base, payload: 'hello' }, [msg('hello ')]).passed, false);
  });

  it('counts, QoS, retain, topic, MQTT 5 properties and regex', () => {
    assert.equal(judge({ ...base, count: { op: 'exactly', n: 1 } }, [msg('1'), msg('2')]).passed, false);
    assert.equal(judge({ ...base, count: { op: 'atMost', n: 2 } }, [msg('1'), msg('2')]).passed, true);
    assert.equal(judge({ ...base, qos: 0 }, [msg('1')]).passed, false);
    assert.equal(judge({ ...base, retain: true }, [msg('1', { retain: true })]).passed, true);
    assert.equal(judge({ ...base, topic: 'a/+' }, [msg('1', { topic: 'a/b' })]).passed, true);
    assert.equal(judge({ ...base, topic: 'a/c' }, [msg('1', { topic: 'a/b' })]).passed, false);
    assert.equal(judge({ ...base, contentType: 'application/json' }, [msg('1', { contentType: 'application/json' })]).passed, true);
    assert.equal(judge({ ...base, correlationData: 'req-1' }, [msg('1', { correlationData: Buffer.from('req-2') })]).actual, 'req-2');
    assert.equal(judge({ ...base, userProperties: [{ key: 'site', value: 'north' }] }, [msg('1', { userProperties: { site: ['south', 'north'] } })]).passed, true);
    assert.equal(judge({ ...base, payloadMatches: /^\d+$/ }, [msg('123')]).passed, true);
    assert.equal(judge({ ...base, none: true }, []).passed, true);
    assert.match(judge({ ...base, none: true }, [msg('x')]).message, /^Expected nothing within 1 s, but 1 message arrived \(first on a\/b after 10 ms\)$/);
    assert.match(judge(base, []).message, /^No message arrived on a\/# within 1 s \(at least 1 expected\)$/);
  });

  it('resolves variables in expectations; the default time is the caller\'s', () => {
    const f = parseMessageFile('@dev = d7\nPUBLISH mqtt://local/c/{{dev}}\n\nx\nEXPECT mqtt://local/ack/{{dev}}\nAssert: $.dev == "{{dev}}"\n');
    const r = resolveExpectations(f, f.blocks[0]!, env, 1234);
    assert.ok(Array.isArray(r));
    assert.equal(r[0]!.filter, 'ack/d7');
    assert.equal(r[0]!.withinMs, 1234);
    assert.deepEqual(r[0]!.assertions[0], { kind: 'compare', path: '$.dev', op: '==', expected: 'd7', text: '$.dev == "d7"' });
    assert.equal(r[0]!.title, 'EXPECT mqtt://local/ack/d7');
  });
});

describe('message files: running a block as a test (real Mosquitto)', function () {
  this.timeout(20_000);
  const prefix = `be-expect-${process.pid}`;
  let conn: MqttConnection;
  let responder: mqtt.MqttClient;
  const options = { connection: async (): Promise<BrokerConnection> => conn, send: sendDraft, defaultWithinMs: 1500 };

  before(async () => {
    conn = new MqttConnection({ id: 'expect', kind: 'mqtt', name: 'local', host: '127.0.0.1', port: 1883, subscriptions: [] });
    assert.equal((await conn.connect()).kind, 'connected');
    // The responder: answers every command on PREFIX/dev/+/cmd with an ack on PREFIX/dev/+/ack.
    responder = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    await responder.subscribeAsync(`${prefix}/dev/+/cmd`, { qos: 1 });
    responder.on('message', (topic, payload) => {
      const dev = topic.split('/')[2]!;
      const body = JSON.parse(payload.toString()) as { cmd: string };
      void responder.publishAsync(`${prefix}/dev/${dev}/ack`, JSON.stringify({ status: body.cmd === 'ping' ? 'ok' : 'unknown', dev }), { qos: 1, properties: { contentType: 'application/json' } });
    });
  });
  after(async () => {
    await responder?.endAsync();
    await conn?.dispose();
  });

  const file = (cmd: string, expect: string) => parseMessageFile(`### ${cmd}\nPUBLISH mqtt://local/${prefix}/dev/d1/cmd\nQoS: 1\n\n{"cmd": "${cmd}"}\n\n${expect}`);

  it('passes when the responder answers as expected', async () => {
    const f = file('ping', `EXPECT mqtt://local/${prefix}/dev/+/ack\nCount: exactly 1\nContent-Type: application/json\nAssert: $.status == "ok"\n\n{"dev": "d1", "status": "ok"}\n`);
    const r = await runBlockTest(f, f.blocks[0]!, env, options);
    assert.equal(r.outcome, 'passed', r.message);
    assert.equal(r.expectations[0]!.result.matched, 1);
    assert.equal(r.expectations[0]!.result.received.length, 1);
  });

  it('fails with a readable diff when the answer differs', async () => {
    const f = file('reboot', `EXPECT mqtt://local/${prefix}/dev/+/ack\nWithin: 1s\nAssert: $.status == "ok"\n`);
    const r = await runBlockTest(f, f.blocks[0]!, env, options);
    assert.equal(r.outcome, 'failed');
    assert.match(r.message!, /Closest message \(be-expect-\d+\/dev\/d1\/ack\): \$\.status == "ok": expected \$\.status == "ok", got \$\.status = "unknown"/);
    assert.equal(r.expectations[0]!.result.actual, '$.status = "unknown"');
  });

  it('fails after its time when nothing arrives; EXPECT NONE passes then', async () => {
    const silent = parseMessageFile(`PUBLISH mqtt://local/${prefix}/quiet\n\nx\n\nEXPECT mqtt://local/${prefix}/never\nWithin: 300ms\n\nEXPECT NONE mqtt://local/${prefix}/never\nWithin: 300ms\n`);
    const started = Date.now();
    const r = await runBlockTest(silent, silent.blocks[0]!, env, options);
    assert.ok(Date.now() - started >= 300, 'it waited its time');
    assert.equal(r.outcome, 'failed');
    assert.match(r.message!, /^EXPECT mqtt:\/\/local\/be-expect-\d+\/never: No message arrived on be-expect-\d+\/never within 300 ms/);
    assert.equal(r.expectations[1]!.result.passed, true, 'EXPECT NONE held');
  });

  it('counts only its own subscription when the topic tree subscribes to # on the same connection (MQTT 5 subscription identifier)', async () => {
    const tree = new MqttConnection({ id: 'tree', kind: 'mqtt', name: 'local', host: '127.0.0.1', port: 1883, subscriptions: [{ filter: '#', qos: 0 }] });
    assert.equal((await tree.connect()).kind, 'connected');
    try {
      const f = parseMessageFile(`PUBLISH mqtt://local/${prefix}/once\nQoS: 1\n\none\n\nEXPECT mqtt://local/${prefix}/#\nWithin: 1s\nCount: exactly 1\n`);
      const r = await runBlockTest(f, f.blocks[0]!, env, { ...options, connection: async () => tree });
      assert.equal(r.outcome, 'passed', r.message);
      assert.equal(r.expectations[0]!.result.received.length, 1, 'the copy for # is not counted');
      assert.equal(r.expectations[0]!.result.received[0]!.qos, 1);
    } finally {
      await tree.dispose();
    }
  });

  it('never counts a retained message the topic already held (MQTT 5 retain handling 2), however fast it comes', async () => {
    const holder = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    try {
      await holder.publishAsync(`${prefix}/held/status`, 'old', { qos: 1, retain: true });
      const f = parseMessageFile(`PUBLISH mqtt://local/${prefix}/held/cmd\n\nping\n\nEXPECT NONE mqtt://local/${prefix}/held/#\nWithin: 500ms\n`);
      for (let i = 0; i < 5; i++) {
        const r = await runBlockTest(f, f.blocks[0]!, env, options);
        // The block's own PUBLISH matches the filter: only it may arrive, the retained one never.
        const topics = r.expectations[0]!.result.received.map((m) => m.topic);
        assert.ok(!topics.includes(`${prefix}/held/status`), `run ${i}: the retained message was counted (${topics.join(', ')})`);
      }
    } finally {
      await holder.publishAsync(`${prefix}/held/status`, '', { qos: 1, retain: true });
      await holder.endAsync();
    }
  });

  it('an aborted run stops waiting and says cancelled', async () => {
    const f = parseMessageFile(`PUBLISH mqtt://local/${prefix}/quiet\n\nx\n\nEXPECT mqtt://local/${prefix}/never\nWithin: 10s\n`);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const r = await runBlockTest(f, f.blocks[0]!, env, { ...options, signal: ac.signal });
    assert.equal(r.outcome, 'cancelled');
    assert.ok(Date.now() - started < 5000);
  });
});
