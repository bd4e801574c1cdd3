/** Debounce of diagnostics while typing: grows with the file so a 10k-line config stays responsive. */
export function lintDelayMs(lineCount: number): number {
  return Math.min(600, 120 + Math.floor(lineCount / 25));
}
