import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { MqttProfile } from '../../src/core/brokers/profile';
import type { ConnectionState } from '../../src/core/brokers/state';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { freePort, startFakeServer } from '../support/net';

const profile = (port: number, extra: Partial<MqttProfile> = {}): MqttProfile => ({
  id: `t-${port}`,
  kind: 'mqtt',
  name: `test ${port}`,
  host: '127.0.0.1',
  port,
  ...extra,
});

function recordStates(c: MqttConnection): ConnectionState['kind'][] {
  const kinds: ConnectionState['kind'][] = [];
  c.onDidChangeState((s) => kinds.push(s.kind));
  return kinds;
}

describe('MqttConnection (real Mosquitto)', function () {
  this.timeout(20_000);
  const open: MqttConnection[] = [];
  const track = (c: MqttConnection) => (open.push(c), c);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  it('connects to the shared broker on 127.0.0.1:1883 and receives what it publishes', async () => {
    const c = track(new MqttConnection(profile(1883)));
    const kinds = recordStates(c);
    const state = await c.connect();
    assert.equal(state.kind, 'connected');
    assert.deepEqual(kinds, ['connecting', 'connected']);
    assert.match(c.clientId, /^broker-explorer-[0-9a-f]{6}$/);

    // The connection is a real session: a message published by another client arrives.
    const client = c.mqttClient!;
    const topic = `/weather/station01/temperature/${c.clientId}`;
    await client.subscribeAsync(topic);
    const received = new Promise<string>((resolve) => client.on('message', (t, p) => t === topic && resolve(p.toString())));
    const other = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await other.publishAsync(topic, '{"temperature": 25.5}');
    assert.equal(await received, '{"temperature": 25.5}');
    await other.endAsync();

    await c.disconnect();
    assert.equal(c.state.kind, 'disconnected');
    assert.equal(c.mqttClient, undefined);
  });

  it('fails with "Connection refused" when nothing listens', async () => {
    const port = await freePort();
    const c = track(new MqttConnection(profile(port)));
    const state = await c.connect();
    assert.equal(state.kind, 'failed');
    assert.equal(state.kind === 'failed' && state.reason, `Connection refused: nothing is listening on 127.0.0.1:${port}`);
  });

  it('fails in plain words when the server is not an MQTT broker', async () => {
    const http = await startFakeServer('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    try {
      const c = track(new MqttConnection(profile(http.port)));
      const state = await c.connect();
      assert.equal(state.kind, 'failed');
      assert.match(state.kind === 'failed' ? state.reason : '', /does not speak MQTT|closed the connection before answering/);
    } finally {
      await http.close();
    }
  });

  it('fails after the connect timeout when the server accepts but never answers', async () => {
    const silent = await startFakeServer();
    try {
      const c = track(new MqttConnection(profile(silent.port), { connectTimeoutMs: 800 }));
      const started = Date.now();
      const state = await c.connect();
      assert.equal(state.kind, 'failed');
      assert.match(state.kind === 'failed' ? state.reason : '', /^No answer from 127\.0\.0\.1:\d+ within 1 s/);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await silent.close();
    }
  });

  describe('with a password-protected broker of our own', () => {
    let broker: PrivateBroker;
    before(async () => {
      broker = await startPrivateMosquitto({ users: { sensor: 's3cret-pass' } });
    });
    after(async () => broker?.dispose());

    it('connects with the right username and password', async () => {
      const c = track(new MqttConnection(profile(broker.port, { username: 'sensor' }), { getPassword: async () => 's3cret-pass' }));
      assert.equal((await c.connect()).kind, 'connected');
    });

    it('says "Not authorized" for a wrong password, and does not retry', async () => {
      const c = track(new MqttConnection(profile(broker.port, { username: 'sensor' }), { getPassword: async () => 'Xq7-guess' }));
      const kinds = recordStates(c);
      const state = await c.connect();
      assert.equal(state.kind, 'failed');
      assert.match(state.kind === 'failed' ? state.reason : '', /^Not authorized: the broker refused user "sensor" with the saved password/);
      assert.equal(state.kind === 'failed' && state.cause, 'credentials', 'the notification offers Enter Credentials…');
      assert.ok(!(state.kind === 'failed' && state.reason.includes('Xq7-guess')), 'the password must never appear in a message');
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(kinds, ['connecting', 'failed']);
    });

    it('says "Not authorized" for an anonymous client', async () => {
      const c = track(new MqttConnection(profile(broker.port)));
      const state = await c.connect();
      assert.equal(state.kind === 'failed' ? state.reason : state.kind, 'Not authorized: this broker needs a username and password, and none is set for this connection');
      const noPassword = track(new MqttConnection(profile(broker.port, { username: 'sensor' })));
      const s2 = await noPassword.connect();
      assert.equal(s2.kind === 'failed' ? s2.reason : s2.kind, 'Not authorized: the broker refused user "sensor", and no password is saved for this connection');
    });
  });

  it('speaks MQTT 3.1.1 when asked to', async () => {
    const c = track(new MqttConnection(profile(1883, { protocolVersion: 4 })));
    assert.equal((await c.connect()).kind, 'connected');
    assert.equal(c.protocolVersion, 4);
    assert.equal(c.mqttClient!.options.protocolVersion, 4);
  });

  it('detects a client-id collision instead of reconnecting forever', async () => {
    const backoff = { initialMs: 100, maxMs: 200, jitter: 0 };
    const clientId = `collision-${Date.now()}`;
    const first = track(new MqttConnection(profile(1883, { id: 'c1', clientId }), { backoff }));
    const second = track(new MqttConnection(profile(1883, { id: 'c2', clientId }), { backoff }));
    assert.equal((await first.connect()).kind, 'connected');
    await second.connect(); // takes the session over: the broker closes the first
    const failed = await Promise.race([
      first.waitFor((s) => s.kind === 'failed', 15_000),
      second.waitFor((s) => s.kind === 'failed', 15_000),
    ]);
    assert.match(failed.kind === 'failed' ? failed.reason : '', new RegExp(`another client uses the same client id \\(${clientId}\\)`));
  });

  it('keeps every received message in its topic model, with the retained flag of MQTT 5', async () => {
    const c = track(new MqttConnection(profile(1883)));
    await c.connect();
    const topic = `be-unit/${c.clientId}/status`;
    const other = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await other.publishAsync(topic, 'online', { retain: true, qos: 1 });
    for (let i = 0; i < 100 && !c.topics.find(topic); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(c.topics.find(topic)?.last?.retain, true, 'a live retained message keeps its flag');
    await other.publishAsync(topic, '', { retain: true, qos: 1 }); // clean up the shared broker
    await other.endAsync();
  });

  describe('when the broker restarts', () => {
    let broker: PrivateBroker;
    before(async () => {
      broker = await startPrivateMosquitto();
    });
    after(async () => broker?.dispose());

    it('reconnects with backoff and ends connected again', async () => {
      const c = track(new MqttConnection(profile(broker.port), { backoff: { initialMs: 200, maxMs: 400, jitter: 0 } }));
      assert.equal((await c.connect()).kind, 'connected');
      const kinds = recordStates(c);
      await broker.stop();
      const reconnecting = await c.waitFor((s) => s.kind === 'reconnecting', 5000);
      assert.equal(reconnecting.kind, 'reconnecting');
      // While the broker is down, attempts keep failing and are rescheduled, never 'failed'.
      await new Promise((r) => setTimeout(r, 900));
      assert.ok(!kinds.includes('failed'), `states: ${kinds.join(',')}`);
      await broker.start();
      await c.waitFor((s) => s.kind === 'connected', 5000);
      assert.equal(kinds[0], 'reconnecting');
      assert.ok(kinds.filter((k) => k === 'connecting').length >= 2, `states: ${kinds.join(',')}`);
    });

    it('stops reconnecting when the user disconnects', async () => {
      const c = track(new MqttConnection(profile(broker.port), { backoff: { initialMs: 200, maxMs: 400, jitter: 0 } }));
      assert.equal((await c.connect()).kind, 'connected');
      await broker.stop();
      await c.waitFor((s) => s.kind === 'reconnecting', 5000);
      await c.disconnect();
      await broker.start();
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(c.state.kind, 'disconnected');
    });
  });
});
