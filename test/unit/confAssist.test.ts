// Editor assistance for mosquitto.conf (hover, completion, outline, listener → connection), in plain Node.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, parseConf } from '../../src/core/conf';
import { completionsAt, optionMarkdown, outline, placeAt } from '../../src/core/conf/assist';
import { cannotConnect, listenerTarget } from '../../src/core/conf/listenerProfile';
import type { ListenerSection } from '../../src/core/conf/types';

const CONFIG = [
  '# demo', // 0
  'per_listener_settings true', // 1
  'listener 8883 0.0.0.0', // 2
  'certfile certs/server.crt', // 3
  'keyfile certs/server.key', // 4
  'cafile certs/ca.crt', // 5
  'password_file passwd', // 6
  '', // 7
  'listener 9001 ws.local', // 8
  'protocol websockets', // 9
  'allow_anonymous true', // 10
  '', // 11
  'connection cloud', // 12
  'address cloud.example.com:8883', // 13
  'topic sensors/# out 1', // 14
  '', // 15
].join('\n');

describe('mosquitto.conf editor assistance', () => {
  const parsed = parseConf(CONFIG, '/etc/mosquitto/mosquitto.conf');

  it('finds the option or argument under the cursor', () => {
    const name = placeAt(parsed, 3, 2);
    assert.equal(name?.kind, 'name');
    assert.equal(name?.token.text, 'certfile');
    const arg = placeAt(parsed, 9, 12);
    assert.equal(arg?.kind, 'arg');
    assert.equal(arg?.token.text, 'websockets');
    assert.equal(placeAt(parsed, 0, 2), undefined, 'nothing to say about a comment');
  });

  it('hover text carries the synopsis, default and scope', () => {
    const info = CATALOG.find((o) => o.name === 'allow_anonymous');
    assert.ok(info);
    const md = optionMarkdown(info);
    assert.match(md, /```\nallow_anonymous/);
    assert.match(md, /\*\*Scope:\*\* security/);
    assert.match(md, /\*\*Default:\*\*/);
  });

  it('completes option names with the section’s own options first and no bridge options outside a bridge', () => {
    const inListener = completionsAt(parsed, 7, 0, '');
    assert.equal(inListener?.kind, 'option');
    if (inListener?.kind !== 'option') {
      return;
    }
    const names = inListener.options.map((o) => o.info.name);
    assert.ok(names.indexOf('certfile') < names.indexOf('autosave_interval'), 'listener options rank before general ones inside a listener');
    assert.ok(!names.includes('remote_username'), 'bridge options are not offered outside a connection');

    const inBridge = completionsAt(parsed, 15, 3, 'rem');
    assert.equal(inBridge?.kind, 'option');
    if (inBridge?.kind !== 'option') {
      return;
    }
    assert.deepEqual(inBridge.span, { line: 15, start: 0, end: 3 });
    const bridgeNames = inBridge.options.map((o) => o.info.name);
    assert.ok(bridgeNames.includes('remote_username'));
    assert.equal(inBridge.options[0]?.info.scope, 'bridge');
  });

  it('completes enum and boolean values after the option name', () => {
    const protocol = completionsAt(parsed, 9, 9, 'protocol ');
    assert.equal(protocol?.kind, 'value');
    assert.deepEqual(protocol?.kind === 'value' && [...protocol.values].sort(), ['mqtt', 'websockets']);
    const bool = completionsAt(parsed, 10, 16, 'allow_anonymous ');
    assert.deepEqual(bool?.kind === 'value' && [...bool.values].sort(), ['false', 'true']);
    assert.equal(completionsAt(parsed, 0, 3, '# c'), undefined);
  });

  it('outlines listeners and bridges as sections holding their options', () => {
    const o = outline(parsed);
    const labels = o.map((e) => e.label);
    assert.deepEqual(labels, ['per_listener_settings', 'Listener 8883 on 0.0.0.0 (MQTT + TLS)', 'Listener 9001 on ws.local (WebSockets)', 'Bridge cloud']);
    assert.deepEqual(
      o[1]?.children.map((c) => c.label),
      ['certfile', 'keyfile', 'cafile', 'password_file'],
    );
    assert.deepEqual(o[3]?.children.map((c) => c.label), ['address', 'topic']);
    assert.equal(o[3]?.detail, 'cloud.example.com:8883');
  });

  it('turns a listener into the MQTT connection that reaches it', () => {
    const listeners = parsed.sections.filter((s): s is ListenerSection => s.kind === 'listener');
    const tls = listenerTarget(parsed, listeners[0]!, '/etc/mosquitto/mosquitto.conf');
    assert.equal(tls.host, '127.0.0.1', 'a wildcard bind address is reached on localhost');
    assert.equal(tls.port, 8883);
    assert.equal(tls.protocol, 'mqtts');
    assert.equal(tls.tls?.caFile, '/etc/mosquitto/certs/ca.crt', 'relative to the config file');
    assert.equal(tls.tls?.verify, true);
    assert.equal(tls.needsCredentials, true, 'per-listener password file');
    const ws = listenerTarget(parsed, listeners[1]!, '/etc/mosquitto/mosquitto.conf');
    assert.equal(ws.host, 'ws.local');
    assert.equal(ws.protocol, 'ws');
    assert.equal(ws.needsCredentials, false, 'the password file belongs to the other listener');
  });

  it('says why a unix socket listener cannot be connected to', () => {
    const p = parseConf('listener 0 /run/mosquitto.sock\n', 'x.conf');
    const s = p.sections[0];
    assert.equal(s?.kind, 'listener');
    assert.match(cannotConnect(s) ?? '', /unix socket/);
  });

  it('the grammar knows exactly the catalog’s options', () => {
    const grammar = JSON.parse(readFileSync(join(__dirname, '../../../syntaxes/mosquitto-conf.tmLanguage.json'), 'utf8')) as {
      repository: Record<string, { begin?: string }>;
    };
    const listed = (key: string): string[] => {
      const m = /\^ \*\(\(\?:([^)]*)\)|\^ \*\(([^)]*)\)/.exec(grammar.repository[key]?.begin ?? '');
      return (m?.[1] ?? m?.[2] ?? '').split('|').map((n) => n.replace(/\\/g, ''));
    };
    const inGrammar = new Set([...listed('option'), ...listed('deprecated'), ...listed('prefixed').map((p) => p + '*')]);
    const inCatalog = new Set(CATALOG.map((o) => o.name));
    assert.deepEqual([...inGrammar].sort(), [...inCatalog].sort(), 'run node scripts/gen-conf-grammar.mjs after changing the catalog');
  });
});
