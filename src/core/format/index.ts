/** Payload formatting shared by the extension host and the webviews (no Node APIs, no vscode). */
export * from './bytes';
export * from './commands';
export * from './diff';
export * from './draft';
export * from './hexdump';
export * from './json';
export * from './jsonErrors';
export * from './jsonReindent';
export { hasLossyNumbers, isCanonicalNumber } from './jsonTokens';
export * from './jsonl';
export * from './numbers';
export * from './markup';
