import * as vscode from 'vscode';
import type { BrokerConnection } from '../core/connection';
import { formatEndpoint, type BrokerKind } from '../core/profile';
import type { BrokerRegistry } from '../core/registry';
import { canConnect, canDisconnect, describeState, type ConnectionState } from '../core/state';
import { Disposable } from '../util/disposable';

/** Tree elements are the registry's connections themselves: plain data, no network access. */
export type BrokerNode = BrokerConnection;

const KIND_LABEL: Record<BrokerKind, string> = { mqtt: 'MQTT', amqp: 'AMQP' };

function stateIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'connected':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'connecting':
      return new vscode.ThemeIcon('loading~spin');
    case 'reconnecting':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('list.warningForeground'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'disconnected':
      return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('disabledForeground'));
  }
}

/** `broker+mqtt+connected+canDisconnect`: menus match `viewItem =~ /^broker\b.*\+canDisconnect/`. */
export function contextValue(connection: BrokerConnection): string {
  const flags = ['broker', connection.profile.kind, connection.state.kind];
  if (canConnect(connection.state)) {
    flags.push('canConnect');
  }
  if (canDisconnect(connection.state)) {
    flags.push('canDisconnect');
  }
  return flags.join('+');
}

export class BrokerTreeProvider extends Disposable implements vscode.TreeDataProvider<BrokerNode> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<BrokerNode | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly dirty = new Set<BrokerNode>();
  private fullRefresh = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private countdown: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly registry: BrokerRegistry,
    readonly kind: BrokerKind,
  ) {
    super();
    this._register(
      registry.onDidChange((change) => {
        if (change.connection.profile.kind !== this.kind) {
          return;
        }
        if (change.type === 'state' || change.type === 'updated') {
          this.markDirty(change.connection);
        } else {
          this.fullRefresh = true;
          this.scheduleFlush();
        }
        this.updateCountdown();
      }),
    );
    this._register({ dispose: () => this.stopTimers() });
  }

  getChildren(element?: BrokerNode): BrokerNode[] {
    if (element) {
      return [];
    }
    return this.registry.list(this.kind).sort((a, b) => a.profile.name.localeCompare(b.profile.name));
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(connection: BrokerNode): vscode.TreeItem {
    const { profile, state } = connection;
    const endpoint = formatEndpoint(profile.host, profile.port);
    const item = new vscode.TreeItem(profile.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${profile.kind}/${profile.id}`;
    const stateText = describeState(state);
    item.description = profile.name === endpoint ? stateText : `${stateText} · ${endpoint}`;
    item.iconPath = stateIcon(state);
    item.contextValue = contextValue(connection);
    item.tooltip = this.tooltip(connection, stateText, endpoint);
    item.accessibilityInformation = {
      label: vscode.l10n.t('{0} broker {1} at {2}: {3}', KIND_LABEL[profile.kind], profile.name, endpoint, stateText),
      role: 'treeitem',
    };
    if (canConnect(state)) {
      item.command = { command: 'brokerExplorer.connectBroker', title: vscode.l10n.t('Connect'), arguments: [connection] };
    }
    return item;
  }

  private tooltip(connection: BrokerNode, stateText: string, endpoint: string): vscode.MarkdownString {
    const { profile } = connection;
    const md = new vscode.MarkdownString(undefined, true);
    md.supportHtml = false;
    md.isTrusted = false;
    md.appendMarkdown(`**${escape(profile.name)}** — ${KIND_LABEL[profile.kind]}\n\n`);
    md.appendMarkdown(`$(server) \`${escape(endpoint)}\`\n\n`);
    if (profile.kind === 'amqp') {
      md.appendMarkdown(`vhost \`${escape(profile.vhost)}\`\n\n`);
    }
    if (profile.username) {
      md.appendMarkdown(`user \`${escape(profile.username)}\`\n\n`);
    }
    md.appendMarkdown(escape(stateText));
    return md;
  }

  private markDirty(node: BrokerNode): void {
    this.dirty.add(node);
    this.scheduleFlush();
  }

  /** State changes are coalesced: at most one tree update every 100 ms. */
  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      if (this.fullRefresh) {
        this.fullRefresh = false;
        this.dirty.clear();
        this.changeEmitter.fire(undefined);
        return;
      }
      for (const node of this.dirty) {
        if (this.registry.get(node.id) === node) {
          this.changeEmitter.fire(node);
        }
      }
      this.dirty.clear();
    }, 100);
  }

  /** While a node says "reconnecting in Ns", re-render it every second. */
  private updateCountdown(): void {
    const waiting = this.registry.list(this.kind).filter((c) => c.state.kind === 'reconnecting');
    if (waiting.length && !this.countdown) {
      this.countdown = setInterval(() => {
        const still = this.registry.list(this.kind).filter((c) => c.state.kind === 'reconnecting');
        still.forEach((c) => this.markDirty(c));
        if (!still.length && this.countdown) {
          clearInterval(this.countdown);
          this.countdown = undefined;
        }
      }, 1000);
    }
  }

  private stopTimers(): void {
    clearTimeout(this.flushTimer);
    clearInterval(this.countdown);
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
