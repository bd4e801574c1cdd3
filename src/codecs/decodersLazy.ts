// What activation registers of the decoders: a facade that loads dist/decoders.js (decoders.ts)
// on the first decode, Decode as… or Sparkplug B message.
import * as vscode from 'vscode';
import type { DecodeHints, ProtobufChoice, SparkplugNames } from '../core/codecs/types';
import type { DecodedPayload } from '../core/protocol/inspect';
import type { Logger } from '../shared/log';
import type { DecodeRequest } from './payloadDecoder';

type DecodersModule = typeof import('./decoders');
export type LoadedDecoders = ReturnType<DecodersModule['createDecoders']>;

export class LazyDecoders implements vscode.Disposable {
  private module: Promise<DecodersModule> | undefined;
  private created: Promise<LoadedDecoders> | undefined;
  private disposed = false;

  constructor(
    private readonly log: Logger,
    private readonly sparkplug: (brokerId: string) => SparkplugNames | undefined,
  ) {}

  private bundle(): Promise<DecodersModule> {
    this.module ??= import('./decoders');
    this.module.catch(() => (this.module = undefined));
    return this.module;
  }

  /** Whether the decoders bundle has been asked for (tests: what activation left unloaded). */
  get loaded(): boolean {
    return this.created !== undefined;
  }

  /**
   * Opening `.vscode/decoders.json` loads the decoders (and so its diagnostics) before any
   * payload is decoded: the problems show as the file is read, not after the first decode.
   */
  watchDecodersFile(): vscode.Disposable {
    const isDecodersFile = (d: vscode.TextDocument): boolean => d.uri.scheme === 'file' && /\/\.vscode\/decoders\.json$/.test(d.uri.path);
    const loadFor = (d: vscode.TextDocument): void => {
      if (isDecodersFile(d)) {
        void this.load().then(
          (l) => l.decodersJson.load(),
          (err: unknown) => this.log.warn(`decoders.json: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    };
    vscode.workspace.textDocuments.forEach(loadFor);
    return vscode.workspace.onDidOpenTextDocument(loadFor);
  }

  /**
   * A protobuf message type of the workspace .proto files (and the protoPaths of decoders.json),
   * for `Encoding: protobuf TYPE`; the reason in words when there is none.
   */
  async protobufType(type: string): Promise<ProtobufChoice | string> {
    return (await this.load()).decodersJson.protobufType(type);
  }

  /** The message types of the workspace .proto files (the publish panel's type picker). */
  async protobufTypeNames(): Promise<readonly string[]> {
    return (await (await this.load()).decodersJson.loadProtos()).types;
  }

  /** The encoding a decoders.json mapping gives a destination (the publish panel preselects it). */
  async encodingFor(hints: DecodeHints): Promise<string | undefined> {
    return (await this.load()).decodersJson.encodingFor(hints);
  }

  /** The decoders and decoders.json, created on first use. */
  load(): Promise<LoadedDecoders> {
    this.created ??= this.bundle().then((m) => m.createDecoders(this.log, this.sparkplug));
    this.created.catch(() => (this.created = undefined));
    return this.created;
  }

  async decode(req: DecodeRequest): Promise<DecodedPayload> {
    return (await this.load()).decoders.decode(req);
  }

  async decodeAs(req: DecodeRequest): Promise<DecodedPayload | undefined> {
    return (await this.load()).decoders.decodeAs(req);
  }

  /** The Sparkplug B codec bundle (dist/codecs/sparkplug.js), through the registry of this bundle. */
  async loadSparkplug(): Promise<unknown> {
    return (await this.bundle()).loadSparkplug();
  }

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      void this.created?.then((d) => d.decodersJson.dispose(), () => undefined);
    }
  }
}
