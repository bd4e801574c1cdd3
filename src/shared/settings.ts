import * as vscode from 'vscode';
import { normalizeSetting, type SettingKey, type SettingValue } from './settingsTable';

/** Reads `brokerExplorer.<key>` (typed, range-checked, package.json's default when unset or bad). */
export function setting<K extends SettingKey>(key: K, scope?: vscode.ConfigurationScope): SettingValue<K> {
  return normalizeSetting(key, vscode.workspace.getConfiguration('brokerExplorer', scope).get<unknown>(key));
}

/** Whether a configuration change touches `brokerExplorer.<section>` (a setting or a group such as 'topics'). */
export function affects(e: vscode.ConfigurationChangeEvent, section: string): boolean {
  return e.affectsConfiguration(`brokerExplorer.${section}`);
}

/** brokerExplorer.limits.payloadMegabytes in bytes: the largest payload built or sent (publish, message files, templates). */
export function payloadLimitBytes(): number {
  return Math.round(setting('limits.payloadMegabytes') * 1024 * 1024);
}
