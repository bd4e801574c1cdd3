// src/core's user-visible messages go through `l10n.t` of @vscode/l10n: with a bundle configured
// (as activate does with `vscode.l10n.bundle`), errors, states, message-file problems and conf
// diagnostics come back translated; without one, in English, byte for byte. The lazily loaded
// bundles dist/conf.js and dist/messages.js each have their own copy of @vscode/l10n: the last
// tests load them (built by `node esbuild.mjs --tests` before this layer) with a stub `vscode`
// whose `l10n.bundle` is the fake bundle, and check that their core messages are translated too.
import assert from 'node:assert/strict';
import Module from 'node:module';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { lintConf } from '../../src/core/conf';
import { optionMarkdown } from '../../src/core/conf/assist';
import { findOption } from '../../src/core/conf/optionLookup';
import { describeError, isAmqpRefusal } from '../../src/core/brokers/errors';
import { checkMessageFile, parseMessageFile } from '../../src/core/messageFiles';
import { describeState } from '../../src/core/brokers/state';

/** A small fake German bundle, as `vscode.l10n.bundle` would hold it (English message → translation). */
const BUNDLE: Record<string, string> = {
  'Connection refused: nothing is listening on {0}': 'Verbindung abgelehnt: auf {0} lauscht nichts',
  'Not authorized: RabbitMQ refused the username or password': 'Nicht autorisiert: RabbitMQ hat Benutzername oder Passwort abgelehnt',
  'the broker is busy': 'der Broker ist ausgelastet',
  'connecting (attempt {0})…': 'verbinde (Versuch {0})…',
  'failed: {0}': 'fehlgeschlagen: {0}',
  'reconnecting in {0}s': 'neue Verbindung in {0} s',
  'Unknown connection "{0}"{1}.{2}{3}': 'Unbekannte Verbindung „{0}“{1}.{2}{3}',
  ' There are no connections yet: add one in the Brokers view.': ' Es gibt noch keine Verbindungen: fügen Sie eine in der Broker-Ansicht hinzu.',
  '{0} is an {1} header: ignored for {2} messages': '{0} ist ein {1}-Header: bei {2}-Nachrichten ignoriert',
  'Unknown option {0}: mosquitto refuses options it does not know.': 'Unbekannte Option {0}: mosquitto lehnt unbekannte Optionen ab.',
  'Invalid value {0} for "{1}"{2}: {3}.': 'Ungültiger Wert {0} für „{1}“{2}: {3}.',
  'max_qos must be 0, 1 or 2': 'max_qos muss 0, 1 oder 2 sein',
  '**Scope:** {0}': '**Geltungsbereich:** {0}',
};

const WHERE = { host: 'mqtt.example', port: 1883, protocol: 'MQTT' as const };
const MESSAGES = 'PUBLISH mqtt://nowhere/a/b\nRouting-Key: x\n\nhello\n';

describe('src/core l10n', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('stays English, byte for byte, without a bundle', () => {
    assert.equal(describeError({ code: 'ECONNREFUSED' }, WHERE), 'Connection refused: nothing is listening on mqtt.example:1883');
    assert.equal(describeError({ code: 0x89 }, WHERE), 'The broker is busy');
    assert.equal(describeState({ kind: 'connecting', attempt: 2 }), 'connecting (attempt 2)…');
    assert.equal(describeState({ kind: 'failed', reason: 'x' }), 'failed: x');
    const problems = checkMessageFile(parseMessageFile(MESSAGES), { connections: [] }).map((p) => p.message);
    assert.ok(problems.includes('Unknown connection "nowhere". There are no connections yet: add one in the Brokers view.'), problems.join('\n'));
    const conf = lintConf('max_qos 7\nzzzz_qqqq 1\n', { file: '/x.conf' }).diagnostics.map((d) => d.message);
    assert.ok(conf.includes('Invalid value "7" for "max_qos": max_qos must be 0, 1 or 2.'), conf.join('\n'));
  });

  it('translates connection errors and states, placeholders filled', () => {
    l10n.config({ contents: BUNDLE });
    assert.equal(describeError({ code: 'ECONNREFUSED' }, WHERE), 'Verbindung abgelehnt: auf mqtt.example:1883 lauscht nichts');
    assert.equal(describeError({ code: 0x89 }, WHERE), 'Der Broker ist ausgelastet', 'CONNACK words are looked up when used, not at import');
    assert.equal(describeState({ kind: 'connecting', attempt: 3 }), 'verbinde (Versuch 3)…');
    assert.equal(describeState({ kind: 'reconnecting', attempt: 1, at: 5000, reason: '' }, 0), 'neue Verbindung in 5 s');
    assert.equal(describeState({ kind: 'failed', reason: 'kaputt' }), 'fehlgeschlagen: kaputt');
    assert.equal(describeState({ kind: 'connected', since: 0 }), 'connected', 'a message missing from the bundle stays English');
  });

  it('decides "do not retry" on a translated AMQP refusal too', () => {
    l10n.config({ contents: BUNDLE });
    const reason = describeError(new Error('Handshake terminated by server: 403 (ACCESS-REFUSED)'), { host: 'h', port: 5672, protocol: 'AMQP' });
    assert.equal(reason, 'Nicht autorisiert: RabbitMQ hat Benutzername oder Passwort abgelehnt');
    assert.equal(isAmqpRefusal(reason), true);
    assert.equal(isAmqpRefusal('Verbindung abgelehnt'), false);
  });

  it('translates message-file problems and conf diagnostics, lazily looked-up table texts included', () => {
    l10n.config({ contents: BUNDLE });
    const problems = checkMessageFile(parseMessageFile(MESSAGES), { connections: [] }).map((p) => p.message);
    assert.ok(problems.includes('Unbekannte Verbindung „nowhere“. Es gibt noch keine Verbindungen: fügen Sie eine in der Broker-Ansicht hinzu.'), problems.join('\n'));
    const parsed = parseMessageFile(MESSAGES).problems.map((p) => p.message);
    assert.ok(parsed.includes('Routing-Key ist ein AMQP-Header: bei MQTT-Nachrichten ignoriert'), parsed.join('\n'));
    const conf = lintConf('max_qos 7\nzzzz_qqqq 1\n', { file: '/x.conf' }).diagnostics.map((d) => d.message);
    assert.ok(conf.includes('Ungültiger Wert "7" für „max_qos“: max_qos muss 0, 1 oder 2 sein.'), conf.join('\n'));
    assert.ok(conf.includes('Unbekannte Option "zzzz_qqqq": mosquitto lehnt unbekannte Optionen ab.'), conf.join('\n'));
    const hover = optionMarkdown(findOption('max_qos')!);
    assert.match(hover, /\*\*Geltungsbereich:\*\* /);
  });

  describe('the lazily loaded bundles configure their own copy of @vscode/l10n', () => {
    const dist = join(__dirname, '..', '..', '..', 'dist');
    const load = Module.createRequire(__filename);
    const any: object = new Proxy(function () {}, {
      get: (_t, key) => (key === 'then' ? undefined : key === Symbol.iterator ? [][Symbol.iterator] : key === Symbol.toPrimitive ? () => '' : any),
      apply: () => any,
      construct: () => any,
    });
    class Diagnostic {
      source?: string;
      code?: unknown;
      constructor(
        readonly range: unknown,
        readonly message: string,
        readonly severity: unknown,
      ) {}
    }
    // esbuild's __toESM copies the module's own properties: name every API the two bundles use.
    const api = 'CodeAction CodeActionKind CodeLens CompletionItem CompletionItemKind CompletionItemTag DiagnosticSeverity Disposable DocumentSymbol Hover MarkdownString ProgressLocation SymbolKind TestMessage TestRunProfileKind TestRunRequest WorkspaceEdit commands languages tests window';
    const target: Record<string | symbol, unknown> = {
      ...Object.fromEntries(api.split(' ').map((name) => [name, any])),
      l10n: { bundle: BUNDLE, t: (m: string) => m },
      Diagnostic,
      Range: class {
        readonly start: { line: number; character: number };
        readonly end: { line: number; character: number };
        constructor(sl: number, sc: number, el: number, ec: number) {
          this.start = { line: sl, character: sc };
          this.end = { line: el, character: ec };
        }
      },
      EventEmitter: class {
        event = (): { dispose(): void } => ({ dispose: () => {} });
        fire(): void {}
        dispose(): void {}
      },
      Uri: { file: (p: string) => ({ toString: () => `file://${p}` }), parse: (u: string) => ({ toString: () => u }) },
      workspace: new Proxy({ textDocuments: [], isTrusted: true }, { get: (t, k) => (k in t ? t[k as keyof typeof t] : any) }),
    };
    const stub = new Proxy(target, { get: (t, k) => (k in t ? t[k] : any) });
    const originalLoad = (Module as unknown as { _load: (...a: unknown[]) => unknown })._load;
    before(() => {
      (Module as unknown as { _load: (...a: unknown[]) => unknown })._load = function (request: unknown, ...rest: unknown[]) {
        return request === 'vscode' ? stub : originalLoad.call(this, request, ...rest);
      };
    });
    after(() => {
      (Module as unknown as { _load: unknown })._load = originalLoad;
    });
    const doc = (text: string, path: string, languageId: string): unknown => ({
      getText: () => text,
      isClosed: false,
      languageId,
      lineCount: text.split('\n').length,
      uri: { scheme: 'untitled', path, fsPath: path, toString: () => `untitled:${path}` },
    });
    const log = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

    it('dist/conf.js: mosquitto.conf diagnostics', () => {
      const conf = load(join(dist, 'conf.js')) as { createConfFeatures(r: unknown, l: unknown): { lintNow(d: unknown): Diagnostic[]; dispose(): void } };
      const features = conf.createConfFeatures(any, log);
      try {
        const messages = features.lintNow(doc('max_qos 7\n', '/x.conf', 'mosquitto-conf')).map((d) => d.message);
        assert.ok(messages.includes('Ungültiger Wert "7" für „max_qos“: max_qos muss 0, 1 oder 2 sein.'), messages.join('\n'));
      } finally {
        features.dispose();
      }
    });

    it('dist/messages.js: message-file problems', () => {
      const messages = load(join(dist, 'messages.js')) as {
        createMessageFeatures(r: unknown, p: unknown, l: unknown, h: unknown): { diagnose(d: unknown): Diagnostic[]; dispose(): void };
      };
      const registry = { list: () => [], onDidChange: () => ({ dispose: () => {} }) };
      const features = messages.createMessageFeatures(registry, any, log, { sendDraft: () => Promise.resolve({ ok: true, text: '' }), testController: any });
      try {
        const texts = features.diagnose(doc(MESSAGES, '/x.mqtt', 'broker-messages')).map((d) => d.message);
        assert.ok(texts.includes('Unbekannte Verbindung „nowhere“. Es gibt noch keine Verbindungen: fügen Sie eine in der Broker-Ansicht hinzu.'), texts.join('\n'));
      } finally {
        features.dispose();
      }
    });
  });
});
