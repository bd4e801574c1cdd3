/**
 * Turns errors from sockets, TLS, mqtt.js and amqplib into one sentence a user can act on.
 * Never includes credentials: only the endpoint and the library's code are used.
 */
import * as l10n from '@vscode/l10n';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** "MQTT" or "AMQP": used in sentences such as "does not speak MQTT". */
  readonly protocol: 'MQTT' | 'AMQP';
}

/**
 * What the connection sent as credentials (never the password itself): a refusal is worded for
 * what is known. Mosquitto answers "not authorized" (CONNACK 5 / 0x87) to a missing username, an
 * unknown user and a wrong password alike; only our profile tells those apart.
 */
export interface SentCredentials {
  readonly username?: string;
  readonly password: boolean;
}

/** Why a connection failed, when the fix is a setting of the broker (the notification offers Edit Broker…). */
export type FailureCause = 'credentials' | 'clientId' | 'vhost' | 'certificate';

/** CONNACK codes that refuse the credentials (3.1.1: 4, 5; MQTT 5: 0x86, 0x87): retrying cannot help. */
const MQTT_CREDENTIAL_CODES = new Set([4, 5, 0x86, 0x87]);
/** CONNACK codes that refuse the client id (3.1.1: 2; MQTT 5: 0x85). */
const MQTT_CLIENT_ID_CODES = new Set([2, 0x85]);

/** What a fix needs, from the library's error: the credentials, the client id, the vhost, or none of these. */
export function failureCauseOf(err: unknown, protocol: Endpoint['protocol']): FailureCause | undefined {
  const { code, message } = asErrno(err);
  if (protocol === 'MQTT') {
    if (typeof code !== 'number') {
      return undefined;
    }
    return MQTT_CREDENTIAL_CODES.has(code) || code === 0x8c ? 'credentials' : MQTT_CLIENT_ID_CODES.has(code) ? 'clientId' : undefined;
  }
  const text = typeof message === 'string' ? message : '';
  if (/ACCESS[-_]REFUSED|403/.test(text)) {
    return 'credentials';
  }
  return isVhostRefusal(text) ? 'vhost' : undefined;
}

/** RabbitMQ answers an unknown or forbidden vhost by closing during connection.open (530). */
function isVhostRefusal(message: string): boolean {
  return (/NOT_ALLOWED|530/.test(message) && /vhost/i.test(message)) || /Expected ConnectionOpenOk; got <ConnectionClose/.test(message);
}

/** An MQTT refusal of the credentials in words that say what was sent (see SentCredentials). */
function describeMqttRefusal(code: number, sent: SentCredentials): string {
  if (!sent.username) {
    return l10n.t('Not authorized: this broker needs a username and password, and none is set for this connection');
  }
  if (!sent.password) {
    return l10n.t('Not authorized: the broker refused user "{0}", and no password is saved for this connection', sent.username);
  }
  if (code === 4 || code === 0x86) {
    return l10n.t('Not authorized: bad username or password (the broker refused user "{0}" with the saved password)', sent.username);
  }
  return l10n.t('Not authorized: the broker refused user "{0}" with the saved password — a wrong password, an unknown user, or a user not allowed to connect (with this client id)', sent.username);
}

const MQTT3_CONNACK: Record<number, () => string> = {
  1: () => l10n.t('the broker does not accept this MQTT protocol version'),
  2: () => l10n.t('the broker rejected the client id'),
  3: () => l10n.t('the broker is unavailable'),
  4: () => l10n.t('Not authorized: bad username or password'),
  5: () => l10n.t('Not authorized: the broker refused these credentials'),
};

const MQTT5_CONNACK: Record<number, () => string> = {
  0x80: () => l10n.t('the broker refused the connection (unspecified error)'),
  0x81: () => l10n.t('the broker says our CONNECT packet was malformed'),
  0x82: () => l10n.t('the broker reported a protocol error'),
  0x83: () => l10n.t('the broker refused the connection (implementation specific error)'),
  0x84: () => l10n.t('the broker does not accept this MQTT protocol version'),
  0x85: () => l10n.t('the broker rejected the client id'),
  0x86: () => l10n.t('Not authorized: bad username or password'),
  0x87: () => l10n.t('Not authorized: the broker refused these credentials'),
  0x88: () => l10n.t('the broker is unavailable'),
  0x89: () => l10n.t('the broker is busy'),
  0x8a: () => l10n.t('this client is banned by the broker'),
  0x8c: () => l10n.t('the broker does not support this authentication method'),
  0x95: () => l10n.t('the CONNECT packet is too large for the broker'),
  0x97: () => l10n.t('a broker quota was exceeded'),
  0x9f: () => l10n.t('the connection rate limit was exceeded'),
};

interface ErrnoLike {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
}

function asErrno(err: unknown): ErrnoLike {
  return typeof err === 'object' && err !== null ? err : { message: String(err) };
}

/**
 * The one-line reason shown on the tree node and in the notification. `sent` words a refusal of
 * the credentials for what this connection sent.
 */
export function describeError(err: unknown, endpoint: Endpoint, sent?: SentCredentials): string {
  const e = asErrno(err);
  const where = `${endpoint.host}:${endpoint.port}`;
  const message = typeof e.message === 'string' ? e.message : '';
  const code = e.code;

  if (typeof code === 'string') {
    switch (code) {
      case 'ECONNREFUSED':
        return l10n.t('Connection refused: nothing is listening on {0}', where);
      case 'ENOTFOUND':
      case 'EAI_NONAME':
        return l10n.t('Host not found: {0}', endpoint.host);
      case 'EAI_AGAIN':
        return l10n.t('Could not resolve {0} (DNS lookup failed)', endpoint.host);
      case 'ETIMEDOUT':
      case 'ECONNTIMEDOUT':
        return l10n.t('No answer from {0} (timed out)', where);
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return l10n.t('{0} cannot be reached from this machine (no route)', endpoint.host);
      case 'ECONNRESET':
      case 'EPIPE':
        return l10n.t('The server at {0} reset the connection — it may be at its connection limit, or not be an {1} broker, or expect TLS set another way', where, endpoint.protocol);
      case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      case 'SELF_SIGNED_CERT_IN_CHAIN':
        return l10n.t("TLS: the server's certificate is self-signed and not trusted — add its CA certificate, or turn off verification for this broker");
      case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
        return l10n.t("TLS: the server's certificate was signed by an unknown authority — add its CA certificate");
      case 'CERT_HAS_EXPIRED':
        return l10n.t("TLS: the server's certificate has expired");
      case 'ERR_TLS_CERT_ALTNAME_INVALID':
        return l10n.t("TLS: the server's certificate is not valid for {0}", endpoint.host);
      case 'EPROTO':
      case 'ERR_SSL_WRONG_VERSION_NUMBER':
        return l10n.t('TLS handshake failed with {0} — the port may not speak TLS', where);
      default:
        break;
    }
  }

  if (typeof code === 'number' && endpoint.protocol === 'MQTT') {
    if (sent && MQTT_CREDENTIAL_CODES.has(code)) {
      return describeMqttRefusal(code, sent);
    }
    const text = MQTT5_CONNACK[code] ?? MQTT3_CONNACK[code];
    if (text) {
      return capitalize(text());
    }
  }

  if (endpoint.protocol === 'AMQP') {
    if (/CONNECTION[-_]FORCED/.test(message)) {
      const why = /CONNECTION_FORCED - ([^"]*)/.exec(message)?.[1]?.trim();
      return why ? l10n.t('RabbitMQ closed the connection: {0} (closed by an administrator or the broker)', why) : l10n.t('RabbitMQ closed the connection (closed by an administrator or the broker)');
    }
    if (/ACCESS[-_]REFUSED|403/.test(message)) {
      return sent?.username ? l10n.t('Not authorized: RabbitMQ refused user "{0}" or its password', sent.username) : amqpRefusals()[0];
    }
    if (isVhostRefusal(message)) {
      return amqpRefusals()[1];
    }
    if (/Expected ConnectionStart|Unexpected frame|Frame size exceeds|Unknown frame|handshake/i.test(message)) {
      return l10n.t('The server at {0} does not speak AMQP 0-9-1 — check the port', where);
    }
  }

  if (endpoint.protocol === 'MQTT' && /invalid header|invalid length|malformed|packet|cmd/i.test(message)) {
    return l10n.t('The server at {0} does not speak MQTT (it sent data that is not an MQTT packet) — check the port', where);
  }

  if (/^Keepalive timeout$/i.test(message)) {
    return l10n.t('The broker at {0} stopped answering: no reply to the keepalive ping (the network or the broker is stalled)', where);
  }

  if (/timed? ?out/i.test(message)) {
    return l10n.t('No answer from {0} (timed out)', where);
  }

  return message ? `${capitalize(message)}` : l10n.t('Unknown error talking to {0}', where);
}

/** RabbitMQ's refusals of the credentials or the vhost, as `describeError` words them (localized). */
function amqpRefusals(): [string, string] {
  return [l10n.t('Not authorized: RabbitMQ refused the username or password'), l10n.t('Not allowed: this user may not access the virtual host (or it does not exist)')];
}

/** Whether a reason from `describeError` (AMQP) says the credentials or the vhost were refused: retrying cannot help. */
export function isAmqpRefusal(reason: string): boolean {
  return /^Not (authorized|allowed)/.test(reason) || amqpRefusals().includes(reason);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
