// Localization of src/core's messages. src/core cannot use `vscode.l10n` (it runs in plain Node),
// so it calls `l10n.t()` of the `@vscode/l10n` package, which needs the bundle VS Code loaded for
// this extension. That package keeps the bundle in module state, and esbuild gives each bundle its
// own copy: dist/extension.js, and the lazily loaded dist/conf.js and dist/messages.js. So each of
// their entry points calls this (activate, createConfFeatures, createMessageFeatures); each call
// configures the copy bundled with the caller. In English `vscode.l10n.bundle` is undefined and
// `l10n.t()` returns the English text.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/** Gives this bundle's copy of `@vscode/l10n` the translations VS Code loaded (none in English). */
export function configureCoreL10n(bundle: { [key: string]: string } | undefined = vscode.l10n.bundle): void {
  if (bundle) {
    l10n.config({ contents: bundle });
  }
}
