// `npm run package`: a production build and a .vsix made by @vscode/vsce (3.x runs on Node 20).
// `node scripts/package.mjs [out.vsix]`; prints the path and size.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './harness.mjs';

const pkg = JSON.parse((await import('node:fs')).readFileSync(join(ROOT, 'package.json'), 'utf8'));
const out = resolve(process.argv[2] ?? join(ROOT, `${pkg.name}-${pkg.version}.vsix`));

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

step(process.execPath, ['esbuild.mjs', '--production']);
step(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', out]);
const size = statSync(out).size;
console.log(`packaged ${out} (${(size / 1024).toFixed(0)} KB)`);
// The Marketplace takes more, but a small download is part of the first-run experience (issue 10).
const LIMIT = 2 * 1024 * 1024;
if (size > LIMIT) {
  console.error(`the .vsix is ${(size / 1024 / 1024).toFixed(2)} MB, over the 2 MB budget: check .vscodeignore (npx vsce ls)`);
  process.exit(1);
}
