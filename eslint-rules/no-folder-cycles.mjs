// ESLint rule: no import cycle between folders. A folder is a feature room: src/core/<room>,
// src/<feature>, webview/<room> (src/extension.ts and src/core/index.ts are the composition points
// and stand apart). The rule reads every .ts file under src/ and webview/ once per lint run, builds
// the folder graph from their relative imports, and reports each import of the linted file that
// points into another folder of the same strongly connected component (a cycle).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

/** The folder a file belongs to, or undefined for files outside the rooms. */
export function folderOf(root, file) {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'src' && parts[1] === 'core') {
    return parts.length > 3 ? `src/core/${parts[2]}` : undefined;
  }
  if (parts[0] === 'src' || parts[0] === 'webview') {
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : undefined;
  }
  return undefined;
}

function sourceFiles(dir) {
  let out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      out = out.concat(sourceFiles(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
      out.push(p);
    }
  }
  return out;
}

/** Folder → folders it imports, over the whole tree. */
export function folderGraph(root) {
  const graph = new Map();
  for (const top of ['src', 'webview']) {
    for (const file of sourceFiles(join(root, top))) {
      const from = folderOf(root, file);
      if (!from) {
        continue;
      }
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT)) {
        const to = folderOf(root, resolve(dirname(file), m[1]) + '.ts');
        if (to && to !== from) {
          if (!graph.has(from)) {
            graph.set(from, new Set());
          }
          graph.get(from).add(to);
        }
      }
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan). */
export function cycles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) {
        info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
      }
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) {
        found.push(component.sort());
      }
    }
  };
  for (const v of graph.keys()) {
    if (!info.has(v)) {
      visit(v);
    }
  }
  return found;
}

const cache = new Map();

export default {
  meta: { type: 'problem', docs: { description: 'no import cycle between feature folders' }, schema: [], messages: { cycle: '{{from}} and {{to}} import each other (folders in a cycle: {{members}}): make the dependency point one way.' } },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = folderOf(root, file);
    if (!from) {
      return {};
    }
    if (!cache.has(root)) {
      cache.set(root, cycles(folderGraph(root)));
    }
    const component = cache.get(root).find((c) => c.includes(from));
    if (!component) {
      return {};
    }
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) {
        return;
      }
      const to = folderOf(root, resolve(dirname(file), spec) + '.ts');
      if (to && to !== from && component.includes(to)) {
        context.report({ node, messageId: 'cycle', data: { from, to, members: component.join(', ') } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
