import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './net';

export interface PrivateBroker {
  readonly port: number;
  /** The TLS listener's port when `tls` was given. */
  readonly tlsPort?: number;
  readonly dir: string;
  /** Stops the broker process (by PID) and waits until it has exited. */
  stop(): Promise<void>;
  /** Kills the broker process with SIGKILL (a crash: no DISCONNECT, no clean close) and waits for its exit. */
  kill(): Promise<void>;
  /** Starts the same broker again on the same port, e.g. after `stop()`. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  dispose(): Promise<void>;
}

export interface PrivateBrokerOptions {
  /** username → password; when given, anonymous clients are refused. */
  readonly users?: Record<string, string>;
  /** A TLS listener (on `tlsPort`) with this server certificate; `requireClientCert` for mTLS. */
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string; readonly requireClientCert?: boolean };
  /** More config lines, e.g. `max_connections 1` or `log_type subscribe`. */
  readonly extra?: readonly string[];
  /**
   * The dynamic security plugin with these clients, each allowed to subscribe to and publish on
   * the given patterns only: it refuses other subscriptions in the SUBACK.
   */
  readonly dynsec?: Record<string, { readonly password: string; readonly subscribe?: readonly string[]; readonly publish?: readonly string[] }>;
}

const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

/** A dynamic-security.json: PBKDF2-SHA512 password hashes as the plugin stores them. */
function dynsecConfig(clients: NonNullable<PrivateBrokerOptions['dynsec']>): string {
  const entries = Object.entries(clients);
  return JSON.stringify({
    clients: entries.map(([username, c]) => {
      const salt = randomBytes(12);
      return { username, password: pbkdf2Sync(c.password, salt, 101, 64, 'sha512').toString('base64'), salt: salt.toString('base64'), iterations: 101, roles: [{ rolename: `role-${username}` }] };
    }),
    roles: entries.map(([username, c]) => ({
      rolename: `role-${username}`,
      acls: [
        ...(c.subscribe ?? []).map((topic) => ({ acltype: 'subscribePattern', topic, allow: true })),
        ...(c.publish ?? []).map((topic) => ({ acltype: 'publishClientSend', topic, allow: true })),
      ],
    })),
    groups: [],
    defaultACLAccess: { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true },
  });
}

/**
 * Starts our own mosquitto on a free high port with a generated config, never touching the
 * shared broker on 1883. It runs in the foreground as our child and is stopped by PID.
 */
export async function startPrivateMosquitto(options: PrivateBrokerOptions = {}): Promise<PrivateBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'be-mosq-'));
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : undefined;
  const lines = ['per_listener_settings false', 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', `listener ${port} 127.0.0.1`];
  if (options.tls && tlsPort) {
    lines.push(`listener ${tlsPort} 127.0.0.1`, `cafile ${options.tls.ca}`, `certfile ${options.tls.cert}`, `keyfile ${options.tls.key}`);
    if (options.tls.requireClientCert) {
      lines.push('require_certificate true');
    }
  }
  if (process.getuid?.() === 0) {
    lines.push('user root');
  }
  if (options.users) {
    const passwd = join(dir, 'passwd');
    writeFileSync(passwd, '', { mode: 0o600 });
    for (const [user, password] of Object.entries(options.users)) {
      const r = spawnSync('mosquitto_passwd', ['-b', passwd, user, password], { encoding: 'utf8' });
      if (r.status !== 0) {
        throw new Error(`mosquitto_passwd failed: ${r.stderr || r.error?.message}`);
      }
    }
    lines.push('allow_anonymous false', `password_file ${passwd}`);
  } else {
    lines.push('allow_anonymous true');
  }
  if (options.dynsec) {
    const file = join(dir, 'dynamic-security.json');
    writeFileSync(file, dynsecConfig(options.dynsec));
    lines.push(`plugin ${DYNSEC_PLUGIN}`, `plugin_opt_config_file ${file}`);
  }
  lines.push(...(options.extra ?? []));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, lines.join('\n') + '\n');

  let child: ChildProcess | undefined;
  let stderr = '';
  const start = async (): Promise<void> => {
    stderr = '';
    const proc = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child = proc;
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}: ${stderr.trim()}`))),
    );
    exited.catch(() => {});
    await Promise.race([Promise.all([waitForPort(port), tlsPort && waitForPort(tlsPort)]), exited]);
  };
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
      return;
    }
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  };
  const stop = () => stopWith('SIGTERM');
  await start();
  return {
    port,
    tlsPort,
    dir,
    start,
    stop,
    kill: () => stopWith('SIGKILL'),
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
