/**
 * Both panels' protocols side by side, keyed by panel kind: the message types of each side, the
 * guard the host checks a webview's posts with, what waits for `ready`, and the state a webview
 * keeps for the serializers. The shared glue (PanelHost, webview/shared/host.ts) reads it here.
 */
import { INSPECT_DELIVERY, isInspectWebviewMessage, type InspectCommand, type InspectHostMessage, type InspectPanelState, type InspectWebviewMessage } from './inspect';
import { isPublishWebviewMessage, PUBLISH_DELIVERY, type PublishCommand, type PublishHostMessage, type PublishPanelState, type PublishWebviewMessage } from './publish';
import type { Delivery, HandshakeMessage, PanelKind } from './shared';

export interface Protocols {
  readonly inspect: { readonly host: InspectHostMessage; readonly webview: InspectWebviewMessage; readonly command: InspectCommand };
  readonly publish: { readonly host: PublishHostMessage; readonly webview: PublishWebviewMessage; readonly command: PublishCommand };
}

/** What the host posts to a panel of this kind. */
export type HostMessageOf<K extends PanelKind> = Protocols[K]['host'];
/** What a panel of this kind posts to the host. */
export type WebviewMessageOf<K extends PanelKind> = Protocols[K]['webview'];
/** What a panel of this kind posts besides the handshake: what its host class handles. */
export type CommandOf<K extends PanelKind> = Protocols[K]['command'];

/** State a webview keeps with setState (small, no payloads) and the serializer revives from. */
export type PanelState = InspectPanelState | PublishPanelState;

interface ProtocolRules<K extends PanelKind> {
  /** Checks what a webview of this kind posted. */
  readonly isWebviewMessage: (value: unknown) => value is WebviewMessageOf<K>;
  /** For every message type the host posts: dropped or queued until `ready`. */
  readonly delivery: Readonly<Record<HostMessageOf<K>['type'], Delivery>>;
}

const PROTOCOLS: { readonly [K in PanelKind]: ProtocolRules<K> } = {
  inspect: { isWebviewMessage: isInspectWebviewMessage, delivery: INSPECT_DELIVERY },
  publish: { isWebviewMessage: isPublishWebviewMessage, delivery: PUBLISH_DELIVERY },
};

/** Checks what a webview of this kind posted: the handshake, or a command for its host class. */
export function isWebviewMessageOf<K extends PanelKind>(kind: K, value: unknown): value is HandshakeMessage | CommandOf<K> {
  return PROTOCOLS[kind].isWebviewMessage(value);
}

/** What the host of this kind does with a message of this type posted before `ready`. */
export function deliveryOf(kind: PanelKind, type: string): Delivery | undefined {
  return (PROTOCOLS[kind].delivery as Readonly<Record<string, Delivery>>)[type];
}
