import * as l10n from '@vscode/l10n';
import type { Channel, ConsumeMessage } from 'amqplib';
import { Emitter, type Event } from '../brokers/events';
import { brokerReply, type AmqpConnection } from './amqpConnection';

/** One message seen by a tap: a copy of its body (bounded) and what routed it. */
export interface TappedMessage {
  readonly time: number;
  readonly routingKey: string;
  readonly redelivered: boolean;
  readonly size: number;
  readonly body: Uint8Array;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, unknown>>;
}

/** A message as the tap receives it, whole (inspectors listen to these). */
export interface TapDelivery {
  readonly time: number;
  readonly exchange: string;
  readonly routingKey: string;
  readonly redelivered: boolean;
  readonly content: Uint8Array;
  /** AMQP basic properties (contentType, correlationId, …) without `headers`. */
  readonly properties: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, unknown>>;
}

export interface TapOptions {
  /** Binding pattern: `#` (default) for topic exchanges; ignored by fanout. */
  readonly pattern?: string;
  /** Messages kept (the newest). */
  readonly keep?: number;
  /** Body bytes kept per message. */
  readonly bodyBytes?: number;
}

/**
 * A live view of what flows through an exchange: a server-named exclusive, auto-delete queue
 * bound to it, consumed without acks on a channel of its own. Closing the tap (or losing the
 * connection) deletes the queue; nothing is taken from other consumers' queues.
 */
export class AmqpTap {
  private channel: Channel | undefined;
  private queue: string | undefined;
  private readonly ring: TappedMessage[] = [];
  private head = 0;
  received = 0;
  bytes = 0;
  private readonly messagesEmitter = new Emitter<number>();
  /** Fires (at most every `batchMs`) with how many messages arrived since the last event. */
  readonly onDidReceive: Event<number> = this.messagesEmitter.event;
  private readonly deliveryEmitter = new Emitter<TapDelivery>();
  /** Every message, whole, as it arrives. */
  readonly onMessage: Event<TapDelivery> = this.deliveryEmitter.event;
  private readonly stopEmitter = new Emitter<void>();
  /** Fires once when the tap stops (stop() or its channel closed). */
  readonly onDidStop: Event<void> = this.stopEmitter.event;
  private stopped = false;
  private pendingEvent = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly keep: number;
  private readonly bodyBytes: number;

  constructor(
    private readonly connection: AmqpConnection,
    readonly exchange: string,
    private readonly options: TapOptions = {},
    private readonly batchMs = 250,
  ) {
    this.keep = options.keep ?? 1000;
    this.bodyBytes = options.bodyBytes ?? 64 * 1024;
  }

  get queueName(): string | undefined {
    return this.queue;
  }

  /** True while the connection is being re-established: the tap starts again when it is back. */
  get suspended(): boolean {
    return this.isSuspended;
  }

  /** How many times the tap was suspended by a lost connection and resumed (messages in between were not seen). */
  resumed = 0;
  private isSuspended = false;
  private stateSub: { dispose(): void } | undefined;

  async start(): Promise<void> {
    await this.open();
    // A lost connection suspends the tap; it binds a new queue when the connection is back.
    this.stateSub ??= this.connection.onDidChangeState((state) => {
      if (state.kind === 'connected' && this.isSuspended && !this.stopped) {
        this.open().then(
          () => {
            this.isSuspended = false;
            this.resumed++;
          },
          () => void this.stop(),
        );
      } else if (state.kind === 'disconnected' || state.kind === 'failed') {
        void this.stop();
      }
    });
  }

  private async open(): Promise<void> {
    const model = this.connection.channelModel;
    if (!model) {
      throw new Error(l10n.t('"{0}" is not connected', this.connection.profile.name));
    }
    const channel = await model.createChannel();
    channel.on('error', () => {}); // a broker error closes this channel only; start() reports it
    channel.on('close', () => {
      if (this.channel !== channel) {
        return;
      }
      this.channel = undefined;
      this.queue = undefined;
      // amqplib closes channels before it reports the connection lost: look once it has.
      setTimeout(() => {
        if (this.stopped) {
          return;
        }
        if (this.connection.isReconnecting) {
          this.isSuspended = true;
        } else {
          void this.stop();
        }
      }, 50);
    });
    try {
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      await channel.bindQueue(queue, this.exchange, this.options.pattern ?? '#');
      await channel.consume(queue, (m) => m && this.absorb(m), { noAck: true });
      this.channel = channel;
      this.queue = queue;
    } catch (err) {
      await channel.close().catch(() => {});
      throw new Error(brokerReply(err), { cause: err });
    }
  }

  private absorb(m: ConsumeMessage): void {
    const size = m.content.length;
    if (this.deliveryEmitter.hasListeners) {
      const { headers, ...properties } = m.properties as unknown as Record<string, unknown> & { headers?: Record<string, unknown> };
      this.deliveryEmitter.fire({ time: Date.now(), exchange: m.fields.exchange, routingKey: m.fields.routingKey, redelivered: m.fields.redelivered, content: m.content, properties, headers });
    }
    const message: TappedMessage = {
      time: Date.now(),
      routingKey: m.fields.routingKey,
      redelivered: m.fields.redelivered,
      size,
      // amqplib's content is its own buffer per message; keep a bounded copy anyway.
      body: size > this.bodyBytes ? Buffer.from(m.content.subarray(0, this.bodyBytes)) : m.content,
      contentType: m.properties.contentType as string | undefined,
      headers: m.properties.headers,
    };
    if (this.ring.length < this.keep) {
      this.ring.push(message);
    } else {
      this.ring[this.head] = message;
      this.head = (this.head + 1) % this.keep;
    }
    this.received++;
    this.bytes += size;
    this.pendingEvent++;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const n = this.pendingEvent;
      this.pendingEvent = 0;
      this.messagesEmitter.fire(n);
    }, this.batchMs);
  }

  /** The kept messages, oldest first; `last` limits to the newest ones. */
  messages(last = this.keep): TappedMessage[] {
    const ordered = this.ring.length < this.keep ? this.ring.slice() : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
    return ordered.slice(Math.max(0, ordered.length - last));
  }

  /** Stops consuming; the broker deletes the exclusive queue. */
  async stop(): Promise<void> {
    this.stateSub?.dispose();
    this.stateSub = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    const channel = this.channel;
    this.channel = undefined;
    this.queue = undefined;
    if (channel) {
      await channel.close().catch(() => {});
    }
    this.messagesEmitter.dispose();
    if (!this.stopped) {
      this.stopped = true;
      this.stopEmitter.fire();
    }
    this.stopEmitter.dispose();
    this.deliveryEmitter.dispose();
  }
}
