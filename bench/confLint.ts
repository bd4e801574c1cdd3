// P7: lint time of generated mosquitto.conf files (2,000 and 10,000 lines) in plain Node.
// Prints one JSON line. Baseline: splitting the same text into lines and space-separated tokens,
// the least any reader of the format must do.
import { lintConf } from '../src/core/conf';
import { lintDelayMs } from '../src/conf/confDelay';

function block(i: number): string[] {
  const port = 10_000 + i;
  switch (i % 4) {
    case 0:
      return [`# listener ${i}`, `listener ${port} 0.0.0.0`, 'protocol mqtt', 'allow_anonymous false', `password_file /etc/mosquitto/passwd`, 'max_connections 500', ''];
    case 1:
      return [`listener ${port}`, 'certfile /etc/mosquitto/certs/server.crt', 'keyfile /etc/mosquitto/certs/server.key', 'cafile /etc/mosquitto/ca.crt', 'require_certificate true', 'use_identity_as_username true', ''];
    case 2:
      return [`connection bridge-${i}`, `address broker${i}.example.com:8883`, `topic sensors/${i}/# out 1 local/ remote/`, 'bridge_protocol_version mqttv311', 'cleansession false', 'remote_username bridge', ''];
    default:
      return ['# tuning', 'max_inflight_messages 20', 'max_queued_messages 1000', 'message_size_limit 0', 'allow_anonymus true', 'log_type error', ''];
  }
}

export function generate(lines: number): string {
  const out: string[] = ['per_listener_settings true', 'persistence true', 'persistence_location /var/lib/mosquitto/', ''];
  for (let i = 0; out.length < lines; i++) {
    out.push(...block(i));
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function time(runs: number, body: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    body();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}

let sink = 0;
const tokenize = (text: string): void => {
  for (const line of text.split('\n')) {
    sink += line.split(' ').length;
  }
};

const result: Record<string, unknown> = {};
for (const lines of [2000, 10_000]) {
  const text = generate(lines);
  // Warm up the JIT the way an editing session does.
  for (let i = 0; i < 30; i++) {
    lintConf(text, { file: '/etc/mosquitto/mosquitto.conf' });
    tokenize(text);
  }
  const diagnostics = lintConf(text, { file: '/etc/mosquitto/mosquitto.conf' }).diagnostics.length;
  result[lines] = {
    lintMs: time(lines > 5000 ? 40 : 200, () => lintConf(text, { file: '/etc/mosquitto/mosquitto.conf' })),
    tokenizeMs: time(200, () => tokenize(text)),
    diagnostics,
    debounceMs: lintDelayMs(lines),
  };
}
process.stdout.write(JSON.stringify({ ...result, sink }) + '\n');
