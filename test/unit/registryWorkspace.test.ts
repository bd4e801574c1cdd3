import assert from 'node:assert/strict';
import type { AmqpProfile, BrokerProfile, MqttProfile } from '../../src/core/brokers/profile';
import { passwordKey, type SecretStore } from '../../src/core/brokers/brokerSecrets';
import { BrokerRegistry, type ProfileStore, type RegistryChange } from '../../src/core/brokers/registry';
import { connectionFactory } from '../../src/core';

function memoryStores(initial: readonly BrokerProfile[] = []) {
  let saved: readonly BrokerProfile[] = initial;
  let saves = 0;
  const secrets = new Map<string, string>();
  const store: ProfileStore = {
    load: () => saved,
    save: async (p) => {
      saves++;
      saved = structuredClone(p);
    },
  };
  const secretStore: SecretStore = {
    get: async (k) => secrets.get(k),
    store: async (k, v) => void secrets.set(k, v),
    delete: async (k) => void secrets.delete(k),
  };
  return { store, secretStore, secrets, saved: () => saved, saves: () => saves };
}

async function waitFor(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out: ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const source = { kind: 'workspace', folder: '/work/project', name: 'project' } as const;
const mqtt = (patch: Partial<MqttProfile> = {}): MqttProfile => ({ id: 'ws-1-mosq', kind: 'mqtt', name: 'team mosquitto', host: '127.0.0.1', port: 1883, source, ...patch });
const amqp = (patch: Partial<AmqpProfile> = {}): AmqpProfile => ({ id: 'ws-1-rabbit', kind: 'amqp', name: 'team rabbit', host: '127.0.0.1', port: 5672, vhost: '/', username: 'guest', source, ...patch });

describe('BrokerRegistry: workspace brokers', function () {
  this.timeout(15_000);

  it('never saves workspace brokers to the profile store', async () => {
    const m = memoryStores();
    const registry = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    await registry.add({ id: 'mine', kind: 'mqtt', name: 'mine', host: '127.0.0.1', port: 1883 });
    registry.setWorkspaceProfiles('file:///work/project', [mqtt(), amqp()]);
    assert.deepEqual(registry.list().map((c) => c.id).sort(), ['mine', 'ws-1-mosq', 'ws-1-rabbit']);
    assert.equal(m.saves(), 1, 'setting workspace brokers saves nothing');

    assert.equal((await registry.connect('ws-1-mosq')).kind, 'connected');
    await registry.patchProfile('ws-1-rabbit', { watched: { queues: ['q'] } });
    await registry.update({ id: 'mine', kind: 'mqtt', name: 'mine 2', host: '127.0.0.1', port: 1883 });
    await registry.disconnect('ws-1-mosq');
    assert.deepEqual(
      m.saved().map((p) => p.id),
      ['mine'],
      'every save path leaves workspace brokers out',
    );
    assert.deepEqual(registry.savedProfiles(), m.saved());
    await assert.rejects(registry.remove('ws-1-mosq'), /defined in \.vscode\/brokers\.json/);
    assert.ok(registry.get('ws-1-mosq'), 'Remove does not hide a workspace broker');
    await registry.dispose();
  });

  it('ignores workspace brokers an older build may have saved', async () => {
    const m = memoryStores([mqtt(), { id: 'mine', kind: 'mqtt', name: 'mine', host: 'h', port: 1883 }]);
    const registry = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    assert.deepEqual(registry.list().map((c) => c.id), ['mine']);
    await registry.dispose();
  });

  it('keeps the connection of an unchanged broker, replaces a changed one and removes a dropped one', async () => {
    const m = memoryStores();
    const registry = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    const changes: string[] = [];
    registry.onDidChange((c: RegistryChange) => c.type !== 'state' && changes.push(`${c.type} ${c.connection.id}`));
    registry.setWorkspaceProfiles('f', [mqtt(), amqp()]);
    const mosq = registry.get('ws-1-mosq')!;
    const rabbit = registry.get('ws-1-rabbit')!;
    assert.equal((await registry.connect('ws-1-mosq')).kind, 'connected');

    // The same file read again (key order differs): nothing changes, the live connection stays.
    registry.setWorkspaceProfiles('f', [{ ...amqp() }, { source, port: 1883, host: '127.0.0.1', name: 'team mosquitto', kind: 'mqtt', id: 'ws-1-mosq' }]);
    assert.equal(registry.get('ws-1-mosq'), mosq);
    assert.equal(registry.get('ws-1-rabbit'), rabbit);
    assert.equal(mosq.state.kind, 'connected');

    // A changed broker gets a new connection, connected again because the old one was.
    registry.setWorkspaceProfiles('f', [mqtt({ keepalive: 30 }), amqp()]);
    const mosq2 = registry.get('ws-1-mosq')!;
    assert.notEqual(mosq2, mosq);
    await waitFor(() => mosq.state.kind === 'disconnected', 'the old connection is closed');
    await waitFor(() => mosq2.state.kind === 'connected', 'the new connection connects');

    // Another folder's brokers are separate; an empty list removes only this folder's.
    registry.setWorkspaceProfiles('g', [mqtt({ id: 'ws-2-mosq' })]);
    registry.setWorkspaceProfiles('f', [amqp()]);
    registry.setWorkspaceProfiles('f', []);
    assert.deepEqual(registry.list().map((c) => c.id), ['ws-2-mosq']);
    assert.deepEqual(registry.workspaceIds(), ['ws-2-mosq']);
    assert.deepEqual(changes, ['added ws-1-mosq', 'added ws-1-rabbit', 'updated ws-1-mosq', 'added ws-2-mosq', 'removed ws-1-mosq', 'removed ws-1-rabbit']);
    assert.equal(m.saves(), 0);
    await registry.dispose();
  });

  it('does not let a workspace broker take the id of the user’s own', async () => {
    const m = memoryStores();
    const registry = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    const mine = await registry.add({ id: 'same', kind: 'mqtt', name: 'mine', host: 'h', port: 1883 });
    registry.setWorkspaceProfiles('f', [mqtt({ id: 'same' })]);
    assert.equal(registry.get('same'), mine);
    registry.setWorkspaceProfiles('f', []);
    assert.equal(registry.get('same'), mine);
    await registry.dispose();
  });

  it('asks once for the password of a workspace broker with a username and keeps it in the secret store', async () => {
    const m = memoryStores();
    const registry = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    registry.setWorkspaceProfiles('f', [amqp(), mqtt()]);
    let asked = 0;
    let answer: string | undefined = undefined;
    registry.setPasswordPrompt(async () => {
      asked++;
      return answer;
    });

    assert.equal((await registry.connect('ws-1-rabbit')).kind, 'disconnected', 'cancelled: nothing happens');
    assert.equal(m.secrets.size, 0);

    answer = 'guest';
    const [a, b] = await Promise.all([registry.connect('ws-1-rabbit'), registry.connect('ws-1-rabbit')]);
    assert.equal(a.kind, 'connected');
    assert.equal(b.kind, 'connected');
    assert.equal(asked, 2, 'two connects at once ask once');
    assert.equal(m.secrets.get(passwordKey('ws-1-rabbit')), 'guest');

    await registry.disconnect('ws-1-rabbit');
    assert.equal((await registry.connect('ws-1-rabbit')).kind, 'connected');
    assert.equal((await registry.connect('ws-1-mosq')).kind, 'connected', 'no username: no question');
    assert.equal(asked, 2, 'a saved password is not asked again');

    // The password outlives the file: the same id comes back with the same secret.
    registry.setWorkspaceProfiles('f', []);
    assert.equal(m.secrets.get(passwordKey('ws-1-rabbit')), 'guest');
    await registry.dispose();
  });
  it('forgets the password when the file points the broker at another endpoint, and asks one prompt at a time', async () => {
    const m = memoryStores();
    const registry = new BrokerRegistry(m.store, m.secretStore, connectionFactory());
    registry.setWorkspaceProfiles('f', [amqp()]);
    m.secrets.set(passwordKey('ws-1-rabbit'), 'guest');
    registry.setWorkspaceProfiles('f', [amqp({ port: 5673 })]);
    await waitFor(() => !m.secrets.has(passwordKey('ws-1-rabbit')), 'the password to be forgotten');
    registry.setWorkspaceProfiles('f', [amqp({ port: 5673, vhost: '/other' })]);
    m.secrets.set(passwordKey('ws-1-rabbit'), 'kept');
    registry.setWorkspaceProfiles('f', [amqp({ port: 5673, heartbeat: 10 })]);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(m.secrets.get(passwordKey('ws-1-rabbit')), 'kept', 'same endpoint: the password stays');

    // Two brokers needing a password at once: the second prompt waits for the first.
    m.secrets.clear();
    registry.setWorkspaceProfiles('g', [amqp({ id: 'ws-2-a', name: 'a' }), amqp({ id: 'ws-2-b', name: 'b' })]);
    let open = 0;
    let most = 0;
    registry.setPasswordPrompt(async () => {
      open++;
      most = Math.max(most, open);
      await new Promise((r) => setTimeout(r, 20));
      open--;
      return 'guest';
    });
    await Promise.all([registry.connect('ws-2-a'), registry.connect('ws-2-b')]);
    assert.equal(most, 1, 'never two input boxes at once');
    await registry.dispose();
  });
});
