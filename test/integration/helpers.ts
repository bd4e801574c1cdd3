import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BrokerExplorerApi } from '../../src/extension';

export const EXTENSION_ID = 'broker-explorer.broker-explorer';

/** Activates the extension (if needed) and returns its API. */
export async function api(): Promise<BrokerExplorerApi> {
  const ext = vscode.extensions.getExtension<BrokerExplorerApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed in the extension host`);
  return ext.activate();
}

/** Polls `probe` until it returns something other than undefined or false. */
export async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
