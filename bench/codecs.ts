// P11 (issue 20): decoding 10k Sparkplug B DDATA and 10k protobuf messages through the codec
// registry (what the Decoded tab runs) against calling protobufjs directly with the same schema,
// both producing the same display text (JSON, indented); and the Sparkplug ingest (topic model +
// SparkplugState) against the plain topic model ingest of the same payloads on ordinary topics.
// Plain Node, one process, one JSON line. Offered load: 10,000 pre-encoded messages fed in a loop
// (drain); each pair's rounds alternate (ours, then the baseline) so both see the same machine
// and the same GC state: median of 15 rounds each after 3 warm-ups.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Long from 'long';
import * as protobuf from 'protobufjs';
import { get as sparkplugPayload } from 'sparkplug-payload';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload';
import { codecRegistry } from '../src/core/codecs/registry';
import { createSparkplugState } from '../src/core/codecs/impl/sparkplug';
import { loadProtoSchemas } from '../src/core/codecs/impl/protobuf';
import { SPARKPLUG_B_PACKAGE, SPARKPLUG_B_PROTO } from '../src/core/codecs/sparkplug/schema';
import { TopicModel } from '../src/core/mqtt/topicModel';

const N = 10_000;
const ROUNDS = 15;
const LIMIT = 10 * 1024 * 1024;
const FIXTURES = join(__dirname, '../../test/fixtures/codecs');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Medians of `a` and `b` over ROUNDS rounds each, run alternately after warm-ups of both. */
async function timePair(a: () => Promise<void> | void, b: () => Promise<void> | void): Promise<[number, number]> {
  for (let i = 0; i < 3; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    await a();
    ta.push(performance.now() - t);
    t = performance.now();
    await b();
    tb.push(performance.now() - t);
  }
  return [median(ta), median(tb)];
}

async function main(): Promise<void> {
  // --- Sparkplug DDATA, encoded by Eclipse Tahu's library.
  const tahu = sparkplugPayload('spBv1.0')!;
  const ddata: Uint8Array[] = [];
  for (let i = 0; i < N; i++) {
    const metrics: UMetric[] = [];
    for (let k = 0; k < 10; k++) {
      metrics.push({ name: `Inputs/Sensor ${k}`, alias: k + 1, type: k % 3 === 0 ? 'Int64' : k % 3 === 1 ? 'Double' : 'Boolean', value: k % 3 === 0 ? i * k : k % 3 === 1 ? i / 7 + k : i % 2 === 0 });
    }
    ddata.push(tahu.encodePayload({ timestamp: 1_700_000_000_000 + i, seq: i % 256, metrics }));
  }
  const spHints = { topic: 'spBv1.0/plant/DDATA/edge1/press1' };
  await codecRegistry.decode(ddata[0]!, { limit: LIMIT, hints: spHints }); // loads the bundle
  let sink = 0;
  const SpPayload = protobuf.parse(SPARKPLUG_B_PROTO, { keepCase: true }).root.lookupType(`${SPARKPLUG_B_PACKAGE}.Payload`);
  protobuf.util.Long = Long;
  protobuf.configure();
  const toObject = { longs: String, enums: String, bytes: String, defaults: false, oneofs: false };
  const [spOurs, spLib] = await timePair(
    async () => {
      for (const b of ddata) {
        sink += (await codecRegistry.decode(b, { limit: LIMIT, hints: spHints })).text.length;
      }
    },
    () => {
      for (const b of ddata) {
        sink += JSON.stringify(SpPayload.toObject(SpPayload.decode(b), toObject), null, 2).length;
      }
    },
  );

  // --- Protobuf: acme.telemetry.Reading from the fixtures.
  const read = (p: string): string | undefined => {
    try {
      return readFileSync(join(FIXTURES, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  const schemas = await loadProtoSchemas(['proto/acme/telemetry.proto'], read, { includeDirs: ['proto'] });
  const root = new protobuf.Root();
  root.resolvePath = (_o, target) => (target.startsWith('google/') ? target : join(FIXTURES, 'proto', target));
  await root.load(['acme/telemetry.proto'], { keepCase: true });
  const Reading = root.lookupType('acme.telemetry.Reading');
  const readings: Uint8Array[] = [];
  for (let i = 0; i < N; i++) {
    readings.push(
      Reading.encode(
        Reading.fromObject({
          sensor: `line-${i % 50}`,
          value: i / 3,
          unit: 1 + (i % 2),
          location: { site: 'north', path: ['hall', `bay-${i % 7}`] },
          samples: [
            { offset_ms: 0, value: 1.5 },
            { offset_ms: 100, value: 2.5 },
          ],
          counter: String(9_007_199_254_740_993n + BigInt(i)),
          labels: { shift: 'B', line: String(i % 4) },
          ok: 'fine',
        }),
      ).finish(),
    );
  }
  const choice = { schemas, type: 'acme.telemetry.Reading' };
  const [pbOurs, pbLib] = await timePair(
    async () => {
      for (const b of readings) {
        sink += (await codecRegistry.decode(b, { limit: LIMIT, codec: 'protobuf', protobuf: choice })).text.length;
      }
    },
    () => {
      for (const b of readings) {
        sink += JSON.stringify(Reading.toObject(Reading.decode(b), { longs: String, enums: String, bytes: String, json: true }), null, 2).length;
      }
    },
  );

  // --- Ingest: the topic model alone (ordinary topics) vs the topic model + SparkplugState (spBv1.0/).
  const devices = 100;
  const plainTopics = ddata.map((_, i) => `plant/line/edge1/dev${i % devices}`);
  const spTopics = ddata.map((_, i) => `spBv1.0/plant/DDATA/edge1/dev${i % devices}`);
  const births = Array.from({ length: devices }, (_, d) => ({
    topic: `spBv1.0/plant/DBIRTH/edge1/dev${d}`,
    payload: tahu.encodePayload({ timestamp: 1, seq: 0, metrics: Array.from({ length: 10 }, (_, k) => ({ name: `Inputs/Sensor ${k}`, alias: k + 1, type: k % 3 === 0 ? 'Int64' : k % 3 === 1 ? 'Double' : 'Boolean', value: 0 })) }),
  }));
  const [plainIngest, spIngest] = await timePair(
    () => {
      const model = new TopicModel({ totalBytes: 256 * 1024 * 1024 });
      for (let i = 0; i < N; i++) {
        model.add(plainTopics[i]!, ddata[i]!, 0, false, 1_700_000_000_000 + i);
      }
    },
    () => {
      const model = new TopicModel({ totalBytes: 256 * 1024 * 1024 });
      const state = createSparkplugState();
      state.ingest('spBv1.0/plant/NBIRTH/edge1', tahu.encodePayload({ timestamp: 1, seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }] }), 0);
      for (const b of births) {
        state.ingest(b.topic, b.payload, 0);
      }
      for (let i = 0; i < N; i++) {
        const t = spTopics[i]!;
        model.add(t, ddata[i]!, 0, false, 1_700_000_000_000 + i);
        if (t.startsWith('spBv1.0/')) {
          state.ingest(t, ddata[i]!, 1_700_000_000_000 + i);
        }
      }
    },
  );
  const rate = (ms: number) => (N * 1000) / ms;
  console.log(
    JSON.stringify({
      n: N,
      rounds: ROUNDS,
      sparkplug: { oursMs: spOurs, libMs: spLib, ours: rate(spOurs), lib: rate(spLib), bytes: ddata[0]!.length },
      protobuf: { oursMs: pbOurs, libMs: pbLib, ours: rate(pbOurs), lib: rate(pbLib), bytes: readings[0]!.length },
      ingest: { plainMs: plainIngest, sparkplugMs: spIngest, plain: rate(plainIngest), sparkplug: rate(spIngest) },
      sink,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
