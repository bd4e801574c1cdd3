// The inspector's filter box: plain text (case-insensitive substring) or `/regex/flags`, matched
// against the topic and the payload text. Pure logic (no DOM).
import * as l10n from '@vscode/l10n';

export type MessageFilter =
  | { readonly ok: true; readonly empty: boolean; readonly source: string; readonly test: (topic: string, text: () => string | undefined) => boolean }
  | { readonly ok: false; readonly source: string; readonly error: string };

const REGEX_LITERAL = /^\/(.*)\/([a-z]*)$/s;

/** Parses what was typed in the filter box. Never throws: an invalid regex comes back as `ok: false`. */
export function parseFilter(input: string): MessageFilter {
  const source = input;
  const trimmed = input.trim();
  if (trimmed === '') {
    return { ok: true, empty: true, source, test: () => true };
  }
  const literal = REGEX_LITERAL.exec(trimmed);
  if (literal && trimmed.length > 1) {
    const body = literal[1] ?? '';
    // `g` and `y` make test() stateful (lastIndex); they mean nothing for a filter.
    const flags = (literal[2] ?? '').replace(/[gy]/g, '');
    if (body === '') {
      return { ok: false, source, error: l10n.t('Empty regular expression') };
    }
    let re: RegExp;
    try {
      re = new RegExp(body, flags);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // V8: "Invalid regular expression: /(a/: Unterminated group" → keep the reason only.
      const reason = message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
      return { ok: false, source, error: l10n.t('Invalid regular expression: {0}', reason) };
    }
    return {
      ok: true,
      empty: false,
      source,
      test: (topic, text) => {
        if (re.test(topic)) {
          return true;
        }
        const payload = text();
        return payload !== undefined && re.test(payload);
      },
    };
  }
  const needle = trimmed.toLowerCase();
  return {
    ok: true,
    empty: false,
    source,
    test: (topic, text) => {
      if (topic.toLowerCase().includes(needle)) {
        return true;
      }
      const payload = text();
      return payload !== undefined && payload.toLowerCase().includes(needle);
    },
  };
}
