import * as l10n from '@vscode/l10n';
import net from 'node:net';

type AedesModule = typeof import('aedes');
let aedesModule: Promise<AedesModule> | undefined;

/** aedes is loaded when the first local broker starts, never at activation (dist/vendor/aedes.js). */
function loadAedes(): Promise<AedesModule> {
  // A failed load (e.g. the file was being rebuilt) is tried again next time.
  aedesModule ??= import('aedes').catch((err: unknown) => {
    aedesModule = undefined;
    throw err;
  });
  return aedesModule;
}

export const LOCAL_BROKER_HOST = '127.0.0.1';

export interface LocalBrokerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** A loopback address (default 127.0.0.1): the broker has no authentication. */
  readonly host?: string;
}

/** An embedded MQTT 3.1.1 broker (aedes) in this process, for people without a broker. */
export interface LocalBroker {
  readonly port: number;
  readonly host: string;
  /** Clients connected now. */
  clients(): number;
  /** Messages published by clients since the start. */
  messages(): number;
  /** Closes every client and the server; resolves when the port is free. Harmless twice. */
  stop(): Promise<void>;
}

/** True for 127.0.0.0/8, ::1 and localhost. The broker never listens on other interfaces. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** A plain sentence for a failed listen, e.g. the port is taken. */
export function describeListenError(err: NodeJS.ErrnoException, port: number): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return l10n.t('Port {0} is already in use — is another broker running? Pick another port.', port);
    case 'EACCES':
      return l10n.t('Port {0} needs administrator rights — pick a port above 1023.', port);
    case 'EADDRNOTAVAIL':
      return l10n.t('This machine has no address to listen on for port {0}.', port);
    default:
      return l10n.t('Could not listen on port {0}: {1}', port, err.message);
  }
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => reject(new Error(describeListenError(err, port)));
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** True when nothing listens on host:port (checked by binding it for a moment). */
export async function isPortFree(port: number, host = LOCAL_BROKER_HOST): Promise<boolean> {
  const server = net.createServer();
  try {
    await listen(server, port, host);
  } catch {
    return false;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return true;
}

/** The first free port of `preferred`, else one the system picks. */
export async function findFreePort(preferred: readonly number[], host = LOCAL_BROKER_HOST): Promise<number> {
  for (const port of preferred) {
    if (await isPortFree(port, host)) {
      return port;
    }
  }
  const server = net.createServer();
  await listen(server, 0, host);
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts aedes on a TCP server bound to a loopback address. Rejects with a plain sentence. */
export async function startLocalBroker(options: LocalBrokerOptions): Promise<LocalBroker> {
  const host = options.host ?? LOCAL_BROKER_HOST;
  if (!isLoopbackHost(host)) {
    throw new Error(l10n.t('The local broker listens on this machine only (127.0.0.1 or ::1), not on {0}.', host));
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(l10n.t('The port is a number between 1 and 65535 (0 picks a free one)'));
  }
  const { Aedes } = await loadAedes();
  const broker = await Aedes.createBroker();
  let published = 0;
  broker.on('publish', (_packet, client) => {
    // Client messages only: aedes itself publishes $SYS heartbeats (client null).
    if (client) {
      published++;
    }
  });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  try {
    await listen(server, options.port, host);
  } catch (err) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw err;
  }
  // After listening, a server error (rare) must not crash the process hosting it.
  server.on('error', () => undefined);
  const { port } = server.address() as net.AddressInfo;

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // server.close() stops accepting now and calls back once every connection is gone.
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        new Promise<void>((resolve) => broker.close(() => resolve())),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000))),
      ]);
      clearTimeout(timer);
      // Also the sockets that never sent CONNECT, which aedes does not know as clients.
      for (const socket of sockets) {
        socket.destroy();
      }
      await serverClosed;
    })();
    return stopped;
  };
  return {
    port,
    host,
    clients: () => broker.connectedClients,
    messages: () => published,
    stop,
  };
}
