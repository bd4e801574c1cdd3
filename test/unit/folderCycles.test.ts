// The lint rule that keeps imports between folders one-way (eslint-rules/no-folder-cycles.mjs).
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rule = require(join(ROOT, 'eslint-rules/no-folder-cycles.mjs')) as {
  folderOf: (root: string, file: string) => string | undefined;
  folderGraph: (root: string) => Map<string, Set<string>>;
  cycles: (graph: Map<string, Set<string>>) => string[][];
};

describe('folder import cycles (the no-folder-cycles lint rule)', () => {
  it('names the folder of a file: core rooms, glue features, webview rooms; composition points stand apart', () => {
    assert.equal(rule.folderOf(ROOT, join(ROOT, 'src/core/conf/lint/index.ts')), 'src/core/conf');
    assert.equal(rule.folderOf(ROOT, join(ROOT, 'src/mqtt/mqttTree.ts')), 'src/mqtt');
    assert.equal(rule.folderOf(ROOT, join(ROOT, 'webview/publish/model/form.ts')), 'webview/publish');
    assert.equal(rule.folderOf(ROOT, join(ROOT, 'src/extension.ts')), undefined);
    assert.equal(rule.folderOf(ROOT, join(ROOT, 'src/core/index.ts')), undefined);
  });

  it('finds every cycle, direct or through a third folder, and nothing in a one-way graph', () => {
    const g = (edges: [string, string][]) => {
      const m = new Map<string, Set<string>>();
      for (const [a, b] of edges) {
        m.set(a, (m.get(a) ?? new Set()).add(b));
      }
      return m;
    };
    assert.deepEqual(rule.cycles(g([['a', 'b'], ['b', 'a'], ['c', 'a']])), [['a', 'b']]);
    assert.deepEqual(rule.cycles(g([['a', 'b'], ['b', 'c'], ['c', 'a']])), [['a', 'b', 'c']]);
    assert.deepEqual(rule.cycles(g([['a', 'b'], ['b', 'c'], ['a', 'c']])), []);
  });

  it('finds no cycle in this tree, whose folder graph it reads', () => {
    const graph = rule.folderGraph(ROOT);
    assert.ok(graph.get('src/mqtt')?.has('src/core/mqtt'), 'the graph has the edges it should (src/mqtt → src/core/mqtt)');
    assert.deepEqual(rule.cycles(graph), []);
  });
});
