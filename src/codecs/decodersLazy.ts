// What activation registers of the decoders: a facade that loads dist/decoders.js (decoders.ts)
// on the first decode, Decode as… or Sparkplug B message.
import type * as vscode from 'vscode';
import type { SparkplugNames } from '../core/codecs/types';
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
