import assert from 'node:assert/strict';
import { numberAtPath, suggestNumericPaths } from '../../src/core/format';
import { chartable } from '../../webview/inspect/display';

describe('inspector chart: decoded values', () => {
  it('charts Sparkplug B metrics by name, not by their place in the list', () => {
    const ddata = { timestamp: 1700000000000, seq: 4, metrics: [{ name: 'Inputs/Temp', alias: 2, datatype: 'Double', value: 21.5 }, { name: 'Inputs/Run', datatype: 'Boolean', value: true }] };
    const v = chartable(ddata);
    const paths = suggestNumericPaths(v, 20);
    assert.ok(paths.includes('metrics["Inputs/Temp"]'), paths.join(', '));
    assert.equal(numberAtPath(v, 'metrics["Inputs/Temp"]'), 21.5);
    // The next DATA lists the metrics in another order: the path still finds the temperature.
    const next = chartable({ ...ddata, metrics: [ddata.metrics[1], { ...ddata.metrics[0]!, value: 22 }] });
    assert.equal(numberAtPath(next, 'metrics["Inputs/Temp"]'), 22);
  });

  it('leaves other decoded values as they are', () => {
    const reading = { sensor: 'a', value: 3, metrics: [1, 2] };
    assert.equal(chartable(reading), reading);
    assert.equal(chartable(7), 7);
    assert.deepEqual(chartable([1, 2]), [1, 2]);
  });
});
