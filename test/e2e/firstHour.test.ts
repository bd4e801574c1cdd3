// The first hour (issue 18), in one run, as a new user goes: add a broker that needs a password by
// typing into the real input boxes (a wrong password first: the notification's Enter Credentials…
// fixes it), see its live topic tree, inspect everything below it, publish from the panel and see
// the message arrive, then send from the demo message file, which names the connection `local`.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { activityBarItem, answerInputBox, inspectBelow, runCommand, sidebarRow, webviewFrame, welcomeButton } from '../support/workbench';
import { openPackagedWorkbench, ROOT, type PackagedWorkbench } from './packaged';

const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe('The first hour, end to end (packaged .vsix in code-server, Chromium, a password-protected Mosquitto)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let page: Page;
  let broker: PrivateBroker;
  let publisher: { stop(): Promise<void> } | undefined;
  let quiet: PrivateBroker;

  before(async () => {
    broker = await startPrivateMosquitto({ users: { operator: 'op-pass-42' } });
    quiet = await startPrivateMosquitto();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const demo = require(join(ROOT, 'scripts/demo.mjs')) as { startSensorPublisher(url: string): Promise<{ stop(): Promise<void> }> };
    publisher = await demo.startSensorPublisher(`mqtt://operator:op-pass-42@127.0.0.1:${broker.port}`);
    workbench = await openPackagedWorkbench('be-e2e-first-');
    page = workbench.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(page, `failure-first-hour-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => {});
    }
  });

  after(async () => {
    await publisher?.stop();
    await workbench?.close();
    await broker?.dispose();
    await quiet?.dispose();
  });

  it('adds the broker with a name and credentials; a wrong password is fixed from the notification', async () => {
    const item = activityBarItem(page, 'Brokers');
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    await welcomeButton(page, 'Add MQTT Broker').click();
    await answerInputBox(page, 'Host name or IP address', '127.0.0.1');
    await answerInputBox(page, 'Port', String(broker.port));
    await answerInputBox(page, 'Name shown in the tree', 'local');
    await answerInputBox(page, 'Username, if the broker asks for one', 'operator');
    await answerInputBox(page, 'Password for operator', 'not-the-password');

    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Could not connect to "local"' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /the broker refused user "operator" with the saved password/);
    assert.ok(!(await toast.innerText()).includes('not-the-password'), 'the password is never shown');
    const row = sidebarRow(page, /^local/).first();
    await row.filter({ hasText: 'failed: not authorized' }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500); // the toast slides in
    await shot(page, 'first-hour-refused');

    await toast.getByRole('button', { name: 'Enter Credentials…' }).click();
    await answerInputBox(page, 'Username (empty: connect without credentials)', 'operator');
    await answerInputBox(page, 'Password for operator', 'op-pass-42');
    await row.filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });
  });

  it('shows the live topic tree below the broker', async () => {
    const brokerRow = sidebarRow(page, /^local/).first();
    await brokerRow.filter({ hasText: 'topics' }).waitFor({ timeout: 20_000 });
    if ((await brokerRow.getAttribute('aria-expanded')) !== 'true') {
      await brokerRow.click();
    }
    await sidebarRow(page, '(empty)').waitFor({ timeout: 20_000 });
  });

  it('inspects everything below the broker and sees a message published from the panel', async () => {
    const inspector = await inspectBelow(page, sidebarRow(page, /^local/).first());
    await inspector.locator('#message-list [role=option]', { hasText: '/weather/' }).first().waitFor({ timeout: 20_000 });

    await runCommand(page, 'Broker Explorer: Publish Message…');
    await webviewFrame(page, '#payload');
    await runCommand(page, 'View: Move Editor into Right Group');
    const publish = await webviewFrame(page, '#payload');
    await publish.locator('#topic input').fill('first-hour/hello');
    await publish.locator('#payload').fill('{"hello": "broker"}');
    await publish.locator('#send').click();
    await publish.locator('#result[data-state="ok"]').waitFor({ timeout: 20_000 });

    const again = await webviewFrame(page, '#message-list');
    // The demo sensors keep the list busy: find the message as a user does, by filtering.
    await again.locator('#filter input').fill('first-hour/hello');
    await again.locator('#message-list [role=option]', { hasText: 'first-hour/hello' }).first().waitFor({ timeout: 20_000 });
    await runCommand(page, 'View: Close Editor');
    await runCommand(page, 'View: Close All Editors');
  });

  it('sends the demo message file to "local" as it is, from its CodeLens', async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill('weather.mqtt');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'weather.mqtt' }).first().waitFor({ timeout: 20_000 });
    await input.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const send = editor.locator('.codelens-decoration a', { hasText: /^\s*Send\s*$/ }).first();
    await send.waitFor({ timeout: 30_000 });
    await send.click();
    // QoS 1 from the file: the broker's PUBACK, through the connection the user named `local`.
    await page.locator('.part.statusbar', { hasText: 'PUBACK received' }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(300);
    await shot(page, 'first-hour-message-file');
  });

  it('keeps a broker collapsed once the user collapsed it, when its first topics arrive', async () => {
    await runCommand(page, 'Broker Explorer: Add MQTT Broker');
    await answerInputBox(page, 'Host name or IP address', '127.0.0.1');
    await answerInputBox(page, 'Port', String(quiet.port));
    await answerInputBox(page, 'Name shown in the tree', 'quiet');
    await answerInputBox(page, 'Username, if the broker asks for one', '');
    const row = sidebarRow(page, /^quiet/).first();
    await row.filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });
    // Open from the moment it connected ($SYS topics come at once); the user closes it.
    await page.waitForTimeout(500);
    assert.equal(await row.getAttribute('aria-expanded'), 'true');
    const before = Number(/(\d+) topics/.exec(await row.innerText())?.[1] ?? 0);
    await row.click();
    await page.waitForTimeout(300);
    assert.equal(await row.getAttribute('aria-expanded'), 'false');

    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${quiet.port}`);
    try {
      for (let i = 0; i < 12; i++) {
        await client.publishAsync(`quiet/sensor${i}/value`, String(i), { qos: 1, retain: true });
      }
    } finally {
      await client.endAsync();
    }
    const topicsShown = async () => Number(/(\d+) topics/.exec(await row.innerText())?.[1] ?? 0);
    for (const until = Date.now() + 20_000; (await topicsShown()) < before + 12; ) {
      assert.ok(Date.now() < until, `the row counts the 12 new topics (${await topicsShown()}, ${before} before)`);
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(1000); // several refreshes of the tree (4 a second)
    assert.equal(await row.getAttribute('aria-expanded'), 'false', 'the topics did not open what the user closed');
    const folder = sidebarRow(page, /12 topics, 12 messages/);
    assert.equal(await folder.count(), 0, 'no topic row of the quiet broker is shown');
    await row.click();
    await folder.first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500); // the next refresh of the rows (4 a second)
    await shot(page, 'first-hour-quiet-broker');
  });
});
