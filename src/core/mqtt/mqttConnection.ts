import type { IClientOptions, MqttClient, OnMessageCallback } from 'mqtt';
import type { IPublishPacket } from 'mqtt';
import { BrokerConnection, ConnectError, type ConnectionOptions } from '../connection';
import { Emitter, type Event } from '../events';
import { describeError } from '../errors';
import { DEFAULT_SUBSCRIPTIONS, isTls, randomSuffix, type MqttProfile } from '../profile';
import { readTlsOptions, withDefaultCa } from '../tlsFiles';
import { TopicModel, type TopicModelOptions } from './topicModel';

type MqttModule = typeof import('mqtt');
let mqttModule: Promise<MqttModule> | undefined;

/** mqtt.js is loaded on the first connection, never at activation. */
function loadMqtt(): Promise<MqttModule> {
  mqttModule ??= import('mqtt');
  return mqttModule;
}

/**
 * The mqtt.js 'message' listener that feeds a topic model (the benchmarks use it too). The model
 * copies what it keeps: mqtt.js's payload is a view into its read buffer.
 */
export function topicModelListener(model: TopicModel): OnMessageCallback {
  return (topic, payload, packet) => {
    model.add(topic, payload, packet.qos, packet.retain, Date.now(), packet.properties);
  };
}

export interface LiveMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly packet: IPublishPacket;
  readonly time: number;
}

/** CONNACK codes that mean "your credentials are wrong": retrying cannot help. */
const CREDENTIAL_CODES = new Set([4, 5, 0x86, 0x87, 0x8a, 0x8c]);

/** One MQTT broker connection over mqtt.js, with mqtt.js's own fixed 1 s reconnect turned off. */
export class MqttConnection extends BrokerConnection<MqttProfile> {
  protected readonly protocolName = 'MQTT' as const;
  private client: MqttClient | undefined;
  readonly clientId: string;
  /** Every message received on the subscriptions, as a topic tree. Survives reconnects. */
  readonly topics: TopicModel;
  private readonly messageEmitter = new Emitter<LiveMessage>();
  /**
   * Every message as it arrives (inspectors listen here). `payload` is a view into mqtt.js's read
   * buffer: copy what you keep. Costs nothing while nobody listens.
   */
  readonly onMessage: Event<LiveMessage> = this.messageEmitter.event;

  constructor(profile: MqttProfile, options: ConnectionOptions & { topicModel?: Partial<TopicModelOptions> } = {}) {
    super(profile, options);
    this.clientId = profile.clientId ?? `broker-explorer-${randomSuffix()}`;
    this.topics = new TopicModel(options.topicModel);
  }

  get subscriptions() {
    return this.profile.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
  }

  protected repeatedDropsReason(): string {
    return `The broker keeps closing the connection right after it opens — most likely another client uses the same client id (${this.clientId}). Give this broker a unique client id.`;
  }

  /** The live mqtt.js client while connected, for features built on this connection. */
  get mqttClient(): MqttClient | undefined {
    return this.state.kind === 'connected' ? this.client : undefined;
  }

  /** The protocol version of the current (or last) connection. */
  protocolVersion: 4 | 5 = 5;

  protected async open(password: string | undefined, timeoutMs: number, onLost: (reason: string) => void): Promise<void> {
    const wanted = this.profile.protocolVersion;
    try {
      await this.openWith(wanted ?? 5, password, timeoutMs, onLost);
    } catch (err) {
      // A broker that only speaks MQTT 3.1.1 refuses version 5: fall back unless 5 was asked for.
      if (wanted === undefined && err instanceof ConnectError && /protocol version/.test(err.message)) {
        this.log.info(`MQTT "${this.profile.name}": the broker refused MQTT 5, using MQTT 3.1.1`);
        await this.close();
        await this.openWith(4, password, timeoutMs, onLost);
        return;
      }
      throw err;
    }
  }

  private async openWith(version: 4 | 5, password: string | undefined, timeoutMs: number, onLost: (reason: string) => void): Promise<void> {
    const mqtt = await loadMqtt();
    this.protocolVersion = version;
    const p = this.profile;
    const options: IClientOptions = {
      host: p.host,
      port: p.port,
      protocol: p.protocol ?? 'mqtt',
      path: p.protocol === 'ws' || p.protocol === 'wss' ? (p.path ?? '/mqtt') : undefined,
      protocolVersion: version,
      clientId: this.clientId,
      username: p.username || undefined,
      password: password || undefined,
      clean: p.clean ?? true,
      keepalive: p.keepalive ?? 60,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs + 1000,
      queueQoSZero: false,
      resubscribe: false,
      ...(version === 5 && p.clean === false ? { properties: { sessionExpiryInterval: p.sessionExpiry ?? 3600 } } : {}),
      ...(isTls(p) ? await readTlsOptions(withDefaultCa(p.tls, this.options.defaultCaFile?.()), await this.options.getSecret?.('passphrase')) : {}),
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
      // The model copies what it keeps: mqtt.js's payload is a view into its read buffer.
      client.on('message', (topic, payload, packet) => {
        const time = Date.now();
        this.topics.add(topic, payload, packet.qos, packet.retain, time, packet.properties);
        if (this.messageEmitter.hasListeners) {
          this.messageEmitter.fire({ topic, payload, packet, time });
        }
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
    // Each connection is a new client with a clean session: subscribe exactly once per connect.
    // MQTT 5 "retain as published" keeps the RETAIN flag on live messages, so the tree can
    // show which topics hold a retained message (3.1.1 clears it for existing subscribers).
    const map = Object.fromEntries(this.subscriptions.map((s) => [s.filter, version === 5 ? { qos: s.qos, rap: true } : { qos: s.qos }]));
    const granted = await client.subscribeAsync(map);
    const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
    if (refused.length) {
      this.log.warn(`MQTT "${this.profile.name}": the broker refused the subscription${refused.length > 1 ? 's' : ''} ${refused.join(', ')}`);
    }
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
