// Decoded one-line previews for the message list (issue 20): a row whose payload may be encoded
// (binary, a codec's content type, spBv1.0/) asks the host to decode it when the row is drawn, a
// few at a time, newest first; the row shows the bytes until the answer comes, then the decoded
// text. Asks for rows that scrolled away are dropped, so a fast live list never builds a backlog.
import type { InspectedMessage } from '../../src/core/protocol/inspect';
import { compactJson, mayBeEncoded } from '../../src/core/format/encoded';
import { oneLine } from './display';

/** Host decodes running at once. */
const CONCURRENT = 4;
/** Asks waiting at most; older ones are dropped (asked again if their row is drawn again). */
const WAITING = 48;

export class DecodedPreviews {
  /** The decoded one-line text, or null when no codec decoded it. */
  private readonly texts = new WeakMap<InspectedMessage, string | null>();
  private readonly asked = new WeakSet<InspectedMessage>();
  private readonly waiting: InspectedMessage[] = [];
  private running = 0;

  constructor(
    /** The host's decoded text of a message when a codec decoded it. */
    private readonly decode: (m: InspectedMessage) => Promise<string | undefined>,
    /** A preview is ready: redraw the message's row if it is shown. */
    private readonly ready: (m: InspectedMessage) => void,
  ) {}

  /** The decoded preview if known; asks the host for it otherwise (when the payload may be encoded). */
  get(m: InspectedMessage): string | undefined {
    const t = this.texts.get(m);
    if (t !== undefined) {
      return t ?? undefined;
    }
    if (!this.asked.has(m) && mayBeEncoded(m.topic, m)) {
      this.asked.add(m);
      this.waiting.push(m);
      if (this.waiting.length > WAITING) {
        this.asked.delete(this.waiting.shift()!);
      }
      this.pump();
    }
    return undefined;
  }

  private pump(): void {
    while (this.running < CONCURRENT && this.waiting.length > 0) {
      const m = this.waiting.pop()!; // newest first: what a following list shows
      this.running++;
      void this.decode(m)
        .then(
          (text) => {
            this.texts.set(m, text === undefined ? null : oneLine(compactJson(text)));
            if (text !== undefined) {
              this.ready(m);
            }
          },
          () => this.texts.set(m, null),
        )
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
