// Demo traffic for `npm start`: an embedded MQTT broker (aedes) when nothing answers on the port,
// and a publisher of realistic sensor readings on the seed article's topics.
import net from 'node:net';

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

/** Starts aedes on 127.0.0.1:port. Resolves with { stop }. */
export async function startDemoBroker(port) {
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    stop: () => new Promise((resolve) => server.close(() => broker.close(() => resolve()))),
  };
}

const STATIONS = [
  { id: 'station01', temperature: 25.5, humidity: 48, pressure: 1013.2 },
  { id: 'station02', temperature: 18.1, humidity: 71, pressure: 1008.9 },
  { id: 'station03', temperature: 31.4, humidity: 22, pressure: 1015.6 },
];

function drift(value, step, digits = 1) {
  return Number((value + (Math.random() - 0.5) * step).toFixed(digits));
}

/**
 * Publishes every second: /weather/stationNN/{temperature,humidity,pressure} (JSON), a retained
 * /weather/stationNN/status, factory telemetry, and a small binary frame every 5 s.
 */
export async function startSensorPublisher(url = 'mqtt://127.0.0.1:1883') {
  const { default: mqtt } = await import('mqtt');
  const client = await mqtt.connectAsync(url, { clientId: `broker-explorer-demo-${process.pid}`, reconnectPeriod: 2000 });
  client.on('error', () => {});
  for (const s of STATIONS) {
    await client.publishAsync(`/weather/${s.id}/status`, 'online', { retain: true, qos: 1 });
  }
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    const ts = new Date().toISOString();
    for (const s of STATIONS) {
      s.temperature = drift(s.temperature, 0.4);
      s.humidity = Math.min(100, Math.max(0, Math.round(drift(s.humidity, 2, 0))));
      s.pressure = drift(s.pressure, 0.3);
      client.publish(`/weather/${s.id}/temperature`, JSON.stringify({ temperature: s.temperature, unit: 'C', ts }));
      client.publish(`/weather/${s.id}/humidity`, JSON.stringify({ humidity: s.humidity, unit: '%', ts }));
      client.publish(`/weather/${s.id}/pressure`, JSON.stringify({ pressure: s.pressure, unit: 'hPa', ts }), { qos: 1 });
    }
    client.publish('factory/line1/machine3/telemetry', JSON.stringify({ rpm: 1450 + Math.round(Math.random() * 30), vibration: drift(0.12, 0.02, 3), ts }));
    if (tick % 5 === 0) {
      const frame = Buffer.alloc(16);
      frame.writeUInt32BE(tick, 0);
      frame.writeFloatBE(STATIONS[0].temperature, 4);
      frame.fill(0xa5, 8);
      client.publish('devices/gw-7/raw', frame);
    }
  }, 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
