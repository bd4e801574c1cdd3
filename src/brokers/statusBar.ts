import * as vscode from 'vscode';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import type { BrokerRegistry } from '../core/brokers/registry';
import { Disposable } from '../shared/disposable';

/** "$(radio-tower) 2 brokers · 1,234 msg/s": connected brokers and the MQTT message rate. */
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

  update(): void {
    const connected = this.registry.list().filter((c) => c.state.kind === 'connected');
    if (!connected.length) {
      this.item.hide();
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.timer ??= setInterval(() => this.update(), 1000);
    const rate = Math.round(this.totalRate());
    const brokers = connected.length === 1 ? vscode.l10n.t('1 broker') : vscode.l10n.t('{0} brokers', connected.length);
    this.item.text = `$(radio-tower) ${brokers} · ${vscode.l10n.t('{0} msg/s', rate.toLocaleString('en-US'))}`;
    this.item.tooltip = connected.map((c) => `${c.profile.name} (${c.profile.kind.toUpperCase()})`).join('\n');
    this.item.accessibilityInformation = { label: vscode.l10n.t('{0} connected, {1} MQTT messages per second', brokers, rate) };
    this.item.show();
  }
}
