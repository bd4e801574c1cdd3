/**
 * Turns errors from sockets, TLS, mqtt.js and amqplib into one sentence a user can act on.
 * Never includes credentials: only the endpoint and the library's code are used.
 */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** "MQTT" or "AMQP": used in sentences such as "does not speak MQTT". */
  readonly protocol: 'MQTT' | 'AMQP';
}

const MQTT3_CONNACK: Record<number, string> = {
  1: 'the broker does not accept this MQTT protocol version',
  2: 'the broker rejected the client id',
  3: 'the broker is unavailable',
  4: 'Not authorized: bad username or password',
  5: 'Not authorized: the broker refused these credentials',
};

const MQTT5_CONNACK: Record<number, string> = {
  0x80: 'the broker refused the connection (unspecified error)',
  0x81: 'the broker says our CONNECT packet was malformed',
  0x82: 'the broker reported a protocol error',
  0x83: 'the broker refused the connection (implementation specific error)',
  0x84: 'the broker does not accept this MQTT protocol version',
  0x85: 'the broker rejected the client id',
  0x86: 'Not authorized: bad username or password',
  0x87: 'Not authorized: the broker refused these credentials',
  0x88: 'the broker is unavailable',
  0x89: 'the broker is busy',
  0x8a: 'this client is banned by the broker',
  0x8c: 'the broker does not support this authentication method',
  0x95: 'the CONNECT packet is too large for the broker',
  0x97: 'a broker quota was exceeded',
  0x9f: 'the connection rate limit was exceeded',
};

interface ErrnoLike {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
}

function asErrno(err: unknown): ErrnoLike {
  return typeof err === 'object' && err !== null ? err : { message: String(err) };
}

/** The one-line reason shown on the tree node and in the notification. */
export function describeError(err: unknown, endpoint: Endpoint): string {
  const e = asErrno(err);
  const where = `${endpoint.host}:${endpoint.port}`;
  const message = typeof e.message === 'string' ? e.message : '';
  const code = e.code;

  if (typeof code === 'string') {
    switch (code) {
      case 'ECONNREFUSED':
        return `Connection refused: nothing is listening on ${where}`;
      case 'ENOTFOUND':
      case 'EAI_NONAME':
        return `Host not found: ${endpoint.host}`;
      case 'EAI_AGAIN':
        return `Could not resolve ${endpoint.host} (DNS lookup failed)`;
      case 'ETIMEDOUT':
      case 'ECONNTIMEDOUT':
        return `No answer from ${where} (timed out)`;
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return `${endpoint.host} cannot be reached from this machine (no route)`;
      case 'ECONNRESET':
      case 'EPIPE':
        return `The server at ${where} reset the connection — it may be at its connection limit, or not be an ${endpoint.protocol} broker, or expect TLS set another way`;
      case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      case 'SELF_SIGNED_CERT_IN_CHAIN':
        return `TLS: the server's certificate is self-signed and not trusted — add its CA certificate, or turn off verification for this broker`;
      case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
        return `TLS: the server's certificate was signed by an unknown authority — add its CA certificate`;
      case 'CERT_HAS_EXPIRED':
        return `TLS: the server's certificate has expired`;
      case 'ERR_TLS_CERT_ALTNAME_INVALID':
        return `TLS: the server's certificate is not valid for ${endpoint.host}`;
      case 'EPROTO':
      case 'ERR_SSL_WRONG_VERSION_NUMBER':
        return `TLS handshake failed with ${where} — the port may not speak TLS`;
      default:
        break;
    }
  }

  if (typeof code === 'number' && endpoint.protocol === 'MQTT') {
    const text = MQTT5_CONNACK[code] ?? MQTT3_CONNACK[code];
    if (text) {
      return capitalize(text);
    }
  }

  if (endpoint.protocol === 'AMQP') {
    if (/CONNECTION[-_]FORCED/.test(message)) {
      const why = /CONNECTION_FORCED - ([^"]*)/.exec(message)?.[1]?.trim();
      return `RabbitMQ closed the connection${why ? `: ${why}` : ''} (closed by an administrator or the broker)`;
    }
    if (/ACCESS[-_]REFUSED|403/.test(message)) {
      return 'Not authorized: RabbitMQ refused the username or password';
    }
    // RabbitMQ answers an unknown or forbidden vhost by closing during connection.open (530).
    if ((/NOT_ALLOWED|530/.test(message) && /vhost/i.test(message)) || /Expected ConnectionOpenOk; got <ConnectionClose/.test(message)) {
      return 'Not allowed: this user may not access the virtual host (or it does not exist)';
    }
    if (/Expected ConnectionStart|Unexpected frame|Frame size exceeds|Unknown frame|handshake/i.test(message)) {
      return `The server at ${where} does not speak AMQP 0-9-1 — check the port`;
    }
  }

  if (endpoint.protocol === 'MQTT' && /invalid header|invalid length|malformed|packet|cmd/i.test(message)) {
    return `The server at ${where} does not speak MQTT (it sent data that is not an MQTT packet) — check the port`;
  }

  if (/^Keepalive timeout$/i.test(message)) {
    return `The broker at ${where} stopped answering: no reply to the keepalive ping (the network or the broker is stalled)`;
  }

  if (/timed? ?out/i.test(message)) {
    return `No answer from ${where} (timed out)`;
  }

  return message ? `${capitalize(message)}` : `Unknown error talking to ${where}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
