import type { TLSSocket } from 'node:tls';
import * as l10n from '@vscode/l10n';
import type { Channel, ChannelModel, ConfirmChannel, Options } from 'amqplib';
import { Emitter, type Event } from '../brokers/events';
import { ManagementClient, type BindingInfo, type ExchangeInfo, type QueueInfo } from './management';
import { BrokerConnection, ConnectError, type ConnectionOptions } from '../brokers/connection';
import { describeError, failureCauseOf, isAmqpRefusal } from '../brokers/errors';
import { managementUrlOf, type AmqpProfile } from '../brokers/profile';
import type { Agent } from 'node:http';
import { isIP } from 'node:net';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { agentFetch, identityCheckFor, LOOPBACK, openSocket, relayOnce, socketAgent, startTls, type Relay, type SocketRoute } from '../brokers/proxyTunnel';
import type { TlsSocketOptions } from '../brokers/tlsFiles';

type AmqpModule = typeof import('amqplib');
let amqpModule: Promise<AmqpModule> | undefined;

/** amqplib is loaded on the first connection, never at activation. */
function loadAmqp(): Promise<AmqpModule> {
  amqpModule ??= import('amqplib');
  return amqpModule;
}

export interface VhostTopology {
  readonly name: string;
  readonly exchanges: readonly ExchangeInfo[];
  /** The first 500 queues by name; `queueTotal` says how many there are. */
  readonly queues: readonly QueueInfo[];
  readonly queueTotal: number;
  /** Queues matching `queueFilter` (all of them without a filter). */
  readonly queueMatching?: number;
  readonly bindings: readonly BindingInfo[];
}

/** What the management API showed at `fetchedAt`, or why it could not be read. */
export interface Topology {
  readonly fetchedAt: number;
  readonly vhosts: readonly VhostTopology[];
  readonly error?: string;
}

export type QueueType = 'classic' | 'quorum' | 'stream';

/**
 * The broker's text from an amqplib channel error, e.g. "NOT_FOUND - no queue 'x' in vhost '/'".
 * amqplib words them "Operation failed: QueueDeclare; 404 (NOT-FOUND) with message "…"".
 */
export function brokerReply(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const reply = /with message "([^"]*)"/.exec(message)?.[1];
  if (!reply) {
    return message;
  }
  const code = /^([A-Z_]+) - /.exec(reply)?.[1];
  const plain =
    code === 'PRECONDITION_FAILED' && /inequivalent arg/.test(reply)
      ? l10n.t('It already exists with other settings')
      : code
        ? REPLY_WORDS[code]?.()
        : undefined;
  return plain ? `${plain} — ${reply}` : reply;
}

/** RabbitMQ's channel and connection error codes, as a sentence that comes before its own text. */
const REPLY_WORDS: Record<string, () => string> = {
  NOT_FOUND: () => l10n.t('It does not exist'),
  ACCESS_REFUSED: () => l10n.t('Not allowed'),
  PRECONDITION_FAILED: () => l10n.t('Precondition failed'),
  RESOURCE_LOCKED: () => l10n.t('In use by another connection (exclusive)'),
  NOT_ALLOWED: () => l10n.t('Not allowed'),
};

/** Up to this many exchanges, their bindings are read one exchange at a time (see exchangeBindings). */
const PER_EXCHANGE_BINDINGS = 40;

/**
 * The bindings of a vhost's exchanges, without the default exchange's. RabbitMQ's vhost listing
 * (/api/bindings/{vhost}) also lists the default exchange's binding of every queue: 2,000
 * queues make it 2,000 entries to encode, send and parse at every poll. With a few exchanges,
 * asking each of them for its bindings is far less work; with many, the one listing is.
 */
async function exchangeBindings(api: ManagementClient, vhost: string, exchanges: readonly ExchangeInfo[]): Promise<BindingInfo[]> {
  const named = exchanges.filter((e) => e.name !== '');
  if (named.length > PER_EXCHANGE_BINDINGS) {
    return (await api.bindings(vhost)).filter((b) => b.source !== '');
  }
  return (await Promise.all(named.map((e) => api.sourceBindings(vhost, e.name)))).flat();
}

/** The default exchange binds every queue by its name, always (the broker lists them the same way). */
export function defaultBindings(queues: readonly QueueInfo[]): BindingInfo[] {
  return queues.map((q) => ({ source: '', vhost: q.vhost, destination: q.name, destination_type: 'queue', routing_key: q.name, arguments: {}, properties_key: q.name }));
}

/** One RabbitMQ (AMQP 0-9-1) connection over amqplib, plus its management API. */
export class AmqpConnection extends BrokerConnection<AmqpProfile> {
  protected readonly protocolName = 'AMQP' as const;
  private model: ChannelModel | undefined;
  private managementClient: ManagementClient | undefined;
  private topologyState: Topology | undefined;
  /** A regular expression on queue names: the tree lists matching queues only. */
  queueFilter: string | undefined;
  private readonly topologyEmitter = new Emitter<Topology>();
  /** Fires after each topology refresh. */
  readonly onDidChangeTopology: Event<Topology> = this.topologyEmitter.event;
  private blockedReason: string | undefined;
  /** Through a proxy: the loopback relay amqplib is connected to, and the management API's agent. */
  private relay: Relay | undefined;
  private managementAgent: Agent | undefined;

  /** Why RabbitMQ blocks publishing on this connection right now (e.g. "low on memory"), if it does. */
  get blocked(): string | undefined {
    return this.blockedReason;
  }

  constructor(profile: AmqpProfile, options: ConnectionOptions = {}) {
    super(profile, options);
  }

  get managementUrl(): string {
    // A cluster's management API without a URL of its own: the node in use (RabbitMQ serves it on every node).
    return managementUrlOf({ ...this.profile, host: this.target.host });
  }

  /** The management API client (made on connect, with the connection's credentials). */
  get management(): ManagementClient {
    if (!this.managementClient) {
      throw new Error(l10n.t('"{0}" is not connected', this.profile.name));
    }
    return this.managementClient;
  }

  get topology(): Topology | undefined {
    return this.topologyState;
  }

  /** Reads vhosts, exchanges, queues and bindings from the management API. Never rejects. */
  async refreshTopology(): Promise<Topology> {
    let topology: Topology;
    try {
      const api = this.management;
      const names = await api.vhosts();
      const vhosts = await Promise.all(
        names.map(async (name) => {
          const listing = api.exchanges(name);
          const [exchanges, queues, bindings] = await Promise.all([listing, api.queues(name, 500, this.queueFilter), listing.then((e) => exchangeBindings(api, name, e))]);
          return { name, exchanges, queues: queues.items, queueTotal: queues.total, queueMatching: queues.matching, bindings: [...defaultBindings(queues.items), ...bindings] };
        }),
      );
      topology = { fetchedAt: Date.now(), vhosts };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.log.warn(`AMQP "${this.profile.name}": ${error}`);
      topology = { fetchedAt: Date.now(), vhosts: await this.passiveTopology(), error };
    }
    this.topologyState = topology;
    this.topologyEmitter.fire(topology);
    return topology;
  }

  /**
   * Without the management API, AMQP can still check exchanges and queues by name (passive
   * declares): the ones the user named are shown with what AMQP tells (queue depth, consumers).
   */
  private async passiveTopology(): Promise<VhostTopology[]> {
    const watched = this.profile.watched;
    if (!watched || !this.channelModel) {
      return [];
    }
    const vhost = this.profile.vhost;
    const exchanges: ExchangeInfo[] = [];
    const queues: QueueInfo[] = [];
    for (const name of watched.exchanges ?? []) {
      const found = await this.withChannel((ch) => ch.checkExchange(name)).then(
        () => true,
        () => false,
      );
      exchanges.push({ passive: true, name, vhost, type: found ? 'exists' : 'not found', durable: false, auto_delete: false, internal: false, arguments: {} });
    }
    for (const name of watched.queues ?? []) {
      const q = await this.withChannel((ch) => ch.checkQueue(name)).catch(() => undefined);
      queues.push({ passive: true, name, vhost, durable: false, auto_delete: false, exclusive: false, arguments: {}, state: q ? 'running' : 'not found', messages_ready: q?.messageCount, consumers: q?.consumerCount });
    }
    return [{ name: vhost, exchanges, queues, queueTotal: queues.length, bindings: [] }];
  }

  /**
   * Runs `fn` on a channel of its own: a broker error (404, 403, 406…) closes that channel only,
   * never the connection, and reaches the caller as the broker's reply text.
   */
  async withChannel<T>(fn: (channel: Channel) => Promise<T>, confirm?: false): Promise<T>;
  async withChannel<T>(fn: (channel: ConfirmChannel) => Promise<T>, confirm: true): Promise<T>;
  async withChannel<T>(fn: (channel: ConfirmChannel & Channel) => Promise<T>, confirm = false): Promise<T> {
    const model = this.channelModel;
    if (!model) {
      throw new Error(l10n.t('"{0}" is not connected', this.profile.name));
    }
    const channel = (confirm ? await model.createConfirmChannel() : await model.createChannel()) as ConfirmChannel & Channel;
    let closed = false;
    channel.on('error', (err: Error) => this.log.warn(`AMQP "${this.profile.name}" channel: ${brokerReply(err)}`));
    channel.on('close', () => (closed = true));
    try {
      return await fn(channel);
    } catch (err) {
      throw new Error(brokerReply(err), { cause: err });
    } finally {
      if (!closed) {
        await channel.close().catch(() => {});
      }
    }
  }

  declareExchange(name: string, type: string, options: Options.AssertExchange = {}): Promise<void> {
    return this.withChannel(async (ch) => void (await ch.assertExchange(name, type, options)));
  }

  declareQueue(name: string, type: QueueType = 'classic', options: Options.AssertQueue = {}): Promise<string> {
    const args = { ...(options.arguments as Record<string, unknown> | undefined), ...(type === 'classic' ? {} : { 'x-queue-type': type }) };
    // Quorum queues and streams are always durable.
    const durable = type === 'classic' ? (options.durable ?? true) : true;
    return this.withChannel(async (ch) => (await ch.assertQueue(name, { ...options, durable, arguments: args })).queue);
  }

  bindQueue(queue: string, exchange: string, routingKey: string, args?: Record<string, unknown>): Promise<void> {
    return this.withChannel(async (ch) => void (await ch.bindQueue(queue, exchange, routingKey, args)));
  }

  unbindQueue(queue: string, exchange: string, routingKey: string, args?: Record<string, unknown>): Promise<void> {
    return this.withChannel(async (ch) => void (await ch.unbindQueue(queue, exchange, routingKey, args)));
  }

  /**
   * Reads up to `count` messages of a stream from `offset` ('first', 'last', 'next', a number or a
   * Date) with a consumer of its own: streams are not consumed destructively, nothing is lost.
   */
  readStream(queue: string, count: number, offset: 'first' | 'last' | 'next' | number | Date = 'first', idleMs = 1000): Promise<{ routingKey: string; body: Buffer; offset?: number }[]> {
    return this.withChannel(async (ch) => {
      await ch.prefetch(Math.min(count, 1000));
      const out: { routingKey: string; body: Buffer; offset?: number }[] = [];
      let tag: string | undefined;
      await new Promise<void>((resolve, reject) => {
        let timer = setTimeout(resolve, idleMs * 3); // an empty stream: give it a moment
        ch.consume(
          queue,
          (m) => {
            if (!m || out.length >= count) {
              return;
            }
            out.push({ routingKey: m.fields.routingKey, body: m.content, offset: (m.properties.headers)?.['x-stream-offset'] as number | undefined });
            ch.ack(m);
            clearTimeout(timer);
            timer = out.length >= count ? setTimeout(resolve, 0) : setTimeout(resolve, idleMs);
          },
          { noAck: false, arguments: { 'x-stream-offset': offset } },
        ).then((r) => (tag = r.consumerTag), reject);
      });
      if (tag) {
        await ch.cancel(tag).catch(() => {});
      }
      return out;
    });
  }

  /**
   * Publishes with publisher confirms and the mandatory flag: "unroutable" when the broker
   * returned it (no queue bound for this routing key), "routed" when it took it.
   */
  publish(exchange: string, routingKey: string, body: Uint8Array, options: Options.Publish = {}): Promise<'routed' | 'unroutable' | 'sent'> {
    const mandatory = options.mandatory ?? true;
    return this.withChannel(async (ch) => {
      let returned = false;
      ch.on('return', () => (returned = true));
      ch.publish(exchange, routingKey, Buffer.from(body), { ...options, mandatory });
      await ch.waitForConfirms();
      // Without the mandatory flag the broker drops what no queue takes, silently.
      return !mandatory ? 'sent' : returned ? 'unroutable' : 'routed';
    }, true);
  }

  protected override tlsSocket(): TLSSocket | undefined {
    const stream = (this.model?.connection as { stream?: Partial<TLSSocket> } | undefined)?.stream;
    return typeof stream?.getPeerCertificate === 'function' ? (stream as TLSSocket) : undefined;
  }

  /** The live amqplib connection while connected, for features built on this connection. */
  get channelModel(): ChannelModel | undefined {
    return this.state.kind === 'connected' ? this.model : undefined;
  }

  /** Server product and version from the AMQP handshake, e.g. "RabbitMQ 3.12.1". */
  get serverDescription(): string | undefined {
    const props = this.channelModel?.connection.serverProperties;
    return props ? [props.product, props.version].filter(Boolean).join(' ') : undefined;
  }

  protected async open(password: string | undefined, timeoutMs: number, onLost: (reason: string) => void): Promise<void> {
    const amqp = await loadAmqp();
    const p = this.profile;
    const tls = p.protocol === 'amqps' ? await this.readTls() : {};
    const route = await this.socketRoute();
    // amqplib cannot take a socket: through a proxy it connects to a loopback relay of ours that
    // holds the tunnel, and TLS (amqps) still checks the broker's own name, not 127.0.0.1.
    let via: { hostname: string; port: number; tls: Pick<TlsConnectionOptions, 'servername' | 'checkServerIdentity'> } = { hostname: this.target.host, port: this.target.port, tls: {} };
    if (route?.kind === 'proxy') {
      const tunnel = await this.openRouted(route, timeoutMs);
      this.relay = await relayOnce(tunnel, timeoutMs);
      this.log.info(`AMQP "${p.name}": connecting to ${this.where} ${this.routeText(route)} (loopback relay on port ${this.relay.port})`);
      const real = this.target.host;
      via = {
        hostname: LOOPBACK,
        port: this.relay.port,
        tls: p.protocol === 'amqps' ? { servername: p.tls?.servername ?? (isIP(real) ? undefined : real), checkServerIdentity: identityCheckFor(p.tls?.servername ?? real, (tls as TlsSocketOptions).checkServerIdentity) } : {},
      };
    }
    // The timer starts here: a proxy step above that fails (refused, wrong credentials) throws
    // before the race below, and a timer started earlier would then reject with nobody listening.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConnectError(l10n.t('No answer from {0} within {1} s — is RabbitMQ listening on this port?', this.where, Math.round(timeoutMs / 1000)))),
        timeoutMs,
      );
    });
    const connecting = amqp.connect(
      {
        protocol: p.protocol ?? 'amqp',
        hostname: via.hostname,
        port: via.port,
        username: p.username ?? 'guest',
        password: password ?? '',
        vhost: p.vhost,
        heartbeat: p.heartbeat ?? 30,
      },
      { timeout: timeoutMs, clientProperties: { connection_name: `Broker Explorer (${p.name})` }, ...tls, ...via.tls },
    );
    let model: ChannelModel;
    try {
      model = await Promise.race([connecting, timeout]);
    } catch (err) {
      // A late success after our timeout must not leak an open connection.
      connecting.then((m) => m.close().catch(() => {}), () => {});
      if (err instanceof ConnectError) {
        throw err;
      }
      const reason = describeError(err, this.endpoint, { username: p.username ?? 'guest', password: !!password });
      throw new ConnectError(reason, !isAmqpRefusal(reason), (err as { code?: unknown } | undefined)?.code, failureCauseOf(err, 'AMQP'));
    } finally {
      clearTimeout(timer);
    }
    this.model = model;
    // The management API may have credentials of its own (e.g. a monitoring user).
    const mgmtUser = this.profile.managementUsername;
    const mgmtPassword = mgmtUser ? await this.options.getSecret?.('managementPassword') : password;
    this.managementClient = new ManagementClient(this.managementUrl, mgmtUser ?? this.profile.username ?? 'guest', mgmtPassword ?? '', undefined, route && this.managementFetch(route, timeoutMs));
    // Without an 'error' listener amqplib's connection errors would throw in the extension host.
    model.on('error', (err: Error) => this.log.warn(`AMQP "${this.profile.name}": ${describeError(err, this.endpoint)}`));
    model.on('close', (err?: Error) => {
      if (this.model === model) {
        this.model = undefined;
        onLost(err ? describeError(err, this.endpoint) : l10n.t('connection closed'));
      }
    });
    // A resource alarm (memory or disk) blocks publishers until it clears; say so instead of hanging.
    model.on('blocked', (reason: string) => {
      this.setBlocked(reason || l10n.t('resource alarm'));
    });
    model.on('unblocked', () => {
      this.log.info(`RabbitMQ unblocked publishing on "${this.profile.name}"`);
      this.setBlocked(undefined);
    });
  }

  /**
   * fetch() for the management API along the route ("none": directly; a proxy: a tunnel per
   * socket, TLS over it for https), never through VS Code's http.proxy (proxyTunnel.ts).
   */
  private managementFetch(route: SocketRoute, timeoutMs: number): typeof fetch {
    const url = new URL(this.managementUrl);
    const secure = url.protocol === 'https:';
    const target = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : secure ? 443 : 80 };
    this.managementAgent?.destroy();
    // Raw errors here (not openRouted's): the management client words them for the API.
    const agent = socketAgent(secure, async () => {
      const socket = await openSocket(route, target, timeoutMs);
      return secure ? startTls(socket, { rejectUnauthorized: true }, target.host, timeoutMs) : socket;
    });
    this.managementAgent = agent;
    return agentFetch(agent);
  }

  private setBlocked(reason: string | undefined): void {
    if (this.blockedReason !== reason) {
      this.blockedReason = reason;
      this.setWarning(reason === undefined ? undefined : l10n.t('RabbitMQ is blocking publishers on this connection ({0}); messages sent now wait until the alarm clears', reason));
    }
  }

  protected async close(): Promise<void> {
    this.setBlocked(undefined);
    this.relay?.close();
    this.relay = undefined;
    this.managementAgent?.destroy();
    this.managementAgent = undefined;
    const model = this.model;
    this.model = undefined;
    if (model) {
      model.removeAllListeners('close');
      await Promise.race([model.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
    }
  }
}
