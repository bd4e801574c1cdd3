// Whether a payload may be encoded (gzip, MessagePack, CBOR, Protobuf, Sparkplug B…), told cheaply
// on display: the tree's rows, the inspector's Diff and Export decode only such payloads.
import { decodeText } from './bytes';

/** Bytes of a payload looked at to tell binary from text. */
const SNIFF_BYTES = 256;
const PLAIN_TYPES = /^(application\/(json|[\w.+-]*\+json)|text\/)/i;

/** Whether a message may be encoded: worth a decode for its row (plain JSON and text never are). */
export function mayBeEncoded(topic: string, m: { readonly payload: Uint8Array; readonly size: number; readonly properties?: Readonly<Record<string, unknown>> }): boolean {
  if (topic.startsWith('spBv1.0/')) {
    return true;
  }
  const contentType = m.properties?.contentType;
  if (typeof contentType === 'string' && contentType.trim() !== '' && !PLAIN_TYPES.test(contentType.trim())) {
    return true;
  }
  // Not UTF-8 within its first bytes (a cut sequence at the end of the sample is allowed): cheap
  // on a render, and what protobuf, MessagePack, CBOR and gzip payloads look like.
  const head = m.payload.subarray(0, SNIFF_BYTES);
  return head.length > 0 && decodeText(head, head.length < m.size) === undefined;
}


/** Decoded JSON without its indentation (the decoders give it indented); any other text as it is. */
export function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}
