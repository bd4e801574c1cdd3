/**
 * Quoting a command-line word for the shell the user's terminal runs: POSIX sh (sh, bash, zsh,
 * dash…), fish, PowerShell or cmd.exe. Copy as command and Copy mosquitto_sub Command build
 * their words with these, so a pasted command passes every byte of a topic or payload as typed.
 * NUL cannot be passed in an argument by any of them, and cmd.exe cannot pass a line break: both
 * are refused with a ShellQuoteError.
 */

export type ShellKind = 'posix' | 'fish' | 'powershell' | 'cmd';

export const SHELL_LABEL: Record<ShellKind, string> = { posix: 'sh', fish: 'fish', powershell: 'PowerShell', cmd: 'cmd' };

export class ShellQuoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellQuoteError';
  }
}

/** The kind of shell a terminal shell path names (vscode.env.shell): bash, /usr/bin/fish, pwsh.exe, C:\Windows\System32\cmd.exe… */
export function shellKindOf(shellPath: string | undefined): ShellKind {
  const name = (shellPath ?? '').split(/[\\/]/).pop()!.toLowerCase().replace(/\.exe$/, '');
  if (name === 'fish') {
    return 'fish';
  }
  if (name === 'pwsh' || name === 'powershell') {
    return 'powershell';
  }
  if (name === 'cmd') {
    return 'cmd';
  }
  return 'posix';
}

/** Words that need no quotes in any of the four shells. */
const PLAIN = /^[A-Za-z0-9_@+=:,./-]+$/;

/** One argument, quoted for `shell` (plain words stay as they are). */
export function quoteWord(word: string, shell: ShellKind = 'posix'): string {
  if (word.includes('\u0000')) {
    throw new ShellQuoteError('An argument cannot contain the NUL character in any shell');
  }
  if (word !== '' && PLAIN.test(word)) {
    return word;
  }
  switch (shell) {
    case 'posix':
      // Inside '…' nothing is special; a ' ends it: 'it'\''s'.
      return `'${word.replace(/'/g, `'\\''`)}'`;
    case 'fish':
      // Inside '…' only \' and \\ are escapes.
      return `'${word.replace(/[\\']/g, (c) => `\\${c}`)}'`;
    case 'powershell':
      // Inside '…' a quote is doubled; PowerShell also takes the typographic single quotes as quotes.
      return `'${word.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c)}'`;
    case 'cmd':
      return quoteCmd(word);
  }
}

/**
 * cmd.exe and the MSVC argument rules of the program it starts: "…" with \" for a quote and
 * backslashes doubled before a quote; % (expanded even inside quotes) is written outside them as
 * ^%. A line break cannot be passed.
 */
function quoteCmd(word: string): string {
  if (/[\r\n]/.test(word)) {
    throw new ShellQuoteError('cmd.exe cannot pass a line break in an argument: use a file (-f) or another shell');
  }
  let out = '"';
  let backslashes = 0;
  for (const ch of word) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    if (ch === '"') {
      out += '\\'.repeat(backslashes * 2 + 1) + '"';
    } else if (ch === '%') {
      out += '\\'.repeat(backslashes) + '"^%"';
    } else {
      out += '\\'.repeat(backslashes) + ch;
    }
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/** How the shell reads an environment variable inside a command (the password is never copied). */
export function envReference(name: string, shell: ShellKind = 'posix'): string {
  switch (shell) {
    case 'posix':
    case 'fish':
      return `"$${name}"`;
    case 'powershell':
      return `$env:${name}`;
    case 'cmd':
      return `"%${name}%"`;
  }
}

/** A comment line in the shell's syntax. */
export function commentLine(text: string, shell: ShellKind = 'posix'): string {
  return shell === 'cmd' ? `rem ${text}` : `# ${text}`;
}
