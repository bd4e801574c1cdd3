// The webviews' strings really go through @vscode/l10n: with a bundle configured (as host.ts does
// with the `l10n` of `init`), the models return the translation; without one, the English text.
import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import type { PublishTarget } from '../../src/core/protocol/publish';
import { configureL10n } from '../../webview/shared/l10n';
import { historyView } from '../../webview/publish/model/history';
import { byteCount, convertPayload } from '../../webview/publish/model/payload';
import { sendRefusal, targetLabel } from '../../webview/publish/model/targets';
import { propertyRows } from '../../webview/inspect/display';
import { parseFilter } from '../../webview/inspect/filter';

/** A small fake German bundle, as `vscode.l10n.bundle` would hold it (English message → translation). */
const BUNDLE = {
  'Pick a connection to send through.': 'Wählen Sie eine Verbindung zum Senden.',
  '“{0}” is not connected: connect it in the Brokers view, then send again.': '„{0}“ ist nicht verbunden: verbinden Sie sie in der Broker-Ansicht und senden Sie erneut.',
  '{0} — {1} (disconnected)': '{0} — {1} (getrennt)',
  '{0} bytes': '{0} Bytes',
  'These {0} are not UTF-8 text: keep them as {1}.': 'Diese {0} sind kein UTF-8-Text: behalten Sie {1} bei.',
  'QoS {0}, retained': 'QoS {0}, gespeichert',
  'User property': 'Benutzereigenschaft',
  Header: 'Kopfzeile',
  'Invalid regular expression: {0}': 'Ungültiger regulärer Ausdruck: {0}',
};

const mqtt: PublishTarget = { brokerId: 'b1', name: 'Küche', kind: 'mqtt', connected: false, mqttVersion: 5 };

describe('webview l10n', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('shows the English text without a bundle (VS Code in English)', () => {
    configureL10n(undefined);
    assert.equal(sendRefusal(undefined), 'Pick a connection to send through.');
    assert.equal(targetLabel(mqtt), 'Küche — MQTT 5 (disconnected)');
    assert.equal(byteCount(1024), '1,024 bytes');
  });

  it('translates the publish model through the bundle from init, placeholders filled', () => {
    configureL10n(BUNDLE);
    assert.equal(sendRefusal(undefined), 'Wählen Sie eine Verbindung zum Senden.');
    assert.equal(sendRefusal(mqtt), '„Küche“ ist nicht verbunden: verbinden Sie sie in der Broker-Ansicht und senden Sie erneut.');
    assert.equal(targetLabel(mqtt), 'Küche — MQTT 5 (getrennt)');
    assert.equal(byteCount(2048), '2,048 Bytes');
    assert.equal(byteCount(1), '1 byte', 'a message missing from the bundle stays English');
    const c = convertPayload('ff fe', 'hex', 'text');
    assert.deepEqual(c, { ok: false, reason: 'binary', error: 'Diese 2 Bytes sind kein UTF-8-Text: behalten Sie Hex bei.' });
    const h = historyView({ time: 0, brokerId: 'b1', draft: { payload: 'x', format: 'text', mqtt: { topic: 'a/b', qos: 1, retain: true } }, result: 'puback' }, 0);
    assert.match(h.label, /: a\/b, QoS 1, gespeichert, x, puback$/);
  });

  it('translates the inspector models through the bundle', () => {
    configureL10n(BUNDLE);
    const rows = propertyRows({ userProperties: { a: '1' } }, { 'x-retry': 3 });
    assert.deepEqual(
      rows.map((r) => r.group),
      ['Benutzereigenschaft', 'Kopfzeile'],
    );
    const f = parseFilter('/(a/');
    assert.equal(f.ok, false);
    assert.match(f.ok ? '' : f.error, /^Ungültiger regulärer Ausdruck: /);
  });

  it('ignores what is not a bundle of strings', () => {
    configureL10n({ 'Pick a connection to send through.': 42 });
    configureL10n('Pick a connection to send through.');
    assert.equal(sendRefusal(undefined), 'Pick a connection to send through.');
  });
});
