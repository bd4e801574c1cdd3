import * as vscode from 'vscode';
import type { ConnectionLog } from '../core/brokers/connection';
import { showError } from './notify';

/** The one "Broker Explorer" log channel. Never log payloads or secrets at info level. */
export class Logger implements ConnectionLog, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Broker Explorer', { log: true });
  }

  info(message: string): void {
    this.channel.info(message);
  }
  warn(message: string): void {
    this.channel.warn(message);
  }
  error(message: string): void {
    this.channel.error(message);
  }
  trace(message: string): void {
    this.channel.trace(message);
  }

  show(): void {
    this.channel.show(true);
  }

  /**
   * Shows an error in plain words with a "Show Log" action (plus any extra actions) and
   * resolves with the action the user chose. Never rejects.
   */
  async showError(message: string, ...actions: string[]): Promise<string | undefined> {
    const showLog = vscode.l10n.t('Show Log');
    try {
      const choice = await showError(message, {}, ...actions, showLog);
      if (choice === showLog) {
        this.show();
        return undefined;
      }
      return choice;
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** Runs a command body, turning any unexpected error into a logged, visible message. */
export function guarded<A extends unknown[], R>(log: Logger, name: string, body: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await body(...args);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error(`${name} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
      void log.showError(vscode.l10n.t('Broker Explorer: {0}', message));
      return undefined;
    }
  };
}
