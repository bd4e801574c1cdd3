import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { MqttProfile } from '../../src/core/brokers/profile';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { makeTestPki, type TestPki } from '../support/tls';
import { startWebSocketBroker } from '../support/wsBroker';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, createWebSocketStream } from 'ws';

/** MQTT over WebSockets over TLS (aedes behind an https server with `cert`); counts the HTTP upgrade requests that reach it. */
async function startWssBroker(cert: string, key: string): Promise<{ port: number; upgrades: () => number; stop(): Promise<void> }> {
  const { Aedes } = (await import('aedes')) as typeof import('aedes');
  const broker = await Aedes.createBroker();
  const server = createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) });
  let upgrades = 0;
  server.on('upgrade', () => upgrades++);
  server.on('tlsClientError', () => {});
  const wss = new WebSocketServer({ server, path: '/mqtt' });
  wss.on('connection', (socket) => broker.handle(createWebSocketStream(socket)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    upgrades: () => upgrades,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) {
          c.terminate();
        }
        wss.close(() => server.close(() => broker.close(() => resolve())));
      }),
  };
}

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

  it('wss keeps a pinned certificate: the pinned one connects, another one is refused before the WebSocket upgrade (no CONNECT, no password)', async () => {
    const pinnedCert = join(pki.dir, 'ca.crt');
    const pin = { sha256: new X509Certificate(readFileSync(pinnedCert)).fingerprint256, pem: readFileSync(pinnedCert, 'utf8') };
    const self = makeSelfSigned(pki.dir);
    const good = await startWssBroker(pinnedCert, join(pki.dir, 'ca.key'));
    const swapped = await startWssBroker(self.cert, self.key);
    try {
      assert.equal((await connect(base(good.port, { protocol: 'wss', path: '/mqtt', username: 'u', tls: { pinned: pin } }))).kind, 'connected');
      assert.ok(good.upgrades() >= 1, 'the pinned certificate got the WebSocket upgrade (aedes: MQTT 5, then 3.1.1)');
      const refused = await connect(base(swapped.port, { protocol: 'wss', path: '/mqtt', username: 'u', tls: { pinned: pin } }));
      assert.equal(refused.kind, 'failed');
      assert.equal(refused.kind === 'failed' && refused.certificate, 'pinMismatch');
      assert.equal(swapped.upgrades(), 0, 'the swapped certificate got no HTTP request');
    } finally {
      await good.stop();
      await swapped.stop();
    }
  });
});

/** Another self-signed certificate for 127.0.0.1, made with openssl. */
function makeSelfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'self.crt');
  const key = join(dir, 'self.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' });
  return { cert, key };
}
