/**
 * A pasted `mosquitto_sub` / `mosquitto_pub` command line → one connection. Options as in
 * eclipse/mosquitto client/client_shared.c (client_config_line_proc) and the man pages
 * mosquitto_sub(1), mosquitto_pub(1): -h -p -u -P -i -I -k -c -t -q -V -L -x, the TLS options,
 * and the rest named as ignored. The line is split into words by `shell-quote`, as a POSIX shell would.
 */
import * as l10n from '@vscode/l10n';
import { parse as parseShell } from 'shell-quote';
import { draftProfile, integer, protocolVersionOf, type ImportedBroker, type ImportResult } from './imported';
import type { MqttSubscription, TlsOptions } from '../profile';
import { validateFilter } from '../subscriptions';
import { parseProxy } from '../proxy';

/** Options that take a value (short and long spellings), by what they set. */
const VALUE_OPTIONS: Record<string, string> = {
  '-h': 'host',
  '--host': 'host',
  '-p': 'port',
  '--port': 'port',
  '-u': 'username',
  '--username': 'username',
  '-P': 'password',
  '--pw': 'password',
  '-i': 'id',
  '--id': 'id',
  '-I': 'idPrefix',
  '--id-prefix': 'idPrefix',
  '-k': 'keepalive',
  '--keepalive': 'keepalive',
  '-t': 'topic',
  '--topic': 'topic',
  '-q': 'qos',
  '--qos': 'qos',
  '-V': 'version',
  '--protocol-version': 'version',
  '-L': 'url',
  '--url': 'url',
  '-x': 'sessionExpiry',
  '--session-expiry-interval': 'sessionExpiry',
  '--cafile': 'cafile',
  '--capath': 'capath',
  '--cert': 'cert',
  '--key': 'key',
  '--tls-alpn': 'alpn',
  '--proxy': 'proxy',
  // Read and left alone: what is published, how output looks, will messages, PSK, properties.
  '-m': '',
  '--message': '',
  '-f': '',
  '--file': '',
  '-T': '',
  '--filter-out': '',
  '-U': '',
  '--unsubscribe': '',
  '-F': '',
  '-C': '',
  '-W': '',
  '-R': '',
  '-D': '',
  '--property': '',
  '-A': '',
  '-o': '',
  '--will-topic': '',
  '--will-payload': '',
  '--will-qos': '',
  '--psk': '',
  '--psk-identity': '',
  '--ciphers': '',
  '--tls-version': '',
  '--keyform': '',
  '--tls-engine': '',
  '--tls-engine-kpass-sha1': '',
  '--unix': '',
  '--repeat': '',
  '--repeat-delay': '',
  '--random-filter': '',
};

/** True when the text starts like a mosquitto client command line. */
export function isMosquittoCommand(textValue: string): boolean {
  return /^\s*(?:\S*\/)?mosquitto_(?:sub|pub|rr)(?:\.exe)?\b/.test(textValue);
}

export function parseMosquittoCommand(commandLine: string): ImportResult {
  // Line continuations (\ at the end of a line, PowerShell's `, cmd's ^) join the lines first.
  const joined = commandLine.replace(/[\\`^]\r?\n/g, ' ').replace(/\r?\n/g, ' ');
  const words: string[] = [];
  for (const token of parseShell(joined, (name: string) => `$${name}`)) {
    if (typeof token !== 'string') {
      // `| jq`, `; echo`, `&&`, a comment: the mosquitto command ends there.
      if ('comment' in token) {
        break;
      }
      if ('op' in token && token.op === 'glob') {
        words.push(token.pattern);
        continue;
      }
      break;
    }
    words.push(token);
  }
  const program = words.shift() ?? '';
  if (!/mosquitto_(sub|pub|rr)(\.exe)?$/.test(program)) {
    return { format: 'mosquitto_sub', brokers: [], problems: [l10n.t('this is not a mosquitto_sub or mosquitto_pub command line (it starts with "{0}")', program)] };
  }
  const tool = /mosquitto_(sub|pub|rr)/.exec(program)?.[0] ?? 'mosquitto_sub';
  const values: Record<string, string> = {};
  const topics: string[] = [];
  const notes: string[] = [];
  const ignored = new Set<string>();
  let clean = true;
  let insecure = false;
  let osCerts = false;
  for (let i = 0; i < words.length; i++) {
    // --opt=value is not mosquitto's syntax, but users write it: split it.
    const word = words[i] ?? '';
    const eq = /^(--[a-z-]+)=(.*)$/.exec(word);
    const option = eq?.[1] ?? word;
    if (option in VALUE_OPTIONS) {
      const value = eq ? eq[2] : words[++i];
      if (value === undefined) {
        return { format: tool, brokers: [], problems: [l10n.t('{0} needs a value', option)] };
      }
      const key = VALUE_OPTIONS[option];
      if (!key) {
        ignored.add(option);
      } else if (key === 'topic') {
        topics.push(value);
      } else {
        values[key] = value;
      }
      continue;
    }
    if (option === '-c' || option === '--disable-clean-session') {
      clean = false;
    } else if (option === '--insecure') {
      insecure = true;
    } else if (option === '--tls-use-os-certs') {
      osCerts = true;
    } else if (option.startsWith('-')) {
      ignored.add(option);
    } else {
      notes.push(l10n.t('"{0}" is not an option and was left out', option));
    }
  }

  // -L mqtt(s)://[username[:password]@]host[:port]/topic
  let fromUrl: { host?: string; port?: string; tls?: boolean; username?: string; password?: string; topic?: string } = {};
  if (values.url) {
    const m = /^(mqtts?):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?(?:\/(.*))?$/.exec(values.url);
    if (!m) {
      return { format: tool, brokers: [], problems: [l10n.t('-L {0} is not a URL such as mqtt://user:password@host:1883/topic', values.url)] };
    }
    fromUrl = { tls: m[1] === 'mqtts', username: m[2] ? decodeURIComponent(m[2]) : undefined, password: m[3] ? decodeURIComponent(m[3]) : undefined, host: m[4]?.replace(/^\[|\]$/g, ''), port: m[5], topic: m[6] };
    if (fromUrl.topic) {
      topics.push(fromUrl.topic);
    }
  }

  const tls: TlsOptions = {
    ...(values.cafile ? { caFile: values.cafile } : {}),
    ...(values.cert ? { certFile: values.cert } : {}),
    ...(values.key ? { keyFile: values.key } : {}),
    ...(values.alpn ? { alpnProtocols: [values.alpn] } : {}),
  };
  if (values.capath) {
    notes.push(l10n.t('--capath {0} left out: choose a CA file instead (a folder of CA certificates is not supported)', values.capath));
  }
  // --proxy socks5h://[user[:password]@]host[:port]: the same SOCKS5 proxy, its password to secret storage.
  let proxy: string | undefined;
  let proxyPassword: string | undefined;
  if (values.proxy) {
    const m = /^socks5h?:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/i.exec(values.proxy);
    const url = m && `socks5://${m[1] ? `${m[1]}@` : ''}${m[3] ?? ''}:${m[4] ?? '1080'}`;
    if (url && !parseProxy(url).error) {
      proxy = url;
      proxyPassword = m[2] ? decodeURIComponent(m[2]) : undefined;
    } else {
      notes.push(l10n.t('--proxy {0} left out: it is not socks5h://[user[:password]@]host[:port]', values.proxy));
    }
  }
  // mosquitto's clients speak TLS when they are given something to verify the broker with (or a client certificate).
  const useTls = fromUrl.tls === true || Boolean(values.cafile || values.capath || values.cert) || osCerts;

  const qos = integer(values.qos ?? '0', 0, 2) as 0 | 1 | 2 | undefined;
  if (qos === undefined) {
    notes.push(l10n.t('-q {0} is not a QoS (0, 1 or 2): 0 used', values.qos ?? ''));
  }
  const subscriptions: MqttSubscription[] = [];
  if (tool === 'mosquitto_sub') {
    for (const filter of topics) {
      const problem = validateFilter(filter);
      if (problem) {
        notes.push(l10n.t('subscription "{0}" left out: {1}', filter, problem));
      } else if (!subscriptions.some((s) => s.filter === filter)) {
        subscriptions.push({ filter, qos: qos ?? 0 });
      }
    }
  } else if (topics.length) {
    notes.push(l10n.t('{0} published to {1}: the tree subscribes to # and $SYS/# as for any new broker', tool, topics.join(', ')));
  }
  if (values.idPrefix && !values.id) {
    notes.push(l10n.t('-I {0}: the client ID is left to Broker Explorer', values.idPrefix));
  }
  let password = values.password ?? fromUrl.password;
  if (password && /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(password)) {
    notes.push(l10n.t('the password came from {0}: you will be asked for it once', password));
    password = undefined;
  }
  if (ignored.size) {
    notes.push(l10n.t('left out (not connection settings): {0}', [...ignored].join(' ')));
  }
  const version = values.version ? protocolVersionOf(values.version, notes) : undefined;
  if (values.version && version === undefined) {
    notes.push(l10n.t('-V {0} is not a protocol version (mqttv5, mqttv311): MQTT 5 used', values.version));
  }
  // mosquitto_sub speaks MQTT 3.1.1 unless -V says otherwise; so does the imported connection.
  const host = values.host ?? fromUrl.host ?? 'localhost';
  const draft = draftProfile(
    {
      host,
      port: values.port ?? fromUrl.port,
      transport: useTls ? 'mqtts' : 'mqtt',
      clientId: values.id,
      username: values.username ?? fromUrl.username,
      keepalive: values.keepalive,
      clean,
      sessionExpiry: values.sessionExpiry,
      protocolVersion: version ?? 4,
      subscriptions,
      tls,
    },
    notes,
    insecure,
  );
  if (!draft.profile) {
    return { format: tool, brokers: [], problems: [draft.problem ?? ''] };
  }
  const profile = proxy ? { ...draft.profile, proxy } : draft.profile;
  const broker: ImportedBroker = { profile, ...(password ? { password } : {}), ...(proxyPassword ? { proxyPassword } : {}), certificates: [], notes };
  return { format: tool, brokers: [broker], problems: [] };
}
