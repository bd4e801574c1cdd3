// MQTT 5 server capabilities from CONNACK (issue 23): the spec's defaults, every flag, and what is
// refused before it reaches the broker. Mosquitto cannot switch off wildcard or shared
// subscriptions, so those flags are tested here only.
import assert from 'node:assert/strict';
import { DEFAULT_CAPABILITIES, describeCapabilities, publishRefusal, serverCapabilities, sharedSubscription, subscriptionRefusal } from '../../src/core/mqtt/capabilities';
import { formatSubscriptions, parseSubscriptions } from '../../src/core/brokers/subscriptions';

describe('MQTT 5 server capabilities (CONNACK)', () => {
  it('absent properties (and MQTT 3.1.1) mean the specification\'s defaults: everything allowed', () => {
    assert.deepEqual(serverCapabilities(undefined), DEFAULT_CAPABILITIES);
    assert.deepEqual(serverCapabilities({}), DEFAULT_CAPABILITIES);
    assert.deepEqual(describeCapabilities(DEFAULT_CAPABILITIES), []);
  });

  it('reads every flag and limit as mqtt.js names them', () => {
    const c = serverCapabilities({
      maximumQoS: 1,
      retainAvailable: false,
      wildcardSubscriptionAvailable: false,
      sharedSubscriptionAvailable: false,
      subscriptionIdentifiersAvailable: false,
      maximumPacketSize: 1024,
      topicAliasMaximum: 10,
      receiveMaximum: 20,
      serverKeepAlive: 30,
    });
    assert.deepEqual(c, {
      maximumQoS: 1,
      retainAvailable: false,
      wildcardSubscriptionAvailable: false,
      sharedSubscriptionAvailable: false,
      subscriptionIdentifiersAvailable: false,
      maximumPacketSize: 1024,
      topicAliasMaximum: 10,
      receiveMaximum: 20,
      serverKeepAlive: 30,
    });
    assert.deepEqual(describeCapabilities(c), [
      'maximum QoS 1',
      'no retained messages',
      'no wildcard subscriptions',
      'no shared subscriptions',
      'no subscription identifiers',
      'packets up to 1,024 bytes',
      'receive maximum 20',
      'topic aliases up to 10',
      'keepalive set by the broker to 30 s',
    ]);
    // Bytes on the wire (0/1) as well as booleans; nonsense falls back to the default.
    assert.equal(serverCapabilities({ retainAvailable: 0, maximumQoS: 0 }).retainAvailable, false);
    assert.equal(serverCapabilities({ maximumQoS: 0 }).maximumQoS, 0);
    assert.equal(serverCapabilities({ maximumQoS: 7, receiveMaximum: 0, maximumPacketSize: -1 }).maximumQoS, 2);
    assert.equal(serverCapabilities({ receiveMaximum: 0 }).receiveMaximum, 65535);
    assert.equal(serverCapabilities({ maximumPacketSize: 'big' }).maximumPacketSize, undefined);
  });

  it('refuses subscriptions the broker said it does not take, in words; others pass', () => {
    const none = serverCapabilities({ wildcardSubscriptionAvailable: false, sharedSubscriptionAvailable: false });
    assert.match(subscriptionRefusal('plant/+/temp', none) ?? '', /does not allow wildcard subscriptions/);
    assert.match(subscriptionRefusal('#', none) ?? '', /wildcard/);
    assert.match(subscriptionRefusal('$share/g/plant/line1', none) ?? '', /does not allow shared subscriptions/);
    assert.equal(subscriptionRefusal('plant/line1/temp', none), undefined);
    assert.equal(subscriptionRefusal('plant/a+b', none), undefined, 'a + inside a level is not a wildcard');
    const sharedOnly = serverCapabilities({ wildcardSubscriptionAvailable: false });
    assert.match(subscriptionRefusal('$share/g/plant/#', sharedOnly) ?? '', /wildcard/);
    assert.equal(subscriptionRefusal('$share/g/plant/line1', sharedOnly), undefined);
    assert.equal(subscriptionRefusal('$share/g/#', DEFAULT_CAPABILITIES), undefined);
  });

  it('refuses a PUBLISH above Maximum QoS, a retained one without Retain Available, and one larger than the maximum packet', () => {
    const c = serverCapabilities({ maximumQoS: 1, retainAvailable: false, maximumPacketSize: 100 });
    assert.match(publishRefusal({ topic: 't', qos: 2, bytes: 1 }, c) ?? '', /accepts QoS 1 at most/);
    assert.equal(publishRefusal({ topic: 't', qos: 1, bytes: 1 }, c), undefined);
    assert.match(publishRefusal({ topic: 't', qos: 0, retain: true, bytes: 1 }, c) ?? '', /does not keep retained messages/);
    assert.match(publishRefusal({ topic: 't', qos: 0, bytes: 90 }, c) ?? '', /is 107 bytes and the broker accepts packets up to 100 bytes/);
    assert.equal(publishRefusal({ topic: 't', qos: 2, retain: true, bytes: 10_000_000 }, DEFAULT_CAPABILITIES), undefined);
  });

  it('$share/group/filter is recognised; a group cannot hold wildcards', () => {
    assert.deepEqual(sharedSubscription('$share/workers/jobs/#'), { group: 'workers', filter: 'jobs/#' });
    assert.equal(sharedSubscription('jobs/#'), undefined);
    assert.equal(sharedSubscription('$share/+/jobs'), undefined);
    assert.equal(sharedSubscription('$share/g'), undefined);
  });
});

describe('subscription options as written in the form', () => {
  it('parses and writes back :nl, :norap and :rhN after the QoS', () => {
    const subs = parseSubscriptions('plant/#:1:nl:rh2, $SYS/#, logs/+:0:norap, raw:2:rh0');
    assert.deepEqual(subs, [
      { filter: 'plant/#', qos: 1, nl: true, rh: 2 },
      { filter: '$SYS/#', qos: 0 },
      { filter: 'logs/+', qos: 0, rap: false },
      { filter: 'raw', qos: 2 },
    ]);
    assert.equal(formatSubscriptions(subs as never), 'plant/#:1:nl:rh2, $SYS/#:0, logs/+:0:norap, raw:2');
    assert.deepEqual(parseSubscriptions(formatSubscriptions(subs as never)), subs);
  });
});
