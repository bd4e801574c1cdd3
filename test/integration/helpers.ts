import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BrokerExplorerApi } from '../../src/extension';

export const EXTENSION_ID = 'broker-explorer.broker-explorer';

/** Activates the extension (if needed) and returns its API. */
export async function api(): Promise<BrokerExplorerApi> {
  const ext = vscode.extensions.getExtension<BrokerExplorerApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed in the extension host`);
  return ext.activate();
}

/** Polls `probe` until it returns something other than undefined or false (every 50 ms). */
export { poll as until } from '../support/wait';

/** The extension's log so far (every .log file of its log folder, `api().logUri`). */
export function readLog(logUri: vscode.Uri): string {
  return readdirSync(logUri.fsPath)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(logUri.fsPath, f), 'utf8'))
    .join('\n');
}
