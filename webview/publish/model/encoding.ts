/**
 * The Encoding control without a DOM (issue 20): the choice as three parts (a structured codec,
 * its protobuf type, a compression) and the `encoding` text the host reads, in the syntax of a
 * message file's `Encoding:` header (`protobuf acme.Reading, gzip`); the Sparkplug B command
 * builder's edit of the JSON body (a metric of the last BIRTH added by name). The host checks and
 * applies the text (src/core/publish/encoding.ts): this only writes and reads it back.
 */
import * as l10n from '@vscode/l10n';
import type { BirthMetricInfo } from '../../../src/core/protocol/publish';

export const CODECS = ['', 'protobuf', 'msgpack', 'cbor', 'sparkplug'] as const;
export type EncodingCodec = (typeof CODECS)[number];
export const COMPRESSIONS = ['', 'gzip', 'zlib', 'deflate'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export interface EncodingForm {
  codec: EncodingCodec;
  /** Protobuf: the message type. */
  type: string;
  compression: Compression;
}

export function emptyEncoding(): EncodingForm {
  return { codec: '', type: '', compression: '' };
}

export function codecLabel(codec: EncodingCodec): string {
  switch (codec) {
    case '':
      return l10n.t('none (as typed)');
    case 'protobuf':
      return 'Protobuf';
    case 'msgpack':
      return 'MessagePack';
    case 'cbor':
      return 'CBOR';
    case 'sparkplug':
      return 'Sparkplug B';
  }
}

export function compressionLabel(c: Compression): string {
  return c === '' ? l10n.t('no compression') : c;
}

/** The text the host reads: the codec (with its type), then the compression. Empty: sent as typed. */
export function encodingText(e: EncodingForm): string {
  const codec = e.codec === 'protobuf' ? `protobuf ${e.type.trim()}`.trim() : e.codec;
  const compression = e.codec === 'sparkplug' ? '' : e.compression;
  return [codec, compression].filter(Boolean).join(', ');
}

const ALIASES: Record<string, EncodingCodec> = { protobuf: 'protobuf', proto: 'protobuf', msgpack: 'msgpack', messagepack: 'msgpack', cbor: 'cbor', sparkplug: 'sparkplug', spb: 'sparkplug' };

/** The three parts of an `encoding` text (a draft from the history or a mapping); what the control cannot show is dropped. */
export function encodingFromText(text: string | undefined): EncodingForm {
  const e = emptyEncoding();
  for (const part of (text ?? '').split(',')) {
    const [name = '', type = ''] = part.trim().split(/\s+/);
    const lower = name.toLowerCase();
    const codec = ALIASES[lower];
    if (codec) {
      e.codec = codec;
      e.type = codec === 'protobuf' ? type : '';
    } else if ((COMPRESSIONS as readonly string[]).includes(lower)) {
      e.compression = lower as Compression;
    }
  }
  return e;
}

/** Whether a topic is an NCMD or DCMD of the Sparkplug B namespace (the command builder shows). */
export function isCommandTopic(topic: string): boolean {
  return /^spBv1\.0\/[^/]+\/(NCMD\/[^/]+|DCMD\/[^/]+\/[^/]+)$/.test(topic);
}

/** A value of the data type to start from. */
function startValue(datatype: string): unknown {
  if (datatype === 'Boolean') {
    return false;
  }
  if (datatype === 'String' || datatype === 'Text' || datatype === 'UUID') {
    return '';
  }
  return 0;
}

/**
 * The JSON body with a metric of the BIRTH added by name (the host fills in its alias and data
 * type), or replaced when it is there already: `{"metrics": [{"name", "value"}]}`. A body that is
 * not that shape starts over.
 */
export function addMetric(payload: string, metric: BirthMetricInfo): string {
  let body: { metrics: Record<string, unknown>[]; [k: string]: unknown } = { metrics: [] };
  try {
    const parsed = JSON.parse(payload) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Array.isArray((parsed as { metrics?: unknown }).metrics)) {
      body = parsed as typeof body;
    }
  } catch {
    // not JSON yet: start from an empty command
  }
  const entry = { name: metric.name, value: startValue(metric.datatype) };
  const at = body.metrics.findIndex((m) => m && typeof m === 'object' && m.name === metric.name);
  const metrics = at >= 0 ? body.metrics : [...body.metrics, entry];
  return JSON.stringify({ ...body, metrics }, null, 2);
}
