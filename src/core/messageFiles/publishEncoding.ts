// The publish panel's Encoding (issue 20): the draft's `encoding`, written as a message file's
// `Encoding:` header, applied on the host with the message files' own encodeDraft before the draft
// is checked and sent; and the encoding a .vscode/decoders.json mapping gives a destination.
import { parseChain } from '../codecs/registry';
import { encodeDraft, parseEncoding, type ProtobufTypes, type SparkplugEncoding } from './encoding';
import type { SparkplugSendGuard } from '../codecs/sparkplug/commands';
import type { DecodeHints } from '../codecs/types';
import type { BirthMetricInfo, PublishDraft } from '../protocol/publish';

export interface PublishEncodingEnv {
  readonly protobufTypes?: ProtobufTypes;
  readonly sparkplug?: SparkplugEncoding;
  /** The payload limit (brokerExplorer.limits.payloadMegabytes) in bytes. */
  readonly limit?: number;
}

/**
 * The draft as it is sent: encoded when it names an encoding (base64 of the bytes), else as it is.
 * `mqttVersion` 4: the content type the encoding would add is left out (MQTT 3.1.1 has no properties).
 */
export async function encodeForSend(draft: PublishDraft, env: PublishEncodingEnv, mqttVersion?: 4 | 5): Promise<{ readonly draft: PublishDraft } | { readonly error: string }> {
  const text = draft.encoding?.trim() ?? '';
  if (text === '') {
    return { draft };
  }
  const parsed = parseEncoding(text);
  if (!parsed.ok) {
    return { error: parsed.error };
  }
  const encoded = await encodeDraft(draft, parsed.steps, env.protobufTypes, env.limit, env.sparkplug);
  if ('error' in encoded) {
    return { error: encoded.error };
  }
  if (mqttVersion === 4 && encoded.mqtt && draft.mqtt?.contentType === undefined && encoded.mqtt.contentType !== undefined) {
    const mqtt = { ...encoded.mqtt };
    delete mqtt.contentType;
    return { draft: { ...encoded, mqtt } };
  }
  return { draft: encoded };
}

const ENCODABLE = new Set(['json', 'msgpack', 'cbor', 'protobuf', 'sparkplug', 'gzip', 'zlib', 'deflate', 'brotli']);

/**
 * A decoders.json mapping's codec chain (outermost first, `gzip+protobuf`) as an encoding
 * (`protobuf acme.Reading, gzip`); undefined when the panel cannot encode it (Avro, text…).
 */
export function encodingOfMapping(codec: string, type?: string): string | undefined {
  const chain = parseChain(codec).reverse();
  if (chain.length === 0 || chain.some((id) => !ENCODABLE.has(id)) || (chain.includes('protobuf') && !type)) {
    return undefined;
  }
  const text = chain.map((id) => (id === 'protobuf' ? `protobuf ${type!}` : id)).join(', ');
  return parseEncoding(text).ok ? text : undefined;
}

/** What the Encoding control needs of the payload decoders and the Sparkplug B tracker (passed in by activate). */
export interface PublishEncodingHost {
  readonly protobufTypes: ProtobufTypes;
  /** The message types of the workspace's .proto files. */
  types(): Promise<readonly string[]>;
  /** The encoding a .vscode/decoders.json mapping gives a destination (or the Sparkplug namespace does). */
  mapped(hints: DecodeHints): Promise<string | undefined>;
  /** NCMD / DCMD topics: the metrics of the last BIRTH of that edge node or device. */
  birthMetrics(brokerId: string, topic: string): readonly BirthMetricInfo[] | undefined;
  /** The broker's Sparkplug B state (aliases from the BIRTHs), for `sparkplug` encoding. */
  sparkplugState(brokerId: string): unknown;
  /** The session's Sparkplug rules: Simulate edge node, each edge node confirmed once. */
  readonly guard: SparkplugSendGuard;
}
