// Test-only: what each panel posted to its webview, counted. The extension creates it only when it
// runs under test (ExtensionMode.Test: the integration tests, the benchmarks) and hands it out as
// `testing.panelPosts` of its API; in normal use no panel has an observer and nothing is counted.
import type { InspectedMessage } from '../core/protocol/inspect';
import type { HostMessageOf } from '../core/protocol/panels';
import type { PanelKind } from '../core/protocol/shared';
import type { PanelHost, PostObserver } from './panelHost';

interface Counts {
  posts: number;
  appended: number;
  /** Messages the appends said were not shown (`skipped`). */
  skipped: number;
  /** The newest messages posted (snapshot, then appends; at most LAST_KEPT), as the webview got them. */
  last: InspectedMessage[];
}

const LAST_KEPT = 100;

export class PanelPostCounts implements PostObserver {
  private readonly counts = new WeakMap<PanelHost<PanelKind>, Counts>();

  posted(panel: PanelHost<PanelKind>, message: HostMessageOf<PanelKind>): void {
    let c = this.counts.get(panel);
    if (!c) {
      c = { posts: 0, appended: 0, skipped: 0, last: [] };
      this.counts.set(panel, c);
    }
    c.posts++;
    if (message.type === 'messages/append') {
      c.appended += message.messages.length;
      c.skipped += message.skipped ?? 0;
      c.last.push(...message.messages.slice(-LAST_KEPT));
      if (c.last.length > LAST_KEPT) {
        c.last.splice(0, c.last.length - LAST_KEPT);
      }
    } else if (message.type === 'messages/snapshot') {
      c.last = message.messages.slice(-LAST_KEPT);
    }
  }

  /** postMessage calls the panel made (the inspector's batching is measured by it). */
  posts(panel: PanelHost<PanelKind>): number {
    return this.counts.get(panel)?.posts ?? 0;
  }

  /** Messages the panel's appends said were not shown (arrived faster than the list keeps them). */
  skippedMessages(panel: PanelHost<PanelKind>): number {
    return this.counts.get(panel)?.skipped ?? 0;
  }

  /** The newest messages (up to 100) the panel posted, snapshot then appends, as posted. */
  lastPosted(panel: PanelHost<PanelKind>): readonly InspectedMessage[] {
    return this.counts.get(panel)?.last ?? [];
  }

  /** Messages the panel posted in `messages/append` batches (compared with what its source delivered). */
  appendedMessages(panel: PanelHost<PanelKind>): number {
    return this.counts.get(panel)?.appended ?? 0;
  }
}
