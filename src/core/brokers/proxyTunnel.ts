/**
 * The sockets behind a connection's proxy setting (proxy.ts): a tunnel through a SOCKS5 proxy
 * (the `socks` library) or an HTTP CONNECT proxy (the handshake below: a few lines, where the
 * agent libraries only make HTTP requests), a direct socket, TLS over either, a loopback relay
 * for amqplib (which cannot take a socket) and an HTTP agent for the requests (management API,
 * MQTT over WebSockets).
 *
 * VS Code's extension host patches `http.request` (and `fetch`) to go through `http.proxy` and,
 * with `http.proxySupport` "override" (its default), replaces the agent a request names, except
 * for requests to localhost / 127.0.0.1, whose own agent it keeps and connects directly. Our
 * requests therefore name 127.0.0.1 with the real Host header and an agent whose sockets we open:
 * directly for "none", through the named proxy otherwise; what the agent returns is what is used.
 * `net.connect` and `tls.connect` are only patched to add the OS certificates: never proxied.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Readable } from 'node:stream';
import { formatEndpoint } from './profile';
import { describeProxyFailure, httpConnectFailure, isFinalProxyFailure, socksFailure, type ProxyFailure, type ProxyServer } from './proxy';

/** A tunnel that could not be opened; `message` is already in plain words. */
export class ProxyError extends Error {
  constructor(
    message: string,
    readonly failure: ProxyFailure,
  ) {
    super(message);
    this.name = 'ProxyError';
  }

  /** False when retrying cannot help (credentials refused, a rule of the proxy). */
  get retryable(): boolean {
    return !isFinalProxyFailure(this.failure);
  }
}

export interface Target {
  readonly host: string;
  readonly port: number;
}

/** How a connection reaches its broker when the profile says how: directly, or through a proxy. */
export type SocketRoute = { readonly kind: 'direct' } | { readonly kind: 'proxy'; readonly server: ProxyServer; readonly password?: string };

/** The host requests are addressed to so that VS Code's http patch keeps our agent (see above). */
export const LOOPBACK = '127.0.0.1';

/** A TCP socket to `target`, connected: directly, or through the route's proxy. */
export function openSocket(route: SocketRoute, target: Target, timeoutMs: number): Promise<net.Socket> {
  return route.kind === 'direct' ? connectTcp(target, timeoutMs) : openTunnel(route.server, route.password, target, timeoutMs);
}

/** A plain TCP connection; rejects with Node's error (its `code` says why). */
function connectTcp(target: Target, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`connect ETIMEDOUT ${formatEndpoint(target.host, target.port)}`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * A socket to `target` tunnelled through `server` (it may be paused: whoever reads it resumes
 * it, so nothing the broker sends first is lost); rejects with a ProxyError in plain words.
 */
export async function openTunnel(server: ProxyServer, password: string | undefined, target: Target, timeoutMs: number): Promise<net.Socket> {
  const where = formatEndpoint(target.host, target.port);
  const fail = (f: ProxyFailure): ProxyError => new ProxyError(describeProxyFailure(f, server, where), f);
  let socket: net.Socket;
  try {
    socket = await connectTcp(server, timeoutMs);
  } catch (err) {
    throw fail({ kind: 'unreachable', code: String((err as NodeJS.ErrnoException).code ?? (err as Error).message) });
  }
  const sent = server.username !== undefined;
  if (server.kind === 'socks5') {
    const { SocksClient } = await import('socks');
    try {
      const { socket: tunnel } = await SocksClient.createConnection({
        proxy: { host: server.host, port: server.port, type: 5, ...(sent ? { userId: server.username, password: password ?? '' } : {}) },
        command: 'connect',
        destination: { host: target.host, port: target.port },
        timeout: timeoutMs,
        existing_socket: socket,
      });
      return tunnel;
    } catch (err) {
      socket.destroy();
      throw fail(socksFailure(err instanceof Error ? err.message : String(err), sent));
    }
  }
  try {
    await httpConnect(socket, target, sent ? `Basic ${Buffer.from(`${server.username}:${password ?? ''}`).toString('base64')}` : undefined, timeoutMs, sent);
    return socket;
  } catch (err) {
    socket.destroy();
    throw err instanceof ProxyFailureError ? fail(err.failure) : fail({ kind: 'protocol', detail: err instanceof Error ? err.message : String(err) });
  }
}

class ProxyFailureError extends Error {
  constructor(readonly failure: ProxyFailure) {
    super(failure.kind);
  }
}

/** The most of a CONNECT answer's head that is read. */
const CONNECT_HEAD_LIMIT = 16 * 1024;

/** HTTP CONNECT on an open socket to the proxy: resolves when it answers 2xx; what follows the head stays in the socket. */
function httpConnect(socket: net.Socket, target: Target, authorization: string | undefined, timeoutMs: number, sent: boolean): Promise<void> {
  const authority = formatEndpoint(target.host, target.port);
  return new Promise<void>((resolve, reject) => {
    let head = Buffer.alloc(0);
    const done = (err?: Error, rest?: Buffer) => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      if (err) {
        reject(err);
        return;
      }
      socket.pause();
      if (rest?.length) {
        socket.unshift(rest);
      }
      resolve();
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > CONNECT_HEAD_LIMIT) {
          done(new ProxyFailureError({ kind: 'protocol', detail: 'answer too long' }));
        }
        return;
      }
      const status = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?\r\n/.exec(head.subarray(0, end + 2).toString('latin1'));
      if (!status) {
        done(new ProxyFailureError({ kind: 'protocol', detail: head.subarray(0, Math.min(end, 40)).toString('latin1') }));
        return;
      }
      const failure = httpConnectFailure(Number(status[1]), status[2]?.trim(), sent);
      done(failure ? new ProxyFailureError(failure) : undefined, head.subarray(end + 4));
    };
    const onError = (err: NodeJS.ErrnoException) => done(new ProxyFailureError({ kind: 'unreachable', code: err.code ?? err.message }));
    const onClose = () => done(new ProxyFailureError({ kind: 'protocol', detail: 'closed before answering' }));
    const timer = setTimeout(() => done(new ProxyFailureError({ kind: 'timeout' })), timeoutMs);
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${authorization ? `Proxy-Authorization: ${authorization}\r\n` : ''}\r\n`);
  });
}

/**
 * TLS over an open socket, with the connection's TLS options: the server name (SNI and the host
 * name check) is the real broker's, and a pinned certificate's checkServerIdentity still runs.
 * Resolves after the handshake; rejects with Node's TLS error (its code names the certificate problem).
 */
export function startTls(socket: net.Socket, options: tls.ConnectionOptions, host: string, timeoutMs: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({
      ...options,
      socket,
      host,
      servername: options.servername ?? (net.isIP(host) ? undefined : host),
      rejectUnauthorized: options.rejectUnauthorized !== false,
    });
    const timer = setTimeout(() => {
      secure.destroy();
      reject(Object.assign(new Error(`TLS handshake with ${host} timed out`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      secure.removeListener('error', onError);
      resolve(secure);
    });
    const onError = (err: Error) => {
      clearTimeout(timer);
      secure.destroy();
      reject(err);
    };
    secure.once('error', onError);
  });
}

/**
 * Checks the certificate against `host` whatever name the socket was opened with (a relay on
 * 127.0.0.1 in front of the real broker): the pin's check when there is one, Node's otherwise.
 */
export function identityCheckFor(host: string, check: tls.ConnectionOptions['checkServerIdentity']): NonNullable<tls.ConnectionOptions['checkServerIdentity']> {
  return (_name, cert) => (check ?? tls.checkServerIdentity)(host, cert);
}

/** A loopback relay: amqplib connects to 127.0.0.1:port and talks through `upstream`. */
export interface Relay {
  readonly port: number;
  close(): void;
}

/**
 * Listens on 127.0.0.1 (a free port) for the one connection of the client, pipes it to
 * `upstream` (an open tunnel) and stops listening: nobody else gets the tunnel. Closes itself
 * when nobody connects within `timeoutMs`.
 */
export async function relayOnce(upstream: net.Socket, timeoutMs: number): Promise<Relay> {
  const server = net.createServer({ pauseOnConnect: true });
  let accepted: net.Socket | undefined;
  const close = () => {
    clearTimeout(timer);
    server.close();
    accepted?.destroy();
    upstream.destroy();
  };
  const timer = setTimeout(() => {
    if (!accepted) {
      close();
    }
  }, timeoutMs);
  server.on('connection', (client) => {
    if (accepted) {
      client.destroy();
      return;
    }
    accepted = client;
    clearTimeout(timer);
    server.close();
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
    upstream.resume();
  });
  server.on('error', () => close());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  return { port: (server.address() as net.AddressInfo).port, close };
}

/** Opens one socket for a request: a tunnel (or a direct socket), with TLS for https. */
export type SocketOpener = () => Promise<net.Socket>;

/**
 * An HTTP(S) agent whose sockets come from `open` (never from the agent itself): the way around
 * VS Code's http patch for requests addressed to LOOPBACK. Keeps sockets alive for reuse.
 */
export function socketAgent(secure: boolean, open: SocketOpener): http.Agent {
  const Base = secure ? https.Agent : http.Agent;
  const agent = new Base({ keepAlive: true, maxSockets: 4 });
  (agent as unknown as { createConnection: (o: unknown, cb: (err: Error | null, s?: net.Socket) => void) => undefined }).createConnection = (_options, cb) => {
    open().then(
      (s) => cb(null, s.resume()),
      (err: Error) => cb(err),
    );
    return undefined;
  };
  return agent;
}

/**
 * fetch() over `agent`: the request goes to LOOPBACK with the URL's Host, so VS Code's patch
 * leaves the agent in place; the answer is a WHATWG Response like fetch's.
 */
export function agentFetch(agent: http.Agent): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const secure = url.protocol === 'https:';
      const port = url.port ? Number(url.port) : secure ? 443 : 80;
      const headers: Record<string, string> = { host: url.host };
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      const body = init?.body;
      if (typeof body === 'string') {
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const request = (secure ? https : http).request(
        { host: LOOPBACK, port, path: `${url.pathname}${url.search}`, method: init?.method ?? 'GET', headers, agent, signal: init?.signal ?? undefined },
        (res) => {
          const status = res.statusCode ?? 0;
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) {
              responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
            }
          }
          const noBody = status === 204 || status === 304 || init?.method === 'HEAD';
          if (noBody) {
            res.resume();
          }
          resolve(new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, statusText: res.statusMessage, headers: responseHeaders }));
        },
      );
      // As fetch: a network failure is a TypeError with the cause (a proxy's is already in words), an abort the signal's reason.
      request.on('error', (err) => reject(err instanceof ProxyError ? err : init?.signal?.aborted && init.signal.reason instanceof Error ? init.signal.reason : Object.assign(new TypeError('fetch failed'), { cause: err })));
      if (typeof body === 'string') {
        request.end(body);
      } else {
        request.end();
      }
    });
}
