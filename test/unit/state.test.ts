import assert from 'node:assert/strict';
import { canConnect, canDisconnect, describeState } from '../../src/core/brokers/state';

describe('connection state', () => {
  it('describes every state in a few words', () => {
    assert.equal(describeState({ kind: 'disconnected' }), 'disconnected');
    assert.equal(describeState({ kind: 'connecting', attempt: 1 }), 'connecting…');
    assert.equal(describeState({ kind: 'connecting', attempt: 3 }), 'connecting (attempt 3)…');
    assert.equal(describeState({ kind: 'connected', since: 0 }), 'connected');
    assert.equal(describeState({ kind: 'failed', reason: 'Not authorized' }), 'failed: Not authorized');
    // A cause the notification explains in full keeps the narrow row short.
    const clash = 'The broker keeps closing the connection right after it opens — most likely another client uses the same client id (x). Give this broker a unique client id: Edit Broker…, then Client ID.';
    assert.equal(describeState({ kind: 'failed', reason: clash, cause: 'clientId', lost: true }), 'failed: client id in use or refused');
    assert.equal(describeState({ kind: 'failed', reason: 'Not authorized: this broker needs a username and password, and none is set for this connection', cause: 'credentials' }), 'failed: not authorized');
  });

  it('counts down to the next reconnect', () => {
    const state = { kind: 'reconnecting', attempt: 2, at: 10_000, reason: 'x' } as const;
    assert.equal(describeState(state, 2_500), 'reconnecting in 8s');
    assert.equal(describeState(state, 9_999), 'reconnecting in 1s');
    assert.equal(describeState(state, 12_000), 'reconnecting in 0s');
  });

  it('offers connect only when idle, disconnect otherwise', () => {
    assert.ok(canConnect({ kind: 'disconnected' }));
    assert.ok(canConnect({ kind: 'failed', reason: 'r' }));
    assert.ok(!canConnect({ kind: 'connected', since: 1 }));
    assert.ok(canDisconnect({ kind: 'reconnecting', attempt: 1, at: 0, reason: 'r' }));
    assert.ok(canDisconnect({ kind: 'connecting', attempt: 1 }));
    assert.ok(!canDisconnect({ kind: 'disconnected' }));
  });
});
