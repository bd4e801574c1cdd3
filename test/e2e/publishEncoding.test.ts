// Issue 20, encoding on publish, as a user sees it: the publish panel's Encoding control (Protobuf
// with a type of the workspace's .proto files) shows the size the host encoded and an unknown field
// in words; Send delivers the protobuf, which a raw subscriber decodes with protobufjs and the
// fixture type. Sparkplug B: the command builder lists the simulator's DBIRTH metrics, Add metric
// puts one in the body, the first DCMD asks in a modal, and the simulator receives the DBIRTH's
// alias; an NBIRTH is refused in words. Packaged .vsix, code-server, Chromium, a private Mosquitto.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import type { Frame, Page } from 'playwright-core';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { CODEC_FIXTURES, fixtureReading } from '../support/protoFixtures';
import { addMqttBrokerFromWelcome, runCommand, sidebarRow, webviewFrame } from '../support/workbench';
import { openPackagedWorkbench, shot, type PackagedWorkbench } from './packaged';

/** Picks an option of a vscode-single-select as a user does: opens it and clicks the option. */
async function pick(frame: Frame, select: string, label: string): Promise<void> {
  await frame.locator(select).click();
  await frame.locator(`${select} [role=option]`, { hasText: label }).or(frame.locator(`${select} li`, { hasText: label })).first().click();
}

describe('Publish panel Encoding (packaged .vsix, Chromium)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let page: Page;
  let broker: PrivateBroker;
  let sub: mqtt.MqttClient;
  let sim: ChildProcess | undefined;

  before(async () => {
    broker = await startPrivateMosquitto();
    sub = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5 });
    workbench = await openPackagedWorkbench('be-e2e-encode-');
    // The workspace's own .proto files: the type picker lists their messages.
    cpSync(join(CODEC_FIXTURES, 'proto/acme'), join(workbench.workspace, 'proto/acme'), { recursive: true });
    page = workbench.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(page, `failure-encode-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`, false).catch(() => {});
    }
  });

  after(async () => {
    if (sim?.pid && sim.exitCode === null) {
      process.kill(sim.pid, 'SIGTERM');
    }
    await workbench?.close();
    await sub?.endAsync();
    await broker?.dispose();
  });

  it('encodes the typed JSON as a protobuf type of the workspace, shows its size and an unknown field in words, and sends it', async () => {
    await addMqttBrokerFromWelcome(page, broker.port, 'plant');

    const topic = 'line4/telemetry';
    const got: Buffer[] = [];
    sub.on('message', (t, p) => t === topic && got.push(Buffer.from(p)));
    await sub.subscribeAsync(topic, { qos: 1 });

    await runCommand(page, 'Broker Explorer: Publish Message…');
    const panel = await webviewFrame(page, '#payload');
    await panel.locator('#topic input').fill(topic);
    await pick(panel, '#encoding', 'Protobuf');
    await panel.locator('#encoding-type-field:not([hidden])').waitFor({ timeout: 10_000 });
    await pick(panel, '#encoding-type', 'acme.telemetry.Reading');
    assert.equal(await panel.locator('#encoding-type').evaluate((e) => (e as unknown as { value: string }).value), 'acme.telemetry.Reading');
    await panel.locator('#payload').fill('{"sensor": "line-4", "value": 3.25, "unit": "CELSIUS", "colour": "red"}');
    const status = panel.locator('#encoding-status');
    await status.filter({ hasText: 'no such fields: colour' }).waitFor({ timeout: 20_000 });
    assert.equal(await status.getAttribute('data-state'), 'error');

    await panel.locator('#payload').fill('{\n  "sensor": "line-4",\n  "value": 3.25,\n  "unit": "CELSIUS",\n  "labels": {"site": "north"}\n}');
    await status.filter({ hasText: /^Encoded: \d+ bytes$/ }).waitFor({ timeout: 20_000 });
    await panel.locator('#send').click();
    await panel.locator('#result[data-state="ok"]').waitFor({ timeout: 20_000 });
    for (let i = 0; i < 100 && got.length === 0; i++) {
      await page.waitForTimeout(100);
    }
    const Reading = await fixtureReading();
    const back = Reading.toObject(Reading.decode(got[0]!), { enums: String });
    assert.deepEqual([back.sensor, back.value, back.unit, back.labels], ['line-4', 3.25, 'CELSIUS', { site: 'north' }]);
    assert.equal(`Encoded: ${got[0]!.length} bytes`, await status.innerText(), 'the size shown is the size sent');
    await page.mouse.move(700, 500);
    await page.waitForTimeout(300);
    await shot(page, 'publish-encoding');
  });

  it('builds a Sparkplug B DCMD from the DBIRTH metrics by name, asks once in a modal, and refuses an NBIRTH', async () => {
    const script = resolve(__dirname, '../support/sparkplugSimulator.js');
    sim = spawn(process.execPath, [script, '--url', `mqtt://127.0.0.1:${broker.port}`, '--group', 'factory', '--node', 'edge7', '--device', 'press1', '--every', '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    sim.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 200 && !out.includes('ready'); i++) {
      await page.waitForTimeout(100);
    }
    assert.ok(out.includes('ready'), 'the simulator published its BIRTHs');
    await sidebarRow(page, /^spBv1\.0/).first().waitFor({ timeout: 30_000 });

    const panel = await webviewFrame(page, '#payload');
    const topic = 'spBv1.0/factory/DCMD/edge7/press1';
    await panel.locator('#topic input').fill(topic);
    // The Sparkplug namespace preselects Sparkplug B; the builder lists the DBIRTH metrics.
    await panel.locator('#sparkplug-builder:not([hidden])').waitFor({ timeout: 20_000 });
    assert.equal(await panel.locator('#encoding').evaluate((e) => (e as unknown as { value: string }).value), 'sparkplug');
    await panel.locator('#payload').fill('');
    await pick(panel, '#sparkplug-metric', 'Outputs/Running (Boolean)');
    await panel.locator('#sparkplug-add').click();
    assert.deepEqual(JSON.parse(await panel.locator('#payload').inputValue()), { metrics: [{ name: 'Outputs/Running', value: false }] });
    await panel.locator('#encoding-status').filter({ hasText: /^Encoded: \d+ bytes$/ }).waitFor({ timeout: 20_000 });
    await page.mouse.move(700, 500);
    await page.waitForTimeout(300);
    await shot(page, 'publish-sparkplug');

    await panel.locator('#send').click();
    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'Send a command to edge node edge7 in group factory?' });
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(!out.includes('cmd '), 'nothing is sent while the dialog is open');
    await dialog.locator('.monaco-button', { hasText: 'Send' }).first().click();
    await panel.locator('#result[data-state="ok"]').waitFor({ timeout: 20_000 });
    for (let i = 0; i < 100 && !out.includes('cmd '); i++) {
      await page.waitForTimeout(100);
    }
    const cmd = JSON.parse(out.split('\n').find((l) => l.startsWith('cmd '))!.slice(4)) as { topic: string; metrics: unknown[] };
    assert.deepEqual(cmd, { topic, metrics: [{ alias: 12, type: 'Boolean', value: false }] });
    // Asked once for the edge node: the second send goes straight out.
    await panel.locator('#send').click();
    await panel.locator('#result[data-state="ok"]').waitFor({ timeout: 20_000 });
    for (let i = 0; i < 100 && out.split('\n').filter((l) => l.startsWith('cmd ')).length < 2; i++) {
      await page.waitForTimeout(100);
    }
    assert.equal(out.split('\n').filter((l) => l.startsWith('cmd ')).length, 2);

    // An NBIRTH speaks for the edge node: refused in words, next to the field and on Send.
    await panel.locator('#topic input').fill('spBv1.0/factory/NBIRTH/edge7');
    await panel.locator('#simulate-field:not([hidden])').waitFor({ timeout: 10_000 });
    await panel.locator('#encoding-status').filter({ hasText: 'NBIRTH messages come from the edge node itself' }).waitFor({ timeout: 20_000 });
    await panel.locator('#send').click();
    await panel.locator('#result[data-state="error"]', { hasText: 'Not sent: NBIRTH messages come from the edge node itself' }).waitFor({ timeout: 20_000 });
  });
});
