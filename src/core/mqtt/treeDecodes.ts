// Decoded previews for topic rows (issue 20): a row whose last payload may be encoded (binary,
// under spBv1.0/, or with an MQTT 5 content type that is not JSON or text) is decoded on display,
// never at ingest: when VS Code renders the row, its last message is handed to the payload
// decoders (dist/decoders.js, loaded on the first such row) and the row is refreshed once the
// result is in. Until then the row keeps showing the previous decoded form, so a busy binary topic
// does not flicker between hex and JSON. A few decodes run at a time; the rest wait their turn.
import type { StoredMessage } from './messageStore';
import { compactJson, mayBeEncoded } from '../format/encoded';
import type { TopicNode } from './topicNode';
import type { DecodedPayload } from '../protocol/inspect';

/** Bytes of a payload a row's decode reads (and the decoded text's limit). */
export const TREE_DECODE_BYTES = 64 * 1024;
/** Decodes running at once. */
const CONCURRENT = 4;

export type TreeDecodeFn = (brokerId: string, topic: string, message: StoredMessage) => Promise<DecodedPayload>;

interface Entry {
  /** `node.messages` when the decode started: a newer message makes it stale. */
  version: number;
  running: boolean;
  /** The last finished decode that a codec claimed (undefined: plain, or none yet). */
  shown: DecodedPayload | undefined;
}

/** The decoded text on one line, for a row's description: compact JSON when it is JSON. */
export function oneLine(text: string, max: number): string {
  const line = compactJson(text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export class TreeDecodes {
  private readonly entries = new WeakMap<TopicNode, Entry>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly decode: TreeDecodeFn,
    /** A row's decode finished with a new form: refresh it. */
    private readonly changed: (node: TopicNode) => void,
  ) {}

  /** The decoded form to show for the node's last message; starts decoding a newer one. */
  get(brokerId: string, node: TopicNode): DecodedPayload | undefined {
    const last = node.last;
    if (!last) {
      return undefined;
    }
    let entry = this.entries.get(node);
    if (entry?.version === node.messages || entry?.running) {
      return entry.shown;
    }
    if (!entry) {
      entry = { version: node.messages, running: false, shown: undefined };
      this.entries.set(node, entry);
    }
    if (!mayBeEncoded(node.topic, last)) {
      // Checked again once a message arrives that this row has not seen.
      entry.version = node.messages;
      entry.shown = undefined;
      return undefined;
    }
    this.start(brokerId, node, entry, last);
    return entry.shown;
  }

  private start(brokerId: string, node: TopicNode, entry: Entry, last: StoredMessage): void {
    entry.version = node.messages;
    entry.running = true;
    // The stored bytes are a view into the store's segment: copy what the decode reads.
    const message: StoredMessage = { ...last, payload: last.payload.slice(0, TREE_DECODE_BYTES) };
    const run = (): void => {
      this.running++;
      this.decode(brokerId, node.topic, message)
        .then(
          (d) => {
            const before = entry.shown;
            entry.shown = d.codecs.length > 0 ? d : undefined;
            if (entry.shown !== before) {
              this.changed(node);
            }
          },
          () => {
            entry.shown = undefined;
          },
        )
        .finally(() => {
          // A message that came in meanwhile is decoded when the row renders again (the refresh above, or the tick's).
          entry.running = false;
          this.running--;
          this.waiting.shift()?.();
        });
    };
    if (this.running < CONCURRENT) {
      run();
    } else {
      this.waiting.push(run);
    }
  }
}
