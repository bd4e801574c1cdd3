// Event-loop lag of the extension host over a window (monitorEventLoopDelay, 10 ms resolution):
// what the benches that run inside it (P2, P11) report beside the same host idle.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export function lag(ms: number): Promise<{ p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return new Promise((resolve) =>
    setTimeout(() => {
      h.disable();
      resolve({ p99: h.percentile(99) / 1e6, max: h.max / 1e6 });
    }, ms),
  );
}
