import * as vscode from 'vscode';
import { AmqpConnection } from '../core/amqp/amqpConnection';
import { AmqpTap, type TappedMessage } from '../core/amqp/tap';
import { previewPayload, formatBytes } from '../core/mqtt/payload';
import type { BrokerRegistry } from '../core/registry';
import { Disposable } from '../util/disposable';

interface ActiveTap {
  readonly tap: AmqpTap;
  readonly output: vscode.OutputChannel;
  readonly connection: AmqpConnection;
}

/** At most this many lines are written per batch; the rest are summarised. */
const LINES_PER_BATCH = 50;

function line(m: TappedMessage): string {
  const time = new Date(m.time).toISOString().slice(11, 23);
  const { text } = previewPayload(m.body, 120, m.body.length < m.size);
  return `${time}  ${m.routingKey || '(empty routing key)'}  ${formatBytes(m.size)}${m.redelivered ? '  redelivered' : ''}  ${text}`;
}

/**
 * Taps on exchanges, each shown as a live list in its own output channel (until the inspector
 * panel exists). Taps end with their connection, on Stop Tap, or when VS Code closes.
 */
export class TapManager extends Disposable {
  private readonly taps = new Map<string, ActiveTap>();

  constructor(registry: BrokerRegistry) {
    super();
    this._register(
      registry.onDidChange((change) => {
        if (change.type === 'removed' || change.type === 'updated' || (change.type === 'state' && change.state.kind !== 'connected')) {
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
    this._register({ dispose: () => [...this.taps.keys()].forEach((k) => void this.stop(k)) });
  }

  get active(): string[] {
    return [...this.taps.keys()];
  }

  tap(key: string): AmqpTap | undefined {
    return this.taps.get(key)?.tap;
  }

  async start(connection: AmqpConnection, exchange: string, pattern: string): Promise<string> {
    const key = `${connection.profile.name} › ${exchange || '(AMQP default)'} › ${pattern}`;
    if (this.taps.has(key)) {
      this.taps.get(key)!.output.show(true);
      return key;
    }
    const tap = new AmqpTap(connection, exchange, { pattern });
    await tap.start();
    const output = vscode.window.createOutputChannel(`Broker Explorer Tap: ${exchange || '(AMQP default)'}`);
    output.appendLine(`Tapping exchange ${exchange} on ${connection.profile.name} with pattern ${pattern} (temporary queue ${tap.queueName}, removed when the tap stops).`);
    tap.onDidReceive((n) => {
      const shown = tap.messages(Math.min(n, LINES_PER_BATCH));
      if (n > shown.length) {
        output.appendLine(`… ${n - shown.length} more messages (${tap.received.toLocaleString('en-US')} in all)`);
      }
      output.appendLine(shown.map(line).join('\n'));
    });
    output.show(true);
    this.taps.set(key, { tap, output, connection });
    void vscode.commands.executeCommand('setContext', 'brokerExplorer:tapping', true);
    return key;
  }

  async stop(key: string): Promise<boolean> {
    const t = this.taps.get(key);
    if (!t) {
      return false;
    }
    this.taps.delete(key);
    await t.tap.stop();
    t.output.appendLine(`Tap stopped after ${t.tap.received.toLocaleString('en-US')} messages.`);
    void vscode.commands.executeCommand('setContext', 'brokerExplorer:tapping', this.taps.size > 0);
    return true;
  }
}
