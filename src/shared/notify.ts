import * as vscode from 'vscode';
import { noLinks } from '../core/format/markup';

/**
 * Notifications of this extension. VS Code turns `[label](command:…)` in a message into a link it
 * runs on click, and messages carry broker data (topic, queue and broker names, failure reasons):
 * every message goes through noLinks here.
 */
export interface ShownNotification {
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly detail?: string;
  /** The buttons offered, in order. */
  readonly actions: readonly string[];
}

const RECENT_LIMIT = 100;
let recent: ShownNotification[] | undefined;

/**
 * Tests only (activate() calls it in ExtensionMode.Test): from now on the last notifications are
 * kept, and the returned function reads them (newest last, as shown).
 */
export function recordNotifications(): () => readonly ShownNotification[] {
  const kept: ShownNotification[] = (recent ??= []);
  return () => kept;
}

function record(severity: 'info' | 'warning' | 'error', message: string, detail: string | undefined, actions: readonly string[]): void {
  if (!recent) {
    return;
  }
  recent.push(detail === undefined ? { severity, message, actions } : { severity, message, detail, actions });
  if (recent.length > RECENT_LIMIT) {
    recent.splice(0, recent.length - RECENT_LIMIT);
  }
}

function show(severity: 'info' | 'warning' | 'error', message: string, optionsOrItem: vscode.MessageOptions | string | undefined, items: string[]): Thenable<string | undefined> {
  const options = typeof optionsOrItem === 'object' ? optionsOrItem : {};
  const all = typeof optionsOrItem === 'string' ? [optionsOrItem, ...items] : items;
  const safe = noLinks(message);
  record(severity, safe, options.detail, all);
  switch (severity) {
    case 'info':
      return vscode.window.showInformationMessage(safe, options, ...all);
    case 'warning':
      return vscode.window.showWarningMessage(safe, options, ...all);
    case 'error':
      return vscode.window.showErrorMessage(safe, options, ...all);
  }
}

export function showInfo(message: string, optionsOrItem?: vscode.MessageOptions | string, ...items: string[]): Thenable<string | undefined> {
  return show('info', message, optionsOrItem, items);
}

export function showWarning(message: string, optionsOrItem?: vscode.MessageOptions | string, ...items: string[]): Thenable<string | undefined> {
  return show('warning', message, optionsOrItem, items);
}

export function showError(message: string, optionsOrItem?: vscode.MessageOptions | string, ...items: string[]): Thenable<string | undefined> {
  return show('error', message, optionsOrItem, items);
}
