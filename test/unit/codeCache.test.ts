// src/main.ts: the bundle loaded with V8's code cache, in plain Node on a small bundle of its own.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWithCodeCache } from '../../src/main';

describe('loading the bundle with the V8 code cache (src/main.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'be-code-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const bundle = (text: string): string => {
    const file = join(dir, 'bundle.js');
    writeFileSync(file, text);
    return file;
  };
  const cacheFiles = (): string[] => (existsSync(join(dir, 'cache')) ? readdirSync(join(dir, 'cache')) : []);
  // The next start, in this process: V8 keeps what it compiled per source and file name, and with
  // that at hand it never reads a code cache. So the bundle comes back under another name, its
  // cache files copied to match, as a fresh process would find them.
  let starts = 0;
  const restart = (file: string): string => {
    const name = `start${++starts}`;
    const to = join(dir, `${name}.js`);
    copyFileSync(file, to);
    for (const f of cacheFiles().filter((c) => c.startsWith('bundle-'))) {
      copyFileSync(join(dir, 'cache', f), join(dir, 'cache', f.replace(/^bundle-/, `${name}-`)));
    }
    return to;
  };

  it('compiles the first time and saves the cache, then compiles from it; the module is the one require() sees', async () => {
    const file = bundle("const path = require('node:path'); exports.answer = () => 42; exports.dir = __dirname; exports.base = path.basename(__filename); exports.self = module;");
    const first = loadWithCodeCache(file, join(dir, 'cache'), 0);
    assert.equal(first.cache, 'made');
    const exports = first.exports as { answer(): number; dir: string; base: string; self: NodeJS.Module };
    assert.equal(exports.answer(), 42);
    assert.equal(exports.dir, dir);
    assert.equal(exports.base, 'bundle.js');
    assert.equal(require.cache[file], exports.self);
    await first.saved;
    assert.deepEqual(cacheFiles().length, 1);
    assert.match(cacheFiles()[0]!, /^bundle-[0-9a-f]{20}\.bin$/);

    const second = loadWithCodeCache(restart(file), join(dir, 'cache'), 0);
    assert.equal(second.cache, 'used');
    assert.equal((second.exports as { answer(): number }).answer(), 42);
  });

  it('a changed bundle of the same length never runs the old cache: its own cache replaces the old one', async () => {
    const file = bundle('exports.value = "aaaa";');
    await loadWithCodeCache(file, join(dir, 'cache'), 0).saved;
    const old = cacheFiles();
    delete require.cache[file];
    bundle('exports.value = "bbbb";');
    const changed = loadWithCodeCache(file, join(dir, 'cache'), 0);
    assert.equal(changed.cache, 'made');
    assert.equal((changed.exports as { value: string }).value, 'bbbb');
    await changed.saved;
    assert.equal(cacheFiles().length, 1);
    assert.notDeepEqual(cacheFiles(), old);
  });

  it('a corrupt cache is refused by V8: the bundle still runs and the cache is written again', async () => {
    const file = bundle('exports.ok = true;');
    await loadWithCodeCache(file, join(dir, 'cache'), 0).saved;
    const [name] = cacheFiles();
    writeFileSync(join(dir, 'cache', name!), Buffer.from('not a code cache at all'));
    const again = restart(file);
    const loaded = loadWithCodeCache(again, join(dir, 'cache'), 0);
    assert.equal(loaded.cache, 'rejected');
    assert.equal((loaded.exports as { ok: boolean }).ok, true);
    await loaded.saved;
    // start2's cache, written again, is taken by the start after it.
    const next = join(dir, 'start3.js');
    copyFileSync(again, next);
    for (const f of cacheFiles().filter((c) => c.startsWith('start2-'))) {
      copyFileSync(join(dir, 'cache', f), join(dir, 'cache', f.replace(/^start2-/, 'start3-')));
    }
    assert.equal(loadWithCodeCache(next, join(dir, 'cache'), 0).cache, 'used');
  });

  it('a bundle that throws leaves nothing in require.cache and saves no cache', () => {
    const file = bundle('throw new Error("broken bundle");');
    assert.throws(() => loadWithCodeCache(file, join(dir, 'cache'), 0), /broken bundle/);
    assert.equal(require.cache[file], undefined);
    assert.deepEqual(cacheFiles(), []);
  });

  it('an unwritable cache folder only means no cache', async () => {
    const file = bundle('exports.n = 1;');
    writeFileSync(join(dir, 'cache'), 'a file where the folder would be');
    const loaded = loadWithCodeCache(file, join(dir, 'cache'), 0);
    assert.equal((loaded.exports as { n: number }).n, 1);
    await loaded.saved;
    delete require.cache[file];
    assert.equal(loadWithCodeCache(file, join(dir, 'cache'), 0).cache, 'made');
  });
});
