// The running taps of this session, by key: started from the AMQP view and message files, shown
// by the inspector. A service of the core: the glue listens to onDidChangeActive.
import type { AmqpConnection } from './amqpConnection';
import { AmqpTap } from './tap';
import type { BrokerRegistry } from '../brokers/registry';
import { Emitter, type Disposable, type Event } from '../brokers/events';

interface ActiveTap {
  readonly tap: AmqpTap;
  readonly connection: AmqpConnection;
}

/** Messages and body bytes a tap keeps for its own list (the inspector keeps its own copies). */
const TAP_KEEP = 1000;

/**
 * Taps on exchanges; the inspector panel shows them live. Taps end with their connection, on
 * Stop Tap, when their inspector closes, or when VS Code closes.
 */
export class TapManager implements Disposable {
  private readonly taps = new Map<string, ActiveTap>();
  private readonly activeEmitter = new Emitter<boolean>();
  /** Fires with whether any tap runs, after a tap started or stopped. */
  readonly onDidChangeActive: Event<boolean> = this.activeEmitter.event;
  private readonly subscriptions: Disposable[] = [];

  constructor(registry: BrokerRegistry) {
    this.subscriptions.push(
      registry.onDidChange((change) => {
        // A tap survives a reconnect (it binds a new queue when the connection is back).
        if (change.type === 'removed' || change.type === 'updated' || (change.type === 'state' && (change.state.kind === 'disconnected' || change.state.kind === 'failed'))) {
          for (const [key, t] of this.taps) {
            // An 'updated' broker keeps its taps unless its connection was replaced.
            const gone = change.type !== 'updated' || registry.get(t.connection.id) !== t.connection;
            if (gone && t.connection.id === change.connection.id) {
              void this.stop(key);
            }
          }
        }
      }),
    );
  }

  dispose(): void {
    this.subscriptions.splice(0).forEach((s) => s.dispose());
    [...this.taps.keys()].forEach((k) => void this.stop(k));
    this.activeEmitter.dispose();
  }

  get active(): string[] {
    return [...this.taps.keys()];
  }

  tap(key: string): AmqpTap | undefined {
    return this.taps.get(key)?.tap;
  }

  /** By connection id: two brokers may have the same name (a user's own and a workspace one). */
  static keyFor(connection: AmqpConnection, exchange: string, pattern: string): string {
    return `${connection.profile.name} › ${exchange || '(AMQP default)'} › ${pattern} · ${connection.id}`;
  }

  private readonly starting = new Map<string, Promise<string>>();

  /** Starts a tap (or returns the running one with the same exchange and pattern; concurrent starts share one). */
  start(connection: AmqpConnection, exchange: string, pattern: string): Promise<string> {
    const key = TapManager.keyFor(connection, exchange, pattern);
    if (this.taps.has(key)) {
      return Promise.resolve(key);
    }
    const pending = this.starting.get(key) ?? this.open(key, connection, exchange, pattern).finally(() => this.starting.delete(key));
    this.starting.set(key, pending);
    return pending;
  }

  private async open(key: string, connection: AmqpConnection, exchange: string, pattern: string): Promise<string> {
    const tap = new AmqpTap(connection, exchange, { pattern, keep: TAP_KEEP });
    await tap.start();
    this.taps.set(key, { tap, connection });
    // A tap whose channel the broker closed is gone too.
    tap.onDidStop(() => {
      if (this.taps.get(key)?.tap === tap) {
        this.taps.delete(key);
        this.activeEmitter.fire(this.taps.size > 0);
      }
    });
    this.activeEmitter.fire(true);
    return key;
  }

  async stop(key: string): Promise<boolean> {
    const t = this.taps.get(key);
    if (!t) {
      return false;
    }
    this.taps.delete(key);
    await t.tap.stop();
    this.activeEmitter.fire(this.taps.size > 0);
    return true;
  }
}
