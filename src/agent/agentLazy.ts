// Registers the Language Model tools at activation (nine registrations, nothing else); their
// implementation, the core it runs on and zod (dist/agent.js) load on the first call.
import * as vscode from 'vscode';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { Logger } from '../shared/log';
import { AGENT_TOOL_NAMES, agentToolId } from './agentIds';
import type { AgentTools } from './agentTools';

export function registerAgentTools(registry: BrokerRegistry, log: Logger, logUri: vscode.Uri, secrets: vscode.SecretStorage): vscode.Disposable[] {
  // VS Code without the tools API (older than the engine says, or a host that leaves it out): nothing to register.
  if (typeof vscode.lm?.registerTool !== 'function') {
    return [];
  }
  let loading: Promise<AgentTools> | undefined;
  const load = (): Promise<AgentTools> => (loading ??= import('./agentTools').then((m) => m.createAgentTools(registry, log, logUri, secrets)));
  const disposables: vscode.Disposable[] = [];
  for (const name of AGENT_TOOL_NAMES) {
    try {
      disposables.push(
        vscode.lm.registerTool<unknown>(agentToolId(name), {
          invoke: async (options, token) => (await load()).invoke(name, options, token),
          prepareInvocation: async (options, token) => (await load()).prepare(name, options, token),
        }),
      );
    } catch (err) {
      // A host that refuses one tool (e.g. AI features turned off) must not stop activation.
      log.warn(`Language Model tool ${agentToolId(name)} not registered: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return disposables;
}
