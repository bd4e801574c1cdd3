import assert from 'node:assert/strict';
import { codeFence, codeSpan, escapeIcons, escapeMarkdown, noLinks, promptText } from '../../src/core/format/markup';
import type { BrokerProfile, MqttProfile } from '../../src/core/brokers/profile';
import { tlsUnverified, usesTls } from '../../src/core/brokers/profile';
import type { SecretStore } from '../../src/core/brokers/brokerSecrets';
import { BrokerRegistry, type ProfileStore } from '../../src/core/brokers/registry';
import { readTlsOptions } from '../../src/core/brokers/tlsFiles';
import { parseWorkspaceBrokers, workspaceAutoConnectIds } from '../../src/core/brokers/workspaceBrokers';
import { startPrivateMosquitto } from '../support/mosquitto';
import { connectionFactory } from '../../src/core';

/** The hostile strings the integration suite sends through Mosquitto and RabbitMQ too. */
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[x](command:workbench.action.quit)',
  '[x]: command:workbench.action.quit',
  '**bold** _it_ `tick` ``two``',
  '$(alert) $(zap~spin)',
  '```\n<img src=x onerror=alert(1)>\n```',
  'line\n# heading\n- item\n> quote',
  'https://example.com <https://example.com> &lt;b&gt;',
];

/** Undoes CommonMark backslash escapes: what a reader sees of escaped text. */
const unescape = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('security: markup helpers, TLS default, workspace trust (plain Node over src/core)', function () {
  this.timeout(20_000);

  it('escapeMarkdown leaves no active Markdown: every punctuation mark escaped, no line breaks, the text reads the same', () => {
    for (const text of HOSTILE) {
      const md = escapeMarkdown(text);
      assert.ok(!/\n/.test(md), md);
      // No punctuation without its backslash: nothing can open a tag, link, emphasis or icon.
      assert.ok(!/(^|[^\\])[<[`*_$(]/.test(md.replace(/\\\\/g, '')), md);
      assert.equal(unescape(md), text.replace(/\n/g, ' '));
    }
  });

  it('codeFence and codeSpan hold any text literally: it cannot close them', () => {
    for (const text of [...HOSTILE, '````', '`', 'a ` b `` c']) {
      const block = codeFence(text, 'text');
      const fence = /^`+/.exec(block)![0];
      const inner = block.slice(fence.length + 'text'.length + 1, -(fence.length + 1));
      assert.equal(inner, text);
      assert.ok(!inner.split('\n').some((l) => l.trim().startsWith(fence)), `the fence ${fence} is not closed inside: ${block}`);
      const span = codeSpan(text);
      const tick = /^`+/.exec(span)![0];
      const body = span.slice(tick.length, -tick.length);
      assert.ok(!body.includes(tick), span);
      assert.equal(body.trim(), text.replace(/\n/g, ' ').trim());
    }
    assert.equal(codeFence('plain'), '```\nplain\n```');
  });

  it('noLinks breaks every notification link and nothing else visible; escapeIcons keeps $(icon) as typed', () => {
    // The pattern VS Code's notifications turn into links (parseLinkedText).
    const link = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
    for (const text of ['[x](command:workbench.action.quit)', 'see [docs](https://example.com "t") and [f](file:///etc/passwd)', 'a ](b']) {
      const safe = noLinks(text);
      assert.equal(safe.match(link), null, safe);
      assert.equal(safe.replace(/\u200b/g, ''), text);
    }
    assert.equal(noLinks('no links here'), 'no links here');
    assert.equal(escapeIcons('$(alert) costs $5'), '\\$(alert) costs $5');
    // Input box prompts render both links (commands allowed) and icons.
    const prompt = promptText('Password for "[x](command:workbench.action.quit) $(key)"');
    assert.equal(prompt.match(link), null);
    assert.equal(prompt, 'Password for "[x]\u200b(command:workbench.action.quit) \\$(key)"');
  });

  it('TLS: certificate verification is on unless a profile turns it off itself', async () => {
    assert.equal((await readTlsOptions()).rejectUnauthorized, true);
    assert.equal((await readTlsOptions({})).rejectUnauthorized, true);
    assert.equal((await readTlsOptions({ caFile: undefined, servername: 'x' })).rejectUnauthorized, true);
    assert.equal((await readTlsOptions({ verify: true })).rejectUnauthorized, true);
    assert.equal((await readTlsOptions({ verify: false })).rejectUnauthorized, false);

    const mqtts: MqttProfile = { id: 'a', kind: 'mqtt', name: 'a', host: 'h', port: 8883, protocol: 'mqtts' };
    assert.equal(usesTls(mqtts), true);
    assert.equal(tlsUnverified(mqtts), false, 'default: verified');
    assert.equal(tlsUnverified({ ...mqtts, tls: { caFile: '/ca.pem' } }), false);
    assert.equal(tlsUnverified({ ...mqtts, tls: { verify: false } }), true);
    assert.equal(tlsUnverified({ ...mqtts, protocol: 'wss', tls: { verify: false } }), true);
    assert.equal(tlsUnverified({ ...mqtts, protocol: 'mqtt', tls: { verify: false } }), false, 'no TLS, nothing to verify');
    const amqps: BrokerProfile = { id: 'b', kind: 'amqp', name: 'b', host: 'h', port: 5671, vhost: '/', protocol: 'amqps', tls: { verify: false } };
    assert.equal(tlsUnverified(amqps), true);
    assert.equal(tlsUnverified({ ...amqps, tls: undefined }), false);

    // brokers.json: no "verify" means verified; only an explicit false turns it off.
    const folder = { path: '/work/p', name: 'p' };
    const parsed = parseWorkspaceBrokers('{"brokers":[{"name":"a","kind":"mqtt","host":"h","protocol":"mqtts"},{"name":"b","kind":"mqtt","host":"h","protocol":"mqtts","tls":{"verify":false}}]}', folder);
    assert.deepEqual(parsed.profiles.map(tlsUnverified), [false, true]);
  });

  it('workspace trust: brokers from an untrusted brokers.json never connect by themselves (real registry, real Mosquitto)', async () => {
    const broker = await startPrivateMosquitto();
    const secrets = new Map<string, string>();
    const store: ProfileStore = { load: () => [], save: async () => {} };
    const secretStore: SecretStore = { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) };
    const registry = new BrokerRegistry(store, secretStore, connectionFactory());
    try {
      const text = JSON.stringify({
        brokers: [
          { name: 'auto', kind: 'mqtt', host: '127.0.0.1', port: broker.port, autoConnect: true },
          { name: 'manual', kind: 'mqtt', host: '127.0.0.1', port: broker.port },
        ],
      });
      const { profiles } = parseWorkspaceBrokers(text, { path: '/work/untrusted', name: 'untrusted' });
      registry.setWorkspaceProfiles('file:///work/untrusted', profiles);
      const ids = registry.workspaceIds();
      assert.equal(ids.length, 2);
      // Loading the file connects nothing, and activation's own list leaves workspace brokers out.
      assert.deepEqual(registry.list().map((c) => c.state.kind), ['disconnected', 'disconnected']);

      const candidates = () => ids.map((id) => registry.get(id));
      assert.deepEqual(workspaceAutoConnectIds(candidates(), false), [], 'untrusted: none');
      const auto = ids.find((id) => registry.get(id)!.profile.name === 'auto')!;
      assert.deepEqual(workspaceAutoConnectIds(candidates(), true), [auto], 'trusted: the autoConnect one');
      // What the extension does once trust is granted: connect those, and they do connect.
      for (const id of workspaceAutoConnectIds(candidates(), true)) {
        assert.equal((await registry.connect(id)).kind, 'connected');
      }
      assert.deepEqual(workspaceAutoConnectIds(candidates(), true), [], 'a connected broker is not connected again');
      assert.equal(registry.list().find((c) => c.profile.name === 'manual')!.state.kind, 'disconnected');
      assert.deepEqual(workspaceAutoConnectIds([undefined, registry.get(auto)], false), []);
    } finally {
      await registry.dispose();
      await broker.dispose();
    }
  });
});
