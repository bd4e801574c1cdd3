// `node out/test/support/runLayer.js <layer> <testsDir> <resultsFile> [timeoutMs]`: a mocha
// layer in plain Node (unit, e2e). Exits 1 when a test failed.
import { statSync } from 'node:fs';
import { crashes, startRecordingCrashes } from '../integration/crashes';
import { runMocha, findTests } from './mochaRun';

async function main(): Promise<void> {
  const [layer, dir, resultsFile, timeout] = process.argv.slice(2);
  if (!layer || !dir || !resultsFile) {
    throw new Error('usage: runLayer <layer> <testsDir> <resultsFile> [timeoutMs]');
  }
  const files = statSync(dir).isFile() ? [dir] : findTests(dir);
  startRecordingCrashes();
  const result = await runMocha(layer, files, { timeout: Number(timeout ?? 20_000), ...(process.env.BROKER_EXPLORER_GREP ? { grep: process.env.BROKER_EXPLORER_GREP } : {}) }, resultsFile, () => crashes);
  // Exit even if a failed test left a handle open: the results are written.
  process.exit(result.failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
