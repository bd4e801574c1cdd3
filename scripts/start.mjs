// `npm start`: build, start real VS Code (code-server) with this extension loaded from the working
// tree (esbuild keeps rebuilding; run "Developer: Reload Window" to load changes), a demo workspace,
// an MQTT broker on 127.0.0.1:1883 (the running one, or an embedded aedes) and a sensor publisher.
// Prints the URL to open: the Brokers view, with the demo broker added as `local` and connected.
// Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isListening, startDemoBroker, startSensorPublisher } from './demo.mjs';
import { ensureHarness, ROOT, startCodeServer } from './harness.mjs';

/**
 * The demo broker as the workspace broker `local` (the name the demo message files use), on the
 * port this run actually uses, auto-connecting. Written into start's own copy of the demo
 * workspace only, never into test/fixtures/workspace (tests and benches open that in place, and a
 * brokers.json there would connect every test host). Other brokers in the file are kept.
 */
function writeDemoBrokers(workspace, port) {
  const file = join(workspace, '.vscode', 'brokers.json');
  let brokers = [];
  try {
    const old = JSON.parse(readFileSync(file, 'utf8'));
    if (Array.isArray(old?.brokers)) brokers = old.brokers.filter((b) => b?.name !== 'local');
  } catch {
    /* none yet, or not JSON: start afresh */
  }
  const local = { name: 'local', kind: 'mqtt', host: '127.0.0.1', port, autoConnect: true };
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ brokers: [local, ...brokers] }, null, 2)}\n`);
  return file;
}

/**
 * A tiny extension of npm start's own (never packaged): once per `npm start`, when the window has
 * started, it opens the Brokers view, so the first screen is the product rather than the file
 * Explorer. A reload in the same run leaves the view the user chose.
 */
function writeStartHelper(extensionsDir) {
  const dir = join(extensionsDir, 'broker-explorer-dev.start-helper');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'start-helper', displayName: 'npm start: open the Brokers view', publisher: 'broker-explorer-dev', version: '0.0.1', engines: { vscode: '^1.90.0' }, main: './extension.js', activationEvents: ['onStartupFinished'] }, null, 2),
  );
  writeFileSync(
    join(dir, 'extension.js'),
    `const vscode = require('vscode');
const token = ${JSON.stringify(`${process.pid}-${Date.now()}`)};
exports.activate = async (context) => {
  if (context.globalState.get('openedFor') === token) return;
  await context.globalState.update('openedFor', token);
  await vscode.commands.executeCommand('workbench.view.extension.brokerExplorer');
};
`,
  );
}

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
  writeDemoBrokers(workspace, MQTT_PORT);
  writeStartHelper(join(runDir, 'ext'));

  const watch = spawn(process.execPath, ['esbuild.mjs', '--watch'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  stoppers.push(() => watch.kill());

  const server = await startCodeServer(runDir, { bind });
  stoppers.push(server.stop);
  const url = `${server.url}?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nBroker Explorer is running in VS Code (code-server) — ready in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  console.log(`Open: ${url}`);
  console.log(`The Brokers view opens with the demo broker "local" (127.0.0.1:${MQTT_PORT}) connected; messages/weather.mqtt sends to it. Ctrl-C stops everything.`);
} catch (err) {
  console.error(`npm start failed: ${err instanceof Error ? err.message : err}`);
  await stopAll(1);
}
