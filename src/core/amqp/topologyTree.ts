/**
 * The AMQP view's model below one broker: stable nodes made from the connection's last topology
 * snapshot, what each row shows (plain data; the glue makes the TreeItem), and the diff of each
 * new snapshot against the rows already shown. A node keeps its identity while its id does, so a
 * poll that changes nothing changes nothing, and a changed queue depth re-renders that row only.
 * Children are made when first asked for (what VS Code has shown): a collapsed queue's bindings
 * cost nothing until it is expanded. No vscode.
 */
import type { AmqpConnection, Topology, VhostTopology } from './amqpConnection';
import type { BindingInfo, ExchangeInfo, QueueInfo } from './management';

export type AmqpNodeType = 'vhost' | 'exchanges' | 'queues' | 'defaultExchanges' | 'exchange' | 'queue' | 'binding' | 'notice';
export type RowCollapsible = 'none' | 'collapsed' | 'expanded';

/** A tooltip as title + `key: value` lines; made into Markdown only when hovered (resolveTreeItem). */
export interface RowTooltip {
  readonly title: string;
  readonly lines: readonly string[];
}

/** What one row of the tree shows. */
export interface AmqpRow {
  readonly label: string;
  readonly description?: string;
  readonly collapsible: RowCollapsible;
  readonly icon: string;
  /** A theme color id for the icon. */
  readonly iconColor?: string;
  readonly contextValue: string;
  /** Plain text (notices) or the lines of a Markdown tooltip. */
  readonly tooltip?: string | RowTooltip;
  /** What a screen reader says: the kind of node with what the row shows. */
  readonly accessibilityLabel: string;
}

/** One node of the tree below a broker. Its data fields follow each snapshot; the node object stays. */
export class AmqpNode {
  vhost: VhostTopology | undefined;
  exchange: ExchangeInfo | undefined;
  queue: QueueInfo | undefined;
  binding: BindingInfo | undefined;
  message: string | undefined;
  /** The row as of the last snapshot. */
  row!: AmqpRow;
  /** The row in one string: a row whose signature is unchanged need not be rendered again. */
  signature = '';
  /** Made when first asked for; undefined until then. */
  children: AmqpNode[] | undefined;

  constructor(
    /** The TreeItem id: stable across snapshots (expansion and selection follow it). */
    readonly id: string,
    readonly type: AmqpNodeType,
    readonly connection: AmqpConnection,
    readonly parent: AmqpNode | undefined,
  ) {}
}

/** What makes a node: its id and kind and the data it shows. */
interface NodeSpec {
  readonly id: string;
  readonly type: AmqpNodeType;
  readonly vhost?: VhostTopology;
  readonly exchange?: ExchangeInfo;
  readonly queue?: QueueInfo;
  readonly binding?: BindingInfo;
  readonly message?: string;
}

/** Bindings of one vhost by source exchange and by destination queue, and its exchange counts. */
interface VhostIndex {
  readonly bySource: Map<string, BindingInfo[]>;
  readonly byQueue: Map<string, BindingInfo[]>;
  readonly userExchanges: readonly ExchangeInfo[];
  readonly defaultExchanges: readonly ExchangeInfo[];
}

export const isDefaultExchange = (e: ExchangeInfo): boolean => e.name === '' || e.name.startsWith('amq.');
export const exchangeLabel = (name: string): string => (name === '' ? '(AMQP default)' : name);

let collator: Intl.Collator | undefined; // made on first use: not at activation
const byName = (a: { name: string }, b: { name: string }): number => (collator ??= new Intl.Collator()).compare(a.name, b.name);
const SEP = '\u0000';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

const indexes = new WeakMap<VhostTopology, VhostIndex>();

/** Made once per vhost snapshot: every row and child list of that vhost reads it. */
function indexOf(v: VhostTopology): VhostIndex {
  let index = indexes.get(v);
  if (!index) {
    const bySource = new Map<string, BindingInfo[]>();
    const byQueue = new Map<string, BindingInfo[]>();
    for (const b of v.bindings) {
      if (b.source !== '') {
        push(bySource, b.source, b);
      }
      if (b.destination_type === 'queue') {
        push(byQueue, b.destination, b);
      }
    }
    const sorted = [...v.exchanges].sort(byName);
    index = { bySource, byQueue, userExchanges: sorted.filter((e) => !isDefaultExchange(e)), defaultExchanges: sorted.filter(isDefaultExchange) };
    indexes.set(v, index);
  }
  return index;
}

const NONE: readonly BindingInfo[] = [];
const exchangeBindings = (v: VhostTopology, e: ExchangeInfo): readonly BindingInfo[] => (e.name === '' ? NONE : (indexOf(v).bySource.get(e.name) ?? NONE));
const queueBindings = (v: VhostTopology, q: QueueInfo): readonly BindingInfo[] => indexOf(v).byQueue.get(q.name) ?? NONE;

function args(a: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(a);
  return entries.length ? entries.map(([k, val]) => `${k}=${JSON.stringify(val)}`).join(', ') : '';
}

function tooltipOf(title: string, rows: [string, string | number | boolean | undefined][]): RowTooltip {
  return { title, lines: rows.filter(([, val]) => val !== undefined && val !== '').map(([k, val]) => `${k}: ${String(val)}`) };
}

const plural = (k: number, one: string): string => `${k} ${one}${k === 1 ? '' : 's'}`;
const count = (n: number): string => n.toLocaleString('en-US');

type RowParts = Omit<AmqpRow, 'accessibilityLabel'>;

/** What a node's row shows, from its data (the same words and flags the view always showed). */
export function rowOf(node: AmqpNode): AmqpRow {
  const parts = rowPartsOf(node);
  // Screen readers hear what kind of node this is with what the row shows (label · description).
  const kind = node.type === 'notice' || parts.label.toLowerCase().startsWith(node.type.slice(0, 5).toLowerCase()) ? '' : `${node.type} `;
  return { ...parts, accessibilityLabel: `${kind}${parts.label}${parts.description ? `, ${parts.description.replace(/ · /g, ', ')}` : ''}` };
}

function rowPartsOf(node: AmqpNode): RowParts {
  const v = node.vhost;
  switch (node.type) {
    case 'notice':
      return { label: node.message ?? '', collapsible: 'none', icon: 'warning', iconColor: 'list.warningForeground', tooltip: node.message, contextValue: 'amqpNotice' };
    case 'vhost':
      return { label: v!.name, collapsible: 'expanded', description: `vhost · ${plural(v!.exchanges.length, 'exchange')}, ${plural(v!.queueTotal, 'queue')}`, icon: 'server-environment', contextValue: 'vhost' };
    case 'exchanges':
    case 'queues':
    case 'defaultExchanges': {
      const label = node.type === 'exchanges' ? 'Exchanges' : node.type === 'queues' ? 'Queues' : 'Default exchanges';
      const index = indexOf(v!);
      const n = node.type === 'queues' ? v!.queueTotal : node.type === 'exchanges' ? index.userExchanges.length : index.defaultExchanges.length;
      const filter = node.connection.queueFilter;
      return {
        label,
        collapsible: node.type === 'defaultExchanges' ? 'collapsed' : 'expanded',
        description: node.type === 'queues' && filter ? `${count(v!.queueMatching ?? n)} of ${count(n)} · filter: ${filter}` : String(n),
        icon: node.type === 'queues' ? 'inbox' : node.type === 'exchanges' ? 'arrow-swap' : 'library',
        contextValue: node.type,
      };
    }
    case 'exchange': {
      const e = node.exchange!;
      const bindings = exchangeBindings(v!, e).length;
      return {
        label: exchangeLabel(e.name),
        collapsible: bindings ? 'collapsed' : 'none',
        description: e.passive
          ? `${e.type} · checked by name`
          : [e.type, e.durable ? 'durable' : 'transient', e.auto_delete ? 'auto-delete' : '', e.internal ? 'internal' : '', bindings ? `${bindings} binding${bindings > 1 ? 's' : ''}` : ''].filter(Boolean).join(' · '),
        icon: e.internal ? 'lock' : 'arrow-swap',
        contextValue: `exchange+${e.type}${e.name === '' ? '+default' : ''}${e.name.startsWith('amq.') ? '+amq' : ''}`,
        tooltip: tooltipOf(`Exchange ${exchangeLabel(e.name)}`, [
          ['type', e.type],
          ['durable', e.durable],
          ['auto-delete', e.auto_delete],
          ['internal', e.internal],
          ['arguments', args(e.arguments)],
          ['vhost', e.vhost],
        ]),
      };
    }
    case 'queue': {
      const q = node.queue!;
      const bindings = queueBindings(v!, q).length;
      const ready = q.messages_ready ?? 0;
      const unacked = q.messages_unacknowledged ?? 0;
      const inRate = q.message_stats?.publish_details?.rate;
      const outRate = q.message_stats?.deliver_get_details?.rate;
      const consumers = `${q.consumers ?? 0} consumer${q.consumers === 1 ? '' : 's'}`;
      const description = q.passive
        ? q.state === 'running'
          ? `${count(ready)} message${ready === 1 ? '' : 's'} · ${consumers} · checked by name`
          : 'not found · checked by name'
        : [
            `${count(ready)} ready`,
            unacked ? `${count(unacked)} unacked` : '',
            consumers,
            q.type && q.type !== 'classic' ? q.type : '',
            inRate || outRate ? `${(inRate ?? 0).toFixed(1)}/s in, ${(outRate ?? 0).toFixed(1)}/s out` : '',
          ]
            .filter(Boolean)
            .join(' · ');
      const a = q.arguments;
      return {
        label: q.name,
        collapsible: bindings ? 'collapsed' : 'none',
        description,
        icon: q.type === 'stream' ? 'list-flat' : 'inbox',
        contextValue: `queue+${q.type ?? 'classic'}${ready + unacked > 0 ? '+hasMessages' : ''}${q.consumers ? '+hasConsumers' : ''}`,
        tooltip: tooltipOf(`Queue ${q.name}`, [
          ['type', q.type ?? 'classic'],
          ['messages ready', ready],
          ['messages unacknowledged', unacked],
          ['consumers', q.consumers ?? 0],
          ['durable', q.durable],
          ['exclusive', q.exclusive],
          ['auto-delete', q.auto_delete],
          ['dead-letter exchange', a['x-dead-letter-exchange'] as string | undefined],
          ['message TTL (ms)', a['x-message-ttl'] as number | undefined],
          ['arguments', args(a)],
          ['state', q.state],
        ]),
      };
    }
    case 'binding': {
      const b = node.binding!;
      const out = node.exchange !== undefined;
      return {
        label: out ? `→ ${b.destination}` : `← ${exchangeLabel(b.source)}`,
        collapsible: 'none',
        description: [b.routing_key ? `routing key ${b.routing_key}` : '(no routing key)', args(b.arguments)].filter(Boolean).join(' · '),
        icon: 'link',
        contextValue: `binding+${b.destination_type}${b.source === '' ? '+default' : ''}`,
      };
    }
  }
}

function signatureOf(row: AmqpRow): string {
  const t = row.tooltip;
  const tooltip = typeof t === 'string' || t === undefined ? (t ?? '') : `${t.title}\n${t.lines.join('\n')}`;
  return [row.label, row.description ?? '', row.collapsible, row.icon, row.iconColor ?? '', row.contextValue, tooltip].join(SEP);
}

/** What changed with a snapshot: the nodes to render again (their row, or their children). */
export interface TreeChanges {
  /** Nodes whose row or list of children changed (a node and its ancestor may both be listed). */
  readonly nodes: readonly AmqpNode[];
  /** The broker row's own children (vhosts, a notice) changed. */
  readonly roots: boolean;
}

const NO_CHANGES: TreeChanges = { nodes: [], roots: false };

const sameList = (a: readonly AmqpNode[] | undefined, b: readonly AmqpNode[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((n, i) => n === b[i]));

/** The model of one broker's subtree. */
export class AmqpTopologyTree {
  /** Every node made so far and still in the tree, by id. */
  private nodes = new Map<string, AmqpNode>();
  private rootList: AmqpNode[] | undefined;
  private synced: Topology | undefined;
  private filter: string | undefined;

  constructor(readonly connection: AmqpConnection) {}

  /** Whether this node is in the tree now (a node of an older snapshot may be gone). */
  has(node: AmqpNode): boolean {
    return this.nodes.get(node.id) === node;
  }

  get size(): number {
    return this.nodes.size;
  }

  /** The broker row's children: a notice when the last read failed, then the vhosts. Call update() first. */
  roots(): readonly AmqpNode[] {
    if (this.rootList === undefined) {
      this.synced = this.connection.topology;
      this.filter = this.connection.queueFilter;
      this.nodes.clear();
      this.rootList = this.make(undefined, this.rootSpecs(), new Map(), undefined);
    }
    return this.rootList;
  }

  children(node: AmqpNode): readonly AmqpNode[] {
    if (!this.has(node)) {
      return [];
    }
    node.children ??= this.make(node, this.childSpecs(node), new Map(), undefined);
    return node.children;
  }

  /**
   * Brings the nodes shown so far in line with the connection's topology (and queue filter) and
   * says which to render again; nothing when the snapshot shows what the rows already show.
   */
  update(): TreeChanges {
    const topology = this.connection.topology;
    if (topology === this.synced && this.connection.queueFilter === this.filter) {
      return NO_CHANGES;
    }
    this.synced = topology;
    this.filter = this.connection.queueFilter;
    if (this.rootList === undefined) {
      // Nothing was shown yet: nothing to compare with.
      this.nodes.clear();
      return NO_CHANGES;
    }
    const changed: AmqpNode[] = [];
    const old = this.nodes;
    this.nodes = new Map();
    const roots = this.make(undefined, topology ? this.rootSpecs() : [], old, changed);
    const rootsChanged = !sameList(this.rootList, roots);
    this.rootList = roots;
    return { nodes: changed, roots: rootsChanged };
  }

  /**
   * The nodes for `specs` below `parent`, reusing the old node of each id. With `changed`, an
   * update: rows are compared with the old ones, and children shown before are made again.
   */
  private make(parent: AmqpNode | undefined, specs: readonly NodeSpec[], old: Map<string, AmqpNode>, changed: AmqpNode[] | undefined): AmqpNode[] {
    const list: AmqpNode[] = [];
    for (const spec of specs) {
      let id = spec.id;
      for (let n = 2; this.nodes.has(id); n++) {
        id = `${spec.id}${SEP}${n}`; // the broker listed the same thing twice: both shown, ids unique
      }
      const previous = old.get(id);
      const node = previous && previous.type === spec.type && previous.parent === parent ? previous : new AmqpNode(id, spec.type, this.connection, parent);
      node.vhost = spec.vhost;
      node.exchange = spec.exchange;
      node.queue = spec.queue;
      node.binding = spec.binding;
      node.message = spec.message;
      node.row = rowOf(node);
      const signature = signatureOf(node.row);
      const reused = node === previous;
      let dirty = reused && signature !== node.signature;
      node.signature = signature;
      this.nodes.set(id, node);
      if (reused && changed && node.children !== undefined) {
        const before = node.children;
        node.children = this.make(node, this.childSpecs(node), old, changed);
        dirty ||= !sameList(before, node.children);
      } else if (!reused) {
        node.children = undefined;
      }
      if (dirty && changed) {
        changed.push(node);
      }
      list.push(node);
    }
    return list;
  }

  private rootSpecs(): NodeSpec[] {
    const topology = this.connection.topology;
    if (!topology) {
      return [];
    }
    const c = this.connection.id;
    const notice: NodeSpec[] = topology.error ? [{ id: [c, '', 'notice', topology.error].join(SEP), type: 'notice', message: topology.error }] : [];
    return [...notice, ...topology.vhosts.map((v): NodeSpec => ({ id: [c, v.name, 'vhost'].join(SEP), type: 'vhost', vhost: v }))];
  }

  private childSpecs(node: AmqpNode): NodeSpec[] {
    const v = node.vhost;
    if (!v) {
      return [];
    }
    const id = (...parts: string[]): string => [this.connection.id, v.name, ...parts].join(SEP);
    switch (node.type) {
      case 'vhost':
        return [
          { id: id('exchanges'), type: 'exchanges', vhost: v },
          { id: id('queues'), type: 'queues', vhost: v },
        ];
      case 'exchanges':
        return [...indexOf(v).userExchanges.map((e): NodeSpec => ({ id: id('exchange', e.name), type: 'exchange', vhost: v, exchange: e })), { id: id('defaultExchanges'), type: 'defaultExchanges', vhost: v }];
      case 'defaultExchanges':
        return indexOf(v).defaultExchanges.map((e) => ({ id: id('exchange', e.name), type: 'exchange', vhost: v, exchange: e }));
      case 'queues': {
        const queues = [...v.queues].sort(byName).map((q): NodeSpec => ({ id: id('queue', q.name), type: 'queue', vhost: v, queue: q }));
        const hidden = (v.queueMatching ?? v.queueTotal) - v.queues.length;
        if (hidden > 0) {
          const message = `${count(hidden)} more queues not listed (the first ${v.queues.length} by name are shown) — use Filter Queues`;
          queues.push({ id: id('notice', message), type: 'notice', vhost: v, message });
        }
        return queues;
      }
      case 'exchange': {
        const e = node.exchange!;
        return exchangeBindings(v, e).map((b) => ({ id: id('binding', 'out', b.source, b.destination_type, b.destination, b.properties_key), type: 'binding', vhost: v, exchange: e, binding: b }));
      }
      case 'queue': {
        const q = node.queue!;
        return queueBindings(v, q).map((b) => ({ id: id('binding', 'in', b.source, b.destination_type, b.destination, b.properties_key), type: 'binding', vhost: v, queue: q, binding: b }));
      }
      default:
        return [];
    }
  }
}
