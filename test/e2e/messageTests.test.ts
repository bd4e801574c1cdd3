// End to end: message-file tests in the Test Explorer of the packaged .vsix (code-server,
// Chromium). The Testing view lists a file nobody opened; its Run Test lenses run a passing and a
// failing test against the real Mosquitto; the failure opens with the expected/actual diff.
// BROKER_EXPLORER_README_SCREENSHOTS gets the README image message-tests.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { activityBarItem, answerInputBox, quickOpen, runCommand, sidebarRow, welcomeButton } from '../support/workbench';
import { openPackagedWorkbench, shot, type PackagedWorkbench } from './packaged';

const STATION = `# A messaging contract, checked in the editor and in CI (broker-messages-test).

### reading comes back as JSON
PUBLISH mqtt://local/e2e-tests/station01/temperature
QoS: 1
Content-Type: application/json

{"temperature": 21.5, "unit": "C"}

EXPECT mqtt://local/e2e-tests/station01/#
Within: 2s
Count: exactly 1
Assert: $.unit == "C"
Assert: $.temperature > -40

### the alarm says hot
PUBLISH mqtt://local/e2e-tests/station02/temperature
Content-Type: application/json

{"temperature": 21.5, "unit": "C"}

EXPECT mqtt://local/e2e-tests/station02/temperature
Within: 1s
Assert: $.temperature > 30
`;

describe('message-file tests in the Test Explorer end to end (packaged .vsix, Chromium)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let page: Page;

  before(async () => {
    workbench = await openPackagedWorkbench('be-e2e-tests-');
    page = workbench.page;
    writeFileSync(join(workbench.workspace, 'messages', 'station.mqtt'), STATION);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(page, `failure-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`, false).catch(() => {});
    }
  });

  after(async () => {
    await workbench?.close();
  });

  it('lists, runs and reports a passing and a failing test with the diff', async () => {
    // The connection the file names: "local".
    await activityBarItem(page, 'Brokers').click();
    await welcomeButton(page, 'Add MQTT Broker').click();
    await answerInputBox(page, 'Host name or IP address', '127.0.0.1');
    await answerInputBox(page, 'Port', '1883');
    await answerInputBox(page, 'Name shown in the tree', 'local');
    await answerInputBox(page, 'Username, if the broker asks for one', '');
    await sidebarRow(page, 'local').filter({ hasText: 'connected' }).first().waitFor({ timeout: 30_000 });

    // The Testing view lists the file's tests before it is opened.
    await activityBarItem(page, 'Testing').click();
    const suite = sidebarRow(page, 'station.mqtt').first();
    await suite.waitFor({ timeout: 30_000 });
    if ((await suite.getAttribute('aria-expanded')) !== 'true') {
      await suite.locator('.monaco-tl-twistie').click();
    }
    await sidebarRow(page, 'the alarm says hot').first().waitFor({ timeout: 20_000 });

    // Run both from their lenses.
    await quickOpen(page, 'station.mqtt');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const lenses = editor.locator('.codelens-decoration a', { hasText: 'Run Test' });
    await lenses.nth(1).waitFor({ timeout: 30_000 });
    await lenses.nth(0).click();
    await sidebarRow(page, 'reading comes back as JSON').locator('.codicon-testing-passed-icon').first().waitFor({ timeout: 30_000 });
    await lenses.nth(1).click();
    await sidebarRow(page, 'the alarm says hot').locator('.codicon-testing-failed-icon').first().waitFor({ timeout: 30_000 });

    // The failure is shown on its EXPECT line; a click opens it with expected and actual side by side.
    const inline = editor.locator('span', { hasText: '$.temperature = 21.5 != $.temperature > 30' }).last();
    await inline.waitFor({ timeout: 20_000 });
    await inline.click();
    const peek = page.locator('.monaco-editor .peekview-widget');
    await peek
      .first()
      .waitFor({ timeout: 5_000 })
      .catch(async () => {
        await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+G');
        await page.keyboard.type('22');
        await page.keyboard.press('Enter');
        await runCommand(page, 'Test: Peek Output');
        await peek.first().waitFor({ timeout: 20_000 });
      });
    const diff = peek.locator('.monaco-diff-editor');
    await diff.first().waitFor({ timeout: 20_000 });
    const text = await peek.first().innerText();
    assert.match(text, /\$\.temperature > 30/);
    assert.match(text, /\$\.temperature = 21\.5/);
    await page.mouse.move(700, 200);
    await page.waitForTimeout(800);
    await shot(page, 'message-tests');
  });
});
