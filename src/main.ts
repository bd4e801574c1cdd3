// The extension's entry point (package.json `main`, dist/main.js, a few hundred bytes): loads
// dist/extension.js with V8's code cache, kept in the extension's global storage.
//
// Compiling the 290 KB bundle was about a third of each activation (issue 19 P5). V8 can save
// what it compiled and take it back next time (vm.Script `cachedData`), which is what VS Code
// does for its own code; this does it for our bundle only: Node's `module.enableCompileCache`
// would turn it on for every extension sharing the extension host.
//
// V8 checks a cache against the source's length and its own version and flags, not the content,
// so the cache file is named by a hash of the bundle: a rebuilt or updated extension never gets
// another build's code. Anything unexpected (no storage yet, a rejected or unreadable cache, a
// full disk) falls back to compiling, as a plain require would.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type * as vscode from 'vscode';

interface ExtensionModule {
  activate(context: vscode.ExtensionContext): unknown;
  deactivate?(): void;
}

const BUNDLE = join(__dirname, 'extension.js');
const CACHE_DIR = 'v8-cache';
/**
 * Saved as soon as activate() has returned (a timer set before it runs): the functions loading and
 * activation ran are compiled by then and go into the cache; what runs later compiles when first
 * used. Saving a second later put the first tree render's functions in too, and the larger cache
 * cost every start more to read than it saved (bench P5: median 22.7 → 18.5 ms in one run each).
 */
const SAVE_AFTER_MS = 0;

let inner: ExtensionModule | undefined;

export function activate(context: vscode.ExtensionContext): unknown {
  inner = loadWithCodeCache(BUNDLE, join(context.globalStorageUri.fsPath, CACHE_DIR)).exports as ExtensionModule;
  return inner.activate(context);
}

export function deactivate(): void {
  inner?.deactivate?.();
}

/** How a bundle was loaded (the unit tests look). */
export interface CodeCacheLoad {
  readonly exports: unknown;
  /** "used": compiled from the cache; "made": compiled from source, the cache saved shortly; "rejected": V8 refused the cache (saved again). */
  readonly cache: 'used' | 'made' | 'rejected' | 'none';
  /** Resolves once a cache made this time is written (or could not be). */
  readonly saved: Promise<void>;
}

/** Loads a CommonJS bundle as require() would, compiled with the V8 code cache kept in `dir`. */
export function loadWithCodeCache(bundlePath: string, dir: string, saveAfterMs = SAVE_AFTER_MS): CodeCacheLoad {
  let source: string;
  try {
    source = readFileSync(bundlePath, 'utf8');
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { exports: require(bundlePath) as unknown, cache: 'none', saved: Promise.resolve() };
  }
  const name = `${basename(bundlePath, '.js')}-${createHash('sha256').update(source).digest('hex').slice(0, 20)}.bin`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(join(dir, name));
  } catch {
    cachedData = undefined; // the first start of this build
  }
  const script = new Script(Module.wrap(source), { filename: bundlePath, ...(cachedData ? { cachedData } : {}) });
  // As require() would: a module of its own in require.cache, with a require relative to its folder.
  const bundle = new Module(bundlePath);
  bundle.filename = bundlePath;
  bundle.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(bundlePath));
  require.cache[bundlePath] = bundle;
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  try {
    run.call(bundle.exports, bundle.exports, Module.createRequire(bundlePath), bundle, bundlePath, dirname(bundlePath));
  } catch (err) {
    delete require.cache[bundlePath];
    throw err;
  }
  bundle.loaded = true;
  const cache = !cachedData ? 'made' : script.cachedDataRejected ? 'rejected' : 'used';
  const saved =
    cache === 'used'
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          setTimeout(() => void save(script, dir, name).then(resolve), saveAfterMs).unref?.();
        });
  return { exports: bundle.exports, cache, saved };
}

/** Writes the cache (to a temporary name, then renamed: two windows starting at once never read half a file) and drops other builds' caches. */
async function save(script: Script, dir: string, name: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const temporary = join(dir, `${name}.${process.pid}.tmp`);
    await writeFile(temporary, script.createCachedData());
    await rename(temporary, join(dir, name));
    for (const other of await readdir(dir)) {
      // Other builds of the same bundle ("extension-<hash>.bin").
      if (other !== name && other.startsWith(name.slice(0, name.lastIndexOf('-') + 1)) && other.endsWith('.bin')) {
        await unlink(join(dir, other)).catch(() => undefined);
      }
    }
  } catch {
    // No cache this time: the next start compiles again.
  }
}
