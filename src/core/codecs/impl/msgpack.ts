// MessagePack through @msgpack/msgpack (pure JS, no dependencies). Decoded on display only.
import { decodeMulti, encode } from '@msgpack/msgpack';
import type { CodecImpl } from '../types';
import { errorText, l10n } from '../words';
import { decodeSequence } from './binaryJson';

export { useL10n } from '../words';

const msgpack: CodecImpl = {
  decode(bytes) {
    return decodeSequence('MessagePack', decodeMulti(bytes, { useBigInt64: true }));
  },
  encode(json) {
    try {
      return { bytes: encode(json, { useBigInt64: true }) };
    } catch (e) {
      return { error: l10n.t('MessagePack: {0}', errorText(e)) };
    }
  },
};

export const codecs: Record<string, CodecImpl> = { msgpack };
