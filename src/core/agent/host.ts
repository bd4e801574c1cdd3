/**
 * What the agent tools need of where they run: VS Code (the extension's registry, Workspace Trust,
 * SecretStorage) or the MCP server (a brokers.json, environment passwords, --allow-publish). The
 * tools themselves (tools.ts) are the same in both.
 */
import type { BrokerConnection, ConnectionLog } from '../brokers/connection';
import type { ConnectionState } from '../brokers/state';

export interface AgentHost {
  /** Every broker the tools may name. */
  connections(): readonly BrokerConnection[];
  /** Why a tool must not connect this broker (e.g. it came from an untrusted folder's brokers.json), or undefined. */
  connectRefusal(connection: BrokerConnection): string | undefined;
  /** Connects it (the registry's connect in VS Code: the same password handling as a click). */
  connect(connection: BrokerConnection): Promise<ConnectionState>;
  /** Why acting tools (publish, peekQueue, deleteRetained) are off here, or undefined when they are allowed. */
  actingRefusal(): string | undefined;
  /** Recent log lines about this broker, oldest first. */
  recentLog(connection: BrokerConnection, max: number): Promise<readonly string[]> | readonly string[];
  /** Reads a mosquitto.conf for lintMosquittoConf; throws an Error in plain words when it may not or cannot. */
  readConf(path: string): Promise<{ readonly file: string; readonly text: string }> | { readonly file: string; readonly text: string };
  /** Where a relative path or given text is resolved (the workspace folder, the MCP server's directory). */
  readonly baseDir: string;
  /** Where the linter may look for included files (see LintOptions.reach); absent: anywhere. */
  readonly lintReach?: { readonly trusted: boolean; readonly roots: readonly string[] };
  /** Secret values of this broker that must never appear in output (redacted if they do). */
  secrets?(connection: BrokerConnection): Promise<readonly (string | undefined)[]> | readonly (string | undefined)[];
  /** How the user fixes credentials here ("Edit Broker… in VS Code", "the environment variable …"). */
  credentialsHint?(connection: BrokerConnection): string;
}

/** A ConnectionLog that keeps the last lines (the MCP server's log for explainConnectionState) and passes them on. */
export class LogTail implements ConnectionLog {
  private readonly lines: string[] = [];

  constructor(
    private readonly next?: ConnectionLog,
    private readonly keep = 500,
  ) {}

  private add(level: string, message: string): void {
    this.lines.push(`${new Date().toISOString()} [${level}] ${message}`);
    if (this.lines.length > this.keep) {
      this.lines.splice(0, this.lines.length - this.keep);
    }
  }

  info(message: string): void {
    this.add('info', message);
    this.next?.info(message);
  }
  warn(message: string): void {
    this.add('warning', message);
    this.next?.warn(message);
  }
  error(message: string): void {
    this.add('error', message);
    this.next?.error(message);
  }
  trace(message: string): void {
    this.next?.trace(message);
  }

  /** The last `max` lines that mention `name` (as the connections word them: the broker's name in quotes). */
  about(name: string, max: number): string[] {
    return linesAbout(this.lines, name, max);
  }
}

/** The last `max` of `lines` that mention the broker `name`. */
export function linesAbout(lines: readonly string[], name: string, max: number): string[] {
  if (max <= 0) {
    return [];
  }
  const hits = lines.filter((l) => l.includes(`"${name}"`) || l.includes(`[${name}]`));
  return hits.slice(-max);
}
