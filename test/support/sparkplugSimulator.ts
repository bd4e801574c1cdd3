// A Sparkplug B edge node simulator, run as its own process by the integration tests (issue 20):
// it connects to an MQTT broker with an NDEATH will, publishes NBIRTH and DBIRTH (names and
// aliases), then NDATA and DDATA carrying aliases only, every `--every` ms, encoded by Eclipse
// Tahu's JavaScript library (sparkplug-payload). `--gap N` skips one sequence number after N DATA
// messages. Prints "ready" after the BIRTHs; stops on SIGTERM (sending its NDEATH) or after `--count`.
// `--metrics N` gives the device N more Double metrics (Bank/Sensor 00001…, aliases from 1000), of
// which each DDATA changes `--changed K` (the Sparkplug view bench, P11).
// It listens to its NCMD and DCMD topics like a real edge node and prints each command, decoded by
// Tahu, as a line `cmd {"topic", "metrics": [{name, alias, type, value}]}`.
//   node sparkplugSimulator.js --url mqtt://127.0.0.1:1883 --group G --node N --device D [--every 200] [--count 0] [--gap 0] [--metrics 0 --changed 0]
import mqtt from 'mqtt';
import { get as sparkplugPayload } from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
}
const url = args.get('url') ?? 'mqtt://127.0.0.1:1883';
const group = args.get('group') ?? 'plant';
const node = args.get('node') ?? 'edge1';
const device = args.get('device') ?? 'press1';
const every = Number(args.get('every') ?? 200);
const count = Number(args.get('count') ?? 0);
const gapAfter = Number(args.get('gap') ?? 0);
const extraMetrics = Number(args.get('metrics') ?? 0);
const changed = Math.min(extraMetrics, Number(args.get('changed') ?? 0));
const extraName = (i: number): string => `Bank ${String(Math.floor(i / 100)).padStart(3, '0')}/Sensor ${String(i).padStart(5, '0')}`;

const tahu = sparkplugPayload('spBv1.0')!;
const enc = (p: UPayload) => Buffer.from(tahu.encodePayload(p));
const bdSeq = 3;
let seq = 0;
const nextSeq = () => {
  const s = seq;
  seq = (seq + 1) % 256;
  return s;
};
const topic = (type: string, dev?: string) => `spBv1.0/${group}/${type}/${node}${dev ? `/${dev}` : ''}`;

async function main(): Promise<void> {
  const client = await mqtt.connectAsync(url, {
    clientId: `sp-sim-${node}-${process.pid}`,
    protocolVersion: 4,
    will: { topic: topic('NDEATH'), payload: enc({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] }), qos: 1, retain: false },
  });
  const nodeMetrics: UMetric[] = [
    { name: 'bdSeq', type: 'UInt64', value: bdSeq },
    { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
    { name: 'Properties/Firmware', alias: 1, type: 'String', value: '4.2.0' },
    { name: 'uptime', alias: 2, type: 'Int64', value: 0 },
  ];
  const deviceMetrics: UMetric[] = [
    { name: 'Inputs/Pressure', alias: 10, type: 'Float', value: 1.5 },
    { name: 'Inputs/Temperature', alias: 11, type: 'Double', value: 20.25 },
    { name: 'Outputs/Running', alias: 12, type: 'Boolean', value: true },
    { name: 'Counters/Parts', alias: 13, type: 'UInt32', value: 0 },
    ...Array.from({ length: extraMetrics }, (_, i): UMetric => ({ name: extraName(i), alias: 1000 + i, type: 'Double', value: i })),
  ];
  client.on('message', (t, payload) => {
    const p = tahu.decodePayload(payload);
    const metrics = (p.metrics ?? []).map((m) => ({ name: m.name, alias: m.alias === undefined || m.alias === null ? undefined : Number(m.alias), type: m.type, value: (m as { value?: unknown }).value }));
    console.log(`cmd ${JSON.stringify({ topic: t, metrics })}`);
  });
  await client.subscribeAsync([topic('NCMD'), `${topic('DCMD')}/+`], { qos: 0 });
  await client.publishAsync(topic('NBIRTH'), enc({ timestamp: Date.now(), seq: nextSeq(), metrics: nodeMetrics }), { qos: 0 });
  await client.publishAsync(topic('DBIRTH', device), enc({ timestamp: Date.now(), seq: nextSeq(), metrics: deviceMetrics }), { qos: 0 });
  console.log('ready');
  let sent = 0;
  const tick = async (): Promise<void> => {
    sent++;
    if (gapAfter > 0 && sent === gapAfter + 1) {
      nextSeq(); // a message "lost": the host application sees a gap
    }
    const t = Date.now();
    await client.publishAsync(topic('NDATA'), enc({ timestamp: t, seq: nextSeq(), metrics: [{ alias: 2, type: 'Int64', value: sent }] }), { qos: 0 });
    await client.publishAsync(
      topic('DDATA', device),
      enc({
        timestamp: t,
        seq: nextSeq(),
        metrics: [
          { alias: 10, type: 'Float', value: 1.5 + sent / 10 },
          { alias: 11, type: 'Double', value: 20.25 + sent },
          { alias: 13, type: 'UInt32', value: sent },
          ...Array.from({ length: changed }, (_, k): UMetric => {
            const i = (sent * changed + k) % extraMetrics;
            return { alias: 1000 + i, type: 'Double', value: i + sent / 1000 };
          }),
        ],
      }),
      { qos: 0 },
    );
    if (count > 0 && sent >= count) {
      await stop();
    }
  };
  const timer = setInterval(() => void tick(), every);
  const stop = async (): Promise<void> => {
    clearInterval(timer);
    await client.publishAsync(topic('NDEATH'), enc({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }] }), { qos: 1 });
    await client.endAsync();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
