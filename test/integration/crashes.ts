/** Unhandled rejections and uncaught exceptions seen in the extension host during the run. */
export const crashes: string[] = [];

let started = false;

export function startRecordingCrashes(): void {
  if (started) {
    return;
  }
  started = true;
  process.on('unhandledRejection', (reason) => {
    crashes.push(`unhandledRejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
  process.on('uncaughtExceptionMonitor', (err) => {
    crashes.push(`uncaughtException: ${err.stack ?? err.message}`);
  });
}
