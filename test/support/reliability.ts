import { appendFileSync } from 'node:fs';

/**
 * One row of docs/reliability.md: what the suite did to the extension and what happened,
 * written by the test itself once its assertions passed (scripts/test.mjs builds the table).
 */
export function outcome(area: string, fault: string, result: string): void {
  const file = process.env.BROKER_EXPLORER_RELIABILITY;
  if (file) {
    appendFileSync(file, JSON.stringify({ area, fault, result }) + '\n');
  }
}
