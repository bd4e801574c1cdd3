// The decoder glue's own bundle (dist/decoders.js), loaded on the first decode or Sparkplug
// message (decodersLazy.ts): the codec registry, .vscode/decoders.json and the Decoded tab's
// decoder stay out of dist/extension.js, so activation does not grow.
import { loadSparkplug } from '../core/codecs/registry';
import type { Logger } from '../shared/log';
import { configureCoreL10n } from '../shared/l10n';
import { DecodersJson } from './decodersJson';
import { PayloadDecoders, type SparkplugNamesOf } from './payloadDecoder';

export { loadSparkplug };

export function createDecoders(log: Logger, sparkplug: SparkplugNamesOf): { decoders: PayloadDecoders; decodersJson: DecodersJson } {
  // This bundle has its own copy of @vscode/l10n: src/core's words in VS Code's language here too.
  configureCoreL10n();
  const decodersJson = new DecodersJson(log);
  return { decoders: new PayloadDecoders(decodersJson, sparkplug, decodersJson), decodersJson };
}
