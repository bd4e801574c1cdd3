import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AmqpProfile, MqttProfile } from '../../src/core/brokers/profile';
import { NO_SECRETS_MESSAGE, slug, workspaceProfileId } from '../../src/core/brokers/brokersJsonEntry';
import { stripJsonc } from '../../src/core/brokers/jsonc';
import { parseWorkspaceBrokers } from '../../src/core/brokers/workspaceBrokers';

const folder = { path: join('/', 'home', 'dev', 'project'), name: 'project' };

function parse(brokers: unknown[]) {
  return parseWorkspaceBrokers(JSON.stringify({ brokers }), folder);
}

describe('workspace brokers (.vscode/brokers.json)', () => {
  describe('stripJsonc', () => {
    it('removes line and block comments and trailing commas, not inside strings', () => {
      const text = `{
        // a comment
        "url": "http://host/path", /* block
        comment */ "glob": "a/*b*/c",
        "quote": "say \\"//hi\\"",
        "list": [1, 2, ],
      }`;
      assert.deepEqual(JSON.parse(stripJsonc(text)), { url: 'http://host/path', glob: 'a/*b*/c', quote: 'say "//hi"', list: [1, 2] });
    });

    it('keeps line breaks so errors point at the right line', () => {
      const text = '{\n/* one\ntwo */\n"a": 1\n}';
      assert.equal(stripJsonc(text).split('\n').length, text.split('\n').length);
    });

    it('keeps a comma inside a string before a closing bracket', () => {
      assert.deepEqual(JSON.parse(stripJsonc('{"a": ",]", "b": [",}"],}')), { a: ',]', b: [',}'] });
    });

    it('survives an unterminated comment or string (JSON.parse reports it)', () => {
      assert.throws(() => JSON.parse(stripJsonc('{"a": 1 /* open')));
      assert.throws(() => JSON.parse(stripJsonc('{"a": "open')));
    });
  });

  it('reads MQTT and AMQP brokers with defaults and marks them as workspace brokers', () => {
    const text = `// team brokers
    {
      "$schema": "../schemas/brokers.schema.json",
      "brokers": [
        { "name": "team mosquitto", "kind": "mqtt", "host": "127.0.0.1", "autoConnect": true, },
        { "name": "rabbit", "kind": "amqp", "host": "rabbit.internal", "username": "guest", "protocol": "amqps" },
        { "name": "ws", "kind": "mqtt", "host": "h", "protocol": "wss", "path": "/ws", "protocolVersion": 4, "keepalive": 30,
          "subscriptions": [{ "filter": "sensors/#" }, { "filter": "alarms/+", "qos": 1 }] },
      ],
    }`;
    const { profiles, problems } = parseWorkspaceBrokers(text, folder);
    assert.deepEqual(problems, []);
    assert.equal(profiles.length, 3);
    const [m, a, w] = profiles as [MqttProfile, AmqpProfile, MqttProfile];
    assert.deepEqual(
      { kind: m.kind, name: m.name, host: m.host, port: m.port, autoConnect: m.autoConnect, source: m.source },
      { kind: 'mqtt', name: 'team mosquitto', host: '127.0.0.1', port: 1883, autoConnect: true, source: { kind: 'workspace', folder: folder.path, name: 'project' } },
    );
    assert.equal(a.kind, 'amqp');
    assert.equal(a.port, 5671, 'amqps defaults to 5671');
    assert.equal(a.vhost, '/');
    assert.equal(a.username, 'guest');
    assert.equal(a.autoConnect, undefined);
    assert.equal(w.port, 8081, 'wss defaults to 8081');
    assert.deepEqual(w.subscriptions, [
      { filter: 'sensors/#', qos: 0 },
      { filter: 'alarms/+', qos: 1 },
    ]);
    assert.equal(w.protocolVersion, 4);
    assert.equal(w.keepalive, 30);
    assert.ok(!JSON.stringify(profiles).includes('password'));
  });

  it('gives stable ids from the folder path and the name', () => {
    const first = parse([{ name: 'Team Mosquitto', kind: 'mqtt', host: 'h' }]).profiles[0]!;
    const again = parse([{ name: 'Team Mosquitto', kind: 'mqtt', host: 'other', port: 1884 }]).profiles[0]!;
    assert.equal(first.id, again.id, 'changing settings keeps the id (and so the saved password)');
    assert.match(first.id, /^ws-[0-9a-f]{8}-team-mosquitto$/);
    assert.equal(first.id, workspaceProfileId(folder.path, 'Team Mosquitto'));
    assert.notEqual(workspaceProfileId('/other/folder', 'Team Mosquitto'), first.id, 'another folder, another id');
    assert.equal(slug('Café  Broker #2'), 'cafe-broker-2');
    assert.match(slug('日本'), /^[0-9a-f]{8}$/, 'a name without latin letters still gets a slug');
  });

  it('resolves relative TLS files against the folder and keeps absolute ones', () => {
    const abs = join('/', 'etc', 'ssl', 'ca.pem');
    const p = parse([{ name: 't', kind: 'mqtt', host: 'h', protocol: 'mqtts', tls: { caFile: abs, certFile: 'certs/client.pem', keyFile: '${workspaceFolder}/certs/client.key', verify: false, servername: 'broker' } }])
      .profiles[0] as MqttProfile;
    assert.equal(p.port, 8883);
    assert.deepEqual(p.tls, { caFile: abs, certFile: join(folder.path, 'certs', 'client.pem'), keyFile: join(folder.path, 'certs', 'client.key'), verify: false, servername: 'broker' });
  });

  it('reads caOnly, a PKCS#12 file and ALPN protocols; a pinned certificate is never taken from brokers.json', () => {
    const { profiles, problems } = parse([
      { name: 'p12', kind: 'mqtt', host: 'h', protocol: 'mqtts', tls: { caFile: 'ca.pem', caOnly: true, pfxFile: 'certs/client.p12', alpnProtocols: ['x-amzn-mqtt-ca'], pinned: { sha256: 'AA', pem: 'x' } } },
      { name: 'bad', kind: 'mqtt', host: 'h', protocol: 'mqtts', tls: { caOnly: 'yes', alpnProtocols: 'x-amzn-mqtt-ca' } },
    ]);
    assert.deepEqual((profiles[0] as MqttProfile).tls, { caFile: join(folder.path, 'ca.pem'), caOnly: true, pfxFile: join(folder.path, 'certs', 'client.p12'), alpnProtocols: ['x-amzn-mqtt-ca'] });
    assert.equal(profiles.length, 1);
    assert.ok(problems.some((p) => p.includes('unknown TLS setting "pinned" is ignored')), JSON.stringify(problems));
    assert.ok(problems.some((p) => p.includes('"tls.caOnly" must be true or false')));
    assert.ok(problems.some((p) => p.includes('"tls.alpnProtocols" must be a list of protocol names')));
  });

  it('refuses a broker with a password, saying where passwords go', () => {
    const { profiles, problems } = parse([
      { name: 'leaky', kind: 'amqp', host: 'h', username: 'u', password: 'secret' },
      { name: 'key', kind: 'mqtt', host: 'h', tls: { keyFile: 'k.pem', passphrase: 'x' } },
      { name: 'ok', kind: 'mqtt', host: 'h' },
    ]);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['ok'],
    );
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^"leaky" \(brokers\[0\]\): refused because it has "password"/);
    assert.ok(problems[0]!.endsWith(NO_SECRETS_MESSAGE));
    assert.ok(NO_SECRETS_MESSAGE.includes("you will be asked once and it is kept in VS Code's secret storage"));
    assert.match(problems[1]!, /"key".*"tls" has "passphrase"/);
    assert.ok(!JSON.stringify(profiles).includes('secret'));
  });

  it('explains bad entries in plain words and keeps the good ones', () => {
    const { profiles, problems } = parse([
      { name: 'a', kind: 'kafka', host: 'h' },
      { name: 'b', kind: 'mqtt', host: 'h', port: 70000 },
      { name: 'c', kind: 'mqtt' },
      { name: 'd', kind: 'mqtt', host: 'mqtt://h' },
      { name: 'e', kind: 'amqp', host: 'h', protocol: 'mqtts' },
      { kind: 'mqtt', host: 'h' },
      'not an object',
      { name: 'f', kind: 'mqtt', host: 'h', port: '1883' },
      { name: 'g', kind: 'mqtt', host: 'h', vhost: '/', colour: 'red' },
      { name: 'g', kind: 'mqtt', host: 'h2' },
      { name: 'h', kind: 'mqtt', host: 'h', subscriptions: [{ filter: 'a', qos: 3 }] },
      { name: 'i', kind: 'mqtt', host: 'h', subscriptions: [{ filter: 'a/#/b' }] },
    ]);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['g'],
      'unknown settings are only warnings; everything else refuses the entry',
    );
    const expected = [
      /^"a" \(brokers\[0\]\): unknown kind "kafka": use "mqtt" or "amqp"$/,
      /^"b" \(brokers\[1\]\): bad port 70000: the port is a number between 1 and 65535$/,
      /^"c" \(brokers\[2\]\): "host" is missing$/,
      /^"d" \(brokers\[3\]\): bad host "mqtt:\/\/h": enter only the host, without a scheme/,
      /^"e" \(brokers\[4\]\): unknown protocol "mqtts" for AMQP: use "amqp" or "amqps"$/,
      /^brokers\[5\]: "name" is missing$/,
      /^brokers\[6\]: each broker is an object/,
      /^"f" \(brokers\[7\]\): bad port "1883"/,
      /^"g" \(brokers\[8\]\): "vhost" is not an MQTT setting and is ignored$/,
      /^"g" \(brokers\[8\]\): unknown setting "colour" is ignored$/,
      /^"g" \(brokers\[9\]\): another broker in this file has the same name/,
      /^"h" \(brokers\[10\]\): subscriptions\[0\]: bad qos 3/,
      /^"i" \(brokers\[11\]\): subscriptions\[0\]: bad filter "a\/#\/b"/,
    ];
    assert.equal(problems.length, expected.length, problems.join('\n'));
    expected.forEach((re, i) => assert.match(problems[i]!, re));
  });

  it('says what is wrong with a file that is not JSON or has no brokers list', () => {
    const bad = parseWorkspaceBrokers('{\n  "brokers": [\n    { "name": "x" \n  ]\n}', folder);
    assert.equal(bad.profiles.length, 0);
    assert.match(bad.problems[0]!, /^brokers\.json is not valid JSON: .*line 4/);
    assert.match(parseWorkspaceBrokers('[]', folder).problems[0]!, /needs a "brokers" list/);
    assert.match(parseWorkspaceBrokers('{"brokers": [], "extra": 1}', folder).problems[0]!, /unknown setting "extra"/);
    assert.deepEqual(parseWorkspaceBrokers('  \n', folder), { profiles: [], problems: [] }, 'an empty file is no brokers');
  });
});

describe('brokers.json with emoji', () => {
  it('strips comments and trailing commas after astral characters', () => {
    const text = '{ "brokers": [ { "name": "🚀 dev", "kind": "mqtt", "host": "127.0.0.1", "port": 1883 }, ] } // comment';
    assert.deepEqual(JSON.parse(stripJsonc(text)), { brokers: [{ name: '🚀 dev', kind: 'mqtt', host: '127.0.0.1', port: 1883 }] });
  });
});
