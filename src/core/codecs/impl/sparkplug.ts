// The Sparkplug B bundle: the `sparkplug` and `sparkplug-state` codecs, the state tracker wired to
// the payload decoder, and the NCMD / DCMD builder (metrics by name, aliases from the last BIRTH).
import { jsonText } from '../jsonable';
import { SparkplugState, type SparkplugLimits } from '../sparkplug/state';
import { parseSparkplugTopic, sparkplugTopic } from '../sparkplug/topic';
import { datatypeName, datatypeNumber } from '../sparkplug/schema';
import type { SparkplugMetricInput, SparkplugPayloadInput } from '../sparkplug/types';
import type { CodecImpl, EncodeResult } from '../types';
import { errorText, l10n } from '../words';
import { decodeHostState, decodeSparkplugPayload, encodeSparkplugPayload, payloadJson } from './sparkplugPayload';

export { useL10n } from '../words';
export { decodeHostState, decodeSparkplugPayload, encodeSparkplugPayload, payloadJson } from './sparkplugPayload';
export { SparkplugState } from '../sparkplug/state';
export { datatypeName } from '../sparkplug/schema';

/** A state tracker with this bundle's decoders. */
export function createSparkplugState(limits?: Partial<SparkplugLimits>): SparkplugState {
  return new SparkplugState({ decode: decodeSparkplugPayload, decodeHostState, ...(limits ? { limits } : {}) });
}

const sparkplug: CodecImpl = {
  decode(bytes, ctx) {
    const { payload, error } = decodeSparkplugPayload(bytes);
    const topic = ctx.hints?.topic !== undefined ? parseSparkplugTopic(ctx.hints.topic) : undefined;
    const warnings: string[] = [];
    if (topic && ctx.sparkplug) {
      const before = payload.metrics.filter((m) => m.name === undefined).length;
      payload.metrics = ctx.sparkplug.withNames(topic, payload.metrics);
      const after = payload.metrics.filter((m) => m.name === undefined).length;
      if (after > 0) {
        warnings.push(after === 1 ? l10n.t('1 metric carries an alias that no BIRTH of this edge node or device announced') : l10n.t('{0} metrics carry an alias that no BIRTH of this edge node or device announced', after));
      } else if (before > 0) {
        warnings.push(before === 1 ? l10n.t('The name of 1 metric resolved by alias from the last BIRTH') : l10n.t('Names of {0} metrics resolved by alias from the last BIRTH', before));
      }
    }
    const value = payloadJson(payload);
    return { value, text: jsonText(value), schema: 'Sparkplug B (org.eclipse.tahu.protobuf.Payload)', warnings, ...(error ? { error } : {}) };
  },
  encode(json): EncodeResult {
    try {
      if (!json || typeof json !== 'object' || !Array.isArray((json as { metrics?: unknown }).metrics)) {
        return { error: l10n.t('Sparkplug B: give {"metrics": [{"name", "datatype", "value"}, …]}') };
      }
      return { bytes: encodeSparkplugPayload(json as SparkplugPayloadInput) };
    } catch (e) {
      return { error: l10n.t('Sparkplug B: {0}', errorText(e)) };
    }
  },
};

const sparkplugState: CodecImpl = {
  decode(bytes) {
    const r = decodeHostState(bytes);
    if (!r.state) {
      return { error: r.error ?? '' };
    }
    const value = { ...r.state };
    return { value, text: jsonText(value), schema: 'Sparkplug STATE' };
  },
};

export const codecs: Record<string, CodecImpl> = { sparkplug, 'sparkplug-state': sparkplugState };

export interface CommandRequest {
  readonly group: string;
  readonly edgeNode: string;
  /** A DCMD when given, else an NCMD. */
  readonly device?: string;
  readonly metrics: readonly SparkplugMetricInput[];
  /** Payload timestamp, milliseconds (default: now). */
  readonly timestamp?: number;
  /** Send names even where the BIRTH gave aliases. */
  readonly useNames?: boolean;
}

/** Data types of the commands every edge node knows, when no BIRTH names them. */
const WELL_KNOWN: Record<string, number> = {
  'Node Control/Rebirth': 11,
  'Node Control/Reboot': 11,
  'Node Control/Next Server': 11,
  'Node Control/Scan Rate': 4,
  'Device Control/Rebirth': 11,
};

/**
 * An NCMD or DCMD for an edge node or device: each metric by name gets its alias and data type from
 * the last BIRTH the state saw (a name no BIRTH announced needs a `datatype`). Returns the topic and
 * the payload, or the problem in words.
 */
export function buildCommand(state: SparkplugState | undefined, req: CommandRequest): { topic: string; payload: Uint8Array } | { error: string } {
  const holder = req.device === undefined ? state?.node(req.group, req.edgeNode) : state?.device(req.group, req.edgeNode, req.device);
  if (req.metrics.length === 0) {
    return { error: l10n.t('A command needs at least one metric') };
  }
  const metrics: SparkplugMetricInput[] = [];
  for (const m of req.metrics) {
    const born = m.name !== undefined ? holder?.metrics.get(m.name) : m.alias !== undefined ? holder?.aliases.get(m.alias) : undefined;
    const given = typeof m.datatype === 'string' ? datatypeNumber(m.datatype) : m.datatype;
    if (typeof m.datatype === 'string' && given === undefined) {
      return { error: l10n.t('"{0}" is not a Sparkplug data type', m.datatype) };
    }
    const datatype = given ?? born?.datatype ?? (m.name !== undefined ? WELL_KNOWN[m.name] : undefined);
    if (datatype === undefined || datatype === 0) {
      return { error: l10n.t('Metric "{0}" is in no BIRTH of this {1}: give its data type', m.name ?? String(m.alias), req.device === undefined ? 'edge node' : 'device') };
    }
    if (born && given !== undefined && born.datatype && given !== born.datatype) {
      return { error: l10n.t('Metric "{0}" is {1} in the BIRTH, not {2}', born.name, datatypeName(born.datatype), datatypeName(given)) };
    }
    const alias = born?.alias;
    const out: SparkplugMetricInput = { datatype, value: m.value, ...(m.timestamp !== undefined ? { timestamp: m.timestamp } : {}) };
    if (typeof alias === 'number' && !req.useNames) {
      out.alias = alias;
    } else {
      const name = m.name ?? born?.name;
      if (name === undefined) {
        return { error: l10n.t('Alias {0} is in no BIRTH of this {1}', String(m.alias), req.device === undefined ? 'edge node' : 'device') };
      }
      out.name = name;
    }
    metrics.push(out);
  }
  try {
    const payload = encodeSparkplugPayload({ timestamp: req.timestamp ?? Date.now(), metrics });
    const topic = req.device === undefined ? sparkplugTopic(req.group, 'NCMD', req.edgeNode) : sparkplugTopic(req.group, 'DCMD', req.edgeNode, req.device);
    return { topic, payload };
  } catch (e) {
    return { error: errorText(e) };
  }
}
