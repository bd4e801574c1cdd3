import assert from 'node:assert/strict';
import { flagsLegend, gapFlag, messageFlags } from '../../webview/inspect/flags';

describe('inspector: the Flags column', () => {
  it('a peeked message says it was returned to the queue (now redelivered), whatever the broker said this time', () => {
    for (const redelivered of [false, true]) {
      const flags = messageFlags({ redelivered, returned: true, truncated: false });
      assert.deepEqual(
        flags.map((f) => [f.icon, f.title, f.word]),
        [['history', 'Returned to the queue (now redelivered)', 'returned to the queue (now redelivered)']],
      );
    }
  });

  it('a tapped message redelivered by the broker says redelivered; an MQTT one its QoS and retain', () => {
    assert.deepEqual(messageFlags({ redelivered: true, truncated: false }).map((f) => f.word), ['redelivered']);
    assert.deepEqual(messageFlags({ redelivered: false, truncated: false }), []);
    assert.deepEqual(messageFlags({ qos: 1, retain: true, truncated: true }).map((f) => f.badge ?? f.icon), ['Q1', 'pinned', 'ellipsis']);
  });

  it('the header tooltip explains every mark, the peek one in the words the rows use', () => {
    const legend = flagsLegend();
    for (const word of ['QoS', 'retained', 'redelivered', 'returned to the queue (now redelivered)', 'truncated', 'not shown']) {
      assert.ok(legend.includes(word), word);
    }
  });

  it('a gap says how many were not shown and at what rate', () => {
    assert.equal(gapFlag(12345, '49,800/s').word, '12,345 not shown (49,800/s)');
  });
});
