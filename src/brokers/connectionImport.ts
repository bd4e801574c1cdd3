// Import connections from MQTTX, MQTT Explorer, vsmqtt and mosquitto_sub command lines, and export
// our own to .vscode/brokers.json (dist/imports.js, loaded on the first use of either command).
// The parsing is pure (src/core/brokers/imports); here: where the text comes from, the preview
// with checkboxes, certificates written to files, secrets to SecretStorage.
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { IMPORT_FORMATS, parseConnections, parseMosquittoCommand, parseVsmqtt, VSMQTT_SETTING, type ImportedBroker, type ImportResult } from '../core/brokers/imports/detect';
import { brokersJsonEntry, exportNotes, mergeBrokersJson } from '../core/brokers/imports/export';
import { formatEndpoint, isWorkspaceProfile, newProfileId, type BrokerProfile, type MqttProfile, type TlsOptions } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import { slug } from '../core/brokers/brokersJsonEntry';
import { WORKSPACE_BROKERS_FILE } from '../core/brokers/workspaceBrokers';
import { escapeIcons } from '../core/format/markup';
import type { Logger } from '../shared/log';
import { inputBox, quickPick, quickPickMany } from '../shared/prompts';

/** Arguments that let scripts and tests skip the prompts. */
export interface ImportArgs {
  /** A file to read (MQTTX export, MQTT Explorer settings or export, a settings.json with vsmqtt profiles). */
  readonly file?: string;
  /** A mosquitto_sub / mosquitto_pub command line, or a file's text. */
  readonly text?: string;
  /** vsmqtt's profiles from VS Code's settings. */
  readonly fromSettings?: boolean;
  /** Which to add without the preview: every one, or these names. */
  readonly select?: 'all' | readonly string[];
}

export interface ImportOutcome {
  readonly format: string;
  /** Ids of the brokers added. */
  readonly added: readonly string[];
  /** Entries that could not be read, with the reason. */
  readonly problems: readonly string[];
}

export interface ExportArgs {
  /** Saved brokers to write (default: asked, all offered). */
  readonly ids?: readonly string[];
  /** The workspace folder's path (default: the only one, or asked). */
  readonly folder?: string;
}

export interface ExportOutcome {
  readonly file: string;
  readonly added: readonly string[];
  readonly kept: readonly string[];
}

export interface ConnectionTransfer {
  importConnections(args?: ImportArgs): Promise<ImportOutcome | undefined>;
  exportConnections(args?: ExportArgs): Promise<ExportOutcome | undefined>;
}

/** Where MQTT Explorer keeps its settings.json (Electron's userData folder for "MQTT-Explorer"). */
function mqttExplorerSettingsFile(): string {
  const base = process.platform === 'win32' ? (process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming')) : process.platform === 'darwin' ? join(homedir(), 'Library', 'Application Support') : (process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  return join(base, 'MQTT-Explorer', 'settings.json');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

function inWorkspace(uri: vscode.Uri): boolean {
  return vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

function firstFolderPath(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

/** vsmqtt's profiles from every settings scope that has them (workspace folders, workspace, user). */
function vsmqttProfilesInSettings(): unknown[] {
  const inspect = vscode.workspace.getConfiguration().inspect<unknown[]>(VSMQTT_SETTING);
  return [inspect?.workspaceFolderValue, inspect?.workspaceValue, inspect?.globalValue].flatMap((v) => (Array.isArray(v) ? v : []));
}

/** The main bundle's notifications (what the tests record lives there, not in this bundle's copy). */
export interface Notifier {
  readonly showInfo: (message: string) => Thenable<string | undefined>;
  readonly showWarning: (message: string) => Thenable<string | undefined>;
}

export function createConnectionTransfer(registry: BrokerRegistry, log: Logger, storageUri: vscode.Uri, { showInfo, showWarning }: Notifier): ConnectionTransfer {
  /** The text to import, from the source the user picks; undefined when cancelled. */
  const askSource = async (): Promise<{ result: ImportResult } | undefined> => {
    const explorerFile = vscode.Uri.file(mqttExplorerSettingsFile());
    // Outside the workspace: looked for only in a trusted one.
    const explorerHere = vscode.workspace.isTrusted && (await exists(explorerFile));
    type Source = vscode.QuickPickItem & { readonly run: () => Promise<ImportResult | undefined> };
    const sources: Source[] = [
      {
        label: vscode.l10n.t('$(file) From a File…'),
        detail: vscode.l10n.t('An MQTTX export (.json), MQTT Explorer\'s settings.json or exported connections, or a settings.json with vsmqtt profiles'),
        run: async () => {
          const [uri] =
            (await vscode.window.showOpenDialog({
              title: vscode.l10n.t('Import Connections'),
              canSelectMany: false,
              filters: { JSON: ['json'], [vscode.l10n.t('All files')]: ['*'] },
              ...(explorerHere ? { defaultUri: explorerFile } : {}),
            })) ?? [];
          return uri ? readSource(uri) : undefined;
        },
      },
    ];
    if (explorerHere) {
      sources.push({ label: vscode.l10n.t('$(desktop-download) MQTT Explorer on This Machine'), detail: explorerFile.fsPath, run: () => readSource(explorerFile) });
    }
    const vsmqtt = vsmqttProfilesInSettings();
    if (vsmqtt.length) {
      sources.push({ label: vscode.l10n.t('$(settings-gear) vsmqtt Profiles in VS Code Settings'), detail: vscode.l10n.t('{0} profiles under "{1}"', vsmqtt.length, VSMQTT_SETTING), run: () => Promise.resolve(parseVsmqtt(vsmqtt, firstFolderPath())) });
    }
    sources.push({
      label: vscode.l10n.t('$(terminal) Paste a mosquitto_sub / mosquitto_pub Command Line…'),
      detail: 'mosquitto_sub -h broker -p 8883 -u user -P … --cafile ca.pem -t "plant/#"',
      run: async () => {
        const line = await inputBox({
          title: vscode.l10n.t('Import Connections'),
          prompt: vscode.l10n.t('A mosquitto_sub or mosquitto_pub command line: its host, port, user, password, TLS files and topics become a broker'),
          ignoreFocusOut: true,
          validateInput: (v) => {
            const parsed = v.trim() ? parseMosquittoCommand(v) : undefined;
            return parsed && !parsed.brokers.length ? parsed.problems[0] : undefined;
          },
        });
        return line === undefined ? undefined : parseMosquittoCommand(line);
      },
    });
    const source = await quickPick(sources, { title: vscode.l10n.t('Import Connections'), placeHolder: vscode.l10n.t('Where are the connections?') });
    const result = await source?.run();
    return result && { result };
  };

  const readSource = async (uri: vscode.Uri): Promise<ImportResult> => {
    // In an untrusted workspace nothing reads files outside it.
    if (!vscode.workspace.isTrusted && !inWorkspace(uri)) {
      throw new Error(vscode.l10n.t('This workspace is not trusted: Broker Explorer reads no files outside it. Trust the workspace, or paste a mosquitto_sub command line.'));
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return parseConnections(await readText(uri), folder?.uri.scheme === 'file' ? folder.uri.fsPath : firstFolderPath());
  };

  /** The preview: every connection with a checkbox, those already here unchecked. */
  const preview = async (result: ImportResult): Promise<readonly ImportedBroker[] | undefined> => {
    const existing = registry.list().map((c) => c.profile);
    type Item = vscode.QuickPickItem & { readonly broker: ImportedBroker };
    const items: Item[] = result.brokers.map((broker) => {
      const p = broker.profile;
      const already = existing.find((e) => e.kind === 'mqtt' && e.host.toLowerCase() === p.host.toLowerCase() && e.port === p.port && (e.username ?? '') === (p.username ?? ''));
      const facts = [
        formatEndpoint(p.host, p.port),
        p.protocol && p.protocol !== 'mqtt' ? p.protocol : '',
        p.protocolVersion === 4 ? 'MQTT 3.1.1' : 'MQTT 5',
        p.username ? vscode.l10n.t('user {0}', p.username) : '',
        broker.password ? vscode.l10n.t('password → secret storage') : '',
        already ? vscode.l10n.t('already here as "{0}"', already.name) : '',
      ].filter(Boolean);
      return { label: escapeIcons(p.name), description: escapeIcons(facts.join(' · ')), detail: broker.notes.length ? escapeIcons(broker.notes.join('; ')) : undefined, picked: !already, broker };
    });
    const picked = await quickPickMany(items, {
      title: vscode.l10n.t('Import from {0}: {1} connections', result.format, items.length),
      placeHolder: vscode.l10n.t('Check the connections to add; passwords go to secret storage'),
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    return picked?.map((i) => i.broker);
  };

  /** A name no broker here has yet: "plant", then "plant (2)"… */
  const uniqueName = (name: string, taken: Set<string>): string => {
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
      candidate = `${name} (${n})`;
    }
    taken.add(candidate.toLowerCase());
    return candidate;
  };

  /** Inline certificates become files in the extension's storage; relative paths are the workspace's. */
  const finishTls = async (id: string, imported: TlsOptions | undefined, broker: ImportedBroker): Promise<TlsOptions | undefined> => {
    const base = firstFolderPath();
    const tls: { -readonly [K in keyof TlsOptions]: TlsOptions[K] } = { ...imported };
    for (const key of ['caFile', 'certFile', 'keyFile'] as const) {
      const file = tls[key];
      if (file && !isAbsolute(file) && base) {
        tls[key] = resolve(base, file);
      }
    }
    for (const cert of broker.certificates) {
      const dir = vscode.Uri.joinPath(storageUri, 'imported-certificates');
      await vscode.workspace.fs.createDirectory(dir);
      const uri = vscode.Uri.joinPath(dir, `${id}-${cert.role}-${slug(cert.name)}.pem`);
      await vscode.workspace.fs.writeFile(uri, cert.data);
      tls[cert.role] = uri.fsPath;
    }
    return Object.keys(tls).length ? tls : undefined;
  };

  const add = async (brokers: readonly ImportedBroker[], format: string): Promise<string[]> => {
    const taken = new Set(registry.list().map((c) => c.profile.name.toLowerCase()));
    const added: string[] = [];
    for (const broker of brokers) {
      const id = newProfileId('mqtt');
      const { tls: imported, ...rest } = broker.profile;
      const tls = await finishTls(id, imported, broker);
      const profile: MqttProfile = { ...rest, id, name: uniqueName(broker.profile.name, taken), ...(tls ? { tls } : {}) };
      await registry.add(profile, broker.password, { ...(broker.passphrase ? { passphrase: broker.passphrase } : {}), ...(broker.proxyPassword ? { proxyPassword: broker.proxyPassword } : {}) });
      log.info(`Imported "${profile.name}" (${formatEndpoint(profile.host, profile.port)}) from ${format}${broker.notes.length ? `: ${broker.notes.join('; ')}` : ''}`);
      added.push(id);
    }
    return added;
  };

  const importConnections = async (args: ImportArgs = {}): Promise<ImportOutcome | undefined> => {
    let result: ImportResult;
    if (args.file) {
      result = await readSource(vscode.Uri.file(args.file));
    } else if (args.text !== undefined) {
      result = parseConnections(args.text, firstFolderPath());
    } else if (args.fromSettings) {
      result = parseVsmqtt(vsmqttProfilesInSettings(), firstFolderPath());
    } else {
      const asked = await askSource();
      if (!asked) {
        return undefined;
      }
      result = asked.result;
    }
    for (const problem of result.problems) {
      log.warn(`Import${result.format ? ` from ${result.format}` : ''}: ${problem}`);
    }
    if (!result.brokers.length) {
      void showWarning(result.problems.length ? vscode.l10n.t('Nothing to import: {0}', result.problems.join('; ')) : vscode.l10n.t('Nothing to import: no connections found. Import reads {0}.', IMPORT_FORMATS));
      return { format: result.format, added: [], problems: result.problems };
    }
    const select = args.select;
    const chosen = select === 'all' ? result.brokers : select ? result.brokers.filter((b) => select.includes(b.profile.name)) : await preview(result);
    if (!chosen?.length) {
      return chosen ? { format: result.format, added: [], problems: result.problems } : undefined;
    }
    const added = await add(chosen, result.format);
    const names = added.map((id) => registry.get(id)?.profile.name ?? id);
    const skipped = result.problems.length ? ' ' + vscode.l10n.t('{0} could not be read (see the log).', result.problems.length) : '';
    void showInfo(vscode.l10n.t('Imported {0} from {1}: {2}. Connect them from the MQTT view.', added.length === 1 ? vscode.l10n.t('1 broker') : vscode.l10n.t('{0} brokers', added.length), result.format, names.join(', ')) + skipped);
    return { format: result.format, added, problems: result.problems };
  };

  const exportConnections = async (args: ExportArgs = {}): Promise<ExportOutcome | undefined> => {
    const saved = registry.list().filter((c) => !isWorkspaceProfile(c.profile));
    if (!saved.length) {
      void showWarning(vscode.l10n.t('There are no saved brokers to export (brokers from .vscode/brokers.json are already in a file).'));
      return undefined;
    }
    let profiles: BrokerProfile[];
    if (args.ids) {
      profiles = saved.filter((c) => args.ids?.includes(c.id)).map((c) => c.profile);
    } else {
      const picked = await quickPickMany(
        saved.map((c) => ({ label: escapeIcons(c.profile.name), description: escapeIcons(`${c.profile.kind.toUpperCase()} · ${formatEndpoint(c.profile.host, c.profile.port)}`), detail: escapeIcons(exportNotes(c.profile).join('; ')) || undefined, picked: true, profile: c.profile })),
        { title: vscode.l10n.t('Export to .vscode/brokers.json'), placeHolder: vscode.l10n.t('Brokers to share with the team through the workspace (no passwords are written)') },
      );
      if (!picked?.length) {
        return undefined;
      }
      profiles = picked.map((p) => p.profile);
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = args.folder
      ? folders.find((f) => f.uri.fsPath === args.folder)
      : folders.length === 1
        ? folders[0]
        : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which folder\'s .vscode/brokers.json?') });
    if (!folder) {
      if (!folders.length || args.folder) {
        void showWarning(vscode.l10n.t('Open a folder first: the brokers are written to its {0}.', WORKSPACE_BROKERS_FILE));
      }
      return undefined;
    }
    const file = vscode.Uri.joinPath(folder.uri, WORKSPACE_BROKERS_FILE);
    const existing = (await exists(file)) ? await readText(file) : undefined;
    const merged = mergeBrokersJson(
      existing,
      profiles.map((p) => brokersJsonEntry(p, folder.uri.fsPath)),
    );
    if ('error' in merged) {
      throw new Error(vscode.l10n.t('{0} was not changed: {1}', WORKSPACE_BROKERS_FILE, merged.error));
    }
    if (merged.added.length) {
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(merged.text));
    }
    log.info(`Exported ${merged.added.length} brokers to ${file.fsPath}${merged.kept.length ? ` (already there, left as they are: ${merged.kept.join(', ')})` : ''}`);
    const kept = merged.kept.length ? ' ' + vscode.l10n.t('Already in the file, left as they are: {0}.', merged.kept.join(', ')) : '';
    void showInfo(vscode.l10n.t('Wrote {0} to {1}; passwords stay in your secret storage and each teammate is asked for theirs.', merged.added.join(', ') || vscode.l10n.t('nothing new'), WORKSPACE_BROKERS_FILE) + kept);
    if (!args.ids) {
      await vscode.window.showTextDocument(file);
    }
    return { file: file.fsPath, added: merged.added, kept: merged.kept };
  };

  return { importConnections, exportConnections };
}
