// The Language Model tools' names, without their implementation (dist/agent.js loads on first use).
// The same list as src/core/agent/schemas.ts (a unit test keeps them equal).

export const AGENT_TOOL_NAMES = ['listBrokers', 'listTopics', 'readMessages', 'listAmqp', 'lintMosquittoConf', 'explainConnectionState', 'publish', 'peekQueue', 'deleteRetained'] as const;

export type AgentToolName = (typeof AGENT_TOOL_NAMES)[number];

/** The id in package.json's languageModelTools and in vscode.lm: `brokerExplorer_listTopics`. */
export function agentToolId(name: AgentToolName): string {
  return `brokerExplorer_${name}`;
}
