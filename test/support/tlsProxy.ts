import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';

export interface TlsProxy {
  readonly port: number;
  /** Decrypted bytes clients sent through it so far (a CONNECT, an AMQP header, a password…). */
  bytesReceived(): number;
  /** Presents another certificate from the next handshake on (a swapped certificate, same port). */
  setCertificate(certFile: string, keyFile: string): void;
  close(): Promise<void>;
}

/**
 * A TLS terminator on 127.0.0.1 in front of a plain TCP service (the shared RabbitMQ), so that
 * amqps can be tested without reconfiguring that broker. It counts what clients send after the
 * handshake, so a test can prove that nothing was sent to a certificate the client refused.
 * With `requireAlpn` it closes clients that did not negotiate one of those ALPN protocols.
 */
export async function startTlsProxy(certFile: string, keyFile: string, targetPort: number, options: { readonly requireAlpn?: readonly string[] } = {}): Promise<TlsProxy> {
  const sockets = new Set<net.Socket>();
  let received = 0;
  const alpn = options.requireAlpn ? { ALPNProtocols: [...options.requireAlpn] } : {};
  const server = tls.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), ...alpn }, (client) => {
    // Like a broker behind 443 (AWS IoT): a client that did not ask for the protocol is closed at once.
    if (options.requireAlpn && !options.requireAlpn.includes(String(client.alpnProtocol))) {
      client.destroy();
      return;
    }
    client.on('data', (d: Buffer) => (received += d.length));
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
    bytesReceived: () => received,
    setCertificate: (cert, key) => server.setSecureContext({ cert: readFileSync(cert), key: readFileSync(key) }),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
