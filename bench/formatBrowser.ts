// P8 in Chromium: the same measurement as bench/formatJson.ts, bundled for the browser by
// scripts/bench.mjs and run in a page. Exposes window.runFormatBench(runs).
import { useSliceReindent } from '../src/core/format/json';
import { measureAll } from './formatJson';

// As the webviews do (webview/*/main.ts).
useSliceReindent();

(globalThis as unknown as { runFormatBench: (runs: number) => unknown }).runFormatBench = (runs: number) => measureAll(runs, () => performance.now());
