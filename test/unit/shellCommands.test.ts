import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import type { PublishDraft } from '../../src/core/protocol/publish';
import { mosquittoPubCommand, printfBytes, rabbitmqadminPublishCommand } from '../../src/core/publish/shellCommands';
import { envReference, quoteWord, shellKindOf, ShellQuoteError } from '../../src/core/format/shellQuote';

const shellQuote = (w: string): string => quoteWord(w, 'posix');
/** Words that break naive quoting: quotes of every kind, $(), backticks, backslashes, % and !, line breaks, unicode. */
const HOSTILE = ["it's", '$HOME', '$(id)', '`id`', 'a\nb', 'tab\there', '"\\', "''", '\\\'', '100% !x ^&|<>', 'é 🌡', ' lead and trail ', '*?[a]{b,c}~', '#comment', ';rm -rf /', "‘typo’ quotes"];

const local = { host: '127.0.0.1', port: 1883 };
const draft = (payload: string, format: PublishDraft['format'], mqttPart: Partial<NonNullable<PublishDraft['mqtt']>> = {}): PublishDraft => ({
  payload,
  format,
  mqtt: { topic: 'a/b', qos: 0, retain: false, ...mqttPart },
});

describe('format: shell commands', () => {
  it('single-quotes for POSIX sh', () => {
    assert.equal(shellQuote('plain/topic-1'), 'plain/topic-1');
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote('$HOME `x` "y"'), `'$HOME \`x\` "y"'`);
    for (const w of ["it's", '$HOME', 'a\nb', '"\\', "''", 'é 🌡']) {
      assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(w)}`], { encoding: 'utf8' }), w);
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.deepEqual(new Uint8Array(execFileSync('sh', ['-c', `printf ${printfBytes(all)}`])), all);
  });

  it('passes every hostile word byte for byte through sh -c and bash -c', () => {
    for (const sh of ['sh', 'bash']) {
      for (const w of HOSTILE) {
        assert.equal(execFileSync(sh, ['-c', `printf %s ${quoteWord(w, 'posix')}`], { encoding: 'utf8' }), w, `${sh}: ${JSON.stringify(w)}`);
      }
    }
  });

  it('passes every hostile word byte for byte through fish -c, and its printf writes any byte', function () {
    if (spawnSync('fish', ['--version']).status !== 0) {
      // .ci/run installs fish (Debian's package); without it this test is skipped, and says so.
      this.skip();
    }
    for (const w of HOSTILE) {
      assert.equal(execFileSync('fish', ['-c', `printf %s ${quoteWord(w, 'fish')}`], { encoding: 'utf8' }), w, JSON.stringify(w));
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.deepEqual(new Uint8Array(execFileSync('fish', ['-c', `printf ${printfBytes(all)}`])), all);
  });

  it('quotes for PowerShell and cmd as their documentation says (neither can run here: a table of known-correct quotings)', () => {
    const table: [string, string, string][] = [
      // word, PowerShell, cmd
      ['plain/topic-1', 'plain/topic-1', 'plain/topic-1'],
      ["it's", "'it''s'", '"it\'s"'],
      ['$HOME', "'$HOME'", '"$HOME"'],
      ['say "hi"', `'say "hi"'`, '"say \\"hi\\""'],
      ['C:\\dir\\', "'C:\\dir\\'", '"C:\\dir\\\\"'],
      ['100%', "'100%'", '"100"^%""'],
      ['a & b | c', "'a & b | c'", '"a & b | c"'],
      ['‘typo’', "'‘‘typo’’'", '"‘typo’"'],
      ['line\nbreak', "'line\nbreak'", ''],
      ['', "''", '""'],
    ];
    for (const [word, ps, cmd] of table) {
      assert.equal(quoteWord(word, 'powershell'), ps, `PowerShell: ${JSON.stringify(word)}`);
      if (cmd) {
        assert.equal(quoteWord(word, 'cmd'), cmd, `cmd: ${JSON.stringify(word)}`);
      } else {
        assert.throws(() => quoteWord(word, 'cmd'), ShellQuoteError, 'cmd cannot pass a line break');
      }
    }
    assert.deepEqual(['posix', 'fish', 'powershell', 'cmd'].map((k) => envReference('MQTT_PASSWORD', k as 'posix')), ['"$MQTT_PASSWORD"', '"$MQTT_PASSWORD"', '$env:MQTT_PASSWORD', '"%MQTT_PASSWORD%"']);
  });

  it('refuses NUL in every shell, and names the shell from the terminal path', () => {
    for (const k of ['posix', 'fish', 'powershell', 'cmd'] as const) {
      assert.throws(() => quoteWord('a\u0000b', k), ShellQuoteError);
    }
    assert.deepEqual(
      ['/bin/bash', '/usr/bin/zsh', '/usr/bin/fish', 'C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'powershell.exe', 'C:\\Windows\\System32\\cmd.exe', undefined].map(shellKindOf),
      ['posix', 'posix', 'fish', 'powershell', 'powershell', 'cmd', 'posix'],
    );
  });

  it('builds the same mosquitto_pub command for fish that fish runs as sh runs it for sh', () => {
    const d: PublishDraft = { payload: "it's $HOME `x`\nline 2", format: 'text', mqtt: { topic: "a/'b'/c", qos: 1, retain: false } };
    const posix = mosquittoPubCommand({ host: 'h', port: 1883, username: 'u s' }, d, 'posix');
    const fish = mosquittoPubCommand({ host: 'h', port: 1883, username: 'u s' }, d, 'fish');
    // Replace the program by one that prints its arguments: both shells must pass the same words.
    const args = (shell: string, command: string) => execFileSync(shell, ['-c', command.replace(/^mosquitto_pub /, 'printf "[%s]" ')], { encoding: 'utf8', env: { ...process.env, MQTT_PASSWORD: 'pw' } });
    const expected = args('sh', posix);
    assert.match(expected, /\[-m\]\[it's \$HOME `x`\nline 2\]/);
    if (spawnSync('fish', ['--version']).status === 0) {
      assert.equal(args('fish', fish), expected);
    }
  });

  it('builds a mosquitto_pub command with options, properties and no password', () => {
    const cmd = mosquittoPubCommand({ ...local, username: 'sensor', mqttVersion: 5 }, draft('{"t": 1}', 'json', { topic: "it's/here", qos: 1, retain: true, contentType: 'application/json', messageExpiryInterval: 60, userProperties: [{ key: 'k 1', value: 'v' }] }));
    assert.equal(
      cmd,
      `mosquitto_pub -h 127.0.0.1 -p 1883 -u sensor -P "$MQTT_PASSWORD" -V mqttv5 -t 'it'\\''s/here' -q 1 -r -D publish content-type application/json -D publish message-expiry-interval 60 -D publish user-property 'k 1' v -m '{"t": 1}'`,
    );
    assert.equal(mosquittoPubCommand({ ...local, mqttVersion: 4 }, draft('', 'text')), 'mosquitto_pub -h 127.0.0.1 -p 1883 -V mqttv311 -t a/b -q 0 -n');
    assert.match(mosquittoPubCommand({ ...local, mqttVersion: 4 }, draft('x', 'text', { contentType: 'a' })), /^# MQTT 3\.1\.1 has no message properties.*\nmosquitto_pub .* -V mqttv311 -t a\/b -q 0 -m x$/);
    assert.match(mosquittoPubCommand({ host: 'h', port: 8883, protocol: 'mqtts', caFile: '/etc/ca.crt' }, draft('x', 'text')), / --cafile \/etc\/ca\.crt /);
    assert.match(mosquittoPubCommand({ host: 'h', port: 8883, protocol: 'mqtts' }, draft('x', 'text')), / --tls-use-os-certs /);
    assert.match(mosquittoPubCommand({ host: 'h', port: 9001, protocol: 'ws' }, draft('x', 'text')), /^# mosquitto_pub cannot connect over WebSockets/);
    assert.equal(mosquittoPubCommand(local, draft('00 ff', 'hex')), `printf '\\000\\377' | mosquitto_pub -h 127.0.0.1 -p 1883 -t a/b -q 0 -s`);
    const tricky = mosquittoPubCommand({ ...local, username: 'u' }, draft("a'b\n$x `y`", 'text'));
    assert.equal(spawnSync('sh', ['-n', '-c', tricky]).status, 0, tricky);
  });

  it('builds a rabbitmqadmin publish command', () => {
    const d: PublishDraft = {
      payload: "it's",
      format: 'text',
      amqp: { exchange: '', routingKey: 'q 1', mandatory: false, contentType: 'text/plain', deliveryMode: 2, priority: 3, headers: [{ key: 'h', value: "o'k" }] },
    };
    assert.equal(
      rabbitmqadminPublishCommand({ host: 'localhost', vhost: '/', username: 'guest' }, d),
      `rabbitmqadmin -H localhost -P 15672 -V / -u guest -p "$RABBITMQ_PASSWORD" publish exchange=amq.default 'routing_key=q 1' 'payload=it'\\''s' 'properties={"content_type":"text/plain","delivery_mode":2,"priority":3,"headers":{"h":"o'\\''k"}}'`,
    );
    const bin = rabbitmqadminPublishCommand({ host: 'h', managementPort: 15673, vhost: 'v' }, { payload: '00ff', format: 'hex', amqp: { exchange: 'x', routingKey: 'k', mandatory: false } });
    assert.equal(bin, 'rabbitmqadmin -H h -P 15673 -V v publish exchange=x routing_key=k payload=AP8= payload_encoding=base64');
  });
});

describe('format: mosquitto_pub commands against the shared Mosquitto (127.0.0.1:1883)', function () {
  this.timeout(20_000);
  let client: mqtt.MqttClient;
  const base = `test/format/${randomBytes(6).toString('hex')}`;

  before(async function () {
    if (spawnSync('sh', ['-c', 'command -v mosquitto_pub'], { stdio: 'ignore' }).status !== 0) {
      this.skip();
    }
    client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000 });
    await client.subscribeAsync(`${base}/#`, { qos: 1 });
  });
  after(async () => {
    await client?.endAsync();
  });

  /** Runs the generated command with sh and resolves with what the broker delivered. */
  function send(d: PublishDraft, target: Parameters<typeof mosquittoPubCommand>[0] = local): Promise<{ topic: string; payload: Buffer; packet: mqtt.IPublishPacket }> {
    const cmd = mosquittoPubCommand(target, d);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing received for: ${cmd}`)), 8000);
      const onMessage = (topic: string, payload: Buffer, packet: mqtt.IPublishPacket) => {
        if (topic === d.mqtt!.topic) {
          clearTimeout(timer);
          client.off('message', onMessage);
          resolve({ topic, payload, packet });
        }
      };
      client.on('message', onMessage);
      const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', timeout: 8000 });
      if (r.status !== 0) {
        clearTimeout(timer);
        client.off('message', onMessage);
        reject(new Error(`${cmd}\nexited ${r.status}: ${r.stderr}`));
      }
    });
  }

  it('delivers text with quotes, spaces, $, backticks, newlines and unicode exactly', async () => {
    const text = `it's "quoted" $HOME \`id\` \\n back\\slash\nline 2 🌡 %s %%`;
    const m = await send(draft(text, 'text', { topic: `${base}/it's a $topic` }));
    assert.equal(m.payload.toString('utf8'), text);
  });

  it('delivers binary bytes (NUL, 0xff, quotes) exactly', async () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    const m = await send({ payload: Buffer.from(all).toString('base64'), format: 'base64', mqtt: { topic: `${base}/bin`, qos: 1, retain: false } });
    assert.deepEqual(new Uint8Array(m.payload), all);
  });

  it('sends MQTT 5 properties that arrive as set', async () => {
    const m = await send(
      draft('{"a": 1}', 'json', {
        topic: `${base}/props`,
        qos: 1,
        contentType: 'application/json',
        payloadFormatIndicator: true,
        responseTopic: `${base}/reply`,
        correlationData: "id 'x'",
        messageExpiryInterval: 120,
        userProperties: [{ key: 'k 1', value: "v '$2'" }],
      }),
      { ...local, mqttVersion: 5 },
    );
    const p = m.packet.properties ?? {};
    assert.equal(p.contentType, 'application/json');
    assert.equal(p.payloadFormatIndicator, true);
    assert.equal(p.responseTopic, `${base}/reply`);
    assert.equal(Buffer.from(p.correlationData ?? []).toString(), "id 'x'");
    assert.ok(p.messageExpiryInterval !== undefined && p.messageExpiryInterval <= 120);
    assert.deepEqual({ ...p.userProperties }, { 'k 1': "v '$2'" });
    assert.equal(m.payload.toString(), '{"a": 1}');
  });
});
