// `npm run package`: a production build and a .vsix made by @vscode/vsce (3.x runs on Node 20).
// `npm run package -- [--out FILE] [other vsce package flags]` (or `node scripts/package.mjs
// [FILE] [flags]`); prints the path and size, and fails above the 2 MB budget.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMain, ROOT } from './harness.mjs';

/**
 * Splits our arguments into the .vsix path and the flags handed on to `vsce package`: `--out F`,
 * `-o F`, `--out=F` or a leading bare path name the file; everything else goes to vsce unchanged.
 */
export function packageArgs(argv, defaultOut) {
  const rest = [];
  let out;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out' || a === '-o') {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a file name`);
      out = argv[++i];
    } else if (a.startsWith('--out=')) {
      out = a.slice('--out='.length);
    } else if (i === 0 && !a.startsWith('-')) {
      out = a;
    } else {
      rest.push(a);
    }
  }
  return { out: resolve(out ?? defaultOut), vsceArgs: rest };
}

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

if (isMain(import.meta.url)) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  let parsed;
  try {
    parsed = packageArgs(process.argv.slice(2), join(ROOT, `${pkg.name}-${pkg.version}.vsix`));
  } catch (err) {
    console.error(`npm run package: ${err.message}`);
    process.exit(2);
  }
  const { out, vsceArgs } = parsed;
  step(process.execPath, ['esbuild.mjs', '--production']);
  step(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', ...vsceArgs, '--out', out]);
  const size = statSync(out).size;
  console.log(`packaged ${out} (${(size / 1024).toFixed(0)} KB)`);
  // The Marketplace takes more, but a small download is part of the first-run experience (issue 10).
  const LIMIT = 2 * 1024 * 1024;
  if (size > LIMIT) {
    console.error(`the .vsix is ${(size / 1024 / 1024).toFixed(2)} MB, over the 2 MB budget: check .vscodeignore (npx vsce ls)`);
    process.exit(1);
  }
}
