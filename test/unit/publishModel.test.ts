import assert from 'node:assert/strict';
import type { HistoryEntry, PublishDraft, PublishTarget } from '../../src/core/protocol/publish';
import type { DraftProblem } from '../../src/core/publish/validate';
import { FIELD_ORDER, FORM_FIELDS, setTextValue, TEXT_FIELDS, textValue } from '../../webview/publish/model/fields';
import { draftFromForm, emptyForm, formFromDraft, persistedDraft } from '../../webview/publish/model/form';
import { addToHistory, destinationLabel, formatTime, historyView, newestFirst, outcomeView, payloadPreview } from '../../webview/publish/model/history';
import { checkPayload, convertPayload, offsetOf, payloadFromFile, prettyJson } from '../../webview/publish/model/payload';
import { collectProblems } from '../../webview/publish/model/problems';
import { sendRefusal, targetLabel } from '../../webview/publish/model/targets';

const mqtt5: PublishTarget = { brokerId: 'm5', name: 'local', kind: 'mqtt', connected: true, mqttVersion: 5 };
const mqtt4: PublishTarget = { brokerId: 'm4', name: 'old', kind: 'mqtt', connected: true, mqttVersion: 4 };
const rabbit: PublishTarget = { brokerId: 'rb', name: 'rabbit', kind: 'amqp', connected: true };

const fullMqtt: PublishDraft = {
  payload: '{"a":1}',
  format: 'json',
  mqtt: {
    topic: 'a/b',
    qos: 2,
    retain: true,
    contentType: 'application/json',
    payloadFormatIndicator: true,
    responseTopic: 'r/t',
    correlationData: 'c1',
    messageExpiryInterval: 60,
    topicAlias: 3,
    userProperties: [{ key: 'k', value: 'v' }],
  },
};

const fullAmqp: PublishDraft = {
  payload: 'hi',
  format: 'text',
  amqp: {
    exchange: 'amq.topic',
    routingKey: 'x.y',
    mandatory: false,
    headers: [{ key: 'h', value: '1' }],
    contentType: 'text/plain',
    deliveryMode: 2,
    correlationId: 'c',
    replyTo: 'q',
    expiration: '5000',
    messageId: 'm',
    type: 't',
    priority: 4,
  },
};

describe('publish panel model', () => {
  describe('form ↔ draft', () => {
    it('round-trips a full MQTT 5 draft and a full AMQP draft', () => {
      assert.deepEqual(draftFromForm(formFromDraft(fullMqtt), 'mqtt', 5), { draft: fullMqtt, problems: [] });
      assert.deepEqual(draftFromForm(formFromDraft(fullAmqp), 'amqp'), { draft: fullAmqp, problems: [] });
    });

    it('keeps the other side of the form when loading a draft', () => {
      const form = formFromDraft(fullAmqp, formFromDraft(fullMqtt));
      assert.equal(form.mqtt.topic, 'a/b');
      assert.equal(form.amqp.routingKey, 'x.y');
      assert.equal(form.format, 'text');
      const both = persistedDraft(form);
      assert.equal(both.mqtt?.topic, 'a/b');
      assert.equal(both.amqp?.exchange, 'amq.topic');
    });

    it('sends no MQTT 5 properties through an MQTT 3.1.1 connection', () => {
      const { draft } = draftFromForm(formFromDraft(fullMqtt), 'mqtt', 4);
      assert.deepEqual(draft.mqtt, { topic: 'a/b', qos: 2, retain: true });
    });

    it('leaves out empty optional fields and empty key/value rows', () => {
      const form = emptyForm();
      form.mqtt.topic = 't';
      form.mqtt.userProperties.push({ key: '', value: '' }, { key: 'a', value: '' });
      const { draft, problems } = draftFromForm(form, 'mqtt', 5);
      assert.deepEqual(draft, { payload: '', format: 'text', mqtt: { topic: 't', qos: 0, retain: false, userProperties: [{ key: 'a', value: '' }] } });
      assert.deepEqual(problems, []);
      const amqp = draftFromForm(emptyForm(), 'amqp').draft;
      assert.deepEqual(amqp.amqp, { exchange: '', routingKey: '', mandatory: true });
    });

    it('reads "(default)" as the default exchange', () => {
      const form = emptyForm();
      form.amqp.exchange = '(default)';
      assert.equal(draftFromForm(form, 'amqp').draft.amqp?.exchange, '');
    });

    it('reports numbers that are not whole numbers, next to their field', () => {
      const form = emptyForm();
      form.mqtt.topic = 't';
      form.mqtt.messageExpiryInterval = '1.5';
      form.mqtt.topicAlias = 'x';
      const { problems } = draftFromForm(form, 'mqtt', 5);
      assert.deepEqual(
        problems.map((p) => p.field),
        ['messageExpiryInterval', 'topicAlias'],
      );
      form.amqp.priority = '-1';
      form.amqp.expiration = '10s';
      assert.deepEqual(
        draftFromForm(form, 'amqp').problems.map((p) => p.field),
        ['expiration', 'priority'],
      );
    });
  });

  describe('the form definition', () => {
    it('lists each field once, with a unique control id', () => {
      const fields = FORM_FIELDS.map((f) => f.field);
      assert.equal(new Set(fields).size, fields.length);
      assert.deepEqual(FIELD_ORDER, fields);
      const ids = FORM_FIELDS.map((f) => f.id).filter((id) => id !== '');
      assert.equal(new Set(ids).size, ids.length);
    });

    it('binds each text field to its own member of the form state', () => {
      const form = emptyForm();
      for (const f of TEXT_FIELDS) {
        setTextValue(form, f, `typed ${f.field}`);
      }
      for (const f of TEXT_FIELDS) {
        assert.equal(textValue(form, f), `typed ${f.field}`);
      }
      assert.equal(form.mqtt.topic, 'typed topic');
      assert.equal(form.amqp.contentType, 'typed amqpContentType');
      assert.equal(form.mqtt.contentType, 'typed contentType');
      assert.equal(form.amqp.type, 'typed type');
    });
  });

  describe('problems', () => {
    it('finds every problem validateDraft reports for a bad draft next to a field', () => {
      const form = emptyForm();
      form.format = 'hex';
      form.payload = 'abc';
      form.mqtt.topic = 'a/+';
      form.mqtt.topicAlias = '0';
      form.mqtt.userProperties.push({ key: '', value: 'v' });
      const { problems } = collectProblems(form, mqtt5);
      assert.deepEqual(
        problems.map((p) => p.field),
        ['topic', 'topicAlias', 'userProperties', 'payload'],
        'in the order the form shows them',
      );
      const amqp = emptyForm();
      amqp.amqp.priority = '300';
      amqp.amqp.headers.push({ key: 'h', value: '1' }, { key: 'h', value: '2' });
      assert.deepEqual(collectProblems(amqp, rabbit).problems.map((p) => p.field).sort(), ['headers', 'priority']);
      const ok = formFromDraft(fullMqtt);
      assert.deepEqual(collectProblems(ok, mqtt5).problems, []);
      assert.deepEqual(collectProblems(ok, mqtt4).problems, [], 'properties are not sent through MQTT 3.1.1');
    });

    it('combines the form’s problems with validateDraft’s, without duplicates', () => {
      const form = emptyForm();
      form.mqtt.topicAlias = 'x';
      const empty: DraftProblem = { code: 'topicEmpty', field: 'topic', message: 'The topic is empty.' };
      const validate = () => [empty, empty];
      const { problems } = collectProblems(form, mqtt5, validate);
      assert.deepEqual(
        problems.map((p) => p.field),
        ['topic', 'topicAlias'],
      );
      assert.equal(problems[0]!.text, 'The topic is empty.', 'shown in validateDraft’s words');
    });

    it('passes the connection’s MQTT version to validateDraft', () => {
      let seen: unknown;
      collectProblems(emptyForm(), mqtt4, (_d, v) => {
        seen = v;
        return [];
      });
      assert.equal(seen, 4);
    });

    it('refuses to send without a connected target', () => {
      assert.match(sendRefusal(undefined)!, /Pick a connection/);
      assert.match(sendRefusal({ ...mqtt5, connected: false })!, /not connected/);
      assert.equal(sendRefusal(mqtt5), undefined);
    });

    it('labels targets with protocol and state', () => {
      assert.equal(targetLabel(mqtt5), 'local — MQTT 5');
      assert.equal(targetLabel(mqtt4), 'old — MQTT 3.1.1');
      assert.equal(targetLabel({ ...rabbit, connected: false }), 'rabbit — AMQP (disconnected)');
    });
  });

  describe('payload', () => {
    it('converts the same bytes between text, base64 and hex', () => {
      assert.deepEqual(convertPayload('hé', 'text', 'base64'), { ok: true, payload: 'aMOp' });
      assert.deepEqual(convertPayload('aMOp', 'base64', 'hex'), { ok: true, payload: '68 c3 a9' });
      assert.deepEqual(convertPayload('68 c3 a9', 'hex', 'text'), { ok: true, payload: 'hé' });
      assert.deepEqual(convertPayload('{"a":1}', 'json', 'text'), { ok: true, payload: '{"a":1}' });
      assert.deepEqual(convertPayload('not json', 'text', 'json'), { ok: true, payload: 'not json' });
      assert.deepEqual(convertPayload('', 'hex', 'text'), { ok: true, payload: '' });
    });

    it('refuses to show binary bytes as text, and says when the source is not valid', () => {
      const binary = convertPayload('00 ff', 'hex', 'text');
      assert.equal(binary.ok, false);
      assert.equal(!binary.ok && binary.reason, 'binary');
      const invalid = convertPayload('zz', 'hex', 'base64');
      assert.equal(!invalid.ok && invalid.reason, 'invalid');
    });

    it('counts the encoded bytes and reports JSON errors with line and column', () => {
      assert.deepEqual(checkPayload('hé', 'text'), { ok: true, bytes: 3 });
      assert.deepEqual(checkPayload('00 01 02', 'hex'), { ok: true, bytes: 3 });
      assert.deepEqual(checkPayload('AAEC', 'base64'), { ok: true, bytes: 3 });
      const bad = checkPayload('{"a": 1,\n  "b": }', 'json');
      assert.equal(bad.ok, false);
      assert.equal(!bad.ok && bad.line, 2);
      assert.match(!bad.ok ? bad.error : '', /line 2, column \d+/);
      assert.equal(checkPayload('0g', 'hex').ok, false);
      assert.equal(checkPayload('', 'json').ok, false);
    });

    it('pretty-prints JSON and finds offsets of line:column', () => {
      assert.deepEqual(prettyJson('{"a":[1,2]}'), { text: '{\n  "a": [\n    1,\n    2\n  ]\n}', asSent: false });
      // 20,000 levels of [ would indent to 400M characters: left as sent instead.
      const deep = '['.repeat(20_000) + ']'.repeat(20_000);
      assert.deepEqual(prettyJson(deep), { text: deep, asSent: true });
      assert.equal(prettyJson('{'), undefined);
      assert.equal(offsetOf('ab\ncd', 2, 2), 4);
      assert.equal(offsetOf('ab', 5, 1), 2);
    });

    it('loads text files as text or JSON and binary files as base64 or hex', () => {
      const enc = (s: string) => new TextEncoder().encode(s);
      assert.deepEqual(payloadFromFile(enc('hello'), 'base64'), { format: 'text', payload: 'hello' });
      assert.deepEqual(payloadFromFile(enc('{"a": 1}\n'), 'text'), { format: 'json', payload: '{"a": 1}\n' });
      assert.deepEqual(payloadFromFile(new Uint8Array([0, 255]), 'text'), { format: 'base64', payload: 'AP8=' });
      assert.deepEqual(payloadFromFile(new Uint8Array([0, 255]), 'hex'), { format: 'hex', payload: '00 ff' });
    });
  });

  describe('outcomes and history', () => {
    const at = new Date(2024, 4, 1, 14, 3, 7).getTime();

    it('shows outcomes with a mark and the time', () => {
      assert.deepEqual(outcomeView({ ok: true, text: 'puback' }, at), { ok: true, text: '✔ puback · 14:03:07' });
      assert.deepEqual(outcomeView({ ok: false, text: 'unroutable — no queue bound' }, at), { ok: false, text: '✖ unroutable — no queue bound · 14:03:07' });
      assert.equal(outcomeView({ ok: true, text: 'routed', detail: 'to 2 queues' }, at).text, '✔ routed (to 2 queues) · 14:03:07');
    });

    it('shows the date for other days', () => {
      assert.equal(formatTime(at, at + 60_000), '14:03:07');
      assert.equal(formatTime(at, at + 86_400_000), '2024-05-01 14:03');
    });

    it('describes entries in one line', () => {
      const entry: HistoryEntry = { time: at, brokerId: 'm5', draft: { payload: '{\n  "t": 21.5\n}', format: 'json', mqtt: { topic: 'home/t', qos: 1, retain: true } }, result: 'puback' };
      const v = historyView(entry, at);
      assert.equal(v.destination, 'home/t');
      assert.equal(v.preview, '{ "t": 21.5 }');
      assert.equal(v.label, '14:03:07: home/t, QoS 1, retained, { "t": 21.5 }, puback');
      assert.equal(destinationLabel(fullAmqp), 'amq.topic → x.y');
      assert.equal(destinationLabel({ payload: '', format: 'text', amqp: { exchange: '', routingKey: 'jobs', mandatory: true } }), '(default) → jobs');
      assert.equal(payloadPreview({ ...fullMqtt, payload: '' }), '(empty)');
      assert.equal(payloadPreview({ ...fullMqtt, format: 'hex', payload: '00 01' }), 'hex: 00 01');
      assert.equal(payloadPreview({ ...fullMqtt, payload: 'x'.repeat(100) }).length, 60);
    });

    it('keeps the newest first, capped', () => {
      const e = (time: number): HistoryEntry => ({ time, brokerId: 'm5', draft: fullMqtt, result: 'puback' });
      assert.deepEqual(
        addToHistory([e(2), e(1)], e(3), 2).map((x) => x.time),
        [3, 2],
      );
      assert.deepEqual(
        newestFirst([e(1), e(3), e(2)]).map((x) => x.time),
        [3, 2, 1],
      );
    });
  });
});
