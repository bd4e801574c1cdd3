import { readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { WebSocketServer, createWebSocketStream } from 'ws';

/**
 * An MQTT-over-WebSocket broker (aedes) on 127.0.0.1 (or `host`, e.g. 127.0.0.2: not "localhost" to VS Code's proxy resolver). Debian's mosquitto 2.0.11 cannot open a
 * websockets listener on this machine ("Unable to start any listening sockets"), so the
 * WebSocket transport is tested against aedes, a real broker too.
 */
export async function startWebSocketBroker(host = '127.0.0.1', tls?: { readonly cert: string; readonly key: string }): Promise<{ port: number; path: string; stop(): Promise<void> }> {
  const { Aedes } = (await import('aedes')) as typeof import('aedes');
  const broker = await Aedes.createBroker();
  // With `tls`: wss, an HTTPS server with that certificate carrying the WebSocket.
  const server = tls ? https.createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }) : undefined;
  const wss = server ? new WebSocketServer({ server, path: '/mqtt' }) : new WebSocketServer({ host, port: 0, path: '/mqtt' });
  wss.on('connection', (socket) => broker.handle(createWebSocketStream(socket)));
  if (server) {
    await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  } else {
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  }
  const { port } = (server ?? wss).address() as net.AddressInfo;
  return {
    port,
    path: '/mqtt',
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) {
          c.terminate();
        }
        wss.close(() => broker.close(() => (server ? server.close(() => resolve()) : resolve())));
      }),
  };
}
