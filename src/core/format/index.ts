/** Payload formatting shared by the extension host and the webviews (no Node APIs, no vscode). */
export * from './bytes';
export * from './counts';
export * from './diff';
export * from './hexdump';
export * from './json';
export * from './jsonErrors';
export { hasLossyNumbers, isCanonicalNumber, reindent, reindentJson } from './jsonReindent';
export * from './jsonl';
export * from './numbers';
export * from './markup';
