// Test-only: what each panel posted to its webview, counted. The extension creates it only when it
// runs under test (ExtensionMode.Test: the integration tests, the benchmarks) and hands it out as
// `testing.panelPosts` of its API; in normal use no panel has an observer and nothing is counted.
import type { HostMessageOf } from '../core/protocol/panels';
import type { PanelKind } from '../core/protocol/shared';
import type { PanelHost, PostObserver } from './panelHost';

interface Counts {
  posts: number;
  appended: number;
}

export class PanelPostCounts implements PostObserver {
  private readonly counts = new WeakMap<PanelHost<PanelKind>, Counts>();

  posted(panel: PanelHost<PanelKind>, message: HostMessageOf<PanelKind>): void {
    let c = this.counts.get(panel);
    if (!c) {
      c = { posts: 0, appended: 0 };
      this.counts.set(panel, c);
    }
    c.posts++;
    if (message.type === 'messages/append') {
      c.appended += message.messages.length;
    }
  }

  /** postMessage calls the panel made (the inspector's batching is measured by it). */
  posts(panel: PanelHost<PanelKind>): number {
    return this.counts.get(panel)?.posts ?? 0;
  }

  /** Messages the panel posted in `messages/append` batches (compared with what its source delivered). */
  appendedMessages(panel: PanelHost<PanelKind>): number {
    return this.counts.get(panel)?.appended ?? 0;
  }
}
