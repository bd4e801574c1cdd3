import type { ChannelModel } from 'amqplib';
import { BrokerConnection, ConnectError, type ConnectionOptions } from '../connection';
import { describeError } from '../errors';
import type { AmqpProfile } from '../profile';

type AmqpModule = typeof import('amqplib');
let amqpModule: Promise<AmqpModule> | undefined;

/** amqplib is loaded on the first connection, never at activation. */
function loadAmqp(): Promise<AmqpModule> {
  amqpModule ??= import('amqplib');
  return amqpModule;
}

/** One RabbitMQ (AMQP 0-9-1) connection over amqplib. */
export class AmqpConnection extends BrokerConnection<AmqpProfile> {
  protected readonly protocolName = 'AMQP' as const;
  private model: ChannelModel | undefined;

  constructor(profile: AmqpProfile, options: ConnectionOptions = {}) {
    super(profile, options);
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConnectError(`No answer from ${this.where} within ${Math.round(timeoutMs / 1000)} s — is RabbitMQ listening on this port?`)),
        timeoutMs,
      );
    });
    const connecting = amqp.connect(
      {
        protocol: 'amqp',
        hostname: this.profile.host,
        port: this.profile.port,
        username: this.profile.username ?? 'guest',
        password: password ?? '',
        vhost: this.profile.vhost,
        heartbeat: 30,
      },
      { timeout: timeoutMs, clientProperties: { connection_name: `Broker Explorer (${this.profile.name})` } },
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
      const reason = describeError(err, this.endpoint);
      throw new ConnectError(reason, !/^Not (authorized|allowed)/.test(reason));
    } finally {
      clearTimeout(timer);
    }
    this.model = model;
    // Without an 'error' listener amqplib's connection errors would throw in the extension host.
    model.on('error', (err: Error) => this.log.warn(`AMQP "${this.profile.name}": ${describeError(err, this.endpoint)}`));
    model.on('close', (err?: Error) => {
      if (this.model === model) {
        this.model = undefined;
        onLost(err ? describeError(err, this.endpoint) : 'connection closed');
      }
    });
    model.on('blocked', (reason: string) => this.log.warn(`RabbitMQ blocked publishing on "${this.profile.name}": ${reason}`));
  }

  protected async close(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    if (model) {
      model.removeAllListeners('close');
      await Promise.race([model.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
    }
  }
}
