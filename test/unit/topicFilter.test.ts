import assert from 'node:assert/strict';
import { TopicFilter, topicMatches } from '../../src/core/mqtt/topicFilter';
import { validateFilter, validateTopic } from '../../src/core/brokers/subscriptions';
import { TopicSearch } from '../../src/core/mqtt/topicSearch';

describe('topic filters', () => {
  const cases: [string, string, boolean][] = [
    ['#', 'a/b/c', true],
    ['#', '/weather/station01/temperature', true],
    ['/weather/#', '/weather/station01/temperature', true],
    ['weather/#', '/weather/station01/temperature', false],
    ['+/weather/+/temperature', '/weather/station01/temperature', true],
    ['/weather/+', '/weather/station01/temperature', false],
    ['a/#', 'a', true], // "#" includes the parent level
    ['a/+', 'a/', true], // an empty level is a level
    ['a/+', 'a', false],
    ['+', '/a', false],
    ['+/+', '/a', true],
    ['#', '$SYS/broker/uptime', false], // $ topics are not matched by leading wildcards
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/c', false],
  ];
  for (const [filter, topic, expected] of cases) {
    it(`${filter} ${expected ? 'matches' : 'does not match'} ${topic}`, () => {
      assert.equal(topicMatches(filter, topic), expected);
    });
  }

  it('rejects malformed filters with a reason', () => {
    assert.match(validateFilter('a/#/b')!, /last one/);
    assert.match(validateFilter('a/b#')!, /whole level/);
    assert.match(validateFilter('a/b+/c')!, /whole level/);
    assert.match(validateFilter('')!, /empty/);
    assert.equal(validateFilter('/weather/+/temperature'), undefined);
    assert.throws(() => new TopicFilter('a/#/b'), /last one/);
  });

  it('rejects topics with wildcards for publishing', () => {
    assert.match(validateTopic('a/+')!, /wildcards/);
    assert.equal(validateTopic('/weather/station01/temperature'), undefined);
  });

  it('prunes subtrees that cannot match', () => {
    const f = new TopicFilter('/weather/+/temperature');
    assert.equal(f.couldMatchBelow(['']), true);
    assert.equal(f.couldMatchBelow(['', 'weather', 'station01']), true);
    assert.equal(f.couldMatchBelow(['factory']), false);
    assert.equal(f.couldMatchBelow(['', 'weather', 'station01', 'temperature', 'x']), false);
    assert.equal(new TopicFilter('#').couldMatchBelow(['$SYS']), false);
  });
});

describe('subscription lists', () => {
  it('parse "filter:qos" lists and format them back', async () => {
    const { parseSubscriptions, formatSubscriptions } = await import('../../src/core/brokers/subscriptions');
    const subs = parseSubscriptions('#, $SYS/#:0, sensors/+/temperature:2');
    assert.deepEqual(subs, [
      { filter: '#', qos: 0 },
      { filter: '$SYS/#', qos: 0 },
      { filter: 'sensors/+/temperature', qos: 2 },
    ]);
    assert.equal(formatSubscriptions(subs as never), '#:0, $SYS/#:0, sensors/+/temperature:2');
    assert.match(parseSubscriptions('a/#/b') as string, /^a\/#\/b: .*last one/);
    assert.match(parseSubscriptions(' , ') as string, /at least one/);
  });
});

describe('Filter Topics search', () => {
  it('uses a wildcard query as a topic filter', () => {
    const s = new TopicSearch('+/weather/#');
    assert.equal(s.matches('/weather/station01/temperature'), true);
    assert.equal(s.matches('weather/station01'), false, 'a filter, not a text: "weather/station01" has no empty first level');
  });

  it('finds text case-insensitively when the query has no wildcard', () => {
    const s = new TopicSearch('Station01');
    assert.equal(s.matches('/weather/station01/temperature'), true);
    assert.equal(s.matches('/weather/station02/temperature'), false);
  });

  it('falls back to text when a wildcard query is not a valid filter', () => {
    const s = new TopicSearch('a/#/b');
    assert.equal(s.matches('x/a/#/b/y'), true);
    assert.equal(s.matches('a/c/b'), false);
  });
});
