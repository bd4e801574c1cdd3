// `npm run test:electron`: the same extension-host suite under @vscode/test-electron, for machines
// that can download VS Code (this one cannot; `npm test` runs the suite in code-server instead).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = resolve(__dirname, '../../..');
  const results = join(mkdtempSync(join(tmpdir(), 'be-electron-')), 'integration.json');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/test/integration/index.js'),
    launchArgs: [join(root, 'test/fixtures/workspace'), '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { BROKER_EXPLORER_TEST_RESULTS: results },
  });
  const r = JSON.parse(readFileSync(results, 'utf8')) as { passed: number; failed: number; skipped: number };
  console.log(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
