// Runs inside the VS Code extension host (code-server here, @vscode/test-electron elsewhere).
// The workbench calls run(); it resolves when every test passed and rejects otherwise.
import { findTests, runMocha } from '../support/mochaRun';
import { startRecordingCrashes } from './crashes';

export async function run(): Promise<void> {
  startRecordingCrashes();
  const result = await runMocha('integration', findTests(__dirname), { timeout: 30_000 }, process.env.BROKER_EXPLORER_TEST_RESULTS);
  if (result.failed) {
    throw new Error(`${result.failed} integration test(s) failed`);
  }
}
