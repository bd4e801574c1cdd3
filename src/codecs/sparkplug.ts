// Sparkplug B in the editor (#20): every MQTT connection's ingest hook (MqttConnection.sparkplugIngest,
// called for topics under spBv1.0/ only) feeds a SparkplugState per broker, in the lazily loaded
// sparkplug bundle (dist/codecs/sparkplug.js; messages that arrive while it loads wait, copied);
// the Sparkplug view shows group → edge node → device → metric with value and data type, node state
// and sequence gaps, refreshed from a timer (≤ 4 times a second) while visible; the inspector's
// Decoded tab names DATA metrics by alias from the last BIRTH.
import * as vscode from 'vscode';
import type { BrokerRegistry } from '../core/brokers/registry';
import { SPARKPLUG_PREFIX } from '../core/codecs/hints';
import type { DeviceState, EdgeNodeState, GroupState, MetricHolder, MetricState, SparkplugState } from '../core/codecs/sparkplug/state';
import type { SparkplugNames } from '../core/codecs/types';
import { folderAt, leafName, metricFoldersOf } from '../core/codecs/sparkplug/metricFolders';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import type { Logger } from '../shared/log';

type SparkplugModule = typeof import('../core/codecs/impl/sparkplug');

/** Messages kept while the bundle loads (then fed in order). */
const MAX_PENDING = 50_000;
/** Tree refreshes per second at most. */
const REFRESHES_PER_SECOND = 4;

export class SparkplugTracker implements vscode.Disposable {
  private readonly states = new Map<string, SparkplugState>();
  private module: SparkplugModule | undefined;
  private loading: Promise<SparkplugModule> | undefined;
  private pending: { brokerId: string; topic: string; payload: Uint8Array; time: number }[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private seen = false;
  /** Bumps on every message fed: the view refreshes when it moved. */
  version = 0;
  /** Messages fed, per broker. */
  readonly ingested = new Map<string, number>();

  constructor(
    private readonly registry: BrokerRegistry,
    private readonly log: Logger,
    /** Loads dist/codecs/sparkplug.js (through the lazy decoders bundle's registry). */
    private readonly loadBundle: () => Promise<unknown>,
  ) {
    for (const c of registry.list()) {
      this.hook(c);
    }
    const sub = registry.onDidChange((e) => {
      if (e.type === 'added' || e.type === 'updated') {
        this.hook(e.connection);
      } else if (e.type === 'removed') {
        this.states.delete(e.connection.id);
        this.version++;
      }
    });
    this.disposables.push({ dispose: () => sub.dispose() });
  }

  private hook(c: unknown): void {
    if (c instanceof MqttConnection && c.sparkplugIngest === undefined) {
      const id = c.id;
      c.sparkplugIngest = { prefix: SPARKPLUG_PREFIX, ingest: (topic, payload, time) => this.ingest(id, topic, payload, time) };
    }
  }

  /** One message under spBv1.0/ (the connection tested the prefix). Never throws. */
  ingest(brokerId: string, topic: string, payload: Uint8Array, time: number): void {
    if (!this.seen) {
      this.seen = true;
      void vscode.commands.executeCommand('setContext', 'brokerExplorer:sparkplugSeen', true);
    }
    if (this.module) {
      this.feed(this.module, brokerId, topic, payload, time);
      return;
    }
    if (this.pending.length < MAX_PENDING) {
      this.pending.push({ brokerId, topic, payload: Uint8Array.from(payload), time }); // mqtt.js reuses its read buffer
    }
    void this.load();
  }

  /** Loads the sparkplug bundle once and feeds what waited. */
  load(): Promise<SparkplugModule> {
    this.loading ??= (this.loadBundle() as Promise<SparkplugModule>).then(
      (m) => {
        this.module = m;
        for (const p of this.pending.splice(0)) {
          this.feed(m, p.brokerId, p.topic, p.payload, p.time);
        }
        return m;
      },
      (e: unknown) => {
        this.loading = undefined;
        this.log.error(`Sparkplug B: the decoder bundle did not load: ${e instanceof Error ? e.message : String(e)}`);
        throw e;
      },
    );
    return this.loading;
  }

  private feed(m: SparkplugModule, brokerId: string, topic: string, payload: Uint8Array, time: number): void {
    let state = this.states.get(brokerId);
    if (!state) {
      state = m.createSparkplugState();
      this.states.set(brokerId, state);
    }
    const r = state.ingest(topic, payload, time);
    this.ingested.set(brokerId, (this.ingested.get(brokerId) ?? 0) + 1);
    this.version++;
    if (r.error) {
      this.log.trace(`Sparkplug B ${topic}: ${r.error}`);
    }
  }

  state(brokerId: string): SparkplugState | undefined {
    return this.states.get(brokerId);
  }

  /** Alias → name from the BIRTHs this broker's ingest saw (the Decoded tab). */
  names(brokerId: string): SparkplugNames | undefined {
    return this.states.get(brokerId);
  }

  entries(): [string, SparkplugState][] {
    return [...this.states];
  }

  datatypeName(n: number): string {
    return this.module?.datatypeName(n) ?? String(n);
  }

  dispose(): void {
    for (const c of this.registry.list()) {
      if (c instanceof MqttConnection) {
        c.sparkplugIngest = undefined;
      }
    }
    vscode.Disposable.from(...this.disposables.splice(0)).dispose();
    this.states.clear();
    this.pending = [];
  }
}

// ---------------------------------------------------------------------------------------------
// The view

export type SparkplugElement =
  | { readonly kind: 'group'; readonly brokerId: string; readonly group: GroupState }
  | { readonly kind: 'node'; readonly brokerId: string; readonly node: EdgeNodeState }
  | { readonly kind: 'device'; readonly brokerId: string; readonly device: DeviceState }
  | { readonly kind: 'folder'; readonly id: string; readonly holder: MetricHolder; readonly path: string; readonly parent: SparkplugElement }
  | { readonly kind: 'metric'; readonly id: string; readonly metric: MetricState; readonly parent: SparkplugElement };

/** A value for a tree row: text as it is (cut), numbers and booleans, JSON for the rest. */
export function shownValue(v: unknown, isNull: boolean): string {
  if (isNull || v === null || v === undefined) {
    return 'null';
  }
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

/** What a row shows, short: it is redrawn when this changes. */
function signature(e: SparkplugElement): string {
  switch (e.kind) {
    case 'group':
      return String(e.group.nodes.size);
    case 'node': {
      const n = e.node;
      return `${n.status}|${n.seq.gaps}|${n.seq.outOfOrder}|${String(n.bdSeq)}|${n.rebirths}|${n.metrics.size}|${n.devices.size}|${n.birthAt ?? ''}|${n.unknownMetrics}`;
    }
    case 'device':
      return `${e.device.status}|${e.device.metrics.size}|${e.device.birthAt ?? ''}`;
    case 'folder':
      return `${e.holder.metrics.size}|${e.holder.birthAt ?? ''}`;
    case 'metric':
      return `${e.metric.updates}|${e.metric.timestamp}`;
  }
}

/**
 * The Sparkplug view. Rows are stable objects (VS Code redraws a row it was given when that object
 * is fired); the timer redraws only the rows VS Code listed whose own text changed, so a device of
 * 10k metrics whose DATA changes 1k of them costs the rows shown, not a full refresh. Metrics sit in
 * folders by their names' `/` segments (metricFolders.ts).
 */
export class SparkplugTreeProvider implements vscode.TreeDataProvider<SparkplugElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SparkplugElement | SparkplugElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private shown = -1;
  /** Rows VS Code was given, by id, with what they showed then. */
  private readonly listed = new Map<string, { element: SparkplugElement; signature: string }>();
  private readonly elements = new Map<string, SparkplugElement>();
  private rootSignature = '';
  /** Change events fired (the tests check the rate). */
  refreshes = 0;
  /** Rows redrawn by those events (a full refresh counts as one). */
  rowsRedrawn = 0;

  constructor(
    private readonly tracker: SparkplugTracker,
    private readonly brokerName: (id: string) => string,
  ) {}

  /** Refreshes from a timer while the view is visible (never per message). */
  attach(view: vscode.TreeView<SparkplugElement>): vscode.Disposable {
    const start = (): void => {
      this.timer ??= setInterval(() => this.tick(), 1000 / REFRESHES_PER_SECOND);
    };
    const stop = (): void => {
      clearInterval(this.timer);
      this.timer = undefined;
    };
    if (view.visible) {
      start();
    }
    const subs = [
      view.onDidChangeVisibility((e) => (e.visible ? start() : stop())),
      // A collapsed row's descendants are not drawn: they need no redraw until VS Code lists them again.
      view.onDidCollapseElement((e) => this.forgetBelow(e.element)),
    ];
    return {
      dispose: () => {
        stop();
        vscode.Disposable.from(...subs).dispose();
      },
    };
  }

  private tick(): void {
    if (this.tracker.version === this.shown) {
      return;
    }
    this.shown = this.tracker.version;
    const root = this.computeRootSignature();
    if (root !== this.rootSignature) {
      this.rootSignature = root;
      this.listed.clear();
      this.refreshes++;
      this.rowsRedrawn++;
      this.changed.fire(undefined);
      return;
    }
    const rows: SparkplugElement[] = [];
    for (const entry of this.listed.values()) {
      const now = signature(entry.element);
      if (now !== entry.signature) {
        entry.signature = now;
        rows.push(entry.element);
      }
    }
    if (rows.length) {
      this.refreshes++;
      this.rowsRedrawn += rows.length;
      this.changed.fire(rows);
    }
  }

  private computeRootSignature(): string {
    return this.tracker
      .entries()
      .map(([b, s]) => `${b}:${[...s.groups.keys()].join(',')}`)
      .join(';');
  }

  /** Forgets the rows below `e` (a folder's rows are its owner's folders and metrics whose path starts with its own). */
  private forgetBelow(e: SparkplugElement): void {
    const self = this.id(e);
    const prefixes = e.kind === 'folder' ? [`${this.id(e.parent)}/f/${e.path}`, `${this.id(e.parent)}/m/${e.path}`] : [`${self}/`];
    for (const key of this.listed.keys()) {
      if (key !== self && prefixes.some((p) => key.startsWith(p))) {
        this.listed.delete(key);
      }
    }
  }

  /** The same object for the same row while it shows the same state (VS Code knows rows by object). */
  private stable<E extends SparkplugElement>(made: E, same: (old: E) => boolean): E {
    const id = this.id(made);
    const old = this.elements.get(id) as E | undefined;
    if (old && old.kind === made.kind && same(old)) {
      return old;
    }
    this.elements.set(id, made);
    return made;
  }

  private list(parent: SparkplugElement | undefined, children: SparkplugElement[]): SparkplugElement[] {
    if (parent) {
      this.forgetBelow(parent);
    } else {
      this.listed.clear();
      this.rootSignature = this.computeRootSignature();
      // Rows of a broker that is gone would keep its Sparkplug state alive: dropped with it.
      const brokers = this.tracker.entries().map(([b]) => `${b}/sparkplug/`);
      for (const id of this.elements.keys()) {
        if (!brokers.some((b) => id.startsWith(b))) {
          this.elements.delete(id);
        }
      }
    }
    for (const c of children) {
      this.listed.set(this.id(c), { element: c, signature: signature(c) });
    }
    return children;
  }

  getChildren(e?: SparkplugElement): SparkplugElement[] {
    if (!e) {
      return this.list(
        undefined,
        this.tracker.entries().flatMap(([brokerId, s]) => [...s.groups.values()].map((group) => this.stable({ kind: 'group' as const, brokerId, group }, (o) => o.group === group))),
      );
    }
    switch (e.kind) {
      case 'group':
        return this.list(
          e,
          [...e.group.nodes.values()].map((node) => this.stable({ kind: 'node' as const, brokerId: e.brokerId, node }, (o) => o.node === node)),
        );
      case 'node':
        return this.list(e, [
          ...this.folderChildren(e, e.node, ''),
          ...[...e.node.devices.values()].map((device) => this.stable({ kind: 'device' as const, brokerId: e.brokerId, device }, (o) => o.device === device)),
        ]);
      case 'device':
        return this.list(e, this.folderChildren(e, e.device, ''));
      case 'folder':
        return this.list(e, this.folderChildren(e.parent, e.holder, e.path));
      case 'metric':
        return [];
    }
  }

  /** A folder's rows (the holder's top level for ""): its folders, then its metrics. */
  private folderChildren(owner: SparkplugElement, holder: MetricHolder, path: string): SparkplugElement[] {
    const folder = folderAt(metricFoldersOf(holder), path);
    if (!folder) {
      return [];
    }
    const ownerId = this.id(owner);
    return [
      ...folder.folders.map((f) => this.stable({ kind: 'folder' as const, id: `${ownerId}/f/${f.path}`, holder, path: f.path, parent: owner }, (o) => o.holder === holder)),
      ...folder.metrics.map((metric) => this.stable({ kind: 'metric' as const, id: `${ownerId}/m/${metric.name}`, metric, parent: owner }, (o) => o.metric === metric)),
    ];
  }

  /** For reveal(): a metric's row is under its folder, node or device; a device under its node; a node under its group. */
  getParent(e: SparkplugElement): SparkplugElement | undefined {
    switch (e.kind) {
      case 'group':
        return undefined;
      case 'node':
        return this.stable({ kind: 'group', brokerId: e.brokerId, group: e.node.group }, (o) => o.group === e.node.group);
      case 'device':
        return this.stable({ kind: 'node', brokerId: e.brokerId, node: e.device.node }, (o) => o.node === e.device.node);
      case 'folder':
      case 'metric': {
        const path = e.kind === 'folder' ? e.path.slice(0, -1) : e.metric.name;
        const up = path.split('/').filter(Boolean).slice(0, -1);
        if (!up.length) {
          return e.parent;
        }
        const owner = e.parent;
        const holder = owner.kind === 'node' ? owner.node : owner.kind === 'device' ? owner.device : undefined;
        const folderPath = `${up.join('/')}/`;
        return holder && this.stable({ kind: 'folder', id: `${this.id(owner)}/f/${folderPath}`, holder, path: folderPath, parent: owner }, (o) => o.holder === holder);
      }
    }
  }

  private id(e: SparkplugElement): string {
    switch (e.kind) {
      case 'group':
        return `${e.brokerId}/sparkplug/${e.group.id}`;
      case 'node':
        return `${e.brokerId}/sparkplug/${e.node.group.id}/${e.node.id}`;
      case 'device':
        return `${e.brokerId}/sparkplug/${e.device.node.group.id}/${e.device.node.id}/${e.device.id}`;
      case 'folder':
      case 'metric':
        return e.id;
    }
  }

  getTreeItem(e: SparkplugElement): vscode.TreeItem {
    const item = new vscode.TreeItem('', e.kind === 'metric' ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id(e);
    switch (e.kind) {
      case 'group': {
        item.label = e.group.id;
        const many = this.tracker.entries().length > 1;
        item.description = `${e.group.nodes.size === 1 ? vscode.l10n.t('1 edge node') : vscode.l10n.t('{0} edge nodes', e.group.nodes.size)}${many ? ` · ${this.brokerName(e.brokerId)}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('folder');
        item.contextValue = 'sparkplugGroup';
        item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
        break;
      }
      case 'node': {
        const n = e.node;
        const parts: string[] = [n.status];
        if (n.seq.gaps > 0 || n.seq.outOfOrder > 0) {
          parts.push(vscode.l10n.t('seq: {0} missing, {1} out of order', n.seq.gaps, n.seq.outOfOrder));
        }
        if (n.bdSeq !== undefined) {
          parts.push(`bdSeq ${String(n.bdSeq)}`);
        }
        if (n.rebirths > 0) {
          parts.push(n.rebirths === 1 ? vscode.l10n.t('1 rebirth') : vscode.l10n.t('{0} rebirths', n.rebirths));
        }
        item.label = n.id;
        item.description = parts.join(' · ');
        item.tooltip = nodeTooltip(n);
        item.iconPath = new vscode.ThemeIcon(n.seq.gaps > 0 || n.seq.outOfOrder > 0 ? 'warning' : n.status === 'online' ? 'vm-active' : 'vm-outline');
        item.contextValue = `sparkplugNode+${n.status}${n.seq.gaps > 0 ? '+gap' : ''}`;
        break;
      }
      case 'device': {
        const d = e.device;
        item.label = d.id;
        item.description = `${d.status} · ${metricCount(d.metrics.size)}`;
        item.iconPath = new vscode.ThemeIcon(d.status === 'online' ? 'circuit-board' : 'debug-disconnect');
        item.contextValue = `sparkplugDevice+${d.status}`;
        break;
      }
      case 'folder': {
        const folder = folderAt(metricFoldersOf(e.holder), e.path);
        item.label = folder?.name ?? e.path;
        item.description = metricCount(folder?.count ?? 0);
        item.tooltip = e.path.slice(0, -1);
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'sparkplugFolder';
        break;
      }
      case 'metric': {
        const m = e.metric;
        item.label = leafName(m.name);
        item.description = `${shownValue(m.value, m.isNull)} · ${this.tracker.datatypeName(m.datatype)}`;
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        item.contextValue = 'sparkplugMetric';
        break;
      }
    }
    return item;
  }

  /** The metric tooltip is made on hover only (10k rows would each carry one). */
  resolveTreeItem(item: vscode.TreeItem, e: SparkplugElement): vscode.TreeItem {
    if (e.kind === 'metric') {
      const m = e.metric;
      item.tooltip = `${m.name}\n${vscode.l10n.t('Value')}: ${shownValue(m.value, m.isNull)}\n${vscode.l10n.t('Data type')}: ${this.tracker.datatypeName(m.datatype)}${m.alias !== undefined ? `\nAlias: ${String(m.alias)}` : ''}\n${new Date(m.timestamp).toISOString()} · ${vscode.l10n.t('{0} updates', m.updates)}`;
    }
    return item;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.changed.dispose();
  }
}

function metricCount(n: number): string {
  return n === 1 ? vscode.l10n.t('1 metric') : vscode.l10n.t('{0} metrics', n);
}

function nodeTooltip(n: EdgeNodeState): string {
  const lines = [`${n.group.id}/${n.id}: ${n.status}`];
  if (n.birthAt) {
    lines.push(vscode.l10n.t('Last NBIRTH: {0}', new Date(n.birthAt).toISOString()));
  }
  if (n.deathAt) {
    lines.push(vscode.l10n.t('Last NDEATH: {0}', new Date(n.deathAt).toISOString()));
  }
  if (n.seq.lastFault) {
    const f = n.seq.lastFault;
    lines.push(vscode.l10n.t('Sequence {0}: expected {1}, got {2} at {3}', f.kind, f.expected, f.got, new Date(f.at).toISOString()));
  }
  if (n.unknownMetrics > 0) {
    lines.push(vscode.l10n.t('{0} DATA metrics named by no BIRTH', n.unknownMetrics));
  }
  return lines.join('\n');
}
