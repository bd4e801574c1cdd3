// The second extension-host run: Workspace Trust on, and a folder nobody trusted (Restricted
// Mode). scripts/test.mjs makes the folder, with a .vscode/brokers.json, before VS Code opens it.
import { findTests, runMocha } from '../support/mochaRun';
import { startRecordingCrashes } from '../integration/crashes';

export async function run(): Promise<void> {
  startRecordingCrashes();
  const result = await runMocha('integration (untrusted)', findTests(__dirname), { timeout: 30_000 }, process.env.BROKER_EXPLORER_TEST_RESULTS);
  if (result.failed) {
    throw new Error(`${result.failed} integration test(s) failed`);
  }
}
