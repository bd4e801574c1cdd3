/** A draft's payload as the bytes to send: its text read in its format (text, JSON, base64, hex). */
import { fromBase64, fromHex, utf8Encode } from '../format/bytes';
import { jsonError } from '../format/jsonErrors';
import type { PublishDraft } from '../protocol/publish';

/** The bytes to send for this draft. Throws an Error in plain words when the payload is invalid for its format. */
export function encodeDraftPayload(draft: PublishDraft): Uint8Array {
  switch (draft.format) {
    case 'text':
      return utf8Encode(draft.payload);
    case 'json':
      try {
        JSON.parse(draft.payload);
      } catch (e) {
        throw new Error(jsonError(draft.payload, e instanceof Error ? e.message : undefined).error, { cause: e });
      }
      return utf8Encode(draft.payload);
    case 'base64':
      return fromBase64(draft.payload);
    case 'hex':
      return fromHex(draft.payload);
    default:
      throw new Error(`Unknown payload format "${String((draft as { format: unknown }).format)}": use text, json, base64 or hex`);
  }
}
