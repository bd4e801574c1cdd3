// Localization of the webviews: the host sends `vscode.l10n.bundle` in `init` (absent in English);
// it goes to `@vscode/l10n` before the first render, and every user-visible string goes through
// `t('English text {0}', arg)`. Without a bundle `t` gives the English text back unchanged.
import * as l10n from '@vscode/l10n';
import { isL10nBundle } from '../../src/core/protocol/messages';

export const t = l10n.t;

/** Uses the bundle from `init` (when it is one) for every later `t()`. */
export function configureL10n(bundle: unknown): void {
  if (isL10nBundle(bundle)) {
    l10n.config({ contents: { ...bundle } });
  }
}
