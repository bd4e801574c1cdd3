// What the command-line entry points (broker-messages-test, broker-explorer-mcp) share about
// connections: the nearest `.vscode/brokers.json` (or one given with --brokers), and passwords from
// BROKER_EXPLORER_PASSWORD_<CONNECTION> (upper case, every other character `_`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WORKSPACE_BROKERS_FILE } from './workspaceBrokers';

/** `BROKER_EXPLORER_PASSWORD_<CONNECTION>`: the name upper-cased, every other character `_`. */
export function passwordVariable(connection: string): string {
  return `BROKER_EXPLORER_PASSWORD_${connection.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The nearest `.vscode/brokers.json` at or above `dir`. */
export function nearestBrokersFile(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const f = join(d, WORKSPACE_BROKERS_FILE);
    if (existsSync(f)) {
      return f;
    }
    if (dirname(d) === d) {
      return undefined;
    }
  }
}
