// Localization of the webviews: the host sends `vscode.l10n.bundle` in `init` (absent in English);
// it goes to `@vscode/l10n` before the first render, and every user-visible string goes through
// `l10n.t('English text {0}', arg)` (spelled so, `npm run l10n:export` finds it). Without a bundle
// `l10n.t` gives the English text back unchanged.
import * as l10n from '@vscode/l10n';
import { isL10nBundle } from '../../src/core/protocol/shared';

/** Uses the bundle from `init` (when it is one) for every later `l10n.t()`. */
export function configureL10n(bundle: unknown): void {
  if (isL10nBundle(bundle)) {
    l10n.config({ contents: { ...bundle } });
  }
}
