// Lookups over the option catalog: an option by name as mosquitto compares it, the option an unknown
// name was probably meant to be, and the options that fit a place in the file (completion).

import { CATALOG } from './catalog';
import type { OptionInfo } from './types';

const EXACT = new Map<string, OptionInfo>();
const PREFIXES: { prefix: string; info: OptionInfo }[] = [];
for (const info of CATALOG) {
  if (info.name.endsWith('*')) {
    PREFIXES.push({ prefix: info.name.slice(0, -1), info });
  } else {
    EXACT.set(info.name, info);
  }
}
const LOWER = new Map<string, string>();
for (const info of CATALOG) {
  if (!info.name.endsWith('*')) {
    LOWER.set(info.name.toLowerCase(), info.name);
  }
}
const NAMES: readonly string[] = CATALOG.filter((i) => !i.name.endsWith('*')).map((i) => i.name);

/** The catalog entry for an option name as mosquitto compares it (case-sensitive; `auth_opt_x`, `plugin_opt_x` by prefix). */
export function findOption(name: string): OptionInfo | undefined {
  const exact = EXACT.get(name);
  if (exact) {
    return exact;
  }
  for (const p of PREFIXES) {
    if (name.startsWith(p.prefix)) {
      return p.info;
    }
  }
  return undefined;
}

/** Levenshtein distance, giving up (returning max+1) once it exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) {
    return max + 1;
  }
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) {
    prev[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur[j] = v;
      if (v < rowMin) {
        rowMin = v;
      }
    }
    if (rowMin > max) {
      return max + 1;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length] ?? max + 1;
}

/** A known option the unknown `name` was probably meant to be: same name in other case, or a close spelling. */
export function suggestOption(name: string): string | undefined {
  if (name.length === 0 || name.length > 64) {
    return undefined;
  }
  const lower = name.toLowerCase();
  const ci = LOWER.get(lower);
  if (ci !== undefined && ci !== name) {
    return ci;
  }
  const max = name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = max + 1;
  for (const n of NAMES) {
    const d = distance(lower, n, bestD - 1 < max ? bestD - 1 : max);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  if (best !== undefined && best !== name) {
    return best;
  }
  // auth_opt/plugin_opt with a bad prefix spelling, e.g. `plugin_opts_x`.
  return undefined;
}

/** Where the cursor is, for completion: before any listener/bridge, inside a listener, or inside a bridge. */
export interface ScopeContext {
  section: 'general' | 'listener' | 'bridge';
  /** per_listener_settings is true: security options then belong to listeners. */
  perListenerSettings?: boolean;
}

/** Options that make sense at this point of a file, best fits first (still all valid options). */
export function optionsInScope(ctx: ScopeContext): OptionInfo[] {
  const perListener = ctx.perListenerSettings === true;
  const rank = (i: OptionInfo): number => {
    switch (ctx.section) {
      case 'bridge':
        return i.scope === 'bridge' ? 0 : i.name === 'connection' || i.name === 'listener' ? 1 : 3;
      case 'listener':
        if (i.scope === 'listener' || (perListener && i.scope === 'security')) {
          return 0;
        }
        return i.scope === 'bridge' ? (i.name === 'connection' ? 1 : 9) : 2;
      default:
        if (i.scope === 'general' || (!perListener && i.scope === 'security')) {
          return 0;
        }
        if (i.name === 'listener' || i.name === 'connection') {
          return 0;
        }
        return i.scope === 'bridge' ? 9 : 1;
    }
  };
  // Bridge options outside a bridge are errors; listener options before a listener configure the default listener.
  return CATALOG.filter((i) => rank(i) < 9).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
