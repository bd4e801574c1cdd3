// examples/ runs green from the command line against the local brokers, as the README says:
// `cd examples && broker-messages-test *.mqtt *.amqp` — the built dist/broker-messages-test.js in a
// process of its own, the examples' responder in another (stopped by PID), JUnit read back by an
// XML parser. Without the responder the request/response tests fail and say so.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseMessageFile } from '../../src/core/messageFiles/parser';

const ROOT = join(__dirname, '../../..');
const EXAMPLES = join(ROOT, 'examples');
const CLI = join(ROOT, 'dist/broker-messages-test.js');

function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: EXAMPLES, env: { ...process.env, BROKER_EXPLORER_PASSWORD_LOCAL_RABBIT: 'guest' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('examples/ from the command line (real Mosquitto and RabbitMQ)', function () {
  this.timeout(60_000);
  const files = readdirSync(EXAMPLES).filter((f) => /\.(mqtt|amqp)$/.test(f));
  let responder: ChildProcess | undefined;

  after(() => {
    if (responder?.pid && responder.exitCode === null) {
      process.kill(responder.pid, 'SIGTERM');
    }
  });

  it('every example file is clean and has tests', () => {
    assert.ok(files.includes('weather.mqtt') && files.includes('logs.amqp') && files.includes('request-response.mqtt') && files.includes('request-response.amqp') && files.includes('login.mqtt'), files.join(', '));
    for (const f of files) {
      const parsed = parseMessageFile(readFileSync(join(EXAMPLES, f), 'utf8'));
      assert.deepEqual(parsed.problems, [], f);
      assert.ok(parsed.blocks.some((b) => b.expectations.length > 0), `${f} has a test`);
    }
  });

  it('runs green with the responder: exit 0, JUnit with every test passed', async () => {
    assert.ok(existsSync(CLI), 'the CLI is built (npm run build)');
    responder = spawn(process.execPath, ['responder.mjs'], { cwd: EXAMPLES, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      responder!.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      responder!.on('exit', (code) => reject(new Error(`the responder exited (${code})`)));
    });
    const r = await runCli(['--reporter', 'junit', ...files]);
    assert.equal(r.code, 0, r.out + r.err);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.out) as { testsuites: { tests: string; failures: string; errors: string } };
    assert.equal(xml.testsuites.failures, '0');
    assert.equal(xml.testsuites.errors, '0');
    assert.equal(Number(xml.testsuites.tests), 7);
    // login.mqtt: "profile" sent the token "login" captured, and the responder accepted it.
    assert.match(r.out, /<testcase classname="login\.mqtt" name="profile"[^>]*\/>/);
    const pid = responder.pid!;
    const exited = new Promise((res) => responder!.once('exit', res));
    process.kill(pid, 'SIGTERM');
    await exited;
  });

  it('without the responder the request/response tests fail, in words', async () => {
    const r = await runCli(['request-response.mqtt', 'weather.mqtt']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /✘ the thermostat answers a setpoint request/);
    assert.match(r.out, /No message arrived on broker-explorer\/replies\/[0-9a-f-]{36} within 2 s/);
    assert.match(r.out, /2 passed, 1 failed/);
  });
});

describe('message files: request/response (grammar)', () => {
  const codes = (text: string) => parseMessageFile(text).problems.map((p) => `${p.line}:${p.code}`);
  it('an EXPECT without topic (or without Queue/Exchange) is the reply of Response-Topic: auto / Reply-To: auto', () => {
    assert.deepEqual(codes('PUBLISH mqtt://local/req\nResponse-Topic: auto\n\nx\n\nEXPECT mqtt://local\nAssert: $.ok == true\n'), []);
    assert.deepEqual(codes('PUBLISH amqp://rabbit/\nRouting-Key: rpc\nReply-To: auto\n\nx\n\nEXPECT amqp://rabbit\nWithin: 1s\n'), []);
    assert.deepEqual(codes('PUBLISH mqtt://local/req\n\nx\n\nEXPECT mqtt://local\n'), ['4:missing-target'], 'without auto a topic is needed');
    assert.deepEqual(codes('PUBLISH amqp://rabbit/\nRouting-Key: rpc\n\nx\n\nEXPECT amqp://rabbit\n'), ['5:expect-amqp-source']);
  });
});
