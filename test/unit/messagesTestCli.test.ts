// broker-messages-test against the real Mosquitto: a passing and a failing block, JUnit XML read
// back by an XML parser, exit codes 0 / 1 / 2, secrets from BROKER_EXPLORER_PASSWORD_<CONNECTION>.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import mqtt from 'mqtt';
import { passwordVariable, runTestCli } from '../../src/cli/messagesTest';

describe('broker-messages-test (real Mosquitto)', function () {
  this.timeout(30_000);
  const prefix = `be-cli-${process.pid}`;
  let dir: string;
  let responder: mqtt.MqttClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'be-cli-'));
    mkdirSync(join(dir, '.vscode'));
    writeFileSync(join(dir, '.vscode/brokers.json'), JSON.stringify({ brokers: [{ name: 'local', kind: 'mqtt', host: '127.0.0.1', port: 1883 }] }));
    mkdirSync(join(dir, 'tests'));
    writeFileSync(
      join(dir, 'tests/ping.mqtt'),
      [
        '### ping answers ok',
        `PUBLISH mqtt://local/${prefix}/cmd`,
        'QoS: 1',
        '',
        '{"cmd": "ping"}',
        '',
        `EXPECT mqtt://local/${prefix}/ack`,
        'Within: 2s',
        'Assert: $.status == "ok"',
        '',
        '### reboot answers ok (it does not)',
        `PUBLISH mqtt://local/${prefix}/cmd`,
        '',
        '{"cmd": "reboot"}',
        '',
        `EXPECT mqtt://local/${prefix}/ack`,
        'Within: 1s',
        'Assert: $.status == "ok"',
        '',
      ].join('\n'),
    );
    responder = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await responder.subscribeAsync(`${prefix}/cmd`, { qos: 1 });
    responder.on('message', (_t, payload) => {
      const { cmd } = JSON.parse(payload.toString()) as { cmd: string };
      void responder.publishAsync(`${prefix}/ack`, JSON.stringify({ status: cmd === 'ping' ? 'ok' : 'unknown' }));
    });
  });
  after(async () => {
    await responder?.endAsync();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args: string[], env: Record<string, string> = {}) => {
    let out = '';
    let err = '';
    const code = await runTestCli(args, { cwd: dir, env, out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  };

  it('reports JUnit XML that an XML parser reads: one pass, one failure with expected and actual; exit 1', async () => {
    const r = await run(['--reporter', 'junit', 'tests/ping.mqtt']);
    assert.equal(r.code, 1, r.err);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.out) as {
      testsuites: { tests: string; failures: string; testsuite: { name: string; testcase: { name: string; line: string; failure?: { message: string; '#text': string } }[] } };
    };
    assert.equal(doc.testsuites.tests, '2');
    assert.equal(doc.testsuites.failures, '1');
    const [pass, fail] = doc.testsuites.testsuite.testcase;
    assert.equal(pass!.name, 'ping answers ok');
    assert.equal(pass!.failure, undefined);
    assert.equal(fail!.name, 'reboot answers ok (it does not)');
    assert.equal(fail!.line, '12');
    assert.match(fail!.failure!.message, /Closest message .*expected \$\.status == "ok", got \$\.status = "unknown"/);
    assert.match(fail!.failure!['#text'], /expected:\n\$\.status == "ok"\nactual:\n\$\.status = "unknown"/);
  });

  it('pretty output marks each test and ends with the counts', async () => {
    const r = await run(['tests/ping.mqtt']);
    assert.equal(r.code, 1);
    assert.match(r.out, /✔ ping answers ok/);
    assert.match(r.out, /✘ reboot answers ok/);
    assert.match(r.out, /\n1 passed, 1 failed\n$/);
  });

  it('exit 2 when the run cannot start: unknown connection, unreachable broker, bad usage', async () => {
    writeFileSync(join(dir, 'tests/other.mqtt'), 'PUBLISH mqtt://nowhere/x\n\n1\n\nEXPECT mqtt://nowhere/y\n');
    const unknown = await run(['tests/other.mqtt']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no MQTT connection named "nowhere" in the brokers file \(known: local\)/);
    const brokers = join(dir, 'down.json');
    writeFileSync(brokers, JSON.stringify({ brokers: [{ name: 'local', kind: 'mqtt', host: '127.0.0.1', port: 1 }] }));
    const down = await run(['--brokers', brokers, 'tests/ping.mqtt']);
    assert.equal(down.code, 2);
    assert.match(down.err, /could not connect to "local": Connection refused/);
    assert.equal((await run(['--reporter', 'xml', 'tests/ping.mqtt'])).code, 2);
    assert.equal((await run([])).code, 2);
  });

  it('names password variables the way every command-line entry point does', () => {
    assert.equal(passwordVariable('local'), 'BROKER_EXPLORER_PASSWORD_LOCAL');
    assert.equal(passwordVariable('plant-a.broker 2'), 'BROKER_EXPLORER_PASSWORD_PLANT_A_BROKER_2');
  });
});
