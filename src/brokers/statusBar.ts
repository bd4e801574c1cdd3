import * as vscode from 'vscode';
import { formatRate, shortCount } from '../core/format/counts';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import type { BrokerRegistry } from '../core/brokers/registry';
import { Disposable } from '../shared/disposable';

/**
 * "$(radio-tower) 2 brokers · 1,234 msg/s": connected brokers and the MQTT message rate — the
 * sum of the broker rows' rates (the same sliding window, `TopicNode.currentRate`), nothing when no
 * message came in the window.
 */
export class BrokerStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('brokerExplorer.status', vscode.StatusBarAlignment.Left, 50));
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly registry: BrokerRegistry) {
    super();
    this.item.name = vscode.l10n.t('Broker Explorer');
    this.item.command = 'workbench.view.extension.brokerExplorer';
    this._register(registry.onDidChange(() => this.update()));
    this._register({ dispose: () => clearInterval(this.timer) });
    this.update();
  }

  /** Messages per second over all connected MQTT brokers. */
  totalRate(now = Date.now()): number {
    let rate = 0;
    for (const c of this.registry.list('mqtt')) {
      if (c instanceof MqttConnection && c.state.kind === 'connected') {
        rate += c.topics.root.currentRate(now);
      }
    }
    return rate;
  }

  get text(): string {
    return this.item.text;
  }

  /** One line per connected broker, with its rate (for tests and the hover). */
  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : '';
  }

  update(): void {
    const connected = this.registry.list().filter((c) => c.state.kind === 'connected');
    if (!connected.length) {
      this.item.hide();
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.timer ??= setInterval(() => this.update(), 1000);
    const now = Date.now();
    const rates = connected.map((c) => (c instanceof MqttConnection ? c.topics.root.currentRate(now) : 0));
    const rate = rates.reduce((sum, r) => sum + r, 0);
    const brokers = connected.length === 1 ? vscode.l10n.t('1 broker') : vscode.l10n.t('{0} brokers', connected.length);
    // The rows' figure, in the rows' short form ("59.4K"); below one message a second, none.
    const shown = rate >= 1 ? vscode.l10n.t('{0} msg/s', shortCount(Math.round(rate))) : undefined;
    this.item.text = `$(radio-tower) ${brokers}${shown ? ` · ${shown}` : ''}`;
    this.item.tooltip = connected
      .map((c, i) => {
        const own = formatRate(rates[i]!);
        return `${c.profile.name} (${c.profile.kind.toUpperCase()})${own ? ` · ${own}` : ''}`;
      })
      .join('\n');
    this.item.accessibilityInformation = { label: vscode.l10n.t('{0} connected, {1} MQTT messages per second', brokers, Math.round(rate)) };
    this.item.show();
  }
}
