// Message files never throw: 2,000 random and mutated files go through parse, check, resolve and
// completion; every problem has a sane position.
import assert from 'node:assert/strict';
import { mutate, randomText, rng, type MutationMix, type TextMix } from '../support/fuzz';
import { checkMessageFile, completionContextAt, formatTargetUrl, parseMessageFile, parseTargetUrl, resolveBlock, splitLines, type ResolveEnv } from '../../src/core/messageFiles';
import { outcome } from '../support/reliability';

const CASES = 10_000;

const SEEDS = [
  '@temp = 21.5\n### Station reading\nPUBLISH mqtt://local/weather/station01/temperature\nQoS: 1\nRetain: false\nContent-Type: application/json\nUser-Property: site=north\n\n{"temperature": {{temp}}, "ts": "{{$isoTimestamp}}"}\n',
  'PUBLISH amqp://local-rabbit/logs\r\nRouting-Key: info\r\nHeader: "a=b"=c\r\nDelivery-Mode: 2\r\nVhost: /\r\nRepeat: 3\r\nInterval: 1s\r\n\r\n< ./payload.bin\r\n',
  '# c\n// c\n@a = {{b}}\n@b = {{$randomInt 0 10}}\nSUBSCRIBE mqtt://"my/broker"/weather/#\n###\nSUBSCRIBE amqp://local-rabbit/x\nRouting-Key: #\n',
  'PUBLISH mqtt://local//a/"b"\n\n<@ ../t.json\n### x\npublish amqp://r/\nRouting-Key: {{$env Q}}\n\n{{$uuid}} \\{{ {{ }} {{$nope 1}}\n',
];

const WORDS = ['PUBLISH', 'SUBSCRIBE', 'mqtt://', 'amqp://', '"', '\\', '/', '//', '###', '#', '@', '=', ':', '{{', '}}', '{{$env X}}', '{{$randomInt', '<', '<@ ', 'QoS', 'Retain', 'Header', 'User-Property', 'Routing-Key', 'Repeat', 'Interval', 'Vhost', 'Content-Type: application/json', '\n', '\r\n', '\r', '\n\n', ' ', '\t', '\0', '\u00e9', '\ud83d\ude00', '\ud800', '+', '%', '[', '{', '}', '1', '999999999999'];

const TEXT: TextMix = { words: WORDS, ascii: 0.3, word: 0.9, space: 0.9 };
const MUTATION: MutationMix = { text: TEXT, remove: 0.35, insert: 0.8, insertMax: 4, copy: 1 };

describe('message files: fuzz', () => {
  it('2,000 random and mutated files never throw, and positions stay on their lines', () => {
    const r = rng(20240501);
    const env: ResolveEnv = {
      readFile: (p) => (p.endsWith('.bin') ? new Uint8Array([0, 255, 1]) : new TextEncoder().encode('{"x": {{a}}}')),
      getEnv: (n) => (n === 'X' ? 'x' : undefined),
      now: () => new Date(0),
      random: r,
      uuid: () => 'u',
      baseDir: '/w',
      trusted: r() < 0.5,
    };
    const context = { connections: [{ name: 'local', kind: 'mqtt' as const }, { name: 'local-rabbit', kind: 'amqp' as const, vhost: '/' }] };
    let blocks = 0;
    let resolved = 0;
    for (let i = 0; i < CASES; i++) {
      const seed = SEEDS[i % SEEDS.length]!;
      const text = i % 4 === 3 ? randomText(r, Math.floor(r() * 200), TEXT) : mutate(r, seed, MUTATION);
      const where = `case ${i}: ${JSON.stringify(text)}`;
      const file = parseMessageFile(text);
      const lines = splitLines(text);
      assert.equal(file.lineCount, lines.length, where);
      const problems = [...file.problems, ...checkMessageFile(file, context)];
      for (const p of problems) {
        assert.ok(p.line >= 0 && p.line < lines.length, `${where}: line ${p.line}`);
        assert.ok(p.start >= 0 && p.start <= p.end && p.end <= lines[p.line]!.length + 1, `${where}: ${JSON.stringify(p)}`);
        assert.ok(p.message.length > 0, where);
      }
      for (const b of file.blocks) {
        blocks++;
        assert.ok(b.range.startLine <= b.requestLine && b.requestLine <= b.range.endLine && b.range.endLine < lines.length, where);
        const res = resolveBlock(file, b, env);
        if (!('error' in res)) {
          resolved++;
          assert.ok(res.repeat >= 1, where);
        }
        const line = lines[b.requestLine]!;
        completionContextAt(file, line, b.requestLine, Math.floor(r() * (line.length + 1)));
        const url = parseTargetUrl(formatTargetUrl(b.scheme, b.connection.name, b.target.text));
        assert.equal(url.connection.name, b.connection.name, where);
        assert.equal(url.target.text, b.target.text, where);
      }
    }
    assert.ok(blocks > 2500, `enough blocks were exercised (${blocks})`);
    assert.ok(resolved > 250, `some resolved (${resolved})`);
    outcome('Fuzzing', `${CASES.toLocaleString('en-US')} random and mutated .mqtt / .amqp message files`, `Parser, checker, resolver, completion and URL round trip never threw; ${blocks.toLocaleString('en-US')} blocks parsed, ${resolved.toLocaleString('en-US')} resolved; every problem has a sane range and a message.`);
  });

  it('a 5,000-line file parses and checks into the expected blocks', () => {
    const block = (k: number) => `### reading ${k}\nPUBLISH mqtt://local/weather/station${k}/temperature\nQoS: 1\nContent-Type: application/json\nUser-Property: site=north\n\n{"temperature": {{temp}}, "ts": "{{$isoTimestamp}}"}\n`;
    const text = '@temp = 21.5\n' + Array.from({ length: 715 }, (_, k) => block(k)).join('');
    const file = parseMessageFile(text);
    assert.ok(file.lineCount > 5000);
    assert.equal(file.blocks.length, 715);
    assert.deepEqual(file.problems, []);
    assert.deepEqual(checkMessageFile(file, { connections: [{ name: 'local', kind: 'mqtt' }] }), []);
  });
});
