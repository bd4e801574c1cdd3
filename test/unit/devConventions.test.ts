// F5 in desktop VS Code (.vscode/launch.json + tasks.json) and the GitHub Actions workflow cannot
// run on this machine (no desktop VS Code, no hosted runner). What can be checked is checked here:
// the files parse, and every task, script and file they name exists (issue 15).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';

const ROOT = resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

function jsonc<T>(path: string): T {
  const errors: ParseError[] = [];
  const value = parseJsonc(readFileSync(join(ROOT, path), 'utf8'), errors, { allowTrailingComma: false }) as T;
  assert.deepEqual(errors, [], `${path} parses`);
  return value;
}

interface Task {
  label: string;
  type: string;
  script?: string;
  group?: string | { kind: string; isDefault?: boolean };
  isBackground?: boolean;
  problemMatcher?: string | [] | { pattern: { regexp: string; file?: number; line?: number; column?: number; message?: number }[]; background: { beginsPattern: string; endsPattern: string } };
}
interface LaunchConfig {
  name: string;
  type: string;
  args: string[];
  preLaunchTask?: string;
}

describe('extension-developer conventions (.vscode, GitHub Actions)', () => {
  const tasks = jsonc<{ tasks: Task[] }>('.vscode/tasks.json').tasks;
  const launch = jsonc<{ configurations: LaunchConfig[] }>('.vscode/launch.json').configurations;
  const here = (p: string) => p.replace('${workspaceFolder}', ROOT);

  it('tasks.json: every npm task names a script of package.json; esbuild watch is the one default build task', () => {
    for (const t of tasks.filter((x) => x.type === 'npm')) {
      assert.ok(t.script && pkg.scripts[t.script], `task "${t.label}" runs npm script "${t.script}"`);
    }
    const defaults = tasks.filter((t) => typeof t.group === 'object' && t.group.kind === 'build' && t.group.isDefault);
    assert.equal(defaults.length, 1);
    assert.equal(defaults[0]!.script, 'watch');
    assert.equal(pkg.scripts.watch, 'node esbuild.mjs --watch');
    assert.equal(defaults[0]!.isBackground, true);
  });

  it('the watch task\'s problem matcher reads what esbuild.mjs prints', () => {
    const matcher = tasks.find((t) => t.script === 'watch')!.problemMatcher;
    assert.ok(matcher && typeof matcher === 'object' && !Array.isArray(matcher));
    const source = readFileSync(join(ROOT, 'esbuild.mjs'), 'utf8');
    // The lines as esbuild.mjs writes them (the same template literals, filled in).
    assert.ok(source.includes("console.error(`✘ [ERROR] ${text}`);"));
    assert.ok(source.includes('console.error(`    ${location.file}:${location.line}:${location.column}:`);'));
    assert.ok(source.includes("console.log('[watch] build started');"));
    assert.ok(source.includes('console.log(`[watch] build finished (${building.errors} errors)`);'));
    const [message, location] = matcher.pattern.map((p) => new RegExp(p.regexp));
    assert.equal(message!.exec('✘ [ERROR] Unexpected ";"')?.[1], 'Unexpected ";"');
    const m = location!.exec('    src/extension.ts:174:18:');
    assert.deepEqual([m?.[1], m?.[2], m?.[3]], ['src/extension.ts', '174', '18']);
    assert.match('[watch] build started', new RegExp(matcher.background.beginsPattern));
    assert.match('[watch] build finished (0 errors)', new RegExp(matcher.background.endsPattern));
    assert.doesNotMatch('[watch] watching for changes…', new RegExp(matcher.background.endsPattern), 'printed before the first build ends');
  });

  it('launch.json: Run Extension and Extension Tests, with tasks and paths that exist', () => {
    assert.deepEqual(launch.map((c) => c.name), ['Run Extension', 'Extension Tests']);
    for (const c of launch) {
      assert.equal(c.type, 'extensionHost');
      assert.ok(c.args.includes('--extensionDevelopmentPath=${workspaceFolder}'), c.name);
      assert.ok(c.preLaunchTask === '${defaultBuildTask}' || tasks.some((t) => t.label === c.preLaunchTask), `${c.name}: preLaunchTask ${c.preLaunchTask}`);
      const folder = c.args.find((a) => !a.startsWith('--'));
      assert.ok(folder && existsSync(here(folder)), `${c.name} opens ${folder}`);
    }
    const testsPath = launch[1]!.args.find((a) => a.startsWith('--extensionTestsPath='))!.slice('--extensionTestsPath='.length);
    // The unit layer runs after `node esbuild.mjs --tests`, the build:tests task's command.
    assert.equal(pkg.scripts['build:tests'], 'node esbuild.mjs --tests');
    assert.ok(existsSync(here(testsPath)), `${testsPath} is what build:tests writes`);
  });

  it('extensions.json recommends the ESLint extension', () => {
    assert.deepEqual(jsonc<{ recommendations: string[] }>('.vscode/extensions.json').recommendations, ['dbaeumer.vscode-eslint']);
  });

  it('the GitHub Actions workflow parses, runs npm scripts that exist, test-electron under xvfb, and uploads the .vsix it packs', () => {
    const wf = loadYaml(readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8')) as {
      on: unknown;
      jobs: Record<string, { 'runs-on': string; steps: { uses?: string; run?: string; with?: Record<string, string | number> }[] }>;
    };
    assert.ok(wf.on);
    const job = wf.jobs.test!;
    assert.equal(job['runs-on'], 'ubuntu-latest');
    const runs = job.steps.flatMap((s) => (s.run ? [s.run] : []));
    const scripts = runs.flatMap((r) => [...r.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    assert.ok(scripts.length >= 4);
    for (const s of scripts) {assert.ok(pkg.scripts[s], `npm run ${s} exists`);}
    assert.ok(runs.some((r) => /^xvfb-run -a npm run test:electron$/m.test(r)));
    assert.ok(runs.includes('npm ci'));
    const out = /npm run package -- --out (\S+)/.exec(runs.join('\n'))?.[1];
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    assert.ok(out && upload?.with?.path === out, 'the uploaded file is the one packaged');
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version'];
    assert.equal(String(node), '20', 'the Node the README requires');
  });
});
