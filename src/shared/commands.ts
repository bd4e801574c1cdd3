import * as vscode from 'vscode';
import type { CommandId } from './commandTable';

/** Registers one of the extension's commands; the id must be in COMMANDS (./commandTable.ts). */
export function registerCommand(id: CommandId, handler: (...args: never[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown);
}
