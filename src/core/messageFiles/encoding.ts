// The `Encoding:` header of a PUBLISH block (issue 20): the body is encoded before it is sent,
// step by step in the order written: `Encoding: msgpack`, `Encoding: protobuf acme.Reading, gzip`
// (Protobuf of the JSON body, then gzip). A structured codec (JSON, MessagePack, CBOR, Protobuf)
// takes the body as JSON and comes first; compression (gzip, zlib, deflate, Brotli) takes the bytes
// before it. The codecs are the payload decoders' own (src/core/codecs), loaded when a block is sent.
// `Encoding: sparkplug` makes a Sparkplug B payload of `{"metrics": [{"name", "value"}…]}`: to an
// NCMD / DCMD topic with the aliases and data types of the last BIRTH, and BIRTH / DATA only in the
// session's "Simulate edge node" mode (sparkplug/commands.ts).
import * as l10n from '@vscode/l10n';
import { codecRegistry, loadSparkplug } from '../codecs/registry';
import { sparkplugSendRule } from '../codecs/sparkplug/commands';
import type { ProtobufChoice } from '../codecs/types';
import type { CommandRequest } from '../codecs/impl/sparkplug';
import type { SparkplugMetricInput } from '../codecs/sparkplug/types';
import { fromBase64, toBase64 } from '../format/bytes';
import type { PublishDraft } from '../protocol/publish';

export interface EncodingStep {
  /** A codec id of the registry: msgpack, cbor, json, protobuf, sparkplug, gzip, zlib, deflate, brotli. */
  readonly codec: string;
  /** Protobuf: the message type's full name. */
  readonly type?: string;
}

const STRUCTURED = ['json', 'msgpack', 'cbor', 'protobuf', 'sparkplug'] as const;
const COMPRESSION = ['gzip', 'zlib', 'deflate', 'brotli'] as const;
/** What a user may write, and the registry id it means. */
const NAMES: Readonly<Record<string, string>> = {
  json: 'json',
  msgpack: 'msgpack',
  messagepack: 'msgpack',
  cbor: 'cbor',
  protobuf: 'protobuf',
  proto: 'protobuf',
  sparkplug: 'sparkplug',
  spb: 'sparkplug',
  gzip: 'gzip',
  zlib: 'zlib',
  deflate: 'deflate',
  brotli: 'brotli',
  br: 'brotli',
};
/** The names completion offers. */
export const ENCODING_NAMES: readonly string[] = ['msgpack', 'cbor', 'protobuf TYPE', 'sparkplug', 'json', 'gzip', 'zlib', 'deflate', 'brotli'];

const TYPE_NAME = /^\.?[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;

export type ParsedEncoding = { readonly ok: true; readonly steps: readonly EncodingStep[] } | { readonly ok: false; readonly error: string };

/** Parses an `Encoding:` value: steps separated by commas, in the order they are applied. */
export function parseEncoding(value: string): ParsedEncoding {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.every((p) => p === '')) {
    return { ok: false, error: l10n.t('Encoding: name a codec: msgpack, cbor, protobuf TYPE, gzip…') };
  }
  const steps: EncodingStep[] = [];
  for (const part of parts) {
    const [name = '', ...rest] = part.split(/\s+/);
    const codec = NAMES[name.toLowerCase()];
    if (!codec) {
      return { ok: false, error: l10n.t('Encoding: unknown codec "{0}" (msgpack, cbor, protobuf TYPE, json, gzip, zlib, deflate or brotli)', name) };
    }
    if (codec === 'protobuf') {
      if (rest.length !== 1 || !TYPE_NAME.test(rest[0]!)) {
        return { ok: false, error: l10n.t('Encoding: protobuf needs the message type, e.g. "protobuf acme.telemetry.Reading"') };
      }
      steps.push({ codec, type: rest[0]!.replace(/^\./, '') });
      continue;
    }
    if (rest.length > 0) {
      return { ok: false, error: l10n.t('Encoding: "{0}" takes no argument', name) };
    }
    steps.push({ codec });
  }
  const structured = steps.filter((s) => (STRUCTURED as readonly string[]).includes(s.codec));
  if (structured.length > 1) {
    return { ok: false, error: l10n.t('Encoding: one of json, msgpack, cbor, protobuf or sparkplug at most') };
  }
  if (structured[0]?.codec === 'sparkplug' && steps.length > 1) {
    return { ok: false, error: l10n.t('Encoding: sparkplug stands alone (Sparkplug B payloads are not compressed)') };
  }
  if (structured.length === 1 && steps[0] !== structured[0]) {
    return { ok: false, error: l10n.t('Encoding: {0} encodes the JSON body, so it comes first (compression after it)', structured[0]!.codec) };
  }
  return { ok: true, steps };
}

/** Whether the body is read as JSON (a structured codec comes first); else its bytes are compressed as they are. */
export function encodesJson(steps: readonly EncodingStep[]): boolean {
  return steps.length > 0 && (STRUCTURED as readonly string[]).includes(steps[0]!.codec);
}

/** The registry's chain for the steps: outermost first (`gzip+msgpack` for `msgpack, gzip`). */
export function encodingChain(steps: readonly EncodingStep[]): string {
  return [...steps].reverse().map((s) => s.codec).join('+');
}

const MIME: Readonly<Record<string, string>> = { msgpack: 'application/msgpack', cbor: 'application/cbor', protobuf: 'application/x-protobuf', json: 'application/json' };
const CONTENT_ENCODING: Readonly<Record<string, string>> = { gzip: 'gzip', zlib: 'deflate', brotli: 'br' };

/**
 * The content type and (AMQP) content encoding an encoded message says of itself when the block
 * names none, so that receivers, and our own decoders, can tell: the structured codec's MIME type,
 * and for AMQP one outer compression as `content_encoding`. MQTT has no content encoding: a
 * compressed MQTT payload gets no content type (the decoders find gzip and zlib by their magic bytes).
 */
export function encodingProperties(steps: readonly EncodingStep[], kind: 'mqtt' | 'amqp'): { contentType?: string; contentEncoding?: string } {
  const compressions = steps.filter((s) => (COMPRESSION as readonly string[]).includes(s.codec));
  const inner = encodesJson(steps) ? MIME[steps[0]!.codec] : undefined;
  if (kind === 'mqtt') {
    return compressions.length === 0 && inner ? { contentType: inner } : {};
  }
  const outer = compressions.length === 1 ? CONTENT_ENCODING[compressions[0]!.codec] : undefined;
  if (compressions.length > 1 || (compressions.length === 1 && !outer)) {
    return {};
  }
  return { ...(inner ? { contentType: inner } : {}), ...(outer ? { contentEncoding: outer } : {}) };
}

/** Finds a protobuf message type in the .proto files the sender can read; a string says why not. */
export type ProtobufTypes = (type: string) => Promise<ProtobufChoice | string>;

/** `Encoding: sparkplug`: what the session knows (the BIRTHs seen on that broker) and allows. */
export interface SparkplugEncoding {
  /** The broker's SparkplugState (aliases and data types from the last BIRTHs); undefined when none was seen. */
  readonly state?: unknown;
  /** The session's "Simulate edge node" mode. */
  readonly simulate: boolean;
}

type BuildCommand = (state: unknown, req: CommandRequest) => { topic: string; payload: Uint8Array } | { error: string };

/** The Sparkplug B payload of the JSON body for the draft's topic: an NCMD / DCMD by the BIRTH, BIRTH / DATA only when simulating. */
async function encodeSparkplug(draft: PublishDraft, input: unknown, sparkplug: SparkplugEncoding | undefined): Promise<Uint8Array | { error: string }> {
  const topic = draft.mqtt?.topic;
  if (topic === undefined) {
    return { error: l10n.t('Encoding: sparkplug is for MQTT topics under spBv1.0/') };
  }
  const rule = sparkplugSendRule(topic, sparkplug?.simulate === true);
  if (rule.kind === 'refused') {
    return { error: rule.error };
  }
  const metrics = (input as { metrics?: unknown } | null)?.metrics;
  if (!input || typeof input !== 'object' || !Array.isArray(metrics) || metrics.some((m) => !m || typeof m !== 'object' || Array.isArray(m))) {
    return { error: l10n.t('Encoding: sparkplug takes {"metrics": [{"name": "…", "value": …}, …]}') };
  }
  if (rule.kind !== 'command') {
    const r = await codecRegistry.encode('sparkplug', input);
    return r.error !== undefined ? { error: l10n.t('Encoding: {0}', r.error) } : r.bytes;
  }
  const timestamp = (input as { timestamp?: unknown }).timestamp;
  const mod = (await loadSparkplug()) as unknown as { buildCommand: BuildCommand };
  const built = mod.buildCommand(sparkplug?.state, {
    group: rule.group,
    edgeNode: rule.edgeNode,
    ...(rule.device !== undefined ? { device: rule.device } : {}),
    metrics: metrics as SparkplugMetricInput[],
    ...(typeof timestamp === 'number' ? { timestamp } : {}),
  });
  return 'error' in built ? { error: l10n.t('Encoding: {0}', built.error) } : built.payload;
}

/**
 * The draft with its body encoded (base64 of the bytes) and, when the block named none, the
 * content type and AMQP content encoding of the encoding. `kind` is the block's protocol.
 */
export async function encodeDraft(
  draft: PublishDraft,
  steps: readonly EncodingStep[],
  protobufTypes: ProtobufTypes | undefined,
  limit: number | undefined,
  sparkplug?: SparkplugEncoding,
): Promise<PublishDraft | { readonly error: string }> {
  let input: unknown;
  if (encodesJson(steps)) {
    try {
      input = JSON.parse(draft.format === 'base64' ? new TextDecoder().decode(fromBase64(draft.payload)) : draft.payload);
    } catch (e) {
      return { error: l10n.t('Encoding: {0} encodes the JSON body, and the body is not JSON: {1}', steps[0]!.codec, e instanceof Error ? e.message : String(e)) };
    }
  } else {
    input = draft.format === 'base64' ? fromBase64(draft.payload) : new TextEncoder().encode(draft.payload);
  }
  if (steps[0]?.codec === 'sparkplug') {
    const bytes = await encodeSparkplug(draft, input, sparkplug);
    if (!(bytes instanceof Uint8Array)) {
      return bytes;
    }
    if (limit !== undefined && bytes.length > limit) {
      return { error: l10n.t('Encoding: {0}', l10n.t('The encoded payload has {0} bytes, more than the limit of {1}', bytes.length, limit)) };
    }
    return { ...draft, payload: toBase64(bytes), format: 'base64' };
  }
  const pb = steps.find((s) => s.codec === 'protobuf');
  let protobuf: ProtobufChoice | undefined;
  if (pb?.type) {
    if (!protobufTypes) {
      return { error: l10n.t('Encoding: protobuf needs the workspace .proto files, which only VS Code reads (not the command line)') };
    }
    const found = await protobufTypes(pb.type);
    if (typeof found === 'string') {
      return { error: found };
    }
    protobuf = found;
  }
  const r = await codecRegistry.encode(encodingChain(steps), input, { ...(limit !== undefined ? { limit } : {}), ...(protobuf ? { protobuf } : {}) });
  if (r.error !== undefined) {
    return { error: l10n.t('Encoding: {0}', r.error) };
  }
  const payload = toBase64(r.bytes);
  if (draft.mqtt) {
    const { contentType } = encodingProperties(steps, 'mqtt');
    return { ...draft, payload, format: 'base64', mqtt: { ...draft.mqtt, ...(draft.mqtt.contentType === undefined && contentType ? { contentType } : {}) } };
  }
  if (draft.amqp) {
    const props = encodingProperties(steps, 'amqp');
    return {
      ...draft,
      payload,
      format: 'base64',
      amqp: {
        ...draft.amqp,
        ...(draft.amqp.contentType === undefined && props.contentType ? { contentType: props.contentType } : {}),
        ...(draft.amqp.contentEncoding === undefined && props.contentEncoding ? { contentEncoding: props.contentEncoding } : {}),
      },
    };
  }
  return { ...draft, payload, format: 'base64' };
}
