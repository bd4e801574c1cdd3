import assert from 'node:assert/strict';
import { describeError, failureCauseOf, type Endpoint } from '../../src/core/brokers/errors';

const mqtt: Endpoint = { host: 'broker.local', port: 1883, protocol: 'MQTT' };
const amqp: Endpoint = { host: 'rabbit', port: 5672, protocol: 'AMQP' };
const errno = (code: string) => Object.assign(new Error(`connect ${code} 1.2.3.4:1883`), { code });

describe('describeError', () => {
  it('puts socket errors in plain words with the endpoint', () => {
    assert.equal(describeError(errno('ECONNREFUSED'), mqtt), 'Connection refused: nothing is listening on broker.local:1883');
    assert.equal(describeError(errno('ENOTFOUND'), mqtt), 'Host not found: broker.local');
    assert.match(describeError(errno('ETIMEDOUT'), mqtt), /^No answer from broker\.local:1883/);
    assert.match(describeError(errno('EHOSTUNREACH'), amqp), /cannot be reached/);
  });

  it('explains TLS failures', () => {
    assert.match(describeError(errno('DEPTH_ZERO_SELF_SIGNED_CERT'), mqtt), /self-signed/);
    assert.match(describeError(errno('ERR_TLS_CERT_ALTNAME_INVALID'), mqtt), /not valid for broker\.local/);
  });

  it('maps MQTT 3.1.1 and 5 CONNACK codes', () => {
    const connack = (code: number) => Object.assign(new Error('Connection refused: Not authorized'), { code });
    assert.equal(describeError(connack(5), mqtt), 'Not authorized: the broker refused these credentials');
    assert.equal(describeError(connack(4), mqtt), 'Not authorized: bad username or password');
    assert.equal(describeError(connack(0x86), mqtt), 'Not authorized: bad username or password');
    assert.equal(describeError(connack(2), mqtt), 'The broker rejected the client id');
    assert.equal(describeError(connack(0x8a), mqtt), 'This client is banned by the broker');
  });

  it('words a refusal of the credentials for what was sent (mosquitto answers 5 / 0x87 to all three cases)', () => {
    const connack = (code: number) => Object.assign(new Error('Connection refused: Not authorized'), { code });
    for (const code of [5, 0x87]) {
      assert.equal(describeError(connack(code), mqtt, { password: false }), 'Not authorized: this broker needs a username and password, and none is set for this connection');
      assert.equal(describeError(connack(code), mqtt, { username: 'alice', password: false }), 'Not authorized: the broker refused user "alice", and no password is saved for this connection');
      assert.match(describeError(connack(code), mqtt, { username: 'alice', password: true }), /^Not authorized: the broker refused user "alice" with the saved password — a wrong password, an unknown user/);
    }
    for (const code of [4, 0x86]) {
      assert.equal(describeError(connack(code), mqtt, { username: 'alice', password: true }), 'Not authorized: bad username or password (the broker refused user "alice" with the saved password)');
    }
    // Not a refusal of the credentials: the words do not change with them.
    assert.equal(describeError(connack(0x8a), mqtt, { username: 'alice', password: true }), 'This client is banned by the broker');
    const refused = new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"');
    assert.equal(describeError(refused, amqp, { username: 'bob', password: true }), 'Not authorized: RabbitMQ refused user "bob" or its password');
  });

  it('names the setting that fixes a failure (the notification offers it)', () => {
    const connack = (code: number) => Object.assign(new Error('refused'), { code });
    assert.deepEqual([4, 5, 0x86, 0x87, 0x8c].map((c) => failureCauseOf(connack(c), 'MQTT')), Array(5).fill('credentials'));
    assert.deepEqual([2, 0x85].map((c) => failureCauseOf(connack(c), 'MQTT')), ['clientId', 'clientId']);
    assert.deepEqual([3, 0x88, 0x8a].map((c) => failureCauseOf(connack(c), 'MQTT')), [undefined, undefined, undefined]);
    assert.equal(failureCauseOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'MQTT'), undefined);
    assert.equal(failureCauseOf(new Error('Handshake terminated by server: 403 (ACCESS-REFUSED)'), 'AMQP'), 'credentials');
    assert.equal(failureCauseOf(new Error('Handshake terminated by server: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - vhost nope not found"'), 'AMQP'), 'vhost');
    assert.equal(failureCauseOf(new Error('socket hang up'), 'AMQP'), undefined);
  });

  it('recognises a server that does not speak MQTT', () => {
    assert.match(describeError(new Error('Invalid header flag bits, must be 0x0 for puback packet'), mqtt), /does not speak MQTT/);
  });

  it('maps RabbitMQ refusals', () => {
    const refused = new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"');
    assert.equal(describeError(refused, amqp), 'Not authorized: RabbitMQ refused the username or password');
    const vhost = new Error('Handshake terminated by server: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - vhost nope not found"');
    assert.match(describeError(vhost, amqp), /^Not allowed: .*virtual host/);
    assert.match(describeError(new Error("Expected ConnectionOpenOk; got <ConnectionClose channel:0>"), amqp), /^Not allowed: .*virtual host/);
  });

  it('says who closed a connection: an administrator (CONNECTION_FORCED), or a stalled keepalive', () => {
    const forced = new Error('Connection closed: 320 (CONNECTION-FORCED) with message "CONNECTION_FORCED - maintenance"');
    assert.equal(describeError(forced, amqp), 'RabbitMQ closed the connection: maintenance (closed by an administrator or the broker)');
    const bare = new Error('Connection closed: 320 (CONNECTION-FORCED)');
    assert.equal(describeError(bare, amqp), 'RabbitMQ closed the connection (closed by an administrator or the broker)');
    assert.match(describeError(new Error('Keepalive timeout'), mqtt), /^The broker at broker\.local:1883 stopped answering: no reply to the keepalive ping/);
  });

  it('never invents: unknown errors keep their message, non-errors are stringified', () => {
    assert.equal(describeError(new Error('something odd'), mqtt), 'Something odd');
    assert.equal(describeError('plain string', mqtt), 'Plain string');
    assert.equal(describeError({}, mqtt), 'Unknown error talking to broker.local:1883');
  });
});
