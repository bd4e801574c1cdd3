// `npm start`: build, start real VS Code (code-server) with this extension loaded from the working
// tree (esbuild keeps rebuilding; run "Developer: Reload Window" to load changes), a demo workspace,
// an MQTT broker on 127.0.0.1:1883 (the running one, or an embedded aedes) and a sensor publisher.
// Prints the URL to open. Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isListening, startDemoBroker, startSensorPublisher } from './demo.mjs';
import { ensureHarness, ROOT, startCodeServer } from './harness.mjs';

const t0 = Date.now();
const MQTT_PORT = Number(process.env.BROKER_EXPLORER_MQTT_PORT ?? 1883);
const bind = process.env.BROKER_EXPLORER_BIND ?? '127.0.0.1:0';
const stoppers = [];
let stopping = false;

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  for (const stop of stoppers.reverse()) {
    await Promise.resolve(stop()).catch(() => {});
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) {
    throw new Error('the build failed');
  }
  ensureHarness({ browser: false });

  if (await isListening(MQTT_PORT)) {
    console.log(`MQTT broker: using the one already on 127.0.0.1:${MQTT_PORT}`);
  } else {
    const broker = await startDemoBroker(MQTT_PORT);
    stoppers.push(broker.stop);
    console.log(`MQTT broker: started an embedded demo broker (aedes) on 127.0.0.1:${MQTT_PORT}`);
  }
  const publisher = await startSensorPublisher(`mqtt://127.0.0.1:${MQTT_PORT}`);
  stoppers.push(publisher.stop);
  console.log('Publishing sensor readings to /weather/station01..03/{temperature,humidity,pressure} every second');

  // A persistent profile: brokers you add survive restarts of `npm start`.
  const runDir = process.env.BROKER_EXPLORER_START_DIR ?? join(ROOT, '.harness', 'start');
  for (const d of ['cfg', 'data', 'tmp', 'ext', 'ud/User']) mkdirSync(join(runDir, d), { recursive: true });
  const link = join(runDir, 'ext', 'broker-explorer.broker-explorer-dev');
  rmSync(link, { force: true, recursive: false });
  symlinkSync(ROOT, link);
  const workspace = join(runDir, 'workspace');
  if (!existsSync(workspace)) cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });

  const watch = spawn(process.execPath, ['esbuild.mjs', '--watch'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  stoppers.push(() => watch.kill());

  const server = await startCodeServer(runDir, { bind });
  stoppers.push(server.stop);
  const url = `${server.url}?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nBroker Explorer is running in VS Code (code-server) — ready in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  console.log(`Open: ${url}`);
  console.log('Then: Brokers view → Add MQTT Broker → localhost, 1883. Ctrl-C stops everything.');
} catch (err) {
  console.error(`npm start failed: ${err instanceof Error ? err.message : err}`);
  await stopAll(1);
}
