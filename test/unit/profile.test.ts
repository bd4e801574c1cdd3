import assert from 'node:assert/strict';
import { formatEndpoint, newProfileId, randomSuffix, validateHost, validatePort } from '../../src/core/brokers/profile';

describe('profile input', () => {
  it('accepts host names and addresses', () => {
    for (const h of ['localhost', '127.0.0.1', 'broker.example.com', '::1']) {
      assert.equal(validateHost(h), undefined, h);
    }
  });

  it('rejects what is not a host, saying why', () => {
    assert.match(validateHost('')!, /Enter a host/);
    assert.match(validateHost('mqtt://broker')!, /without a scheme/);
    assert.match(validateHost('broker/path')!, /without a path/);
    assert.match(validateHost('my broker')!, /spaces/);
  });

  it('accepts ports 1..65535 only', () => {
    assert.equal(validatePort('1883'), undefined);
    assert.equal(validatePort('65535'), undefined);
    for (const p of ['0', '65536', 'abc', '', '18.83', '-1']) {
      assert.ok(validatePort(p), `port ${JSON.stringify(p)} was accepted`);
    }
  });

  it('formats endpoints, bracketing IPv6', () => {
    assert.equal(formatEndpoint('localhost', 1883), 'localhost:1883');
    assert.equal(formatEndpoint('::1', 1883), '[::1]:1883');
  });

  it('makes distinct ids', () => {
    assert.match(randomSuffix(), /^[0-9a-f]{6}$/);
    const ids = new Set(Array.from({ length: 100 }, () => newProfileId('mqtt')));
    assert.equal(ids.size, 100);
  });
});
