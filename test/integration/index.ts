// Runs inside the VS Code extension host (code-server here, @vscode/test-electron elsewhere).
// The workbench calls run(); it resolves when every test passed and rejects otherwise.
import { findTests, runMocha } from '../support/mochaRun';
import { crashes, startRecordingCrashes } from './crashes';

export async function run(): Promise<void> {
  startRecordingCrashes();
  const result = await runMocha('integration', findTests(__dirname), { timeout: 30_000, ...(process.env.BROKER_EXPLORER_GREP ? { grep: process.env.BROKER_EXPLORER_GREP } : {}) }, process.env.BROKER_EXPLORER_TEST_RESULTS, () =>
    // Only this extension's: other extensions of the workbench are not ours to judge.
    crashes.filter((c) => c.includes('broker-explorer') || c.includes('/dist/extension.js') || c.includes('/dist/vendor/') || c.includes('/out/test/')),
  );
  if (result.failed) {
    throw new Error(`${result.failed} integration test(s) failed`);
  }
}
