// Completion in EXPECT sections: the contexts (header names, values, the JSON path of an Assert
// line), the paths a JSON value offers, and the newest message of the topics a filter matches.
import assert from 'node:assert/strict';
import { completionContextAt, parseMessageFile } from '../../src/core/messageFiles';
import { jsonPathsOf } from '../../src/core/messageFiles/expect';
import { TopicModel } from '../../src/core/mqtt/topicModel';

describe('message files: completion in EXPECT sections', () => {
  const lines = ['PUBLISH mqtt://local/dev/cmd', '', '{"cmd": 1}', '', 'EXPECT mqtt://local/dev/+/ack', 'Wit', 'Count: ex', 'Assert: $.st', 'Assert: exists $.i', 'Assert: $.a == ', 'Assert: $[?@.k == 1].', '', '{"expected": 1}'];
  const f = parseMessageFile(lines.join('\n'));
  const at = (line: number, ch = lines[line]!.length) => completionContextAt(f, lines[line]!, line, ch);

  it('offers EXPECT header names and values on its header lines', () => {
    assert.deepEqual(at(5), { kind: 'expectHeaderName', expectation: f.blocks[0]!.expectations[0], prefix: 'Wit', start: 0 });
    const v = at(6);
    assert.equal(v?.kind, 'expectHeaderValue');
    assert.equal(v.kind === 'expectHeaderValue' && `${v.header}|${v.prefix}|${v.start}`, 'Count|ex|7');
  });

  it('offers JSON paths in an Assert line until its operator, after exists too, inside filters', () => {
    const p = at(7);
    assert.equal(p?.kind === 'jsonPath' && `${p.prefix}|${p.start}|${p.expectation.target.text}`, '$.st|8|dev/+/ack');
    const e = at(8);
    assert.equal(e?.kind === 'jsonPath' && `${e.prefix}|${e.start}`, '$.i|15');
    assert.equal(at(9), undefined, 'after the operator comes a value, not a path');
    const filter = at(10);
    assert.equal(filter?.kind === 'jsonPath' && filter.prefix, '$[?@.k == 1].');
  });

  it('offers nothing special in the expected payload or the published body', () => {
    assert.equal(at(12), undefined);
    assert.equal(at(2), undefined);
  });

  it('lists the paths of a JSON value: members, nested, first array element, odd keys quoted', () => {
    const paths = jsonPathsOf({ status: 'ok', temp: { c: 21.5 }, items: [{ id: 1 }, { id: 2 }], 'odd key': true, empty: [] });
    assert.deepEqual(
      paths.map((p) => `${p.path}=${p.preview}`),
      ['$.status="ok"', '$.temp={"c":21.5}', '$.temp.c=21.5', '$.items=[{"id":1},{"id":2}]', '$.items[0]={"id":1}', '$.items[0].id=1', '$["odd key"]=true', '$.empty=[]'],
    );
    assert.deepEqual(jsonPathsOf(42), []);
    assert.equal(jsonPathsOf(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]))).length, 200);
  });

  it('finds the newest last message of the topics a filter matches', () => {
    const m = new TopicModel();
    const enc = (s: string) => new TextEncoder().encode(s);
    m.add('dev/a/ack', enc('{"n":1}'), 0, false, 1000);
    m.add('dev/b/ack', enc('{"n":2}'), 0, false, 2000);
    m.add('dev/c/other', enc('{"n":3}'), 0, false, 3000);
    m.add('elsewhere/ack', enc('{"n":4}'), 0, false, 4000);
    const found = m.lastMatching('dev/+/ack');
    assert.equal(found?.topic, 'dev/b/ack');
    assert.equal(new TextDecoder().decode(found.message.payload), '{"n":2}');
    assert.equal(m.lastMatching('dev/a/ack')?.topic, 'dev/a/ack');
    assert.equal(m.lastMatching('#')?.topic, 'elsewhere/ack');
    assert.equal(m.lastMatching('nothing/+'), undefined);
    assert.equal(m.lastMatching('bad/#/x'), undefined);
  });
});
