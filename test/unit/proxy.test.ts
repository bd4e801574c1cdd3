// Proxies (issue 23): what the user writes as a connection's proxy, the plain words of each way a
// proxy fails, and the tunnels themselves through a real SOCKS5 and a real HTTP CONNECT proxy of
// the tests (test/support/proxyServers.ts) on 127.0.0.1, to a real TCP server.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { describeProxyFailure, formatProxy, httpConnectFailure, isFinalProxyFailure, parseProxy, socksFailure, type ProxyServer } from '../../src/core/brokers/proxy';
import { agentFetch, openSocket, openTunnel, ProxyError, relayOnce, socketAgent } from '../../src/core/brokers/proxyTunnel';
import { startHttpConnectProxy, startSocks5Proxy, type TestProxy } from '../support/proxyServers';
import * as http from 'node:http';
import { BrokerSecrets, endpointOf, secretKey } from '../../src/core/brokers/brokerSecrets';
import { parseWorkspaceBrokers } from '../../src/core/brokers/workspaceBrokers';
import type { MqttProfile } from '../../src/core/brokers/profile';

const socks: ProxyServer = { kind: 'socks5', host: 'proxy.corp', port: 1080 };
const httpProxy: ProxyServer = { kind: 'http', host: 'proxy.corp', port: 3128 };

describe('proxy: the setting', () => {
  it('reads system (the default, also empty), none, socks5:// and http:// URLs with a user', () => {
    assert.deepEqual(parseProxy(undefined), { route: { kind: 'system' } });
    assert.deepEqual(parseProxy(' '), { route: { kind: 'system' } });
    assert.deepEqual(parseProxy('System'), { route: { kind: 'system' } });
    assert.deepEqual(parseProxy('none'), { route: { kind: 'none' } });
    assert.deepEqual(parseProxy('direct'), { route: { kind: 'none' } });
    assert.deepEqual(parseProxy('socks5://proxy.corp:1080'), { route: { kind: 'socks5', host: 'proxy.corp', port: 1080 } });
    assert.deepEqual(parseProxy('socks5h://alice@10.0.0.5:1080/'), { route: { kind: 'socks5', host: '10.0.0.5', port: 1080, username: 'alice' } });
    assert.deepEqual(parseProxy('HTTP://a%40corp@[::1]:3128'), { route: { kind: 'http', host: '::1', port: 3128, username: 'a@corp' } });
  });

  it('refuses a password in the URL, a missing port, other schemes and paths, each in words', () => {
    assert.match(parseProxy('socks5://alice:secret@proxy:1080').error ?? '', /password does not go in the URL/);
    assert.match(parseProxy('http://proxy.corp').error ?? '', /Add the proxy's port: http:\/\/proxy\.corp:PORT/);
    assert.match(parseProxy('https://proxy:443').error ?? '', /https:\/\/ proxies .* not supported/);
    assert.match(parseProxy('socks4://proxy:1080').error ?? '', /SOCKS4 proxies are not supported/);
    assert.match(parseProxy('ftp://proxy:21').error ?? '', /Unknown proxy type "ftp:\/\/"/);
    assert.match(parseProxy('http://proxy:3128/path').error ?? '', /no path/);
    assert.match(parseProxy('http://proxy:99999').error ?? '', /Bad proxy port/);
    assert.match(parseProxy('proxy.corp:3128').error ?? '', /is not a proxy: write none, system, socks5/);
    assert.match(parseProxy('http://@proxy:3128').error ?? '', /user name before "@" is empty/);
  });

  it('writes the route back as the user would (no password, the user escaped)', () => {
    assert.equal(formatProxy({ kind: 'none' }), 'none');
    assert.equal(formatProxy({ kind: 'system' }), 'system');
    assert.equal(formatProxy({ kind: 'http', host: '::1', port: 3128, username: 'a@corp' }), 'http://a%40corp@[::1]:3128');
    const text = 'socks5://alice@proxy.corp:1080';
    assert.equal(formatProxy(parseProxy(text).route!), text);
  });
});

describe('proxy: brokers.json and the secrets binding', () => {
  const folder = { path: '/work/project', name: 'project' };
  it('reads "proxy" from brokers.json, normalized; system is the default and not kept', () => {
    const parsed = parseWorkspaceBrokers(
      JSON.stringify({
        brokers: [
          { name: 'a', kind: 'mqtt', host: 'plant', proxy: 'SOCKS5H://alice@proxy.corp:1080/' },
          { name: 'b', kind: 'amqp', host: 'rabbit', proxy: 'none' },
          { name: 'c', kind: 'mqtt', host: 'plant', proxy: 'system' },
        ],
      }),
      folder,
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.profiles.map((p) => p.proxy),
      ['socks5://alice@proxy.corp:1080', 'none', undefined],
    );
  });

  it('refuses a proxy password in brokers.json, in the URL or as a key, and a bad proxy', () => {
    const problems = (entry: Record<string, unknown>) => parseWorkspaceBrokers(JSON.stringify({ brokers: [{ name: 'x', kind: 'mqtt', host: 'h', ...entry }] }), folder).problems.join('\n');
    assert.match(problems({ proxy: 'http://u:pw@proxy:3128' }), /bad proxy: The proxy password does not go in the URL/);
    assert.match(problems({ proxyPassword: 'pw' }), /passwords are never read from/);
    assert.match(problems({ proxy: 42 }), /"proxy" must be "none", "system" or a proxy URL/);
    assert.match(problems({ proxy: 'socks4://p:1080' }), /SOCKS4/);
  });

  it('binds the secrets to the proxy: another proxy (or none) is another endpoint; system is the old binding', () => {
    const base: MqttProfile = { id: 'm1', kind: 'mqtt', name: 'm', host: 'plant', port: 1883 };
    const plain = endpointOf(base);
    assert.equal(endpointOf({ ...base, proxy: 'system' }), plain);
    const viaA = endpointOf({ ...base, proxy: 'socks5://alice@a:1080' });
    assert.notEqual(viaA, plain);
    assert.notEqual(endpointOf({ ...base, proxy: 'socks5://alice@evil:1080' }), viaA);
    assert.notEqual(endpointOf({ ...base, proxy: 'none' }), plain);
  });

  it('a workspace broker\'s proxy password is withheld when brokers.json moves the proxy, and setting it anew never revives the old password', async () => {
    const store = new Map<string, string>();
    const secrets = new BrokerSecrets({ get: async (k) => store.get(k), store: async (k, v) => void store.set(k, v), delete: async (k) => void store.delete(k) });
    const source = { kind: 'workspace' as const, folder: '/w', name: 'w' };
    const first: MqttProfile = { id: 'ws1', kind: 'mqtt', name: 'm', host: 'plant', port: 1883, username: 'u', proxy: 'socks5://alice@a:1080', source };
    await secrets.storePassword(first, 'broker-pw');
    await secrets.storeSecret(first, 'proxyPassword', 'proxy-pw');
    assert.equal(await secrets.secret(first, 'proxyPassword'), 'proxy-pw');
    const moved: MqttProfile = { ...first, proxy: 'socks5://alice@evil:1080' };
    assert.equal(await secrets.secret(moved, 'proxyPassword'), undefined, 'not sent to another proxy');
    assert.equal(await secrets.password(moved), undefined);
    await secrets.storeSecret(moved, 'proxyPassword', 'new-proxy-pw');
    assert.equal(await secrets.secret(moved, 'proxyPassword'), 'new-proxy-pw');
    assert.equal(await secrets.password(moved), undefined, 'the broker password given for the old proxy is gone, not rebound');
    assert.equal(store.get(secretKey('ws1', 'proxyPassword')), 'new-proxy-pw');
  });
});

describe('proxy: failures in plain words', () => {
  it('says the proxy cannot be reached, naming it and the broker', () => {
    const m = describeProxyFailure({ kind: 'unreachable', code: 'ECONNREFUSED' }, socks, 'broker:1883');
    assert.equal(m, 'Cannot reach the SOCKS5 proxy proxy.corp:1080 (nothing is listening there), so broker:1883 could not be reached through it — check the proxy address in Edit Broker');
    assert.match(describeProxyFailure({ kind: 'unreachable', code: 'ENOTFOUND' }, httpProxy, 'b:1'), /the HTTP proxy proxy\.corp:3128 \(host not found\)/);
  });

  it('tells wrong proxy credentials from missing ones (SOCKS5 status 0x01, HTTP 407)', () => {
    assert.deepEqual(socksFailure('Socks5 Authentication failed', true), { kind: 'auth', sent: true });
    assert.deepEqual(socksFailure('Received invalid Socks5 initial handshake (no accepted authentication type)', false), { kind: 'auth', sent: false });
    assert.deepEqual(httpConnectFailure(407, 'Proxy Authentication Required', true), { kind: 'auth', sent: true });
    assert.match(describeProxyFailure({ kind: 'auth', sent: true }, socks, 'b:1883'), /^the SOCKS5 proxy proxy\.corp:1080 refused the proxy user name or password \(for b:1883\)/);
    assert.match(describeProxyFailure({ kind: 'auth', sent: false }, httpProxy, 'b:1883'), /asks for a user name and password \(for b:1883\)/);
    assert.equal(isFinalProxyFailure({ kind: 'auth', sent: true }), true);
  });

  it('names every SOCKS5 reply code 1–8 and the HTTP refusals, each differently', () => {
    const words = new Set<string>();
    for (const [name, code] of Object.entries({ Failure: 1, NotAllowed: 2, NetworkUnreachable: 3, HostUnreachable: 4, ConnectionRefused: 5, TTLExpired: 6, CommandNotSupported: 7, AddressNotSupported: 8 })) {
      const f = socksFailure(`Received invalid Socks5 final handshake response - rejected - ${name}`, false);
      assert.deepEqual(f, { kind: 'refused', socksReply: code });
      const m = describeProxyFailure(f, socks, 'broker:1883');
      assert.match(m, /^the SOCKS5 proxy proxy\.corp:1080 refused to connect to broker:1883: /);
      words.add(m);
    }
    for (const status of [403, 405, 502, 503, 504, 418]) {
      const f = httpConnectFailure(status, status === 418 ? "I'm a teapot" : undefined, false)!;
      const m = describeProxyFailure(f, httpProxy, 'broker:1883');
      assert.match(m, /^the HTTP proxy proxy\.corp:3128 refused to connect to broker:1883: /);
      words.add(m);
    }
    assert.equal(words.size, 14, 'each reply has its own words');
    assert.match(describeProxyFailure(httpConnectFailure(418, "I'm a teapot", false)!, httpProxy, 'b:1'), /HTTP 418 I'm a teapot/);
    assert.equal(httpConnectFailure(200, 'OK', false), undefined);
    assert.equal(isFinalProxyFailure({ kind: 'refused', socksReply: 2 }), true);
    assert.equal(isFinalProxyFailure({ kind: 'refused', socksReply: 5 }), false);
    assert.equal(isFinalProxyFailure({ kind: 'refused', httpStatus: 403 }), true);
    assert.equal(isFinalProxyFailure({ kind: 'refused', httpStatus: 502 }), false);
  });

  it('reads a socket error and a timeout out of the socks library\'s words', () => {
    assert.deepEqual(socksFailure('connect ECONNREFUSED 127.0.0.1:1080', false), { kind: 'unreachable', code: 'ECONNREFUSED' });
    assert.deepEqual(socksFailure('Proxy connection timed out', false), { kind: 'timeout' });
    assert.deepEqual(socksFailure('Socket closed', false), { kind: 'protocol', detail: 'Socket closed' });
  });
});

/** A TCP server that answers every line with "echo: line". */
async function echoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', (d) => s.write(`echo: ${d.toString()}`));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}

const roundTrip = (s: net.Socket, line: string): Promise<string> =>
  new Promise((resolve, reject) => {
    s.once('data', (d) => resolve(d.toString()));
    s.once('error', reject);
    s.resume();
    s.write(line);
  });

describe('proxy: tunnels through real proxies', function () {
  this.timeout(10_000);
  let echo: Awaited<ReturnType<typeof echoServer>>;
  const proxies: TestProxy[] = [];
  before(async () => {
    echo = await echoServer();
  });
  after(async () => {
    await echo.close();
    for (const p of proxies) {
      await p.close();
    }
  });
  const target = () => ({ host: '127.0.0.1', port: echo.port });
  const server = (p: TestProxy, kind: 'socks5' | 'http', username?: string): ProxyServer => ({ kind, host: '127.0.0.1', port: p.port, ...(username ? { username } : {}) });

  for (const kind of ['socks5', 'http'] as const) {
    const start = kind === 'socks5' ? startSocks5Proxy : startHttpConnectProxy;

    it(`${kind}: opens a tunnel with the user's password, and the proxy counts it`, async () => {
      const p = await start({ user: { name: 'alice', password: 'pw-1' } });
      proxies.push(p);
      const s = await openTunnel(server(p, kind, 'alice'), 'pw-1', target(), 3000);
      assert.equal(await roundTrip(s, 'hello'), 'echo: hello');
      s.destroy();
      assert.deepEqual(p.tunnels, [`127.0.0.1:${echo.port}`]);
    });

    it(`${kind}: a wrong proxy password is refused in words, no tunnel, not retried`, async () => {
      const p = await start({ user: { name: 'alice', password: 'pw-1' } });
      proxies.push(p);
      const err = await openTunnel(server(p, kind, 'alice'), 'wrong', target(), 3000).catch((e: unknown) => e);
      assert.ok(err instanceof ProxyError, String(err));
      assert.match(err.message, new RegExp(`proxy 127\\.0\\.0\\.1:${p.port} refused the proxy user name or password \\(for 127\\.0\\.0\\.1:${echo.port}\\)`));
      assert.equal(err.retryable, false);
      assert.deepEqual(p.tunnels, []);
      const none = (await openTunnel(server(p, kind), undefined, target(), 3000).catch((e: unknown) => e)) as Error;
      assert.match(none.message, /asks for a user name and password/);
    });

    it(`${kind}: a target the proxy refuses is said as the proxy's refusal`, async () => {
      const p = await start({ refuse: [`:${echo.port}`] });
      proxies.push(p);
      const err = (await openTunnel(server(p, kind), undefined, target(), 3000).catch((e: unknown) => e)) as ProxyError;
      assert.match(err.message, new RegExp(`refused to connect to 127\\.0\\.0\\.1:${echo.port}: ${kind === 'socks5' ? 'its rules do not allow this connection' : 'forbidden by the proxy \\(HTTP 403\\)'}`));
      assert.deepEqual(p.tunnels, []);
    });

    it(`${kind}: a target down behind the proxy is the proxy's answer (SOCKS5 reply 5 / HTTP 502)`, async () => {
      const p = await start();
      proxies.push(p);
      const closed = await echoServer();
      await closed.close();
      const err = (await openTunnel(server(p, kind), undefined, { host: '127.0.0.1', port: closed.port }, 3000).catch((e: unknown) => e)) as ProxyError;
      assert.match(err.message, kind === 'socks5' ? /connection was refused: nothing is listening there, seen from the proxy/ : /could not reach it \(HTTP 502 Bad Gateway\)/);
      assert.equal(err.retryable, true);
    });
  }

  it('a proxy that is not there: "Cannot reach", naming proxy and target', async () => {
    const gone = await echoServer();
    await gone.close();
    const err = (await openTunnel({ kind: 'socks5', host: '127.0.0.1', port: gone.port }, undefined, target(), 3000).catch((e: unknown) => e)) as ProxyError;
    assert.equal(err.message, `Cannot reach the SOCKS5 proxy 127.0.0.1:${gone.port} (nothing is listening there), so 127.0.0.1:${echo.port} could not be reached through it — check the proxy address in Edit Broker`);
  });

  it('something that is not an HTTP proxy answering CONNECT is said so', async () => {
    const err = (await openTunnel({ kind: 'http', host: '127.0.0.1', port: echo.port }, undefined, target(), 3000).catch((e: unknown) => e)) as ProxyError;
    assert.match(err.message, new RegExp(`The server at 127\\.0\\.0\\.1:${echo.port} does not answer as an HTTP proxy`));
  });

  it('the relay hands its one connection to the tunnel and refuses a second', async () => {
    const p = await startSocks5Proxy();
    proxies.push(p);
    const tunnel = await openSocket({ kind: 'proxy', server: server(p, 'socks5') }, target(), 3000);
    const relay = await relayOnce(tunnel, 3000);
    const client = net.connect({ host: '127.0.0.1', port: relay.port });
    assert.equal(await roundTrip(client, 'via relay'), 'echo: via relay');
    const second = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: relay.port });
      s.once('connect', () => resolve('connected'));
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    assert.equal(second, 'ECONNREFUSED');
    client.destroy();
    relay.close();
  });

  it('fetch over the agent goes to the real host through the proxy, with its Host header', async () => {
    const seen: string[] = [];
    const web = http.createServer((req, res) => {
      seen.push(String(req.headers.host));
      res.writeHead(req.url === '/none' ? 204 : 200, { 'content-type': 'application/json' });
      res.end(req.url === '/none' ? undefined : JSON.stringify({ url: req.url, method: req.method }));
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    const webPort = (web.address() as net.AddressInfo).port;
    const p = await startHttpConnectProxy({ user: { name: 'bob', password: 'pw' } });
    proxies.push(p);
    const agent = socketAgent(false, () => openSocket({ kind: 'proxy', server: server(p, 'http', 'bob'), password: 'pw' }, { host: '127.0.0.1', port: webPort }, 3000));
    const f = agentFetch(agent);
    const r = await f(`http://broker.example:${webPort}/api/x?y=1`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { url: '/api/x?y=1', method: 'POST' });
    assert.equal((await f(`http://broker.example:${webPort}/none`)).status, 204);
    assert.deepEqual(seen, [`broker.example:${webPort}`, `broker.example:${webPort}`]);
    assert.ok(p.tunnels.length >= 1 && p.tunnels.every((t) => t === `127.0.0.1:${webPort}`));
    agent.destroy();
    await new Promise<void>((r) => web.close(() => r()));
  });
});
