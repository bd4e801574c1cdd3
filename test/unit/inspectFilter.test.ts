import assert from 'node:assert/strict';
import { parseFilter } from '../../webview/inspect/filter';

const match = (input: string, topic: string, text?: string): boolean => {
  const f = parseFilter(input);
  assert.ok(f.ok, `filter ${input} should parse`);
  return f.test(topic, () => text);
};

describe('inspector filter', () => {
  it('is empty for blank input and matches everything', () => {
    const f = parseFilter('   ');
    assert.ok(f.ok && f.empty);
    assert.ok(match('', 'a/b', undefined));
  });

  it('matches plain text case-insensitively in the topic or the payload text', () => {
    assert.ok(match('Kitchen', 'home/kitchen/temp', '21'));
    assert.ok(match('ALARM', 'home/door', '{"state":"alarm"}'));
    assert.ok(!match('garage', 'home/door', '{"state":"alarm"}'));
    assert.ok(!match('garage', 'home/door', undefined), 'binary payloads match on the topic only');
  });

  it('takes /regex/flags', () => {
    assert.ok(match('/^home\\/k/', 'home/kitchen', ''));
    assert.ok(!match('/^Home/', 'home/kitchen', ''));
    assert.ok(match('/^Home/i', 'home/kitchen', ''));
    assert.ok(match('/temp":\\s*2\\d/', 'x', '{"temp": 23}'));
  });

  it('drops the stateful g and y flags', () => {
    const f = parseFilter('/a/g');
    assert.ok(f.ok);
    assert.ok(f.test('a', () => undefined));
    assert.ok(f.test('a', () => undefined), 'a second test must not resume from lastIndex');
  });

  it('reports an invalid regex instead of throwing', () => {
    const f = parseFilter('/(unclosed/');
    assert.equal(f.ok, false);
    assert.match(f.ok ? '' : f.error, /Invalid regular expression/);
    const empty = parseFilter('//');
    assert.equal(empty.ok, false);
  });

  it('treats a lone slash or slashes in topics as text', () => {
    assert.ok(match('/', 'a/b', ''));
    assert.ok(match('a/b', 'x/a/b/c', ''));
  });

  it('does not evaluate payload text when the topic already matches', () => {
    const f = parseFilter('door');
    assert.ok(f.ok);
    assert.ok(f.test('home/door', () => assert.fail('payload text should not be decoded')));
  });
});
