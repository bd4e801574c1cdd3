// What a host application may publish in the Sparkplug B namespace (issue 20): NCMD / DCMD to an
// edge node or device, each edge node confirmed once per session; BIRTH / DATA / DEATH messages
// speak for an edge node, so they are refused unless the user switched on "Simulate edge node".
// Light (no protobuf): the publish panel's and the message files' glue ask it before a send.
import * as l10n from '@vscode/l10n';
import { datatypeName } from './schema';
import { parseSparkplugTopic } from './topic';

export type SparkplugSendRule =
  /** Not an edge node's topic (not Sparkplug, or a STATE): nothing to say. */
  | { readonly kind: 'free' }
  /** A command from a host application: confirmed once per edge node. */
  | { readonly kind: 'command'; readonly group: string; readonly edgeNode: string; readonly device?: string }
  /** An edge node's own message while simulating one. */
  | { readonly kind: 'simulate'; readonly group: string; readonly edgeNode: string; readonly device?: string }
  | { readonly kind: 'refused'; readonly error: string };

/** What may be published to `topic`; `simulate` is the panel's "Simulate edge node" mode. */
export function sparkplugSendRule(topic: string, simulate: boolean): SparkplugSendRule {
  const t = parseSparkplugTopic(topic);
  if (!t || t.kind === 'state') {
    return { kind: 'free' };
  }
  const where = { group: t.group, edgeNode: t.edgeNode, ...(t.kind === 'device' ? { device: t.device } : {}) };
  if (t.type === 'NCMD' || t.type === 'DCMD') {
    return { kind: 'command', ...where };
  }
  if (simulate) {
    return { kind: 'simulate', ...where };
  }
  return {
    kind: 'refused',
    error: l10n.t(
      '{0} messages come from the edge node itself ("{1}" in group "{2}"); a host application sends NCMD or DCMD. Switch on "Simulate edge node" in the publish panel to send it anyway.',
      t.type,
      t.edgeNode,
      t.group,
    ),
  };
}

/**
 * The session's rules: the "Simulate edge node" mode (off at start, never saved) and the edge
 * nodes the user already said yes to. `confirm` asks the user (a modal in VS Code).
 */
export class SparkplugSendGuard {
  /** "Simulate edge node": BIRTH / DATA / DEATH may be sent. Off in every new session. */
  simulate = false;
  private readonly confirmed = new Set<string>();

  constructor(public confirm: (question: string) => Promise<boolean>) {}

  /** Undefined when the message may go, else why not in words (the caller says "Not sent"). Asks once per edge node and session. */
  async check(topic: string): Promise<string | undefined> {
    const rule = sparkplugSendRule(topic, this.simulate);
    if (rule.kind === 'refused') {
      return rule.error;
    }
    if (rule.kind !== 'command') {
      return undefined;
    }
    const key = JSON.stringify([rule.group, rule.edgeNode]);
    if (this.confirmed.has(key)) {
      return undefined;
    }
    if (await this.confirm(l10n.t('Send a command to edge node {0} in group {1}?', rule.edgeNode, rule.group))) {
      this.confirmed.add(key);
      return undefined;
    }
    return l10n.t('The command to edge node {0} was not confirmed.', rule.edgeNode);
  }
}

/** A metric a BIRTH announced, for the command builder's list. */
export interface BirthMetric {
  readonly name: string;
  readonly datatype: string;
  readonly alias?: number | string;
}

/** What the builder needs of a SparkplugState: the node or device and its metrics by name. */
export interface SparkplugLookup {
  node(group: string, edgeNode: string): { readonly metrics: ReadonlyMap<string, { readonly name: string; readonly datatype: number; readonly alias?: number | string }> } | undefined;
  device(group: string, edgeNode: string, device: string): { readonly metrics: ReadonlyMap<string, { readonly name: string; readonly datatype: number; readonly alias?: number | string }> } | undefined;
}

/** The metrics the last NBIRTH / DBIRTH of a command topic's edge node or device named (empty when none was seen). */
export function birthMetrics(state: SparkplugLookup | undefined, topic: string): BirthMetric[] | undefined {
  const t = parseSparkplugTopic(topic);
  if (!t || t.kind === 'state' || (t.type !== 'NCMD' && t.type !== 'DCMD')) {
    return undefined;
  }
  const holder = t.kind === 'device' ? state?.device(t.group, t.edgeNode, t.device) : state?.node(t.group, t.edgeNode);
  return [...(holder?.metrics.values() ?? [])]
    .filter((m) => m.name !== 'bdSeq')
    .map((m) => ({ name: m.name, datatype: datatypeName(m.datatype), ...(m.alias !== undefined ? { alias: m.alias } : {}) }))
    .sort((x, y) => x.name.localeCompare(y.name));
}
