/**
 * Workspace brokers: the brokers a team lists in `.vscode/brokers.json`, read from the file's
 * text (entry by entry, see brokersJsonEntry.ts), and which of them connect by themselves.
 */
import * as l10n from '@vscode/l10n';
import { isObject, parseEntry } from './brokersJsonEntry';
import { describeJsonError, stripJsonc } from './jsonc';
import { isWorkspaceProfile, type BrokerProfile, type ProfileSource } from './profile';
import { canConnect, type ConnectionState } from './state';

/** Where a team's brokers are listed, relative to a workspace folder. */
export const WORKSPACE_BROKERS_FILE = '.vscode/brokers.json';

export interface WorkspaceFolderRef {
  /** The folder's file system path: relative TLS files are resolved against it. */
  readonly path: string;
  /** Its display name, shown beside each broker ("workspace: name"). */
  readonly name: string;
}

export interface WorkspaceBrokers {
  readonly profiles: BrokerProfile[];
  /** Plain-words problems, one per refused entry or ignored setting. */
  readonly problems: string[];
}

/** Reads `.vscode/brokers.json` text: the brokers it defines and what is wrong with it, in plain words. */
export function parseWorkspaceBrokers(text: string, folder: WorkspaceFolderRef): WorkspaceBrokers {
  const profiles: BrokerProfile[] = [];
  const problems: string[] = [];
  if (!text.trim()) {
    return { profiles, problems };
  }
  const clean = stripJsonc(text);
  let root: unknown;
  try {
    root = JSON.parse(clean);
  } catch (err) {
    problems.push(l10n.t('brokers.json is not valid JSON: {0}', describeJsonError(err, clean)));
    return { profiles, problems };
  }
  if (!isObject(root) || !Array.isArray(root.brokers)) {
    problems.push(l10n.t('brokers.json needs a "brokers" list: {0}', '{ "brokers": [ { "name": …, "kind": "mqtt", "host": … } ] }'));
    return { profiles, problems };
  }
  for (const key of Object.keys(root)) {
    if (key !== 'brokers' && key !== '$schema') {
      problems.push(l10n.t('unknown setting "{0}" at the top of brokers.json is ignored', key));
    }
  }
  const ids = new Set<string>();
  root.brokers.forEach((entry: unknown, index) => {
    const where = isObject(entry) && typeof entry.name === 'string' && entry.name.trim() ? `"${entry.name.trim()}" (brokers[${index}])` : `brokers[${index}]`;
    const result = parseEntry(entry, folder);
    problems.push(...result.problems.map((p) => `${where}: ${p}`));
    if (!result.profile) {
      return;
    }
    if (ids.has(result.profile.id)) {
      problems.push(l10n.t('{0}: another broker in this file has the same name; names must differ', where));
      return;
    }
    ids.add(result.profile.id);
    profiles.push(result.profile);
  });
  return { profiles, problems };
}

/** What the auto-connect decision needs of a broker (a BrokerConnection has it). */
export interface AutoConnectCandidate {
  readonly id: string;
  readonly profile: { readonly autoConnect?: boolean; readonly source?: ProfileSource };
  readonly state: ConnectionState;
}

/**
 * Which brokers from brokers.json connect by themselves: none while the workspace is not trusted
 * (a cloned repository must not make VS Code dial out, nor send a saved password, on opening);
 * in a trusted one, those that say `"autoConnect": true` and are idle.
 */
export function workspaceAutoConnectIds(candidates: readonly (AutoConnectCandidate | undefined)[], trusted: boolean): string[] {
  if (!trusted) {
    return [];
  }
  return candidates
    .filter((c): c is AutoConnectCandidate => c !== undefined && isWorkspaceProfile(c.profile) && c.profile.autoConnect === true && canConnect(c.state))
    .map((c) => c.id);
}
