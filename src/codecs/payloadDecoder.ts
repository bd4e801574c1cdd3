// Decoding on display: the inspector asks for one kept message at a time, and the codec registry
// decodes it here on the host, loading each codec's bundle on first use (never per message at
// ingest). The codec comes from, in this order: the user's choice (Decode as…), a mapping in
// .vscode/decoders.json, the message's hints (content-type, content-encoding, the spBv1.0/ topic),
// the magic bytes (gzip, zlib, self-described CBOR); else JSON, text or bytes.
import * as vscode from 'vscode';
import { quickPick } from '../shared/prompts';
import { hintsOf, type HintSource } from '../core/codecs/messageHints';
import { codecRegistry } from '../core/codecs/registry';
import type { DecodeContext, DecodeHints, SparkplugNames } from '../core/codecs/types';
import type { DecodedPayload } from '../core/protocol/inspect';

export interface DecodeRequest {
  readonly brokerId: string;
  readonly message: HintSource & { readonly payload: Uint8Array; readonly size: number };
  /** The queue a peek read the message from. */
  readonly queue?: string;
  /** An explicit codec chain (`gzip+msgpack`). */
  readonly codec?: string;
  /** The inspector's payload limit: no decompression produces more. */
  readonly limit: number;
}

/** What a mapping of .vscode/decoders.json (or a Decode as… choice) gives a decode. */
export interface ResolvedMapping {
  readonly codec: string;
  readonly ctx?: Pick<DecodeContext, 'protobuf' | 'avro'>;
  /** In words, for the Decoded tab: `+/telemetry/# in .vscode/decoders.json`. */
  readonly description: string;
  /** What decoders.json gets when the choice is saved as a mapping. */
  readonly save?: { readonly codec: string; readonly type?: string; readonly schema?: string };
}

/** Finds the mapping of a message (decoders.json). */
export interface MappingSource {
  resolve(hints: DecodeHints): Promise<ResolvedMapping | undefined>;
}

/** The Sparkplug names (aliases from the BIRTHs seen at ingest) of a broker. */
export type SparkplugNamesOf = (brokerId: string) => SparkplugNames | undefined;

/** A Decode as… picker entry. */
export interface CodecPick extends vscode.QuickPickItem {
  readonly mapping?: ResolvedMapping;
  /** Back to automatic (hints, magic bytes). */
  readonly automatic?: boolean;
}

/** More picker entries (protobuf types, Avro schemas of the workspace) and where a choice is saved. */
export interface DecodeAsExtras {
  picks(): Promise<CodecPick[]>;
  /** Offers to save the choice as a mapping of the message's topic (routing key) in .vscode/decoders.json. */
  offerSave(hints: DecodeHints, mapping: ResolvedMapping): Promise<void>;
}

export class PayloadDecoders {
  /** Decode as… choices of this session: broker + topic → mapping. */
  private readonly chosen = new Map<string, ResolvedMapping>();

  constructor(
    private readonly mappings?: MappingSource,
    private readonly sparkplug?: SparkplugNamesOf,
    private readonly extras?: DecodeAsExtras,
  ) {}

  /** The codecs that need no schema, for Decode as… (plus the extras' protobuf types and Avro schemas). */
  async picks(): Promise<CodecPick[]> {
    const plain: CodecPick[] = codecRegistry
      .list()
      .filter((c) => !c.needsSchema)
      .map((c) => ({ label: c.label, description: c.id, mapping: { codec: c.id, description: vscode.l10n.t('chosen: {0}', c.label), save: { codec: c.id } } }));
    const compressed: CodecPick[] = ['msgpack', 'cbor', 'json']
      .map((id) => codecRegistry.get(id))
      .filter((c) => c !== undefined)
      .map((c) => ({ label: `gzip → ${c.label}`, description: `gzip+${c.id}`, mapping: { codec: `gzip+${c.id}`, description: vscode.l10n.t('chosen: gzip → {0}', c.label), save: { codec: `gzip+${c.id}` } } }));
    return [{ label: vscode.l10n.t('Automatic'), description: vscode.l10n.t('content-type, content-encoding, topic, magic bytes'), automatic: true }, ...plain, ...compressed, ...((await this.extras?.picks()) ?? [])];
  }

  /** Decode as…: the user picks a codec (or a protobuf type) for the message's topic; undefined when cancelled. */
  async decodeAs(req: DecodeRequest, pick?: (items: CodecPick[]) => Promise<CodecPick | undefined>): Promise<DecodedPayload | undefined> {
    const items = await this.picks();
    const choice = pick
      ? await pick(items)
      : await quickPick(items, { title: vscode.l10n.t('Decode {0} as…', req.message.topic), placeHolder: vscode.l10n.t('Codec, or a message type of the workspace .proto files'), matchOnDescription: true });
    if (!choice) {
      return undefined;
    }
    this.choose(req.brokerId, req.message, choice.automatic ? undefined : choice.mapping);
    const decoded = await this.decode(req);
    if (choice.mapping && !choice.automatic && !pick) {
      void this.extras?.offerSave(hintsOf(req.message, req.queue), choice.mapping);
    }
    return decoded;
  }

  private key(brokerId: string, m: HintSource): string {
    return `${brokerId}\u0000${m.exchange ?? ''}\u0000${m.topic}`;
  }

  /** Remembers a Decode as… choice for the message's topic (routing key) on this broker, this session. */
  choose(brokerId: string, m: HintSource, mapping: ResolvedMapping | undefined): void {
    if (mapping) {
      this.chosen.set(this.key(brokerId, m), mapping);
    } else {
      this.chosen.delete(this.key(brokerId, m));
    }
  }

  async decode(req: DecodeRequest): Promise<DecodedPayload> {
    const m = req.message;
    const hints = hintsOf(m, req.queue);
    const bytes = m.payload;
    const truncated = bytes.length < m.size;
    let by: DecodedPayload['by'];
    let mapping: ResolvedMapping | undefined;
    if (req.codec !== undefined) {
      by = 'chosen';
      mapping = { codec: req.codec, description: vscode.l10n.t('chosen') };
    } else if ((mapping = this.chosen.get(this.key(req.brokerId, m)))) {
      by = 'chosen';
    } else if ((mapping = await this.mappings?.resolve(hints))) {
      by = 'mapping';
    } else if (codecRegistry.select(hints).length > 0) {
      by = 'hints';
    } else {
      by = codecRegistry.detect(bytes, hints) ? 'detected' : 'none';
    }
    const sparkplug = hints.topic !== undefined ? this.sparkplug?.(req.brokerId) : undefined;
    const r = await codecRegistry.decode(bytes, {
      limit: req.limit,
      hints,
      truncated,
      ...(mapping ? { codec: mapping.codec, ...mapping.ctx } : {}),
      ...(sparkplug ? { sparkplug } : {}),
    });
    // Pretty JSON can be longer than the bytes: the text is held to the same limit.
    const cut = r.text.length > req.limit;
    return {
      codec: r.codec,
      codecs: r.codecs,
      ...(r.schema ? { schema: r.schema } : {}),
      by,
      ...(mapping && by !== 'hints' ? { mapping: mapping.description } : {}),
      text: cut ? r.text.slice(0, req.limit) : r.text,
      warnings: cut ? [...r.warnings, vscode.l10n.t('The decoded text stops at the limit of {0} characters.', req.limit)] : r.warnings,
      ...(r.error ? { error: r.error } : {}),
      ...(r.truncated || cut ? { truncated: true } : {}),
      limit: req.limit,
    };
  }
}
