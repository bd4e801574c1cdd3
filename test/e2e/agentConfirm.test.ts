// Issue 22: an acting Language Model tool called outside a chat (another extension's
// vscode.lm.invokeTool, no toolInvocationToken) is confirmed by VS Code in a modal dialog with our
// prepareInvocation title and text (Markdown shown as plain text). An extension-test host answers
// every dialog "yes" by itself (DialogService.skipDialogs), so only a real workbench shows it: here
// the user answers it. Cancel sends nothing and the caller gets a cancellation; Yes publishes once.
// The caller is a fixture extension (test/fixtures/lm-caller) packaged and installed beside the .vsix.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { activityBarItem, runCommand } from '../support/workbench';
import { openPackagedWorkbench, ROOT, type PackagedWorkbench } from './packaged';

const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');
const CALLER = 'LM Caller: Publish Through Broker Explorer';

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

function results(file: string): Array<{ text?: string; error?: string }> {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text?: string; error?: string }) : [];
}

async function until<T>(page: Page, read: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) {return value;}
    if (Date.now() > deadline) {throw new Error(`timed out waiting for ${what}`);}
    await page.waitForTimeout(100);
  }
}

describe('An acting agent tool called by another extension asks in a modal dialog (packaged .vsix, Chromium)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let page: Page;
  let broker: PrivateBroker;
  let watcher: mqtt.MqttClient;
  let scratch: string;
  let out: string;
  const received: string[] = [];
  const topic = `be-e2e-lm/${process.pid}`;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'be-e2e-lm-'));
    out = join(scratch, 'results.jsonl');
    const vsix = join(scratch, 'lm-caller.vsix');
    const vsce = join(ROOT, 'node_modules/@vscode/vsce/vsce');
    const packed = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: join(ROOT, 'test/fixtures/lm-caller'), encoding: 'utf8' });
    assert.equal(packed.status, 0, `packaging the fixture extension: ${packed.stderr}`);
    broker = await startPrivateMosquitto();
    watcher = await mqtt.connectAsync({ host: '127.0.0.1', port: broker.port });
    watcher.on('message', (_t, payload) => received.push(payload.toString()));
    await watcher.subscribeAsync(topic);
    workbench = await openPackagedWorkbench('be-e2e-lm-', {
      extraVsix: [vsix],
      env: { BE_LM_CALLER_BROKER: 'device lab', BE_LM_CALLER_PORT: String(broker.port), BE_LM_CALLER_TOPIC: topic, BE_LM_CALLER_PAYLOAD: '{"reading":21.5}', BE_LM_CALLER_OUT: out },
    });
    page = workbench.page;
    await activityBarItem(page, 'Brokers').waitFor({ timeout: 30_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(page, `failure-agent-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`).catch(() => {});
    }
  });

  after(async () => {
    await workbench?.close();
    await watcher?.endAsync();
    await broker?.dispose();
    if (scratch) {rmSync(scratch, { recursive: true, force: true });}
  });

  const dialog = () => page.locator('.monaco-dialog-box').filter({ hasText: 'Publish to MQTT broker?' });

  it('shows what will be published; Cancel sends nothing and the caller hears it was cancelled', async () => {
    // The palette lists the commands known when it opens: the fixture's may come a moment after the workbench.
    for (let attempt = 0; ; attempt++) {
      try {
        await runCommand(page, CALLER);
        break;
      } catch (err) {
        if (attempt === 2) {throw err;}
        await page.keyboard.press('Escape');
      }
    }
    await dialog().waitFor({ state: 'visible', timeout: 60_000 });
    const text = await dialog().innerText();
    assert.match(text, new RegExp(`Publish to MQTT broker device lab \\(127\\.0\\.0\\.1:${broker.port}\\), topic ${topic}:`));
    assert.match(text, /QoS 0 \(no acknowledgement\)/);
    assert.match(text, /not retained/);
    assert.match(text, /\{"reading":21\.5\}/, 'the payload is shown');
    await shot(page, 'agent-confirmation');
    await page.waitForTimeout(1000);
    assert.deepEqual(received, [], 'nothing is sent while the dialog is open');
    await dialog().locator('.monaco-button', { hasText: 'Cancel' }).click();
    const answer = await until(page, () => results(out)[0], 'the first tool result');
    assert.equal(answer.text, undefined, 'a cancelled call has no result');
    assert.match(answer.error ?? '', /cancel/i, 'the caller hears the call was cancelled');
    await page.waitForTimeout(1000);
    assert.deepEqual(received, [], 'a cancelled publish sends nothing');
  });

  it('Yes publishes the payload once, and the caller gets the result', async () => {
    await runCommand(page, CALLER);
    await dialog().waitFor({ state: 'visible', timeout: 30_000 });
    await dialog().locator('.monaco-button', { hasText: 'Yes' }).click();
    const answer = await until(page, () => results(out)[1], 'the second tool result');
    assert.equal(await dialog().count(), 0, 'one question: no second dialog after Yes');
    await until(page, () => (received.length ? received : undefined), 'the published message');
    assert.equal(answer.error, undefined, `the tool failed: ${answer.error}`);
    assert.match(answer.text ?? '', new RegExp(`${topic}`), 'the result names the topic');
    await page.waitForTimeout(500);
    assert.deepEqual(received, ['{"reading":21.5}'], 'published exactly once');
  });
});
