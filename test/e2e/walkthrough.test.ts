// End to end, first run: the packaged .vsix in a fresh code-server (no brokers, nothing opened),
// its walkthrough opened from the command palette and walked step by step with the buttons a new
// user sees. Each step's checkmark must appear after doing its action, never before.
// `npm run screenshots` also writes the README's walkthrough-*.png and the walkthrough's own images.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Frame, Locator, Page } from 'playwright-core';
import { answerInputBox, runCommand, sidebarRow, webviewFrame } from '../support/workbench';
import { openPackagedWorkbench, ROOT, type PackagedWorkbench } from './packaged';

const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');
const README_IMAGES = process.env.BROKER_EXPLORER_README_SCREENSHOTS;
/** The walkthrough's own step images (packaged), refreshed with the README's. */
const WALKTHROUGH_IMAGES = join(ROOT, 'media/walkthrough');
const WALKTHROUGH_TITLE = 'Get Started with Broker Explorer';

async function shot(page: Page, name: string, options: { clip?: Locator; walkthroughImage?: string } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  const clip = options.clip ? ((await options.clip.boundingBox()) ?? undefined) : undefined;
  await page.screenshot({ path: file, clip });
  if (README_IMAGES) {
    if (options.walkthroughImage) {
      copyFileSync(file, join(WALKTHROUGH_IMAGES, `${options.walkthroughImage}.png`));
    } else {
      mkdirSync(README_IMAGES, { recursive: true });
      copyFileSync(file, join(README_IMAGES, `${name}.png`));
    }
  }
}

describe('First run: the walkthrough (packaged .vsix in a fresh code-server, Chromium)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let page: Page;
  let publisher: { stop(): Promise<void> } | undefined;

  /** The walkthrough page's step button for `id` (its data-step-id ends with "#id"). */
  const step = (id: string): Locator => page.locator(`.gettingStartedContainer button.getting-started-step[data-step-id$="#${id}"]`);
  const isChecked = async (id: string): Promise<boolean> => (await step(id).getAttribute('aria-checked')) === 'true';
  /** Waits until the page's `button.getting-started-step` of `id` satisfies `test` (a JS expression on `b`). */
  const waitStep = (id: string, test: string, timeout = 30_000): Promise<void> =>
    page.waitForFunction(`(b => ${test})(document.querySelector('button.getting-started-step[data-step-id$="#${id}"]'))`, undefined, { timeout }).then(() => undefined);
  const waitChecked = (id: string): Promise<void> => waitStep(id, "b?.getAttribute('aria-checked') === 'true'");

  /** Brings the walkthrough forward (its tab, then its card when the welcome page shows its home) and opens step `id`. */
  async function openStep(id: string): Promise<void> {
    const tab = page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first();
    if ((await tab.count()) && !(await tab.getAttribute('class'))?.includes('active')) {
      await tab.click(); // clicking the active tab would take the page back to its home
      await page.waitForTimeout(500);
    }
    await step(id).waitFor({ state: 'attached', timeout: 20_000 });
    if ((await step(id).getAttribute('disabled')) !== null) {
      // The steps of a walkthrough that is not shown are disabled: open it from its card.
      await page.locator('.gettingStartedContainer button.getting-started-category', { hasText: 'Get Started with Broker Explo' }).first().click();
      await waitStep(id, "b && !b.hasAttribute('disabled')", 20_000);
      await page.waitForTimeout(500);
    }
    if ((await step(id).getAttribute('aria-expanded')) !== 'true') {
      await step(id).click();
    }
    await waitStep(id, "b?.getAttribute('aria-expanded') === 'true'", 10_000);
  }

  /** A button of the open step's description (a command link on a line of its own). */
  const stepButton = (id: string, name: string): Locator => step(id).locator('.monaco-button, a', { hasText: name }).first();

  before(async () => {
    workbench = await openPackagedWorkbench('be-wt-');
    ({ page } = workbench);
    await page.waitForTimeout(2000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `failure-walkthrough-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}.png`) }).catch(() => {});
    }
  });

  after(async () => {
    await publisher?.stop().catch(() => {});
    await workbench?.close();
  });

  it('opens from "Welcome: Open Walkthrough..." with four unchecked steps, each with its image', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const choice = page.locator('.quick-input-widget .monaco-list-row', { hasText: WALKTHROUGH_TITLE }).first();
    await choice.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(300); // the list settles before a click counts
    await choice.click();
    await page.locator('.gettingStartedContainer').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    for (const id of ['connect', 'topics', 'messageFile', 'lint']) {
      await step(id).waitFor({ timeout: 10_000 });
      assert.equal(await isChecked(id), false, `${id} is not done before its action`);
    }
    await openStep('connect');
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
    // Without the sidebar the page is wide enough for the media column. The step's image is shown beside it, from the packaged media/walkthrough folder.
    const image = page.locator('.gettingStartedContainer .getting-started-media img[alt*="connected broker"]').locator('visible=true');
    await image.first().waitFor({ timeout: 10_000 });
    assert.match((await image.first().getAttribute('srcset')) ?? (await image.first().getAttribute('src')) ?? '', /walkthrough%2Fconnect\.png|walkthrough\/connect\.png/);
    await page.waitForTimeout(500);
    await shot(page, 'walkthrough-1-start');
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 10_000 });
  });

  it('step 1: "Add MQTT Broker" adds and connects the local Mosquitto, and the step is checked', async () => {
    await stepButton('connect', 'Add MQTT Broker').click();
    await answerInputBox(page, 'Host name or IP address', '127.0.0.1');
    await answerInputBox(page, 'Port', '1883');
    await answerInputBox(page, 'Name shown in the tree', '');
    await answerInputBox(page, 'Username, if the broker asks for one', '');
    await waitChecked('connect');
    assert.equal(await isChecked('topics'), false, 'the next step is not done yet');
  });

  it('step 2: "Show the Topic Tree" opens the MQTT view with the live topics, and the step is checked', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const demo = require(join(ROOT, 'scripts/demo.mjs')) as { startSensorPublisher(url: string): Promise<{ stop(): Promise<void> }> };
    publisher = await demo.startSensorPublisher('mqtt://127.0.0.1:1883');
    await openStep('topics');
    await stepButton('topics', 'Show the Topic Tree').click();
    const broker = sidebarRow(page, '127.0.0.1:1883').first();
    await broker.filter({ hasText: 'connected' }).waitFor({ timeout: 20_000 });
    await waitChecked('topics');
    await shot(page, 'walkthrough-image-connect', { clip: page.locator('.part.sidebar'), walkthroughImage: 'connect' });
    await broker.filter({ hasText: 'topics' }).waitFor({ timeout: 20_000 });
    if ((await broker.getAttribute('aria-expanded')) !== 'true') {
      await broker.click();
    }
    for (const level of ['(empty)', 'weather', 'station01']) {
      const row = sidebarRow(page, new RegExp(`^${level.replace(/[()]/g, '\\$&')}`)).first();
      await row.waitFor({ timeout: 20_000 });
      if ((await row.getAttribute('aria-expanded')) !== 'true') {
        await row.click();
      }
      await page.waitForTimeout(300);
    }
    await sidebarRow(page, /^temperature/).filter({ hasText: '"temperature"' }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1000);
    await page.mouse.move(900, 700);
    await shot(page, 'walkthrough-2-topics');
    await shot(page, 'walkthrough-image-topics', { clip: page.locator('.part.sidebar'), walkthroughImage: 'topics' });
  });

  it('step 3: "Open a Sample Message File" opens a sample aimed at the broker; its Send publishes and checks the step', async () => {
    await openStep('messageFile');
    assert.equal(await isChecked('messageFile'), false, 'not done before a message was sent');
    await stepButton('messageFile', 'Open a Sample Message File').click();
    const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'PUBLISH' }).first();
    await editor.waitFor({ timeout: 20_000 });
    assert.match(await editor.innerText(), /mqtt:\/\/127\.0\.0\.1:1883\/weather\/station01\/temperature/, 'aimed at the connected broker by its name');
    const send = editor.locator('.codelens-decoration a', { hasText: /^\s*Send\s*$/ }).first();
    await send.waitFor({ timeout: 30_000 });
    await send.click();
    await page.locator('.part.statusbar', { hasText: 'PUBACK received' }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(300);
    await shot(page, 'walkthrough-3-message-file');
    await shot(page, 'walkthrough-image-message-file', { clip: page.locator('.part.editor'), walkthroughImage: 'message-file' });
    await openStep('messageFile');
    await waitChecked('messageFile');
  });

  it('step 4: "Open a Sample mosquitto.conf" shows the linter’s findings, and the step is checked', async () => {
    await openStep('lint');
    assert.equal(await isChecked('lint'), false, 'not done before a mosquitto.conf is checked');
    await stepButton('lint', 'Open a Sample mosquitto.conf').click();
    const editor = page.locator('.editor-instance .monaco-editor', { hasText: 'allow_anonymus' }).first();
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    // A hover sometimes does not open when the pointer lands while the editor still lays out (seen
    // once in CI): move away and hover again, up to three times.
    const word = editor.locator('.view-line span', { hasText: 'allow_anonymus' }).first();
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'allow_anonymous' });
    for (let attempt = 0; attempt < 3 && !(await hover.first().isVisible()); attempt++) {
      await page.mouse.move(5, 5);
      await word.hover();
      await hover
        .first()
        .waitFor({ timeout: 7_000 })
        .catch(() => undefined);
    }
    await hover.first().waitFor({ timeout: 5_000 });
    await page.waitForTimeout(400);
    await shot(page, 'walkthrough-4-lint');
    await shot(page, 'walkthrough-image-lint', { clip: page.locator('.part.editor'), walkthroughImage: 'lint' });
    await page.keyboard.press('Escape');
    await openStep('lint');
    await waitChecked('lint');
  });

  it('shows every step checked at the end', async () => {
    for (const id of ['connect', 'topics', 'messageFile', 'lint']) {
      assert.equal(await isChecked(id), true, `${id} is checked`);
    }
    await page.mouse.move(900, 700);
    await page.waitForTimeout(500);
    await shot(page, 'walkthrough-5-done');
  });

  it('publishes from the publish panel with the keyboard alone: Tab to each field, type, Enter on Send', async () => {
    const sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    try {
      const got = new Promise<string>((resolve) => sub.on('message', (topic, p) => topic === 'e2e/keyboard' && resolve(p.toString())));
      await sub.subscribeAsync('e2e/keyboard', { qos: 1 });
      await runCommand(page, 'Broker Explorer: Publish Message…');
      const panel = await webviewFrame(page, '#payload');
      await page.waitForTimeout(500);
      await tabTo(panel, 'topic');
      await page.keyboard.type('e2e/keyboard');
      await tabTo(panel, 'payload');
      // The JSON payload starts as {}: clear it with End and Backspace. (Ctrl+A goes through the
      // workbench and back into the webview, so on a busy machine it can land after some typing.)
      const initial = await panel.locator('#payload').inputValue();
      assert.ok(!initial.includes('\n'), 'a one-line initial payload');
      await page.keyboard.press('End');
      for (let i = 0; i < initial.length; i++) {
        await page.keyboard.press('Backspace');
      }
      await page.keyboard.type('{"typed": "without a mouse"}');
      assert.equal(await panel.locator('#payload').inputValue(), '{"typed": "without a mouse"}', 'every keystroke landed in the payload');
      await tabTo(panel, 'send');
      await page.keyboard.press('Enter');
      await panel.locator('#result[data-state="ok"]').waitFor({ timeout: 20_000 });
      assert.equal(await got, '{"typed": "without a mouse"}', 'the broker received what was typed');
      await shot(page, 'publish-keyboard');
    } finally {
      await sub.endAsync();
    }
  });
});

/** Presses Tab until the element with `id` (or the custom element hosting the focus) has the focus. */
async function tabTo(frame: Frame, id: string): Promise<void> {
  const focused = (): Promise<string> => frame.evaluate<string>('document.hasFocus() && document.activeElement ? document.activeElement.id : ""');
  const seen: string[] = [];
  for (let i = 0; i < 60; i++) {
    const now = await focused();
    if (now === id) {
      return;
    }
    seen.push(now || '(none)');
    await frame.page().keyboard.press('Tab');
    await frame.page().waitForTimeout(60);
  }
  throw new Error(`Tab never reached #${id}; focus went through ${seen.join(' → ')}`);
}
