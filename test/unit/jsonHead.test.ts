import assert from 'node:assert/strict';
import { formatJson, formatJsonHead, reindent } from '../../src/core/format';
import { reindentBySlices } from '../../src/core/format/jsonReindent';
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

  describe('the slice re-indenter of the webviews (reindentBySlices) gives what the buffer one gives', () => {
    /** Random JSON text: nesting, empty containers, escapes, astral and other non-ASCII, odd whitespace, lossy numbers. */
    const random = (seed: number): string => {
      let s = seed;
      const rnd = (k: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % k);
      const ws = () => ['', '', '', ' ', '\n  ', '\t', '\r\n'][rnd(7)]!;
      const strings = ['', 'a', 'x\\"y', '\\\\', 'Kühl', '温度', '🌡️', '\\u00e9', 'tab\\t', '\\\\\\"'];
      const numbers = ['0', '-1', '25.5', '1.0', '1e3', '-0', '12345678901234567890', '3.14159', '100'];
      const value = (depth: number): string => {
        const k = depth > 5 ? rnd(4) : rnd(7);
        switch (k) {
          case 0:
            return `"${strings[rnd(strings.length)]}"`;
          case 1:
            return numbers[rnd(numbers.length)]!;
          case 2:
            return ['true', 'false', 'null'][rnd(3)]!;
          case 3:
            return rnd(2) ? `[${ws()}]` : `{${ws()}}`;
          case 4:
          case 5: {
            // Keys unique and never integer-like, so JSON.stringify keeps them in order.
            const items = Array.from({ length: 1 + rnd(4) }, (_, idx) => `${ws()}"${strings[rnd(strings.length)]}_${idx}"${ws()}:${ws()}${value(depth + 1)}${ws()}`);
            return `{${items.join(',')}}`;
          }
          default: {
            const items = Array.from({ length: 1 + rnd(4) }, () => `${ws()}${value(depth + 1)}${ws()}`);
            return `[${items.join(',')}]`;
          }
        }
      };
      return `${ws()}${value(0)}${ws()}`;
    };

    it('over 400 random documents, each with 2 spaces, a tab, none and a long unit, whole and cut at every few characters and lines', () => {
      let cuts = 0;
      for (let seed = 1; seed <= 400; seed++) {
        const text = random(seed);
        JSON.parse(text); // the generator makes valid JSON only
        for (const indent of [2, '\t', 0, 'ab--']) {
          const whole = reindent(text, indent);
          assert.deepEqual(reindentBySlices(text, indent), whole, `${text} with ${JSON.stringify(indent)}`);
          if (indent === 2 && !whole.lossyNumbers && !text.includes('\\u')) {
            // (\u escapes are kept as sent, where JSON.stringify writes the character)
            assert.equal(whole.pretty, JSON.stringify(JSON.parse(text), null, 2));
          }
          for (let maxChars = 1; maxChars < whole.pretty.length + 2; maxChars += 1 + (maxChars >> 2)) {
            assert.deepEqual(reindentBySlices(text, indent, maxChars), reindent(text, indent, maxChars), `${text} cut at ${maxChars} characters`);
            cuts++;
          }
          for (let maxLines = 1; maxLines < 12; maxLines++) {
            assert.deepEqual(reindentBySlices(text, indent, Infinity, maxLines), reindent(text, indent, Infinity, maxLines), `${text} cut at ${maxLines} lines`);
          }
        }
      }
      assert.ok(cuts > 5000, `cuts compared: ${cuts}`);
    });

    it('both: an indent of an astral character as JSON.stringify writes it, a cut never between the halves of a pair, a last token past the limit said to be cut', () => {
      for (const f of [reindent, reindentBySlices]) {
        assert.equal(f('{"a":[1]}', '🙂').pretty, JSON.stringify({ a: [1] }, null, '🙂'), f.name);
        // '"' then 🙂 (two code units): a cut at 2 would keep half of it.
        assert.deepEqual(f('"🙂🙂"', 2, 2), { pretty: '"', lossyNumbers: false, truncated: true }, f.name);
        assert.deepEqual(f('"🙂🙂"', 2, 3), { pretty: '"🙂', lossyNumbers: false, truncated: true }, f.name);
        // One token, longer than the limit: the loop ends, yet the text is cut.
        assert.deepEqual(f('"a long string"', 2, 5), { pretty: '"a lo', lossyNumbers: false, truncated: true }, f.name);
        assert.deepEqual(f('"abc"', 2, 5), { pretty: '"abc"', lossyNumbers: false, truncated: false }, f.name);
      }
    });

    it('the bench payloads and deep nesting, whole and by viewport', () => {
      for (const text of [big, bigNumbers, '['.repeat(600) + '{"a":[1,2.5,"x\\"y"]}' + ']'.repeat(600)]) {
        assert.deepEqual(reindentBySlices(text, 2), reindent(text, 2));
        assert.deepEqual(reindentBySlices(text, 2, Infinity, 200), reindent(text, 2, Infinity, 200));
        assert.deepEqual(reindentBySlices(text, 2, 5000), reindent(text, 2, 5000));
      }
    });
  });
});

