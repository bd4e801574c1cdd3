// Every option mosquitto 2.0.11's src/conf.c accepts, with our own short documentation
// (paraphrased after mosquitto.conf(5)), plus lookup, did-you-mean and scope-aware completion helpers.

import type { OptionInfo } from './types';

type Scope = OptionInfo['scope'];
type Extra = Partial<Pick<OptionInfo, 'values' | 'default' | 'repeatable' | 'deprecated' | 'reloadable'>>;

function o(name: string, scope: Scope, syntax: string, doc: string, extra: Extra = {}): OptionInfo {
  const info: OptionInfo = { name, scope, syntax, repeatable: extra.repeatable ?? false, doc, reloadable: extra.reloadable ?? false };
  if (extra.values) {
    info.values = extra.values;
  }
  if (extra.default !== undefined) {
    info.default = extra.default;
  }
  if (extra.deprecated !== undefined) {
    info.deprecated = extra.deprecated;
  }
  return info;
}

const BOOL = ['true', 'false'];
const R = { reloadable: true } as const;

/** Note shared by the bridge aliases. */
const aliasOf = (other: string): string => `Same as \`${other}\` (mosquitto accepts both spellings).`;

export const CATALOG: readonly OptionInfo[] = [
  // ---- General --------------------------------------------------------------------------------
  o('allow_duplicate_messages', 'general', 'allow_duplicate_messages [ true | false ]',
    'Obsolete switch for delivering a message more than once to a client whose subscriptions overlap. Mosquitto 2 ignores the choice and always behaves as if it were `true`.',
    { values: BOOL, default: 'true', deprecated: 'nothing: it no longer has an effect', reloadable: true }),
  o('autosave_interval', 'general', 'autosave_interval seconds',
    'How often, in seconds, the in-memory database is written to disk when `persistence` is on. `0` saves only at shutdown. With `autosave_on_changes true` the number counts changes instead of seconds.',
    { default: '1800', ...R }),
  o('autosave_on_changes', 'general', 'autosave_on_changes [ true | false ]',
    'Makes `autosave_interval` count message/subscription changes rather than seconds.', { values: BOOL, default: 'false', ...R }),
  o('check_retain_source', 'general', 'check_retain_source [ true | false ]',
    'When on, a retained message is only delivered if its original publisher would still be allowed to publish to that topic (checked again against the ACLs).',
    { values: BOOL, default: 'false' }),
  o('clientid_prefixes', 'general', 'clientid_prefixes prefix',
    'Only clients whose client id starts with this prefix may connect. Superseded by the authentication plugins.',
    { deprecated: 'an authentication plugin or ACLs', ...R }),
  o('connection_messages', 'general', 'connection_messages [ true | false ]',
    'Log a line for every client that connects or disconnects.', { values: BOOL, default: 'true', ...R }),
  o('include_dir', 'general', 'include_dir dir',
    'Reads every file ending in `.conf` in this directory (in case-insensitive alphabetical order) as if it were part of this file. Only honoured in the main configuration file; included files cannot include further directories. The path is taken verbatim up to the end of the line, so trailing blanks count.',
    { repeatable: true }),
  o('log_dest', 'general', 'log_dest destination',
    'Where log lines go: `stdout`, `stderr`, `syslog`, `topic` (published under `$SYS/broker/log/...`), `dlt`, `none`, or `file <path>`. Repeat the option to log to several places.',
    { values: ['stderr', 'stdout', 'syslog', 'topic', 'file', 'dlt', 'none'], default: 'stderr', repeatable: true, ...R }),
  o('log_facility', 'general', 'log_facility local-facility',
    'Syslog facility to use: a number 0–7 meaning LOG_LOCAL0…LOG_LOCAL7.', { default: 'daemon', ...R }),
  o('log_timestamp', 'general', 'log_timestamp [ true | false ]',
    'Prefix each log line with a time stamp.', { values: BOOL, default: 'true', ...R }),
  o('log_timestamp_format', 'general', 'log_timestamp_format format',
    'strftime(3) pattern for the log time stamp, e.g. `%Y-%m-%dT%H:%M:%S`. Without it the time is printed as seconds since the epoch.',
    { ...R }),
  o('log_type', 'general', 'log_type type',
    'Which kinds of messages to log: `debug`, `error`, `warning`, `notice`, `information`, `subscribe`, `unsubscribe`, `websockets`, `internal`, `none` or `all`. Repeat to combine several.',
    { values: ['error', 'warning', 'notice', 'information', 'debug', 'subscribe', 'unsubscribe', 'websockets', 'internal', 'none', 'all'], default: 'error, warning, notice, information', repeatable: true, ...R }),
  o('max_inflight_bytes', 'general', 'max_inflight_bytes count',
    'Upper bound on the bytes of QoS 1/2 messages in flight to one client at a time. `0` means no limit.', { default: '0', ...R }),
  o('max_inflight_messages', 'general', 'max_inflight_messages count',
    'How many QoS 1/2 messages may be in flight to one client at a time; `0` (or 65535) means no limit. Must not exceed 65535.', { default: '20', ...R }),
  o('max_keepalive', 'general', 'max_keepalive value',
    'Largest keepalive, in seconds, a client may ask for (MQTT v5 clients are told to use this value instead). Must be between 10 and 65535.', { default: '65535', ...R }),
  o('max_packet_size', 'general', 'max_packet_size value',
    'Biggest MQTT packet, in bytes, the broker accepts; larger ones get the client disconnected. Must be at least 20. `0` / absent means no limit.', { default: 'no limit', ...R }),
  o('max_queued_bytes', 'general', 'max_queued_bytes count',
    'Upper bound on the bytes of QoS 1/2 messages queued for one client beyond those in flight. `0` means no limit.', { default: '0', ...R }),
  o('max_queued_messages', 'general', 'max_queued_messages count',
    'How many QoS 1/2 messages are queued for one client beyond those in flight. `0` means no limit.', { default: '1000', ...R }),
  o('memory_limit', 'general', 'memory_limit limit',
    'Ceiling, in bytes, on the memory the broker may allocate; beyond it new messages are refused. `0` means no limit; negative values are rejected.', { default: '0', ...R }),
  o('message_size_limit', 'general', 'message_size_limit limit',
    'Largest payload, in bytes, the broker accepts (at most 268435455). Prefer `max_packet_size`.', { default: '0 (no limit)', deprecated: 'max_packet_size', ...R }),
  o('persistence', 'general', 'persistence [ true | false ]',
    'Keep retained messages, subscriptions and queued messages of persistent clients in a file (`persistence_file` in `persistence_location`) across restarts.',
    { values: BOOL, default: 'false', ...R }),
  o('retained_persistence', 'general', 'retained_persistence [ true | false ]',
    'Old spelling of `persistence`.', { values: BOOL, default: 'false', deprecated: 'persistence', ...R }),
  o('persistence_file', 'general', 'persistence_file file name',
    'Name of the persistence database file.', { default: 'mosquitto.db', ...R }),
  o('persistence_location', 'general', 'persistence_location path',
    'Directory the persistence file is written to. Include the trailing slash on older brokers; mosquitto 2 joins it with `/`.', { default: 'the working directory', ...R }),
  o('persistent_client_expiration', 'general', 'persistent_client_expiration duration',
    'Forget persistent (clean-session false) clients that have been away for longer than this. A number followed by a unit: `h` hours, `d` days, `w` weeks, `m` months, `y` years, e.g. `14d`.',
    { default: 'never', ...R }),
  o('pid_file', 'general', 'pid_file file path',
    'Write the broker\'s process id to this file. Usually only wanted when running as a daemon from init scripts.'),
  o('queue_qos0_messages', 'general', 'queue_qos0_messages [ true | false ]',
    'Also queue QoS 0 messages for disconnected persistent clients (they count towards `max_queued_messages`).', { values: BOOL, default: 'false', ...R }),
  o('retain_available', 'general', 'retain_available [ true | false ]',
    'When `false`, retained messages are not supported: MQTT v5 clients are told so, v3 clients sending one are disconnected.', { values: BOOL, default: 'true' }),
  o('retry_interval', 'general', 'retry_interval seconds',
    'Removed in mosquitto 2.0; accepted and ignored with a warning.', { deprecated: 'nothing: it has no effect any more' }),
  o('set_tcp_nodelay', 'general', 'set_tcp_nodelay [ true | false ]',
    'Disable Nagle\'s algorithm on client sockets to lower latency of small messages at the cost of more packets.', { values: BOOL, default: 'false' }),
  o('sys_interval', 'general', 'sys_interval seconds',
    'Seconds between updates of the `$SYS` topic tree; `0` turns the updates off. At most 65535.', { default: '10', ...R }),
  o('upgrade_outgoing_qos', 'general', 'upgrade_outgoing_qos [ true | false ]',
    'Deliver messages at the subscription\'s QoS even when it is higher than the publish QoS (not MQTT compliant).', { values: BOOL, default: 'false', ...R }),
  o('user', 'general', 'user username',
    'Account the broker switches to after reading the configuration when started as root. Files it needs later (password, ACL, certificates, persistence) must be readable by that user.',
    { default: 'mosquitto' }),
  o('websockets_log_level', 'general', 'websockets_log_level level',
    'Bit mask handed to libwebsockets to choose what it logs (needs `log_type websockets`).', { default: '0', ...R }),
  o('websockets_headers_size', 'general', 'websockets_headers_size size',
    'Size of the buffer libwebsockets uses for HTTP headers, 0–65535. Raise it if browsers send large headers.', { default: 'libwebsockets\' default' }),
  o('per_listener_settings', 'general', 'per_listener_settings [ true | false ]',
    'When `true`, authentication and access control options (`password_file`, `acl_file`, `allow_anonymous`, plugins, …) belong to the listener they follow instead of being global. Must come before any of those options.',
    { values: BOOL, default: 'false' }),

  // ---- Security (global, or per listener with per_listener_settings) -----------------------------
  o('acl_file', 'security', 'acl_file file path',
    'File of access control rules (`topic`, `user`, `pattern` lines) deciding who may publish/subscribe where. Without it, every authenticated client may use every topic.',
    { ...R }),
  o('allow_anonymous', 'security', 'allow_anonymous [ true | false ]',
    'Whether clients that send no username may connect. In mosquitto 2 the default is `false` as soon as a listener is configured, so a listener without a password file, plugin or certificate-based identity refuses everybody.',
    { values: BOOL, default: 'false (true in local-only mode)', ...R }),
  o('allow_zero_length_clientid', 'security', 'allow_zero_length_clientid [ true | false ]',
    'Let MQTT v3.1.1/v5 clients connect with an empty client id; the broker then invents one starting with `auto_id_prefix`.', { values: BOOL, default: 'true', ...R }),
  o('auth_plugin', 'security', 'auth_plugin file path',
    'Old name of `plugin`: loads an authentication/authorisation plugin (shared library).', { repeatable: true, deprecated: 'plugin' }),
  o('plugin', 'security', 'plugin file path',
    'Loads a plugin (shared library) for authentication, authorisation or other extensions, e.g. the dynamic security plugin. Options for it follow as `plugin_opt_*` lines.',
    { repeatable: true }),
  o('auth_opt_*', 'security', 'auth_opt_key value',
    'Passes `key value` to the most recent `auth_plugin`/`plugin` line of the same file. The key must be at least three characters.',
    { repeatable: true }),
  o('plugin_opt_*', 'security', 'plugin_opt_key value',
    'Passes `key value` to the most recent `plugin` line of the same file. The key must be at least three characters.',
    { repeatable: true }),
  o('auth_plugin_deny_special_chars', 'security', 'auth_plugin_deny_special_chars [ true | false ]',
    'When on (the default), clients whose username or client id contains `+` or `#` are refused before the plugin sees them, guarding plugins that build ACL patterns from them.',
    { values: BOOL, default: 'true' }),
  o('auto_id_prefix', 'security', 'auto_id_prefix prefix',
    'Prefix of client ids the broker generates for clients that connect without one.', { default: 'auto-', ...R }),
  o('password_file', 'security', 'password_file file path',
    'File of `username:hash` lines (made with `mosquitto_passwd`) used to check usernames and passwords.', { ...R }),
  o('psk_file', 'security', 'psk_file file path',
    'File of `identity:key` lines (hex keys) for TLS pre-shared-key listeners (those with `psk_hint`).', { ...R }),

  // ---- Listeners ------------------------------------------------------------------------------
  o('listener', 'listener', 'listener port [bind address/host/unix socket path]',
    'Opens a network port (or, with port `0`, a Unix socket at the given path). Options that follow configure this listener until the next `listener`. Without an address it listens on all interfaces.',
    { repeatable: true }),
  o('port', 'listener', 'port port number',
    'Port of the default listener. Kept for old configurations; write `listener <port>` instead.', { default: '1883', deprecated: 'listener' }),
  o('bind_address', 'listener', 'bind_address address',
    'Address the default listener binds to. Kept for old configurations; give the address on the `listener` line instead.', { deprecated: 'listener port address' }),
  o('bind_interface', 'listener', 'bind_interface device',
    'Binds the listener to a network interface by name (e.g. `eth0`), Linux only.'),
  o('http_dir', 'listener', 'http_dir directory',
    'Serves the files of this directory over HTTP on a websockets listener.'),
  o('max_connections', 'listener', 'max_connections count',
    'Most clients this listener accepts at once; `-1` means unlimited.', { default: '-1' }),
  o('max_qos', 'listener', 'max_qos value',
    'Highest QoS clients may use on this listener (0, 1 or 2). MQTT v5 clients are told; v3 clients exceeding it are disconnected.', { values: ['0', '1', '2'], default: '2' }),
  o('maximum_qos', 'listener', 'maximum_qos value',
    'Alternative spelling of `max_qos`.', { values: ['0', '1', '2'], default: '2' }),
  o('max_topic_alias', 'listener', 'max_topic_alias number',
    'How many topic aliases an MQTT v5 client may use on this listener (0–65535; 0 disables them).', { default: '10' }),
  o('mount_point', 'listener', 'mount_point topic prefix',
    'Prefix silently added to every topic of clients on this listener, isolating them from other listeners. Must not contain `+` or `#`, and needs a `listener` line before it.'),
  o('protocol', 'listener', 'protocol value',
    'Protocol spoken on this listener: `mqtt` (plain MQTT over TCP) or `websockets` (MQTT over WebSockets).', { values: ['mqtt', 'websockets'], default: 'mqtt' }),
  o('socket_domain', 'listener', 'socket_domain [ ipv4 | ipv6 ]',
    'Restricts the listener to IPv4 or IPv6 only; by default it uses both.', { values: ['ipv4', 'ipv6'] }),
  o('use_username_as_clientid', 'listener', 'use_username_as_clientid [ true | false ]',
    'Replace each client\'s id by its username, so one user cannot have two sessions.', { values: BOOL, default: 'false' }),

  // ---- Listener TLS ---------------------------------------------------------------------------
  o('cafile', 'listener', 'cafile file path',
    'PEM file of CA certificates used to verify client certificates on this TLS listener.'),
  o('capath', 'listener', 'capath directory path',
    'Directory of CA certificates (hashed with `openssl rehash`) used to verify client certificates.'),
  o('certfile', 'listener', 'certfile file path',
    'PEM server certificate (chain) of this listener. TLS is only switched on when `keyfile` is given too.'),
  o('keyfile', 'listener', 'keyfile file path',
    'PEM private key matching `certfile`. TLS is only switched on when `certfile` is given too.'),
  o('ciphers', 'listener', 'ciphers cipher:list',
    'OpenSSL cipher list for TLS 1.2 and below on this listener (see `openssl ciphers`).'),
  o('ciphers_tls1.3', 'listener', 'ciphers_tls1.3 cipher:list',
    'OpenSSL list of TLS 1.3 cipher suites for this listener.'),
  o('crlfile', 'listener', 'crlfile file path',
    'Certificate revocation list checked against client certificates (with `require_certificate true`).'),
  o('dhparamfile', 'listener', 'dhparamfile file path',
    'Diffie-Hellman parameters (PEM) enabling DHE cipher suites.'),
  o('require_certificate', 'listener', 'require_certificate [ true | false ]',
    'Demand a valid client certificate (signed by `cafile`/`capath`) from every client of this TLS listener.', { values: BOOL, default: 'false' }),
  o('tls_engine', 'listener', 'tls_engine engine',
    'OpenSSL engine (e.g. a hardware module) used for TLS on this listener.'),
  o('tls_engine_kpass_sha1', 'listener', 'tls_engine_kpass_sha1 hex',
    'SHA-1 of the private key password, as 40 hex digits, handed to the TLS engine.'),
  o('tls_keyform', 'listener', 'tls_keyform [ pem | engine ]',
    'Whether `keyfile` is a PEM file or a key held by the TLS engine.', { values: ['pem', 'engine'], default: 'pem' }),
  o('tls_version', 'listener', 'tls_version version',
    'Lowest TLS version offered: `tlsv1.3`, `tlsv1.2` or `tlsv1.1`. Any other value makes the listener fail at startup.',
    { values: ['tlsv1.3', 'tlsv1.2', 'tlsv1.1'], default: 'tlsv1.1 and newer' }),
  o('use_identity_as_username', 'listener', 'use_identity_as_username [ true | false ]',
    'Use the client certificate\'s Common Name (or the PSK identity) as the username; the password is not checked. Needs `require_certificate true` for certificates.',
    { values: BOOL, default: 'false' }),
  o('use_subject_as_username', 'listener', 'use_subject_as_username [ true | false ]',
    'Use the full subject of the client certificate as the username.', { values: BOOL, default: 'false' }),
  o('psk_hint', 'listener', 'psk_hint hint',
    'Turns on TLS with pre-shared keys for this listener and sends this hint to clients. Keys come from `psk_file`. Cannot be combined with certificate options on the same listener.'),

  // ---- Bridges --------------------------------------------------------------------------------
  o('connection', 'bridge', 'connection name',
    'Starts a bridge to another broker; the options that follow configure it. Each bridge needs at least `address` and one `topic`, and names must be unique.',
    { repeatable: true }),
  o('address', 'bridge', 'address address[:port] [address[:port]]',
    'Host(s) of the remote broker, optionally with `:port` (default 1883). Several addresses are tried in turn (or the first is preferred with `round_robin false`).'),
  o('addresses', 'bridge', 'addresses address[:port] [address[:port]]', aliasOf('address')),
  o('topic', 'bridge', 'topic pattern [[[ out | in | both ] qos-level] local-prefix remote-prefix]',
    'A topic pattern shared with the remote broker, its direction (`out` by default), QoS (0–2), and optional prefixes to remap topics (`""` for none).',
    { values: ['out', 'in', 'both'], repeatable: true }),
  o('bridge_attempt_unsubscribe', 'bridge', 'bridge_attempt_unsubscribe [ true | false ]',
    'Send unsubscribe requests for topics no longer bridged when the bridge reconnects.', { values: BOOL, default: 'true' }),
  o('bridge_bind_address', 'bridge', 'bridge_bind_address ip address',
    'Local address the bridge connects from.'),
  o('bridge_max_packet_size', 'bridge', 'bridge_max_packet_size value',
    'Largest packet the bridge accepts from the remote broker (MQTT v5 bridges). `0` means no limit.', { default: '0' }),
  o('bridge_outgoing_retain', 'bridge', 'bridge_outgoing_retain [ true | false ]',
    'Keep the retain flag on messages sent to the remote broker (set `false` for brokers such as Azure IoT Hub that refuse it).', { values: BOOL, default: 'true' }),
  o('bridge_protocol_version', 'bridge', 'bridge_protocol_version version',
    'MQTT version the bridge speaks: `mqttv50`, `mqttv311` or `mqttv31`. The value is the rest of the line taken literally, so no trailing blanks or comments.',
    { values: ['mqttv50', 'mqttv311', 'mqttv31'], default: 'mqttv311' }),
  o('cleansession', 'bridge', 'cleansession [ true | false ]',
    'Clean session flag the bridge uses towards the remote broker. With `false` messages queued for the bridge survive reconnects.', { values: BOOL, default: 'false' }),
  o('local_cleansession', 'bridge', 'local_cleansession [ true | false ]',
    'Clean session flag of the bridge\'s connection to this broker; defaults to `cleansession`.', { values: BOOL }),
  o('idle_timeout', 'bridge', 'idle_timeout seconds',
    'For `start_type lazy`: disconnect after this many idle seconds.', { default: '60' }),
  o('keepalive_interval', 'bridge', 'keepalive_interval seconds',
    'Keepalive the bridge uses with the remote broker (at least 5, at most 65535).', { default: '60' }),
  o('local_clientid', 'bridge', 'local_clientid id',
    'Client id the bridge uses on this broker. Must differ between bridges.', { default: 'local.<remote_clientid>' }),
  o('local_password', 'bridge', 'local_password password', 'Password the bridge uses on this broker.'),
  o('local_username', 'bridge', 'local_username username', 'Username the bridge uses on this broker.'),
  o('notifications', 'bridge', 'notifications [ true | false ]',
    'Publish the bridge\'s connection state (1/0) to a notification topic.', { values: BOOL, default: 'true' }),
  o('notifications_local_only', 'bridge', 'notifications_local_only [ true | false ]',
    'Publish the state notifications only on this broker, not on the remote one.', { values: BOOL, default: 'false' }),
  o('notification_topic', 'bridge', 'notification_topic topic',
    'Topic of the state notifications.', { default: '$SYS/broker/connection/<remote_clientid>/state' }),
  o('remote_clientid', 'bridge', 'remote_clientid id',
    'Client id the bridge uses on the remote broker.', { default: '<hostname>.<connection name>' }),
  o('clientid', 'bridge', 'clientid id', aliasOf('remote_clientid')),
  o('remote_password', 'bridge', 'remote_password value', 'Password the bridge sends to the remote broker (with `remote_username`).'),
  o('password', 'bridge', 'password value', aliasOf('remote_password')),
  o('remote_username', 'bridge', 'remote_username name', 'Username the bridge sends to the remote broker.'),
  o('username', 'bridge', 'username name', aliasOf('remote_username')),
  o('restart_timeout', 'bridge', 'restart_timeout base [cap]',
    'Seconds to wait before reconnecting. With two numbers, a random backoff between `base` and `cap` (cap must not be lower than base).', { default: '5 30' }),
  o('round_robin', 'bridge', 'round_robin [ true | false ]',
    'With several addresses: `false` treats the first as primary and returns to it; `true` just cycles through them.', { values: BOOL, default: 'false' }),
  o('start_type', 'bridge', 'start_type [ automatic | lazy | once ]',
    '`automatic` connects at startup and reconnects; `lazy` connects once `threshold` messages are queued; `once` connects at startup only. (`manual` is rejected.)',
    { values: ['automatic', 'lazy', 'once'], default: 'automatic' }),
  o('threshold', 'bridge', 'threshold count', 'For `start_type lazy`: queued messages that trigger the connection.', { default: '10' }),
  o('try_private', 'bridge', 'try_private [ true | false ]',
    'Tell the remote broker this is a bridge (mosquitto-specific), so it can avoid loops.', { values: BOOL, default: 'true' }),
  o('bridge_alpn', 'bridge', 'bridge_alpn alpn', 'ALPN protocol name sent during the bridge\'s TLS handshake.'),
  o('bridge_cafile', 'bridge', 'bridge_cafile file path', 'CA certificates (PEM) that turn on TLS for the bridge and verify the remote broker.'),
  o('bridge_capath', 'bridge', 'bridge_capath directory path', 'Directory of CA certificates that turns on TLS for the bridge.'),
  o('bridge_certfile', 'bridge', 'bridge_certfile file path', 'Client certificate the bridge presents to the remote broker.'),
  o('bridge_keyfile', 'bridge', 'bridge_keyfile file path', 'Private key for `bridge_certfile`.'),
  o('bridge_insecure', 'bridge', 'bridge_insecure [ true | false ]',
    'Skip checking that the remote certificate matches the host name. Only for testing.', { values: BOOL, default: 'false' }),
  o('bridge_require_ocsp', 'bridge', 'bridge_require_ocsp [ true | false ]',
    'Require an OCSP-stapled response from the remote broker.', { values: BOOL, default: 'false' }),
  o('bridge_tls_version', 'bridge', 'bridge_tls_version version',
    'TLS version used by the bridge: `tlsv1.3`, `tlsv1.2` or `tlsv1.1`.', { values: ['tlsv1.3', 'tlsv1.2', 'tlsv1.1'], default: 'tlsv1.2' }),
  o('bridge_identity', 'bridge', 'bridge_identity identity',
    'PSK identity for a TLS-PSK bridge (needs `bridge_psk`; cannot be combined with certificate options).'),
  o('bridge_psk', 'bridge', 'bridge_psk key',
    'Pre-shared key in hex for a TLS-PSK bridge (needs `bridge_identity`).'),
];

const EXACT = new Map<string, OptionInfo>();
const PREFIXES: { prefix: string; info: OptionInfo }[] = [];
for (const info of CATALOG) {
  if (info.name.endsWith('*')) {
    PREFIXES.push({ prefix: info.name.slice(0, -1), info });
  } else {
    EXACT.set(info.name, info);
  }
}
const LOWER = new Map<string, string>();
for (const info of CATALOG) {
  if (!info.name.endsWith('*')) {
    LOWER.set(info.name.toLowerCase(), info.name);
  }
}
const NAMES: readonly string[] = CATALOG.filter((i) => !i.name.endsWith('*')).map((i) => i.name);

/** The catalog entry for an option name as mosquitto compares it (case-sensitive; `auth_opt_x`, `plugin_opt_x` by prefix). */
export function findOption(name: string): OptionInfo | undefined {
  const exact = EXACT.get(name);
  if (exact) {
    return exact;
  }
  for (const p of PREFIXES) {
    if (name.startsWith(p.prefix)) {
      return p.info;
    }
  }
  return undefined;
}

/** Levenshtein distance, giving up (returning max+1) once it exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) {
    return max + 1;
  }
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) {
    prev[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur[j] = v;
      if (v < rowMin) {
        rowMin = v;
      }
    }
    if (rowMin > max) {
      return max + 1;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length] ?? max + 1;
}

/** A known option the unknown `name` was probably meant to be: same name in other case, or a close spelling. */
export function suggestOption(name: string): string | undefined {
  if (name.length === 0 || name.length > 64) {
    return undefined;
  }
  const lower = name.toLowerCase();
  const ci = LOWER.get(lower);
  if (ci !== undefined && ci !== name) {
    return ci;
  }
  const max = name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = max + 1;
  for (const n of NAMES) {
    const d = distance(lower, n, bestD - 1 < max ? bestD - 1 : max);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  if (best !== undefined && best !== name) {
    return best;
  }
  // auth_opt/plugin_opt with a bad prefix spelling, e.g. `plugin_opts_x`.
  return undefined;
}

/** Where the cursor is, for completion: before any listener/bridge, inside a listener, or inside a bridge. */
export interface ScopeContext {
  section: 'general' | 'listener' | 'bridge';
  /** per_listener_settings is true: security options then belong to listeners. */
  perListenerSettings?: boolean;
}

/** Options that make sense at this point of a file, best fits first (still all valid options). */
export function optionsInScope(ctx: ScopeContext): OptionInfo[] {
  const perListener = ctx.perListenerSettings === true;
  const rank = (i: OptionInfo): number => {
    switch (ctx.section) {
      case 'bridge':
        return i.scope === 'bridge' ? 0 : i.name === 'connection' || i.name === 'listener' ? 1 : 3;
      case 'listener':
        if (i.scope === 'listener' || (perListener && i.scope === 'security')) {
          return 0;
        }
        return i.scope === 'bridge' ? (i.name === 'connection' ? 1 : 9) : 2;
      default:
        if (i.scope === 'general' || (!perListener && i.scope === 'security')) {
          return 0;
        }
        if (i.name === 'listener' || i.name === 'connection') {
          return 0;
        }
        return i.scope === 'bridge' ? 9 : 1;
    }
  };
  // Bridge options outside a bridge are errors; listener options before a listener configure the default listener.
  return CATALOG.filter((i) => rank(i) < 9).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
