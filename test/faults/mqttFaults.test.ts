// Faults against MQTT brokers this suite controls: its own mosquitto on a free port (killed with
// SIGKILL and restarted), a TCP proxy of its own (stalls, counts SUBSCRIBE packets), and fake
// servers for refusals no mosquitto build can produce. The real MqttConnection runs against them.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import mqtt from 'mqtt';
import { MqttConnection, OUTBOX_MESSAGES } from '../../src/core/mqtt/mqttConnection';
import type { MqttProfile } from '../../src/core/brokers/profile';
import { sendDraft } from '../../src/core/publish/publish';
import type { PublishDraft } from '../../src/core/protocol/publish';
import type { ConnectionState } from '../../src/core/brokers/state';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { startProxy, type TcpProxy } from '../support/proxy';
import { outcome } from '../support/reliability';
import { makeBadCertificates, makeTestPki } from '../support/tls';
import { until } from '../support/wait';

const SOAK = process.env.BROKER_EXPLORER_SOAK === '1';
const KILLS = SOAK ? 100 : 20;
const RATE = 1000; // messages per second offered while the broker is killed and restarted

let seq = 0;
const profile = (port: number, extra: Partial<MqttProfile> = {}): MqttProfile => ({
  id: `fault-${port}-${++seq}`,
  kind: 'mqtt',
  name: `fault ${port}`,
  host: '127.0.0.1',
  port,
  ...extra,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


function states(c: MqttConnection): ConnectionState[] {
  const seen: ConnectionState[] = [];
  c.onDidChangeState((s) => seen.push(s));
  return seen;
}

const draft = (topic: string, qos: 0 | 1 | 2, text = 'hello'): PublishDraft => ({ payload: text, format: 'text', mqtt: { topic, qos, retain: false } });

describe('MQTT faults (own mosquitto, own proxy)', function () {
  this.timeout(180_000);
  const open: MqttConnection[] = [];
  const track = (c: MqttConnection) => (open.push(c), c);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });

  describe(`broker killed (SIGKILL) and restarted ${KILLS} times while ${RATE} msg/s flow`, () => {
    let broker: PrivateBroker;
    let proxy: TcpProxy;
    before(async () => {
      broker = await startPrivateMosquitto();
      proxy = await startProxy(broker.port, { countMqtt: true });
    });
    after(async () => {
      await proxy?.close();
      await broker?.dispose();
    });

    it('reconnects within the backoff bound every time, one SUBSCRIBE per connection, no duplicate nodes, counts go on', async () => {
      const c = track(new MqttConnection(profile(proxy.port, { subscriptions: [{ filter: 'load/#', qos: 0 }] })));
      const seen = states(c);
      assert.equal((await c.connect()).kind, 'connected');

      // The publisher talks to the broker directly and reconnects quickly by itself.
      const publisher = mqtt.connect({ host: '127.0.0.1', port: broker.port, reconnectPeriod: 100, connectTimeout: 2000 });
      publisher.on('error', () => {});
      let offered = 0;
      const perTick = RATE / 100;
      const ticker = setInterval(() => {
        if (!publisher.connected) {
          return;
        }
        for (let i = 0; i < perTick; i++) {
          publisher.publish(`load/sensor/${offered % 50}`, String(offered));
          offered++;
        }
      }, 10);
      const reconnectMs: number[] = [];
      const firstRetryMs: number[] = [];
      try {
        for (let k = 0; k < KILLS; k++) {
          const before = c.topics.totalMessages;
          await until('messages flowing', () => c.topics.totalMessages >= before + 100);
          const countsBefore = c.topics.find('load/sensor/7')?.messages ?? 0;
          const killedAt = Date.now();
          const mark = seen.length;
          await broker.kill();
          await until('the loss to be noticed', () => c.state.kind !== 'connected');
          // Restarted once a reconnect attempt found it down, as a supervisor restarts a crashed
          // broker (a restart faster than the first retry looks like a client-id collision: see
          // the collision tests).
          await until('a reconnect attempt to fail', () => seen.slice(mark).some((s) => s.kind === 'reconnecting' && s.attempt >= 2), 10_000);
          await broker.start();
          await c.waitFor((s) => s.kind === 'connected', 35_000);
          reconnectMs.push(Date.now() - killedAt);
          const retries = seen.slice(mark).filter((s): s is Extract<ConnectionState, { kind: 'reconnecting' }> => s.kind === 'reconnecting');
          assert.ok(retries.length >= 1, 'a reconnect was scheduled');
          firstRetryMs.push(retries[0]!.at - killedAt);
          for (const r of retries) {
            assert.ok(r.at - killedAt <= 30_000 + 35_000 * retries.length, 'no wait beyond the cap');
          }
          await until('counts to go on after the reconnect', () => (c.topics.find('load/sensor/7')?.messages ?? 0) > countsBefore);
        }
      } finally {
        clearInterval(ticker);
        publisher.end(true);
      }
      // Each connection that got as far as subscribing did it exactly once.
      const subscribed = proxy.connections.filter((p) => (p.packets.SUBSCRIBE ?? 0) > 0);
      assert.deepEqual([...new Set(subscribed.map((p) => p.packets.SUBSCRIBE))], [1], 'exactly one SUBSCRIBE per connection');
      assert.equal(subscribed.length, KILLS + 1, 'one subscribed connection per (re)connect');
      // No duplicate nodes: 50 topics under load/sensor, each once.
      const sensor = c.topics.findPath(['load', 'sensor'])!;
      assert.equal(sensor.childCount, 50);
      assert.equal(new Set(sensor.sortedChildNodes().map((n) => n.topic)).size, 50);
      const max = Math.max(...firstRetryMs);
      assert.ok(max <= 2000, `first retry at most 2 s after the kill (was ${max} ms)`);
      const sorted = [...reconnectMs].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      outcome(
        'MQTT',
        `Broker SIGKILLed and restarted ${KILLS}× while ${RATE} msg/s were offered`,
        `Back every time: reconnect after the kill median ${median} ms, worst ${sorted.at(-1)} ms (first retry ≤ ${max} ms, cap 30 s); exactly 1 SUBSCRIBE on each of ${subscribed.length} connections; 50 topics, no duplicates; counts went on (${c.topics.totalMessages.toLocaleString('en-US')} messages kept counting).`,
      );
    });
  });

  describe('network stall (half-open connection)', () => {
    let broker: PrivateBroker;
    before(async () => (broker = await startPrivateMosquitto()));
    after(async () => broker?.dispose());

    it('keepalive notices a proxy that stops forwarding, says so, and reconnects when the network is back', async () => {
      const proxy = await startProxy(broker.port);
      try {
        const c = track(new MqttConnection(profile(proxy.port, { keepalive: 2 }), { backoff: { initialMs: 500, maxMs: 1000, jitter: 0 } }));
        assert.equal((await c.connect()).kind, 'connected');
        proxy.stall();
        const stalledAt = Date.now();
        const lost = await c.waitFor((s) => s.kind !== 'connected', 15_000);
        const detectedMs = Date.now() - stalledAt;
        assert.equal(lost.kind, 'reconnecting');
        const reason = lost.kind === 'reconnecting' ? lost.reason : '';
        assert.match(reason, /stopped answering: no reply to the keepalive ping/);
        assert.ok(detectedMs <= 3 * 2000 + 1000, `detected within 3 keepalive periods (${detectedMs} ms)`);
        proxy.resume();
        await c.waitFor((s) => s.kind === 'connected', 10_000);
        outcome('MQTT', 'Network stall: proxy stops forwarding, socket stays open (keepalive 2 s)', `Detected after ${detectedMs} ms; the broker node says "${reason}"; reconnected once the proxy forwarded again.`);
      } finally {
        await proxy.close();
      }
    });
  });

  describe('client-id collision', () => {
    let broker: PrivateBroker;
    before(async () => (broker = await startPrivateMosquitto()));
    after(async () => broker?.dispose());

    for (const version of [5, 4] as const) {
      it(`MQTT ${version === 5 ? '5' : '3.1.1'}: detected, reported once, no kick loop`, async () => {
        const clientId = `twin-${version}-${Date.now()}`;
        const c = track(new MqttConnection(profile(broker.port, { clientId, protocolVersion: version }), { backoff: { initialMs: 100, maxMs: 200, jitter: 0 } }));
        const seen = states(c);
        assert.equal((await c.connect()).kind, 'connected');
        // A device with the same id, reconnecting by itself like most clients do.
        const device = mqtt.connect({ host: '127.0.0.1', port: broker.port, clientId, protocolVersion: version, reconnectPeriod: 200 });
        device.on('error', () => {});
        let deviceDrops = 0;
        device.on('close', () => deviceDrops++);
        try {
          const failed = await c.waitFor((s) => s.kind === 'failed', 15_000);
          const reason = failed.kind === 'failed' ? failed.reason : '';
          assert.match(reason, new RegExp(`same client id \\(${clientId}\\)`));
          const dropsAtFailure = deviceDrops;
          await sleep(2000);
          assert.equal(seen.filter((s) => s.kind === 'failed').length, 1, 'reported once');
          assert.equal(c.state.kind, 'failed', 'no reconnect after giving up');
          assert.equal(deviceDrops, dropsAtFailure, 'the other client is left alone once we gave up');
          assert.ok(device.connected, 'the other client stays connected');
          assert.ok(deviceDrops <= 3, `the other client was kicked at most 3 times (${deviceDrops})`);
          outcome('MQTT', `Client-id collision (MQTT ${version === 5 ? '5' : '3.1.1'}): a device connects with our client id`, `Failed once with "${reason.split('.')[0]}."; the device was kicked ${deviceDrops} time(s), then left alone.`);
        } finally {
          device.end(true);
        }
      });
    }
  });

  describe('the broker refuses', () => {
    let broker: PrivateBroker;
    before(async () => {
      broker = await startPrivateMosquitto({ users: { sensor: 'right-pass' } });
    });
    after(async () => broker?.dispose());

    async function refusal(what: string, p: MqttProfile, password: string | undefined, expected: RegExp): Promise<string> {
      const c = track(new MqttConnection(p, { getPassword: async () => password, connectTimeoutMs: 3000 }));
      const seen = states(c);
      const state = await c.connect();
      assert.equal(state.kind, 'failed', what);
      const reason = state.kind === 'failed' ? state.reason : '';
      assert.match(reason, expected);
      await sleep(300);
      assert.equal(seen.filter((s) => s.kind === 'failed').length, 1, 'one message, no retry loop');
      if (password) {
        assert.ok(!reason.includes(password), 'never the password');
      }
      outcome('MQTT', `Refused: ${what}`, `One message: "${reason}"`);
      return reason;
    }

    it('wrong password', async () => {
      await refusal('wrong password', profile(broker.port, { username: 'sensor' }), 'wrong-pass-123', /^Not authorized: (bad username or password \(|the broker refused user "sensor" with the saved password)/);
    });

    it('not authorised to subscribe (ACL): connected, with the refused subscription said once', async () => {
      // mosquitto's acl_file grants every SUBSCRIBE and filters on delivery; its dynamic security
      // plugin refuses a subscription outside the client's role (SUBACK 0x80 / 0x87).
      const dynsec = await startPrivateMosquitto({ dynsec: { reader: { password: 'reader-pass', subscribe: ['allowed/#'] }, writer: { password: 'writer-pass', publish: ['#'] } } });
      try {
        for (const version of [5, 4] as const) {
          const c = track(new MqttConnection(profile(dynsec.port, { username: 'reader', protocolVersion: version, subscriptions: [{ filter: '#', qos: 0 }, { filter: 'allowed/#', qos: 0 }] }), { getPassword: async () => 'reader-pass' }));
          const notices: string[] = [];
          c.onDidChangeWarning((w) => w && notices.push(w));
          assert.equal((await c.connect()).kind, 'connected', 'one refused filter does not fail the connection');
          assert.equal(notices.length, 1);
          assert.equal(c.warning, notices[0]);
          assert.match(notices[0]!, /^The broker refused the subscription # \(not authorised/);
          // The other subscription holds: a retained message under allowed/ arrives.
          const other = await mqtt.connectAsync({ host: '127.0.0.1', port: dynsec.port, username: 'writer', password: 'writer-pass' });
          await other.publishAsync(`allowed/v${version}`, 'yes', { retain: true, qos: 1 });
          await other.endAsync();
          await until('the allowed topic', () => c.topics.find(`allowed/v${version}`) !== undefined);
          if (version === 5) {
            outcome('MQTT', 'Refused: subscribing to # without read access (ACL, dynamic security plugin)', `Connected; one warning on the broker node: "${notices[0]}"; the allowed subscription works.`);
          }
        }
      } finally {
        await Promise.all(open.splice(0).map((c) => c.dispose()));
        await dynsec.dispose();
      }
    });

    it('max connections reached', async () => {
      const fullBroker = await startPrivateMosquitto({ extra: ['max_connections 1'] });
      const blockers: mqtt.MqttClient[] = [];
      try {
        // Fill the broker: mosquitto 2.0.11 miscounts a connection closed before CONNECT (our port
        // probe), so connect clients until it refuses one.
        let accepted = 0;
        let refusals = 0;
        let full = false;
        for (let i = 0; i < 20 && !full; i++) {
          const b = mqtt.connect({ host: '127.0.0.1', port: fullBroker.port, reconnectPeriod: 0, connectTimeout: 1000 });
          b.on('error', () => {});
          const ok = await new Promise<boolean>((resolve) => {
            b.once('connect', () => resolve(true));
            b.once('close', () => resolve(false));
          });
          blockers.push(b);
          if (ok) {
            accepted++;
            refusals = 0;
          } else if (accepted > 0 && ++refusals === 2) {
            full = true; // refused twice in a row after one was let in: the limit, not the probe still counted
          } else {
            await sleep(100);
          }
        }
        assert.ok(full, `the broker is full (${accepted} clients let in)`);
        await refusal('max connections reached (max_connections 1, the broker full)', profile(fullBroker.port), undefined, /(closed the connection before answering|reset the connection).*connection limit/);
      } finally {
        blockers.forEach((b) => b.end(true));
        await fullBroker.dispose();
      }
    });

    it('wrong protocol version (a broker that refuses MQTT 5)', async () => {
      // No mosquitto build refuses a version; a server that answers CONNECT with CONNACK 0x84 does.
      const server = net.createServer((s) => {
        s.on('error', () => {});
        s.once('data', () => s.end(Buffer.from([0x20, 0x03, 0x00, 0x84, 0x00])));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as net.AddressInfo).port;
        await refusal('MQTT 5 asked, the broker does not accept that protocol version', profile(port, { protocolVersion: 5 }), undefined, /^The broker does not accept this MQTT protocol version/);
      } finally {
        server.close();
      }
    });

    describe('TLS', () => {
      const pki = makeTestPki();
      const bad = makeBadCertificates(pki);
      const cases = [
        // The case is named from what the server presents (a probe that sends nothing).
        ['certificate for another host name', bad.wrongNameCert, /^TLS: the server's certificate is not valid for 127\.0\.0\.1; it names DNS:broker\.example\.com/],
        ['expired certificate', bad.expiredCert, /^TLS: the server's certificate expired on 2020-01-02/],
        ['certificate from an unknown CA', bad.unknownCaCert, /^TLS: the server's certificate was issued by Somebody Else CA, which this connection does not trust/],
      ] as const;
      for (const [what, cert, expected] of cases) {
        it(what, async () => {
          const tls = await startPrivateMosquitto({ tls: { ca: pki.ca, cert, key: bad.key } });
          try {
            await refusal(`TLS ${what}`, profile(tls.tlsPort!, { protocol: 'mqtts', tls: { caFile: pki.ca } }), undefined, expected);
          } finally {
            await tls.dispose();
          }
        });
      }
    });
  });

  describe('publishing while the connection is down', () => {
    let broker: PrivateBroker;
    before(async () => (broker = await startPrivateMosquitto()));
    after(async () => broker?.dispose());

    it('refuses QoS 0 in plain words, queues QoS 1/2 up to a bound and sends them when it is back', async () => {
      const topic = `outbox/${Date.now()}`;
      const c = track(new MqttConnection(profile(broker.port, { subscriptions: [{ filter: 'outbox/#', qos: 1 }] }), { backoff: { initialMs: 300, maxMs: 600, jitter: 0 } }));
      assert.equal((await c.connect()).kind, 'connected');
      await broker.kill();
      await c.waitFor((s) => s.kind === 'reconnecting');
      // Asking to connect meanwhile (an inspector opening) leaves the backoff loop alone.
      assert.equal((await c.connect()).kind, 'reconnecting');
      await sleep(1500);
      assert.ok(c.isReconnecting && c.state.kind !== 'failed', 'still coming back by itself');

      const qos0 = await sendDraft(c, draft(topic, 0));
      assert.equal(qos0.ok, false);
      assert.match(qos0.text, /QoS 0 messages are not queued/);

      const first = await sendDraft(c, draft(topic, 1, 'm0'));
      assert.equal(first.ok, true);
      assert.ok(first.ok && first.queued);
      assert.match(first.text, /^Queued \(QoS 1\)/);
      for (let i = 1; i < OUTBOX_MESSAGES; i++) {
        const r = await sendDraft(c, draft(topic, i % 2 ? 2 : 1, `m${i}`));
        assert.ok(r.ok, r.text);
      }
      const over = await sendDraft(c, draft(topic, 1, 'one too many'));
      assert.equal(over.ok, false);
      assert.match(over.text, /outbox is full \(1,000 messages/);
      assert.equal(c.queued, OUTBOX_MESSAGES);

      await broker.start();
      await c.waitFor((s) => s.kind === 'connected', 10_000);
      // Our own subscription sees what the outbox sent.
      await until('the queued messages to arrive', () => (c.topics.find(topic)?.messages ?? 0) >= OUTBOX_MESSAGES, 15_000);
      assert.equal(c.topics.find(topic)!.messages, OUTBOX_MESSAGES);
      assert.equal(c.queued, 0);

      // Queued messages are dropped, with a message, when the user disconnects instead.
      await broker.kill();
      await c.waitFor((s) => s.kind === 'reconnecting');
      assert.ok((await sendDraft(c, draft(topic, 1))).ok);
      await c.disconnect();
      assert.equal(c.queued, 0);
      assert.equal((await sendDraft(c, draft(topic, 1))).ok, false);
      await broker.start();
      outcome(
        'MQTT',
        'Publishing while the connection is down',
        `QoS 0 refused: "${qos0.text}"; QoS 1/2 queued (${OUTBOX_MESSAGES.toLocaleString('en-US')} max), the next refused: "${over.text}"; all ${OUTBOX_MESSAGES.toLocaleString('en-US')} delivered after the reconnect; dropped with a log line when the user disconnects.`,
      );
    });
  });
});
