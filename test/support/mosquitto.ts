import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) {
      return;
    }
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };
  await start();
  return {
    port,
    tlsPort,
    dir,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
