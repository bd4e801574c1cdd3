// Which codec the hints select (MQTT topic, MQTT 5 content-type, AMQP content-type and
// content-encoding) and which the first bytes prove (magic numbers). Cheap: no decoding here.
import type { DecodeHints } from './types';

/** Sparkplug B topics start so. The ingest path tests this prefix and nothing else (P1). */
export const SPARKPLUG_PREFIX = 'spBv1.0/';

/** Whether a topic is in the Sparkplug B namespace: one prefix test. */
export function isSparkplugTopic(topic: string): boolean {
  return topic.startsWith(SPARKPLUG_PREFIX);
}

/** A media type without parameters, lower case: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** A parameter of a media type (`proto`, `messageType`, `charset`), case-insensitive name. */
export function mediaParam(contentType: string, name: string): string | undefined {
  for (const part of contentType.split(';').slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === name.toLowerCase()) {
      return part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    }
  }
  return undefined;
}

const BY_MEDIA_TYPE: Record<string, string> = {
  'application/json': 'json',
  'text/json': 'json',
  'application/msgpack': 'msgpack',
  'application/x-msgpack': 'msgpack',
  'application/vnd.msgpack': 'msgpack',
  'application/messagepack': 'msgpack',
  'application/x-messagepack': 'msgpack',
  'application/cbor': 'cbor',
  'application/protobuf': 'protobuf',
  'application/x-protobuf': 'protobuf',
  'application/vnd.google.protobuf': 'protobuf',
  'application/x-google-protobuf': 'protobuf',
  'application/avro': 'avro',
  'avro/binary': 'avro',
  'application/vnd.apache.avro+binary': 'avro',
  'application/gzip': 'gzip',
  'application/x-gzip': 'gzip',
  'application/zlib': 'zlib',
};

const BY_ENCODING: Record<string, string> = { gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate', br: 'brotli' };

/** The codec a content-type names, or undefined (unknown, or `application/octet-stream`). */
export function codecForContentType(contentType: string): string | undefined {
  const t = mediaType(contentType);
  if (BY_MEDIA_TYPE[t]) {
    return BY_MEDIA_TYPE[t];
  }
  if (t.endsWith('+json')) {
    return 'json';
  }
  if (t.endsWith('+cbor')) {
    return 'cbor';
  }
  if (t.endsWith('+msgpack')) {
    return 'msgpack';
  }
  if (t.startsWith('text/')) {
    return 'text';
  }
  return undefined;
}

/** The codec chain the hints select, outermost first: content-encoding, then content-type or topic. */
export function codecsFromHints(hints: DecodeHints | undefined): string[] {
  if (!hints) {
    return [];
  }
  const chain: string[] = [];
  const encoding = hints.contentEncoding?.trim().toLowerCase();
  if (encoding) {
    // `gzip, identity` and friends: the encodings in the order they were applied.
    for (const e of encoding.split(',').map((x) => x.trim()).reverse()) {
      if (BY_ENCODING[e]) {
        chain.push(BY_ENCODING[e]);
      }
    }
  }
  if (hints.topic !== undefined && isSparkplugTopic(hints.topic)) {
    chain.push(hints.topic.startsWith(`${SPARKPLUG_PREFIX}STATE/`) ? 'sparkplug-state' : 'sparkplug');
    return chain;
  }
  const byType = hints.contentType ? codecForContentType(hints.contentType) : undefined;
  if (byType) {
    chain.push(byType);
  }
  return chain;
}

/** gzip: 1f 8b, method 8. */
export function isGzip(b: Uint8Array): boolean {
  return b.length >= 10 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08;
}

/**
 * zlib with the headers zlib itself writes (78 01, 78 5e, 78 9c, 78 da): a text payload can begin
 * with "x^" too, so a failed inflate after this guess falls back to the bytes as they are.
 */
export function isZlib(b: Uint8Array): boolean {
  return b.length >= 6 && b[0] === 0x78 && (b[1] === 0x01 || b[1] === 0x5e || b[1] === 0x9c || b[1] === 0xda);
}

/** CBOR with the self-described tag 55799 (d9 d9 f7), which exists to make CBOR recognizable. */
export function isSelfDescribedCbor(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0xd9 && b[1] === 0xd9 && b[2] === 0xf7;
}
