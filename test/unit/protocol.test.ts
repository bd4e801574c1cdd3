// The webview protocols' guards: the host trusts nothing a webview posts until it passes its panel's.
import assert from 'node:assert/strict';
import { isInspectPanelState, isInspectWebviewMessage, type InspectHostMessage, type InspectInit } from '../../src/core/protocol/inspect';
import { deliveryOf } from '../../src/core/protocol/panels';
import { isPublishPanelState, isPublishWebviewMessage } from '../../src/core/protocol/publish';
import { initMessage, isL10nBundle, PROTOCOL_VERSION } from '../../src/core/protocol/shared';

/** Either panel's guard (a message one of the two webviews may post). */
const isWebviewMessage = (m: unknown): boolean => isInspectWebviewMessage(m) || isPublishWebviewMessage(m);

const draft = { payload: '{}', format: 'json', mqtt: { topic: 'a/b', qos: 1, retain: false } };

describe('webview protocol guards', () => {
  it('accepts every well-formed webview message', () => {
    const good: unknown[] = [
      { type: 'ready', protocol: PROTOCOL_VERSION },
      { type: 'log', level: 'warn', message: 'x' },
      { type: 'inspect/pause', paused: true },
      { type: 'inspect/clear' },
      { type: 'inspect/openInEditor', id: 1, seq: 4 },
      { type: 'inspect/compareInEditor', id: 1, seq: 4 },
      { type: 'inspect/export', id: 2 },
      { type: 'inspect/export', id: 2, seqs: [1, 2] },
      { type: 'inspect/refresh', id: 3 },
      { type: 'publish/send', id: 4, brokerId: 'b', draft },
      { type: 'publish/copyCommand', id: 5, brokerId: 'b', draft: { payload: 'x', format: 'text', amqp: { exchange: '', routingKey: 'k', mandatory: true } } },
      { type: 'publish/loadFile', id: 6 },
      { type: 'publish/selectBroker', brokerId: 'b' },
    ];
    for (const m of good) {
      assert.ok(isWebviewMessage(m), JSON.stringify(m));
    }
  });

  it("checks each webview against its own panel's protocol (the handshake belongs to both)", () => {
    for (const m of [{ type: 'ready', protocol: PROTOCOL_VERSION }, { type: 'log', level: 'info', message: 'x' }]) {
      assert.ok(isInspectWebviewMessage(m) && isPublishWebviewMessage(m), JSON.stringify(m));
    }
    assert.ok(isInspectWebviewMessage({ type: 'inspect/clear' }));
    assert.equal(isPublishWebviewMessage({ type: 'inspect/clear' }), false);
    assert.ok(isPublishWebviewMessage({ type: 'publish/loadFile', id: 6 }));
    assert.equal(isInspectWebviewMessage({ type: 'publish/loadFile', id: 6 }), false);
  });

  it('refuses malformed, unknown and smuggled messages', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'ready' },
      { type: 'eval', code: 'x' },
      { type: 'log', level: 'debug', message: 'x' },
      { type: 'inspect/openInEditor', id: '1', seq: 4 },
      { type: 'inspect/export', id: 2, seqs: ['1'] },
      { type: 'publish/send', id: 4, brokerId: 'b', draft: { ...draft, format: 'html' } },
      { type: 'publish/send', id: 4, brokerId: 'b', draft: { payload: 'x', format: 'text' } },
      { type: 'publish/send', id: 4, brokerId: 'b', draft: { ...draft, mqtt: { topic: 'a', qos: 3, retain: false } } },
      { type: 'publish/send', id: Number.NaN, brokerId: 'b', draft },
      { type: 'constructor' },
      { type: '__proto__' },
      { type: 'toString' },
      { type: 1 },
    ];
    for (const m of bad) {
      assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
    }
  });

  it('revives only panel states it understands', () => {
    const isPanelState = (v: unknown): boolean => isInspectPanelState(v) || isPublishPanelState(v);
    assert.ok(isInspectPanelState({ panel: 'inspect', source: { kind: 'mqtt', brokerId: 'b', filter: 'a/#' } }));
    assert.ok(isInspectPanelState({ panel: 'inspect', source: { kind: 'amqpTap', brokerId: 'b', vhost: '/', exchange: 'logs', pattern: '#' } }));
    assert.ok(isPublishPanelState({ panel: 'publish', brokerId: 'b', draft }));
    assert.ok(isPublishPanelState({ panel: 'publish' }));
    assert.equal(isPanelState({ panel: 'inspect', source: { kind: 'amqpPeek', brokerId: 'b', vhost: '/', queue: 'q' } }), false, 'no count');
    assert.equal(isPanelState({ panel: 'inspect' }), false);
    assert.equal(isPanelState({ panel: 'other' }), false);
    assert.equal(isInspectPanelState({ panel: 'publish' }), false);
    assert.equal(isPublishPanelState({ panel: 'inspect', source: { kind: 'mqtt', brokerId: 'b', filter: 'a/#' } }), false);
  });

  it('drops what the host rebuilds on ready and queues the replies until then', () => {
    for (const type of ['init', 'messages/append', 'messages/snapshot', 'status']) {
      assert.equal(deliveryOf('inspect', type), 'rebuilt', type);
    }
    for (const type of ['init', 'publish/targets', 'publish/history']) {
      assert.equal(deliveryOf('publish', type), 'rebuilt', type);
    }
    for (const type of ['error', 'done']) {
      assert.equal(deliveryOf('inspect', type), 'queued', type);
    }
    for (const type of ['error', 'done', 'publish/result', 'publish/file']) {
      assert.equal(deliveryOf('publish', type), 'queued', type);
    }
  });

  it('carries the l10n bundle in init only when there is one, and only a bundle of strings', () => {
    const inspect: InspectInit = { source: { kind: 'mqtt', brokerId: 'b', filter: 'a/#' }, brokerName: 'local', bufferMessages: 10, displayBytes: 1024, keepBytes: 2048, paused: false };
    const bundle = { Pause: 'Anhalten', 'Loaded {0}': '{0} geladen' };
    const withBundle: InspectHostMessage = initMessage({ panel: 'inspect', inspect }, bundle);
    assert.deepEqual(withBundle, { type: 'init', protocol: PROTOCOL_VERSION, l10n: bundle, panel: 'inspect', inspect });
    // English (vscode.l10n.bundle is undefined): no l10n member at all, the webview keeps its English strings.
    const english = initMessage({ panel: 'publish', publish: { targets: [], draft: { payload: '', format: 'text', mqtt: { topic: '', qos: 0, retain: false } }, history: [] } }, undefined);
    assert.equal('l10n' in english, false);
    assert.equal(english.panel, 'publish');
    // The bundle survives structured cloning (postMessage) as is.
    assert.deepEqual(structuredClone(withBundle).l10n, bundle);

    assert.ok(isL10nBundle({}));
    assert.ok(isL10nBundle(bundle));
    for (const bad of [undefined, null, 'Pause', ['Pause'], { Pause: 1 }, { Pause: { message: 'x' } }]) {
      assert.equal(isL10nBundle(bad), false, JSON.stringify(bad));
    }
    // Something that is not a bundle is never sent.
    assert.equal('l10n' in initMessage({ panel: 'inspect', inspect }, { Pause: 1 } as unknown as Record<string, string>), false);
  });
});
