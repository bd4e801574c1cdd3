// The shapes every codec shares: what the host knows about a message (hints), what a decode is
// given (context) and what it returns. Pure types: the registry (./registry.ts) and the lazily
// loaded implementations (./impl/*) both import them.
import type { SparkplugTopic } from './sparkplug/topic';
import type { SparkplugMetric } from './sparkplug/types';

/** Fills in metric names of a DATA message from the last BIRTH (SparkplugState does). */
export interface SparkplugNames {
  withNames(topic: SparkplugTopic, metrics: SparkplugMetric[]): SparkplugMetric[];
}

/** What the host knows about a message besides its bytes; they select a codec automatically. */
export interface DecodeHints {
  /** MQTT topic. `spBv1.0/…` selects Sparkplug B. */
  readonly topic?: string;
  /** MQTT 5 content-type, or AMQP `content_type`. */
  readonly contentType?: string;
  /** AMQP `content_encoding` (gzip, deflate, …). */
  readonly contentEncoding?: string;
  /** AMQP exchange, routing key and queue, for `.vscode/decoders.json` mappings. */
  readonly exchange?: string;
  readonly routingKey?: string;
  readonly queue?: string;
}

/** A protobuf message type picked for a decode: the schema set from `loadProtoSchemas` and a type name. */
export interface ProtobufChoice {
  /** Opaque handle returned by `loadProtoSchemas` (impl/protobuf.ts). */
  readonly schemas: unknown;
  /** Fully qualified message type, e.g. `acme.telemetry.Reading`. */
  readonly type: string;
}

/** An Avro schema picked for a decode: raw binary with `schema`, or Confluent framing with `ids`. */
export interface AvroChoice {
  /** The writer schema (parsed JSON of an .avsc file, or its text). */
  readonly schema?: unknown;
  /** Confluent schema id → schema, for payloads framed as magic byte 0 + 4-byte id. */
  readonly ids?: ReadonlyMap<number, unknown>;
  /** A name for the schema (its file), said in the result. */
  readonly name?: string;
}

export interface DecodeContext {
  /** Largest number of bytes a decompression may produce (the inspector's payload limit). */
  readonly limit: number;
  readonly hints?: DecodeHints;
  /** An explicit codec ("Decode as…"), which overrides detection; a chain like `gzip+msgpack` is allowed. */
  readonly codec?: string;
  readonly protobuf?: ProtobufChoice;
  readonly avro?: AvroChoice;
  /** Alias → name from the BIRTHs seen at ingest, for Sparkplug DATA messages. */
  readonly sparkplug?: SparkplugNames;
  /** The bytes are a prefix of a longer payload (the store kept only that much). */
  readonly truncated?: boolean;
}

/** What a decode returns. It never throws: an error is said in `error`, with what could be decoded. */
export interface DecodeResult {
  /** The decoded value, JSON-able (bytes as `{ $base64 }`, big integers as strings when unsafe). */
  readonly value: unknown;
  /** The value as text for display: pretty JSON, or the text itself. */
  readonly text: string;
  /** The codec chain, e.g. `gzip → msgpack`. */
  readonly codec: string;
  /** The same chain as ids, outermost first. */
  readonly codecs: readonly string[];
  /** The schema or type used (a protobuf type, an Avro schema name, `Sparkplug B`). */
  readonly schema?: string;
  readonly warnings: readonly string[];
  /** In plain words, when the bytes are corrupt, cut or do not fit the schema. */
  readonly error?: string;
  /** The output stopped at `limit` (decompression), or the input was already cut. */
  readonly truncated?: boolean;
}

/** What one codec makes of the bytes it is given. A transform (gzip…) hands `inner` on. */
export interface CodecOutput {
  value?: unknown;
  text?: string;
  schema?: string;
  warnings?: string[];
  error?: string;
  truncated?: boolean;
  /** Decompressed bytes to hand to the next codec (transforms only). */
  inner?: Uint8Array;
}

export interface EncodeContext {
  /** Largest encoded size accepted. */
  readonly limit?: number;
  readonly protobuf?: ProtobufChoice;
  /** With `confluentId`, the bytes get the Confluent framing (magic byte 0 + the id). */
  readonly avro?: AvroChoice & { readonly confluentId?: number };
}

export type EncodeResult = { readonly bytes: Uint8Array; readonly error?: undefined } | { readonly bytes?: undefined; readonly error: string };

/** A codec implementation, as a lazily loaded module gives it. */
export interface CodecImpl {
  decode(bytes: Uint8Array, ctx: DecodeContext): CodecOutput | Promise<CodecOutput>;
  encode?(json: unknown, ctx: EncodeContext): EncodeResult | Promise<EncodeResult>;
}

/** A registry entry: metadata and cheap detection here, the implementation loaded on first use. */
export interface Codec {
  readonly id: string;
  readonly label: string;
  /** Cheap and unambiguous: the first bytes or the hints say it. Never decodes. */
  detect?(bytes: Uint8Array, hints: DecodeHints): boolean;
  /** It decompresses and hands on to the next codec. */
  readonly transform?: boolean;
  /** It needs a schema (protobuf type, Avro schema) to decode. */
  readonly needsSchema?: boolean;
  readonly canEncode?: boolean;
  load(): Promise<CodecImpl>;
}
