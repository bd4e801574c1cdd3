import assert from 'node:assert/strict';
import {
  DIFF_LIMIT_BYTES,
  decodeText,
  extractNumber,
  formatJson,
  formatRate,
  fromBase64,
  fromHex,
  hexDump,
  hexDumpLineCount,
  hexDumpLines,
  isCanonicalNumber,
  isDiffTooLarge,
  isUtf8,
  lineDiff,
  reindentJson,
  shortCount,
  groupDigits,
  suggestNumericPaths,
  toBase64,
  toHex,
  toJsonLine,
  utf8Decode,
  utf8Encode,
} from '../../src/core/format';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('format: bytes', () => {
  it('round-trips UTF-8 with emoji and decodes invalid bytes leniently', () => {
    const s = 'température 🌡️ 25 °C — 温度';
    assert.equal(utf8Decode(utf8Encode(s)), s);
    assert.deepEqual([...utf8Encode('é')], [0xc3, 0xa9]);
    assert.equal(utf8Decode(bytes(0x61, 0xff, 0x62)), 'a\ufffdb');
  });

  it('decodes text, refuses invalid UTF-8 and control characters', () => {
    assert.equal(decodeText(utf8Encode('a\tb\r\nc')), 'a\tb\r\nc');
    assert.equal(decodeText(bytes(0x61, 0x00)), undefined);
    assert.equal(decodeText(bytes(0x1b, 0x5b)), undefined);
    assert.equal(decodeText(bytes(0xc3, 0x28)), undefined);
    assert.equal(decodeText(new Uint8Array(0)), '');
  });

  it('tells valid UTF-8 (control characters included) from invalid bytes', () => {
    assert.equal(isUtf8(utf8Encode('a\u0000b 🌡')), true);
    assert.equal(isUtf8(new Uint8Array(0)), true);
    assert.equal(isUtf8(bytes(0xff)), false);
    assert.equal(isUtf8(utf8Encode('🌡').subarray(0, 3)), false);
  });

  it('tolerates a multi-byte sequence cut at the end only when truncated', () => {
    const emoji = utf8Encode('ok 🌡');
    for (let cut = 1; cut <= 3; cut++) {
      const part = emoji.subarray(0, emoji.length - cut);
      assert.equal(decodeText(part), undefined, `cut ${cut}`);
      assert.equal(decodeText(part, true), 'ok ', `cut ${cut} truncated`);
    }
    assert.equal(decodeText(emoji, true), 'ok 🌡');
    // A bad byte in the middle stays bad even when truncated.
    assert.equal(decodeText(bytes(0x61, 0xff, 0x62), true), undefined);
  });

  it('round-trips base64 for every length and all byte values', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 10; n++) {
      const b = all.subarray(250 - n, 250);
      assert.equal(toBase64(b), Buffer.from(b).toString('base64'));
      assert.deepEqual(fromBase64(toBase64(b)), new Uint8Array(b));
    }
    assert.deepEqual(fromBase64(toBase64(all)), all);
    const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 31) & 255);
    assert.equal(toBase64(big), Buffer.from(big).toString('base64'));
  });

  it('accepts whitespace, missing padding and base64url', () => {
    assert.equal(utf8Decode(fromBase64('aGVs\n bG8=')), 'hello');
    assert.equal(utf8Decode(fromBase64('aGVsbG8')), 'hello');
    assert.deepEqual(fromBase64('-_8'), bytes(0xfb, 0xff));
    assert.deepEqual(fromBase64('+/8='), bytes(0xfb, 0xff));
  });

  it('says where base64 goes wrong', () => {
    assert.throws(() => fromBase64('aGVsbG8gd29y%GQ='), { message: 'Not base64: unexpected character "%" at position 13' });
    assert.throws(() => fromBase64('aGVsb'), /cut short/);
    assert.throws(() => fromBase64('aG=Vs'), /position 4 comes after the "=" padding/);
    assert.throws(() => fromBase64('ab\u0000c'), /U\+0000 at position 3/);
  });

  it('formats and parses hex in the usual notations', () => {
    assert.equal(toHex(bytes(0xa5, 0x01, 0xff)), 'a5 01 ff');
    assert.equal(toHex(bytes(0xa5, 0x01), ''), 'a501');
    assert.equal(toHex(new Uint8Array(0)), '');
    for (const t of ['a5 01 ff', 'a501ff', '0xa5,0x01,0xff', 'A5:01:FF', '\\xa5\\x01\\xff', 'a5 01\nff\r\n', '  0xA501FF ']) {
      assert.deepEqual(fromHex(t), bytes(0xa5, 0x01, 0xff), t);
    }
    assert.deepEqual(fromHex(''), new Uint8Array(0));
  });

  it('says where hex goes wrong', () => {
    assert.throws(() => fromHex('a5 0g ff'), { message: 'Not hex: unexpected character "g" at position 5; use the digits 0-9 and a-f' });
    assert.throws(() => fromHex('a5 1 ff'), /"1" at position 4 has an odd number of digits \(1\)/);
    assert.throws(() => fromHex('a5f'), /odd number of digits \(3\)/);
    assert.throws(() => fromHex('0x'), /no digits/);
  });
});

describe('format: JSON', () => {
  it('pretty-prints like JSON.stringify for ordinary JSON', () => {
    const samples = ['{"a":1,"b":[1,2,{"c":null}],"d":{},"e":[],"f":"x"}', '[]', '"s"', '25.5', ' { "k" : [ true , false ] } ', '[[[]],[{}]]'];
    for (const s of samples) {
      const r = formatJson(s);
      assert.ok(r.ok, s);
      assert.equal(r.pretty, JSON.stringify(JSON.parse(s), null, 2), s);
      assert.deepEqual(r.value, JSON.parse(s));
      assert.equal(r.lossyNumbers, undefined);
      assert.equal(reindentJson(s, 4), JSON.stringify(JSON.parse(s), null, 4));
      assert.equal(reindentJson(s, 0), JSON.stringify(JSON.parse(s)));
      assert.equal(reindentJson(s, '\t'), JSON.stringify(JSON.parse(s), null, '\t'));
    }
  });

  it('keeps number literals that JSON.parse would change', () => {
    const r = formatJson('{"id":12345678901234567890,"scale":1.0,"big":1e3,"neg":-0,"ok":25.5}');
    assert.ok(r.ok);
    assert.equal(r.pretty, '{\n  "id": 12345678901234567890,\n  "scale": 1.0,\n  "big": 1e3,\n  "neg": -0,\n  "ok": 25.5\n}');
    assert.equal(r.lossyNumbers, true);
    assert.equal((r.value as { id: number }).id, 12345678901234567000);
    for (const [lit, canonical] of [['0', true], ['-1.5', true], ['123456789012345', true], ['0.000001', true], ['1e-7', true], ['1.0', false], ['2.50', false], ['1E3', false], ['0.0000001', false], ['9007199254740993', false], ['-0', false], ['-0.0', false]] as const) {
      assert.equal(isCanonicalNumber(lit), canonical, lit);
    }
  });

  it('keeps string escapes, unicode and duplicate keys as sent', () => {
    const s = '{"n":"caf\\u00e9 \\"q\\" \\\\","e":"🌡️ 温度","d":1,"d":2,"s":"a\\\\"}';
    const r = formatJson(s);
    assert.ok(r.ok);
    assert.equal(r.pretty, '{\n  "n": "caf\\u00e9 \\"q\\" \\\\",\n  "e": "🌡️ 温度",\n  "d": 1,\n  "d": 2,\n  "s": "a\\\\"\n}');
    assert.deepEqual(r.value, { n: 'café "q" \\', e: '🌡️ 温度', d: 2, s: 'a\\' });
  });

  it('formats a large document the same way as JSON.stringify when nothing would change', () => {
    const value = { readings: Array.from({ length: 3000 }, (_, i) => ({ i, t: i / 4, name: `sensor ${i} “ü” \n`, nested: { ok: i % 2 === 0, list: [i, -i, null] } })) };
    const text = JSON.stringify(value);
    const r = formatJson(text);
    assert.ok(r.ok);
    assert.equal(r.pretty, JSON.stringify(value, null, 2));
  });

  it('reports errors in plain words with line and column', () => {
    const cases: [string, number, number, RegExp][] = [
      ['{"a": 1,\n  "b": }', 2, 8, /Expected a value/],
      ['{"a": 1,}', 1, 8, /Trailing comma/],
      ['{\n  "a" 1\n}', 2, 7, /Expected ":" after the property name, found '1'/],
      ['[1, 2', 1, 6, /ends inside an array: a closing \] is missing/],
      ["{'a': 1}", 1, 2, /Expected a property name in double quotes/],
      ['{"a": tru}', 1, 7, /Unexpected word "tru"/],
      ['{"a": "x\ny"}', 1, 9, /Strings cannot contain a line break/],
      ['[1] x', 1, 5, /after the end of the JSON value/],
      ['', 1, 1, /empty/],
      ['{"a": 01}', 1, 7, /leading zeros/],
      ['{"a": NaN}', 1, 7, /NaN is not a JSON value/],
      ['"abc', 1, 1, /never closed/],
      ['{"a":"\\q"}', 1, 7, /"\\q" is not a JSON escape/],
      ['{"a":1 "b":2}', 1, 8, /Expected "," or '}' after a property value/],
    ];
    for (const [text, line, column, message] of cases) {
      const r = formatJson(text);
      assert.equal(r.ok, false, text);
      if (!r.ok) {
        assert.match(r.error, message, text);
        assert.match(r.error, /^Invalid JSON: /);
        assert.deepEqual([r.line, r.column], [line, column], `${text}: ${r.error}`);
        assert.match(r.error, new RegExp(`\\(line ${line}, column ${column}\\)$`));
      }
    }
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = ['{"a":[1,2,{"b":"c"}]}', '[1,]', '{"a":1e}', '{"a":-}', '[1.]', '"\\u12g4"', '[true false]', '{"a" "b"}', '\ufeff{}', '[-0.0e+5]', '{,}', '[,1]', '{"a":1,,"b":2}'];
    for (const s of samples) {
      let valid = true;
      try {
        JSON.parse(s);
      } catch {
        valid = false;
      }
      assert.equal(formatJson(s).ok, valid, s);
    }
  });
});

describe('format: hex dump', () => {
  it('lays out lines exactly like hexdump -C', () => {
    const b = utf8Encode('{"temp": 25.5}\n\u0000');
    assert.equal(hexDump(b), '00000000  7b 22 74 65 6d 70 22 3a  20 32 35 2e 35 7d 0a 00  |{"temp": 25.5}..|');
    const two = Uint8Array.from({ length: 20 }, (_, i) => 0x41 + i);
    assert.equal(
      hexDump(two),
      '00000000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n' + '00000010  51 52 53 54                                       |QRST|',
    );
    assert.equal(hexDump(bytes(0x7e, 0x7f, 0x20, 0x1f, 0xff)), '00000000  7e 7f 20 1f ff                                    |~. ..|');
    assert.equal(hexDump(new Uint8Array(0)), '');
  });

  it('dumps a window with absolute offsets and says what is left out', () => {
    const b = Uint8Array.from({ length: 100 }, (_, i) => i);
    const d = hexDump(b, { offset: 32, maxBytes: 20 }).split('\n');
    assert.equal(d.length, 3);
    assert.ok(d[0]!.startsWith('00000020  20 21 22'));
    assert.ok(d[1]!.startsWith('00000030  30 31 32 33  '));
    assert.equal(d[2], '… 48 more bytes not shown');
  });

  it('renders any window of lines for virtualised views', () => {
    const b = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
    const all = hexDump(b).split('\n');
    assert.equal(hexDumpLineCount(b.length), all.length);
    assert.deepEqual(hexDumpLines(b, 10, 5), all.slice(10, 15));
    assert.deepEqual(hexDumpLines(b, 60, 10), all.slice(60));
    assert.deepEqual(hexDumpLines(b, 100, 10), []);
  });
});

describe('format: diff', () => {
  it('diffs two JSON documents line by line', () => {
    const before = JSON.stringify({ temp: 25.5, unit: 'C', ok: true }, null, 2);
    const after = JSON.stringify({ temp: 26, unit: 'C', ok: true }, null, 2);
    assert.deepEqual(lineDiff(before, after), [
      { kind: 'same', text: '{' },
      { kind: 'removed', text: '  "temp": 25.5,' },
      { kind: 'added', text: '  "temp": 26,' },
      { kind: 'same', text: '  "unit": "C",' },
      { kind: 'same', text: '  "ok": true' },
      { kind: 'same', text: '}' },
    ]);
    assert.deepEqual(lineDiff('a\nb\n', 'a\nb\nc\n'), [
      { kind: 'same', text: 'a' },
      { kind: 'same', text: 'b' },
      { kind: 'added', text: 'c' },
    ]);
    assert.deepEqual(lineDiff('', 'x'), [{ kind: 'added', text: 'x' }]);
    assert.deepEqual(lineDiff('same', 'same'), [{ kind: 'same', text: 'same' }]);
  });

  it('gives up on huge inputs with one removed and one added entry', () => {
    const big = 'x'.repeat(DIFF_LIMIT_BYTES + 1);
    assert.ok(isDiffTooLarge(big, 'y'));
    assert.deepEqual(lineDiff(big, 'y'), [
      { kind: 'removed', text: big },
      { kind: 'added', text: 'y' },
    ]);
    const manyLines = Array.from({ length: 6000 }, (_, i) => String(i)).join('\n');
    assert.ok(isDiffTooLarge('a', manyLines));
    assert.equal(lineDiff('a', manyLines).length, 2);
    assert.ok(!isDiffTooLarge('a\nb', 'c'));
  });
});

describe('format: numbers', () => {
  it('reads a plain number payload', () => {
    assert.equal(extractNumber('25.5'), 25.5);
    assert.equal(extractNumber(' -3 \n'), -3);
    assert.equal(extractNumber('1e3'), 1000);
    assert.equal(extractNumber('+.5'), 0.5);
    for (const t of ['', 'abc', '25 °C', '0x10', 'NaN', 'Infinity', 'true', '"5"', '1,5']) {
      assert.equal(extractNumber(t), undefined, t);
    }
  });

  it('reads a number at a JSON path, numbers only', () => {
    const doc = JSON.stringify({ temperature: 21.5, data: { temp: -4 }, readings: [{ value: 7 }, { value: '8' }], flag: true, 'a b': { c: 3 }, s: '12' });
    assert.equal(extractNumber(doc, 'temperature'), 21.5);
    assert.equal(extractNumber(doc, 'data.temp'), -4);
    assert.equal(extractNumber(doc, '$.data.temp'), -4);
    assert.equal(extractNumber(doc, 'readings[0].value'), 7);
    assert.equal(extractNumber(doc, '$.readings[0].value'), 7);
    assert.equal(extractNumber(doc, '["a b"].c'), 3);
    assert.equal(extractNumber(doc, "$['a b'].c"), 3);
    assert.equal(extractNumber(doc, 'readings[1].value'), undefined);
    assert.equal(extractNumber(doc, 'flag'), undefined);
    assert.equal(extractNumber(doc, 's'), undefined);
    assert.equal(extractNumber(doc, 'missing.x'), undefined);
    assert.equal(extractNumber(doc, 'readings[9].value'), undefined);
    assert.equal(extractNumber(doc, 'data..temp'), undefined);
    assert.equal(extractNumber('not json', 'a'), undefined);
    assert.equal(extractNumber('42', '$'), 42);
  });

  it('suggests numeric leaf paths for a chart', () => {
    const value = { device: 'x', temp: 21.5, data: { hum: 40, ok: true, 'co₂ ppm': 410 }, readings: [{ v: 1 }, { v: 2 }, { v: 3 }, { v: 4 }] };
    assert.deepEqual(suggestNumericPaths(value), ['temp', 'data.hum', 'data["co₂ ppm"]', 'readings[0].v', 'readings[1].v', 'readings[2].v']);
    assert.deepEqual(suggestNumericPaths(value, 2), ['temp', 'data.hum']);
    assert.deepEqual(suggestNumericPaths(5), ['$']);
    assert.deepEqual(suggestNumericPaths('x'), []);
    for (const p of suggestNumericPaths(value)) {
      assert.equal(typeof extractNumber(JSON.stringify(value), p), 'number', p);
    }
  });
});

describe('format: JSON lines', () => {
  it('writes text payloads as text, binary as base64, byte arrays in properties as base64', () => {
    const line = toJsonLine({
      time: Date.UTC(2024, 4, 1, 12, 0, 0),
      topic: 'sensors/1',
      qos: 1,
      retain: false,
      size: 5,
      payload: utf8Encode('héllo'.slice(0, 4)),
      properties: { correlationData: bytes(1, 2, 3), contentType: 'text/plain', userProperties: { a: 'b' } },
    });
    assert.equal(
      line,
      '{"time":"2024-05-01T12:00:00.000Z","topic":"sensors/1","qos":1,"retain":false,"size":5,"properties":{"correlationData":"AQID","contentType":"text/plain","userProperties":{"a":"b"}},"payload":"héll"}',
    );
    const bin = JSON.parse(toJsonLine({ time: 0, topic: 'q', exchange: '', redelivered: true, size: 10, payload: bytes(0, 0xff), truncated: true, headers: { x: Buffer.from([9]) } })) as Record<string, unknown>;
    assert.deepEqual(bin, { time: '1970-01-01T00:00:00.000Z', topic: 'q', exchange: '', redelivered: true, size: 10, truncated: true, headers: { x: 'CQ==' }, payloadBase64: 'AP8=' });
    const cut = utf8Encode('ab🌡').subarray(0, 4);
    assert.equal((JSON.parse(toJsonLine({ time: 0, topic: 't', size: 6, payload: cut, truncated: true })) as { payload: string }).payload, 'ab');
    assert.ok(!toJsonLine({ time: 0, topic: 't', size: 3, payload: utf8Encode('a\nb') }).includes('\n'));
  });

  it('adds the decoded value beside the bytes when a codec decoded them', () => {
    const line = JSON.parse(toJsonLine({ time: 0, topic: 't', size: 2, payload: bytes(0x81, 0xa1), decoded: { codec: 'Protobuf', schema: 'demo.Reading', value: { id: 7n, raw: bytes(1) } } })) as Record<string, unknown>;
    assert.equal(line.payloadBase64, 'gaE=');
    assert.deepEqual(line.decoded, { codec: 'Protobuf', schema: 'demo.Reading', value: { id: '7', raw: 'AQ==' } });
  });
});

describe('short counts and rates (tree rows, status bar)', () => {
  it('keeps exact figures below 10,000 and shortens above', () => {
    assert.equal(shortCount(0), '0');
    assert.equal(shortCount(9_999), '9,999');
    assert.equal(shortCount(10_000), '10K');
    assert.equal(shortCount(561_147), '561.1K');
    assert.equal(shortCount(1_250_000), '1.3M');
  });

  it('writes what Intl.NumberFormat writes (en-US, compact, one decimal), without loading Intl', () => {
    const intl = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
    const oracle = (n: number): string => (Math.abs(Math.round(n)) < 10_000 ? Math.round(n).toLocaleString('en-US') : intl.format(Math.round(n)));
    // Edges: units, rounding to the next unit, halves, negatives; then a spread of every magnitude.
    const values = [0, 1, -1, 999, 1_000, 9_999, 9_999.5, 10_000, 10_049, 10_050, 10_051, 12_250, 99_950, 99_949, 999_949, 999_950, 999_999, 1_000_000, 1_049_999, 1_050_000,
      999_950_000, 1e9, 1.25e9, 999_950_000_000, 1e12, 123_456_789_012_345, -10_000, -12_345, -999_950, -2.5e9, 1e15, 9.5e15];
    let seed = 19;
    for (let i = 0; i < 5_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      values.push(Math.floor((seed / 2 ** 31) * 10 ** (1 + (i % 14))) * (i % 7 === 0 ? -1 : 1) || 0);
    }
    for (const n of values) {
      assert.equal(shortCount(n), oracle(n), String(n));
    }
    assert.equal(groupDigits(1_234_567), (1_234_567).toLocaleString('en-US'));
    assert.equal(groupDigits(-1_000), '-1,000');
    assert.equal(groupDigits(100), '100');
  });

  it('shows a rate only from one message a second', () => {
    assert.equal(formatRate(0), undefined);
    assert.equal(formatRate(0.9), undefined);
    assert.equal(formatRate(Number.NaN), undefined);
    assert.equal(formatRate(1), '1/s');
    assert.equal(formatRate(59_443.4), '59.4K/s');
  });
});
