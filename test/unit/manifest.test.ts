import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { markdownDescription?: string; default?: unknown }> };
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as Manifest;

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

  it('documents every setting', () => {
    for (const [key, p] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.match(key, /^brokerExplorer\./);
      assert.ok(p.markdownDescription && p.default !== undefined, key);
    }
  });
});
