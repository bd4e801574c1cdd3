// The Sparkplug B topic namespace: spBv1.0/<group>/<message type>/<edge node>[/<device>] and
// spBv1.0/STATE/<host id>. Light (no protobuf): the tree and the ingest path use it.
import { SPARKPLUG_PREFIX } from '../hints';

export const NODE_MESSAGE_TYPES = ['NBIRTH', 'NDATA', 'NDEATH', 'NCMD'] as const;
export const DEVICE_MESSAGE_TYPES = ['DBIRTH', 'DDATA', 'DDEATH', 'DCMD'] as const;
export type SparkplugMessageType = (typeof NODE_MESSAGE_TYPES)[number] | (typeof DEVICE_MESSAGE_TYPES)[number];

export type SparkplugTopic =
  | { readonly kind: 'node'; readonly group: string; readonly type: (typeof NODE_MESSAGE_TYPES)[number]; readonly edgeNode: string }
  | { readonly kind: 'device'; readonly group: string; readonly type: (typeof DEVICE_MESSAGE_TYPES)[number]; readonly edgeNode: string; readonly device: string }
  | { readonly kind: 'state'; readonly hostId: string };

const NODE = new Set<string>(NODE_MESSAGE_TYPES);
const DEVICE = new Set<string>(DEVICE_MESSAGE_TYPES);

/** The parts of a Sparkplug B topic, or undefined when it does not follow the namespace. */
export function parseSparkplugTopic(topic: string): SparkplugTopic | undefined {
  if (!topic.startsWith(SPARKPLUG_PREFIX)) {
    return undefined;
  }
  const parts = topic.slice(SPARKPLUG_PREFIX.length).split('/');
  if (parts[0] === 'STATE') {
    return parts.length === 2 && parts[1] ? { kind: 'state', hostId: parts[1] } : undefined;
  }
  const [group, type, edgeNode, device] = parts;
  if (!group || !type || !edgeNode) {
    return undefined;
  }
  if (parts.length === 3 && NODE.has(type)) {
    return { kind: 'node', group, type: type as (typeof NODE_MESSAGE_TYPES)[number], edgeNode };
  }
  if (parts.length === 4 && device && DEVICE.has(type)) {
    return { kind: 'device', group, type: type as (typeof DEVICE_MESSAGE_TYPES)[number], edgeNode, device };
  }
  return undefined;
}

/** The topic for a message type of an edge node or device (for the NCMD/DCMD builders). */
export function sparkplugTopic(group: string, type: SparkplugMessageType, edgeNode: string, device?: string): string {
  return device === undefined ? `${SPARKPLUG_PREFIX}${group}/${type}/${edgeNode}` : `${SPARKPLUG_PREFIX}${group}/${type}/${edgeNode}/${device}`;
}
