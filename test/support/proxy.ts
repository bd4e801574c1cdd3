import * as net from 'node:net';

/** MQTT control packet types (the high nibble of the first byte) the proxy counts. */
const MQTT_PACKET_NAMES: Record<number, string> = { 1: 'CONNECT', 3: 'PUBLISH', 8: 'SUBSCRIBE', 10: 'UNSUBSCRIBE', 12: 'PINGREQ', 14: 'DISCONNECT' };

/**
 * Reads MQTT packets from a byte stream split anywhere (fixed header, variable-length
 * "remaining length", body) and counts them by type. Used on the client → broker direction.
 */
class MqttPacketCounter {
  private buffer: Buffer = Buffer.alloc(0);
  constructor(private readonly onPacket: (type: number) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.buffer.length < 2) {
        return;
      }
      let length = 0;
      let multiplier = 1;
      let i = 1;
      for (;;) {
        if (i >= this.buffer.length) {
          return; // the remaining length is not complete yet
        }
        const byte = this.buffer[i++]!;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if (!(byte & 0x80)) {
          break;
        }
        if (i > 4) {
          throw new Error('malformed MQTT remaining length');
        }
      }
      if (this.buffer.length < i + length) {
        return;
      }
      this.onPacket(this.buffer[0]! >> 4);
      this.buffer = this.buffer.subarray(i + length);
    }
  }
}

export interface ProxyConnection {
  /** MQTT packets the client sent on this connection, by name ("SUBSCRIBE": 1, …). */
  readonly packets: Record<string, number>;
  readonly openedAt: number;
  closedAt?: number;
}

export interface TcpProxy {
  readonly port: number;
  /** Every client connection the proxy accepted, oldest first. */
  readonly connections: readonly ProxyConnection[];
  /** Stops forwarding in both directions and keeps the sockets open (a half-open, stalled network). */
  stall(): void;
  /** Forwards again (data held during the stall is dropped, as a lost network would). */
  resume(): void;
  /** Destroys every open connection (a cut cable / reset); new ones are still accepted. */
  cut(): void;
  close(): Promise<void>;
}

/**
 * A small TCP proxy on 127.0.0.1 in front of `targetPort`, for fault tests: it can stall,
 * cut and count MQTT packets (`countMqtt`) without touching the broker behind it.
 */
export async function startProxy(targetPort: number, options: { countMqtt?: boolean } = {}): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  const connections: ProxyConnection[] = [];
  let stalled = false;
  const server = net.createServer((client) => {
    const info: ProxyConnection = { packets: {}, openedAt: Date.now() };
    connections.push(info);
    const counter = options.countMqtt
      ? new MqttPacketCounter((type) => {
          const name = MQTT_PACKET_NAMES[type] ?? `type${type}`;
          info.packets[name] = (info.packets[name] ?? 0) + 1;
        })
      : undefined;
    const upstream = net.connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const end = (): void => {
      info.closedAt ??= Date.now();
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('data', (d: Buffer) => {
      if (stalled) {
        return;
      }
      counter?.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!stalled) {
        client.write(d);
      }
    });
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    connections,
    stall: () => (stalled = true),
    resume: () => (stalled = false),
    cut: () => {
      for (const s of open) {
        s.destroy();
      }
      open.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
