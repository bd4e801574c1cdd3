import * as net from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';

/** One MQTT packet as it crossed the sniffer: who sent it, and when (in crossing order). */
export interface SniffedPacket {
  readonly from: 'client' | 'broker';
  readonly packet: Packet;
  /** Position in the order packets crossed the sniffer, both directions together. */
  readonly order: number;
}

export interface MqttSniffer {
  readonly port: number;
  /** Every packet of every connection, in the order they crossed. */
  readonly packets: readonly SniffedPacket[];
  /** The client's packets of one type ("connect", "subscribe", …). */
  fromClient(cmd: string): Packet[];
  /**
   * The most QoS 1/2 PUBLISH packets the broker had sent and the client not yet acknowledged
   * (PUBACK / PUBREC) at any moment, as seen on the wire: what the client's Receive Maximum limits.
   */
  maxInFlightToClient(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of an MQTT broker that decodes both directions with
 * mqtt-packet (mqtt.js's own parser) and forwards the bytes untouched: tests see what the client
 * really sent (CONNECT properties, one SUBSCRIBE per filter) and what the broker did with it.
 */
export async function startMqttSniffer(targetPort: number, protocolVersion: 4 | 5): Promise<MqttSniffer> {
  const packets: SniffedPacket[] = [];
  const open = new Set<net.Socket>();
  let order = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const fromClient = mqttPacket.parser({ protocolVersion });
    const fromBroker = mqttPacket.parser({ protocolVersion });
    fromClient.on('packet', (packet) => packets.push({ from: 'client', packet, order: order++ }));
    fromBroker.on('packet', (packet) => packets.push({ from: 'broker', packet, order: order++ }));
    // A parse error ends the sniffing of that direction, never the test.
    fromClient.on('error', () => undefined);
    fromBroker.on('error', () => undefined);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('data', (d: Buffer) => {
      fromClient.parse(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      fromBroker.parse(d);
      client.write(d);
    });
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    packets,
    fromClient: (cmd) => packets.filter((p) => p.from === 'client' && p.packet.cmd === cmd).map((p) => p.packet),
    maxInFlightToClient: () => {
      const waiting = new Set<number>();
      let most = 0;
      for (const { from, packet } of packets) {
        if (from === 'broker' && packet.cmd === 'publish' && packet.qos > 0 && packet.messageId !== undefined) {
          waiting.add(packet.messageId);
          most = Math.max(most, waiting.size);
        } else if (from === 'client' && (packet.cmd === 'puback' || packet.cmd === 'pubrec') && packet.messageId !== undefined) {
          waiting.delete(packet.messageId);
        }
      }
      return most;
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
