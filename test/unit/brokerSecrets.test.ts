import assert from 'node:assert/strict';
import { BrokerSecrets, endpointKey, endpointOf, passwordKey, secretKey, type SecretStore } from '../../src/core/brokers/brokerSecrets';
import type { AmqpProfile, MqttProfile } from '../../src/core/brokers/profile';

function memorySecrets() {
  const values = new Map<string, string>();
  const store: SecretStore = {
    get: async (k) => values.get(k),
    store: async (k, v) => void values.set(k, v),
    delete: async (k) => void values.delete(k),
  };
  return { values, secrets: new BrokerSecrets(store) };
}

describe('BrokerSecrets', () => {
  it('binds a password to where it is sent, not to how the broker is named or shown', () => {
    const mqtt: MqttProfile = { id: 'm', kind: 'mqtt', name: 'dev', host: 'h', port: 1883, username: 'u' };
    const same = endpointOf(mqtt);
    for (const other of [{ name: 'renamed' }, { autoConnect: true }, { clientId: 'c' }, { keepalive: 5 }, { subscriptions: [{ filter: '#', qos: 0 as const }] }]) {
      assert.equal(endpointOf({ ...mqtt, ...other }), same, JSON.stringify(other));
    }
    for (const other of [{ host: 'h2' }, { port: 8883 }, { username: 'v' }, { protocol: 'mqtts' as const }, { tls: { verify: false } }, { tls: { caFile: '/ca.pem' } }]) {
      assert.notEqual(endpointOf({ ...mqtt, ...other }), same, JSON.stringify(other));
    }
    const amqp: AmqpProfile = { id: 'a', kind: 'amqp', name: 'rabbit', host: 'h', port: 5672, vhost: '/' };
    assert.equal(endpointOf({ ...amqp, vhost: '/other' }), endpointOf(amqp));
    assert.notEqual(endpointOf({ ...amqp, managementUrl: 'http://h:15672' }), endpointOf(amqp));
  });

  it('covers a pinned certificate: another pin (or none) withholds the password; bindings recorded before pins existed still hold', async () => {
    const mqtt: MqttProfile = { id: 'p', kind: 'mqtt', name: 'p', host: 'h', port: 8883, protocol: 'mqtts', tls: { caFile: '/ca.pem' } };
    // The form of a binding recorded before this change: eight fields, no trust object.
    assert.equal(endpointOf(mqtt), JSON.stringify(['mqtt', 'h', 8883, '', 'mqtts', '', true, '/ca.pem']));
    const pinA = { ...mqtt, tls: { ...mqtt.tls, pinned: { sha256: 'AA:01', pem: 'A' } } };
    const pinB = { ...mqtt, tls: { ...mqtt.tls, pinned: { sha256: 'BB:02', pem: 'B' } } };
    assert.notEqual(endpointOf(pinA), endpointOf(mqtt));
    assert.notEqual(endpointOf(pinA), endpointOf(pinB));
    assert.equal(endpointOf(pinA), endpointOf({ ...pinA, tls: { ...pinA.tls, pinned: { sha256: 'AA:01', pem: 'other text, same fingerprint' } } }));
    const { secrets } = memorySecrets();
    await secrets.storeNew(pinA, 'pw', {});
    assert.equal(await secrets.password(pinA), 'pw');
    assert.equal(await secrets.password(pinB), undefined, 'a changed pin gets no password');
    assert.equal(await secrets.password(mqtt), undefined, 'nor does the pin removed');
  });

  it('stores the given secrets, clears those given empty, leaves the others, and forgets them all', async () => {
    const { values, secrets } = memorySecrets();
    const b: MqttProfile = { id: 'b', kind: 'mqtt', name: 'b', host: 'h', port: 1883 };
    await secrets.storeNew(b, '', { passphrase: 'pp', managementPassword: '' });
    assert.deepEqual([...values.keys()].sort(), [endpointKey('b'), secretKey('b', 'passphrase')].sort(), 'empty secrets are not stored; the endpoint is');
    await secrets.change(b, { password: 'pw', managementPassword: 'mp' });
    await secrets.change(b, { passphrase: '' });
    assert.deepEqual(Object.fromEntries([...values].filter(([k]) => k !== endpointKey('b'))), { [passwordKey('b')]: 'pw', [secretKey('b', 'managementPassword')]: 'mp' });
    assert.deepEqual([await secrets.has('b', 'password'), await secrets.has('b', 'passphrase')], [true, false]);
    assert.equal(await secrets.secret(b, 'managementPassword'), 'mp');
    await secrets.forgetAll('b');
    assert.equal(values.size, 0);
  });

  it('withholds a workspace broker’s password when brokers.json moved it to another endpoint between sessions', async () => {
    const { values, secrets } = memorySecrets();
    const ws: MqttProfile = { id: 'ws-1', kind: 'mqtt', name: 'shared', host: 'broker.lan', port: 1883, username: 'u', source: { kind: 'workspace', folder: '/w', name: 'w' } };
    await secrets.storePassword(ws, 's3cret');
    assert.equal(await secrets.password(ws), 's3cret', 'the endpoint it was given for gets it');
    // A new session: the same id, brokers.json now names another host (a git pull while VS Code was closed).
    const next = new BrokerSecrets({ get: async (k) => values.get(k), store: async (k, v) => void values.set(k, v), delete: async (k) => void values.delete(k) });
    const moved: MqttProfile = { ...ws, host: 'attacker.example' };
    assert.equal(await next.password(moved), undefined, 'not sent to the new host');
    assert.equal(await next.secret(moved, 'passphrase'), undefined, 'nor any other secret');
    assert.equal(await next.password(ws), 's3cret', 'the old endpoint still gets it');
    // Given again for the new host, it is bound there.
    await next.storePassword(moved, 'other');
    assert.equal(await next.password(moved), 'other');
    assert.equal(await next.password(ws), undefined);
  });

  it('treats a password saved before endpoints were recorded as unbound for workspace brokers, and binds it for the user’s own', async () => {
    const { values, secrets } = memorySecrets();
    const ws: MqttProfile = { id: 'ws-2', kind: 'mqtt', name: 'shared', host: 'h', port: 1883, source: { kind: 'workspace', folder: '/w', name: 'w' } };
    const own: MqttProfile = { id: 'own', kind: 'mqtt', name: 'mine', host: 'h', port: 1883 };
    values.set(passwordKey('ws-2'), 'old');
    values.set(passwordKey('own'), 'old');
    assert.equal(await secrets.password(ws), undefined);
    assert.equal(await secrets.password(own), 'old');
    assert.equal(values.get(endpointKey('own')), endpointOf(own));
  });
});
