// Certificates trusted for brokers of .vscode/brokers.json (issue 23): kept in our own storage,
// keyed to the workspace broker and bound to its entry; never applied to the user's own brokers.
import assert from 'node:assert/strict';
import type { MqttProfile } from '../../src/core/brokers/profile';
import { WorkspacePins, type PinStore, type StoredPin } from '../../src/core/brokers/workspacePins';

const memory = (): PinStore & { pins: Record<string, StoredPin> } => {
  const m = {
    pins: {} as Record<string, StoredPin>,
    load: () => m.pins,
    save: (p: Readonly<Record<string, StoredPin>>) => {
      m.pins = { ...p };
      return Promise.resolve();
    },
  };
  return m;
};

const entry: MqttProfile = { id: 'ws-1234abcd-team-tls', kind: 'mqtt', name: 'team tls', host: 'broker.lan', port: 8883, protocol: 'mqtts', source: { kind: 'workspace', folder: '/work/p', name: 'p' } };
const pin = { sha256: 'AB:CD', pem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----' };

describe('certificates trusted for workspace brokers', () => {
  it('applies the pin kept for the entry, and nothing for another entry or the user\'s own broker', async () => {
    const store = memory();
    const pins = new WorkspacePins(store);
    assert.deepEqual(pins.apply(entry), entry, 'nothing trusted yet');
    const pinned = await pins.trust(entry, pin);
    assert.deepEqual(pinned.tls?.pinned, pin);
    assert.deepEqual(Object.keys(store.pins), [entry.id], 'kept under the workspace broker\'s id');
    assert.deepEqual(pins.apply(entry).tls?.pinned, pin, 'applied again when the file is read again');
    assert.equal(pins.apply({ ...entry, id: 'ws-1234abcd-other' }).tls, undefined);
    const own: MqttProfile = { ...entry, source: undefined };
    assert.equal(pins.apply(own).tls, undefined, 'the user\'s own brokers keep their pin in their profile, not here');
  });

  it('a pin is bound to the entry: another host, port or CA file drops it (checked as usual again) and says it is stale', async () => {
    const pins = new WorkspacePins(memory());
    await pins.trust(entry, pin);
    for (const moved of [{ ...entry, host: 'evil.lan' }, { ...entry, port: 8884 }, { ...entry, tls: { caFile: '/work/p/ca.pem' } }]) {
      assert.equal(pins.apply(moved).tls?.pinned, undefined, JSON.stringify(moved));
      assert.equal(pins.isStale(moved), true);
    }
    assert.equal(pins.isStale(entry), false);
    // A pin in the entry itself (a brokers.json cannot write one; an old overlay can) is never taken as the file's.
    assert.deepEqual(pins.apply({ ...entry, host: 'evil.lan', tls: { pinned: pin } }).tls, {});
  });

  it('stops trusting: the pin is forgotten', async () => {
    const store = memory();
    const pins = new WorkspacePins(store);
    await pins.trust(entry, pin);
    const plain = await pins.trust(pins.apply(entry), undefined);
    assert.equal(plain.tls?.pinned, undefined);
    assert.deepEqual(store.pins, {});
  });
});
