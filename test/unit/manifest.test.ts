import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, type CommandSpec } from '../../src/shared/commandTable';
import { normalizeSetting, SETTINGS } from '../../src/shared/settingsTable';

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
    views: Record<string, { id: string }[]>;
    configuration: {
      properties: Record<string, { type?: string; markdownDescription?: string; default?: unknown; minimum?: number; maximum?: number }>;
    };
    walkthroughs: {
      id: string;
      title: string;
      steps: { id: string; title: string; description: string; media: { image?: string; altText?: string }; completionEvents?: string[] }[];
    }[];
  };
}

const ROOT = join(__dirname, '../../..');
const packageText = readFileSync(join(ROOT, 'package.json'), 'utf8');
const manifest = JSON.parse(packageText) as Manifest;
const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const localize = (s: string): string => (/^%.+%$/.test(s) ? (nls[s.slice(1, -1)] ?? s) : s);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}
const source = sourceFiles(join(ROOT, 'src'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
/** Context keys the extension sets (`brokerExplorer:…`). */
const ownContextKeys = new Set([...source.matchAll(/'(brokerExplorer:\w+)'/g)].map((m) => m[1]!));
/** Keys of VS Code itself that palette `when` clauses may use. */
const BUILTIN_KEYS = new Set(['editorLangId', 'isWorkspaceTrusted', 'editorIsOpen', 'editorTextFocus', 'editorReadonly', 'false', 'true']);
/** Commands that run in any state from the palette (they ask for everything they need): no palette clause in the table. */
const RUN_ANYWHERE = new Set(Object.entries(COMMANDS as Record<string, CommandSpec>).filter(([, spec]) => spec.palette === undefined).map(([id]) => id));

describe('package.json contributions', () => {
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));

  it('activates on our views, commands and language only', () => {
    assert.ok(!(manifest.activationEvents ?? []).includes('*'));
  });

  it('gives every command the category and a brokerExplorer.verbNoun id', () => {
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'Broker Explorer', c.command);
      assert.match(c.command, /^brokerExplorer\.[a-z]+[A-Z]\w*$/, c.command);
    }
  });

  it('menus name only contributed commands, with when clauses VS Code can parse', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const e of entries) {
        assert.ok(commands.has(e.command), `${menu}: ${e.command} is not a contributed command`);
        const when = e.when ?? '';
        // VS Code has no "not =~" operator: such a clause silently matches everything.
        assert.ok(!/\bnot\b/.test(when), `${menu} ${e.command}: "${when}"`);
        for (const m of when.matchAll(/=~ \/((?:\\\/|[^/])+)\/([a-z]*)/g)) {
          assert.doesNotThrow(() => new RegExp(m[1]!, m[2]), `${menu} ${e.command}: bad regex ${m[1]}`);
        }
      }
    }
  });

  it('contributes exactly the commands of the command table, each registered by the feature the table names', () => {
    assert.deepEqual([...commands].sort(), Object.keys(COMMANDS).sort(), 'package.json commands = src/shared/commandTable.ts');
    for (const [id, spec] of Object.entries(COMMANDS as Record<string, CommandSpec>)) {
      const featureSource = sourceFiles(join(ROOT, 'src', spec.feature))
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
      assert.ok(featureSource.includes(`'${id}'`) && featureSource.includes('registerCommand('), `${id}: src/${spec.feature} registers it`);
    }
  });

  it('offers each command in the palette when the command table says', () => {
    const palette = new Map(manifest.contributes.menus.commandPalette!.map((e) => [e.command, e.when]));
    for (const [id, spec] of Object.entries(COMMANDS as Record<string, CommandSpec>)) {
      assert.equal(palette.get(id), spec.palette, `${id}: commandPalette "when" in package.json`);
    }
  });

  it('shows in the command palette only commands that can run: tree-only ones are hidden, the rest wait for their state', () => {
    const palette = new Map(manifest.contributes.menus.commandPalette!.map((e) => [e.command, e.when ?? '']));
    for (const c of manifest.contributes.commands) {
      const when = palette.get(c.command);
      if (RUN_ANYWHERE.has(c.command)) {
        assert.equal(when, undefined, `${c.command} runs anywhere: no palette entry`);
        continue;
      }
      assert.ok(when, `${c.command} needs a commandPalette entry with a when clause ("false" for tree-only commands)`);
      // Each clause is `key`, `!key` or `key op value`: the keys must be VS Code's or set by the extension.
      for (const clause of when.split(/&&|\|\|/)) {
        const key = clause.trim().replace(/^!/, '').split(/\s*(?:==|!=|=~)\s*/)[0]!;
        assert.ok(BUILTIN_KEYS.has(key) || ownContextKeys.has(key), `${c.command}: "${when}" uses ${key}, which nothing sets`);
      }
    }
  });

  it('gives an icon to every command shown in a view title or on a tree item', () => {
    const icons = new Map(manifest.contributes.commands.map((c) => [c.command, c.icon]));
    for (const menu of ['view/title', 'view/item/context', 'editor/title']) {
      for (const e of manifest.contributes.menus[menu] ?? []) {
        assert.ok(icons.get(e.command), `${menu}: ${e.command} has no icon`);
      }
    }
  });

  it('documents every setting, and bounds every number', () => {
    for (const [key, p] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.match(key, /^brokerExplorer\./);
      assert.ok(p.markdownDescription && p.default !== undefined, key);
      if (p.type === 'number' || p.type === 'integer') {
        assert.ok(p.minimum !== undefined && p.maximum !== undefined, `${key} has a minimum and a maximum`);
        assert.ok(Number(p.default) >= p.minimum && Number(p.default) <= p.maximum, `${key}: the default is in range`);
      }
    }
  });

  it('resolves every %key% from package.nls.json, and package.nls.json has no unused key', () => {
    const used = new Set([...packageText.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
    assert.ok(used.size > 50, 'the contributions are localizable');
    for (const key of used) {
      assert.equal(typeof nls[key], 'string', `package.nls.json lacks ${key}`);
    }
    for (const key of Object.keys(nls)) {
      assert.ok(used.has(key), `package.nls.json: ${key} is not used`);
    }
    for (const c of manifest.contributes.commands) {
      assert.match(c.title, /^%command\.\w+\.title%$/, `${c.command}: title through package.nls.json`);
    }
  });

  it('has a walkthrough whose steps each have an image, alt text and completion events that can happen', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.ok(walkthrough, 'a walkthrough is contributed');
    const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
    assert.ok(walkthrough.steps.length >= 4);
    for (const step of walkthrough.steps) {
      const image = step.media.image;
      assert.ok(image && existsSync(join(ROOT, image)), `${step.id}: image ${image} exists`);
      assert.ok(ignore.includes(`!${image.replace(/[^/]+$/, '')}*.png`), `${step.id}: ${image} is packaged`);
      assert.ok(localize(step.media.altText ?? '').length > 10, `${step.id}: alt text for screen readers`);
      assert.ok(step.completionEvents?.length, `${step.id}: completion events`);
      for (const event of step.completionEvents) {
        const [kind, arg] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
        if (kind === 'onCommand') {
          assert.ok(commands.has(arg), `${step.id}: ${arg} is a contributed command`);
        } else if (kind === 'onView') {
          assert.ok(views.has(arg), `${step.id}: ${arg} is a contributed view`);
        } else if (kind === 'onContext') {
          assert.ok(ownContextKeys.has(arg), `${step.id}: the extension sets ${arg}`);
        } else {
          assert.fail(`${step.id}: unexpected completion event ${event}`);
        }
      }
      for (const m of localize(step.description).matchAll(/\(command:([\w.]+)\)/g)) {
        const id = m[1]!;
        assert.ok(commands.has(id) || views.has(id.replace(/\.focus$/, '')), `${step.id}: the button runs ${id}, which exists`);
      }
    }
  });
});

describe('the settings table (src/shared/settingsTable.ts)', () => {
  const properties = manifest.contributes.configuration.properties;

  it('has every setting of package.json, with its default and range', () => {
    assert.deepEqual(Object.keys(SETTINGS).map((k) => `brokerExplorer.${k}`).sort(), Object.keys(properties).sort());
    for (const [key, spec] of Object.entries(SETTINGS as Record<string, { default: unknown; minimum?: number; maximum?: number; integer?: boolean }>)) {
      const p = properties[`brokerExplorer.${key}`]!;
      assert.deepEqual(spec.default, p.default, `${key}: default`);
      assert.equal(spec.minimum, p.minimum, `${key}: minimum`);
      assert.equal(spec.maximum, p.maximum, `${key}: maximum`);
      if (typeof spec.default === 'number') {
        assert.equal(spec.integer, p.type === 'integer', `${key}: integer`);
      }
    }
  });

  it('is the only reader of the configuration: no getConfiguration("brokerExplorer…") elsewhere', () => {
    const readers = sourceFiles(join(ROOT, 'src')).filter((f) => /getConfiguration\(\s*['"]brokerExplorer/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(readers.map((f) => f.slice(ROOT.length + 1)), ['src/shared/settings.ts']);
  });

  it('keeps settings that decide trust, files, programs or destinations out of a repository’s reach', () => {
    const restricted = new Set((manifest as { capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } } }).capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? []);
    const guarded = Object.entries(SETTINGS as Record<string, { guards?: string }>).filter(([, spec]) => spec.guards !== undefined);
    assert.ok(guarded.length > 0);
    for (const [key] of guarded) {
      const full = `brokerExplorer.${key}`;
      const scope = (properties[full] as { scope?: string }).scope;
      assert.ok(scope === 'machine' || scope === 'application', `${full}: machine or application scope, not ${scope}`);
      assert.ok(restricted.has(full), `${full}: listed in capabilities.untrustedWorkspaces.restrictedConfigurations`);
    }
    // A setting added later that names a file, a folder, a program, a certificate or a URL must say what it guards.
    for (const [full, p] of Object.entries(properties)) {
      const words = `${full} ${localize(p.markdownDescription ?? '')}`;
      if (/file|folder|path|executable|program|command line|certificate|\bCA\b|url|host/i.test(full) || /\b(path to|executable|certificate authorit)/i.test(words)) {
        assert.ok((SETTINGS as Record<string, { guards?: string }>)[full.replace(/^brokerExplorer\./, '')]?.guards, `${full} looks like it names a file, program, certificate or destination: mark what it guards in settingsTable.ts`);
      }
    }
  });

  it('makes bad values safe: clamped to the range, the default for a wrong type', () => {
    assert.equal(normalizeSetting('topics.refreshesPerSecond', 1000), 20);
    assert.equal(normalizeSetting('topics.refreshesPerSecond', -3), 1);
    assert.equal(normalizeSetting('topics.refreshesPerSecond', 2.6), 3, 'integers are rounded');
    assert.equal(normalizeSetting('inspector.maxPayloadMegabytes', 0.5), 0.5, 'numbers stay fractional');
    assert.equal(normalizeSetting('inspector.bufferMessages', 'lots'), 10_000);
    assert.equal(normalizeSetting('connection.connectTimeoutSeconds', Number.NaN), 10);
    assert.equal(normalizeSetting('tls.defaultCaFile', 42), '');
    assert.deepEqual(normalizeSetting('mqtt.defaultSubscriptions', ['a/#', 3]), ['#', '$SYS/#']);
    assert.deepEqual(normalizeSetting('mqtt.defaultSubscriptions', ['a/#']), ['a/#']);
  });
});

describe('README.md', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('has the settings and commands tables that scripts/gen-readme-tables.mjs makes from package.json', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderReadme } = require(join(ROOT, 'scripts/gen-readme-tables.mjs')) as { renderReadme: (root: string) => string };
    const wanted = renderReadme(ROOT);
    assert.ok(readme === wanted, 'README.md is out of date: run node scripts/gen-readme-tables.mjs');
    for (const key of Object.keys(manifest.contributes.configuration.properties)) {
      assert.ok(readme.includes(`| \`${key}\` |`), `the settings table lists ${key}`);
    }
    for (const c of manifest.contributes.commands) {
      assert.ok(readme.includes(`| \`${c.command}\` |`), `the commands table lists ${c.command}`);
    }
  });

  it('shows only images that exist, with alt text, and says there is no telemetry', () => {
    const images = [...readme.matchAll(/!\[([^\]]*)\]\(([^)]+)\)/g)];
    assert.ok(images.length >= 10);
    for (const [, alt, path] of images) {
      assert.ok(alt!.length > 5, `${path} has alt text`);
      assert.ok(existsSync(join(ROOT, path!)), `${path} exists`);
    }
    for (const n of [1, 2, 3, 4, 5]) {
      assert.match(readme, new RegExp(`media/screenshots/walkthrough-${n}-[\\w-]+\\.png`), `walkthrough step ${n} is pictured`);
    }
    for (const section of ['Requirements', 'Settings', 'Commands', 'FAQ', 'Privacy and secrets', 'Telemetry', 'Accessibility']) {
      assert.match(readme, new RegExp(`^## ${section}$`, 'm'));
    }
    assert.match(readme, /## Telemetry\s+\*\*None\.\*\*/);
    assert.ok(readme.lastIndexOf('\n## ') === readme.indexOf('\n## Development'), 'Development is the last section');
  });
});

describe('CHANGELOG.md', () => {
  it('follows Keep a Changelog: versions as linked headings, only its section names, an Unreleased section first', () => {
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    const versions = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]!);
    assert.equal(versions[0], 'Unreleased');
    for (const v of versions) {
      assert.match(changelog, new RegExp(`^\\[${v.replace(/\./g, '\\.')}\\]: https://`, 'm'), `${v} has a link reference`);
    }
    for (const [, section] of changelog.matchAll(/^### (.+)$/gm)) {
      assert.ok(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'].includes(section!), `unknown section ${section}`);
    }
    assert.ok(!/^## (?!\[)/m.test(changelog), 'every version heading is a [link]');
  });
});

describe('icons', () => {
  it('has a 128×128 PNG extension icon and a monochrome, theme-coloured SVG for the view container', () => {
    const png = readFileSync(join(ROOT, (JSON.parse(packageText) as { icon: string }).icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const svg = readFileSync(join(ROOT, 'media/brokers.svg'), 'utf8');
    assert.match(svg, /currentColor/);
    assert.ok(!/#[0-9a-f]{3,6}\b|rgb\(/i.test(svg), 'no fixed colour: the workbench colours it for the theme');
  });

  it('colours tree icons with theme colours only', () => {
    assert.ok(!/new vscode\.ThemeIcon\([^)]*['"]#/.test(source), 'no hex colours for ThemeIcons');
    assert.ok(!/iconPath\s*=\s*['"`]|iconPath:\s*['"`]/.test(source), 'tree icons are codicons (ThemeIcon), not image files');
  });
});
