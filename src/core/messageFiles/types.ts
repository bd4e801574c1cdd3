/**
 * Message files (`*.mqtt`, `*.amqp`, `*.messages`…): several PUBLISH / SUBSCRIBE blocks per
 * file, separated by `###`. The format is documented for users in docs/message-files.md.
 * Pure: no `vscode`, no Node APIs. Lines are 0-based, columns are UTF-16 code units.
 */
import type { PublishDraft } from '../protocol/publish';
import type { BlockCapture } from './captures';
import type { EncodingStep, ProtobufTypes } from './encoding';

export type MessageKind = 'mqtt' | 'amqp';
export type MessageVerb = 'PUBLISH' | 'SUBSCRIBE';

/** Columns [start, end) on one line. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly severity: Severity;
  readonly message: string;
  /** Stable id for quick fixes and tests, e.g. 'unknown-header', 'bad-qos'. */
  readonly code: string;
  /** A replacement that fixes it (did-you-mean), for a quick fix over [start, end). */
  readonly suggestion?: string;
}

/** `@name = value` */
export interface VariableDef {
  readonly name: string;
  /** Raw value text (may contain `{{…}}`), trimmed. */
  readonly value: string;
  readonly line: number;
  readonly nameSpan: Span;
  readonly valueSpan: Span;
}

export interface MessageHeader {
  /** As written (names are case-insensitive: compare with `canonical`). */
  readonly name: string;
  /** The catalog spelling (e.g. 'QoS') when the header is known, else undefined. */
  readonly canonical?: string;
  /** Raw value text, trimmed; may contain `{{…}}`. */
  readonly value: string;
  readonly line: number;
  readonly nameSpan: Span;
  readonly valueSpan: Span;
}

export type MessageBody =
  | {
      readonly kind: 'inline';
      /** The body lines joined with '\n' (CR/CRLF line ends become LF), trailing empty lines dropped; may contain `{{…}}`. */
      readonly text: string;
      readonly startLine: number;
    }
  | {
      readonly kind: 'file';
      /** The path as written (may contain `{{…}}`); relative paths are relative to the message file's folder. */
      readonly path: string;
      /** `<@ file`: the file is UTF-8 text whose `{{…}}` are substituted. */
      readonly substitute: boolean;
      readonly line: number;
      /** Span of the path. */
      readonly span: Span;
    };

export interface MessageBlock {
  /** Text after `###` on the separator line, trimmed (undefined when empty or no separator). */
  readonly name?: string;
  /** From the `###` line (or the section's first line) to the block's last non-empty line. */
  readonly range: { readonly startLine: number; readonly endLine: number };
  readonly requestLine: number;
  readonly verb: MessageVerb;
  readonly scheme: MessageKind;
  /** `name` is the decoded connection name ('' when missing); `quoted` for `"…"` (literal, no variables). */
  readonly connection: { readonly name: string; readonly span: Span; readonly quoted: boolean };
  /** Topic / topic filter (MQTT) or exchange (AMQP, '' = default exchange). */
  readonly target: { readonly text: string; readonly span: Span; readonly quoted: boolean; readonly missing: boolean };
  readonly headers: readonly MessageHeader[];
  readonly body: MessageBody | undefined;
  /** EXPECT sections after the body, in order (empty for most blocks): a block with any is a test. */
  readonly expectations: readonly Expectation[];
}

/**
 * `EXPECT mqtt://CONNECTION/FILTER` (or `EXPECT NONE …`) after a PUBLISH block's body: what must
 * arrive once the message is sent. Headers are assertions (docs/message-files.md, "Expectations");
 * a body is the expected payload.
 */
export interface Expectation {
  /** The EXPECT line. */
  readonly line: number;
  /** `EXPECT NONE`: nothing may arrive within the time. */
  readonly none: boolean;
  readonly scheme: MessageKind;
  readonly connection: MessageBlock['connection'];
  /** MQTT: the topic filter subscribed to before the message is sent. */
  readonly target: MessageBlock['target'];
  readonly headers: readonly MessageHeader[];
  /** The expected payload (text; JSON compared as JSON), when there is one. */
  readonly body?: { readonly text: string; readonly startLine: number };
  readonly range: { readonly startLine: number; readonly endLine: number };
}

export interface MessageFile {
  readonly variables: readonly VariableDef[];
  readonly blocks: readonly MessageBlock[];
  readonly problems: readonly Problem[];
  /** Number of lines (CRLF, CR and LF all end a line). */
  readonly lineCount: number;
}

export interface CheckContext {
  readonly connections: readonly { readonly name: string; readonly kind: MessageKind; readonly vhost?: string }[];
  /** brokerExplorer.limits.payloadMegabytes in bytes (16 MB when absent). */
  readonly maxPayloadBytes?: number;
}

export interface ResolveEnv {
  /** Reads a file by absolute path; throws when it cannot. */
  readFile(path: string): Uint8Array;
  /** An environment variable, undefined when unset. */
  getEnv(name: string): string | undefined;
  now(): Date;
  /** A number in [0, 1). */
  random(): number;
  uuid(): string;
  /** Folder of the message file (absolute). */
  readonly baseDir: string;
  /** False in an untrusted workspace: `{{$env …}}` and `< file` are refused. */
  readonly trusted: boolean;
  /** brokerExplorer.limits.payloadMegabytes in bytes (16 MB when absent): expanded values and `< file` bodies. */
  readonly maxPayloadBytes?: number;
  /**
   * What the blocks that ran before in this run captured, by block name (`{{login.response.$.token}}`).
   * Absent: no block has run, and a capture is an error saying so.
   */
  readonly captures?: ReadonlyMap<string, BlockCapture>;
  /** `Encoding: protobuf TYPE`: the message type from the .proto files the sender reads (VS Code: the workspace's). */
  readonly protobufTypes?: ProtobufTypes;
}

export interface ResolvedMessage {
  /** Connection name (as in the Brokers view). */
  readonly connection: string;
  readonly kind: MessageKind;
  readonly verb: MessageVerb;
  /** PUBLISH: the message, as the publish panel would send it. */
  readonly draft?: PublishDraft;
  /** SUBSCRIBE: MQTT topic filter, or AMQP binding pattern (default '#'). */
  readonly filter?: string;
  /** SUBSCRIBE over AMQP: the exchange to tap. */
  readonly exchange?: string;
  /** AMQP `Vhost:`: the vhost the file expects; refuse to send when the connection is on another one. */
  readonly vhost?: string;
  /** PUBLISH with `Encoding:`: the codecs the body goes through before it is sent (encodeDraft). */
  readonly encoding?: readonly EncodingStep[];
  /** How many times to send (1 unless `Repeat:`). */
  readonly repeat: number;
  /** Pause between two sends in ms (0 unless `Interval:`). */
  readonly intervalMs: number;
}

export interface ResolveError {
  readonly error: string;
  /** The line the error is about, when there is one. */
  readonly line?: number;
}
