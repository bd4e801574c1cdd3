import net from 'node:net';
import mqttPacket from 'mqtt-packet';

/**
 * A minimal MQTT 3.1.1 peer on 127.0.0.1 that delivers what a test scripts, for inputs real
 * brokers here refuse to relay: Mosquitto 2.0.11 drops topics deeper than 200 levels
 * (TOPIC_HIERARCHY_LIMIT) and aedes closes the publisher, while a broker elsewhere may not. It
 * speaks the real wire protocol (CONNACK, SUBACK, PINGRESP, PUBLISH) over TCP; what it sends
 * after SUBSCRIBE is `deliver`'s packets.
 */
export async function startScriptedBroker(deliver: () => Iterable<{ topic: string; payload: string }>): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const parser = mqttPacket.parser();
    // Answers in the client's protocol version (MQTT 3.1.1 or 5).
    let opts = { protocolVersion: 4 };
    parser.on('packet', (packet) => {
      switch (packet.cmd) {
        case 'connect':
          opts = { protocolVersion: packet.protocolVersion ?? 4 };
          socket.write(mqttPacket.generate(opts.protocolVersion === 5 ? { cmd: 'connack', reasonCode: 0, sessionPresent: false } : { cmd: 'connack', returnCode: 0, sessionPresent: false }, opts));
          break;
        case 'subscribe':
          socket.write(mqttPacket.generate({ cmd: 'suback', messageId: packet.messageId, granted: packet.subscriptions.map(() => 0) }, opts));
          for (const m of deliver()) {
            socket.write(mqttPacket.generate({ cmd: 'publish', topic: m.topic, payload: m.payload, qos: 0, retain: false, dup: false }, opts));
          }
          break;
        case 'pingreq':
          socket.write(mqttPacket.generate({ cmd: 'pingresp' }, opts));
          break;
        case 'disconnect':
          socket.end();
          break;
        default:
          break;
      }
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
