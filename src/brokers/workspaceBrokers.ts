import * as vscode from 'vscode';
import type { BrokerConnection } from '../core/brokers/connection';
import type { ProfileSource } from '../core/brokers/profile';
import { parseProxy } from '../core/brokers/proxy';
import type { BrokerRegistry } from '../core/brokers/registry';
import { parseWorkspaceBrokers, WORKSPACE_BROKERS_FILE, workspaceAutoConnectIds } from '../core/brokers/workspaceBrokers';
import type { Logger } from '../shared/log';
import { showInfo, showWarning } from '../shared/notify';
import { escapeIcons } from '../core/format/markup';
import { inputBox, quickPick } from '../shared/prompts';

/** Waits this long after a change of brokers.json before reading it (saves come in bursts). */
const RELOAD_DELAY_MS = 150;

/** The folder path brokers.json's relative TLS files are resolved against (and the profile's source). */
function folderPath(folder: vscode.WorkspaceFolder): string {
  return folder.uri.scheme === 'file' ? folder.uri.fsPath : folder.uri.path;
}

/** The `.vscode/brokers.json` that defines a workspace broker. */
export function brokersFileUri(source: ProfileSource): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((f) => folderPath(f) === source.folder);
  return folder ? vscode.Uri.joinPath(folder.uri, WORKSPACE_BROKERS_FILE) : vscode.Uri.joinPath(vscode.Uri.file(source.folder), WORKSPACE_BROKERS_FILE);
}

/** Opens a workspace broker's brokers.json with its entry selected. */
export async function openBrokersFile(source: ProfileSource, brokerName?: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(brokersFileUri(source));
  const editor = await vscode.window.showTextDocument(document);
  if (brokerName) {
    const text = document.getText();
    const at = text.search(new RegExp(`"name"\\s*:\\s*${escapeRegExp(JSON.stringify(brokerName))}`));
    if (at >= 0) {
      const range = new vscode.Range(document.positionAt(at), document.positionAt(at));
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Edit on a workspace broker: its settings are in brokers.json, so that file opens; a broker with
 * a username also offers to change the password kept in secret storage.
 */
export async function editWorkspaceBroker(registry: BrokerRegistry, connection: BrokerConnection): Promise<void> {
  const source = connection.profile.source;
  if (!source) {
    return;
  }
  const proxyRoute = parseProxy(connection.profile.proxy).route;
  const proxyUser = proxyRoute && (proxyRoute.kind === 'socks5' || proxyRoute.kind === 'http') ? proxyRoute.username : undefined;
  if (!connection.profile.username && !proxyUser) {
    await openBrokersFile(source, connection.profile.name);
    return;
  }
  const open = { label: vscode.l10n.t('$(go-to-file) Open .vscode/brokers.json'), detail: vscode.l10n.t('Host, port, TLS files and the other settings of "{0}" are shared there', escapeIcons(connection.profile.name)) };
  const password = { label: vscode.l10n.t('$(key) Change Password…'), detail: vscode.l10n.t('Kept in VS Code secret storage on this machine only') };
  const proxyPassword = { label: vscode.l10n.t('$(key) Change Proxy Password…'), detail: vscode.l10n.t('Kept in VS Code secret storage on this machine only') };
  const choice = await quickPick([open, ...(connection.profile.username ? [password] : []), ...(proxyUser ? [proxyPassword] : [])], { title: vscode.l10n.t('Edit {0}', escapeIcons(connection.profile.name)) });
  if (choice === open) {
    await openBrokersFile(source, connection.profile.name);
  } else if (choice === proxyPassword) {
    const value = await inputBox({ title: vscode.l10n.t('Proxy password'), prompt: vscode.l10n.t('Password of the proxy user {0} (empty: none)', proxyUser ?? ''), password: true, ignoreFocusOut: true });
    if (value !== undefined) {
      await registry.storeSecret(connection.id, 'proxyPassword', value);
      if (connection.state.kind !== 'disconnected') {
        await connection.disconnect();
        await registry.connect(connection.id);
      }
    }
  } else if (choice === password) {
    const value = await askPassword(connection);
    if (value !== undefined) {
      await registry.storePassword(connection.id, value);
      if (connection.state.kind !== 'disconnected') {
        await connection.disconnect();
        await registry.connect(connection.id);
      }
    }
  }
}

/** Remove on a workspace broker removes nothing: it says where the broker is defined and opens that file. */
export async function explainWorkspaceRemove(connection: BrokerConnection): Promise<void> {
  const source = connection.profile.source;
  if (!source) {
    return;
  }
  void showInfo(
    vscode.l10n.t('"{0}" is defined in .vscode/brokers.json of {1}: edit that file to remove it.', connection.profile.name, source.name),
  );
  await openBrokersFile(source, connection.profile.name);
}

function askPassword(connection: BrokerConnection): Thenable<string | undefined> {
  return inputBox({
    // Name and user come from a shared file: inputBox() makes title and prompt inert (no links, no icons).
    title: vscode.l10n.t('Connect to {0}', connection.profile.name),
    prompt:
      vscode.l10n.t('Password of {0} for "{1}" (from .vscode/brokers.json). It is kept in VS Code secret storage, never in the file.', connection.profile.username ?? '', connection.profile.name) +
      // The file also says which proxy the connection (and so the password) goes through.
      (connection.profile.proxy && connection.profile.proxy !== 'system' && connection.profile.proxy !== 'none' ? ` ${vscode.l10n.t('The connection goes through the proxy {0}.', connection.profile.proxy)}` : ''),
    password: true,
    ignoreFocusOut: true,
  });
}

interface FolderState {
  readonly folder: vscode.WorkspaceFolder;
  readonly watcher: vscode.FileSystemWatcher;
  timer?: ReturnType<typeof setTimeout>;
  /** Checks the file's stat every few seconds: file watchers miss a `.vscode` folder created later. */
  poll?: ReturnType<typeof setInterval>;
  /** `mtime:size` of the file at the last check ('' when missing). */
  seen?: string;
  /** Bumped at each read: a slower, older read never overwrites a newer one. */
  generation: number;
  lastProblems: string;
}

/**
 * Brokers from each workspace folder's `.vscode/brokers.json`: read at start, followed on change,
 * shown beside the user's own (never saved), connected automatically only in a trusted workspace.
 */
export function registerWorkspaceBrokers(registry: BrokerRegistry, log: Logger): vscode.Disposable[] {
  const folders = new Map<string, FolderState>();
  let disposed = false;

  const autoConnect = (ids: Iterable<string>): void => {
    for (const id of workspaceAutoConnectIds([...ids].map((i) => registry.get(i)), vscode.workspace.isTrusted)) {
      const c = registry.get(id);
      if (c) {
        void registry.connect(id).then(
          (state) => {
            if (state.kind === 'failed') {
              log.warn(`Workspace broker "${c.profile.name}" did not connect: ${state.reason}`);
            }
          },
          (err: unknown) => log.warn(`Workspace broker "${c.profile.name}" did not connect: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    }
  };

  const report = (state: FolderState, problems: string[]): void => {
    const text = problems.join('\n');
    if (text === state.lastProblems) {
      return; // the same file read twice (watcher bursts): told once
    }
    state.lastProblems = text;
    if (!problems.length) {
      return;
    }
    for (const p of problems) {
      log.warn(`${WORKSPACE_BROKERS_FILE} (${state.folder.name}): ${p}`);
    }
    const more = problems.length > 1 ? ` ${vscode.l10n.t('(and {0} more: see the log)', problems.length - 1)}` : '';
    const open = vscode.l10n.t('Open brokers.json');
    void showWarning(`${WORKSPACE_BROKERS_FILE} (${state.folder.name}): ${problems[0]}${more}`, open).then((choice) => {
      if (choice === open) {
        return vscode.window.showTextDocument(vscode.Uri.joinPath(state.folder.uri, WORKSPACE_BROKERS_FILE));
      }
      return undefined;
    });
  };

  const load = async (state: FolderState): Promise<void> => {
    const generation = ++state.generation;
    const key = state.folder.uri.toString();
    const uri = vscode.Uri.joinPath(state.folder.uri, WORKSPACE_BROKERS_FILE);
    let text: string | undefined;
    let readProblem: string | undefined;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) {
        readProblem = vscode.l10n.t('cannot be read: {0}', err instanceof Error ? err.message : String(err));
      }
    }
    if (disposed || folders.get(key) !== state || generation !== state.generation) {
      return;
    }
    const { profiles, problems } = text === undefined ? { profiles: [], problems: readProblem ? [readProblem] : [] } : parseWorkspaceBrokers(text, { path: folderPath(state.folder), name: state.folder.name });
    const before = new Set(registry.workspaceIds(key));
    registry.setWorkspaceProfiles(key, profiles);
    if (text !== undefined || before.size) {
      log.info(`${WORKSPACE_BROKERS_FILE} (${state.folder.name}): ${profiles.length} broker(s)${problems.length ? `, ${problems.length} problem(s)` : ''}`);
    }
    report(state, problems);
    autoConnect(profiles.map((p) => p.id).filter((id) => !before.has(id)));
  };

  const schedule = (state: FolderState): void => {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void load(state);
    }, RELOAD_DELAY_MS);
  };

  const addFolder = (folder: vscode.WorkspaceFolder): void => {
    const key = folder.uri.toString();
    if (folders.has(key)) {
      return;
    }
    // A glob, not the plain path: a plain path is watched through its parent folder, and a
    // `.vscode` folder created later (a fresh clone has none) would never be seen.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/.vscode/brokers.json'));
    const state: FolderState = { folder, watcher, generation: 0, lastProblems: '' };
    folders.set(key, state);
    const ours = vscode.Uri.joinPath(folder.uri, WORKSPACE_BROKERS_FILE).toString();
    // The folder itself going away (delete `.vscode`) or appearing counts too.
    const relevant = (uri: vscode.Uri): boolean => uri.toString() === ours || ours.startsWith(uri.toString() + '/');
    watcher.onDidCreate((uri) => relevant(uri) && schedule(state));
    watcher.onDidChange((uri) => relevant(uri) && schedule(state));
    watcher.onDidDelete((uri) => relevant(uri) && schedule(state));
    const file = vscode.Uri.joinPath(folder.uri, WORKSPACE_BROKERS_FILE);
    const check = async (): Promise<void> => {
      const stat = await vscode.workspace.fs.stat(file).then(
        (st) => `${st.mtime}:${st.size}`,
        () => '',
      );
      if (state.seen !== undefined && stat !== state.seen) {
        schedule(state);
      }
      state.seen = stat;
    };
    void check();
    state.poll = setInterval(() => void check(), 2000);
    void load(state);
  };

  const removeFolder = (folder: vscode.WorkspaceFolder): void => {
    const key = folder.uri.toString();
    const state = folders.get(key);
    if (state) {
      clearTimeout(state.timer);
      state.watcher.dispose();
      clearInterval(state.poll);
      folders.delete(key);
    }
    registry.setWorkspaceProfiles(key, []);
  };

  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    addFolder(folder);
  }

  return [
    registry.setPasswordPrompt((connection) => Promise.resolve(askPassword(connection))),
    vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      e.removed.forEach(removeFolder);
      e.added.forEach(addFolder);
    }),
    // Trust granted later: the workspace brokers marked autoConnect connect now.
    vscode.workspace.onDidGrantWorkspaceTrust(() => autoConnect(registry.workspaceIds())),
    {
      dispose: () => {
        disposed = true;
        for (const state of folders.values()) {
          clearTimeout(state.timer);
          state.watcher.dispose();
          clearInterval(state.poll);
        }
        folders.clear();
      },
    },
  ];
}
