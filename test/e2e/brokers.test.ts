// End to end: the packaged .vsix installed into a fresh code-server, driven by headless Chromium
// the way a user would: open the Brokers view, add a broker through the welcome button and the
// input boxes, see it connected; a wrong port gives a notification and a failed node.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { freePort } from '../support/net';
import { activityBarItem, answerInputBox, inspectBelow, runCommand, sidebarRow, webviewFrame, welcomeButton } from '../support/workbench';

import { openPackagedWorkbench, ROOT, shot, type PackagedWorkbench } from './packaged';

/** Switches the colour theme with its picker; focus leaves the webviews first (they keep F1). */
async function pickTheme(page: Page, theme: string): Promise<void> {
  await page.locator('.part.sidebar .title-label').first().click();
  await page.keyboard.press('F1');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill('>Preferences: Color Theme');
  // Not "Browse Color Themes in Marketplace", which comes first.
  await widget.locator('.monaco-list-row', { hasText: 'Preferences: Color Theme' }).filter({ hasNotText: 'Browse' }).first().click();
  await widget.locator('.monaco-list-row', { hasText: 'Light Modern' }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.type(theme);
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
}

describe('Broker Explorer end to end (packaged .vsix in code-server, Chromium)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let runDir: string;
  let page: Page;

  before(async () => {
    workbench = await openPackagedWorkbench('be-e2e-');
    ({ runDir, page } = workbench);
    // A wider sidebar, as users size it for trees with descriptions.
    const box = (await page.locator('.part.sidebar').boundingBox())!;
    await page.mouse.move(box.x + box.width + 1, 400);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + 180, 400, { steps: 5 });
    await page.mouse.up();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(page, `failure-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`, false).catch(() => {});
    }
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows the Brokers view container with MQTT and AMQP views and their welcome buttons', async () => {
    const item = activityBarItem(page, 'Brokers');
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.pane-header', { hasText: 'MQTT' }).waitFor({ timeout: 20_000 });
    await sidebar.locator('.pane-header', { hasText: 'AMQP' }).waitFor({ timeout: 20_000 });
    await welcomeButton(page, 'Add MQTT Broker').waitFor({ timeout: 30_000 });
    await welcomeButton(page, 'Add AMQP Broker').waitFor({ timeout: 30_000 });
    await shot(page, 'welcome');
  });

  it('adds the local Mosquitto from the welcome button and shows it connected', async () => {
    await welcomeButton(page, 'Add MQTT Broker').click();
    await answerInputBox(page, 'Host name or IP address', '127.0.0.1');
    await answerInputBox(page, 'Port', '1883');
    await answerInputBox(page, 'Name shown in the tree', ''); // empty: host:port
    await answerInputBox(page, 'Username, if the broker asks for one', ''); // none: no password step
    const row = sidebarRow(page, '127.0.0.1:1883');
    await row.waitFor({ timeout: 30_000 });
    await row.filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /127\.0\.0\.1:1883\s*connected/);
    assert.equal(await row.locator('.codicon-pass-filled').count(), 1, 'the connected icon is shown');
    await page.mouse.move(700, 500);
    await shot(page, 'connected');
  });

  it('shows the live topic tree with nested topics, previews and retained markers', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const demo = require(join(ROOT, 'scripts/demo.mjs')) as { startSensorPublisher(url: string): Promise<{ stop(): Promise<void> }> };
    const publisher = await demo.startSensorPublisher('mqtt://127.0.0.1:1883');
    try {
      // The broker node starts expanded once it has topics; expand it if VS Code kept it closed.
      const brokerRow = sidebarRow(page, '127.0.0.1:1883').first();
      await brokerRow.filter({ hasText: 'topics' }).waitFor({ timeout: 20_000 });
      if ((await brokerRow.getAttribute('aria-expanded')) !== 'true') {
        await brokerRow.click();
      }
      const empty = sidebarRow(page, '(empty)');
      await empty.waitFor({ timeout: 20_000 });
      for (const level of ['(empty)', 'weather', 'station01']) {
        const row = sidebarRow(page, new RegExp(`^${level.replace(/[()]/g, '\\$&')}`));
        await row.first().click();
        await page.waitForTimeout(300);
      }
      const temperature = sidebarRow(page, /^temperature/);
      await temperature.filter({ hasText: '"temperature"' }).waitFor({ timeout: 20_000 });
      assert.match(await temperature.first().innerText(), /temperature\s*\{"temperature":\d+(\.\d+)?,"unit":"C"/);
      assert.equal(await sidebarRow(page, /^status/).locator('.codicon-pinned').count(), 1, 'the retained status shows a pin');
      await page.waitForTimeout(1200); // a couple of refreshes: counts and rates settle
      await page.mouse.move(700, 500);
      await shot(page, 'topics');
    } finally {
      await publisher.stop();
    }
  });

  it('opens the connection form from the broker context menu, with TLS settings for mqtts', async () => {
    await sidebarRow(page, '127.0.0.1:1883').first().click({ button: 'right' });
    const edit = page.locator('.monaco-menu .action-label', { hasText: 'Edit Broker…' });
    await edit.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(400); // a menu ignores clicks in its first moments
    await edit.hover();
    await page.keyboard.press('Enter');
    const form = page.locator('.quick-input-widget').filter({ hasText: 'Edit 127.0.0.1:1883' });
    await form.waitFor({ timeout: 20_000 });
    const row = (label: string) => form.locator('.monaco-list-row').filter({ hasText: label }).first();
    for (const label of ['Save', 'Host', 'Port', 'Protocol', 'MQTT version', 'Client ID', 'Password', 'Subscriptions']) {
      await row(label).waitFor({ timeout: 5000 });
    }
    assert.match(await row('Subscriptions').innerText(), /#:0, \$SYS\/#:0/);
    await row('Protocol').click();
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'TLS, port 8883' }).click();
    // The form comes back (the protocol picker's title also starts with "Edit …": wait for the value).
    await form.locator('.monaco-list-row').filter({ hasText: /Protocol\s*mqtts/ }).waitFor({ timeout: 10_000 });
    assert.match(await row('Port').innerText(), /8883/, 'the usual port follows the protocol');
    await row('Verify server certificate').waitFor({ timeout: 5000 });
    assert.match(await row('Verify server certificate').innerText(), /certificate\s*on\b/);
    await page.waitForTimeout(400); // let the list finish fading in
    await shot(page, 'edit-form');
    await page.keyboard.press('Escape'); // cancel: nothing is saved
    await page.waitForTimeout(500);
    assert.equal(await sidebarRow(page, /127\.0\.0\.1:1883\s*connected/).count(), 1, 'the broker is unchanged and still connected');
  });

  it("shows RabbitMQ's exchanges, queues and bindings (the seed's weather_updates flow)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const amqplib = require('amqplib') as typeof import('amqplib');
    const conn = await amqplib.connect('amqp://guest:guest@127.0.0.1:5672');
    const ch = await conn.createChannel();
    const queue = 'temperature_readings_for_dashboard';
    try {
      await ch.assertExchange('weather_updates', 'topic', { durable: false });
      await ch.assertQueue(queue, { durable: false });
      await ch.bindQueue(queue, 'weather_updates', 'station01.temperature');
      for (const t of [25.5, 25.7, 25.6]) {
        ch.publish('weather_updates', 'station01.temperature', Buffer.from(JSON.stringify({ temperature: t })));
      }
      await page.locator('.part.sidebar .pane-header', { hasText: 'MQTT' }).click(); // collapse MQTT: room for AMQP
      await welcomeButton(page, 'Add AMQP Broker').click();
      await answerInputBox(page, 'Host name or IP address', '127.0.0.1');
      await answerInputBox(page, 'Port', '5672');
      await answerInputBox(page, 'Name shown in the tree', '');
      await answerInputBox(page, 'Virtual host', '/');
      await answerInputBox(page, 'Username', 'guest');
      await answerInputBox(page, 'Password for guest', 'guest');
      await sidebarRow(page, '127.0.0.1:5672').filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });
      const exchange = sidebarRow(page, /^weather_updates/);
      await exchange.waitFor({ timeout: 20_000 });
      assert.match(await exchange.innerText(), /topic · transient · 1 binding/);
      const queueRow = sidebarRow(page, new RegExp(`^${queue}`));
      await queueRow.filter({ hasText: /3 ready/ }).waitFor({ timeout: 20_000 }); // the management API's stats lag a few seconds
      await queueRow.click();
      await sidebarRow(page, /← weather_updates/).waitFor({ timeout: 10_000 });
      await page.mouse.move(700, 500);
      await page.waitForTimeout(300);
      await shot(page, 'amqp');

      // Publish from the exchange's inline action, through the publish panel.
      await exchange.hover();
      await exchange.locator('.action-label[aria-label="Publish to Exchange…"]').click();
      const panel = await webviewFrame(page, '#routing-key');
      assert.equal(await panel.locator('#exchange input').inputValue(), 'weather_updates', 'aimed at the exchange');
      await panel.locator('#routing-key input').fill('station01.temperature');
      await panel.locator('#payload').fill('{"temperature": 25.8}');
      await panel.locator('#send').click();
      await panel.locator('#result[data-state="ok"]').waitFor({ timeout: 20_000 });
      assert.match(await panel.locator('#result').innerText(), /Routed/);
      await runCommand(page, 'View: Close Editor');
      await queueRow.filter({ hasText: /4 ready/ }).waitFor({ timeout: 20_000 });
      await page.locator('.part.sidebar .pane-header', { hasText: 'MQTT' }).click(); // expand MQTT again
    } finally {
      await ch.deleteQueue(queue).catch(() => {});
      await ch.deleteExchange('weather_updates').catch(() => {});
      await conn.close();
    }
  });

  it('reports a port where nothing listens with a notification and a failed node', async () => {
    const port = await freePort();
    // The shared Mosquitto holds the retained topics of other suites: fold the first broker so the
    // new row is on screen (the tree draws only the rows in view).
    const first = sidebarRow(page, /^127\.0\.0\.1:1883/).first();
    if ((await first.getAttribute('aria-expanded')) === 'true') {
      await first.locator('.monaco-tl-twistie').click();
      await page.waitForTimeout(200);
    }
    await runCommand(page, 'Broker Explorer: Add MQTT Broker');
    await answerInputBox(page, 'Host name or IP address', '127.0.0.1');
    await answerInputBox(page, 'Port', String(port));
    await answerInputBox(page, 'Name shown in the tree', '');
    await answerInputBox(page, 'Username, if the broker asks for one', '');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Could not connect to' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), new RegExp(`Connection refused: nothing is listening on 127\\.0\\.0\\.1:${port}`));
    assert.equal(await toast.getByRole('button', { name: 'Show Log' }).count(), 1);
    const row = sidebarRow(page, `127.0.0.1:${port}`);
    await row.filter({ hasText: 'failed' }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500); // let the toast finish sliding in
    assert.equal(await sidebarRow(page, /127\.0\.0\.1:1883\s*connected/).count(), 1, 'the first broker stays connected');
    await shot(page, 'failed');
  });
  it('lints a mosquitto.conf: squiggles, the problem on hover with its quick fix, and a Connect lens', async () => {
    // Dismiss the toast of the previous test, then open the demo config by Quick Open.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill('lint-demo.conf');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'lint-demo.conf' }).first().waitFor({ timeout: 20_000 });
    await input.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    await editor.locator('.codelens-decoration', { hasText: 'Connect to this listener' }).first().waitFor({ timeout: 30_000 });
    assert.ok((await editor.locator('.squiggly-error').count()) >= 3, 'the refused lines are underlined');
    assert.ok((await editor.locator('.squiggly-warning').count()) >= 1, 'the deprecated port is a warning');
    // The editor alone for the picture (the sidebar comes back afterwards).
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    // Hover the misspelt option: the problem and its quick fix.
    await editor.locator('.view-line span', { hasText: 'allow_anonymus' }).first().hover();
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'allow_anonymous' });
    await hover.first().waitFor({ timeout: 20_000 });
    assert.match(await hover.first().innerText(), /did you mean/i);
    await page.waitForTimeout(400);
    await shot(page, 'mosquitto-conf');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 10_000 });
  });
  it('sends a message file block from its CodeLens', async () => {
    // The demo file names the connection "local"; this session's connection is "127.0.0.1:1883".
    const file = join(runDir, 'ws', 'messages', 'weather.mqtt');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/mqtt:\/\/local\//g, 'mqtt://127.0.0.1:1883/'));
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill('weather.mqtt');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'weather.mqtt' }).first().waitFor({ timeout: 20_000 });
    await input.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const send = editor.locator('.codelens-decoration a', { hasText: /^\s*Send\s*$/ }).first();
    await send.waitFor({ timeout: 30_000 });
    await editor.locator('.codelens-decoration a', { hasText: 'Send ×3' }).first().waitFor({ timeout: 10_000 });
    await send.click();
    const status = page.locator('.part.statusbar', { hasText: 'PUBACK received' });
    await status.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(300);
    await shot(page, 'message-file');
    await runCommand(page, 'View: Close Editor');
  });

  it('publishes from the publish panel and shows the message in the inspector, as text (no script runs), in dark, light and high-contrast themes', async () => {
    const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> {"t": 1}`;
    // The inspector on everything the broker sends (its broker node's "Inspect Messages Below").
    await inspectBelow(page, sidebarRow(page, '127.0.0.1:1883').first());
    // The publish panel from the command palette, moved beside the inspector.
    await runCommand(page, 'Broker Explorer: Publish Message…');
    await webviewFrame(page, '#payload');
    await runCommand(page, 'View: Move Editor into Right Group');
    const publishAgain = await webviewFrame(page, '#payload');
    await publishAgain.locator('#topic input').fill('e2e/xss');
    await publishAgain.locator('#format-text').click();
    await publishAgain.locator('#payload').fill(payload);
    await publishAgain.locator('#send').click();
    await publishAgain.locator('#result[data-state="ok"]').waitFor({ timeout: 20_000 });
    assert.match(await publishAgain.locator('#result').innerText(), /Sent|PUBACK/);

    // The inspector was hidden behind the publish panel for a moment: its page was loaded again.
    const inspector = await webviewFrame(page, '#message-list');
    const row = inspector.locator('#message-list [role=option]', { hasText: 'e2e/xss' }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    await inspector.locator('#tab-text').click();
    await inspector.locator('#detail-text').waitFor({ timeout: 10_000 });
    assert.equal(await inspector.locator('#detail-text').innerText(), payload, 'the payload is shown as text');
    assert.equal(await inspector.evaluate('typeof window.__xss'), 'undefined', 'no script from the payload ran');
    assert.equal(await inspector.locator('img').count(), 0, 'no element was made from the payload');
    await page.waitForTimeout(300);
    await shot(page, 'panels-dark');
    for (const [theme, name, bodyClass] of [
      ['Light Modern', 'panels-light', 'vs'],
      ['Dark High Contrast', 'panels-high-contrast', 'hc-black'],
    ] as const) {
      await pickTheme(page, theme);
      // The workbench's root element carries the theme's kind as a class.
      await page.waitForFunction(`document.querySelector('.monaco-workbench')?.classList.contains('${bodyClass}')`, undefined, { timeout: 20_000 });
      await page.waitForTimeout(1000);
      await shot(page, name);
    }
  });
});
