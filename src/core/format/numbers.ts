/** Numbers out of payloads, for charts: a plain-number payload or a number at a JSON path. */

const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Path steps: property names and array indexes. `$`, `$.a`, `a.b`, `a[0].b`, `a["x y"]`, `['k']`. */
export function parseJsonPath(path: string): (string | number)[] | undefined {
  let p = path.trim();
  if (p.startsWith('$')) {
    p = p.slice(1);
  }
  const steps: (string | number)[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      i++;
      if (i >= p.length || p[i] === '.' || p[i] === '[') {
        return undefined;
      }
      continue;
    }
    if (c === '[') {
      const close = /^\[\s*(?:(\d+)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\]/.exec(p.slice(i));
      if (!close) {
        return undefined;
      }
      if (close[1] !== undefined) {
        steps.push(Number(close[1]));
      } else {
        steps.push((close[2] ?? close[3] ?? '').replace(/\\(.)/g, '$1'));
      }
      i += close[0].length;
      continue;
    }
    let j = i;
    while (j < p.length && p[j] !== '.' && p[j] !== '[') {
      j++;
    }
    steps.push(p.slice(i, j));
    i = j;
  }
  return steps;
}

/** The value at `path` in a parsed JSON value; undefined when the path does not lead anywhere. */
export function valueAtPath(value: unknown, path: string): unknown {
  const steps = parseJsonPath(path);
  if (!steps) {
    return undefined;
  }
  let v: unknown = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(v)) {
        return undefined;
      }
      v = v[step];
    } else {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, step)) {
        return undefined;
      }
      v = (v as Record<string, unknown>)[step];
    }
  }
  return v;
}

/** The number at `path` of an already parsed value (numbers only: not strings, not booleans). */
export function numberAtPath(value: unknown, path?: string): number | undefined {
  const v = path === undefined || path.trim() === '' ? value : valueAtPath(value, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * The payload as a number: the whole text when it is a plain number (`25.5`, ` -3 `, `1e3`), or
 * with `path` the number at that JSON path (`temperature`, `data.temp`, `readings[0].value`,
 * `$.a.b`). Anything else (text, a numeric string, a boolean, a missing path) is undefined.
 */
export function extractNumber(text: string, path?: string): number | undefined {
  if (path === undefined || path.trim() === '' || path.trim() === '$') {
    const t = text.trim();
    if (!PLAIN_NUMBER.test(t)) {
      return undefined;
    }
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return numberAtPath(value, path);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  if (IDENTIFIER.test(key)) {
    return parent === '' ? key : `${parent}.${key}`;
  }
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Paths of numeric leaves of a parsed JSON value, in document order, at most `max` — for a
 * chart's path picker. A number payload itself is `$`. Arrays contribute their first 3 elements;
 * at most 10,000 nodes are visited.
 */
export function suggestNumericPaths(value: unknown, max = 10): string[] {
  const out: string[] = [];
  if (typeof value === 'number') {
    return max > 0 ? ['$'] : [];
  }
  let budget = 10_000;
  const walk = (v: unknown, path: string): void => {
    if (out.length >= max || budget-- <= 0) {
      return;
    }
    if (typeof v === 'number') {
      if (Number.isFinite(v)) {
        out.push(path);
      }
    } else if (Array.isArray(v)) {
      for (let k = 0; k < Math.min(v.length, 3); k++) {
        walk(v[k], childPath(path, k));
      }
    } else if (typeof v === 'object' && v !== null) {
      for (const key of Object.keys(v)) {
        walk((v as Record<string, unknown>)[key], childPath(path, key));
      }
    }
  };
  walk(value, '');
  return out;
}
