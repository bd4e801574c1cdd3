import assert from 'node:assert/strict';
import { BrokerSecrets, endpointOf, passwordKey, secretKey, type SecretStore } from '../../src/core/brokers/brokerSecrets';
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

  it('stores the given secrets, clears those given empty, leaves the others, and forgets them all', async () => {
    const { values, secrets } = memorySecrets();
    await secrets.storeNew('b', '', { passphrase: 'pp', managementPassword: '' });
    assert.deepEqual([...values.keys()], [secretKey('b', 'passphrase')], 'empty secrets are not stored');
    await secrets.change('b', { password: 'pw', managementPassword: 'mp' });
    await secrets.change('b', { passphrase: '' });
    assert.deepEqual(Object.fromEntries(values), { [passwordKey('b')]: 'pw', [secretKey('b', 'managementPassword')]: 'mp' });
    assert.deepEqual([await secrets.has('b', 'password'), await secrets.has('b', 'passphrase')], [true, false]);
    assert.equal(await secrets.secret('b', 'managementPassword'), 'mp');
    await secrets.forgetAll('b');
    assert.equal(values.size, 0);
  });
});
