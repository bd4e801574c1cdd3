// `.vscode/decoders.json`: which codec, protobuf message type or Avro schema decodes which messages.
// MQTT messages are matched by a topic filter (`+/telemetry/#`), AMQP messages by exchange, routing
// key pattern (`orders.*`, `#.eu`) and queue; Confluent schema ids map to .avsc files. Parsed here
// (pure: JSON with comments, every problem in words with where it is), read and watched by the glue
// (src/codecs/decodersJson.ts). Paths are relative to the workspace folder; one that leaves it is
// flagged so that an untrusted workspace never reads it.
import * as l10n from '@vscode/l10n';
import { describeJsonError, stripJsonc } from '../brokers/jsonc';
import { validateFilter } from '../brokers/subscriptions';
import { TopicFilter } from '../mqtt/topicFilter';
import { parseChain } from './registry';
import type { DecodeHints } from './types';

export const DECODERS_FILE = '.vscode/decoders.json';

export interface DecoderMapping {
  /** MQTT topic filter. */
  readonly topic?: string;
  /** AMQP exchange (exact), routing key pattern (`*` one word, `#` any words) and queue (exact). */
  readonly exchange?: string;
  readonly routingKey?: string;
  readonly queue?: string;
  /** Codec chain, outermost first (`gzip+msgpack`); `protobuf` with `type`, `avro` with `schema` or the schema ids. */
  readonly codec: string;
  /** Protobuf message type, fully qualified (`acme.telemetry.Reading`). */
  readonly type?: string;
  /** An .avsc file (workspace-relative). */
  readonly schema?: string;
  /** Position in `mappings` (0-based), for messages. */
  readonly index: number;
  /** Compiled topic filter. */
  readonly filter?: TopicFilter;
}

export interface DecodersConfig {
  readonly mappings: readonly DecoderMapping[];
  /** Folders or .proto files to read (workspace-relative); all *.proto of the workspace when empty. */
  readonly protoPaths: readonly string[];
  /** Import roots for .proto files (as protoc -I), workspace-relative. */
  readonly includeDirs: readonly string[];
  /** Confluent schema id → .avsc file. */
  readonly schemaIds: ReadonlyMap<number, string>;
}

export interface DecodersProblem {
  /** Where: `mappings[2].topic`. */
  readonly path: string;
  readonly message: string;
}

export const EMPTY_DECODERS: DecodersConfig = { mappings: [], protoPaths: [], includeDirs: [], schemaIds: new Map() };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a relative path stays inside the folder it is relative to (no absolute path, no `..` out). */
export function staysInside(path: string): boolean {
  if (path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path) || path.startsWith('~')) {
    return false;
  }
  let depth = 0;
  for (const part of path.split(/[\\/]+/)) {
    if (part === '..') {
      depth--;
      if (depth < 0) {
        return false;
      }
    } else if (part !== '.' && part !== '') {
      depth++;
    }
  }
  return true;
}

const KNOWN_MAPPING_KEYS = new Set(['topic', 'exchange', 'routingKey', 'queue', 'codec', 'type', 'schema', 'description']);

/** Parses the file's text; never throws. What is wrong is in `problems`, the rest is kept. */
export function parseDecodersFile(text: string): { config: DecodersConfig; problems: DecodersProblem[] } {
  const problems: DecodersProblem[] = [];
  let raw: unknown;
  try {
    const stripped = stripJsonc(text);
    raw = stripped.trim() === '' ? {} : JSON.parse(stripped);
  } catch (e) {
    return { config: EMPTY_DECODERS, problems: [{ path: '', message: l10n.t('Not valid JSON: {0}', describeJsonError(e, text)) }] };
  }
  if (!isObj(raw)) {
    return { config: EMPTY_DECODERS, problems: [{ path: '', message: l10n.t('decoders.json must hold an object with "mappings"') }] };
  }
  const strings = (key: string): string[] => {
    const v = raw[key];
    if (v === undefined) {
      return [];
    }
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      problems.push({ path: key, message: l10n.t('"{0}" must be a list of paths', key) });
      return [];
    }
    return v;
  };
  const protoPaths = strings('protoPaths');
  const includeDirs = strings('includeDirs');
  const schemaIds = new Map<number, string>();
  if (raw.schemaIds !== undefined) {
    if (!isObj(raw.schemaIds)) {
      problems.push({ path: 'schemaIds', message: l10n.t('"schemaIds" maps Confluent schema ids to .avsc files: {"1": "schemas/order.avsc"}') });
    } else {
      for (const [id, file] of Object.entries(raw.schemaIds)) {
        const n = Number(id);
        if (!/^\d+$/.test(id) || n > 0xffffffff) {
          problems.push({ path: `schemaIds.${id}`, message: l10n.t('"{0}" is not a schema id (a number from 0 to 4294967295)', id) });
        } else if (typeof file !== 'string' || file === '') {
          problems.push({ path: `schemaIds.${id}`, message: l10n.t('Schema id {0} needs the path of an .avsc file', id) });
        } else {
          schemaIds.set(n, file);
        }
      }
    }
  }
  const mappings: DecoderMapping[] = [];
  const list = raw.mappings;
  if (list !== undefined && !Array.isArray(list)) {
    problems.push({ path: 'mappings', message: l10n.t('"mappings" must be a list') });
  }
  (Array.isArray(list) ? list : []).forEach((m: unknown, index) => {
    const at = `mappings[${index}]`;
    if (!isObj(m)) {
      problems.push({ path: at, message: l10n.t('A mapping is an object such as {"topic": "+/telemetry/#", "codec": "msgpack"}') });
      return;
    }
    for (const k of Object.keys(m)) {
      if (!KNOWN_MAPPING_KEYS.has(k)) {
        problems.push({ path: `${at}.${k}`, message: l10n.t('Unknown key "{0}" (known: {1})', k, [...KNOWN_MAPPING_KEYS].join(', ')) });
      }
    }
    const str = (k: string): string | undefined => {
      const v = m[k];
      if (v === undefined) {
        return undefined;
      }
      if (typeof v !== 'string' || v === '') {
        problems.push({ path: `${at}.${k}`, message: l10n.t('"{0}" must be a non-empty text', k) });
        return undefined;
      }
      return v;
    };
    const topic = str('topic');
    const exchange = m.exchange === '' ? '' : str('exchange');
    const routingKey = str('routingKey');
    const queue = str('queue');
    const type = str('type');
    const schema = str('schema');
    let codec = str('codec') ?? (type ? 'protobuf' : schema ? 'avro' : undefined);
    if (topic === undefined && exchange === undefined && routingKey === undefined && queue === undefined) {
      problems.push({ path: at, message: l10n.t('A mapping needs "topic" (MQTT) or "exchange", "routingKey" or "queue" (AMQP)') });
      return;
    }
    if (topic !== undefined && (exchange !== undefined || routingKey !== undefined || queue !== undefined)) {
      problems.push({ path: at, message: l10n.t('A mapping is for MQTT ("topic") or for AMQP ("exchange", "routingKey", "queue"), not both') });
      return;
    }
    let filter: TopicFilter | undefined;
    if (topic !== undefined) {
      const bad = validateFilter(topic);
      if (bad) {
        problems.push({ path: `${at}.topic`, message: bad });
        return;
      }
      filter = new TopicFilter(topic);
    }
    if (codec === undefined) {
      problems.push({ path: at, message: l10n.t('A mapping needs "codec" (or "type" for protobuf, "schema" for Avro)') });
      return;
    }
    const chain = parseChain(codec);
    if (chain.length === 0) {
      problems.push({ path: `${at}.codec`, message: l10n.t('"codec" names no codec') });
      return;
    }
    codec = chain.join('+');
    if (chain.includes('protobuf') && !type) {
      problems.push({ path: at, message: l10n.t('A protobuf mapping needs "type", the message type (e.g. "acme.telemetry.Reading")') });
      return;
    }
    if (chain.includes('avro') && !schema && schemaIds.size === 0) {
      problems.push({ path: at, message: l10n.t('An Avro mapping needs "schema" (an .avsc file) or "schemaIds" for Confluent framing') });
      return;
    }
    mappings.push({
      codec,
      index,
      ...(topic !== undefined ? { topic, filter } : {}),
      ...(exchange !== undefined ? { exchange } : {}),
      ...(routingKey !== undefined ? { routingKey } : {}),
      ...(queue !== undefined ? { queue } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(schema !== undefined ? { schema } : {}),
    });
  });
  return { config: { mappings, protoPaths, includeDirs, schemaIds }, problems };
}

/** AMQP topic-exchange matching: words split by dots, `*` one word, `#` zero or more. */
export function routingKeyMatches(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  const memo = new Map<number, boolean>();
  const at = (i: number, j: number): boolean => {
    const id = i * (k.length + 1) + j;
    const known = memo.get(id);
    if (known !== undefined) {
      return known;
    }
    let r: boolean;
    if (i === p.length) {
      r = j === k.length;
    } else if (p[i] === '#') {
      r = at(i + 1, j) || (j < k.length && at(i, j + 1));
    } else {
      r = j < k.length && (p[i] === '*' || p[i] === k[j]) && at(i + 1, j + 1);
    }
    memo.set(id, r);
    return r;
  };
  return at(0, 0);
}

/** The first mapping that matches the message (file order), or undefined. */
export function findMapping(config: DecodersConfig, hints: DecodeHints): DecoderMapping | undefined {
  for (const m of config.mappings) {
    if (m.filter) {
      if (hints.topic !== undefined && m.filter.matches(hints.topic)) {
        return m;
      }
      continue;
    }
    if (hints.topic !== undefined) {
      continue; // an AMQP mapping; the message is MQTT
    }
    if (m.exchange !== undefined && m.exchange !== hints.exchange) {
      continue;
    }
    if (m.queue !== undefined && m.queue !== hints.queue) {
      continue;
    }
    if (m.routingKey !== undefined && (hints.routingKey === undefined || !routingKeyMatches(m.routingKey, hints.routingKey))) {
      continue;
    }
    return m;
  }
  return undefined;
}

/** A mapping in words: `+/telemetry/# → protobuf acme.Reading`. */
export function describeMapping(m: Omit<DecoderMapping, 'index'>): string {
  const what = m.topic ?? [m.exchange !== undefined ? l10n.t('exchange {0}', m.exchange || '(default)') : '', m.routingKey ? l10n.t('routing key {0}', m.routingKey) : '', m.queue ? l10n.t('queue {0}', m.queue) : ''].filter(Boolean).join(', ');
  return `${what} → ${m.codec.replace(/\+/g, ' → ')}${m.type ? ` ${m.type}` : ''}${m.schema ? ` ${m.schema}` : ''}`;
}

/** The JSON of a new mapping (what "Decode as…" saves). */
export type NewMapping = { topic: string; codec: string; type?: string; schema?: string } | { exchange?: string; routingKey?: string; queue?: string; codec: string; type?: string; schema?: string };

/**
 * The file's text with `mapping` first in "mappings" (first match wins, so it takes precedence):
 * inserted as text so that comments and layout stay; a new file when there is none.
 */
export function addMapping(text: string | undefined, mapping: NewMapping): string {
  const entry = JSON.stringify(mapping);
  if (text === undefined || text.trim() === '') {
    return `{\n  "mappings": [\n    ${entry}\n  ]\n}\n`;
  }
  const stripped = stripJsonc(text); // same positions, comments blanked
  const list = /"mappings"\s*:\s*\[/.exec(stripped);
  if (list) {
    const at = list.index + list[0].length;
    const empty = /^\s*\]/.test(stripped.slice(at));
    return `${text.slice(0, at)}\n    ${entry}${empty ? '\n  ' : ','}${text.slice(at)}`;
  }
  const open = stripped.indexOf('{');
  if (open < 0) {
    throw new Error(l10n.t('decoders.json must hold an object with "mappings"'));
  }
  const rest = stripped.slice(open + 1).trim();
  return `${text.slice(0, open + 1)}\n  "mappings": [\n    ${entry}\n  ]${rest.startsWith('}') ? '\n' : ','}${text.slice(open + 1)}`;
}
