// Captures in message files (`{{login.response.$.token}}`): the grammar, the diagnostics as you type,
// reading the value, the blocks that must run first, and a login-like request/response against the
// real Mosquitto on 127.0.0.1:1883 where the second block sends the token the first one received.
import assert from 'node:assert/strict';
import type { BrokerConnection } from '../../src/core/brokers/connection';
import { captureDependencies, evaluateCapture, type BlockCapture } from '../../src/core/messageFiles/captures';
import { checkMessageFile } from '../../src/core/messageFiles/check';
import { parseMessageFile } from '../../src/core/messageFiles/parser';
import { resolveBlock, resolveExpectations } from '../../src/core/messageFiles/resolve';
import { fileRun, runBlockTest } from '../../src/core/messageFiles/run';
import { scanTemplate } from '../../src/core/messageFiles/template';
import { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import { sendDraft } from '../../src/core/publish/publish';
import { loginMessageFile, startLoginResponder, testResolveEnv } from '../support/messageFiles';

const context = { connections: [{ name: 'local', kind: 'mqtt' as const }] };
const problems = (text: string) => {
  const f = parseMessageFile(text);
  return [...f.problems, ...checkMessageFile(f, context)].map((p) => `${p.line}:${p.code}`);
};
const captured = (payload: string, topic = 't'): BlockCapture => ({ outcome: 'passed', message: { topic, payload: new TextEncoder().encode(payload) } });

const LOGIN = ['### login', 'PUBLISH mqtt://local/auth/login', 'Response-Topic: auto', '', '{"user": "ada"}', '', 'EXPECT mqtt://local', 'Assert: exists $.token', ''];

describe('message files: captures (grammar and diagnostics)', () => {
  it('reads {{NAME.response.$…}}, .body and .topic as captures; a block name may contain dots', () => {
    const parts = scanTemplate('a {{login.response.$.token}} {{ login.response.body }} {{v1.login.response.topic}} {{login.response.$[?@.k == "x"].v}}');
    const caps = parts.filter((p) => p.kind === 'capture');
    assert.deepEqual(
      caps.map((p) => (p.kind === 'capture' ? `${p.block}:${p.field.kind}:${p.field.kind === 'path' ? p.field.path : ''}` : '')),
      ['login:path:$.token', 'login:body:', 'v1.login:topic:', 'login:path:$[?@.k == "x"].v'],
    );
    assert.equal(parts.filter((p) => p.kind === 'bad').length, 0);
  });

  it('says how to write a capture that reads no field', () => {
    const [bad] = scanTemplate('{{login.response.headers}}');
    assert.equal(bad!.kind, 'bad');
    assert.match(bad!.kind === 'bad' ? bad!.message : '', /login\.response\.body \(the payload\), login\.response\.topic or login\.response\.\$\.path/);
    assert.deepEqual(problems('PUBLISH mqtt://local/a\n\n{{login.response}}\n'), ['2:bad-capture']);
  });

  it('a capture of an earlier block with an expectation is fine, in the body, headers, expectations and variables', () => {
    const text = [
      ...LOGIN,
      '### profile',
      '@token = {{login.response.$.token}}',
      'PUBLISH mqtt://local/auth/profile',
      'User-Property: token={{login.response.$.token}}',
      'Content-Type: application/json',
      '',
      '{"token": "{{token}}", "n": {{login.response.$.n}}}',
      '',
      'EXPECT mqtt://local/auth/+/{{login.response.$.user}}',
      'Assert: $.user == "{{login.response.$.user}}"',
    ].join('\n');
    assert.deepEqual(problems(text), []);
  });

  it('a capture of a block that does not exist, comes later, is this block or has no expectation is a diagnostic as you type', () => {
    const f = parseMessageFile(
      [
        ...LOGIN,
        '### send',
        'PUBLISH mqtt://local/a',
        '',
        '{{logn.response.$.token}} {{later.response.body}} {{send.response.body}} {{plain.response.body}} {{silent.response.body}} {{login.response.$[}}',
        '',
        'EXPECT mqtt://local/b',
        '',
        '### later',
        'PUBLISH mqtt://local/c',
        '',
        'x',
        '',
        'EXPECT mqtt://local/d',
        '',
        '### plain',
        'PUBLISH mqtt://local/e',
        '',
        '### silent',
        'PUBLISH mqtt://local/f',
        '',
        'EXPECT NONE mqtt://local/g',
      ].join('\n'),
    );
    const found = checkMessageFile(f, context).filter((p) => p.line === 12);
    assert.deepEqual(
      found.map((p) => p.code),
      ['unknown-capture', 'capture-order', 'capture-order', 'capture-without-expect', 'capture-without-expect', 'bad-capture'],
    );
    assert.match(found[0]!.message, /No block is named "logn" — did you mean "login"\?/);
    assert.equal(found[0]!.suggestion, 'login');
    assert.match(found[1]!.message, /Block "later" comes later in the file \(line 18\): blocks run in file order/);
    assert.match(found[2]!.message, /cannot capture its own response/);
    assert.match(found[3]!.message, /Block "plain" has no EXPECT/);
    assert.match(found[4]!.message, /only has EXPECT NONE/);
    assert.match(found[5]!.message, /Not a JSON path/);
    assert.equal(found[0]!.severity, 'error');
  });

  it('a capture through a variable used by a block above the captured one is reported where the variable is used', () => {
    const f = parseMessageFile(['@token = {{login.response.$.token}}', '### first', 'PUBLISH mqtt://local/a', '', '{{token}}', '', 'EXPECT mqtt://local/b', '', ...LOGIN].join('\n'));
    const [p, ...rest] = checkMessageFile(f, context);
    assert.deepEqual(rest, []);
    assert.equal(`${p!.line}:${p!.start}:${p!.end}:${p!.code}`, '4:0:9:capture-order');
    assert.match(p!.message, /through the variable "token"/);
  });

  it('a JSON body with a capture is checked as JSON with a stand-in value', () => {
    const base = [...LOGIN, '### p', 'PUBLISH mqtt://local/a', 'Content-Type: application/json', ''];
    assert.deepEqual(problems([...base, '{"t": "{{login.response.$.token}}", "n": {{login.response.$.n}}}', '', 'EXPECT mqtt://local/b'].join('\n')), []);
    assert.deepEqual(problems([...base, '{"t": {{login.response.$.token}}"}', '', 'EXPECT mqtt://local/b'].join('\n')), ['13:invalid-json']);
  });
});

describe('message files: captures (values and order)', () => {
  const ref = (text: string) => {
    const p = scanTemplate(text)[0]!;
    if (p.kind !== 'capture') {
      throw new Error(`${text} is no capture`);
    }
    return p;
  };

  it('a string is put in as it is, other JSON values as JSON; body and topic as text', () => {
    const caps = new Map([['login', captured('{"token": "abc", "n": 2, "o": {"a": [1]}, "list": [1, 2]}', 'auth/reply')]]);
    assert.equal(evaluateCapture(ref('{{login.response.$.token}}'), caps), 'abc');
    assert.equal(evaluateCapture(ref('{{login.response.$.n}}'), caps), '2');
    assert.equal(evaluateCapture(ref('{{login.response.$.o}}'), caps), '{"a":[1]}');
    assert.equal(evaluateCapture(ref('{{login.response.$.list[1]}}'), caps), '2');
    assert.equal(evaluateCapture(ref('{{login.response.body}}'), caps), '{"token": "abc", "n": 2, "o": {"a": [1]}, "list": [1, 2]}');
    assert.equal(evaluateCapture(ref('{{login.response.topic}}'), caps), 'auth/reply');
  });

  it('says why a capture has no value: not run, nothing matched, not JSON, not exactly one value', () => {
    const msg = (v: unknown) => (typeof v === 'object' && v !== null && 'message' in v ? (v as { message: string }).message : String(v));
    assert.match(msg(evaluateCapture(ref('{{login.response.$.token}}'), new Map())), /Block "login" has not run in this run/);
    assert.match(msg(evaluateCapture(ref('{{login.response.$.token}}'), new Map([['login', { outcome: 'failed' }]]))), /Block "login" captured no message \(its test failed\)/);
    assert.match(msg(evaluateCapture(ref('{{login.response.$.token}}'), new Map([['login', captured('plain text')]]))), /not JSON, so \$\.token cannot be read/);
    assert.match(msg(evaluateCapture(ref('{{login.response.$.missing}}'), new Map([['login', captured('{}')]]))), /\$\.missing selects nothing in the response of "login"/);
    assert.match(msg(evaluateCapture(ref('{{login.response.$.*}}'), new Map([['login', captured('{"a":1,"b":2}')]]))), /selects 2 values/);
  });

  it('resolving a block substitutes captures in the message and its expectations; without them it says which block must run', () => {
    const f = parseMessageFile([...LOGIN, '### p', 'PUBLISH mqtt://local/a/{{login.response.$.user}}', '', '{"t": "{{login.response.$.token}}"}', '', 'EXPECT mqtt://local/b', 'Assert: $.t == "{{login.response.$.token}}"'].join('\n'));
    const b = f.blocks[1]!;
    const captures = new Map([['login', captured('{"token": "tk-1", "user": "ada"}')]]);
    const r = resolveBlock(f, b, { ...testResolveEnv, captures });
    assert.ok(!('error' in r), JSON.stringify(r));
    assert.equal(r.draft!.mqtt!.topic, 'a/ada');
    assert.equal(r.draft!.payload, '{"t": "tk-1"}');
    const e = resolveExpectations(f, b, { ...testResolveEnv, captures });
    assert.ok(Array.isArray(e));
    assert.deepEqual(e[0]!.assertions[0], { kind: 'compare', path: '$.t', op: '==', expected: 'tk-1', text: '$.t == "tk-1"' });
    const missing = resolveBlock(f, b, testResolveEnv);
    assert.ok('error' in missing);
    assert.match(missing.error, /^Line 11: Block "login" has not run in this run/);
  });

  it('the blocks to run first: earlier captured blocks and theirs, in file order; never later ones', () => {
    const f = parseMessageFile(
      [
        ...LOGIN,
        '### session',
        'PUBLISH mqtt://local/s',
        '',
        '{{login.response.$.token}}',
        '',
        'EXPECT mqtt://local/s2',
        '',
        '### unrelated',
        'PUBLISH mqtt://local/u',
        '',
        'EXPECT mqtt://local/u',
        '',
        '### order',
        '@sid = {{session.response.body}}',
        'PUBLISH mqtt://local/o',
        '',
        '{{sid}} {{later.response.body}}',
        '',
        'EXPECT mqtt://local/o',
        '',
        '### later',
        'PUBLISH mqtt://local/l',
        '',
        'EXPECT mqtt://local/l',
      ].join('\n'),
    );
    const [login, session, , order] = f.blocks;
    assert.deepEqual(captureDependencies(f, order!).map((b) => b.name), ['login', 'session']);
    assert.deepEqual(captureDependencies(f, session!).map((b) => b.name), ['login']);
    assert.deepEqual(captureDependencies(f, login!), []);
  });
});

describe('message files: captures against the real Mosquitto', function () {
  this.timeout(20_000);
  const prefix = `be-capture-${process.pid}`;
  let conn: MqttConnection;
  let responder: Awaited<ReturnType<typeof startLoginResponder>>;
  const options = { connection: async (): Promise<BrokerConnection> => conn, send: sendDraft, defaultWithinMs: 2000 };

  before(async () => {
    conn = new MqttConnection({ id: 'capture', kind: 'mqtt', name: 'local', host: '127.0.0.1', port: 1883, subscriptions: [] });
    assert.equal((await conn.connect()).kind, 'connected');
    responder = await startLoginResponder(prefix);
  });
  after(async () => {
    await responder?.stop();
    await conn?.dispose();
  });

  const text = (profileExpect: string) => loginMessageFile(prefix, ['Assert: exists $.token'], [profileExpect]);

  it('running the second block alone runs the login first and sends the token it received', async () => {
    const f = parseMessageFile(text('Assert: $.authorized == true'));
    assert.deepEqual(checkMessageFile(f, context), []);
    const order: string[] = [];
    const fr = fileRun(f, testResolveEnv, options, { started: (b, dependency) => order.push(`${b.name}${dependency ? ' (first)' : ''}`) });
    const r = await fr.run(f.blocks[1]!);
    assert.equal(r.outcome, 'passed', r.message);
    assert.deepEqual(order, ['login (first)', 'profile']);
    const token = new TextDecoder().decode(fr.captures.get('login')!.message!.payload);
    assert.match(token, /"token":"tk-/);
    const sent = JSON.parse(new TextDecoder().decode(r.capture!.payload)) as { token: string };
    assert.equal(sent.token, (JSON.parse(token) as { token: string }).token, 'the token sent is the one login received');
    // Asking again in the same run gives the same result: login does not run twice.
    await fr.run(f.blocks[0]!);
    assert.deepEqual(order, ['login (first)', 'profile']);
  });

  it('a captured value in an expectation is compared; a wrong one fails with the diff', async () => {
    const f = parseMessageFile(text('Assert: $.token == "{{login.response.$.user}}"'));
    const fr = fileRun(f, testResolveEnv, options);
    const r = await fr.run(f.blocks[1]!);
    assert.equal(r.outcome, 'failed');
    assert.match(r.expectations[0]!.result.expected!, /\$\.token == "ada"/);
  });

  it('when the login captures nothing, the next block errors and says why; run alone without a file run it says which block must run', async () => {
    const f = parseMessageFile(text('Assert: $.authorized == true').replace('Assert: exists $.token', 'Assert: exists $.nothing\nWithin: 500ms'));
    const fr = fileRun(f, testResolveEnv, options);
    const r = await fr.run(f.blocks[1]!);
    assert.equal(r.outcome, 'errored');
    assert.match(r.message!, /Block "login" captured no message \(its test failed\)/);
    const alone = await runBlockTest(f, f.blocks[1]!, testResolveEnv, options);
    assert.equal(alone.outcome, 'errored');
    assert.match(alone.message!, /Block "login" has not run in this run/);
  });
});
