// Public API of the mosquitto.conf core (no vscode, no node:fs except in nodeFs).
export type * from './types';
export { CATALOG, findOption, suggestOption, optionsInScope, type ScopeContext } from './catalog';
export { parseConf, splitTokens, atoi } from './parser';
export { lintConf, compareIncludeNames } from './lint';
export { nodeFs } from './nodeFs';
