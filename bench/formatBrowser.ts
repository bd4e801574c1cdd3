// P8 in Chromium: the same measurement as bench/formatJson.ts, bundled for the browser by
// scripts/bench.mjs and run in a page. Exposes window.runFormatBench(runs).
import { measureAll } from './formatJson';

(globalThis as unknown as { runFormatBench: (runs: number) => unknown }).runFormatBench = (runs: number) => measureAll(runs, () => performance.now());
