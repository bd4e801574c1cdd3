// Public API of the mosquitto.conf core (no vscode, no node:fs except in nodeFs).
export type * from './types';
export { CATALOG } from './catalog';
export { findOption, suggestOption, optionsInScope, type ScopeContext } from './optionLookup';
export { parseConf, splitTokens, atoi } from './parser';
export { lintConf } from './lint';
export { compareIncludeNames } from './lint/files';
export { nodeFs } from './nodeFs';
