// The Language Model tools in VS Code (dist/agent.js, loaded on the first call): the core tools
// (src/core/agent) on the extension's own registry — the same connections, passwords from
// SecretStorage, the same prompts — with VS Code's confirmations for the acting ones. In an
// untrusted folder the tools are read-only and connect no broker from that folder's brokers.json.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { BrokerConnection, ConnectionLog } from '../core/brokers/connection';
import { passwordKey } from '../core/brokers/brokerSecrets';
import { isWorkspaceProfile } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import { linesAbout, type AgentHost } from '../core/agent/host';
import { prepareTool, runTool, TOOLS, ToolInputError } from '../core/agent/tools';
import type { AgentToolName } from './agentIds';

export interface AgentTools {
  invoke(name: AgentToolName, options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult>;
  prepare(name: AgentToolName, options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation>;
}

/** The most of a mosquitto.conf read for a tool, and of the log read for recent lines. */
const CONF_LIMIT = 1024 * 1024;
const LOG_TAIL_BYTES = 256 * 1024;

export const UNTRUSTED_READ_ONLY =
  'This folder is not trusted (Restricted Mode): the Broker Explorer tools are read-only here, so nothing is published, peeked or deleted. Trust the folder to allow it (each action still asks first).';
export const UNTRUSTED_NO_CONNECT =
  'This folder is not trusted (Restricted Mode): the tools do not connect brokers that come from its .vscode/brokers.json. Trust the folder, or connect the broker yourself in the Broker Explorer view.';

function fileRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

function inside(root: string, path: string): boolean {
  const r = relative(root, path);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The last bytes of a file, as lines (the first, cut, line dropped). */
function tailLines(file: string, bytes: number): string[] {
  const size = statSync(file).size;
  const start = Math.max(0, size - bytes);
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split(/\r?\n/);
    return (start > 0 ? lines.slice(1) : lines).filter(Boolean);
  } finally {
    closeSync(fd);
  }
}

function readLimited(file: string, limit: number): string {
  const size = statSync(file).size;
  if (size > limit) {
    throw new Error(`${file} is ${size.toLocaleString('en-US')} bytes, more than the ${limit / 1024 / 1024} MB a tool reads: not read.`);
  }
  return readFileSync(file, 'utf8');
}

export function createAgentTools(registry: BrokerRegistry, log: ConnectionLog, logUri: vscode.Uri, secrets: Pick<vscode.SecretStorage, 'get'>): AgentTools {
  const host: AgentHost = {
    connections: () => registry.list(),
    connectRefusal: (c: BrokerConnection) => (!vscode.workspace.isTrusted && isWorkspaceProfile(c.profile) ? UNTRUSTED_NO_CONNECT : undefined),
    connect: (c) => registry.connect(c.id),
    actingRefusal: () => (vscode.workspace.isTrusted ? undefined : UNTRUSTED_READ_ONLY),
    recentLog: (c, max) => {
      try {
        const files = readdirSync(logUri.fsPath)
          .filter((f) => f.endsWith('.log'))
          .map((f) => join(logUri.fsPath, f));
        return linesAbout(
          files.flatMap((f) => tailLines(f, LOG_TAIL_BYTES)),
          c.profile.name,
          max,
        );
      } catch {
        return [];
      }
    },
    readConf: (path) => {
      const roots = fileRoots();
      const file = isAbsolute(path) ? path : resolve(roots[0] ?? homedir(), path);
      if (!vscode.workspace.isTrusted && !roots.some((r) => inside(r, file))) {
        throw new Error(`${path} is outside the workspace: in an untrusted folder (Restricted Mode) the tools read no file outside it.`);
      }
      try {
        return { file, text: readLimited(file, CONF_LIMIT) };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(code === 'ENOENT' ? `${path}: no such file.` : code === 'EISDIR' ? `${path} is a folder, not a file.` : e instanceof Error ? e.message : String(e), { cause: e });
      }
    },
    get baseDir() {
      return fileRoots()[0] ?? homedir();
    },
    get lintReach() {
      return { trusted: vscode.workspace.isTrusted, roots: fileRoots() };
    },
    // Only for redaction: a password that shows up in a payload or a message is replaced by •••.
    secrets: async (c) => [await secrets.get(passwordKey(c.id))],
    credentialsHint: () => 'Enter Credentials… or Edit Broker… on the broker in the Broker Explorer view; the password is kept in VS Code\'s secret storage',
  };

  return {
    async invoke(name, options, token) {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        // VS Code has shown prepareInvocation's confirmation before calling this: in a chat, in the
        // chat; called outside one (another extension's vscode.lm.invokeTool, no toolInvocationToken),
        // in a modal dialog with the same title and text (test/e2e/agentConfirm.test.ts answers it).
        const text = await runTool(name, options.input, host, { signal: controller.signal });
        log.trace(`Language Model tool ${name}: ${Buffer.byteLength(text)} bytes`);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        (err instanceof ToolInputError ? log.info.bind(log) : log.warn.bind(log))(`Language Model tool ${name}: ${message}`);
        // The model reads the error and can correct its call.
        throw new Error(message, { cause: err });
      } finally {
        sub.dispose();
      }
    },
    async prepare(name, options) {
      const confirmation = await prepareTool(name, options.input, host);
      const title = TOOLS[name].title;
      return {
        invocationMessage: `${title}…`,
        ...(confirmation ? { confirmationMessages: { title: confirmation.title, message: new vscode.MarkdownString(confirmation.message) } } : {}),
      };
    },
  };
}
