import assert from 'node:assert/strict';
import { topicTest } from '../../src/core/inspect/topicTest';
import { TopicFilter } from '../../src/core/mqtt/topicFilter';

describe('inspector: the topic test of a feed agrees with TopicFilter', () => {
  const filters = ['a/b', 'a/b/#', 'a/#', '/#', '#', '+/b', 'a/+/c', '$SYS/#', 'a/b/', 'a//#', 'sensors/temp'];
  const topics = ['a', 'a/b', 'a/b/c', 'a/bc', 'a/b/', 'a/', '/a', '/', 'b', '$SYS/broker', '$SYS', 'x/b', 'a/x/c', 'a//c', 'a//', 'sensors/temp', 'sensors/temp/x', 'ab/c'];
  for (const f of filters) {
    it(`filter ${f}`, () => {
      const fast = topicTest(f);
      const slow = new TopicFilter(f);
      for (const t of topics) {
        assert.equal(fast(t), slow.matches(t), `${f} on ${t}`);
      }
    });
  }
});
