// The codec messages go through `l10n.t` like the rest of src/core. The implementations load as
// their own bundles (dist/codecs/*.js), each with its own copy of this module: the registry, which
// runs in the extension's bundle, hands each loaded module its `l10n.t` (see useL10n), so that a
// translation configured at activation reaches the codecs too. Until then: English, `{0}` filled in.

export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

const english: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));

let current: Translate = english;

/** `l10n.t` for codec messages (the same call shape, so `l10n-dev export` finds the strings). */
export const l10n = {
  t(message: string, ...args: (string | number | boolean)[]): string {
    return current(message, ...args);
  },
};

/** Called by the registry with its own `l10n.t` when it loads an implementation bundle. */
export function useL10n(t: Translate): void {
  current = t;
}

/** An exception as plain words, without a stack. */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    return e.message;
  }
  return String(e);
}
