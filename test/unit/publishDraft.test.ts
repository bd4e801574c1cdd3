// A draft checked before it is sent (src/core/publish/payload.ts, validate.ts): its payload encoded
// in its format, and every problem as a code, the publish form's field it belongs to (one of the
// field ids of the webview's form definition) and a message in plain words, localized.
import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { utf8Encode } from '../../src/core/format';
import type { PublishDraft } from '../../src/core/protocol/publish';
import { encodeDraftPayload } from '../../src/core/publish/payload';
import { checkDraft, DRAFT_PROBLEM_CODES, problemsText, validateDraft, type DraftProblemCode } from '../../src/core/publish/validate';
import { FORM_FIELDS } from '../../webview/publish/model/fields';

const bytes = (...b: number[]) => new Uint8Array(b);
const mqttDraft = (payload: string, format: PublishDraft['format'], mqtt: Partial<NonNullable<PublishDraft['mqtt']>> = {}): PublishDraft => ({
  payload,
  format,
  mqtt: { topic: 'a/b', qos: 0, retain: false, ...mqtt },
});
const amqpDraft = (amqp: Partial<NonNullable<PublishDraft['amqp']>> = {}, payload = 'hi', format: PublishDraft['format'] = 'text'): PublishDraft => ({
  payload,
  format,
  amqp: { exchange: 'ex', routingKey: 'rk', mandatory: false, ...amqp },
});
const messages = (draft: PublishDraft, version?: 4 | 5) => validateDraft(draft, version).map((p) => p.message);

describe('publish: drafts', () => {
  it('encodes each payload format', () => {
    assert.deepEqual(encodeDraftPayload(mqttDraft('hé', 'text')), utf8Encode('hé'));
    assert.deepEqual(encodeDraftPayload(mqttDraft('{"a":1}', 'json')), utf8Encode('{"a":1}'));
    assert.deepEqual(encodeDraftPayload(mqttDraft('AQL/', 'base64')), bytes(1, 2, 0xff));
    assert.deepEqual(encodeDraftPayload(mqttDraft('01 02 ff', 'hex')), bytes(1, 2, 0xff));
    assert.throws(() => encodeDraftPayload(mqttDraft('{\n "a": }', 'json')), { message: /^Invalid JSON: Expected a value.*\(line 2, column 7\)$/ });
    assert.throws(() => encodeDraftPayload(mqttDraft('zz', 'hex')), /Not hex/);
  });

  it('accepts a good draft', () => {
    assert.deepEqual(validateDraft(mqttDraft('{"a":1}', 'json', { contentType: 'application/json', userProperties: [{ key: 'k', value: 'v' }] }), 5), []);
    assert.deepEqual(validateDraft(mqttDraft('x', 'text'), 4), []);
    assert.deepEqual(validateDraft(amqpDraft({ priority: 5, expiration: '60000', headers: [{ key: 'h', value: '1' }] })), []);
  });

  it('checks and encodes in one pass: the bytes to send come with no problems', () => {
    assert.deepEqual(checkDraft(mqttDraft('01 02 ff', 'hex'), 5), { problems: [], payload: bytes(1, 2, 0xff) });
    const bad = checkDraft(mqttDraft('zz', 'hex', { topic: '' }));
    assert.equal(bad.payload, undefined);
    assert.deepEqual(
      bad.problems.map((p) => p.code),
      ['payloadInvalid', 'topicEmpty'],
    );
  });

  it('lists every MQTT problem in plain words', () => {
    const p = messages(mqttDraft('{bad', 'json', { topic: 'a/+/#', qos: 3 as 0, topicAlias: 0, messageExpiryInterval: -1 }), 5);
    assert.equal(p.length, 5, p.join('\n'));
    assert.match(p[0]!, /^Invalid JSON/);
    assert.match(p[1]!, /wildcard/);
    assert.match(p[2]!, /QoS 3 does not exist/);
    assert.match(p[3]!, /Topic alias 0 is out of range/);
    assert.match(p[4]!, /Message expiry interval -1/);
    assert.match(messages(mqttDraft('x', 'text', { topic: '' }))[0]!, /topic is empty/);
    assert.deepEqual(validateDraft(mqttDraft('x', 'text', { topic: '', topicAlias: 3 }), 5), [], 'MQTT 5 may publish by alias alone');
    assert.match(messages(mqttDraft('x', 'text', { topic: 'a\u0000b' }))[0]!, /NUL/);
    assert.match(messages(mqttDraft('x', 'text', { topic: 'é'.repeat(40_000) }))[0]!, /80,000 bytes long/);
    assert.deepEqual(messages(mqttDraft('x', 'text', { contentType: 'text/plain', userProperties: [{ key: 'a', value: 'b' }] }), 4), [
      'MQTT 3.1.1 has no message properties: connect with MQTT 5 to send them (set: content type, user properties)',
    ]);
    assert.match(messages(mqttDraft('/w==', 'base64', { payloadFormatIndicator: true }), 5)[0]!, /not valid UTF-8/);
    assert.match(messages(mqttDraft('x', 'text', { messageExpiryInterval: 1.5 }), 5)[0]!, /expiry/);
    assert.match(messages(mqttDraft('x', 'text', { messageExpiryInterval: 4_294_967_296 }), 5)[0]!, /expiry/);
    assert.deepEqual(validateDraft(mqttDraft('x', 'text', { messageExpiryInterval: 4_294_967_295, topicAlias: 65_535 }), 5), []);
    assert.match(messages(mqttDraft('x', 'text', { userProperties: [{ key: '', value: 'v' }] }), 5)[0]!, /User property 1 has an empty name/);
  });

  it('lists every AMQP problem in plain words', () => {
    const p = messages(amqpDraft({ priority: 256, expiration: '10s', headers: [{ key: '', value: 'x' }, { key: 'a', value: '1' }, { key: 'a', value: '2' }], routingKey: 'r'.repeat(256) }));
    assert.equal(p.length, 5, p.join('\n'));
    assert.match(p.join('\n'), /routing key is 256 bytes/);
    assert.match(p.join('\n'), /Priority 256 is out of range/);
    assert.match(p.join('\n'), /Expiration "10s" is not valid/);
    assert.match(p.join('\n'), /Header 2 has an empty name|Header 1 has an empty name/);
    assert.match(p.join('\n'), /Header "a" is set twice/);
    assert.match(messages({ payload: '', format: 'text' })[0]!, /nothing to publish to/);
    assert.equal(problemsText(validateDraft(amqpDraft({ priority: 256, deliveryMode: 3 as 1 }))), `${p[1]} Delivery mode 3 does not exist: use 1 (transient) or 2 (persistent)`);
  });
});

describe('publish: problem codes and fields', () => {
  const long = 'x'.repeat(256);
  /** A draft for each code, the field its problem is shown next to, and the words (where exact). */
  const cases: [DraftProblemCode, PublishDraft, 4 | 5 | undefined, string, string?][] = [
    ['payloadInvalid', mqttDraft('{bad', 'json'), 5, 'payload'],
    ['payloadInvalid', amqpDraft({}, '%%', 'base64'), undefined, 'payload', 'Not base64: unexpected character "%" at position 1'],
    ['payloadInvalid', amqpDraft({}, 'abc', 'hex'), undefined, 'payload'],
    ['payloadNotUtf8', mqttDraft('/w==', 'base64', { payloadFormatIndicator: true }), 5, 'payloadFormatIndicator', 'The payload format indicator says UTF-8 text, but the payload is not valid UTF-8: clear the indicator for binary payloads'],
    ['topicEmpty', mqttDraft('x', 'text', { topic: '' }), 5, 'topic', 'The topic is empty: enter the topic to publish to, e.g. sensors/room1/temperature'],
    ['topicWildcard', mqttDraft('x', 'text', { topic: 'json/+' }), 5, 'topic', 'The topic "json/+" contains a wildcard (+ or #): wildcards are for subscribing; publish to one exact topic'],
    ['topicWildcard', mqttDraft('x', 'text', { topic: 'a"payload"#' }), 5, 'topic'],
    ['topicNul', mqttDraft('x', 'text', { topic: 'a\u0000b' }), 5, 'topic', 'The topic contains a NUL character (U+0000), which MQTT does not allow'],
    ['topicTooLong', mqttDraft('x', 'text', { topic: 'é'.repeat(40_000) }), 5, 'topic', 'The topic is 80,000 bytes long in UTF-8; MQTT allows at most 65,535'],
    ['qosInvalid', mqttDraft('x', 'text', { qos: 3 as 0 }), 5, 'qos', 'QoS 3 does not exist: use 0 (at most once), 1 (at least once) or 2 (exactly once)'],
    ['mqtt3Properties', mqttDraft('x', 'text', { contentType: 'text/plain', userProperties: [{ key: 'a', value: 'b' }] }), 4, 'contentType'],
    ['mqtt3Properties', mqttDraft('x', 'text', { topicAlias: 2 }), 4, 'topicAlias', 'MQTT 3.1.1 has no message properties: connect with MQTT 5 to send them (set: topic alias)'],
    ['topicAliasRange', mqttDraft('x', 'text', { topicAlias: 0 }), 5, 'topicAlias', "Topic alias 0 is out of range: use a whole number from 1 to 65,535 (and no more than the broker's topic alias maximum)"],
    ['messageExpiryRange', mqttDraft('x', 'text', { messageExpiryInterval: -1 }), 5, 'messageExpiryInterval', 'Message expiry interval -1 is not valid: use whole seconds from 0 to 4,294,967,295'],
    ['responseTopicInvalid', mqttDraft('x', 'text', { responseTopic: 'a/#' }), 5, 'responseTopic', 'The response topic "a/#" contains a wildcard or NUL: it must be one exact topic'],
    ['userPropertyNameEmpty', mqttDraft('x', 'text', { userProperties: [{ key: 'k', value: '' }, { key: '', value: 'v' }] }), 5, 'userProperties', 'User property 2 has an empty name'],
    ['exchangeTooLong', amqpDraft({ exchange: long }), undefined, 'exchange', 'The exchange name is longer than 255 bytes, the most AMQP allows'],
    ['routingKeyTooLong', amqpDraft({ routingKey: 'r'.repeat(300) }), undefined, 'routingKey', 'The routing key is 300 bytes long; AMQP allows at most 255'],
    ['priorityRange', amqpDraft({ priority: 300 }), undefined, 'priority', 'Priority 300 is out of range: use a whole number from 0 to 255 (RabbitMQ queues usually use 0 to 10)'],
    ['deliveryModeInvalid', amqpDraft({ deliveryMode: 3 as 1 }), undefined, 'deliveryMode', 'Delivery mode 3 does not exist: use 1 (transient) or 2 (persistent)'],
    ['expirationInvalid', amqpDraft({ expiration: '10s' }), undefined, 'expiration', 'Expiration "10s" is not valid: RabbitMQ expects whole milliseconds as digits, e.g. 60000'],
    ['expirationTooLarge', amqpDraft({ expiration: '4294967296' }), undefined, 'expiration', 'Expiration 4294967296 ms is too large: RabbitMQ accepts at most 4,294,967,295'],
    ['amqpPropertyTooLong', amqpDraft({ contentType: long }), undefined, 'amqpContentType', 'The content type is longer than 255 bytes, the most an AMQP property allows'],
    ['amqpPropertyTooLong', amqpDraft({ correlationId: long }), undefined, 'correlationId', 'The correlation id is longer than 255 bytes, the most an AMQP property allows'],
    ['amqpPropertyTooLong', amqpDraft({ replyTo: long }), undefined, 'replyTo', 'The reply-to is longer than 255 bytes, the most an AMQP property allows'],
    ['amqpPropertyTooLong', amqpDraft({ messageId: long }), undefined, 'messageId', 'The message id is longer than 255 bytes, the most an AMQP property allows'],
    ['amqpPropertyTooLong', amqpDraft({ type: long }), undefined, 'type', 'The type is longer than 255 bytes, the most an AMQP property allows'],
    ['headerNameEmpty', amqpDraft({ headers: [{ key: '', value: 'x' }] }), undefined, 'headers', 'Header 1 has an empty name'],
    ['headerTwice', amqpDraft({ headers: [{ key: 'x-json', value: '1' }, { key: 'x-json', value: '2' }] }), undefined, 'headers', 'Header "x-json" is set twice: only the last value would be sent'],
    ['nothingToPublish', { payload: '', format: 'text' }, undefined, 'general', 'There is nothing to publish to: choose an MQTT topic or an AMQP exchange'],
  ];

  it('names each problem by its code and the field it is shown next to, in the same words as before', () => {
    for (const [code, draft, version, field, message] of cases) {
      const problems = validateDraft(draft, version);
      assert.deepEqual(
        problems.map((p) => [p.code, p.field]),
        [[code, field]],
        `${code}: ${problemsText(problems)}`,
      );
      if (message !== undefined) {
        assert.equal(problems[0]!.message, message);
      }
    }
  });

  it('reports a payload over 256 MB next to the payload', function () {
    this.timeout(20_000);
    const problems = validateDraft(mqttDraft('é'.repeat(134_217_728), 'text'), 5);
    assert.deepEqual(problems, [{ code: 'payloadTooLarge', field: 'payload', message: 'The payload is 268,435,456 bytes; an MQTT message can carry at most 256 MB' }]);
  });

  it('reports a payload over brokerExplorer.limits.payloadMegabytes next to the payload', () => {
    const problems = validateDraft(mqttDraft('x'.repeat(1024 * 1024 + 1), 'text'), 5, { maxPayloadBytes: 1024 * 1024 });
    assert.deepEqual(problems, [{ code: 'payloadOverLimit', field: 'payload', message: 'The payload is 1,048,577 bytes, more than the 1 MB of brokerExplorer.limits.payloadMegabytes' }]);
  });

  it('reaches every code', () => {
    const reached = new Set<string>([...cases.map(([code]) => code), 'payloadTooLarge', 'payloadOverLimit']);
    assert.deepEqual(
      DRAFT_PROBLEM_CODES.filter((c) => !reached.has(c)),
      [],
    );
  });

  it('names only fields of the publish form (its definition in webview/publish/model/fields.ts)', () => {
    const formFields = new Set<string>(FORM_FIELDS.map((f) => f.field));
    for (const [code, draft, version] of cases) {
      for (const p of validateDraft(draft, version)) {
        assert.ok(formFields.has(p.field), `${code}: ${p.field} is not a field of the form`);
      }
    }
  });

  it('localizes the messages; codes and fields stay as they are', () => {
    l10n.config({
      contents: {
        'The topic is empty: enter the topic to publish to, e.g. sensors/room1/temperature': 'Das Topic ist leer: geben Sie das Topic ein, z. B. sensors/room1/temperature',
        'Header "{0}" is set twice: only the last value would be sent': 'Header „{0}“ ist doppelt gesetzt: nur der letzte Wert würde gesendet',
      },
    });
    try {
      assert.deepEqual(validateDraft(mqttDraft('x', 'text', { topic: '' })), [
        { code: 'topicEmpty', field: 'topic', message: 'Das Topic ist leer: geben Sie das Topic ein, z. B. sensors/room1/temperature' },
      ]);
      assert.deepEqual(validateDraft(amqpDraft({ headers: [{ key: 'h', value: '1' }, { key: 'h', value: '2' }] })), [
        { code: 'headerTwice', field: 'headers', message: 'Header „h“ ist doppelt gesetzt: nur der letzte Wert würde gesendet' },
      ]);
      assert.equal(messages(amqpDraft({ priority: 300 }))[0], 'Priority 300 is out of range: use a whole number from 0 to 255 (RabbitMQ queues usually use 0 to 10)', 'a message missing from the bundle stays English');
    } finally {
      l10n.config({ contents: {} });
    }
  });
});
