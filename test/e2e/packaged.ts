// The packaged .vsix in a fresh code-server, driven by Chromium: the start every e2e suite shares.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

// Loaded at run time from the repo (not out/), so both trees share one harness.
export type Harness = typeof import('../../scripts/harness.mjs');
export const ROOT = resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const harness = require(join(ROOT, 'scripts/harness.mjs')) as Harness;

export interface PackagedWorkbench {
  readonly runDir: string;
  readonly workspace: string;
  readonly server: Awaited<ReturnType<Harness['startCodeServer']>>;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes the browser, stops code-server and removes the run's folder. */
  close(): Promise<void>;
}

/**
 * Installs BROKER_EXPLORER_VSIX into a new code-server profile, opens a copy of the fixture
 * workspace in Chromium (1280×800, Dark Modern) and waits for the workbench. `extraVsix` are
 * installed beside it (test fixtures); `env` reaches the extension host's process.
 */
export async function openPackagedWorkbench(prefix: string, options: { extraVsix?: readonly string[]; env?: Record<string, string> } = {}): Promise<PackagedWorkbench> {
  const vsix = process.env.BROKER_EXPLORER_VSIX;
  assert.ok(vsix, 'BROKER_EXPLORER_VSIX names the packaged extension (scripts/test.mjs sets it)');
  const runDir = harness.makeRunDir(prefix);
  const workspace = join(runDir, 'ws');
  cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
  harness.installVsix(runDir, vsix);
  for (const extra of options.extraVsix ?? []) {harness.installVsix(runDir, extra);}
  const server = await harness.startCodeServer(runDir, { settings: { 'workbench.colorTheme': 'Default Dark Modern' }, env: options.env });
  const context = await harness.launchBrowser(join(runDir, 'chrome'), { width: 1280, height: 800 });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.part.activitybar').waitFor({ timeout: 60_000 });
  await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
  return {
    runDir,
    workspace,
    server,
    context,
    page,
    close: async () => {
      await context.close().catch(() => {});
      await server.stop();
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');

/**
 * Saves a screenshot in test/e2e/screenshots; with BROKER_EXPLORER_README_SCREENSHOTS set (`npm run
 * screenshots`) a README image is copied there too.
 */
export async function shot(page: Page, name: string, forReadme = true): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  const readme = process.env.BROKER_EXPLORER_README_SCREENSHOTS;
  if (readme && forReadme) {
    mkdirSync(readme, { recursive: true });
    copyFileSync(file, join(readme, `${name}.png`));
  }
}
