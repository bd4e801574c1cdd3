import * as net from 'node:net';

/**
 * Real proxies for the tests, on 127.0.0.1: a SOCKS5 server (RFC 1928, with RFC 1929
 * username/password) and an HTTP CONNECT server (Basic auth). Each counts the tunnels it opened
 * (and to where), so a test can tell the traffic went through it, and can refuse targets.
 */
export interface TestProxy {
  readonly port: number;
  readonly url: string;
  /** "host:port" of every tunnel opened, oldest first. */
  readonly tunnels: readonly string[];
  /** Connections that knocked (including refused ones). */
  readonly attempts: number;
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** When given, clients must authenticate with this user and password. */
  readonly user?: { readonly name: string; readonly password: string };
  /** Targets ("host:port", or ":port") refused: SOCKS5 reply 2 (not allowed by ruleset) / HTTP 403. */
  readonly refuse?: readonly string[];
  /** Names only the proxy can resolve (as a corporate proxy resolves internal hosts): name → address. */
  readonly hosts?: Readonly<Record<string, string>>;
}

function refused(options: TestProxyOptions, host: string, port: number): boolean {
  return (options.refuse ?? []).some((r) => r === `${host}:${port}` || r === `:${port}`);
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function track(server: net.Server): { sockets: Set<net.Socket>; close(): Promise<void> } {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

/** Connects `client` to host:port and pipes both ways; calls `opened` when the upstream is up. */
function splice(client: net.Socket, host: string, port: number, opened: (ok: boolean) => void, rest: Buffer, upstreams: Set<net.Socket>): void {
  const upstream = net.connect({ host, port });
  upstreams.add(upstream);
  upstream.on('close', () => upstreams.delete(upstream));
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    opened(true);
    if (rest.length) {
      upstream.write(rest);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  upstream.once('error', () => {
    if (!connected) {
      opened(false);
    } else {
      client.destroy();
    }
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => connected && client.destroy());
}

/**
 * Opens the tunnel a client asked for: the host mapped by `hosts`, recorded in `tunnels` once the
 * upstream is up; `answer(true)` is written before the client's bytes flow, `answer(false)` when
 * the upstream cannot be reached.
 */
function tunnel(client: net.Socket, options: TestProxyOptions, host: string, port: number, rest: Buffer, tunnels: string[], upstreams: Set<net.Socket>, answer: (ok: boolean) => void): void {
  client.pause();
  splice(
    client,
    options.hosts?.[host] ?? host,
    port,
    (ok) => {
      if (ok) {
        tunnels.push(`${host}:${port}`);
        answer(true);
        client.resume();
      } else {
        answer(false);
      }
    },
    rest,
    upstreams,
  );
}

/** A SOCKS5 proxy (CONNECT only; no-auth, or username/password when `user` is set). */
export async function startSocks5Proxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const tunnels: string[] = [];
  let attempts = 0;
  const upstreams = new Set<net.Socket>();
  const server = net.createServer((client) => {
    attempts++;
    let buf = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' | 'done' = 'greeting';
    client.on('error', () => undefined);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (stage === 'greeting') {
          if (buf.length < 2 || buf.length < 2 + buf[1]!) {
            return;
          }
          const methods = [...buf.subarray(2, 2 + buf[1]!)];
          buf = buf.subarray(2 + buf[1]!);
          const want = options.user ? 0x02 : 0x00;
          if (!methods.includes(want)) {
            client.end(Buffer.from([0x05, 0xff]));
            stage = 'done';
            return;
          }
          client.write(Buffer.from([0x05, want]));
          stage = options.user ? 'auth' : 'request';
        } else if (stage === 'auth') {
          if (buf.length < 2) {
            return;
          }
          const ulen = buf[1]!;
          if (buf.length < 3 + ulen) {
            return;
          }
          const plen = buf[2 + ulen]!;
          if (buf.length < 3 + ulen + plen) {
            return;
          }
          const name = buf.subarray(2, 2 + ulen).toString();
          const password = buf.subarray(3 + ulen, 3 + ulen + plen).toString();
          buf = buf.subarray(3 + ulen + plen);
          if (name !== options.user?.name || password !== options.user.password) {
            // RFC 1929: a status other than 0 is a failure, and the server closes the connection.
            client.end(Buffer.from([0x01, 0x01]));
            stage = 'done';
            return;
          }
          client.write(Buffer.from([0x01, 0x00]));
          stage = 'request';
        } else if (stage === 'request') {
          if (buf.length < 5) {
            return;
          }
          const atyp = buf[3]!;
          let host: string;
          let end: number;
          if (atyp === 0x01) {
            end = 4 + 4;
            if (buf.length < end + 2) {
              return;
            }
            host = [...buf.subarray(4, 8)].join('.');
          } else if (atyp === 0x03) {
            end = 5 + buf[4]!;
            if (buf.length < end + 2) {
              return;
            }
            host = buf.subarray(5, end).toString();
          } else if (atyp === 0x04) {
            end = 4 + 16;
            if (buf.length < end + 2) {
              return;
            }
            const parts: string[] = [];
            for (let i = 0; i < 16; i += 2) {
              parts.push(buf.readUInt16BE(4 + i).toString(16));
            }
            host = parts.join(':');
          } else {
            client.end(Buffer.from([0x05, 0x08, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
            stage = 'done';
            return;
          }
          const port = buf.readUInt16BE(end);
          const rest = buf.subarray(end + 2);
          stage = 'done';
          client.removeListener('data', onData);
          const reply = (code: number) => Buffer.from([0x05, code, 0x00, 0x01, 127, 0, 0, 1, 0, 0]);
          if (buf[1] !== 0x01) {
            client.end(reply(0x07));
            return;
          }
          if (refused(options, host, port)) {
            client.end(reply(0x02));
            return;
          }
          tunnel(client, options, host, port, rest, tunnels, upstreams, (ok) => (ok ? client.write(reply(0x00)) : client.end(reply(0x05))));
          return;
        } else {
          return;
        }
      }
    };
    client.on('data', onData);
  });
  return serve(server, 'socks5', options, tunnels, () => attempts, upstreams);
}

/** Listens on 127.0.0.1 and describes the running proxy: its URL (with the user, never a password), its tunnels and attempts. */
async function serve(server: net.Server, scheme: string, options: TestProxyOptions, tunnels: string[], attempts: () => number, upstreams: Set<net.Socket>): Promise<TestProxy> {
  const tracked = track(server);
  const port = await listen(server);
  return {
    port,
    url: `${scheme}://${options.user ? `${options.user.name}@` : ''}127.0.0.1:${port}`,
    tunnels,
    get attempts() {
      return attempts();
    },
    close: async () => {
      for (const u of upstreams) {
        u.destroy();
      }
      await tracked.close();
    },
  };
}

/** An HTTP proxy: CONNECT tunnels, and plain requests in absolute form forwarded (Basic auth when `user` is set). */
export async function startHttpConnectProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const tunnels: string[] = [];
  let attempts = 0;
  const upstreams = new Set<net.Socket>();
  const expected = options.user ? `Basic ${Buffer.from(`${options.user.name}:${options.user.password}`).toString('base64')}` : undefined;
  const server = net.createServer((client) => {
    attempts++;
    let buf = Buffer.alloc(0);
    client.on('error', () => undefined);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        return;
      }
      client.removeListener('data', onData);
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const rest = buf.subarray(end + 4);
      const [method, authority] = (lines[0] ?? '').split(' ');
      const headers = new Map(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as const));
      const answer = (status: string, extra = '') => client.end(`HTTP/1.1 ${status}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      if (!method || !authority || (method !== 'CONNECT' && !authority.startsWith('http://'))) {
        answer('405 Method Not Allowed');
        return;
      }
      if (expected && headers.get('proxy-authorization') !== expected) {
        answer('407 Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="test"\r\n');
        return;
      }
      if (method !== 'CONNECT') {
        // A plain-HTTP request in absolute form (how HTTP clients send ws:// and http:// to a
        // proxy): forwarded to the origin in origin form, then both ways as a tunnel (Upgrade).
        const url = new URL(authority);
        const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
        const port = Number(url.port || 80);
        const head = [`${method} ${url.pathname}${url.search} ${(lines[0] ?? '').split(' ')[2] ?? 'HTTP/1.1'}`, ...lines.slice(1).filter((l) => !/^proxy-/i.test(l))].join('\r\n');
        // A plain request in absolute form: forwarded with the proxy's own headers left out.
        tunnel(client, options, host, port, Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), rest]), tunnels, upstreams, (ok) => ok || answer('502 Bad Gateway'));
        return;
      }
      const m = /^\[([^\]]+)\]:(\d+)$/.exec(authority) ?? /^([^:]+):(\d+)$/.exec(authority);
      if (!m) {
        answer('400 Bad Request');
        return;
      }
      const host = m[1]!;
      const port = Number(m[2]);
      if (refused(options, host, port)) {
        answer('403 Forbidden');
        return;
      }
      tunnel(client, options, host, port, rest, tunnels, upstreams, (ok) => (ok ? client.write('HTTP/1.1 200 Connection Established\r\n\r\n') : answer('502 Bad Gateway')));
    };
    client.on('data', onData);
  });
  return serve(server, 'http', options, tunnels, () => attempts, upstreams);
}
