// Helpers for driving the VS Code workbench in Chromium (e2e tests).
import type { Frame, Locator, Page } from 'playwright-core';

export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.part.activitybar li.action-item:has(a.action-label[aria-label^="${title}"])`);
}

/** A button of a view's welcome content (not the view-title action of the same name). */
export function welcomeButton(page: Page, name: string): Locator {
  return page.locator('.part.sidebar .welcome-view-content a.monaco-button').filter({ hasText: name });
}

/** Rows of the tree views in the sidebar (the off-screen aria container excluded). */
export function sidebarRow(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text });
}

/**
 * Answers the quick input showing `prompt` (a text in its message line). Waiting for the prompt
 * keeps consecutive input boxes apart: the widget's <input> element is reused between them.
 */
export async function answerInputBox(page: Page, prompt: string | RegExp, value: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.filter({ hasText: prompt }).waitFor({ state: 'visible', timeout: 20_000 });
  const input = widget.locator('.quick-input-box input');
  await input.fill(value);
  await input.press('Enter');
}

/**
 * Adds an MQTT broker without credentials from the Brokers view's welcome button (the view shows
 * no broker yet) and waits for its row to say connected.
 */
export async function addMqttBrokerFromWelcome(page: Page, port: number, name: string): Promise<void> {
  const item = activityBarItem(page, 'Brokers');
  await item.waitFor({ timeout: 30_000 });
  await item.click();
  await welcomeButton(page, 'Add MQTT Broker').click();
  await answerInputBox(page, 'Host name or IP address', '127.0.0.1');
  await answerInputBox(page, 'Port', String(port));
  await answerInputBox(page, 'Name shown in the tree', name);
  await answerInputBox(page, 'Username, if the broker asks for one', '');
  await sidebarRow(page, new RegExp(`^${name}`)).filter({ hasText: 'connected' }).first().waitFor({ timeout: 30_000 });
}

/** Runs a command by its palette title ("Category: Title"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor({ timeout: 20_000 });
  await input.press('Enter');
}

/** Opens a workspace file by name with Quick Open (Ctrl+P); resolves once the pick is made. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 20_000 });
  await input.press('Enter');
}

/** The frame of a webview (VS Code nests each in two iframes) that holds `selector`. */
export async function webviewFrame(page: Page, selector: string): Promise<Frame> {
  const frame = await frameShowing(page, selector, new Set(), 30_000);
  if (!frame) {
    throw new Error(`no webview shows ${selector}`);
  }
  return frame;
}

/** The frames that hold `selector` now. */
async function framesShowing(page: Page, selector: string): Promise<Frame[]> {
  const found: Frame[] = [];
  for (const frame of page.frames()) {
    if (await frame.locator(selector).count().catch(() => 0)) {
      found.push(frame);
    }
  }
  return found;
}

/**
 * Polls for a frame holding `selector` that is not among `known` (the one a command just opened);
 * at the deadline, a known one that holds it, else undefined.
 */
async function frameShowing(page: Page, selector: string, known: ReadonlySet<Frame>, timeoutMs: number): Promise<Frame | undefined> {
  const deadline = Date.now() + timeoutMs;
  let revealed: Frame | undefined;
  while (Date.now() < deadline) {
    for (const frame of await framesShowing(page, selector)) {
      if (!known.has(frame)) {
        return frame;
      }
      revealed = frame;
    }
    await page.waitForTimeout(200);
  }
  return revealed;
}

/**
 * Expands the sidebar tree row whose text matches `text`. A live tree re-renders while it is
 * clicked (a new topic can push rows down between finding a row and the click landing), so this
 * clicks until the row itself says it is expanded.
 */
export async function expandRow(page: Page, text: RegExp, timeoutMs = 20_000): Promise<void> {
  const row = sidebarRow(page, text).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await row.waitFor({ timeout: Math.max(1, deadline - Date.now()) });
    if ((await row.getAttribute('aria-expanded').catch(() => null)) === 'true') {return;}
    if (Date.now() > deadline) {throw new Error(`the tree row ${text} did not expand within ${timeoutMs} ms`);}
    await row.locator('.monaco-tl-twistie').click({ timeout: 2000 }).catch(() => {});
    await page.waitForTimeout(100); // let the tree render the click before reading the row again
  }
}

/**
 * Opens the inspector on everything below a sidebar row (its "Inspect Messages Below"), and
 * resolves with the inspector's webview frame.
 */
export async function inspectBelow(page: Page, row: Locator): Promise<Frame> {
  // Inspectors already open: the one this opens comes first (one of them if the command revealed it).
  const known = new Set(await framesShowing(page, '#message-list'));
  // A click during the menu's opening, or a row re-rendered under the pointer, can lose the pick:
  // until an inspector shows, close what is open and pick again.
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-label', { hasText: 'Inspect Messages Below' });
    await item.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300); // a click during the menu's opening animation can be lost
    await item.click();
    await page
      .locator('.monaco-menu')
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .catch(() => page.keyboard.press('Escape'));
    const frame = await frameShowing(page, '#message-list', known, attempt < 3 ? 20_000 : 30_000);
    // An inspector already open is taken only on the last try (the command revealed it): before
    // that, no new one means the pick was lost.
    if (frame && (!known.has(frame) || attempt >= 3)) {
      return frame;
    }
    if (attempt >= 3) {
      throw new Error('no webview shows #message-list after three tries of Inspect Messages Below');
    }
  }
}
