// How a feature opens the publish and inspect panels: the features receive this interface, so no
// feature's glue imports src/panels (which is wired to them in extension.ts).
import type { InspectSource } from '../core/protocol/inspect';
import type { PublishDraft } from '../core/protocol/publish';

export interface PublishTarget {
  readonly brokerId?: string;
  readonly draft?: PublishDraft;
}

export interface PanelOpener {
  /** Opens (or reveals) the inspector of this source; resolves when it shows. */
  inspect(source: InspectSource, options?: { preserveFocus?: boolean }): Promise<{ readonly source: InspectSource; readonly buffer: { readonly size: number } }>;
  /** Opens (or reveals and retargets) the publish panel. */
  publish(options?: PublishTarget): void;
  /** Drafts sent from the publish panel to this broker, newest first (empty when it was never opened). */
  publishHistory(brokerId: string): readonly { readonly draft: PublishDraft }[];
}
