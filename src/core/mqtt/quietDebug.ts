/**
 * Stands in for the `debug` package inside the bundled mqtt.js (esbuild alias, dist/vendor):
 * mqtt.js and mqtt-packet call a `debug` logger several times per packet even when it is off,
 * and the disabled `debug` still gathers its arguments into an array and reads an `enabled`
 * getter each time — about a tenth of the CPU spent per received message (issue 19, P1 profile).
 * Nothing in the extension turns those loggers on (its wire log is `trace` in the output
 * channel), so here they do nothing.
 */
interface QuietDebugger {
  (...args: unknown[]): void;
  readonly enabled: boolean;
  readonly namespace: string;
  log(...args: unknown[]): void;
  extend(namespace: string): QuietDebugger;
  destroy(): boolean;
}

function noop(): void {}

function createDebug(namespace: string): QuietDebugger {
  const logger = (() => {}) as unknown as QuietDebugger;
  return Object.assign(logger, {
    enabled: false,
    namespace,
    log: noop,
    extend: (sub: string) => createDebug(`${namespace}:${sub}`),
    destroy: () => false,
  });
}

const quietDebug = Object.assign(createDebug, {
  enable: noop,
  disable: (): string => '',
  enabled: (): boolean => false,
  log: noop,
  formatters: {},
});

export = Object.assign(quietDebug, { default: quietDebug });
