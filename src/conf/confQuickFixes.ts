// Quick fixes of mosquitto.conf diagnostics: the text edits the linter proposes, and "Create the
// password file", which runs mosquitto_passwd (when installed) and lints the document again.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { guarded, type Logger } from '../shared/log';
import { showInfo } from '../shared/notify';
import { ConfVsDiagnostic } from './confDiagnostics';
import { toRange } from './confDocument';
import { CREATE_PASSWORD_FILE_COMMAND } from './confIds';
import { inputBox } from '../shared/prompts';

/** Where `mosquitto_passwd` is (PATH, then /usr/sbin, often not on a user's PATH). */
function findOnPath(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin'];
  return dirs.map((dir) => join(dir, command)).find((candidate) => existsSync(candidate));
}

/** Remembered once found: code actions are asked for at every cursor move over a diagnostic. */
let mosquittoPasswd: string | undefined;
function mosquittoPasswdPath(): string | undefined {
  mosquittoPasswd ??= findOnPath('mosquitto_passwd');
  return mosquittoPasswd;
}

/** The quick fixes of the linter's diagnostics among `diagnostics` (the password file only with mosquitto_passwd at hand). */
export function codeActions(doc: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  for (const d of diagnostics) {
    if (!(d instanceof ConfVsDiagnostic)) {
      continue;
    }
    for (const fix of d.fixes) {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      if (fix.kind === 'replace') {
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, toRange(fix.span), fix.text);
        action.isPreferred = d.fixes.length === 1;
      } else {
        if (!mosquittoPasswdPath()) {
          continue;
        }
        action.command = { command: CREATE_PASSWORD_FILE_COMMAND, title: fix.title, arguments: [fix.path, doc.uri] };
      }
      actions.push(action);
    }
  }
  return actions;
}

/** `mosquitto_passwd -c FILE USER`, with the password given on its standard input (never on the command line). */
export function runMosquittoPasswd(binary: string, file: string, username: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, ['-c', file, username], { timeout: 15_000 }, (error, _stdout, stderr) => {
      if (error) {
        const said = stderr.replace(/(Reenter password|Password): ?/g, '').trim();
        reject(new Error(said || error.message));
      } else {
        resolve();
      }
    });
    child.stdin?.end(`${password}\n${password}\n`);
  });
}

/** The command behind the password-file fix; `relint` refreshes the document's diagnostics afterwards. */
export function createPasswordFileCommand(log: Logger, relint: (doc: vscode.TextDocument) => void): CreatePasswordFile {
  return guarded(log, 'Create password file', async (path: string, uri?: vscode.Uri, args: { username?: string; password?: string } = {}) => {
    const binary = mosquittoPasswdPath();
    if (!binary) {
      throw new Error(vscode.l10n.t('mosquitto_passwd is not installed (it comes with the mosquitto package).'));
    }
    const username =
      args.username ??
      (await inputBox({ title: vscode.l10n.t('Create {0}', path), prompt: vscode.l10n.t('First user of the password file'), ignoreFocusOut: true, validateInput: (v) => (/^[^:\s]+$/.test(v) ? undefined : vscode.l10n.t('A username without spaces or colons')) }));
    if (!username) {
      return undefined;
    }
    const password =
      args.password ??
      (await inputBox({ title: vscode.l10n.t('Create {0}', path), prompt: vscode.l10n.t('Password for {0}', username), password: true, ignoreFocusOut: true }));
    if (!password) {
      return undefined;
    }
    await runMosquittoPasswd(binary, path, username, password);
    log.info(`Created password file ${path} with user ${username}`);
    void showInfo(vscode.l10n.t('Created {0} with user {1}.', path, username));
    const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) {
      relint(doc);
    }
    return path;
  });
}

export type CreatePasswordFile = (path: string, uri?: vscode.Uri, args?: { username?: string; password?: string }) => Promise<string | undefined>;
