/**
 * Broker data (topic names, payloads, exchange and queue names, header values, broker names from
 * a shared brokers.json) shown where VS Code renders markup: Markdown tooltips, notifications
 * (which turn `[label](command:…)` into clickable command links) and quick picks (`$(icon)`).
 * Everything here keeps such text inert; nothing is dropped.
 */

/**
 * Inline Markdown text: every ASCII punctuation character is backslash-escaped (CommonMark allows
 * that for all of them), so no emphasis, link, HTML, autolink, reference definition or `$(icon)`
 * can start inside it; line breaks become spaces so the text cannot open a block.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A fenced code block that `text` cannot close: the fence is longer than any backtick run in it. */
export function codeFence(text: string, language = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** An inline code span `text` cannot close (its content is literal: no escapes, no markup). */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const tick = '`'.repeat(longest + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ` ${flat} ` : flat;
  return `${tick}${padded}${tick}`;
}

/**
 * A notification message: VS Code makes `[label](https://…|command:…|file:…)` in it a link it
 * opens with commands allowed. A zero-width space between `]` and `(` keeps the text as it reads
 * and leaves no link.
 */
export function noLinks(text: string): string {
  return text.replace(/\]\(/g, ']\u200b(');
}

/** Quick pick labels, descriptions and titles render `$(name)` as an icon; `\$(name)` shows as typed. */
export function escapeIcons(text: string): string {
  // Idempotent: an escaped \$( stays as it is, so texts escaped twice show no backslash.
  return text.replace(/(?<!\\)\$\(/g, '\\$(');
}

/**
 * An input box prompt or validation message: VS Code renders links in it (opened with commands
 * allowed) and icons. Broker names from a shared brokers.json go through this.
 */
export function promptText(text: string): string {
  return escapeIcons(noLinks(text));
}
