// `npm test`: type-check, lint, unit, integration (extension host in code-server), e2e (packaged
// .vsix, Chromium). `node scripts/test.mjs [typecheck|lint|unit|integration|e2e|screenshots ...]`
// runs a subset. The last line sums every test case of every layer: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHarness, ensureRabbitManagement, readJson, ROOT, runExtensionHostTests } from './harness.mjs';
import { writeReliabilityDoc } from './reliability.mjs';

const ALL = ['typecheck', 'lint', 'unit', 'faults', 'integration', 'e2e'];
// --reports: refresh the tracked reports (docs/reliability*.md); otherwise they go to .harness/reports/.
const reports = process.argv.includes('--reports');
const requested = process.argv.slice(2).filter((a) => a !== '--reports');
const layers = requested.length ? requested : ALL;
const tmp = mkdtempSync(join(tmpdir(), 'be-test-'));
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];
// Rows "what was done → what happened" that fault, load and security tests write once they pass.
const reliability = join(tmp, 'reliability.jsonl');

function banner(text) {
  console.log(`\n━━ ${text} ${'━'.repeat(Math.max(0, 70 - text.length))}`);
}

function sh(cmd, args, env = {}) {
  return spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } }).status;
}

/** A check that is not made of test cases (tsc, eslint) counts as one case. */
function check(name, cmd, args) {
  const started = Date.now();
  banner(name);
  const ok = sh(cmd, args) === 0;
  console.log(ok ? `✔ ${name}` : `✘ ${name} failed`);
  totals[ok ? 'passed' : 'failed']++;
  timings.push([name, Date.now() - started]);
}

function addLayer(name, resultsFile, started, exitOk) {
  if (existsSync(resultsFile)) {
    const r = readJson(resultsFile);
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
    for (const f of r.failures) {
      console.log(`\n✘ [${name}] ${f.title}\n${f.error}`);
    }
    if (!exitOk && r.failed === 0) {
      totals.failed++;
      console.log(`✘ [${name}] the layer failed outside its test cases`);
    }
  } else {
    totals.failed++;
    console.log(`✘ [${name}] produced no results (it did not run)`);
  }
  timings.push([name, Date.now() - started]);
}

function mochaLayer(name, dir, env = {}, timeout = 20_000) {
  const started = Date.now();
  banner(name);
  const results = join(tmp, `${name}.json`);
  const status = sh(process.execPath, ['--enable-source-maps', join(ROOT, 'out/test/support/runLayer.js'), name, join(ROOT, 'out/test', dir), results, String(timeout)], env);
  addLayer(name, results, started, status === 0);
}

/** Faults, load and bad input against brokers of the suite's own (`soak`: longer and heavier). */
function faults(soak) {
  const env = { BROKER_EXPLORER_RELIABILITY: reliability, ...(soak ? { BROKER_EXPLORER_SOAK: '1' } : {}) };
  mochaLayer(soak ? 'soak' : 'faults', 'faults', env, soak ? 3_600_000 : 180_000);
}

async function integration() {
  const started = Date.now();
  banner('integration (extension host in code-server)');
  ensureHarness();
  const results = join(tmp, 'integration.json');
  const r = await runExtensionHostTests({
    extensionTestsPath: join(ROOT, 'out/test/integration/index.js'),
    workspace: join(ROOT, 'test/fixtures/workspace'),
    env: { BROKER_EXPLORER_TEST_RESULTS: results, BROKER_EXPLORER_RELIABILITY: reliability },
  });
  if (r.error) {
    console.log(`✘ ${r.error}`);
  }
  console.log(`(code-server up in ${r.timings.codeServer} ms, whole run ${r.timings.total} ms, exit code ${r.code})`);
  addLayer('integration', results, started, r.code === 0);
  await untrustedIntegration();
}

/**
 * A second, short run with Workspace Trust on: a fresh folder whose .vscode/brokers.json (there
 * before VS Code opens it, as in a cloned repository) asks to auto-connect opens untrusted.
 */
async function untrustedIntegration() {
  const started = Date.now();
  banner('integration, untrusted folder (Workspace Trust on)');
  const workspace = mkdtempSync(join(tmp, 'untrusted-'));
  mkdirSync(join(workspace, '.vscode'));
  writeFileSync(
    join(workspace, '.vscode', 'brokers.json'),
    JSON.stringify({ brokers: [{ name: 'cloned repo broker', kind: 'mqtt', host: '127.0.0.1', port: 1883, autoConnect: true }] }, null, 2),
  );
  const results = join(tmp, 'integration-untrusted.json');
  const r = await runExtensionHostTests({
    extensionTestsPath: join(ROOT, 'out/test/integration-untrusted/index.js'),
    workspace,
    workspaceTrust: true,
    env: { BROKER_EXPLORER_TEST_RESULTS: results, BROKER_EXPLORER_RELIABILITY: reliability },
  });
  if (r.error) {
    console.log(`✘ ${r.error}`);
  }
  console.log(`(whole run ${r.timings.total} ms, exit code ${r.code})`);
  addLayer('integration (untrusted)', results, started, r.code === 0);
}

function e2e(screenshots) {
  const started = Date.now();
  banner(screenshots ? 'screenshots (e2e, refreshing media/screenshots)' : 'e2e (packaged .vsix, Chromium)');
  ensureHarness();
  const vsix = join(tmp, 'broker-explorer.vsix');
  if (sh(process.execPath, [join(ROOT, 'scripts/package.mjs'), vsix]) !== 0) {
    totals.failed++;
    console.log('✘ [e2e] packaging the .vsix failed');
    return;
  }
  // The e2e layer tests the production bundles; rebuild the dev ones the other layers use.
  sh(process.execPath, ['esbuild.mjs', '--tests']);
  const env = { BROKER_EXPLORER_VSIX: vsix };
  if (screenshots) {
    env.BROKER_EXPLORER_README_SCREENSHOTS = join(ROOT, 'media/screenshots');
  }
  const results = join(tmp, 'e2e.json');
  const status = sh(process.execPath, ['--enable-source-maps', join(ROOT, 'out/test/support/runLayer.js'), 'e2e', join(ROOT, 'out/test/e2e'), results, '120000'], env);
  addLayer('e2e', results, started, status === 0);
}

const t0 = Date.now();
banner('build');
if (sh(process.execPath, ['esbuild.mjs', '--tests']) !== 0) {
  console.log('build failed');
  console.log(`0 passed, 1 failed`);
  process.exit(1);
}
if (layers.some((l) => ['unit', 'faults', 'soak', 'integration', 'e2e', 'screenshots'].includes(l))) {
  try {
    ensureRabbitManagement();
  } catch (err) {
    console.log(`✘ ${err.message}`);
  }
}
for (const layer of layers) {
  switch (layer) {
    case 'typecheck':
      check('typecheck', bin('tsc'), ['--noEmit', '-p', '.']);
      check('typecheck webview', bin('tsc'), ['--noEmit', '-p', 'webview']);
      break;
    case 'lint':
      check('lint', bin('eslint'), ['--max-warnings', '0', '.']);
      break;
    case 'unit':
      mochaLayer('unit', 'unit', { BROKER_EXPLORER_RELIABILITY: reliability });
      break;
    case 'faults':
      faults(false);
      break;
    case 'soak':
      faults(true);
      break;
    case 'integration':
      await integration();
      break;
    case 'e2e':
      e2e(false);
      break;
    case 'screenshots':
      e2e(true);
      break;
    default:
      console.error(`unknown layer ${layer}; known: ${[...ALL, 'soak', 'screenshots'].join(', ')}`);
      process.exit(2);
  }
}
// docs/reliability.md is generated from what the fault and security tests recorded, when both ran.
if ((layers.includes('unit') && layers.includes('faults') && layers.includes('integration')) || layers.includes('soak')) {
  const failures = ['unit', 'faults', 'soak', 'integration'].flatMap((name) => {
    const file = join(tmp, `${name}.json`);
    return existsSync(file) ? readJson(file).failures.map((f) => ({ layer: name, title: f.title })) : [];
  });
  const name = layers.includes('soak') ? 'reliability-soak.md' : 'reliability.md';
  // A test run never rewrites tracked files: `npm run reports` (--reports) refreshes docs/.
  if (!reports) mkdirSync(join(ROOT, '.harness', 'reports'), { recursive: true });
  writeReliabilityDoc(reliability, failures, reports ? join('docs', name) : join('.harness', 'reports', name), layers.includes('soak'));
}
rmSync(tmp, { recursive: true, force: true });
banner('summary');
for (const [name, ms] of timings) {
  console.log(`${name.padEnd(20)} ${(ms / 1000).toFixed(1).padStart(6)} s`);
}
console.log(`${'total'.padEnd(20)} ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exitCode = totals.failed ? 1 : 0;
