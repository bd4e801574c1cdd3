// The publish panel's Encoding control without a DOM (issue 20): the choice written as the
// `encoding` text the host reads (a message file's Encoding: syntax) and read back from a draft,
// kept with the form across reloads and the history, and the Sparkplug B builder's edit of the body.
import assert from 'node:assert/strict';
import type { PublishDraft } from '../../src/core/protocol/publish';
import { parseEncoding } from '../../src/core/messageFiles/encoding';
import { addMetric, encodingFromText, encodingText, isCommandTopic } from '../../webview/publish/model/encoding';
import { draftFromForm, emptyForm, formFromDraft, persistedDraft } from '../../webview/publish/model/form';

describe('publish panel model: Encoding', () => {
  it('writes the choice as the host reads it, and every text it writes parses', () => {
    const cases: [Parameters<typeof encodingText>[0], string][] = [
      [{ codec: '', type: '', compression: '' }, ''],
      [{ codec: 'protobuf', type: 'acme.telemetry.Reading', compression: '' }, 'protobuf acme.telemetry.Reading'],
      [{ codec: 'protobuf', type: 'acme.telemetry.Reading', compression: 'gzip' }, 'protobuf acme.telemetry.Reading, gzip'],
      [{ codec: 'msgpack', type: 'ignored', compression: 'zlib' }, 'msgpack, zlib'],
      [{ codec: '', type: '', compression: 'deflate' }, 'deflate'],
      [{ codec: 'sparkplug', type: '', compression: 'gzip' }, 'sparkplug'],
    ];
    for (const [form, text] of cases) {
      assert.equal(encodingText(form), text);
      if (text) {
        assert.ok(parseEncoding(text).ok, text);
      }
    }
    assert.equal(encodingText({ codec: 'protobuf', type: ' ', compression: '' }), 'protobuf', 'no type: the host says it needs one');
  });

  it('reads a draft’s or a mapping’s encoding back into the three controls', () => {
    assert.deepEqual(encodingFromText('protobuf acme.telemetry.Reading, gzip'), { codec: 'protobuf', type: 'acme.telemetry.Reading', compression: 'gzip' });
    assert.deepEqual(encodingFromText('MessagePack'), { codec: 'msgpack', type: '', compression: '' });
    assert.deepEqual(encodingFromText('sparkplug'), { codec: 'sparkplug', type: '', compression: '' });
    assert.deepEqual(encodingFromText(undefined), { codec: '', type: '', compression: '' });
    assert.deepEqual(encodingFromText('brotli'), { codec: '', type: '', compression: '' }, 'what the control cannot show is dropped');
  });

  it('the draft sent, the state kept for a reload and a history entry carry the encoding; a protobuf without type is a problem', () => {
    const draft: PublishDraft = { payload: '{"sensor": "a"}', format: 'json', encoding: 'protobuf acme.telemetry.Reading, gzip', mqtt: { topic: 't', qos: 1, retain: false } };
    const form = formFromDraft(draft);
    assert.deepEqual(draftFromForm(form, 'mqtt', 5), { draft, problems: [] });
    assert.equal(persistedDraft(form).encoding, 'protobuf acme.telemetry.Reading, gzip');
    assert.equal(formFromDraft(persistedDraft(form)).encoding.type, 'acme.telemetry.Reading');
    assert.equal('encoding' in draftFromForm(emptyForm(), 'mqtt', 5).draft, false, 'no encoding: the draft names none');
    const noType = formFromDraft({ ...draft, encoding: 'protobuf' });
    assert.deepEqual(draftFromForm(noType, 'amqp').problems.map((p) => p.field), ['encoding']);
  });

  it('the Sparkplug builder adds a BIRTH metric to the body by name, once, keeping the rest', () => {
    const one = addMetric('', { name: 'Outputs/Running', datatype: 'Boolean', alias: 12 });
    assert.deepEqual(JSON.parse(one), { metrics: [{ name: 'Outputs/Running', value: false }] });
    const two = addMetric(one, { name: 'Inputs/Setpoint', datatype: 'Double' });
    assert.deepEqual(JSON.parse(two), { metrics: [{ name: 'Outputs/Running', value: false }, { name: 'Inputs/Setpoint', value: 0 }] });
    assert.equal(addMetric(two, { name: 'Outputs/Running', datatype: 'Boolean' }), two, 'already there: not added twice');
    const kept = addMetric('{"timestamp": 5, "metrics": [{"name": "x", "value": "on"}]}', { name: 'Label', datatype: 'String' });
    assert.deepEqual(JSON.parse(kept), { timestamp: 5, metrics: [{ name: 'x', value: 'on' }, { name: 'Label', value: '' }] });
    assert.deepEqual(JSON.parse(addMetric('[1, 2]', { name: 'a', datatype: 'Int32' })), { metrics: [{ name: 'a', value: 0 }] }, 'another shape starts over');
  });

  it('knows the command topics', () => {
    assert.ok(isCommandTopic('spBv1.0/plant/NCMD/edge1'));
    assert.ok(isCommandTopic('spBv1.0/plant/DCMD/edge1/pump'));
    assert.ok(!isCommandTopic('spBv1.0/plant/DCMD/edge1'));
    assert.ok(!isCommandTopic('spBv1.0/plant/NBIRTH/edge1'));
    assert.ok(!isCommandTopic('plant/NCMD/edge1'));
  });
});
