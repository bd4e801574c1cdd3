// The Sparkplug B state of a broker, fed every message under spBv1.0/ at ingest: groups → edge
// nodes → devices → metrics with their current value; aliases resolved from the last NBIRTH /
// DBIRTH; sequence numbers (0–255, wrapping) with gap and out-of-order counts; bdSeq and NDEATH /
// rebirth as node state; STATE messages as host applications online / offline. Pure and
// synchronous (the payload decoder is handed in), bounded (limits below), cheap to query: the tree
// reads the maps and takes the dirty set on its own timer.
import { parseSparkplugTopic, type SparkplugTopic } from './topic';
import { datatypeName } from './schema';
import type { SparkplugDecoded, SparkplugHostState, SparkplugMetric } from './types';

export type NodeStatus = 'online' | 'offline' | 'stale';

export interface MetricState {
  readonly name: string;
  alias?: number | string;
  datatype: number;
  value: unknown;
  /** Milliseconds since the epoch: the metric's timestamp, else the payload's, else arrival. */
  timestamp: number;
  isNull: boolean;
  updates: number;
}

export interface SequenceState {
  /** The last seq seen (0–255). */
  last?: number;
  /** Messages missing by the sequence (seq jumped forward by more than 1). */
  gaps: number;
  /** Messages that came back in time (seq lower than expected) or repeated. */
  outOfOrder: number;
  /** The last fault: what was expected and what came. */
  lastFault?: { readonly kind: 'gap' | 'out-of-order'; readonly expected: number; readonly got: number; readonly at: number };
}

export interface MetricHolder {
  /** Metrics by name. */
  readonly metrics: Map<string, MetricState>;
  /** Alias → metric, from the last BIRTH. */
  readonly aliases: Map<number | string, MetricState>;
  status: NodeStatus;
  birthAt?: number;
  deathAt?: number;
  lastMessageAt: number;
  /** DATA metrics whose alias or name no BIRTH announced. */
  unknownMetrics: number;
}

export interface DeviceState extends MetricHolder {
  readonly id: string;
  readonly node: EdgeNodeState;
}

export interface EdgeNodeState extends MetricHolder {
  readonly id: string;
  readonly group: GroupState;
  readonly devices: Map<string, DeviceState>;
  /** bdSeq of the last NBIRTH. */
  bdSeq?: number | string;
  readonly seq: SequenceState;
  /** NBIRTHs after the first. */
  rebirths: number;
}

export interface GroupState {
  readonly id: string;
  readonly nodes: Map<string, EdgeNodeState>;
}

export interface HostState {
  readonly id: string;
  online: boolean;
  /** The timestamp the STATE message carried (Sparkplug 3.0). */
  timestamp?: number;
  updatedAt: number;
}

/** What one message did, for the inspector and the log. */
export interface IngestResult {
  readonly topic?: SparkplugTopic;
  /** A fault of the payload (decoded as far as possible) or of the topic, in words. */
  readonly error?: string;
  readonly sequence?: 'gap' | 'out-of-order';
  /** How many messages the gap misses. */
  readonly missing?: number;
  /** Metrics of the message whose names came from the BIRTH by alias. */
  readonly resolved?: number;
  /** The message was ignored (an NDEATH of an older session, a limit reached). */
  readonly ignored?: string;
}

export interface SparkplugLimits {
  /** Edge nodes over all groups. */
  maxNodes: number;
  /** Devices over all nodes. */
  maxDevices: number;
  /** Metrics over all nodes and devices. */
  maxMetrics: number;
  /** Host applications (STATE). */
  maxHosts: number;
  /** Text values longer than this are cut (with "…"). */
  maxValueChars: number;
}

export const DEFAULT_SPARKPLUG_LIMITS: SparkplugLimits = { maxNodes: 10_000, maxDevices: 100_000, maxMetrics: 1_000_000, maxHosts: 1_000, maxValueChars: 1_024 };

export interface SparkplugStateOptions {
  /** Decodes a Sparkplug B payload (impl/sparkplugPayload.ts). */
  decode(bytes: Uint8Array): SparkplugDecoded;
  /** Decodes a STATE payload. */
  decodeHostState(bytes: Uint8Array): { state?: SparkplugHostState; error?: string };
  limits?: Partial<SparkplugLimits>;
}

/** The value as stored: long text cut, bytes kept as their base64 up to the same length. */
function stored(v: unknown, max: number): unknown {
  if (typeof v === 'string') {
    return v.length > max ? `${v.slice(0, max)}…` : v;
  }
  if (v && typeof v === 'object' && '$base64' in v) {
    const b = (v as { $base64: string }).$base64;
    return b.length > max ? { $base64: `${b.slice(0, max)}…` } : v;
  }
  return v;
}

function isBdSeq(m: SparkplugMetric): boolean {
  return m.name === 'bdSeq';
}

export class SparkplugState {
  readonly groups = new Map<string, GroupState>();
  readonly hosts = new Map<string, HostState>();
  readonly limits: SparkplugLimits;
  /** Counts for the tree's description and the limits. */
  nodeCount = 0;
  deviceCount = 0;
  metricCount = 0;
  /** Messages not stored because a limit was reached. */
  dropped = 0;
  /** Bumps on every change. */
  version = 0;
  private dirty = new Set<GroupState | EdgeNodeState | DeviceState | HostState>();

  constructor(private readonly options: SparkplugStateOptions) {
    this.limits = { ...DEFAULT_SPARKPLUG_LIMITS, ...options.limits };
  }

  /** The nodes, devices, groups and hosts that changed since the last call (for a refresh timer). */
  takeDirty(): Set<GroupState | EdgeNodeState | DeviceState | HostState> {
    const d = this.dirty;
    this.dirty = new Set();
    return d;
  }

  node(group: string, edgeNode: string): EdgeNodeState | undefined {
    return this.groups.get(group)?.nodes.get(edgeNode);
  }

  device(group: string, edgeNode: string, device: string): DeviceState | undefined {
    return this.node(group, edgeNode)?.devices.get(device);
  }

  /** The metric an alias stands for in the last BIRTH of that node or device (for the codec's display). */
  resolve(topic: SparkplugTopic, alias: number | string): MetricState | undefined {
    if (topic.kind === 'state') {
      return undefined;
    }
    const holder = topic.kind === 'device' ? this.device(topic.group, topic.edgeNode, topic.device) : this.node(topic.group, topic.edgeNode);
    return holder?.aliases.get(alias);
  }

  /** Feeds one message of the spBv1.0/ namespace (the caller tests the prefix). Never throws. */
  ingest(topicName: string, payload: Uint8Array, now: number): IngestResult {
    const topic = parseSparkplugTopic(topicName);
    if (!topic) {
      return { error: 'not a Sparkplug B topic (spBv1.0/<group>/<type>/<edge node>[/<device>] or spBv1.0/STATE/<host id>)' };
    }
    try {
      if (topic.kind === 'state') {
        return this.hostState(topic, payload, now);
      }
      if (topic.type === 'NCMD' || topic.type === 'DCMD') {
        // Commands from a host application: no sequence, no state of the node.
        return { topic };
      }
      const decoded = this.options.decode(payload);
      const node = this.nodeFor(topic.group, topic.edgeNode, now);
      if (!node) {
        this.dropped++;
        return { topic, ignored: 'edge node limit reached', ...(decoded.error ? { error: decoded.error } : {}) };
      }
      node.lastMessageAt = now;
      const r = topic.kind === 'node' ? this.nodeMessage(topic, node, decoded, now) : this.deviceMessage(topic, node, decoded, now);
      this.version++;
      return decoded.error ? { ...r, error: decoded.error } : r;
    } catch (e) {
      return { topic, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private hostState(topic: Extract<SparkplugTopic, { kind: 'state' }>, payload: Uint8Array, now: number): IngestResult {
    const r = this.options.decodeHostState(payload);
    if (!r.state) {
      return { topic, error: r.error ?? 'unreadable STATE' };
    }
    let host = this.hosts.get(topic.hostId);
    if (!host) {
      if (this.hosts.size >= this.limits.maxHosts) {
        this.dropped++;
        return { topic, ignored: 'host limit reached' };
      }
      host = { id: topic.hostId, online: r.state.online, updatedAt: now };
      this.hosts.set(topic.hostId, host);
    }
    // Sparkplug 3.0: a STATE older than the one held is stale (the broker may deliver a retained one late).
    if (r.state.timestamp !== undefined && host.timestamp !== undefined && r.state.timestamp < host.timestamp) {
      return { topic, ignored: 'older STATE than the one held' };
    }
    host.online = r.state.online;
    host.updatedAt = now;
    if (r.state.timestamp !== undefined) {
      host.timestamp = r.state.timestamp;
    } else {
      delete host.timestamp;
    }
    this.dirty.add(host);
    this.version++;
    return { topic };
  }

  private nodeFor(groupId: string, nodeId: string, now: number): EdgeNodeState | undefined {
    let group = this.groups.get(groupId);
    let node = group?.nodes.get(nodeId);
    if (node) {
      return node;
    }
    if (this.nodeCount >= this.limits.maxNodes) {
      return undefined;
    }
    if (!group) {
      group = { id: groupId, nodes: new Map() };
      this.groups.set(groupId, group);
    }
    node = { id: nodeId, group, devices: new Map(), metrics: new Map(), aliases: new Map(), status: 'stale', lastMessageAt: now, seq: { gaps: 0, outOfOrder: 0 }, rebirths: 0, unknownMetrics: 0 };
    group.nodes.set(nodeId, node);
    this.nodeCount++;
    this.dirty.add(group);
    return node;
  }

  /** seq of NBIRTH starts a count; every later NDATA, DBIRTH, DDATA, DDEATH is the next one, mod 256. */
  private sequence(node: EdgeNodeState, seq: number | undefined, birth: boolean, now: number): Pick<IngestResult, 'sequence' | 'missing'> {
    if (seq === undefined || !Number.isInteger(seq)) {
      return {};
    }
    const s = node.seq;
    const got = seq & 0xff;
    const last = s.last;
    s.last = got;
    if (birth || last === undefined) {
      return {};
    }
    const expected = (last + 1) & 0xff;
    if (got === expected) {
      return {};
    }
    const ahead = (got - expected + 256) & 0xff;
    if (ahead < 128) {
      s.gaps += ahead;
      s.lastFault = { kind: 'gap', expected, got, at: now };
      return { sequence: 'gap', missing: ahead };
    }
    s.outOfOrder++;
    s.lastFault = { kind: 'out-of-order', expected, got, at: now };
    // An old message: the count goes on from the newest one seen.
    s.last = last;
    return { sequence: 'out-of-order' };
  }

  private nodeMessage(topic: Extract<SparkplugTopic, { kind: 'node' }>, node: EdgeNodeState, decoded: SparkplugDecoded, now: number): IngestResult {
    const p = decoded.payload;
    this.dirty.add(node);
    switch (topic.type) {
      case 'NBIRTH': {
        if (node.birthAt !== undefined) {
          node.rebirths++;
        }
        const bd = p.metrics.find(isBdSeq);
        if (bd && (typeof bd.value === 'number' || typeof bd.value === 'string')) {
          node.bdSeq = bd.value;
        } else {
          delete node.bdSeq;
        }
        this.birth(node, p.metrics, p.timestamp ?? now);
        node.status = 'online';
        node.birthAt = now;
        delete node.deathAt;
        // A new session: every device must be born again.
        for (const d of node.devices.values()) {
          if (d.status === 'online') {
            d.status = 'stale';
            this.dirty.add(d);
          }
        }
        return { topic, ...this.sequence(node, p.seq, true, now) };
      }
      case 'NDEATH': {
        const bd = p.metrics.find(isBdSeq);
        const bdValue = bd?.value;
        if (bd && node.bdSeq !== undefined && String(bdValue) !== String(node.bdSeq)) {
          // The will of an older session, delivered after the node was born again.
          return { topic, ignored: `NDEATH with bdSeq ${String(bdValue)} of an older session (current bdSeq ${String(node.bdSeq)})` };
        }
        node.status = 'offline';
        node.deathAt = now;
        for (const d of node.devices.values()) {
          d.status = 'offline';
          d.deathAt = now;
          this.dirty.add(d);
        }
        return { topic };
      }
      case 'NDATA':
      default: {
        const seq = this.sequence(node, p.seq, false, now);
        if (node.status !== 'online') {
          // Data without a birth of this session: names and types may be unknown.
          node.status = 'stale';
        }
        const resolved = this.data(node, p.metrics, p.timestamp ?? now);
        return { topic, ...seq, resolved };
      }
    }
  }

  private deviceMessage(topic: Extract<SparkplugTopic, { kind: 'device' }>, node: EdgeNodeState, decoded: SparkplugDecoded, now: number): IngestResult {
    const p = decoded.payload;
    const seq = this.sequence(node, p.seq, false, now);
    let device = node.devices.get(topic.device);
    if (!device) {
      if (this.deviceCount >= this.limits.maxDevices) {
        this.dropped++;
        return { topic, ...seq, ignored: 'device limit reached' };
      }
      device = { id: topic.device, node, metrics: new Map(), aliases: new Map(), status: 'stale', lastMessageAt: now, unknownMetrics: 0 };
      node.devices.set(topic.device, device);
      this.deviceCount++;
      this.dirty.add(node);
    }
    device.lastMessageAt = now;
    this.dirty.add(device);
    switch (topic.type) {
      case 'DBIRTH':
        this.birth(device, p.metrics, p.timestamp ?? now);
        device.status = node.status === 'offline' ? 'stale' : 'online';
        device.birthAt = now;
        delete device.deathAt;
        return { topic, ...seq };
      case 'DDEATH':
        device.status = 'offline';
        device.deathAt = now;
        return { topic, ...seq };
      case 'DDATA':
      default: {
        if (device.status !== 'online') {
          device.status = 'stale';
        }
        const resolved = this.data(device, p.metrics, p.timestamp ?? now);
        return { topic, ...seq, resolved };
      }
    }
  }

  /** A BIRTH names every metric and its alias: the alias table starts again. */
  private birth(holder: MetricHolder, metrics: SparkplugMetric[], payloadTime: number): void {
    holder.aliases.clear();
    this.metricCount -= holder.metrics.size;
    holder.metrics.clear();
    holder.unknownMetrics = 0;
    for (const m of metrics) {
      if (m.name === undefined) {
        holder.unknownMetrics++;
        continue;
      }
      if (this.metricCount >= this.limits.maxMetrics) {
        this.dropped++;
        break;
      }
      const state: MetricState = {
        name: m.name,
        datatype: m.datatype,
        value: stored(m.value, this.limits.maxValueChars),
        timestamp: m.timestamp ?? payloadTime,
        isNull: m.isNull === true,
        updates: 1,
      };
      if (m.alias !== undefined) {
        state.alias = m.alias;
        holder.aliases.set(m.alias, state);
      }
      holder.metrics.set(m.name, state);
      this.metricCount++;
    }
  }

  /** DATA: metrics by alias (usual) or by name; returns how many came by alias. */
  private data(holder: MetricHolder, metrics: SparkplugMetric[], payloadTime: number): number {
    let resolved = 0;
    for (const m of metrics) {
      let state = m.alias !== undefined ? holder.aliases.get(m.alias) : undefined;
      if (state) {
        resolved++;
      } else if (m.name !== undefined) {
        state = holder.metrics.get(m.name);
        if (!state) {
          if (this.metricCount >= this.limits.maxMetrics) {
            this.dropped++;
            continue;
          }
          // A metric no BIRTH announced (data before the birth): kept by name.
          state = { name: m.name, datatype: m.datatype, value: null, timestamp: payloadTime, isNull: true, updates: 0 };
          holder.metrics.set(m.name, state);
          this.metricCount++;
          holder.unknownMetrics++;
        }
      } else {
        holder.unknownMetrics++;
        continue;
      }
      state.value = stored(m.value, this.limits.maxValueChars);
      state.isNull = m.isNull === true;
      state.timestamp = m.timestamp ?? payloadTime;
      if (m.datatype) {
        state.datatype = m.datatype;
      }
      state.updates++;
    }
    return resolved;
  }

  /** A decoded DATA payload with names filled in from the BIRTH (for the inspector's Decoded tab). */
  withNames(topic: SparkplugTopic, metrics: SparkplugMetric[]): SparkplugMetric[] {
    return metrics.map((m) => {
      if (m.name !== undefined || m.alias === undefined) {
        return m;
      }
      const s = this.resolve(topic, m.alias);
      return s ? { ...m, name: s.name, datatype: m.datatype || s.datatype } : m;
    });
  }
}

export { datatypeName };
