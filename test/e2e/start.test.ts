// `npm start` as the README describes it: VS Code (code-server) with the extension from the
// working tree, and an embedded demo broker when nothing answers on the MQTT port.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { freePort, waitForPort } from '../support/net';
import { activityBarItem, expandRow, sidebarRow } from '../support/workbench';

type Harness = typeof import('../../scripts/harness.mjs');
const ROOT = resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require(join(ROOT, 'scripts/harness.mjs')) as Harness;

describe('npm start', function () {
  this.timeout(120_000);
  let child: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'be-start-'));

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && context) {
      await context.pages()[0]?.screenshot({ path: join(ROOT, 'test/e2e/screenshots/start-failure.png') }).catch(() => {});
    }
  });

  after(async () => {
    await context?.close().catch(() => {});
    if (child?.pid && child.exitCode === null) {
      // start.mjs runs in its own process group: end it and everything it started.
      process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves VS Code with the extension, starts a demo broker, and stops everything on Ctrl-C', async () => {
    const mqttPort = await freePort();
    const started = Date.now();
    child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
      cwd: ROOT,
      env: { ...process.env, BROKER_EXPLORER_MQTT_PORT: String(mqttPort), BROKER_EXPLORER_START_DIR: join(dir, 'run') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setInterval(() => {
        const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(output);
        if (m?.[1]) {
          clearInterval(timer);
          resolveUrl(m[1]);
        } else if (child!.exitCode !== null || Date.now() - started > 90_000) {
          clearInterval(timer);
          reject(new Error(`npm start did not print a URL:\n${output}`));
        }
      }, 100);
    });
    const urlAt = Date.now() - started;
    assert.match(output, new RegExp(`started an embedded demo broker \\(aedes\\) on 127\\.0\\.0\\.1:${mqttPort}`));
    await waitForPort(mqttPort, 5000);

    context = await harness.launchBrowser(join(dir, 'chrome'));
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    const brokers = activityBarItem(page, 'Brokers');
    await brokers.waitFor({ timeout: 60_000 });
    // The first screen is the product: the Brokers view open (nobody clicks it), the demo broker
    // added from the workspace's .vscode/brokers.json as "local" on this run's port, connected,
    // and the live sensor topics under it.
    const local = sidebarRow(page, /^local\s*connected\b/);
    await local.waitFor({ timeout: 60_000 });
    const written = JSON.parse(readFileSync(join(dir, 'run', 'workspace', '.vscode', 'brokers.json'), 'utf8')) as { brokers: { name: string; port: number; autoConnect: boolean }[] };
    assert.deepEqual(written.brokers.find((b) => b.name === 'local'), { name: 'local', kind: 'mqtt', host: '127.0.0.1', port: mqttPort, autoConnect: true });
    await expandRow(page, /^\(empty\)/, 30_000);
    await expandRow(page, /^weather/);
    await sidebarRow(page, /^station01/).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ROOT, 'test/e2e/screenshots/start-first-screen.png') });
    console.log(`      (npm start → URL in ${(urlAt / 1000).toFixed(1)} s, first screen with the demo broker's live topics in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    assert.equal(existsSync(join(ROOT, 'test/fixtures/workspace/.vscode/brokers.json')), false, 'the fixture workspace the tests open stays without brokers.json');
    await context.close();
    context = undefined;

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    process.kill(-child.pid!, 'SIGINT'); // what Ctrl-C in a terminal does: the whole foreground group
    assert.equal(await exited, 0);
    assert.match(output, /stopping…/);
    await assert.rejects(waitForPort(mqttPort, 500), /nothing listens/, 'the demo broker is stopped');
  });
});
