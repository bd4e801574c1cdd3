// Builds every bundle: `node esbuild.mjs [--production] [--watch] [--tests]`.
//   dist/main.js          package.json `main`: loads dist/extension.js with V8's code cache
//   dist/extension.js     the extension (Node, CommonJS, `vscode` external)
//   dist/vendor/*.js      mqtt.js, amqplib, aedes and socks, each its own file, required on first use only
//   dist/webview/*.js     webview bundles (browser, ESM) + codicons
//   out/                  with --tests: src/, test/ and bench/ transpiled one file each for mocha
import * as esbuild from 'esbuild';
import { chmodSync, cpSync, mkdirSync, readdirSync, rmSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');
// --keep-names: readable function names in a production build (the activation profile of `npm run bench`).
const keepNames = args.has('--keep-names');
const root = import.meta.dirname;

/** The client libraries (and the local broker) resolve to separate files so activation never parses them. */
// socks (with ip-address and smart-buffer, ~75 KB minified) is needed only behind a SOCKS5 proxy.
const LAZY = { mqtt: './vendor/mqtt.js', amqplib: './vendor/amqplib.js', aedes: './vendor/aedes.js', socks: './vendor/socks.js' };
/**
 * Run before a vendor bundle's package loads: mqtt-packet's BufferList reads in place
 * (src/core/mqtt/blFastReads.ts). Patched before bl.js loads, which copies BufferList's methods
 * onto the stream class mqtt-packet parses with; the BufferList is the one mqtt-packet resolves,
 * wherever npm put it.
 */
const mqttPacketBl = createRequire(createRequire(join(root, 'package.json')).resolve('mqtt-packet')).resolve('bl/BufferList');
const VENDOR_PRELUDE = {
  mqtt: `require('./src/core/mqtt/blFastReads.ts').installBufferListFastReads(require(${JSON.stringify(mqttPacketBl)}));\n`,
};
const lazyClients = {
  name: 'lazy-clients',
  setup(build) {
    build.onResolve({ filter: /^(mqtt|amqplib|aedes|socks)$/ }, (a) => ({ path: LAZY[a.path], external: true }));
  },
};

/**
 * `import * as vscode from 'vscode'` in each of ~40 modules would become as many
 * `__toESM(require("vscode"))`, each copying every property of the API object (a measured part of
 * activation, issue 19 P5). One internal module re-exports it instead: one copy, at load.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (a) => (a.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: 'export * from "vscode";', loader: 'js', resolveDir: root }));
  },
};

/** The mosquitto.conf support is its own file too, loaded when a config is first opened. */
const lazyConf = {
  name: 'lazy-conf',
  setup(build) {
    build.onResolve({ filter: /^\.\/confLanguage$/ }, (a) => (a.importer.endsWith('confLanguageLazy.ts') ? { path: './conf.js', external: true } : undefined));
    build.onResolve({ filter: /^\.\/messageFiles$/ }, (a) => (a.importer.endsWith('messageFilesLazy.ts') ? { path: './messages.js', external: true } : undefined));
    // The Language Model tools (src/agent): registered at activation, implemented in dist/agent.js.
    build.onResolve({ filter: /^\.\/agentTools$/ }, (a) => (a.importer.endsWith('agentLazy.ts') ? { path: './agent.js', external: true } : undefined));
    build.onResolve({ filter: /^\.\/decoders$/ }, (a) => (a.importer.endsWith('decodersLazy.ts') ? { path: './decoders.js', external: true } : undefined));
    // Import / export of connections (#23): registered at activation, implemented in dist/imports.js.
    build.onResolve({ filter: /^\.\/connectionImport$/ }, (a) => (a.importer.endsWith('connectionImportLazy.ts') ? { path: './imports.js', external: true } : undefined));
  },
};

/**
 * Each payload codec is its own file too (dist/codecs/<name>.js), loaded on first use: the registry
 * (src/core/codecs/registry.ts) imports './impl/<name>' dynamically, which becomes a require of it.
 */
const CODEC_BUNDLES = ['compression', 'msgpack', 'cbor', 'sparkplug', 'protobuf', 'avro'];
const lazyCodecs = {
  name: 'lazy-codecs',
  setup(build) {
    build.onResolve({ filter: /^\.\/impl\/[a-z]+$/ }, (a) => {
      const name = a.path.slice('./impl/'.length);
      return a.importer.endsWith(join('codecs', 'registry.ts')) && CODEC_BUNDLES.includes(name) ? { path: `./codecs/${name}.js`, external: true } : undefined;
    });
  },
};

// In watch mode the bundles rebuild together: one "build started" when the first begins and one
// "build finished" when the last ends, which the problem matcher of .vscode/tasks.json reads.
const building = { active: 0, errors: 0 };
const logProblems = {
  name: 'log-problems',
  setup(build) {
    build.onStart(() => {
      if (watch && building.active++ === 0) {
        building.errors = 0;
        console.log('[watch] build started');
      }
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      building.errors += result.errors.length;
      if (watch && --building.active === 0) console.log(`[watch] build finished (${building.errors} errors)`);
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  keepNames,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
  plugins: [logProblems],
};

const configs = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    // `import('mqtt')` becomes a plain require of the vendor file, on first use only.
    supported: { 'dynamic-import': false },
    outfile: 'dist/extension.js',
    // The first and last statements of the bundle: its evaluation is timed (src/shared/marks.ts).
    banner: { js: '"use strict";performance.mark("brokerExplorer:load");' },
    footer: { js: 'performance.mark("brokerExplorer:loaded");' },
    plugins: [vscodeOnce, lazyClients, lazyConf, lazyCodecs, logProblems],
  },
  {
    // package.json `main`: loads dist/extension.js with V8's code cache (src/main.ts).
    ...common,
    entryPoints: ['src/main.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    outfile: 'dist/main.js',
  },
  {
    // The payload codecs, one bundle each (see lazyCodecs).
    ...common,
    entryPoints: Object.fromEntries(CODEC_BUNDLES.map((n) => [`codecs/${n}`, `src/core/codecs/impl/${n}.ts`])),
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: 'dist',
    plugins: [lazyCodecs, logProblems],
  },
  {
    ...common,
    entryPoints: ['src/conf/confLanguage.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    plugins: [vscodeOnce, logProblems],
    outfile: 'dist/conf.js',
  },
  {
    // The decoder glue (registry, decoders.json, the Decoded tab): loaded on first use.
    ...common,
    entryPoints: ['src/codecs/decoders.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    supported: { 'dynamic-import': false },
    outfile: 'dist/decoders.js',
    plugins: [lazyCodecs, logProblems],
  },
  {
    // Import Connections / Export Connections: the other tools' formats, shell-quote and jsonc-parser.
    ...common,
    entryPoints: ['src/brokers/connectionImport.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    // jsonc-parser's "main" is a UMD build whose require('./impl/…') esbuild cannot follow: its ESM build.
    mainFields: ['module', 'main'],
    plugins: [vscodeOnce, logProblems],
    outfile: 'dist/imports.js',
  },
  {
    ...common,
    entryPoints: ['src/messageFiles/messageFiles.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    plugins: [vscodeOnce, lazyCodecs, logProblems],
    outfile: 'dist/messages.js',
  },
  ...Object.entries(LAZY).map(([pkg, file]) => ({
    ...common,
    stdin: { contents: `${VENDOR_PRELUDE[pkg] ?? ''}module.exports = require(${JSON.stringify(pkg)});`, resolveDir: root, loader: 'js' },
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Optional native speedups that mqtt.js/ws probe for and do without (aedes needs none).
    external: ['bufferutil', 'utf-8-validate'],
    // mqtt.js's per-packet `debug` calls cost even when off: no-ops (see the file).
    alias: { debug: './src/core/mqtt/quietDebug.ts' },
    outfile: join('dist', file),
  })),
  {
    // The Language Model tools (src/agent/agentTools.ts over src/core/agent), loaded on the first tool call.
    ...common,
    entryPoints: ['src/agent/agentTools.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    supported: { 'dynamic-import': false },
    plugins: [lazyClients, lazyCodecs, logProblems],
    outfile: 'dist/agent.js',
  },
  {
    // The broker-explorer-mcp server (package.json `bin`): the same tools over MCP (stdio); mqtt.js and amqplib from dist/vendor.
    ...common,
    entryPoints: ['src/cli/mcpServer.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    supported: { 'dynamic-import': false },
    plugins: [lazyClients, lazyCodecs, logProblems],
    outfile: 'dist/broker-explorer-mcp.js',
  },
  {
    // The mosquitto-lint CLI (package.json `bin`): plain Node, no dependencies.
    ...common,
    entryPoints: ['src/cli/mosquittoLint.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    outfile: 'dist/mosquitto-lint.js',
  },
  {
    // The broker-messages-test CLI (package.json `bin`): plain Node; mqtt.js and amqplib from dist/vendor.
    ...common,
    entryPoints: ['src/cli/messagesTest.ts'],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    // `import('mqtt')` must become a require of dist/vendor/mqtt.js (a CommonJS file), as in the extension.
    supported: { 'dynamic-import': false },
    plugins: [lazyClients, lazyCodecs],
    outfile: 'dist/broker-messages-test.js',
  },
  {
    ...common,
    entryPoints: Object.fromEntries(
      readdirSync(join(root, 'webview'))
        .filter((d) => existsSync(join(root, 'webview', d, 'main.ts')))
        .map((d) => [d, `webview/${d}/main.ts`]),
    ),
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    outdir: 'dist/webview',
  },
];

function listTs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' ? [] : listTs(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

if (tests) {
  configs.push({
    entryPoints: ['src', 'test', 'bench', 'webview'].flatMap((d) => listTs(join(root, d))).map((p) => p.slice(root.length + 1)),
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    supported: { 'dynamic-import': false },
    sourcemap: true,
    logLevel: 'warning',
  });
}

function copyAssets() {
  for (const name of ['mosquitto-lint.js', 'broker-messages-test.js', 'broker-explorer-mcp.js']) {
    const cli = join(root, 'dist', name);
    if (existsSync(cli)) chmodSync(cli, 0o755);
  }
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  const target = join(root, 'dist/webview/codicons');
  mkdirSync(target, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(codicons, f), join(target, f));
}

if (!watch) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  if (tests) rmSync(join(root, 'out'), { recursive: true, force: true });
}
if (watch) {
  copyAssets();
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] watching for changes…');
} else {
  const started = Date.now();
  const results = await Promise.allSettled(configs.map((c) => esbuild.build(c)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    process.exitCode = 1;
  } else {
    copyAssets();
    console.log(`built ${configs.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
  }
}
