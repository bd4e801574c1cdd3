// The MQTT Brokers view: broker connections and their live topic hierarchy.
import * as vscode from 'vscode';
import { BrokerConnection } from '../core/brokers/connection';
import type { BrokerRegistry } from '../core/brokers/registry';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import { RATE_WINDOW_MS, TopicNode } from '../core/mqtt/topicNode';
import { TopicSearch } from '../core/mqtt/topicSearch';
import { codeSpan } from '../core/format/markup';
import { formatRate, shortCount } from '../core/format/counts';
import { brokerExpansion, connectionTreeItem } from '../shared/connectionRow';
import { Disposable } from '../shared/disposable';
import { RefreshScheduler } from '../shared/refreshScheduler';
import { topicTooltip, topicTreeItem } from './topicItems';

/** Stands for the children past MAX_CHILDREN of a node: a hint to filter instead. */
export class MoreTopics {
  constructor(
    readonly parent: BrokerConnection | TopicNode,
    readonly hidden: number,
  ) {}
}

/** Stands for the topics the model counted but did not add: the tree reached its share of the memory budget. */
export class TopicsNotShown {
  constructor(
    readonly connection: MqttConnection,
    readonly topics: number,
    readonly messages: number,
  ) {}
}

/** The one child of a connected broker that has no topics yet: what it waits for. */
export class WaitingForMessages {
  constructor(readonly connection: MqttConnection) {}
}

/** Tree elements are the model's own objects: broker connections and topic nodes. */
export type MqttTreeNode = BrokerConnection | TopicNode | MoreTopics | TopicsNotShown | WaitingForMessages;

/** A node shows at most this many children (sorted); the rest are reached by Filter Topics. */
export const MAX_CHILDREN = 1000;

export class MqttTreeProvider extends Disposable implements vscode.TreeDataProvider<MqttTreeNode> {
  private readonly refresh: RefreshScheduler<MqttTreeNode>;
  readonly onDidChangeTreeData: vscode.Event<MqttTreeNode | MqttTreeNode[] | undefined>;
  private readonly searches = new Map<string, { search: TopicSearch; shown: Set<TopicNode> | undefined }>();
  private readonly more = new WeakMap<BrokerConnection | TopicNode, MoreTopics>();
  private readonly waiting = new WeakMap<MqttConnection, WaitingForMessages>();
  /** Brokers whose rows showed a rate at the last render: refreshed (≤ once a second) until it falls to nothing. */
  private readonly ratesShown = new Set<string>();
  private lastRateRefresh = 0;

  constructor(private readonly registry: BrokerRegistry) {
    super();
    this.refresh = this._register(
      new RefreshScheduler<MqttTreeNode>({
        isCurrent: (node) => node instanceof BrokerConnection && this.registry.get(node.id) === node,
        tick: (visible) => this.tick(visible),
        isActive: () => this.registry.list('mqtt').some((c) => c.state.kind === 'reconnecting' || (c instanceof MqttConnection && c.state.kind === 'connected')),
      }),
    );
    this.onDidChangeTreeData = this.refresh.onDidChangeTreeData;
    this._register(
      registry.onDidChange((change) => {
        if (change.connection.profile.kind !== 'mqtt') {
          return;
        }
        if (change.type === 'warning' || change.type === 'state') {
          this.refresh.markDirty(change.connection);
        } else {
          if (change.type === 'removed' || change.type === 'updated') {
            this.searches.delete(change.connection.id);
          }
          this.refresh.refreshAll();
        }
        this.refresh.updateTicker();
      }),
    );
    this.refresh.updateTicker();
  }

  /** Milliseconds between refreshes while messages arrive (`brokerExplorer.topics.refreshesPerSecond`). */
  get refreshIntervalMs(): number {
    return this.refresh.intervalMs;
  }
  set refreshIntervalMs(ms: number) {
    this.refresh.intervalMs = ms;
  }

  /** Lets the provider follow the view's visibility: nothing is refreshed while it is hidden. */
  attach(view: vscode.TreeView<MqttTreeNode>): void {
    this.refresh.attach(view);
    this._register(brokerExpansion.watch(view));
  }

  getChildren(element?: MqttTreeNode): MqttTreeNode[] {
    if (!element) {
      return this.registry.list('mqtt').sort((a, b) => a.profile.name.localeCompare(b.profile.name));
    }
    if (element instanceof MoreTopics || element instanceof TopicsNotShown || element instanceof WaitingForMessages) {
      return [];
    }
    const owner = element instanceof BrokerConnection ? element : this.ownerOf(element);
    if (!(owner instanceof MqttConnection)) {
      return [];
    }
    if (element instanceof BrokerConnection && isWaiting(owner)) {
      return [this.waitingNode(owner)];
    }
    const children = this.visibleChildren(owner, element instanceof BrokerConnection ? owner.topics.root : element);
    const shown: MqttTreeNode[] = children.length <= MAX_CHILDREN ? children : [...children.slice(0, MAX_CHILDREN), this.moreNode(element, children.length - MAX_CHILDREN)];
    // Topics the model counted but did not add are said under the broker.
    return element instanceof BrokerConnection && owner.topics.topicsNotShown > 0 ? [...shown, this.notShownNode(owner)] : shown;
  }

  /** The same MoreTopics object while the count holds, so VS Code keeps it stable. */
  private moreNode(element: BrokerConnection | TopicNode, hidden: number): MoreTopics {
    let more = this.more.get(element);
    if (more?.hidden !== hidden) {
      more = new MoreTopics(element, hidden);
      this.more.set(element, more);
    }
    return more;
  }

  getParent(element: MqttTreeNode): MqttTreeNode | undefined {
    if (element instanceof BrokerConnection) {
      return undefined;
    }
    if (element instanceof MoreTopics) {
      return element.parent;
    }
    if (element instanceof TopicsNotShown || element instanceof WaitingForMessages) {
      return element.connection;
    }
    if (element.parent && !element.parent.isRoot) {
      return element.parent;
    }
    return this.ownerOf(element);
  }

  getTreeItem(element: MqttTreeNode): vscode.TreeItem {
    if (element instanceof MoreTopics) {
      const item = new vscode.TreeItem(vscode.l10n.t('{0} more topics…', element.hidden.toLocaleString('en-US')), vscode.TreeItemCollapsibleState.None);
      item.description = vscode.l10n.t('use Filter Topics to find them');
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'moreTopics';
      const broker = element.parent instanceof BrokerConnection ? element.parent : this.ownerOf(element.parent);
      item.command = { command: 'brokerExplorer.filterTopics', title: vscode.l10n.t('Filter Topics…'), arguments: [broker] };
      return item;
    }
    if (element instanceof TopicsNotShown) {
      const item = new vscode.TreeItem(vscode.l10n.t('{0} topics not shown — limit reached', element.topics.toLocaleString('en-US')), vscode.TreeItemCollapsibleState.None);
      item.id = `${element.connection.id}/notShown`;
      item.description = vscode.l10n.t('{0} messages counted', element.messages.toLocaleString('en-US'));
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.contextValue = 'topicsNotShown';
      item.tooltip = vscode.l10n.t(
        'The topic tree of this broker takes its share of the memory budget (brokerExplorer.topics.treeBudgetPercent of brokerExplorer.topics.storageMegabytes): messages on new topics are counted but their topics are not added. Raise either setting, subscribe to less, or Clear Topics.',
      );
      return item;
    }
    if (element instanceof WaitingForMessages) {
      const item = new vscode.TreeItem(vscode.l10n.t('No messages yet'), vscode.TreeItemCollapsibleState.None);
      item.id = `${element.connection.id}/waiting`;
      const filters = element.connection.subscriptions.map((s) => s.filter);
      item.description = filters.length ? vscode.l10n.t('subscribed to {0}', filters.join(', ')) : undefined;
      item.iconPath = new vscode.ThemeIcon('watch');
      item.contextValue = 'waitingForMessages';
      item.tooltip = vscode.l10n.t('Topics appear here as messages arrive. Publish one with Publish Message…, or change what this broker subscribes to with Edit Broker…');
      return item;
    }
    if (!(element instanceof BrokerConnection)) {
      const owner = this.ownerOf(element);
      const live = owner?.state.kind === 'connected';
      const item = topicTreeItem(owner?.id ?? '?', element, Date.now(), live);
      if (live && owner && /\/s$/.test(String(item.description))) {
        this.ratesShown.add(owner.id);
      }
      return item;
    }
    const mqtt = element instanceof MqttConnection ? element : undefined;
    const t = mqtt?.topics;
    const details: string[] = [];
    if (t && t.totalMessages > 0) {
      details.push(`${shortCount(t.topicCount)} ${t.topicCount === 1 ? 'topic' : 'topics'}`);
      const rate = mqtt.state.kind === 'connected' ? formatRate(t.root.currentRate(Date.now())) : undefined;
      if (rate) {
        details.push(rate);
        this.ratesShown.add(mqtt.id);
      }
    }
    return connectionTreeItem(element, {
      hasChildren: (t?.root.childCount ?? 0) > 0 || (t?.topicsNotShown ?? 0) > 0 || (mqtt !== undefined && isWaiting(mqtt)),
      details,
      filter: this.searchOf(element),
      tooltipAfterTls: mqtt ? sessionTooltip(mqtt) : undefined,
    });
  }

  /** Tooltips are built on hover only: a topic's holds its last payload, indented (bounded by what it shows). */
  resolveTreeItem(item: vscode.TreeItem, element: MqttTreeNode): vscode.TreeItem {
    if (element instanceof TopicNode && item.tooltip === undefined) {
      const live = this.ownerOf(element)?.state.kind === 'connected';
      item.tooltip = topicTooltip(element, live ? element.currentRate(Date.now()) : undefined);
    }
    return item;
  }

  private waitingNode(connection: MqttConnection): WaitingForMessages {
    let node = this.waiting.get(connection);
    if (!node) {
      node = new WaitingForMessages(connection);
      this.waiting.set(connection, node);
    }
    return node;
  }

  /** The same row object while the counts hold, so VS Code keeps it stable. */
  private readonly notShown = new WeakMap<MqttConnection, TopicsNotShown>();
  private notShownNode(connection: MqttConnection): TopicsNotShown {
    const { topicsNotShown, messagesNotShown } = connection.topics;
    let node = this.notShown.get(connection);
    if (node?.topics !== topicsNotShown || node.messages !== messagesNotShown) {
      node = new TopicsNotShown(connection, topicsNotShown, messagesNotShown);
      this.notShown.set(connection, node);
    }
    return node;
  }

  /** The MQTT connection a topic node belongs to. */
  ownerOf(node: TopicNode): MqttConnection | undefined {
    let root = node;
    while (root.parent) {
      root = root.parent;
    }
    return this.registry.list('mqtt').find((c): c is MqttConnection => c instanceof MqttConnection && c.topics.root === root);
  }

  /** Shows only topics matching `query` (a filter with + / # wildcards, or text) under a broker. */
  setSearch(connection: BrokerConnection, query: string | undefined): void {
    if (query) {
      this.searches.set(connection.id, { search: new TopicSearch(query), shown: undefined });
    } else {
      this.searches.delete(connection.id);
    }
    this.refresh.refreshAll();
  }

  searchOf(connection: BrokerConnection): string | undefined {
    return this.searches.get(connection.id)?.search.query;
  }

  private visibleChildren(connection: MqttConnection, node: TopicNode): TopicNode[] {
    const children = node.sortedChildNodes();
    const entry = this.searches.get(connection.id);
    if (!entry) {
      return children;
    }
    if (!entry.shown) {
      // Matching topics and their ancestors; recomputed after the model changes (≤ 4 times a second).
      const shown = new Set<TopicNode>();
      connection.topics.walkTopics(connection.topics.root, (n) => {
        if (entry.search.matches(n.topic)) {
          for (let p: TopicNode | undefined = n; p && !shown.has(p); p = p.parent) {
            shown.add(p);
          }
        }
      });
      entry.shown = shown;
    }
    const shown = entry.shown;
    return children.filter((c) => shown.has(c));
  }

  /**
   * Every tick (4 times a second by default) while brokers are active: pulls the topic models'
   * dirty nodes and refreshes the top-most visible changed node of each broker (its expanded
   * subtree comes with it), and counts down "reconnecting in Ns".
   */
  private tick(visible: boolean): MqttTreeNode[] {
    const changed: MqttTreeNode[] = [];
    const now = Date.now();
    // Rows that showed a rate are re-rendered at most once a second after their messages stop,
    // until the sliding window has passed the last message and the rate is gone.
    const decay = now - this.lastRateRefresh >= 1000;
    if (decay) {
      this.lastRateRefresh = now;
    }
    for (const c of this.registry.list('mqtt')) {
      if (c.state.kind === 'reconnecting') {
        changed.push(c);
        continue;
      }
      if (!(c instanceof MqttConnection)) {
        continue;
      }
      const dirty = c.topics.takeDirty();
      if (!dirty.length) {
        if (decay && visible && this.ratesShown.delete(c.id)) {
          changed.push(c);
        }
        continue;
      }
      const search = this.searches.get(c.id);
      if (search) {
        search.shown = undefined;
      }
      if (!visible) {
        continue;
      }
      // Ancestors change with every message (their counts), so the top-most changed node is
      // always the broker node: refreshing it re-renders its expanded subtree, nothing else.
      this.ratesShown.delete(c.id);
      changed.push(c);
    }
    return changed;
  }
}

/** Connected, subscribed, and no topic yet: the row gets one child that says so. */
function isWaiting(connection: MqttConnection): boolean {
  return connection.state.kind === 'connected' && connection.topics.root.childCount === 0 && connection.topics.topicsNotShown === 0;
}

/** The session part of an MQTT broker's tooltip: client id, subscriptions, message counts. */
function sessionTooltip(connection: MqttConnection): string {
  let md = `client id ${codeSpan(connection.clientId)}\n\n`;
  md += `subscribed to ${connection.subscriptions.map((s) => codeSpan(s.filter)).join(', ')}\n\n`;
  const t = connection.topics;
  if (t.totalMessages) {
    md += `${t.totalMessages.toLocaleString('en-US')} messages on ${t.topicCount.toLocaleString('en-US')} topics\n\n`;
  }
  const rate = connection.state.kind === 'connected' ? t.root.currentRate(Date.now()) : 0;
  if (rate >= 1) {
    md += `${Math.round(rate).toLocaleString('en-US')} messages/s over the last ${RATE_WINDOW_MS / 1000} s\n\n`;
  }
  return md;
}
