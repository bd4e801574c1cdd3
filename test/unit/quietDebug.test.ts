import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** Makes an MQTT client (to a port nobody listens on) with `DEBUG=mqttjs*` and returns its stderr. */
function debugOutput(mqttModule: string): string {
  const script = `
    const m = require(${JSON.stringify(mqttModule)});
    const c = m.connect('mqtt://127.0.0.1:9', { reconnectPeriod: 0, connectTimeout: 200 });
    c.on('error', () => {});
    setTimeout(() => { c.end(true); process.exit(0); }, 300);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, DEBUG: 'mqttjs*,mqtt-packet*' }, encoding: 'utf8', timeout: 10_000, cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

describe("the extension's bundled mqtt.js (dist/vendor/mqtt.js)", () => {
  it('has its per-packet debug logging compiled out: DEBUG=mqttjs* prints nothing, unlike the npm package', function () {
    this.timeout(30_000);
    const stock = debugOutput('mqtt');
    assert.match(stock, /mqttjs/, 'the npm mqtt.js logs with DEBUG set (the control)');
    const bundled = debugOutput(join(ROOT, 'dist/vendor/mqtt.js'));
    assert.equal(bundled, '', 'the bundled copy is silent');
  });
});
