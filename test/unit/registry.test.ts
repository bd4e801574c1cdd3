import assert from 'node:assert/strict';
import type { BrokerProfile } from '../../src/core/brokers/profile';
import { passwordKey, secretKey, type SecretStore } from '../../src/core/brokers/brokerSecrets';
import { BrokerRegistry, type ProfileStore, type RegistryChange } from '../../src/core/brokers/registry';
import { connectionFactory } from '../../src/core';

function memoryStores() {
  let saved: readonly BrokerProfile[] = [];
  const secrets = new Map<string, string>();
  const store: ProfileStore = { load: () => saved, save: async (p) => void (saved = structuredClone(p)) };
  const secretStore: SecretStore = {
    get: async (k) => secrets.get(k),
    store: async (k, v) => void secrets.set(k, v),
    delete: async (k) => void secrets.delete(k),
  };
  return { store, secretStore, secrets, saved: () => saved };
}

describe('BrokerRegistry', function () {
  this.timeout(15_000);

  it('keeps profiles in the store and passwords only in the secret store', async () => {
    const m = memoryStores();
    const registry = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    const changes: RegistryChange['type'][] = [];
    registry.onDidChange((c) => changes.push(c.type));
    const c = await registry.add({ id: 'a1', kind: 'amqp', name: 'rabbit', host: '127.0.0.1', port: 5672, vhost: '/', username: 'guest' }, 'guest');
    assert.equal(m.secrets.get(passwordKey('a1')), 'guest');
    assert.ok(!JSON.stringify(m.saved()).includes('"password"'), 'no password field in saved profiles');

    const state = await registry.connect('a1');
    assert.equal(state.kind, 'connected', 'the password was read from the secret store');
    assert.equal(m.saved()[0]?.autoConnect, true);
    assert.deepEqual(registry.autoConnectIds(), ['a1']);

    await registry.disconnect('a1');
    assert.equal(c.state.kind, 'disconnected');
    assert.equal(m.saved()[0]?.autoConnect, false);

    await registry.remove('a1');
    assert.equal(m.secrets.size, 0, 'removing a broker deletes its password');
    assert.deepEqual(m.saved(), []);
    assert.deepEqual(changes, ['added', 'state', 'state', 'state', 'removed']);
    await registry.dispose();
  });

  it('restores saved brokers, disconnected, in a new session', async () => {
    const m = memoryStores();
    const first = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    await first.add({ id: 'm1', kind: 'mqtt', name: 'local', host: '127.0.0.1', port: 1883 });
    await first.add({ id: 'a1', kind: 'amqp', name: 'rabbit', host: '127.0.0.1', port: 5672, vhost: '/' });
    await first.connect('m1');
    await first.dispose();

    const second = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    assert.deepEqual(
      second.list().map((c) => [c.profile.kind, c.profile.name, c.state.kind]),
      [
        ['mqtt', 'local', 'disconnected'],
        ['amqp', 'rabbit', 'disconnected'],
      ],
    );
    assert.deepEqual(second.list('amqp').map((c) => c.id), ['a1']);
    assert.deepEqual(second.autoConnectIds(), ['m1']);
    await second.dispose();
  });

  it('keeps other secrets (a TLS key passphrase) beside the password, and removes them with the broker', async () => {
    const m = memoryStores();
    const registry = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    await registry.add({ id: 'm9', kind: 'mqtt', name: 'tls', host: '127.0.0.1', port: 8883, protocol: 'mqtts' }, 'pw', { passphrase: 'key-pass' });
    assert.equal(m.secrets.get(secretKey('m9', 'passphrase')), 'key-pass');
    assert.equal(await registry.hasSecret('m9', 'passphrase'), true);
    assert.ok(!JSON.stringify(m.saved()).includes('key-pass'));
    await registry.remove('m9');
    assert.equal(m.secrets.size, 0);
    await registry.dispose();
  });

  it('refuses a duplicate id and unknown ids', async () => {
    const m = memoryStores();
    const registry = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    await registry.add({ id: 'm1', kind: 'mqtt', name: 'x', host: '127.0.0.1', port: 1883 });
    await assert.rejects(registry.add({ id: 'm1', kind: 'mqtt', name: 'y', host: '127.0.0.1', port: 1883 }), /already exists/);
    await assert.rejects(registry.connect('nope'), /No broker with id nope/);
    await registry.dispose();
  });
});
