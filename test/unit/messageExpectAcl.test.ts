// EXPECT NONE where the broker's ACL denies the publish: a private mosquitto of the test's own
// (dynamic security, on a free high port, stopped by PID) lets the client publish on allowed/# only.
import assert from 'node:assert/strict';
import type { BrokerConnection } from '../../src/core/brokers/connection';
import { parseMessageFile } from '../../src/core/messageFiles/parser';
import { runBlockTest } from '../../src/core/messageFiles/run';
import { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import { sendDraft } from '../../src/core/publish/publish';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { testResolveEnv } from '../support/messageFiles';

const env = testResolveEnv;

describe('message files: EXPECT NONE against an ACL (private mosquitto)', function () {
  this.timeout(30_000);
  let broker: PrivateBroker;
  let c: MqttConnection;
  const options = { connection: async (): Promise<BrokerConnection> => c, send: sendDraft, defaultWithinMs: 1000 };

  before(async () => {
    broker = await startPrivateMosquitto({ dynsec: { sensor: { password: 'sensor-pass', subscribe: ['#'], publish: ['allowed/#'] } } });
    c = new MqttConnection({ id: 'acl', kind: 'mqtt', name: 'acl', host: '127.0.0.1', port: broker.port, username: 'sensor', subscriptions: [] }, { getPassword: async () => 'sensor-pass' });
    assert.equal((await c.connect()).kind, 'connected');
  });
  after(async () => {
    await c?.dispose();
    await broker?.dispose();
  });

  const block = (topic: string, expect: string) => parseMessageFile(`PUBLISH mqtt://acl/${topic}\n\n{"v": 1}\n\n${expect}\nWithin: 1s\n`);

  it('a denied publish: EXPECT NONE passes, a positive EXPECT fails saying nothing arrived', async () => {
    const none = block('secret/valve', 'EXPECT NONE mqtt://acl/secret/#');
    const r = await runBlockTest(none, none.blocks[0]!, env, options);
    assert.equal(r.outcome, 'passed', r.message);
    assert.match(r.expectations[0]!.result.message, /^Nothing arrived within 1 s$/);

    const some = block('secret/valve', 'EXPECT mqtt://acl/secret/#');
    const f = await runBlockTest(some, some.blocks[0]!, env, options);
    assert.equal(f.outcome, 'failed');
    assert.match(f.message!, /No message arrived on secret\/# within 1 s/);
  });

  it('an allowed publish arrives: EXPECT NONE fails with what came', async () => {
    const none = block('allowed/valve', 'EXPECT NONE mqtt://acl/allowed/#');
    const r = await runBlockTest(none, none.blocks[0]!, env, options);
    assert.equal(r.outcome, 'failed');
    assert.match(r.message!, /Expected nothing within 1 s, but 1 message arrived \(first on allowed\/valve/);
    assert.equal(r.expectations[0]!.result.actual, '{"v": 1}');
  });
});
