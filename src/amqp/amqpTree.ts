// The AMQP Brokers view: broker connections with vhosts, exchanges, bindings and queues, read
// from the management API when a broker connects and every few seconds while the view is visible.
import * as vscode from 'vscode';
import { AmqpConnection } from '../core/amqp/amqpConnection';
import type { BrokerConnection } from '../core/brokers/connection';
import type { BrokerRegistry } from '../core/brokers/registry';
import { codeSpan } from '../core/format/markup';
import { brokerExpansion, connectionTreeItem } from '../shared/connectionRow';
import { Disposable } from '../shared/disposable';
import { RefreshScheduler } from '../shared/refreshScheduler';
import { AmqpTopologyTree } from '../core/amqp/topologyTree';
import { AmqpNode, amqpTreeItem, resolveAmqpTreeItem } from './amqpItems';

/** Tree elements: broker connections and the nodes made from their last topology snapshot. */
export type AmqpTreeNode = BrokerConnection | AmqpNode;

export class AmqpTreeProvider extends Disposable implements vscode.TreeDataProvider<AmqpTreeNode> {
  private readonly refresh: RefreshScheduler<AmqpTreeNode>;
  readonly onDidChangeTreeData: vscode.Event<AmqpTreeNode | AmqpTreeNode[] | undefined>;
  /** Seconds between management API polls of connected AMQP brokers (0: only on demand). */
  amqpRefreshSeconds = 5;
  private amqpPoll: ReturnType<typeof setTimeout> | undefined;
  private readonly amqpInFlight = new Map<string, Promise<void>>();
  /** Each broker's subtree, diffed with every topology snapshot (whoever asked for it). */
  private readonly models = new Map<AmqpConnection, { readonly tree: AmqpTopologyTree; readonly subscription: { dispose(): void } }>();

  constructor(private readonly registry: BrokerRegistry) {
    super();
    this.refresh = this._register(
      new RefreshScheduler<AmqpTreeNode>({
        isCurrent: (node) =>
          node instanceof AmqpNode ? this.registry.get(node.connection.id) === node.connection && this.models.get(node.connection)?.tree.has(node) === true : this.registry.get(node.id) === node,
        // Only the "reconnecting in Ns" countdown ticks in this tree.
        tick: () => this.registry.list('amqp').filter((c) => c.state.kind === 'reconnecting'),
        isActive: () => this.registry.list('amqp').some((c) => c.state.kind === 'reconnecting'),
      }),
    );
    this.onDidChangeTreeData = this.refresh.onDidChangeTreeData;
    this._register(
      registry.onDidChange((change) => {
        if (change.connection.profile.kind !== 'amqp') {
          return;
        }
        if (change.type === 'removed' || change.type === 'updated') {
          this.forget(change.connection);
        }
        if (change.type === 'warning') {
          this.refresh.markDirty(change.connection);
        } else if (change.type === 'state') {
          this.refresh.markDirty(change.connection);
          if (change.state.kind === 'connected' && change.connection instanceof AmqpConnection) {
            void this.refreshAmqp(change.connection);
            this.scheduleAmqpPoll();
          }
        } else {
          this.refresh.refreshAll();
        }
        this.refresh.updateTicker();
      }),
    );
    this._register(this.refresh.onDidChangeVisibility(() => this.scheduleAmqpPoll()));
    this._register({ dispose: () => clearTimeout(this.amqpPoll) });
    this._register({ dispose: () => [...this.models.keys()].forEach((c) => this.forget(c)) });
    this.refresh.updateTicker();
  }

  /** Lets the provider follow the view's visibility: nothing is refreshed or polled while it is hidden. */
  attach(view: vscode.TreeView<AmqpTreeNode>): void {
    this.refresh.attach(view);
    this._register(brokerExpansion.watch(view));
  }

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
          // Also when no model follows this connection yet (its row gets its expander).
          if (this.registry.get(connection.id) === connection) {
            this.sync(connection);
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
    if (!this.refresh.visible || this.amqpRefreshSeconds <= 0) {
      return;
    }
    this.amqpPoll = setTimeout(() => {
      this.amqpPoll = undefined;
      const connected = this.registry.list('amqp').filter((c): c is AmqpConnection => c instanceof AmqpConnection && c.state.kind === 'connected');
      void Promise.all(connected.map((c) => this.refreshAmqp(c))).finally(() => this.scheduleAmqpPoll());
    }, this.amqpRefreshSeconds * 1000);
  }

  /** The model of a broker's subtree (made on first use), following each topology read. */
  private model(connection: AmqpConnection): AmqpTopologyTree {
    let entry = this.models.get(connection);
    if (!entry) {
      const tree = new AmqpTopologyTree(connection);
      entry = { tree, subscription: connection.onDidChangeTopology(() => this.registry.get(connection.id) === connection && this.sync(connection)) };
      this.models.set(connection, entry);
    }
    return entry.tree;
  }

  private forget(connection: BrokerConnection): void {
    const entry = connection instanceof AmqpConnection ? this.models.get(connection) : undefined;
    if (entry) {
      entry.subscription.dispose();
      this.models.delete(connection as AmqpConnection);
    }
  }

  /**
   * Diffs the broker's last topology snapshot with the rows shown and re-renders only what
   * changed: nothing when a poll found nothing new, one row when one queue's depth changed.
   */
  private sync(connection: AmqpConnection): void {
    const changes = this.model(connection).update();
    if (changes.roots) {
      this.refresh.markDirty(connection);
    }
    for (const node of changes.nodes) {
      this.refresh.markDirty(node);
    }
    // The broker row shows an expander once there is a topology.
    if (connection.topology !== undefined && !this.expandable.has(connection)) {
      this.expandable.add(connection);
      this.refresh.markDirty(connection);
    }
  }

  /** Broker rows told they have children (they have a topology). */
  private readonly expandable = new WeakSet<AmqpConnection>();

  getChildren(element?: AmqpTreeNode): AmqpTreeNode[] {
    if (!element) {
      return this.registry.list('amqp').sort((a, b) => a.profile.name.localeCompare(b.profile.name));
    }
    if (element instanceof AmqpConnection) {
      this.sync(element);
      return [...this.model(element).roots()];
    }
    return element instanceof AmqpNode ? [...this.model(element.connection).children(element)] : [];
  }

  getParent(element: AmqpTreeNode): AmqpTreeNode | undefined {
    return element instanceof AmqpNode ? (element.parent ?? element.connection) : undefined;
  }

  getTreeItem(element: AmqpTreeNode): vscode.TreeItem {
    if (element instanceof AmqpNode) {
      return amqpTreeItem(element);
    }
    const amqp = element instanceof AmqpConnection ? element : undefined;
    return connectionTreeItem(element, {
      hasChildren: amqp?.topology !== undefined,
      details: amqp && amqp.state.kind === 'connected' && amqp.serverDescription ? [amqp.serverDescription] : [],
      tooltipBeforeUser: element.profile.kind === 'amqp' ? `vhost ${codeSpan(element.profile.vhost)}\n\n` : undefined,
    });
  }

  /** Exchange and queue tooltips are made when hovered. */
  resolveTreeItem(item: vscode.TreeItem, element: AmqpTreeNode): vscode.TreeItem {
    return element instanceof AmqpNode ? resolveAmqpTreeItem(item, element) : item;
  }
}
