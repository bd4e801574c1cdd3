import assert from 'node:assert/strict';
import { folderAt, leafName, metricFolders, metricFoldersOf } from '../../src/core/codecs/sparkplug/metricFolders';
import type { MetricHolder, MetricState } from '../../src/core/codecs/sparkplug/state';

const metric = (name: string): MetricState => ({ name, datatype: 10, value: 0, timestamp: 0, isNull: false, updates: 0 });

describe('Sparkplug metric folders (#20 view)', () => {
  it('groups metrics by the "/" segments of their names, folders first, in natural order', () => {
    const root = metricFolders(['Inputs/Pressure', 'uptime', 'Inputs/Temperature', 'Bank 10/Sensor 2', 'Bank 2/Sensor 10', 'Bank 2/Sensor 9', 'Node Control/Rebirth', 'bdSeq'].map(metric));
    assert.deepEqual(
      root.folders.map((f) => [f.name, f.path, f.count]),
      [
        ['Bank 2', 'Bank 2/', 2],
        ['Bank 10', 'Bank 10/', 1],
        ['Inputs', 'Inputs/', 2],
        ['Node Control', 'Node Control/', 1],
      ],
    );
    assert.deepEqual(
      root.metrics.map((m) => m.name),
      ['bdSeq', 'uptime'],
    );
    assert.equal(root.count, 8);
    assert.deepEqual(
      folderAt(root, 'Bank 2/')?.metrics.map((m) => leafName(m.name)),
      ['Sensor 9', 'Sensor 10'],
    );
    assert.equal(folderAt(root, 'Nope/'), undefined);
  });

  it('nests deeper paths and keeps odd names whole', () => {
    const root = metricFolders(['a/b/c', 'a/b/d', 'a/e', '/lead', 'trail/', '///'].map(metric));
    assert.equal(folderAt(root, 'a/b/')?.count, 2);
    assert.equal(folderAt(root, 'a/')?.count, 3);
    assert.deepEqual(
      root.metrics.map((m) => m.name),
      ['///', '/lead', 'trail/'],
    );
    assert.equal(leafName('/lead'), 'lead');
    assert.equal(leafName('///'), '///');
  });

  it('is built once per BIRTH: the same object until the birth time or the metric count moves', () => {
    const holder = { metrics: new Map([['x/y', metric('x/y')]]), aliases: new Map(), status: 'online', birthAt: 1, lastMessageAt: 1, unknownMetrics: 0 } satisfies MetricHolder;
    const first = metricFoldersOf(holder);
    assert.equal(metricFoldersOf(holder), first);
    holder.metrics.set('x/z', metric('x/z'));
    const second = metricFoldersOf(holder);
    assert.notEqual(second, first);
    assert.equal(folderAt(second, 'x/')?.count, 2);
    holder.birthAt = 2;
    assert.notEqual(metricFoldersOf(holder), second);
  });
});
