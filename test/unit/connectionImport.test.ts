// Import from other tools (#23). The fixtures in test/fixtures/imports are written from the tools'
// public sources (they cannot run here):
//   mqttx-export.json            emqx/MQTTX src/types/global.d.ts @ aafab66a447618fac955921ceeed8568c66595bd
//                                (ConnectionModel, SSLPath, SubscriptionModel, CollectionModel) and
//                                src/components/ExportData.vue @ 038e758347f2d795df9045601844fc97364b5f92
//                                (JSON.stringify of one connection or of loadConnections()).
//   mqtt-explorer-settings.json  thomasnordquist/MQTT-Explorer app/src/model/ConnectionOptions.ts
//                                @ 02aa3ab19d64b954c0a670f8dfd19e911ff44c6f (configVersion 1, base64 certificates)
//                                and app/src/actions/ConnectionManager.ts @ afb82d76643f21e2f35b48f5e37c0745e62b8072
//                                (stored under "ConnectionManager_connections", a dictionary by id).
//   vsmqtt-settings.json         rpdswtk/vsmqtt src/interfaces/MqttBrokerConfig.ts @ 2a7c926367a9c3e42d2103d2589d8aa59cabe2f6
//                                and src/interfaces/MqttSubscription.ts (settings key "vsmqtt.brokerProfiles").
//   mosquitto_sub lines          eclipse/mosquitto man/mosquitto_sub.1.xml, client/client_shared.c.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConnections, parseMosquittoCommand } from '../../src/core/brokers/imports/detect';
import { brokersJsonEntry, exportNotes, mergeBrokersJson } from '../../src/core/brokers/imports/export';
import { parseWorkspaceBrokers } from '../../src/core/brokers/workspaceBrokers';
import type { BrokerProfile, MqttProfile } from '../../src/core/brokers/profile';

const FIXTURES = join(__dirname, '../../../test/fixtures/imports');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

describe('connection import (#23)', () => {
  describe('MQTTX export', () => {
    const result = parseConnections(fixture('mqttx-export.json'));

    it('is recognised and reads every connection, also inside collections', () => {
      assert.equal(result.format, 'MQTTX');
      assert.deepEqual(
        result.brokers.map((b) => b.profile.name),
        ['plant floor', 'cloud wss'],
      );
      assert.equal(result.problems.length, 1);
      assert.match(result.problems[0] ?? '', /"no host" skipped: it has no host/);
    });

    it('carries host, port, client id, keepalive, session, MQTT 5 subscription options; the password only as a secret', () => {
      const plant = result.brokers[0];
      assert.ok(plant);
      assert.deepEqual(plant.profile, {
        kind: 'mqtt',
        name: 'plant floor',
        host: '127.0.0.1',
        port: 1883,
        clientId: 'mqttx_5d1c9a',
        username: 'operator',
        keepalive: 30,
        clean: false,
        sessionExpiry: 3600,
        subscriptions: [{ filter: 'plant/#', qos: 1, nl: true, rap: false, rh: 2 }],
      });
      assert.equal(plant.password, ' s3cret pass ', 'kept exactly, spaces and all');
      assert.ok(!JSON.stringify(plant.profile).includes('s3cret'));
      assert.ok(plant.notes.some((n) => /bad\/#\/topic/.test(n)), 'the bad filter is named');
      assert.ok(plant.notes.some((n) => /last will/.test(n)));
    });

    it('maps wss with a CA path, MQTT 3.1.1 and the path; certificate checks stay on with a note', () => {
      const cloud = result.brokers[1];
      assert.ok(cloud);
      assert.equal(cloud.profile.protocol, 'wss');
      assert.equal(cloud.profile.port, 8084);
      assert.equal(cloud.profile.path, undefined, 'path "mqtt" is the default /mqtt');
      assert.equal(cloud.profile.protocolVersion, 4);
      assert.deepEqual(cloud.profile.tls, { caFile: '/home/me/certs/ca.pem' }, 'never verify: false');
      assert.ok(cloud.notes.some((n) => /certificate checks were off/.test(n)));
      assert.ok(cloud.notes.some((n) => /collection "cloud"/.test(n)));
      assert.equal(cloud.password, undefined);
    });
  });

  describe('MQTT Explorer', () => {
    it('reads its settings.json and keeps inline certificates for files, only for TLS connections', () => {
      const result = parseConnections(fixture('mqtt-explorer-settings.json'));
      assert.equal(result.format, 'MQTT Explorer');
      assert.deepEqual(
        result.brokers.map((b) => [b.profile.name, b.profile.protocol ?? 'mqtt', b.profile.port]),
        [
          ['mqtt.eclipseprojects.io', 'mqtt', 1883],
          ['secure lab', 'mqtts', 8883],
          ['websocket', 'ws', 9001],
        ],
      );
      const lab = result.brokers[1];
      assert.ok(lab);
      assert.equal(lab.password, 'lab-pass');
      assert.equal(lab.certificates.length, 1);
      assert.equal(lab.certificates[0]?.role, 'caFile');
      assert.equal(lab.certificates[0]?.name, 'lab-ca.crt');
      assert.match(Buffer.from(lab.certificates[0]?.data ?? []).toString(), /^-----BEGIN CERTIFICATE-----/);
      assert.ok(lab.notes.some((n) => /certificate checks were off/.test(n)));
      assert.deepEqual(lab.profile.subscriptions, [{ filter: 'lab/#', qos: 1 }]);
      assert.equal(result.brokers[2]?.profile.path, '/ws');
    });

    it('reads its exported dictionary too, and skips entries of another config version with the reason', () => {
      const settings = JSON.parse(fixture('mqtt-explorer-settings.json')) as { ConnectionManager_connections: Record<string, Record<string, unknown>> };
      const exported = settings.ConnectionManager_connections;
      exported.future = { ...exported['ws-one'], configVersion: 2, name: 'future' };
      const result = parseConnections(JSON.stringify(exported));
      assert.equal(result.format, 'MQTT Explorer');
      assert.equal(result.brokers.length, 3);
      assert.deepEqual(result.problems, ['"future" skipped: configVersion 2 is not one this import knows (1)']);
    });
  });

  describe('vsmqtt', () => {
    it('reads "vsmqtt.brokerProfiles" from a settings.json with comments, resolving ${workspaceFolder}', () => {
      const result = parseConnections(fixture('vsmqtt-settings.json'), '/work/project');
      assert.equal(result.format, 'vsmqtt');
      const [local, tls] = result.brokers;
      assert.ok(local && tls);
      assert.deepEqual(local.profile, { kind: 'mqtt', name: 'local mosquitto', host: 'localhost', port: 1883, clientId: 'vsmqtt_client', subscriptions: [{ filter: 'home/+/temperature', qos: 0 }] });
      assert.equal(tls.profile.protocol, 'mqtts');
      assert.deepEqual(tls.profile.tls, { caFile: '/work/project/certs/ca.pem', certFile: '/etc/certs/client.pem', keyFile: '/etc/certs/client.key' });
      assert.equal(tls.password, 'devpw');
      assert.equal(tls.passphrase, 'keypass');
      assert.ok(tls.notes.some((n) => /asked for the credentials/.test(n)));
      assert.ok(tls.notes.some((n) => /certificate checks were off/.test(n)));
    });
  });

  describe('mosquitto_sub / mosquitto_pub command lines', () => {
    it('reads host, port, user, password, client id, topics with QoS, version and TLS files', () => {
      const result = parseMosquittoCommand(`mosquitto_sub -h broker.lan -p 8883 -u "plant user" -P 'pa ss' -i reader-1 \\
        -t 'plant/#' -t "\\$SYS/#" -q 1 -V mqttv5 --cafile ./ca.pem --cert c.pem --key c.key -c -k 20 -x 600 -v | jq .`);
      assert.deepEqual(result.problems, []);
      const [b] = result.brokers;
      assert.ok(b);
      assert.deepEqual(b.profile, {
        kind: 'mqtt',
        name: 'broker.lan:8883',
        host: 'broker.lan',
        port: 8883,
        protocol: 'mqtts',
        clientId: 'reader-1',
        username: 'plant user',
        keepalive: 20,
        clean: false,
        sessionExpiry: 600,
        subscriptions: [
          { filter: 'plant/#', qos: 1 },
          { filter: '$SYS/#', qos: 1 },
        ],
        tls: { caFile: './ca.pem', certFile: 'c.pem', keyFile: 'c.key' },
      });
      assert.equal(b.password, 'pa ss');
      assert.ok(b.notes.some((n) => /left out \(not connection settings\): -v/.test(n)), b.notes.join('; '));
    });

    it('reads -L URLs, speaks MQTT 3.1.1 as mosquitto does by default, and never keeps an environment reference as the password', () => {
      const result = parseMosquittoCommand('mosquitto_pub -L mqtt://alice@127.0.0.1:1884/cmd/run -P "$MQTT_PASSWORD" -m hi');
      const [b] = result.brokers;
      assert.ok(b);
      assert.equal(b.profile.host, '127.0.0.1');
      assert.equal(b.profile.port, 1884);
      assert.equal(b.profile.username, 'alice');
      assert.equal(b.profile.protocolVersion, 4);
      assert.equal(b.profile.subscriptions, undefined, 'a publisher\'s topic is not a subscription');
      assert.equal(b.password, undefined);
      assert.ok(b.notes.some((n) => /\$MQTT_PASSWORD/.test(n)));
      assert.ok(b.notes.some((n) => /published to cmd\/run/.test(n)));
    });

    it('takes --proxy socks5h:// as the connection\'s SOCKS5 proxy, its password as a secret', () => {
      const [b] = parseMosquittoCommand('mosquitto_sub -h broker.lan -t x --proxy socks5h://proxyuser:pr0xy@gw.lan:1081').brokers;
      assert.ok(b);
      assert.equal(b.profile.proxy, 'socks5://proxyuser@gw.lan:1081');
      assert.equal(b.proxyPassword, 'pr0xy');
      assert.ok(!JSON.stringify(b.profile).includes('pr0xy'));
      const [c] = parseMosquittoCommand('mosquitto_sub -h broker.lan -t x --proxy http://gw.lan:3128').brokers;
      assert.equal(c?.profile.proxy, undefined);
      assert.ok(c?.notes.some((n) => /--proxy http:\/\/gw\.lan:3128 left out/.test(n)));
    });

    it('says what is wrong with a line it cannot read', () => {
      assert.match(parseMosquittoCommand('mosquitto_sub -h').problems[0] ?? '', /-h needs a value/);
      assert.match(parseMosquittoCommand('mosquitto_sub -h "bad host"').problems[0] ?? '', /bad host/);
      assert.match(parseConnections('curl http://x').problems[0] ?? '', /neither JSON nor a mosquitto_sub/);
      assert.match(parseConnections('{"a": 1}').problems[0] ?? '', /no connections found/);
      assert.match(parseConnections('').problems[0] ?? '', /empty/);
    });
  });

  describe('export to brokers.json', () => {
    const folder = '/work/project';
    const profiles: BrokerProfile[] = [
      {
        id: 'mqtt-1',
        kind: 'mqtt',
        name: 'plant',
        host: 'broker.lan',
        port: 8883,
        protocol: 'mqtts',
        username: 'op',
        clientId: 'be-1',
        protocolVersion: 4,
        keepalive: 20,
        endpoints: [{ host: 'broker2.lan', port: 8883 }],
        subscriptions: [{ filter: 'plant/#', qos: 1, nl: true }],
        proxy: 'socks5://gw@proxy.lan:1080',
        tls: { caFile: '/work/project/certs/ca.pem', certFile: '/etc/c.pem', pinned: { sha256: 'AB:CD', pem: 'x' } },
      },
      { id: 'amqp-1', kind: 'amqp', name: 'rabbit', host: '127.0.0.1', port: 5672, vhost: 'shop', username: 'guest', managementUrl: 'http://127.0.0.1:15672' },
    ];

    it('reads back through brokers.json to the same profile, without secrets or the pin', () => {
      const text = JSON.stringify({ brokers: profiles.map((p) => brokersJsonEntry(p, folder)) });
      assert.ok(!/password|pinned|AB:CD/.test(text), text);
      assert.match(text, /"caFile":"certs\/ca.pem"/, 'a file inside the folder is written relative to it');
      const back = parseWorkspaceBrokers(text, { path: folder, name: 'project' });
      assert.deepEqual(back.problems, []);
      const [mqtt, amqp] = back.profiles as [MqttProfile, BrokerProfile];
      const { tls, ...rest } = profiles[0] as MqttProfile;
      const { pinned, ...tlsWithoutPin } = tls ?? {};
      assert.ok(pinned);
      assert.deepEqual({ ...mqtt, id: 'mqtt-1', source: undefined }, { ...rest, tls: tlsWithoutPin, source: undefined });
      assert.deepEqual({ ...amqp, id: 'amqp-1', source: undefined }, { ...profiles[1], source: undefined });
      assert.ok(exportNotes(profiles[0] as BrokerProfile).some((n) => /teammates confirm it/.test(n)));
    });

    it('appends to an existing file, keeping its comments, and leaves a broker of the same name as it is', () => {
      const existing = '{\n  // team brokers\n  "brokers": [\n    { "name": "Plant", "kind": "mqtt", "host": "old.lan" }\n  ]\n}\n';
      const merged = mergeBrokersJson(
        existing,
        profiles.map((p) => brokersJsonEntry(p, folder)),
      );
      assert.ok('text' in merged);
      assert.deepEqual(merged.added, ['rabbit']);
      assert.deepEqual(merged.kept, ['plant']);
      assert.match(merged.text, /\/\/ team brokers/);
      const back = parseWorkspaceBrokers(merged.text, { path: folder, name: 'project' });
      assert.deepEqual(
        back.profiles.map((p) => [p.name, p.host]),
        [
          ['Plant', 'old.lan'],
          ['rabbit', '127.0.0.1'],
        ],
      );
    });

    it('writes a new file, and refuses a broken one with the reason', () => {
      const fresh = mergeBrokersJson(undefined, [brokersJsonEntry(profiles[1] as BrokerProfile, folder)]);
      assert.ok('text' in fresh);
      assert.equal(parseWorkspaceBrokers(fresh.text, { path: folder, name: 'p' }).profiles.length, 1);
      const broken = mergeBrokersJson('{ "brokers": [ }', []);
      assert.ok('error' in broken);
      assert.match(broken.error, /not valid JSON/);
      const wrong = mergeBrokersJson('{ "brokers": 3 }', []);
      assert.ok('error' in wrong);
      assert.match(wrong.error, /needs a "brokers" list/);
    });
  });
});
