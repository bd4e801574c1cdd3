// CBOR (RFC 8949) through cbor2 (pure JS). Decoded on display only.
import { decodeSequence as cborSequence, encode } from 'cbor2';
import type { CodecImpl } from '../types';
import { errorText, l10n } from '../words';
import { decodeSequence } from './binaryJson';

export { useL10n } from '../words';

const cbor: CodecImpl = {
  decode(bytes) {
    return decodeSequence('CBOR', cborSequence(bytes));
  },
  encode(json) {
    try {
      return { bytes: encode(json) };
    } catch (e) {
      return { error: l10n.t('CBOR: {0}', errorText(e)) };
    }
  },
};

export const codecs: Record<string, CodecImpl> = { cbor };
