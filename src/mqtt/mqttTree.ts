// The MQTT Brokers view: broker connections and their live topic hierarchy.
import * as vscode from 'vscode';
import { BrokerConnection } from '../core/brokers/connection';
import type { BrokerRegistry } from '../core/brokers/registry';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import { RATE_WINDOW_MS, TopicNode } from '../core/mqtt/topicNode';
import { TopicSearch } from '../core/mqtt/topicSearch';
import { codeSpan, escapeMarkdown } from '../core/format/markup';
import { describeCapabilities } from '../core/mqtt/capabilities';
import { describeFlowControl } from '../core/brokers/flowControl';
import { formatRate, shortCount } from '../core/format/counts';
import { brokerExpansion, connectionTreeItem } from '../shared/connectionRow';
import { Disposable } from '../shared/disposable';
import { RefreshScheduler } from '../shared/refreshScheduler';
import { topicTooltip, topicTreeItem } from './topicItems';
import { TreeDecodes, type TreeDecodeFn } from '../core/mqtt/treeDecodes';

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
  /** Per broker, rows that showed a rate when last rendered: refreshed once a second until it falls to nothing. */
  private readonly rateRows = new WeakMap<MqttConnection, Set<TopicNode | MqttConnection>>();
  /** Per broker, rows whose counts changed within a second of their last render: refreshed when the second is up. */
  private readonly pendingRows = new WeakMap<MqttConnection, Set<TopicNode>>();
  /** What each topic row showed when VS Code last asked for it: only rows VS Code has are refreshed. */
  private readonly shown = new WeakMap<TopicNode, ShownRow>();
  /** Per broker: when its row was last rendered and how many top-level topics it had then. */
  private readonly brokerShown = new WeakMap<BrokerConnection, ShownRow>();

  /** Decoded previews of rows whose last payload may be encoded (issue 20); none without decoders. */
  private readonly decodes: TreeDecodes | undefined;

  constructor(
    private readonly registry: BrokerRegistry,
    decode?: TreeDecodeFn,
  ) {
    super();
    this.decodes = decode ? new TreeDecodes(decode, (node) => this.refresh.markDirty(node)) : undefined;
    this.refresh = this._register(
      new RefreshScheduler<MqttTreeNode>({
        isCurrent: (node) =>
          node instanceof BrokerConnection
            ? this.registry.get(node.id) === node
            : node instanceof TopicNode && this.shown.has(node) && this.ownerOf(node) !== undefined,
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
  /** Whether VS Code has asked for this topic's row (and it was not collapsed away since). */
  isRendered(node: TopicNode): boolean {
    return this.shown.has(node);
  }

  /** The view this provider feeds (for tests: reveal a row so VS Code renders it). */
  view: vscode.TreeView<MqttTreeNode> | undefined;

  attach(view: vscode.TreeView<MqttTreeNode>): void {
    this.view = view;
    this.refresh.attach(view);
    this._register(brokerExpansion.watch(view));
    // Rows inside a collapsed node are no longer shown: they stop being refreshed until VS Code asks again.
    this._register(
      view.onDidCollapseElement(({ element }) => {
        const owner = element instanceof BrokerConnection ? element : element instanceof TopicNode ? this.ownerOf(element) : undefined;
        if (owner instanceof MqttConnection) {
          forEachBelow(element instanceof TopicNode ? element : owner.topics.root, (n) => this.shown.delete(n));
        }
      }),
    );
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
      const now = Date.now();
      const rate = live ? formatRate(element.currentRate(now)) : undefined;
      const item = topicTreeItem(owner?.id ?? '?', element, rate, owner && this.decodes?.get(owner.id, element));
      this.shown.set(element, { messages: element.messages, childCount: element.childCount, at: now });
      if (owner) {
        this.noteRate(owner, element, rate !== undefined);
      }
      return item;
    }
    const mqtt = element instanceof MqttConnection ? element : undefined;
    const t = mqtt?.topics;
    this.brokerShown.set(element, { messages: t?.root.messages ?? 0, childCount: t?.root.childCount ?? 0, at: Date.now() });
    const details: string[] = [];
    if (t && t.totalMessages > 0) {
      details.push(`${shortCount(t.topicCount)} ${t.topicCount === 1 ? 'topic' : 'topics'}`);
      const rate = mqtt.state.kind === 'connected' ? formatRate(t.root.currentRate(Date.now())) : undefined;
      if (rate) {
        details.push(rate);
      }
      this.noteRate(mqtt, mqtt, rate !== undefined);
    }
    // A shared subscription gets only its share of the messages: the counts are not the broker's.
    if (mqtt?.sharedSubscriptions.length) {
      details.push(vscode.l10n.t('shared subscription: sees part of the messages'));
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
      const owner = this.ownerOf(element);
      const live = owner?.state.kind === 'connected';
      item.tooltip = topicTooltip(element, live ? element.currentRate(Date.now()) : undefined, owner && this.decodes?.get(owner.id, element), owner?.matchedSubscriptions(element.last?.properties));
    }
    return item;
  }

  private noteRate(connection: MqttConnection, row: TopicNode | MqttConnection, showsRate: boolean): void {
    let rows = this.rateRows.get(connection);
    if (showsRate) {
      if (!rows) {
        rows = new Set();
        this.rateRows.set(connection, rows);
      }
      rows.add(row);
    } else {
      rows?.delete(row);
    }
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
   * dirty nodes and refreshes the rows that changed and the rows showing a rate (see
   * `changedRows`), and counts down "reconnecting in Ns".
   */
  private tick(visible: boolean): MqttTreeNode[] {
    const changed: MqttTreeNode[] = [];
    const now = Date.now();
    for (const c of this.registry.list('mqtt')) {
      if (c.state.kind === 'reconnecting') {
        changed.push(c);
        continue;
      }
      if (!(c instanceof MqttConnection)) {
        continue;
      }
      const dirty = c.topics.takeDirty();
      const search = this.searches.get(c.id);
      if (search && dirty.length) {
        search.shown = undefined;
      }
      if (!visible) {
        continue;
      }
      if (search) {
        // A filtered tree is small, and which nodes match changes with the model: re-render it.
        if (dirty.length || this.rateRows.get(c)?.size) {
          this.rateRows.delete(c);
          changed.push(c);
        }
        continue;
      }
      this.changedRows(c, dirty, now, changed);
    }
    return changed;
  }

  /**
   * The refresh policy (issue 19, P2). Refreshing a node makes VS Code fetch its expanded subtree
   * again, so only rows VS Code has asked for are refreshed, and only as much as changed:
   *  - a row whose own topic received a message, or whose children changed in number, at once;
   *  - a row whose only change is its counts (an ancestor of busy topics) at most once a second,
   *    kept pending until then, so the last counts are always shown;
   *  - the broker row likewise: at once when a top-level topic appears, else once a second;
   *  - a row showing a rate a second after its last render, until the rate is gone.
   * Rows VS Code has not rendered (inside collapsed nodes) cost one WeakMap lookup each.
   */
  private changedRows(c: MqttConnection, dirty: readonly TopicNode[], now: number, changed: MqttTreeNode[]): void {
    const root = c.topics.root;
    let pending = this.pendingRows.get(c);
    const picked = new Set<TopicNode>();
    let broker = false;
    const consider = (node: TopicNode) => {
      if (node === root) {
        const row = this.brokerShown.get(c);
        if (!row || row.childCount !== root.childCount || now - row.at >= ANCESTOR_REFRESH_MS) {
          broker = true;
        } else {
          (pending ??= new Set()).add(node);
        }
        return;
      }
      const row = this.shown.get(node);
      if (!row) {
        return;
      }
      if (row.messages !== node.messages || row.childCount !== node.childCount || now - row.at >= ANCESTOR_REFRESH_MS) {
        picked.add(node);
      } else {
        (pending ??= new Set()).add(node);
      }
    };
    if (pending?.size) {
      const earlier = [...pending];
      pending.clear();
      earlier.forEach(consider);
    }
    dirty.forEach(consider);
    if (pending) {
      this.pendingRows.set(c, pending);
    }
    // Rows showing a rate follow the sliding window down to nothing, messages or not: each is
    // refreshed a second after its last render (rendering puts it back while it shows a rate).
    const rates = this.rateRows.get(c);
    if (rates?.size) {
      for (const row of rates) {
        const shown = row instanceof BrokerConnection ? this.brokerShown.get(row) : this.shown.get(row);
        if (shown && now - shown.at < ANCESTOR_REFRESH_MS) {
          continue;
        }
        rates.delete(row);
        if (row instanceof BrokerConnection) {
          broker = true;
        } else if (shown) {
          picked.add(row);
        }
      }
    }
    if (broker) {
      // Its expanded subtree comes with it: nothing below needs its own event.
      pending?.clear();
      changed.push(c);
      return;
    }
    // A picked node's refresh re-renders its expanded subtree: drop picked nodes below another.
    for (const node of picked) {
      let covered = false;
      for (let p = node.parent; p && !p.isRoot; p = p.parent) {
        if (picked.has(p)) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        changed.push(node);
      }
    }
  }
}

/** What a row showed when it was last rendered. */
interface ShownRow {
  readonly messages: number;
  readonly childCount: number;
  readonly at: number;
}

/** Rows whose only change is their counts (ancestors of busy topics) are refreshed at most this often. */
const ANCESTOR_REFRESH_MS = 1000;

/** Every node below `top` (not `top` itself), without recursion. */
function forEachBelow(top: TopicNode, visit: (n: TopicNode) => void): void {
  const stack: TopicNode[] = [top];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.children) {
      for (const child of n.children.values()) {
        visit(child);
        stack.push(child);
      }
    }
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
  if (connection.sharedSubscriptions.length) {
    md += `${escapeMarkdown(vscode.l10n.t('Shared subscriptions ({0}) receive only this client\'s share of the group\'s messages: the tree does not see every message.', connection.sharedSubscriptions.join(', ')))}\n\n`;
  }
  if (connection.state.kind === 'connected') {
    const limits = describeCapabilities(connection.capabilities);
    md += connection.protocolVersion === 5
      ? `${escapeMarkdown(limits.length ? vscode.l10n.t('Broker limits (CONNACK): {0}', limits.join(', ')) : vscode.l10n.t('The broker announced no limits (CONNACK): any QoS, retained messages, wildcard and shared subscriptions'))}\n\n`
      : `${escapeMarkdown(vscode.l10n.t('MQTT 3.1.1: the broker announces no capabilities'))}\n\n`;
  }
  // What this client announced on CONNECT (MQTT 5 only), beside what the broker did.
  const asked = connection.protocolVersion === 5 ? describeFlowControl(connection.profile) : [];
  if (asked.length) {
    md += `${escapeMarkdown(vscode.l10n.t('This client\'s limits (CONNECT): {0}', asked.join(', ')))}\n\n`;
  }
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
