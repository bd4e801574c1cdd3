// P8: formatJson on ~1 MB JSON payloads in plain Node. Prints one JSON line.
// Baseline: JSON.stringify(JSON.parse(text), null, 2) in the same process. Both results are
// flattened (one charCodeAt), as displaying them does: V8 returns JSON.stringify's output as a rope.
import { formatJson, formatJsonHead } from '../src/core/format/json';

// Realistic ~1 MB JSON payloads. Deterministic: a tiny LCG instead of Math.random, so both
// engines format the same text.
export interface Payloads {
  /** Sensor readings: nested objects, unicode and escapes in strings, ordinary numbers. */
  readonly readings: string;
  /** The same shape plus 64-bit ids and 1.0-style literals that JSON.parse would change. */
  readonly bigNumbers: string;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NAMES = ['Kühlraum Nord', 'Serveur salle B', 'Ḿeter 🌡️ #7', 'warehouse "east"', 'line\\press 4', '温度センサー', 'tab\there'];

function reading(i: number, rnd: () => number, big: boolean): string {
  const temp = Math.round((rnd() * 60 - 10) * 100) / 100;
  const hum = Math.round(rnd() * 1000) / 10;
  const obj = {
    id: `sensor-${i.toString(36)}`,
    name: NAMES[i % NAMES.length],
    ts: 1_700_000_000_000 + i * 1000,
    location: { site: `site-${i % 17}`, floor: i % 5, coords: [Math.round(rnd() * 1e6) / 1e4, Math.round(rnd() * 1e6) / 1e4] },
    values: { temperature: temp, humidity: hum, battery: Math.round(rnd() * 100), ok: rnd() > 0.1, error: null },
    tags: ['iot', i % 2 ? 'indoor' : 'outdoor', `zone/${i % 9}`],
    note: i % 3 ? '' : 'Calibrated — next check in 30 days.\nSee "manual" §4.2',
  };
  let s = JSON.stringify(obj);
  if (big) {
    // 64-bit ids and decimal literals written the way many devices send them.
    s = s.replace('{', `{"seq":${(12345678901234567890n + BigInt(i)).toString()},"scale":1.0,"offset":2.50,`);
  }
  return s;
}

export function makePayload(targetBytes: number, big: boolean): string {
  const rnd = lcg(42);
  const parts: string[] = [];
  let size = 2;
  for (let i = 0; size < targetBytes; i++) {
    const r = reading(i, rnd, big);
    parts.push(r);
    size += r.length + 1;
  }
  return `{"device":"gateway-7","readings":[${parts.join(',')}]}`;
}

export function makePayloads(targetBytes = 1024 * 1024): Payloads {
  return { readings: makePayload(targetBytes, false), bigNumbers: makePayload(targetBytes, true) };
}

export interface Measure {
  readonly bytes: number;
  readonly formatMs: number;
  readonly baselineMs: number;
  /** The first screen: formatJsonHead (parse + the first 200 formatted lines), flattened. */
  readonly firstScreenMs: number;
  readonly runs: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Alternates formatJson, formatJsonHead and the baseline so all see the same machine load; medians of `runs`. */
export function measure(text: string, runs: number, now: () => number): Measure {
  let sink = 0;
  const format = () => {
    const r = formatJson(text);
    sink += r.ok ? r.pretty.charCodeAt(r.pretty.length >> 1) : 0;
  };
  const head = () => {
    const r = formatJsonHead(text, 200);
    sink += r.ok ? r.head.charCodeAt(r.head.length >> 1) : 0;
  };
  const baseline = () => {
    const s = JSON.stringify(JSON.parse(text), null, 2);
    sink += s.charCodeAt(s.length >> 1);
  };
  for (let i = 0; i < 5; i++) {
    format();
    head();
    baseline();
  }
  const f: number[] = [];
  const h: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = now();
    format();
    f.push(now() - t);
    t = now();
    head();
    h.push(now() - t);
    t = now();
    baseline();
    b.push(now() - t);
  }
  if (sink < 0) {
    throw new Error('unreachable');
  }
  return { bytes: new TextEncoder().encode(text).length, formatMs: median(f), baselineMs: median(b), firstScreenMs: median(h), runs };
}

export function measureAll(runs: number, now: () => number): Record<string, Measure> {
  const p = makePayloads();
  return { readings: measure(p.readings, runs, now), bigNumbers: measure(p.bigNumbers, runs, now) };
}

// Run directly (node out/bench/formatJson.js): print the measures. Bundled for the browser: nothing.
if (typeof process !== 'undefined' && /formatJson\.js$/.test(process.argv[1] ?? '')) {
  console.log(JSON.stringify(measureAll(Number(process.argv[2] ?? 30), () => performance.now())));
}
