import assert from 'node:assert/strict';
import { formatJson, formatJsonHead, reindent } from '../../src/core/format';
import { makePayload } from '../../bench/formatJson';

describe('format: JSON by viewport (formatJsonHead) and the re-indenter', () => {
  const big = makePayload(200_000, false);
  const bigNumbers = makePayload(50_000, true);

  it('re-indents the bench payloads exactly as JSON.stringify does (2 spaces, a tab, none)', () => {
    assert.equal(reindent(big, 2).pretty, JSON.stringify(JSON.parse(big), null, 2));
    assert.equal(reindent(big, '\t').pretty, JSON.stringify(JSON.parse(big), null, '\t'));
    assert.equal(reindent(big, 0).pretty, JSON.stringify(JSON.parse(big)));
    assert.equal(reindent(big, 2).lossyNumbers, false);
    assert.equal(reindent(bigNumbers, 2).lossyNumbers, true);
  });

  it('grows its buffer for output much longer than the input (nesting)', () => {
    const deep = '['.repeat(600) + '{"a":[1,2.5,"x\\"y"]}' + ']'.repeat(600);
    const r = reindent(deep, 2);
    assert.equal(r.truncated, false);
    assert.equal(r.pretty, JSON.stringify(JSON.parse(deep), null, 2));
  });

  it('stops after maxLines lines, cut at the end of the last one', () => {
    const r = reindent(big, 2, Infinity, 200);
    assert.equal(r.truncated, true);
    const whole = JSON.stringify(JSON.parse(big), null, 2);
    assert.equal(r.pretty, whole.split('\n').slice(0, 200).join('\n'));
    const small = reindent('{"a":[1,2]}', 2, Infinity, 200);
    assert.equal(small.truncated, false);
    assert.equal(small.pretty, '{\n  "a": [\n    1,\n    2\n  ]\n}');
  });

  it('gives the first 200 lines at once and the whole document on demand, the same as formatJson', () => {
    const h = formatJsonHead(big);
    assert.ok(h.ok);
    assert.equal(h.complete, false);
    assert.equal(h.head.split('\n').length, 200);
    const f = formatJson(big);
    assert.ok(f.ok);
    assert.ok(f.pretty.startsWith(h.head + '\n'));
    assert.deepEqual(h.full(), f);
    assert.equal(h.full(), h.full(), 'formatted once');
    assert.deepEqual(h.value, JSON.parse(big));
  });

  it('a short document is complete in its head; lossy numbers and errors as formatJson says them', () => {
    const h = formatJsonHead('{"id":12345678901234567890}');
    assert.ok(h.ok && h.complete);
    assert.equal(h.head, '{\n  "id": 12345678901234567890\n}');
    assert.equal(h.full().lossyNumbers, true);
    const bad = formatJsonHead('{"a":}');
    assert.deepEqual(bad, formatJson('{"a":}'));
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const d = formatJsonHead(deep);
    assert.ok(d.ok);
    assert.equal(d.full().asSent, true, 'a document that would indent past the limit is shown as sent');
  });
});
