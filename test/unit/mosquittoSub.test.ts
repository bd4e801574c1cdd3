import assert from 'node:assert/strict';
import { mosquittoSubCommand, type MqttProfile } from '../../src/core/brokers/profile';

const p = (extra: Partial<MqttProfile> = {}): MqttProfile => ({ id: 'x', kind: 'mqtt', name: 'n', host: '127.0.0.1', port: 1883, ...extra });

describe('copy as mosquitto_sub', () => {
  it('subscribes to the same filters, MQTT 5 by default', () => {
    assert.equal(mosquittoSubCommand(p(), 'broker-explorer-abc123'), "mosquitto_sub -h 127.0.0.1 -p 1883 -V mqttv5 -i broker-explorer-abc123 -t '#' -q 0 -t '$SYS/#' -q 0 -v");
  });

  it('never includes the password, and quotes what the shell would change', () => {
    const cmd = mosquittoSubCommand(p({ username: 'sensor', protocolVersion: 4, subscriptions: [{ filter: "/weather/+/it's", qos: 1 }] }));
    assert.equal(cmd, `mosquitto_sub -h 127.0.0.1 -p 1883 -V mqttv311 -u sensor -P "$MQTT_PASSWORD" -t '/weather/+/it'\\''s' -q 1 -v`);
  });

  it('adds TLS files and --insecure when verification is off', () => {
    const cmd = mosquittoSubCommand(p({ protocol: 'mqtts', port: 8883, tls: { caFile: '/etc/ca.crt', certFile: '/c.pem', keyFile: '/k.pem', verify: false } }));
    assert.match(cmd, / -p 8883 .*--cafile \/etc\/ca\.crt --cert \/c\.pem --key \/k\.pem --insecure /);
  });

  it('says that mosquitto_sub has no WebSocket transport', () => {
    assert.match(mosquittoSubCommand(p({ protocol: 'ws', port: 8080 })), /^# mosquitto_sub cannot use WebSockets/);
  });
});
