import { DEFAULT_CAPABILITIES, publishRefusal, serverCapabilities, sharedSubscription, subscriptionRefusal, type ServerCapabilities } from './capabilities';
import type { TLSSocket } from 'node:tls';
import type { RequestOptions } from 'node:https';
import * as l10n from '@vscode/l10n';
import type { IClientOptions, IClientPublishOptions, IDisconnectPacket, ISubscriptionMap, MqttClient, OnMessageCallback } from 'mqtt';
import type { IPublishPacket } from 'mqtt';
import { BrokerConnection, ConnectError, type ConnectionOptions, type LostCallback } from '../brokers/connection';
import { Emitter, type Event } from '../brokers/events';
import { describeError, failureCauseOf, type FailureCause } from '../brokers/errors';
import { DEFAULT_SUBSCRIPTIONS, formatEndpoint, isTls, randomSuffix, type MqttProfile, type MqttSubscription } from '../brokers/profile';
import { LOOPBACK, socketAgent } from '../brokers/proxyTunnel';
import type { TlsSocketOptions } from '../brokers/tlsFiles';
import { TopicModel, type TopicModelOptions } from './topicModel';
import { SubscriptionIds } from './subscriptionIds';
import { flowControlProblem, flowControlProperties } from '../brokers/flowControl';

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

/** CONNACK codes after which retrying cannot help: credentials refused, client banned, unknown auth method, client id refused. */
const FINAL_CODES = new Set([2, 4, 5, 0x85, 0x86, 0x87, 0x8a, 0x8c]);

/** MQTT 5 DISCONNECT reason codes a broker sends before closing, in plain words. */
const DISCONNECT_REASONS: Record<number, () => string> = {
  0x80: () => l10n.t('the broker closed the connection (unspecified error)'),
  0x81: () => l10n.t('the broker says we sent a malformed packet'),
  0x82: () => l10n.t('the broker reported a protocol error'),
  0x87: () => l10n.t('the broker says this client is no longer authorised'),
  0x89: () => l10n.t('the broker is busy'),
  0x8b: () => l10n.t('the broker is shutting down'),
  0x8d: () => l10n.t('the broker closed the connection: keepalive timeout'),
  0x8e: () => l10n.t('another client connected with the same client id and took over the session'),
  0x93: () => l10n.t("the broker's receive maximum was exceeded"),
  0x95: () => l10n.t('a packet was too large for the broker'),
  0x97: () => l10n.t('a broker quota was exceeded'),
  0x98: () => l10n.t('an administrator closed the connection'),
  0x9c: () => l10n.t('the broker asks to use another server'),
  0x9d: () => l10n.t('the broker has moved to another server'),
  0x9f: () => l10n.t('the connection rate limit was exceeded'),
};

/** SUBACK reason codes ≥ 0x80 (3.1.1 knows only 0x80, which mosquitto sends for an ACL refusal). */
const SUBACK_REASONS: Record<number, () => string> = {
  0x80: () => l10n.t('not authorised, or an unspecified error'),
  0x83: () => l10n.t('implementation specific error'),
  0x87: () => l10n.t('not authorised'),
  0x8f: () => l10n.t('topic filter invalid'),
  0x91: () => l10n.t('packet identifier in use'),
  0x97: () => l10n.t('quota exceeded'),
  0x9e: () => l10n.t('shared subscriptions not supported'),
  0xa1: () => l10n.t('subscription identifiers not supported'),
  0xa2: () => l10n.t('wildcard subscriptions not supported'),
};

/** QoS 1/2 messages published while the connection is being re-established wait here (at most). */
export const OUTBOX_MESSAGES = 1000;
export const OUTBOX_BYTES = 16 * 1024 * 1024;
/** Queued messages sent at a time when the connection returns (below brokers' receive maximum). */
const OUTBOX_WINDOW = 10;

interface Queued {
  readonly topic: string;
  readonly payload: Buffer;
  readonly options: IClientPublishOptions;
}

/** The outcome of `MqttConnection.publish`: sent now, or queued until the connection returns. */
export type PublishResult =
  | { readonly kind: 'sent'; readonly packet: unknown }
  | { readonly kind: 'queued'; readonly waiting: number };

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
  /**
   * Sparkplug B ingest (#20): called for topics under `prefix` (spBv1.0/) only: gaps and aliases
   * need every message. Any other topic costs one prefix test, and nothing while the hook is unset.
   */
  sparkplugIngest: { readonly prefix: string; ingest(topic: string, payload: Uint8Array, time: number): void } | undefined;

  private readonly outbox: Queued[] = [];
  private outboxBytes = 0;

  constructor(profile: MqttProfile, options: ConnectionOptions & { topicModel?: Partial<TopicModelOptions> } = {}) {
    super(profile, options);
    this.clientId = profile.clientId ?? `broker-explorer-${randomSuffix()}`;
    this.topics = new TopicModel(options.topicModel);
    this.onDidChangeState((s) => {
      if (s.kind === 'connected') {
        this.flushOutbox();
      } else if (s.kind === 'disconnected' || s.kind === 'failed') {
        this.dropOutbox(s.kind === 'failed' ? `the connection failed: ${s.reason}` : 'the connection was closed');
      }
    });
  }

  /** QoS 1/2 messages waiting for the connection to return. */
  get queued(): number {
    return this.outbox.length;
  }

  /**
   * Publishes now when connected. While an established connection is being re-established, QoS 1
   * and 2 messages wait in a bounded outbox (OUTBOX_MESSAGES, OUTBOX_BYTES) and are sent when it
   * returns; QoS 0 is refused (it promises no delivery, and a silent queue would grow without
   * bound). Throws an Error saying why in plain words for anything not sent or queued.
   */
  async publish(topic: string, payload: Buffer, options: IClientPublishOptions): Promise<PublishResult> {
    // What the broker said it refuses is refused here, in words, instead of a disconnect.
    const refusal = publishRefusal({ topic, qos: options.qos ?? 0, retain: options.retain, bytes: payload.length }, this.capabilities);
    if (refusal) {
      throw new Error(l10n.t('"{0}" refuses this message: {1}.', this.profile.name, refusal));
    }
    const client = this.mqttClient;
    if (client) {
      return { kind: 'sent', packet: await client.publishAsync(topic, payload, options) };
    }
    const name = this.profile.name;
    if (!this.isReconnecting) {
      throw new Error(l10n.t('"{0}" is not connected.', name));
    }
    if (!options.qos) {
      throw new Error(l10n.t('"{0}" is reconnecting, and QoS 0 messages are not queued. Send it again when the connection is back, or use QoS 1 or 2 to have it queued.', name));
    }
    if (this.outbox.length >= OUTBOX_MESSAGES || this.outboxBytes + payload.length > OUTBOX_BYTES) {
      throw new Error(
        l10n.t(
          '"{0}" is reconnecting and its outbox is full ({1} messages, {2} MB; the limit is {3} messages or {4} MB).',
          name,
          this.outbox.length.toLocaleString('en-US'),
          (this.outboxBytes / 1048576).toFixed(1),
          OUTBOX_MESSAGES.toLocaleString('en-US'),
          OUTBOX_BYTES / 1048576,
        ),
      );
    }
    this.outbox.push({ topic, payload, options });
    this.outboxBytes += payload.length;
    this.log.info(`MQTT "${name}": queued a QoS ${options.qos} message to ${topic} until the connection returns (${this.outbox.length} waiting)`);
    return { kind: 'queued', waiting: this.outbox.length };
  }

  private flushOutbox(): void {
    const client = this.mqttClient;
    if (!client || !this.outbox.length) {
      return;
    }
    const entries = this.outbox.splice(0);
    this.outboxBytes = 0;
    this.log.info(`MQTT "${this.profile.name}": sending ${entries.length} queued message${entries.length > 1 ? 's' : ''}`);
    // A window of OUTBOX_WINDOW unacknowledged messages: brokers drop QoS 2 beyond their receive
    // maximum (mosquitto: 20 in flight), and a burst of 1,000 would lose most of them.
    let next = 0;
    const sendNext = (): void => {
      if (this.mqttClient !== client) {
        // Lost again: what was not handed to this client waits for the next connection.
        const rest = entries.slice(next);
        next = entries.length;
        this.outbox.unshift(...rest);
        this.outboxBytes += rest.reduce((n, e) => n + e.payload.length, 0);
        return;
      }
      const e = entries[next++];
      if (!e) {
        return;
      }
      client.publishAsync(e.topic, e.payload, e.options).then(sendNext, (err: unknown) => {
        this.log.warn(`MQTT "${this.profile.name}": a queued message to ${e.topic} was not sent: ${err instanceof Error ? err.message : String(err)}`);
        sendNext();
      });
    };
    for (let i = 0; i < OUTBOX_WINDOW; i++) {
      sendNext();
    }
  }

  private dropOutbox(why: string): void {
    if (!this.outbox.length) {
      return;
    }
    const dropped = this.outbox.splice(0).length;
    this.outboxBytes = 0;
    this.log.warn(`MQTT "${this.profile.name}": ${dropped} queued message${dropped > 1 ? 's were' : ' was'} not sent: ${why}`);
  }

  get subscriptions() {
    return this.profile.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
  }

  /**
   * MQTT 5 subscription identifiers: each filter subscribed on this connection (the profile's, a
   * message file's) gets its own, kept across reconnects, so a message names what it matched.
   */
  readonly subscriptionIds = new SubscriptionIds();

  /**
   * The subscriptions a message matched, from its `subscriptionIdentifier` property (read on
   * display, never on ingest); empty for MQTT 3.1.1 or a broker without identifiers.
   */
  matchedSubscriptions(properties: { readonly subscriptionIdentifier?: unknown } | undefined): string[] {
    return this.subscriptionIds.matched(properties?.subscriptionIdentifier);
  }

  protected repeatedDropsReason(): string {
    return l10n.t(
      'The broker keeps closing the connection right after it opens — most likely another client uses the same client id ({0}). Give this broker a unique client id: Edit Broker…, then Client ID.',
      this.clientId,
    );
  }

  protected repeatedDropsCause(): FailureCause {
    return 'clientId';
  }

  protected override tlsSocket(): TLSSocket | undefined {
    const stream = this.client?.stream as Partial<TLSSocket> | undefined;
    return typeof stream?.getPeerCertificate === 'function' ? (stream as TLSSocket) : undefined;
  }

  /** The live mqtt.js client while connected, for features built on this connection. */
  get mqttClient(): MqttClient | undefined {
    return this.state.kind === 'connected' ? this.client : undefined;
  }

  /** The protocol version of the current (or last) connection. */
  protocolVersion: 4 | 5 = 5;

  /** What the broker allows, from the CONNACK of the current (or last) connection. */
  capabilities: ServerCapabilities = DEFAULT_CAPABILITIES;

  /** The profile's `$share/…` subscriptions: each receives only part of the messages on its topics. */
  get sharedSubscriptions(): readonly string[] {
    return this.subscriptions.filter((s) => sharedSubscription(s.filter)).map((s) => s.filter);
  }

  protected async open(password: string | undefined, timeoutMs: number, onLost: LostCallback): Promise<void> {
    const wanted = this.profile.protocolVersion;
    try {
      await this.openWith(wanted ?? 5, password, timeoutMs, onLost);
    } catch (err) {
      // A broker that only speaks MQTT 3.1.1 refuses version 5: fall back unless 5 was asked for.
      // The code, not the (localized) words: CONNACK 1 (3.1.1) or 0x84 (5), unsupported protocol version.
      if (wanted === undefined && err instanceof ConnectError && (err.code === 1 || err.code === 0x84 || /protocol version/.test(err.message))) {
        this.log.info(`MQTT "${this.profile.name}": the broker refused MQTT 5, using MQTT 3.1.1`);
        await this.close();
        await this.openWith(4, password, timeoutMs, onLost);
        return;
      }
      throw err;
    }
  }

  /**
   * The mqtt.js client. With the proxy setting "system" (the default) mqtt.js connects as usual;
   * with "none" or a proxy, the socket is ours (proxyTunnel.ts): opened first, TLS over it for
   * mqtts, handed to mqtt.js as its stream; for ws/wss through an agent that returns it, the
   * request addressed to 127.0.0.1 with the broker's Host, so VS Code's http.proxy never applies.
   */
  private async makeClient(mqtt: MqttModule, options: IClientOptions, tls: TlsSocketOptions | undefined, timeoutMs: number): Promise<MqttClient> {
    const route = await this.socketRoute();
    if (!route) {
      return mqtt.connect(options);
    }
    const p = this.profile;
    const ws = p.protocol === 'ws' || p.protocol === 'wss';
    const socket = await this.openRouted(route, timeoutMs, tls);
    this.log.info(`MQTT "${p.name}": connecting to ${this.where} ${this.routeText(route)}`);
    if (!ws) {
      return new mqtt.MqttClient(() => socket, options);
    }
    const secure = p.protocol === 'wss';
    let handed = false;
    const agent = socketAgent(secure, async () => {
      if (handed) {
        throw new Error('one WebSocket per connection');
      }
      handed = true;
      return socket;
    });
    const { host, port } = this.target;
    const hostHeader = port === (secure ? 443 : 80) ? formatEndpoint(host, port).replace(/:\d+$/, '') : formatEndpoint(host, port);
    const client = mqtt.connect({ ...options, hostname: LOOPBACK, wsOptions: { agent, headers: { host: hostHeader } } });
    client.once('close', () => agent.destroy());
    return client;
  }

  private async openWith(version: 4 | 5, password: string | undefined, timeoutMs: number, onLost: LostCallback): Promise<void> {
    const mqtt = await loadMqtt();
    this.protocolVersion = version;
    const p = this.profile;
    const tls = isTls(p) ? await this.readTls() : undefined;
    const flowProblem = flowControlProblem(p);
    if (flowProblem) {
      throw new ConnectError(flowProblem, false);
    }
    const properties = version === 5 ? { ...flowControlProperties(p), ...(p.clean === false ? { sessionExpiryInterval: p.sessionExpiry ?? 3600 } : {}) } : {};
    const options: IClientOptions = {
      host: this.target.host,
      port: this.target.port,
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
      ...(Object.keys(properties).length ? { properties } : {}),
      ...tls,
      // mqtt.js hands only a few TLS options to the WebSocket: all of them, so a pin (checkServerIdentity) holds on wss too.
      ...(p.protocol === 'wss' ? { wsOptions: { ...tls } as RequestOptions } : {}),
    };
    this.log.trace(`MQTT client id ${this.clientId}`);
    const client = await this.makeClient(mqtt, options, tls, timeoutMs);
    this.client = client;
    await new Promise<void>((resolve, reject) => {
      let connected = false;
      // Why the connection ended, when the client or the broker said so before 'close'.
      let lastReason: string | undefined;
      let retry = true;
      const timer = setTimeout(
        () => reject(new ConnectError(l10n.t('No answer from {0} within {1} s — is an MQTT broker listening on this port?', this.where, Math.round(timeoutMs / 1000)))),
        timeoutMs,
      );
      // An 'error' event without a listener would throw inside the extension host: always listen.
      client.on('error', (err: Error & { code?: unknown }) => {
        // A refusal of the credentials is worded for what was sent (never the password itself).
        const reason = describeError(err, this.endpoint, { username: p.username || undefined, password: !!password });
        if (!connected) {
          clearTimeout(timer);
          reject(new ConnectError(reason, !(typeof err.code === 'number' && FINAL_CODES.has(err.code)), err.code, failureCauseOf(err, 'MQTT')));
        } else {
          lastReason = reason;
          this.log.warn(`MQTT "${this.profile.name}": ${reason}`);
        }
      });
      // MQTT 5 brokers say why they close a connection.
      client.on('disconnect', (packet: IDisconnectPacket) => {
        const code = packet.reasonCode ?? 0;
        const words = DISCONNECT_REASONS[code]?.() ?? l10n.t('the broker closed the connection (reason code 0x{0})', code.toString(16));
        lastReason =
          code === 0x8e
            ? l10n.t(
                'Another client connected with the same client id ({0}) and took over the session. Give this broker a unique client id (Edit Broker…, then Client ID); Broker Explorer does not reconnect, so the two clients do not keep kicking each other off.',
                this.clientId,
              )
            : words.charAt(0).toUpperCase() + words.slice(1);
        // Reconnecting would take the session back and start a kick loop with the other client.
        retry = code !== 0x8e;
        this.log.warn(`MQTT "${this.profile.name}": ${lastReason}`);
      });
      client.once('connect', (packet: { properties?: Parameters<typeof serverCapabilities>[0] }) => {
        // MQTT 5: what the broker allows, from its CONNACK (3.1.1 says nothing: no limits).
        this.capabilities = serverCapabilities(version === 5 ? packet.properties : undefined);
        connected = true;
        clearTimeout(timer);
        resolve();
      });
      // The model copies what it keeps: mqtt.js's payload is a view into its read buffer.
      client.on('message', (topic, payload, packet) => {
        const time = Date.now();
        this.topics.add(topic, payload, packet.qos, packet.retain, time, packet.properties);
        if (this.sparkplugIngest !== undefined && topic.startsWith(this.sparkplugIngest.prefix)) {
          this.sparkplugIngest.ingest(topic, payload, time);
        }
        if (this.messageEmitter.hasListeners) {
          this.messageEmitter.fire({ topic, payload, packet, time });
        }
      });
      client.on('close', () => {
        if (!connected) {
          clearTimeout(timer);
          reject(
            new ConnectError(
              isTls(p)
                ? l10n.t('The server at {0} closed the connection before answering: the broker may be at its connection limit (max_connections), or this port is not MQTT', this.where)
                : l10n.t('The server at {0} closed the connection before answering: the broker may be at its connection limit (max_connections), or this port is not MQTT (or it expects TLS)', this.where),
            ),
          );
        } else if (this.client === client) {
          onLost(lastReason ?? l10n.t('The broker at {0} closed the connection', this.where), retry, retry ? undefined : 'clientId');
        }
      });
    });
    // Each connection is a new client with a clean session: subscribe exactly once per connect.
    // MQTT 5 "retain as published" keeps the RETAIN flag on live messages, so the tree can
    // show which topics hold a retained message (3.1.1 clears it for existing subscribers).
    // A filter the CONNACK says the broker refuses (wildcards, shared subscriptions) is not sent: said on the node instead.
    const refusedHere = this.subscriptions.map((s) => subscriptionRefusal(s.filter, this.capabilities)).filter((r): r is string => r !== undefined);
    const wanted = this.subscriptions.filter((s) => subscriptionRefusal(s.filter, this.capabilities) === undefined);
    const subOptions = (sub: MqttSubscription) => (version === 5 ? { qos: sub.qos, rap: sub.rap ?? true, nl: sub.nl ?? false, rh: sub.rh ?? 0 } : { qos: sub.qos });
    // MQTT 5 with identifiers: one SUBSCRIBE per filter, each with its own identifier (a SUBSCRIBE
    // carries one), so every message says which subscription(s) it matched. Otherwise one for all.
    const withIds = version === 5 && this.capabilities.subscriptionIdentifiersAvailable;
    const batches: { map: ISubscriptionMap; id?: number }[] = withIds
      ? wanted.map((sub) => ({ map: { [sub.filter]: subOptions(sub) }, id: this.subscriptionIds.idOf(sub.filter) }))
      : wanted.length
        ? [{ map: Object.fromEntries(wanted.map((sub) => [sub.filter, subOptions(sub)])) }]
        : []; // a connection with no subscriptions (the command-line test runner's) subscribes to nothing
    // SUBACK: 0x80 (3.1.1 and 5) or an MQTT 5 reason code ≥ 0x80 refuses that filter. mqtt.js
    // rejects the whole call when one filter is refused; the others still hold.
    const suback = async (b: (typeof batches)[number]): Promise<number[]> => {
      try {
        const granted = await client.subscribeAsync(b.map, b.id !== undefined ? { properties: { subscriptionIdentifier: b.id } } : {});
        return granted.map((g) => g.qos);
      } catch (err) {
        const granted = (err as { packet?: { granted?: unknown } }).packet?.granted;
        if (!Array.isArray(granted)) {
          throw err;
        }
        return granted.map((g: unknown) => (typeof g === 'number' ? g : ((g as { qos?: number }).qos ?? 0x80)));
      }
    };
    const codes = (await Promise.all(batches.map(suback))).flat();
    const filters = batches.flatMap((b) => Object.keys(b.map));
    const refused = codes.map((qos, i) => ({ topic: filters[i] ?? '?', qos })).filter((g) => g.qos >= 0x80);
    if (filters.length && refused.length === filters.length) {
      this.log.warn(`MQTT "${this.profile.name}": every subscription was refused`);
    }
    const list = refused.map((g) => `${g.topic} (${SUBACK_REASONS[g.qos]?.() ?? l10n.t('refused')})`).join(', ');
    const warnings = [
      ...(refusedHere.length ? [l10n.t('Not subscribed, by what the broker announced: {0}. The tree shows only what the other subscriptions receive', refusedHere.join('; '))] : []),
      ...(refused.length
        ? [refused.length > 1 ? l10n.t('The broker refused the subscriptions {0}: the tree shows only what the other subscriptions receive', list) : l10n.t('The broker refused the subscription {0}: the tree shows only what the other subscriptions receive', list)]
        : []),
    ];
    this.setWarning(warnings.length ? warnings.join('. ') : undefined);
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
