import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { MqttProfile } from '../../src/core/brokers/profile';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { makeTestPki, type TestPki } from '../support/tls';
import { startWebSocketBroker } from '../support/wsBroker';

const base = (port: number, extra: Partial<MqttProfile>): MqttProfile => ({ id: `t-${port}`, kind: 'mqtt', name: 'tls', host: '127.0.0.1', port, ...extra });

describe('MQTT over TLS and WebSockets (real brokers)', function () {
  this.timeout(30_000);
  let pki: TestPki;
  let broker: PrivateBroker;
  let mtls: PrivateBroker;
  const open: MqttConnection[] = [];
  const connect = async (profile: MqttProfile, passphrase?: string) => {
    const c = new MqttConnection(profile, { getSecret: async () => passphrase, connectTimeoutMs: 5000 });
    open.push(c);
    return c.connect();
  };

  before(async () => {
    pki = makeTestPki();
    broker = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey } });
    mtls = await startPrivateMosquitto({ tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey, requireClientCert: true } });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });
  after(async () => {
    await broker?.dispose();
    await mtls?.dispose();
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('connects over TLS when it trusts the CA, verifying the certificate', async () => {
    const state = await connect(base(broker.tlsPort!, { protocol: 'mqtts', tls: { caFile: pki.ca } }));
    assert.equal(state.kind, 'connected');
  });

  it('refuses a certificate it cannot verify, in plain words', async () => {
    const state = await connect(base(broker.tlsPort!, { protocol: 'mqtts' }));
    assert.equal(state.kind, 'failed');
    assert.match(state.kind === 'failed' ? state.reason : '', /^TLS: the server's certificate was issued by Broker Explorer Test CA, which this connection does not trust/);
    assert.equal(state.kind === 'failed' ? state.cause : undefined, 'certificate');
  });

  it('trusts the default CA (setting brokerExplorer.tls.defaultCaFile) when the profile names none, read at each attempt', async () => {
    let defaultCa: string | undefined = pki.ca;
    const c = new MqttConnection(base(broker.tlsPort!, { protocol: 'mqtts' }), { defaultCaFile: () => defaultCa, connectTimeoutMs: 5000 });
    open.push(c);
    assert.equal((await c.connect()).kind, 'connected');
    await c.disconnect();
    defaultCa = undefined;
    assert.equal((await c.connect()).kind, 'failed', 'without it the self-signed CA is not trusted');
    await c.disconnect();
    defaultCa = join(pki.dir, 'nope.crt');
    const own = new MqttConnection(base(broker.tlsPort!, { protocol: 'mqtts', tls: { caFile: pki.ca } }), { defaultCaFile: () => defaultCa, connectTimeoutMs: 5000 });
    open.push(own);
    assert.equal((await own.connect()).kind, 'connected', "the profile's own CA wins over the default");
  });

  it('connects with verification turned off', async () => {
    assert.equal((await connect(base(broker.tlsPort!, { protocol: 'mqtts', tls: { verify: false } }))).kind, 'connected');
  });

  it('checks the certificate against the server name (SNI)', async () => {
    const state = await connect(base(broker.tlsPort!, { protocol: 'mqtts', tls: { caFile: pki.ca, servername: 'broker.example.com' } }));
    assert.match(state.kind === 'failed' ? state.reason : state.kind, /not valid for|certificate/i);
  });

  it('explains a missing CA file', async () => {
    const state = await connect(base(broker.tlsPort!, { protocol: 'mqtts', tls: { caFile: join(pki.dir, 'nope.crt') } }));
    assert.equal(state.kind === 'failed' && state.reason, `Cannot read the CA certificate file ${join(pki.dir, 'nope.crt')}: it does not exist`);
  });

  it('says the port does not speak TLS when it is a plain listener', async () => {
    const state = await connect(base(broker.port, { protocol: 'mqtts', tls: { caFile: pki.ca } }));
    assert.equal(state.kind, 'failed');
    assert.match(state.kind === 'failed' ? state.reason : '', /TLS|closed the connection|reset/);
  });

  it('authenticates with a client certificate (mutual TLS), and fails without one', async () => {
    assert.equal((await connect(base(mtls.tlsPort!, { protocol: 'mqtts', tls: { caFile: pki.ca, certFile: pki.clientCert, keyFile: pki.clientKey } }))).kind, 'connected');
    const without = await connect(base(mtls.tlsPort!, { protocol: 'mqtts', tls: { caFile: pki.ca } }));
    assert.equal(without.kind, 'failed');
  });

  it('connects over WebSockets', async () => {
    const ws = await startWebSocketBroker();
    try {
      const state = await connect(base(ws.port, { protocol: 'ws', path: ws.path }));
      assert.equal(state.kind, 'connected');
    } finally {
      await Promise.all(open.splice(0).map((c) => c.dispose()));
      await ws.stop();
    }
  });
});
