/**
 * A node's or device's metrics as folders by their names' `/` segments ("Inputs/Pressure" is
 * Pressure in the Inputs folder), as Sparkplug hosts such as Ignition show tag paths. A device of
 * 10,000 metrics then lists a level at a time instead of 10,000 rows at once. Names sort
 * naturally ("Sensor 2" before "Sensor 10"). Built once per BIRTH (and when a DATA adds a metric):
 * cached on the holder's birth time and metric count.
 */
import type { MetricHolder, MetricState } from './state';

export interface MetricFolder {
  /** The folder's own segment ("" for the holder's top level). */
  readonly name: string;
  /** Its path with a trailing "/" ("Bank 000/", "" for the top level): the prefix of every name below it. */
  readonly path: string;
  readonly folders: readonly MetricFolder[];
  /** The metrics directly in this folder. */
  readonly metrics: readonly MetricState[];
  /** Every metric below it. */
  readonly count: number;
}

// Made on first use: the first Intl object of a process loads ICU's data (~25 ms), which at module
// level went into every activation (issue 19 P5).
let collator: Intl.Collator | undefined;
const compareNames = (a: string, b: string): number => (collator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' })).compare(a, b);

/** The segment a metric row shows: "Pressure" for "Inputs/Pressure" (a name of slashes only stays whole). */
export function leafName(name: string): string {
  const segments = name.split('/').filter(Boolean);
  return segments.length ? (segments[segments.length - 1] ?? name) : name;
}

interface Building {
  readonly name: string;
  readonly path: string;
  readonly folders: Map<string, Building>;
  readonly metrics: MetricState[];
}

function finish(b: Building): MetricFolder {
  const folders = [...b.folders.values()].sort((x, y) => compareNames(x.name, y.name)).map(finish);
  const metrics = b.metrics.sort((x, y) => compareNames(x.name, y.name));
  return { name: b.name, path: b.path, folders, metrics, count: metrics.length + folders.reduce((n, f) => n + f.count, 0) };
}

export function metricFolders(metrics: Iterable<MetricState>): MetricFolder {
  const root: Building = { name: '', path: '', folders: new Map(), metrics: [] };
  for (const m of metrics) {
    const segments = m.name.split('/').filter(Boolean);
    let at = root;
    for (const segment of segments.slice(0, -1)) {
      let next = at.folders.get(segment);
      if (!next) {
        next = { name: segment, path: `${at.path}${segment}/`, folders: new Map(), metrics: [] };
        at.folders.set(segment, next);
      }
      at = next;
    }
    at.metrics.push(m);
  }
  return finish(root);
}

const cache = new WeakMap<MetricHolder, { readonly birthAt: number | undefined; readonly size: number; readonly root: MetricFolder }>();

/** The holder's folders, rebuilt only after a BIRTH or when a DATA added a metric. */
export function metricFoldersOf(holder: MetricHolder): MetricFolder {
  const hit = cache.get(holder);
  if (hit && hit.birthAt === holder.birthAt && hit.size === holder.metrics.size) {
    return hit.root;
  }
  const root = metricFolders(holder.metrics.values());
  cache.set(holder, { birthAt: holder.birthAt, size: holder.metrics.size, root });
  return root;
}

/** The folder at `path` ("Bank 000/Row 1/"), or undefined when a BIRTH since removed it. */
export function folderAt(root: MetricFolder, path: string): MetricFolder | undefined {
  let at: MetricFolder | undefined = root;
  for (const segment of path.split('/').filter(Boolean)) {
    at = at.folders.find((f) => f.name === segment);
    if (!at) {
      return undefined;
    }
  }
  return at;
}
