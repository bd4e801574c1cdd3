import * as vscode from 'vscode';
import { AmqpConnection } from '../core/amqp/amqpConnection';
import { BrokerConnection } from '../core/brokers/connection';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import { TopicFilter } from '../core/mqtt/topicFilter';
import type { TopicNode } from '../core/mqtt/topicModel';
import { codeSpan, escapeMarkdown } from '../core/format/markup';
import { formatEndpoint, tlsUnverified, type BrokerKind } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import { canConnect, canDisconnect, describeState, type ConnectionState } from '../core/brokers/state';
import { Disposable } from '../shared/disposable';
import { AmqpNode, amqpChildren, amqpTreeItem } from '../amqp/amqpItems';
import { topicTreeItem } from '../mqtt/topicItems';

/** Stands for the children past MAX_CHILDREN of a node: a hint to filter instead. */
export class MoreTopics {
  constructor(
    readonly parent: BrokerConnection | TopicNode,
    readonly hidden: number,
  ) {}
}

/** Tree elements are the model's own objects: broker connections and topic nodes. */
export type BrokerNode = BrokerConnection | TopicNode | MoreTopics | AmqpNode;

/** A node shows at most this many children (sorted); the rest are reached by Filter Topics. */
export const MAX_CHILDREN = 1000;

const KIND_LABEL: Record<BrokerKind, string> = { mqtt: 'MQTT', amqp: 'AMQP' };

/** The tree is refreshed at most this often while messages arrive (4 times a second by default). */
export const REFRESH_INTERVAL_MS = 250;

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

/**
 * `broker+mqtt+connected+canDisconnect`: menus match `viewItem =~ /^broker\b.*\+canDisconnect/`.
 * Brokers from `.vscode/brokers.json` end with `+workspace`.
 */
export function contextValue(connection: BrokerConnection, filtered = false): string {
  const flags = ['broker', connection.profile.kind, connection.state.kind];
  if (canConnect(connection.state)) {
    flags.push('canConnect');
  }
  if (canDisconnect(connection.state)) {
    flags.push('canDisconnect');
  }
  if (filtered) {
    flags.push('filtered');
  }
  if (connection.profile.source?.kind === 'workspace') {
    flags.push('workspace');
  }
  return flags.join('+');
}

/** A topic filter (with + and #) or, when it is not a valid filter or has no wildcard, a text to find. */
export class TopicSearch {
  private readonly filter: TopicFilter | undefined;
  private readonly text: string;

  constructor(readonly query: string) {
    let filter: TopicFilter | undefined;
    try {
      filter = /[+#]/.test(query) ? new TopicFilter(query) : undefined;
    } catch {
      filter = undefined;
    }
    this.filter = filter;
    this.text = query.toLowerCase();
  }

  matches(topic: string): boolean {
    return this.filter ? this.filter.matches(topic) : topic.toLowerCase().includes(this.text);
  }
}

export class BrokerTreeProvider extends Disposable implements vscode.TreeDataProvider<BrokerNode> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<BrokerNode | BrokerNode[] | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly dirty = new Set<BrokerConnection>();
  private fullRefresh = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private visible = true;
  private readonly searches = new Map<string, { search: TopicSearch; shown: Set<TopicNode> | undefined }>();
  private readonly more = new WeakMap<BrokerConnection | TopicNode, MoreTopics>();
  /** Counts `onDidChangeTreeData` events (benchmarks and tests read it). */
  refreshEvents = 0;

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
        if (change.type === 'warning') {
          this.dirty.add(change.connection);
          this.scheduleFlush();
        } else if (change.type === 'state') {
          this.dirty.add(change.connection);
          this.scheduleFlush();
          if (change.state.kind === 'connected' && change.connection instanceof AmqpConnection) {
            void this.refreshAmqp(change.connection);
            this.scheduleAmqpPoll();
          }
        } else {
          if (change.type === 'removed' || change.type === 'updated') {
            this.searches.delete(change.connection.id);
          }
          this.fullRefresh = true;
          this.scheduleFlush();
        }
        this.updateTicker();
      }),
    );
    this._register({ dispose: () => this.stopTimers() });
    this.updateTicker();
  }

  /** Seconds between management API polls of connected AMQP brokers (0: only on demand). */
  amqpRefreshSeconds = 5;

  private refreshMs = REFRESH_INTERVAL_MS;
  /** Milliseconds between refreshes while messages arrive (`brokerExplorer.topics.refreshesPerSecond`). */
  get refreshIntervalMs(): number {
    return this.refreshMs;
  }
  set refreshIntervalMs(ms: number) {
    const value = Math.max(50, Math.round(ms));
    if (value === this.refreshMs) {
      return;
    }
    this.refreshMs = value;
    if (this.ticker) {
      // A running ticker takes the new pace at once.
      clearInterval(this.ticker);
      this.ticker = setInterval(() => this.tick(), this.refreshMs);
    }
  }
  private amqpPoll: ReturnType<typeof setTimeout> | undefined;
  private readonly amqpInFlight = new Map<string, Promise<void>>();

  /** Reads an AMQP broker's topology now and shows it (joins a read already under way). */
  refreshAmqp(connection: AmqpConnection): Promise<void> {
    if (connection.state.kind !== 'connected') {
      return Promise.resolve();
    }
    let pending = this.amqpInFlight.get(connection.id);
    if (!pending) {
      pending = connection
        .refreshTopology()
        .then(() => {
          if (this.registry.get(connection.id) === connection) {
            this.dirty.add(connection);
            this.scheduleFlush();
          }
        })
        .finally(() => this.amqpInFlight.delete(connection.id));
      this.amqpInFlight.set(connection.id, pending);
    }
    return pending;
  }

  /** Polls the management API while the view is visible; paused while it is hidden. */
  private scheduleAmqpPoll(): void {
    clearTimeout(this.amqpPoll);
    this.amqpPoll = undefined;
    if (this.kind !== 'amqp' || !this.visible || this.amqpRefreshSeconds <= 0) {
      return;
    }
    this.amqpPoll = setTimeout(() => {
      this.amqpPoll = undefined;
      const connected = this.registry.list('amqp').filter((c): c is AmqpConnection => c instanceof AmqpConnection && c.state.kind === 'connected');
      void Promise.all(connected.map((c) => this.refreshAmqp(c))).finally(() => this.scheduleAmqpPoll());
    }, this.amqpRefreshSeconds * 1000);
  }

  /** Lets the provider follow the view's visibility: nothing is refreshed while it is hidden. */
  attach(view: vscode.TreeView<BrokerNode>): void {
    this._register(
      view.onDidChangeVisibility((e) => {
        this.visible = e.visible;
        if (e.visible) {
          this.fullRefresh = true;
          this.scheduleFlush();
        }
        this.scheduleAmqpPoll();
      }),
    );
    this.visible = view.visible;
  }

  getChildren(element?: BrokerNode): BrokerNode[] {
    if (!element) {
      return this.registry.list(this.kind).sort((a, b) => a.profile.name.localeCompare(b.profile.name));
    }
    if (element instanceof MoreTopics) {
      return [];
    }
    if (element instanceof AmqpConnection || element instanceof AmqpNode) {
      return amqpChildren(element);
    }
    const owner = element instanceof BrokerConnection ? element : this.ownerOf(element);
    if (!(owner instanceof MqttConnection)) {
      return [];
    }
    const children = this.visibleChildren(owner, element instanceof BrokerConnection ? owner.topics.root : element);
    if (children.length <= MAX_CHILDREN) {
      return children;
    }
    // The same MoreTopics object while the count holds, so VS Code keeps it stable.
    let more = this.more.get(element);
    if (more?.hidden !== children.length - MAX_CHILDREN) {
      more = new MoreTopics(element, children.length - MAX_CHILDREN);
      this.more.set(element, more);
    }
    return [...children.slice(0, MAX_CHILDREN), more];
  }

  getParent(element: BrokerNode): BrokerNode | undefined {
    if (element instanceof BrokerConnection) {
      return undefined;
    }
    if (element instanceof MoreTopics) {
      return element.parent;
    }
    if (element instanceof AmqpNode) {
      return element.connection;
    }
    if (element.parent && !element.parent.isRoot) {
      return element.parent;
    }
    return this.ownerOf(element);
  }

  getTreeItem(element: BrokerNode): vscode.TreeItem {
    if (element instanceof MoreTopics) {
      const item = new vscode.TreeItem(vscode.l10n.t('{0} more topics…', element.hidden.toLocaleString('en-US')), vscode.TreeItemCollapsibleState.None);
      item.description = vscode.l10n.t('use Filter Topics to find them');
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'moreTopics';
      const broker = element.parent instanceof BrokerConnection ? element.parent : this.ownerOf(element.parent);
      item.command = { command: 'brokerExplorer.filterTopics', title: vscode.l10n.t('Filter Topics…'), arguments: [broker] };
      return item;
    }
    if (element instanceof AmqpNode) {
      return amqpTreeItem(element);
    }
    if (!(element instanceof BrokerConnection)) {
      return topicTreeItem(this.ownerOf(element)?.id ?? '?', element, Date.now());
    }
    const { profile, state } = element;
    const endpoint = formatEndpoint(profile.host, profile.port);
    const hasChildren = element instanceof MqttConnection ? element.topics.root.childCount > 0 : element instanceof AmqpConnection && element.topology !== undefined;
    const item = new vscode.TreeItem(profile.name, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // VS Code keeps an item that had no children collapsed when children arrive: a new id for
    // the broker with children makes it honour Expanded on the first render.
    item.id = `${profile.kind}/${profile.id}${hasChildren ? '' : '/empty'}`;
    const stateText = describeState(state);
    const search = this.searches.get(element.id);
    const details = [profile.name === endpoint ? '' : endpoint];
    if (element instanceof MqttConnection && element.topics.totalMessages > 0) {
      details.push(`${element.topics.topicCount.toLocaleString('en-US')} topics`);
    }
    if (element instanceof AmqpConnection && element.state.kind === 'connected' && element.serverDescription) {
      details.push(element.serverDescription);
    }
    if (search) {
      details.push(`filter: ${search.search.query}`);
    }
    if (profile.source?.kind === 'workspace') {
      details.push(vscode.l10n.t('workspace: {0}', profile.source.name));
    }
    const unverified = tlsUnverified(profile);
    if (unverified) {
      details.unshift(vscode.l10n.t('TLS not verified'));
    }
    // Why it is reconnecting, and what is wrong with a working connection, are said on the node.
    const problem = state.kind === 'reconnecting' ? state.reason : element.warning;
    item.description = [stateText, ...(problem ? [problem] : []), ...details.filter(Boolean)].join(' · ');
    // The state icon keeps its shape; a broker without certificate checks wears the warning colour,
    // a working connection with a problem (a refused subscription, RabbitMQ blocking) a warning icon.
    item.iconPath =
      element.warning && state.kind === 'connected'
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : unverified
          ? new vscode.ThemeIcon(stateIcon(state).id, new vscode.ThemeColor('list.warningForeground'))
          : stateIcon(state);
    item.contextValue = contextValue(element, search !== undefined);
    item.tooltip = this.tooltip(element, stateText, endpoint);
    item.accessibilityInformation = {
      label: vscode.l10n.t('{0} broker {1} at {2}: {3}', KIND_LABEL[profile.kind], profile.name, endpoint, stateText) + (unverified ? `, ${vscode.l10n.t('TLS not verified')}` : ''),
      role: 'treeitem',
    };
    if (canConnect(state)) {
      item.command = { command: 'brokerExplorer.connectBroker', title: vscode.l10n.t('Connect'), arguments: [element] };
    }
    return item;
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
    this.fullRefresh = true;
    this.scheduleFlush();
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

  /** Names, users, filters and failure reasons are data (a shared brokers.json, the broker): escaped, no icons. */
  private tooltip(connection: BrokerConnection, stateText: string, endpoint: string): vscode.MarkdownString {
    const { profile } = connection;
    const md = new vscode.MarkdownString(undefined, false);
    md.supportHtml = false;
    md.isTrusted = false;
    md.supportThemeIcons = false;
    md.appendMarkdown(`**${escapeMarkdown(profile.name)}** — ${KIND_LABEL[profile.kind]}\n\n`);
    md.appendMarkdown(`${codeSpan(endpoint)}\n\n`);
    if (profile.source?.kind === 'workspace') {
      md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('workspace: {0}', profile.source.name))} — ${escapeMarkdown(vscode.l10n.t('defined in .vscode/brokers.json'))}\n\n`);
    }
    if (profile.kind === 'amqp') {
      md.appendMarkdown(`vhost ${codeSpan(profile.vhost)}\n\n`);
    }
    if (profile.username) {
      md.appendMarkdown(`user ${codeSpan(profile.username)}\n\n`);
    }
    if (tlsUnverified(profile)) {
      md.appendMarkdown(`**${escapeMarkdown(vscode.l10n.t('TLS certificate not verified'))}**: ${escapeMarkdown(vscode.l10n.t('anyone on the network path can read and change this connection'))}\n\n`);
    }
    if (connection instanceof MqttConnection) {
      md.appendMarkdown(`client id ${codeSpan(connection.clientId)}\n\n`);
      md.appendMarkdown(`subscribed to ${connection.subscriptions.map((s) => codeSpan(s.filter)).join(', ')}\n\n`);
      const t = connection.topics;
      if (t.totalMessages) {
        md.appendMarkdown(`${t.totalMessages.toLocaleString('en-US')} messages on ${t.topicCount.toLocaleString('en-US')} topics\n\n`);
      }
    }
    md.appendMarkdown(escapeMarkdown(stateText));
    const state = connection.state;
    if (state.kind === 'reconnecting') {
      md.appendMarkdown(`

${escapeMarkdown(state.reason)}`);
    }
    if (connection.warning) {
      md.appendMarkdown(`

**${escapeMarkdown(vscode.l10n.t('Warning'))}:** ${escapeMarkdown(connection.warning)}`);
    }
    return md;
  }

  /** State changes are coalesced: at most one tree update every 100 ms. */
  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), 100);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.fullRefresh) {
      this.fullRefresh = false;
      this.dirty.clear();
      this.fire(undefined);
      return;
    }
    const nodes = [...this.dirty].filter((c) => this.registry.get(c.id) === c);
    this.dirty.clear();
    if (nodes.length) {
      this.fire(nodes);
    }
  }

  private fire(elements: BrokerNode[] | undefined): void {
    this.refreshEvents++;
    this.changeEmitter.fire(elements);
  }

  /**
   * Runs every `refreshIntervalMs` (4 times a second by default) while brokers are active: pulls the topic models' dirty nodes and
   * refreshes the top-most visible changed node of each broker (its expanded subtree comes with
   * it), and counts down "reconnecting in Ns".
   */
  private tick(): void {
    const changed: BrokerNode[] = [];
    for (const c of this.registry.list(this.kind)) {
      if (c.state.kind === 'reconnecting') {
        changed.push(c);
        continue;
      }
      if (!(c instanceof MqttConnection)) {
        continue;
      }
      const dirty = c.topics.takeDirty();
      if (!dirty.length) {
        continue;
      }
      const search = this.searches.get(c.id);
      if (search) {
        search.shown = undefined;
      }
      if (!this.visible) {
        continue;
      }
      // Ancestors change with every message (their counts), so the top-most changed node is
      // always the broker node: refreshing it re-renders its expanded subtree, nothing else.
      changed.push(c);
    }
    if (changed.length && this.visible) {
      this.fire(changed);
    }
    this.updateTicker();
  }

  private updateTicker(): void {
    const active = this.registry.list(this.kind).some((c) => c.state.kind === 'reconnecting' || (c instanceof MqttConnection && c.state.kind === 'connected'));
    if (active && !this.ticker) {
      this.ticker = setInterval(() => this.tick(), this.refreshMs);
    } else if (!active && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      this.tick(); // the last messages before the connection went away
    }
  }

  private stopTimers(): void {
    clearTimeout(this.amqpPoll);
    clearTimeout(this.flushTimer);
    clearInterval(this.ticker);
  }
}

