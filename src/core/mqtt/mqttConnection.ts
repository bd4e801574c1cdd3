import type { IClientOptions, MqttClient } from 'mqtt';
import { BrokerConnection, ConnectError, type ConnectionOptions } from '../connection';
import { describeError } from '../errors';
import { randomSuffix, type MqttProfile } from '../profile';

type MqttModule = typeof import('mqtt');
let mqttModule: Promise<MqttModule> | undefined;

/** mqtt.js is loaded on the first connection, never at activation. */
function loadMqtt(): Promise<MqttModule> {
  mqttModule ??= import('mqtt');
  return mqttModule;
}

/** CONNACK codes that mean "your credentials are wrong": retrying cannot help. */
const CREDENTIAL_CODES = new Set([4, 5, 0x86, 0x87, 0x8a, 0x8c]);

/** One MQTT broker connection over mqtt.js, with mqtt.js's own fixed 1 s reconnect turned off. */
export class MqttConnection extends BrokerConnection<MqttProfile> {
  protected readonly protocolName = 'MQTT' as const;
  private client: MqttClient | undefined;
  readonly clientId: string;

  constructor(profile: MqttProfile, options: ConnectionOptions = {}) {
    super(profile, options);
    this.clientId = profile.clientId ?? `broker-explorer-${randomSuffix()}`;
  }

  /** The live mqtt.js client while connected, for features built on this connection. */
  get mqttClient(): MqttClient | undefined {
    return this.state.kind === 'connected' ? this.client : undefined;
  }

  protected async open(password: string | undefined, timeoutMs: number, onLost: (reason: string) => void): Promise<void> {
    const mqtt = await loadMqtt();
    const options: IClientOptions = {
      host: this.profile.host,
      port: this.profile.port,
      protocol: 'mqtt',
      protocolVersion: 4,
      clientId: this.clientId,
      username: this.profile.username || undefined,
      password: password || undefined,
      clean: true,
      keepalive: 60,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs + 1000,
      queueQoSZero: false,
      resubscribe: false,
    };
    this.log.trace(`MQTT client id ${this.clientId}`);
    const client = mqtt.connect(options);
    this.client = client;
    await new Promise<void>((resolve, reject) => {
      let connected = false;
      const timer = setTimeout(
        () => reject(new ConnectError(`No answer from ${this.where} within ${Math.round(timeoutMs / 1000)} s — is an MQTT broker listening on this port?`)),
        timeoutMs,
      );
      // An 'error' event without a listener would throw inside the extension host: always listen.
      client.on('error', (err: Error & { code?: unknown }) => {
        const reason = describeError(err, this.endpoint);
        if (!connected) {
          clearTimeout(timer);
          reject(new ConnectError(reason, !(typeof err.code === 'number' && CREDENTIAL_CODES.has(err.code))));
        } else {
          this.log.warn(`MQTT "${this.profile.name}": ${reason}`);
        }
      });
      client.once('connect', () => {
        connected = true;
        clearTimeout(timer);
        resolve();
      });
      client.on('close', () => {
        if (!connected) {
          clearTimeout(timer);
          reject(new ConnectError(`The server at ${this.where} closed the connection before answering — is it an MQTT broker, and is this the right port?`));
        } else if (this.client === client) {
          onLost('connection closed');
        }
      });
    });
  }

  protected async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) {
      return;
    }
    client.removeAllListeners('close');
    client.removeAllListeners('connect');
    if (!client.connected) {
      client.end(true);
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.end(true);
        resolve();
      }, 2000);
      client.end(false, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
