// Issue 23, MQTT 5 subscription identifiers as a user sees them: a brokers.json broker with two
// overlapping subscriptions (plant/# and plant/+/temp) on a private mosquitto; the inspector's
// details of a temperature message name both subscriptions it matched, a humidity message only
// the wide one. Packaged .vsix, code-server, Chromium.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { activityBarItem, expandRow, inspectBelow, sidebarRow } from '../support/workbench';
import { openPackagedWorkbench, shot, type PackagedWorkbench } from './packaged';

describe('MQTT 5 subscription identifiers in the inspector (packaged .vsix, Chromium)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let page: Page;
  let broker: PrivateBroker | undefined;
  let pub: mqtt.MqttClient | undefined;

  before(async () => {
    broker = await startPrivateMosquitto();
    pub = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port, protocolVersion: 5 });
    workbench = await openPackagedWorkbench('be-e2e-subid-');
    page = workbench.page;
    mkdirSync(join(workbench.workspace, '.vscode'), { recursive: true });
    const subscriptions = [
      { filter: 'plant/#', qos: 1 },
      { filter: 'plant/+/temp', qos: 1 },
    ];
    writeFileSync(join(workbench.workspace, '.vscode', 'brokers.json'), JSON.stringify({ brokers: [{ name: 'line broker', kind: 'mqtt', host: '127.0.0.1', port: broker.port, protocolVersion: 5, autoConnect: true, subscriptions }] }, null, 2));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(page, `failure-subid-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`, false).catch(() => {});
    }
  });

  after(async () => {
    await pub?.endAsync();
    await workbench?.close();
    await broker?.dispose();
  });

  it('a message\'s details list the subscriptions it matched', async () => {
    const item = activityBarItem(page, 'Brokers');
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    await sidebarRow(page, /^line broker/).filter({ hasText: 'connected' }).first().waitFor({ timeout: 40_000 });
    await pub!.publishAsync('plant/line1/temp', '21.5', { qos: 1 });
    await expandRow(page, /^plant/);
    const inspector = await inspectBelow(page, sidebarRow(page, /^plant/).first());
    await pub!.publishAsync('plant/line1/temp', '21.7', { qos: 1 });
    await pub!.publishAsync('plant/line1/humidity', '40', { qos: 1 });

    // Mosquitto sends one copy per matching subscription, each with that subscription's identifier.
    const temps = inspector.locator('#message-list [role=option]', { hasText: 'plant/line1/temp' });
    await temps.nth(1).waitFor({ timeout: 20_000 });
    await inspector.locator('#message-list [role=option]', { hasText: 'plant/line1/humidity' }).waitFor({ timeout: 20_000 });
    const props = inspector.locator('#detail-properties');
    const matched = new Set<string>();
    for (const i of [0, 1]) {
      await temps.nth(i).click();
      await props.filter({ hasText: 'matched' }).waitFor({ timeout: 20_000 });
      await page.waitForTimeout(200);
      for (const m of (await props.innerText()).matchAll(/Subscription\s+matched\s+(\S+)/g)) {
        matched.add(m[1]!);
      }
    }
    assert.deepEqual([...matched].sort(), ['plant/#', 'plant/+/temp'], 'the temperature matched both subscriptions');
    await props.scrollIntoViewIfNeeded();
    await page.mouse.move(900, 700);
    await shot(page, 'subscription-identifiers', false);

    const humidity = inspector.locator('#message-list [role=option]', { hasText: 'plant/line1/humidity' }).last();
    await humidity.click();
    await inspector.locator('#detail-topic', { hasText: 'plant/line1/humidity' }).waitFor({ timeout: 20_000 });
    await props.filter({ hasText: 'matched' }).waitFor({ timeout: 20_000 });
    assert.deepEqual([...(await props.innerText()).matchAll(/Subscription\s+matched\s+(\S+)/g)].map((m) => m[1]), ['plant/#'], 'the humidity matched only plant/#');
  });
});
