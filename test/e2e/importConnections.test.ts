// Issue 23, import from other tools as a user does it: the command palette's Import Connections…,
// "From a File…" with an MQTTX export in the workspace (VS Code's own file dialog), the preview
// with a checkbox per connection, then the imported broker in the sidebar connecting with the
// password that went to secret storage. The preview screenshot is the README's. Packaged .vsix,
// code-server, Chromium.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { activityBarItem, runCommand, sidebarRow } from '../support/workbench';
import { openPackagedWorkbench, shot, type PackagedWorkbench } from './packaged';

describe('Import Connections from an MQTTX export (packaged .vsix, Chromium)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let page: Page;
  let broker: PrivateBroker | undefined;
  let file = '';

  before(async () => {
    broker = await startPrivateMosquitto({ users: { operator: 'line-3-pass' } });
    workbench = await openPackagedWorkbench('be-e2e-import-');
    page = workbench.page;
    // An MQTTX "Export Data" file (fields as in emqx/MQTTX src/types/global.d.ts, ConnectionModel).
    const connection = (name: string, host: string, port: number, extra: object) => ({ id: name, clientId: `mqttx_${name.length}`, name, clean: true, protocol: 'mqtt', host, port, keepalive: 60, username: '', password: '', path: '/mqtt', ssl: false, mqttVersion: '5.0', subscriptions: [], isCollection: false, ...extra });
    file = join(workbench.workspace, 'mqttx-connections.json');
    writeFileSync(
      file,
      JSON.stringify(
        [
          connection('line 3 broker', '127.0.0.1', broker.port, { username: 'operator', password: 'line-3-pass', subscriptions: [{ topic: 'line3/#', qos: 1 }] }),
          connection('cloud (wss)', 'broker.example.com', 8084, { protocol: 'wss', ssl: true, mqttVersion: '3.1.1', rejectUnauthorized: false, will: { lastWillTopic: 'status/cloud', lastWillPayload: 'gone', lastWillQos: 0, lastWillRetain: false } }),
        ],
        null,
        2,
      ),
    );
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(page, `failure-import-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`, false).catch(() => {});
    }
  });

  after(async () => {
    await workbench?.close();
    await broker?.dispose();
  });

  it('previews the connections with checkboxes, adds the checked one, and it connects with the imported password', async () => {
    const item = activityBarItem(page, 'Brokers');
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    await runCommand(page, 'Broker Explorer: Import Connections…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.monaco-list-row', { hasText: 'From a File…' }).click();
    // VS Code's own file dialog (a quick input in the browser) opens on the workspace: the file, then OK.
    const input = widget.locator('.quick-input-box input');
    const entry = widget.locator('.monaco-list-row', { hasText: 'mqttx-connections.json' });
    await entry.waitFor({ timeout: 20_000 });
    await input.fill(file);
    await widget.filter({ hasText: 'Please select a file' }).waitFor({ timeout: 10_000 }).catch(() => undefined);
    await widget.getByRole('button', { name: 'OK' }).click();
    const rows = widget.locator('.monaco-list-row');
    await rows.filter({ hasText: 'line 3 broker' }).waitFor({ timeout: 20_000 });
    const preview = (await widget.innerText()).replace(/\u00a0/g, ' ');
    assert.match(preview, /Import from MQTTX: 2 connections/);
    assert.match(preview, /127\.0\.0\.1:\d+ · MQTT 5 · user operator · password → secret storage/);
    assert.match(preview, /broker\.example\.com:8084 · wss · MQTT 3\.1\.1/);
    assert.match(preview, /the last will \("status\/cloud"\) is not carried over/);
    await page.mouse.move(900, 650);
    await page.waitForTimeout(300);
    await shot(page, 'import-preview');
    // Uncheck the cloud broker (unreachable here), keep the line 3 broker, OK.
    await rows.filter({ hasText: 'cloud (wss)' }).click();
    await widget.filter({ hasText: '1 Selected' }).waitFor({ timeout: 10_000 });
    await widget.getByRole('button', { name: 'OK' }).click();
    const row = sidebarRow(page, 'line 3 broker');
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await sidebarRow(page, 'cloud (wss)').count(), 0, 'the unchecked connection is not added');
    // A click on a disconnected broker's row connects it.
    await row.click();
    await row.filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });
  });
});
