// Issue 20, decoded everywhere a payload is: a gzip-compressed JSON topic and a MessagePack topic
// (MQTT 5 content type) show their decoded JSON in the topic tree, and the inspector's Diff
// compares two gzip payloads by their decoded JSON, not their bytes, and its chart plots a decoded field. Packaged .vsix, code-server,
// Chromium, a private Mosquitto.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode as msgpack } from '@msgpack/msgpack';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { addMqttBrokerFromWelcome, expandRow, inspectBelow, runCommand, sidebarRow, webviewFrame } from '../support/workbench';
import { openPackagedWorkbench, ROOT, type PackagedWorkbench } from './packaged';

const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');
const README_IMAGES = process.env.BROKER_EXPLORER_README_SCREENSHOTS;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (README_IMAGES) {
    copyFileSync(file, join(README_IMAGES, `${name}.png`));
  }
}

describe('Decoded payloads in the tree and the inspector Diff (packaged .vsix, Chromium)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let page: Page;
  let broker: PrivateBroker;
  let pub: mqtt.MqttClient;
  let sim: ChildProcess | undefined;

  before(async () => {
    broker = await startPrivateMosquitto();
    pub = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5 });
    workbench = await openPackagedWorkbench('be-e2e-decoded-');
    page = workbench.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(page, `failure-decoded-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => {});
    }
  });

  after(async () => {
    if (sim?.pid && sim.exitCode === null) {
      process.kill(sim.pid, 'SIGTERM');
    }
    await workbench?.close();
    await pub?.endAsync();
    await broker?.dispose();
  });

  const press = (bar: number) => gzipSync(JSON.stringify({ machine: 'press-7', pressure: bar, unit: 'bar', ok: true }));

  it('shows a gzip JSON topic and a MessagePack topic decoded in the tree', async () => {
    await addMqttBrokerFromWelcome(page, broker.port, 'plant');
    await pub.publishAsync('line1/press', press(181.5), { qos: 1, retain: true });
    await pub.publishAsync('line1/counter', Buffer.from(msgpack({ parts: 1204, shift: 'B' })), { qos: 1, retain: true, properties: { contentType: 'application/msgpack' } });
    await pub.publishAsync('line1/status', 'running', { qos: 1, retain: true });
    await expandRow(page, /^line1/);
    const pressRow = sidebarRow(page, /^press/).first();
    await pressRow.filter({ hasText: '{"machine":"press-7","pressure":181.5' }).waitFor({ timeout: 20_000 });
    const counterRow = sidebarRow(page, /^counter/).first();
    await counterRow.filter({ hasText: '{"parts":1204,"shift":"B"}' }).waitFor({ timeout: 20_000 });
    assert.match(await sidebarRow(page, /^status/).first().innerText(), /running/);
    await page.mouse.move(700, 500);
    await page.waitForTimeout(300);
    await shot(page, 'decoded-tree');
  });

  it('diffs two gzip payloads by their decoded JSON in the inspector', async () => {
    const inspector = await inspectBelow(page, sidebarRow(page, /^line1/).first());
    await inspector.locator('#filter input').fill('line1/press');
    await pub.publishAsync('line1/press', press(182.25), { qos: 1 });
    await pub.publishAsync('line1/press', press(179), { qos: 1 });
    const rows = inspector.locator('#message-list [role=option]', { hasText: 'line1/press' });
    await rows.nth(1).waitFor({ timeout: 20_000 });
    // The list's payload column shows the decoded JSON too, once the host has decoded each row.
    await rows.filter({ hasText: '{"machine":"press-7","pressure":182.25,"unit":"bar","ok":true}' }).first().waitFor({ timeout: 20_000 });
    await rows.filter({ hasText: '"pressure":179' }).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500); // both arrived (a retained copy of the first may come too)
    await rows.last().click(); // the newest (179) is at the bottom
    await inspector.locator('#tab-diff').click();
    const summary = inspector.locator('#diff-summary');
    await summary.filter({ hasText: 'Decoded (gzip)' }).waitFor({ timeout: 20_000 });
    assert.match(await summary.innerText(), /^Decoded \(gzip\) · Compared with #\d+ \(.+\): 2 changed lines$/);
    const removed = await inspector.locator('#detail-diff .diff-removed').allInnerTexts();
    const added = await inspector.locator('#detail-diff .diff-added').allInnerTexts();
    assert.deepEqual(removed.map((l) => l.replace(/\s+/g, ' ').trim()), ['- "pressure": 182.25,']);
    assert.deepEqual(added.map((l) => l.replace(/\s+/g, ' ').trim()), ['+ "pressure": 179,']);
    await page.waitForTimeout(300);
    await shot(page, 'decoded-diff');
  });

  it('charts a field of the decoded JSON over the gzip messages of the topic', async () => {
    const inspector = await webviewFrame(page, '#message-list');
    const select = inspector.locator('#chart-path');
    await select.locator('option[value="pressure"]').waitFor({ state: 'attached', timeout: 20_000 });
    await select.selectOption('pressure');
    // Each message is decoded by the host as the chart asks: the chart fills in as the answers come.
    await inspector.locator('#chart-plot', { hasText: '2 values' }).waitFor({ timeout: 20_000 });
    assert.equal(await inspector.locator('#chart-plot [data-chart="last"]').innerText(), '179');
    assert.equal(await inspector.locator('#chart-plot [data-chart="max"]').innerText(), '182.25');
    assert.equal(await inspector.locator('#chart-plot [data-chart="min"]').innerText(), '179');
  });

  it('shows a Sparkplug B edge node in the Sparkplug view, and its NDATA decoded with metric names from the BIRTH', async () => {
    await runCommand(page, 'View: Close All Editors');
    const script = resolve(__dirname, '../support/sparkplugSimulator.js');
    sim = spawn(process.execPath, [script, '--url', `mqtt://127.0.0.1:${broker.port}`, '--group', 'factory', '--node', 'edge7', '--device', 'press1', '--every', '500'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((ok, fail) => {
      sim!.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok());
      sim!.on('exit', (code) => fail(new Error(`the simulator exited (${code})`)));
    });
    // The view appears once Sparkplug traffic is seen: group → edge node → device → metrics.
    await sidebarRow(page, /^factory/).first().waitFor({ timeout: 30_000 });
    // Room for the Sparkplug view: the MQTT and AMQP views are folded for the picture.
    const paneHeader = (title: string) => page.locator('.part.sidebar .pane-header').filter({ hasText: new RegExp(`^\\s*${title}`) }).first();
    for (const title of ['MQTT', 'AMQP']) {
      if ((await paneHeader(title).getAttribute('aria-expanded')) === 'true') {
        await paneHeader(title).click();
      }
    }
    await expandRow(page, /^factory/);
    await expandRow(page, /^edge7/);
    await expandRow(page, /^press1/);
    // Metrics in folders by their names' "/" segments: Inputs/Pressure is Pressure in Inputs.
    await expandRow(page, /^Inputs/);
    await expandRow(page, /^Outputs/);
    await sidebarRow(page, /^Pressure/).filter({ hasText: 'Float' }).waitFor({ timeout: 20_000 });
    assert.match(await sidebarRow(page, /^edge7/).first().innerText(), /online/);
    assert.match(await sidebarRow(page, /^Running/).first().innerText(), /(true|false) · Boolean/);
    await page.mouse.move(700, 500);
    await page.waitForTimeout(600);
    await shot(page, 'sparkplug-view');

    // The inspector on the edge node's NDATA: binary payloads open on the Decoded tab.
    await paneHeader('MQTT').click();
    const spRow = sidebarRow(page, /^spBv1\.0/).first();
    await spRow.waitFor({ timeout: 20_000 });
    const inspector = await inspectBelow(page, spRow);
    await inspector.locator('#filter input').fill('NDATA/edge7');
    const row = inspector.locator('#message-list [role=option]', { hasText: 'spBv1.0/factory/NDATA/edge7' });
    await row.first().waitFor({ timeout: 20_000 });
    await row.last().click();
    await inspector.locator('#tab-decoded[aria-selected="true"]').waitFor({ timeout: 10_000 });
    await inspector.locator('#decoded-codec', { hasText: 'Sparkplug B' }).waitFor({ timeout: 20_000 });
    const text = await inspector.locator('#detail-decoded').innerText();
    assert.match(text, /"name": "uptime"/, 'the NDATA carries an alias only: the name comes from the NBIRTH');
    await page.waitForTimeout(300);
    await shot(page, 'sparkplug-decoded');
  });
});
