/**
 * A connection's proxy (issue #23): the profile's `proxy` text, parsed and checked, and every way
 * a proxy can fail put in plain words that name the proxy and the broker behind it. No sockets
 * here (proxyTunnel.ts opens them); no vscode.
 *
 * `proxy` is one of:
 * - absent or "system" (the default): what VS Code's extension host does. It routes HTTP requests
 *   (the RabbitMQ management API, MQTT over WebSockets) through `http.proxy` / the OS proxy when
 *   `http.proxySupport` is on or override, and never proxies plain sockets (MQTT over TCP or TLS,
 *   AMQP): those connect directly.
 * - "none": every connection of this broker goes directly, bypassing `http.proxy` too.
 * - "socks5://[user@]host:port" or "http://[user@]host:port" (HTTP CONNECT): every connection of
 *   this broker (MQTT tcp/tls/ws/wss, AMQP, the management API) goes through that proxy. The
 *   proxy's password is a secret (SecretStorage), never in the URL.
 */
import * as l10n from '@vscode/l10n';
import { formatEndpoint, validateHost, validatePort } from './profile';

/** A proxy server named by a profile. */
export interface ProxyServer {
  readonly kind: 'socks5' | 'http';
  readonly host: string;
  readonly port: number;
  readonly username?: string;
}

export type ProxyRoute = { readonly kind: 'system' } | { readonly kind: 'none' } | ProxyServer;

const SCHEMES: Record<string, ProxyServer['kind']> = { socks5: 'socks5', socks5h: 'socks5', socks: 'socks5', http: 'http' };

/**
 * The profile's proxy text → its route, or the plain-words problem. Empty and "system" are the
 * default (VS Code's own proxy handling); "none" (or "direct") connects directly.
 */
export function parseProxy(text: string | undefined): { readonly route: ProxyRoute; readonly error?: undefined } | { readonly route?: undefined; readonly error: string } {
  const t = (text ?? '').trim();
  if (!t || /^system$/i.test(t)) {
    return { route: { kind: 'system' } };
  }
  if (/^(none|direct)$/i.test(t)) {
    return { route: { kind: 'none' } };
  }
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(t);
  if (!m) {
    return { error: l10n.t('"{0}" is not a proxy: write none, system, socks5://host:port or http://host:port', t) };
  }
  const scheme = (m[1] as string).toLowerCase();
  const kind = SCHEMES[scheme];
  if (!kind) {
    return {
      error:
        scheme === 'https'
          ? l10n.t('https:// proxies (TLS to the proxy itself) are not supported: use http://host:port (HTTP CONNECT) or socks5://host:port')
          : scheme === 'socks4' || scheme === 'socks4a'
            ? l10n.t('SOCKS4 proxies are not supported: use socks5://host:port')
            : l10n.t('Unknown proxy type "{0}://": use socks5://host:port or http://host:port', scheme),
    };
  }
  let rest = m[2] as string;
  if (/[/?#]/.test(rest.replace(/\/$/, ''))) {
    return { error: l10n.t('A proxy URL has no path: write {0}://host:port', scheme) };
  }
  rest = rest.replace(/\/$/, '');
  let username: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (user.includes(':')) {
      return { error: l10n.t('The proxy password does not go in the URL: write {0}://user@host:port and set the proxy password (kept in VS Code secret storage)', scheme) };
    }
    try {
      username = decodeURIComponent(user);
    } catch {
      return { error: l10n.t('The proxy user name "{0}" is not valid URL text', user) };
    }
    if (!username) {
      return { error: l10n.t('The proxy user name before "@" is empty') };
    }
  }
  const hp = /^\[([^\]]+)\](?::(.*))?$/.exec(rest) ?? /^([^:]*)(?::(.*))?$/.exec(rest);
  const host = hp?.[1] ?? '';
  const hostError = validateHost(host);
  if (!hp || hostError) {
    return { error: l10n.t('Bad proxy host in "{0}": {1}', t, hostError ?? '') };
  }
  if (hp[2] === undefined || hp[2] === '') {
    return { error: l10n.t('Add the proxy\'s port: {0}://{1}:PORT', scheme, formatEndpoint(host, 0).replace(/:0$/, '')) };
  }
  const portError = validatePort(hp[2]);
  if (portError) {
    return { error: l10n.t('Bad proxy port in "{0}": {1}', t, portError) };
  }
  return { route: { kind, host, port: Number(hp[2]), ...(username ? { username } : {}) } };
}

/** The route's text as the profile keeps it: "system" (the default), "none" or the proxy URL (user, no password). */
export function formatProxy(route: ProxyRoute): string {
  if (route.kind === 'system' || route.kind === 'none') {
    return route.kind;
  }
  const user = route.username ? `${encodeURIComponent(route.username)}@` : '';
  return `${route.kind}://${user}${formatEndpoint(route.host, route.port)}`;
}

/** "the SOCKS5 proxy 10.0.0.5:1080" / "the HTTP proxy proxy.corp:3128", for sentences. */
export function proxyName(server: ProxyServer): string {
  return server.kind === 'socks5' ? l10n.t('the SOCKS5 proxy {0}', formatEndpoint(server.host, server.port)) : l10n.t('the HTTP proxy {0}', formatEndpoint(server.host, server.port));
}

/** How a tunnel through a proxy failed, before it is worded. */
export type ProxyFailure =
  /** The proxy itself could not be reached (a socket error code such as ECONNREFUSED, or 'timeout'). */
  | { readonly kind: 'unreachable'; readonly code: string }
  /** The proxy refused our credentials (SOCKS5 user/password status ≠ 0, HTTP 407); `sent` false: it wants some and none is set. */
  | { readonly kind: 'auth'; readonly sent: boolean }
  /** The proxy would not connect to the target: a SOCKS5 reply code (1–8) or an HTTP status. */
  | { readonly kind: 'refused'; readonly socksReply?: number; readonly httpStatus?: number; readonly statusText?: string }
  /** The proxy did not answer within the time, after it accepted the connection. */
  | { readonly kind: 'timeout' }
  /** What answered is not that kind of proxy. */
  | { readonly kind: 'protocol'; readonly detail?: string };

/** SOCKS5 reply codes (RFC 1928 §6) in plain words. */
const SOCKS_REPLIES: Record<number, () => string> = {
  1: () => l10n.t('general SOCKS server failure'),
  2: () => l10n.t('its rules do not allow this connection'),
  3: () => l10n.t('the network is unreachable from the proxy'),
  4: () => l10n.t('the host is unreachable from the proxy'),
  5: () => l10n.t('the connection was refused: nothing is listening there, seen from the proxy'),
  6: () => l10n.t('the connection timed out (TTL expired)'),
  7: () => l10n.t('the proxy does not support the CONNECT command'),
  8: () => l10n.t('the proxy does not support this kind of address'),
};

/** HTTP statuses a CONNECT proxy answers when it will not tunnel, in plain words. */
const HTTP_REFUSALS: Record<number, () => string> = {
  403: () => l10n.t('forbidden by the proxy (HTTP 403): its rules do not allow this host or port'),
  405: () => l10n.t('the proxy does not allow CONNECT (HTTP 405)'),
  502: () => l10n.t('the proxy could not reach it (HTTP 502 Bad Gateway)'),
  503: () => l10n.t('the proxy could not connect to it (HTTP 503 Service Unavailable)'),
  504: () => l10n.t('the proxy timed out connecting to it (HTTP 504 Gateway Timeout)'),
};

/** True when retrying cannot help: credentials refused, or a rule of the proxy refuses the target. */
export function isFinalProxyFailure(f: ProxyFailure): boolean {
  return f.kind === 'auth' || (f.kind === 'refused' && (f.socksReply === 2 || f.socksReply === 7 || f.socksReply === 8 || f.httpStatus === 403 || f.httpStatus === 405));
}

/** The failure in plain words, naming the proxy and the broker (`target` is "host:port"). */
export function describeProxyFailure(f: ProxyFailure, server: ProxyServer, target: string): string {
  const proxy = proxyName(server);
  switch (f.kind) {
    case 'unreachable': {
      const why =
        f.code === 'ECONNREFUSED'
          ? l10n.t('nothing is listening there')
          : f.code === 'ENOTFOUND' || f.code === 'EAI_NONAME' || f.code === 'EAI_AGAIN'
            ? l10n.t('host not found')
            : f.code === 'timeout' || f.code === 'ETIMEDOUT'
              ? l10n.t('no answer')
              : f.code === 'EHOSTUNREACH' || f.code === 'ENETUNREACH'
                ? l10n.t('no route to it')
                : f.code;
      return l10n.t('Cannot reach {0} ({1}), so {2} could not be reached through it — check the proxy address in Edit Broker', proxy, why, target);
    }
    case 'auth':
      return f.sent
        ? l10n.t('{0} refused the proxy user name or password (for {1}) — check the proxy user and proxy password in Edit Broker', proxy, target)
        : l10n.t('{0} asks for a user name and password (for {1}) — add a user to the proxy URL (socks5://user@host:port) and set the proxy password in Edit Broker', proxy, target);
    case 'refused': {
      const why =
        f.socksReply !== undefined
          ? (SOCKS_REPLIES[f.socksReply]?.() ?? l10n.t('SOCKS5 reply code {0}', f.socksReply))
          : f.httpStatus !== undefined
            ? (HTTP_REFUSALS[f.httpStatus]?.() ?? l10n.t('the proxy answered HTTP {0}{1}', f.httpStatus, f.statusText ? ` ${f.statusText}` : ''))
            : l10n.t('no reason given');
      return l10n.t('{0} refused to connect to {1}: {2}', proxy, target, why);
    }
    case 'timeout':
      return l10n.t('{0} did not answer in time while connecting to {1}', proxy, target);
    case 'protocol':
      return server.kind === 'socks5'
        ? l10n.t('The server at {0} does not answer as a SOCKS5 proxy{1}', formatEndpoint(server.host, server.port), f.detail ? ` (${f.detail})` : '')
        : l10n.t('The server at {0} does not answer as an HTTP proxy{1}', formatEndpoint(server.host, server.port), f.detail ? ` (${f.detail})` : '');
  }
}

/** An HTTP CONNECT answer's status → the failure (undefined for 2xx: the tunnel is open). */
export function httpConnectFailure(status: number, statusText: string | undefined, sentCredentials: boolean): ProxyFailure | undefined {
  if (status >= 200 && status < 300) {
    return undefined;
  }
  if (status === 407) {
    return { kind: 'auth', sent: sentCredentials };
  }
  return { kind: 'refused', httpStatus: status, ...(statusText ? { statusText } : {}) };
}

const SOCKS_REPLY_NAMES: Record<string, number> = {
  Failure: 1,
  NotAllowed: 2,
  NetworkUnreachable: 3,
  HostUnreachable: 4,
  ConnectionRefused: 5,
  TTLExpired: 6,
  CommandNotSupported: 7,
  AddressNotSupported: 8,
};

/**
 * The `socks` library's error message → the failure. It words them "Socks5 Authentication
 * failed", "Received invalid Socks5 initial handshake (no accepted authentication type)",
 * "Received invalid Socks5 final handshake response - rejected - NotAllowed", "Proxy connection
 * timed out"; a socket error keeps Node's text ("connect ECONNREFUSED 10.0.0.5:1080").
 */
export function socksFailure(message: string, sentCredentials: boolean): ProxyFailure {
  if (/Authentication failed/i.test(message)) {
    return { kind: 'auth', sent: sentCredentials };
  }
  if (/no accepted authentication type/i.test(message)) {
    return { kind: 'auth', sent: sentCredentials };
  }
  const reply = / - ([A-Za-z]+)\s*$/.exec(message)?.[1];
  if (reply && SOCKS_REPLY_NAMES[reply] !== undefined && /rejected/i.test(message)) {
    return { kind: 'refused', socksReply: SOCKS_REPLY_NAMES[reply] };
  }
  if (/timed out/i.test(message)) {
    return { kind: 'timeout' };
  }
  const code = /\b(E[A-Z_]{3,})\b/.exec(message)?.[1];
  if (code) {
    return { kind: 'unreachable', code };
  }
  return { kind: 'protocol', detail: message };
}
