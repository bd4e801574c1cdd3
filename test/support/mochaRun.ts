import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** What each test layer reports to scripts/test.mjs, which sums them into the last line. */
export interface LayerResult {
  readonly layer: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: readonly { readonly title: string; readonly error: string }[];
  readonly durationMs: number;
}

export function findTests(dir: string, suffix = '.test.js'): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? findTests(p, suffix) : p.endsWith(suffix) ? [p] : [];
    })
    .sort();
}

/** Runs mocha on `files` with the spec reporter and writes a LayerResult to `resultsFile`. */
export function runMocha(layer: string, files: string[], options: Mocha.MochaOptions, resultsFile?: string, crashes?: () => readonly string[]): Promise<LayerResult> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, ...options });
  if (crashes) {
    // The layer fails on any unhandled rejection or uncaught exception, whichever test caused it.
    mocha.rootHooks({
      afterAll() {
        const seen = crashes();
        if (seen.length) {
          throw new Error(`${seen.length} unhandled rejection(s) or uncaught exception(s) during the run:\n${seen.join('\n')}`);
        }
      },
    });
  }
  files.forEach((f) => mocha.addFile(f));
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures: { title: string; error: string }[] = [];
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      const result: LayerResult = { layer, passed, failed, skipped, failures, durationMs: Date.now() - started };
      if (resultsFile) {
        writeFileSync(resultsFile, JSON.stringify(result, null, 2));
      }
      resolve(result);
    });
    runner.on('pass', () => passed++);
    runner.on('pending', () => skipped++);
    runner.on('fail', (test, err: unknown) => {
      failed++;
      failures.push({ title: test.fullTitle(), error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    });
  });
}
