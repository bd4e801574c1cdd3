import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';

/**
 * A TLS terminator on 127.0.0.1 in front of a plain TCP service (the shared RabbitMQ), so that
 * amqps can be tested without reconfiguring that broker.
 */
export async function startTlsProxy(certFile: string, keyFile: string, targetPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
