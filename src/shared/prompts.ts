// Input boxes and quick picks: VS Code renders `[text](command:…)` in a prompt or a validation
// message as a link it runs on click, and `$(icon)` in titles, placeholders and prompts as an
// icon. Prompts carry names from brokers.json, brokers, topics and conf files: every input box
// and quick pick of the extension goes through these (ESLint refuses the direct calls elsewhere).
import * as vscode from 'vscode';
import { promptText } from '../core/format/markup';

function safeOptions<O extends { title?: string; placeHolder?: string; prompt?: string }>(options: O | undefined): O | undefined {
  if (!options) {
    return options;
  }
  const safe = { ...options };
  for (const key of ['title', 'placeHolder', 'prompt'] as const) {
    const value = safe[key];
    if (typeof value === 'string') {
      (safe as { [k in typeof key]?: string })[key] = promptText(value);
    }
  }
  return safe;
}

/** vscode.window.showInputBox with its texts (and validation messages) made inert. */
export function inputBox(options?: vscode.InputBoxOptions, token?: vscode.CancellationToken): Thenable<string | undefined> {
  const safe = safeOptions(options);
  const validate = options?.validateInput?.bind(options);
  if (safe && validate) {
    safe.validateInput = async (value) => {
      const r = await validate(value);
      return typeof r === 'string' ? promptText(r) : r;
    };
  }
  return vscode.window.showInputBox(safe, token);
}

/** vscode.window.showQuickPick (one item) with its title and placeholder made inert; item labels are the caller's to escape. */
export function quickPick(items: readonly string[] | Thenable<readonly string[]>, options?: vscode.QuickPickOptions, token?: vscode.CancellationToken): Thenable<string | undefined>;
export function quickPick<T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>, options?: vscode.QuickPickOptions, token?: vscode.CancellationToken): Thenable<T | undefined>;
export function quickPick<T extends vscode.QuickPickItem>(items: readonly (string | T)[] | Thenable<readonly (string | T)[]>, options?: vscode.QuickPickOptions, token?: vscode.CancellationToken): Thenable<string | T | undefined> {
  return vscode.window.showQuickPick(items as readonly T[], { ...safeOptions(options), canPickMany: false }, token);
}

/** vscode.window.showQuickPick with checkboxes (several items), its title and placeholder made inert; item labels are the caller's to escape. */
export function quickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options?: Omit<vscode.QuickPickOptions, 'canPickMany'>, token?: vscode.CancellationToken): Thenable<T[] | undefined> {
  return vscode.window.showQuickPick(items, { ...safeOptions(options), canPickMany: true }, token);
}
