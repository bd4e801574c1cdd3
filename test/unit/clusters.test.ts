// Clusters (issue 23): a connection with several endpoints — parsing what the user writes, the
// order they are tried in, how the row says which node is in use, and the password's binding.
import assert from 'node:assert/strict';
import { endpointOf } from '../../src/core/brokers/brokerSecrets';
import { endpointsOf, formatEndpointList, parseEndpointList, type AmqpProfile, type MqttProfile } from '../../src/core/brokers/profile';
import { describeState } from '../../src/core/brokers/state';
import { parseWorkspaceBrokers } from '../../src/core/brokers/workspaceBrokers';

const folder = { path: '/work/project', name: 'project' };

describe('clusters: several endpoints per connection', () => {
  it('parses host:port lists separated by commas, spaces or lines; a missing port is the broker\'s; IPv6 in brackets', () => {
    assert.deepEqual(parseEndpointList('node2:1884, node3\n[::1]:1885;10.0.0.4', 1883), {
      endpoints: [
        { host: 'node2', port: 1884 },
        { host: 'node3', port: 1883 },
        { host: '::1', port: 1885 },
        { host: '10.0.0.4', port: 1883 },
      ],
    });
    assert.deepEqual(parseEndpointList('  ', 1883), { endpoints: [] });
    assert.equal(formatEndpointList([{ host: 'a', port: 1 }, { host: '::1', port: 2 }]), 'a:1, [::1]:2');
  });

  it('says which endpoint is wrong and why', () => {
    assert.match(parseEndpointList('node2:1883, node3:99999', 1883).error ?? '', /^node3:99999: The port is a number between 1 and 65535/);
    assert.match(parseEndpointList('mqtt://node2', 1883).error ?? '', /without a scheme/);
    assert.match(parseEndpointList('node2/path', 1883).error ?? '', /without a path/);
    assert.match(parseEndpointList('[::1', 1883).error ?? '', /./);
  });

  it('tries host:port first, then the others in order, each once (names compared without case)', () => {
    const p: MqttProfile = { id: 'm', kind: 'mqtt', name: 'c', host: 'Node1', port: 1883, endpoints: [{ host: 'node2', port: 1883 }, { host: 'node1', port: 1883 }, { host: 'node3', port: 1884 }, { host: 'node2', port: 1883 }] };
    assert.deepEqual(endpointsOf(p), [
      { host: 'Node1', port: 1883 },
      { host: 'node2', port: 1883 },
      { host: 'node3', port: 1884 },
    ]);
    assert.deepEqual(endpointsOf({ host: 'h', port: 1 }), [{ host: 'h', port: 1 }]);
  });

  it('the row names the node in use, and a failover as "reconnected to"', () => {
    assert.equal(describeState({ kind: 'connected', since: 0 }), 'connected');
    assert.equal(describeState({ kind: 'connected', since: 0, endpoint: 'node1:1883' }), 'connected to node1:1883');
    assert.equal(describeState({ kind: 'connected', since: 0, endpoint: 'node2:1883', failover: true }), 'reconnected to node2:1883');
  });

  it('binds the password to the whole endpoint list (a changed list asks again), not to the node in use', () => {
    const amqp: AmqpProfile = { id: 'a', kind: 'amqp', name: 'rabbit', host: 'n1', port: 5672, vhost: '/', username: 'u' };
    const single = endpointOf(amqp);
    const cluster = { ...amqp, endpoints: [{ host: 'n2', port: 5672 }] };
    assert.equal(endpointOf({ ...amqp, endpoints: [] }), single, 'an empty list keeps bindings made before clusters existed');
    assert.notEqual(endpointOf(cluster), single);
    assert.notEqual(endpointOf({ ...amqp, endpoints: [{ host: 'evil', port: 5672 }] }), endpointOf(cluster), 'another node named: the password is withheld');
    assert.equal(endpointOf({ ...cluster }), endpointOf(cluster));
  });

  it('brokers.json "endpoints": parsed with the entry\'s port; a bad one refuses the entry in words', () => {
    const ok = parseWorkspaceBrokers(JSON.stringify({ brokers: [{ name: 'c', kind: 'amqp', host: 'n1', protocol: 'amqps', endpoints: ['n2', 'n3:5673'] }] }), folder);
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.profiles[0]?.endpoints, [{ host: 'n2', port: 5671 }, { host: 'n3', port: 5673 }]);
    const bad = parseWorkspaceBrokers(JSON.stringify({ brokers: [{ name: 'c', kind: 'mqtt', host: 'n1', endpoints: ['n2:0'] }] }), folder);
    assert.equal(bad.profiles.length, 0);
    assert.match(bad.problems.join('\n'), /bad endpoint in "endpoints": n2:0: The port is a number between 1 and 65535/);
    const notList = parseWorkspaceBrokers(JSON.stringify({ brokers: [{ name: 'c', kind: 'mqtt', host: 'n1', endpoints: 'n2' }] }), folder);
    assert.match(notList.problems.join('\n'), /"endpoints" must be a list of "host:port" strings/);
  });
});
