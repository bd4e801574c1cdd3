// Paths a configuration names: resolved the way mosquitto does (no node:path: the core also runs in
// web workers), the order include_dir reads a directory in, and the check that what an option
// names exists as the kind of thing it must be.

import * as l10n from '@vscode/l10n';
import { findOption } from '../optionLookup';
import type { ConfFix, OptionInfo } from '../types';
import type { LintState, Loc } from './state';

export function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

export function dirname(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (i < 0) {
    return '.';
  }
  if (i === 0) {
    return '/';
  }
  return p.slice(0, i);
}

export function joinPath(dir: string, name: string): string {
  if (dir.endsWith('/') || dir.endsWith('\\')) {
    return dir + name;
  }
  return `${dir}/${name}`;
}

export function resolvePath(base: string, p: string): string {
  return isAbsolute(p) ? p : joinPath(base, p);
}

/** The order of mosquitto's scmp_p: case-insensitive first, then by case, then shorter first. */
export function compareIncludeNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    const ux = x >= 0x61 && x <= 0x7a ? x - 32 : x;
    const uy = y >= 0x61 && y <= 0x7a ? y - 32 : y;
    if (ux !== uy) {
      return ux - uy;
    }
    if (x !== y) {
      return x - y;
    }
  }
  return a.length - b.length;
}

/** `a/./b/../c` → `a/c`, with forward slashes (no node:path here). */
export function normalizePath(p: string): string {
  const unified = p.replace(/\\/g, '/');
  const lead = unified.startsWith('/') ? '/' : '';
  const out: string[] = [];
  for (const part of unified.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      out.pop();
    } else {
      out.push(part);
    }
  }
  return lead + out.join('/');
}

/** `\\host\share\x` or `//host/share/x`: a network path. */
export function isUncPath(p: string): boolean {
  return /^(\\\\|\/\/)[^\\/]/.test(p);
}

/**
 * Why `path` may not be looked at, or undefined when it may: a network (UNC) path never (on
 * Windows, opening one sends the user's credentials to that host), and in an untrusted folder
 * nothing outside the workspace.
 */
export function outOfReach(lx: LintState, path: string): string | undefined {
  if (isUncPath(path)) {
    return l10n.t('{0} is a network path: not checked (opening it would send your credentials to that host).', path);
  }
  const reach = lx.reach;
  if (reach && !reach.trusted) {
    const p = normalizePath(path);
    const inside = reach.roots.some((r) => {
      const root = normalizePath(r);
      return p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`);
    });
    if (!inside) {
      return l10n.t('{0} is outside the workspace: not checked in an untrusted folder.', path);
    }
  }
  return undefined;
}

/** Warns when the file or directory `loc` names (for option `name`: the catalog says which kind) is not there. */
export function fileCheck(lx: LintState, name: string, loc: Loc | undefined, kindOverride?: OptionInfo['path']): void {
  const fs = lx.fs;
  const kind = kindOverride ?? findOption(name)?.path;
  if (!fs || !loc || !kind) {
    return;
  }
  const path = resolvePath(lx.baseDir, loc.value);
  const target = kind === 'parent' ? dirname(path) : path;
  const notChecked = outOfReach(lx, target);
  if (notChecked) {
    lx.add(loc.file, loc.span, 'info', 'not-checked', notChecked);
    return;
  }
  let st: 'file' | 'dir' | undefined;
  try {
    st = fs.stat(target);
  } catch {
    st = undefined;
  }
  const want = kind === 'file' ? 'file' : 'dir';
  if (st === want) {
    return;
  }
  const what = kind === 'file' ? l10n.t('File') : l10n.t('Directory');
  // A warning, not an error: the file may exist on the host the broker runs on. Say what is
  // known (not on this machine) and what mosquitto does when it is missing there too.
  const msg = st === undefined
    ? l10n.t('{0} not found on this machine: {1}{2}. mosquitto refuses to start if it cannot read it there.', what, target, kind === 'parent' ? l10n.t(' (for {0})', path) : '')
    : l10n.t('{0} is a {1} on this machine, but "{2}" needs a {3}. mosquitto refuses to start if it cannot read it there.', target, st === 'dir' ? l10n.t('directory') : l10n.t('file'), name, want === 'dir' ? l10n.t('directory') : l10n.t('file'));
  const fixes: ConfFix[] = [];
  if (name === 'password_file' && st === undefined) {
    fixes.push({ kind: 'createPasswordFile', title: l10n.t('Create the password file with mosquitto_passwd'), path });
  }
  const rel = isAbsolute(loc.value) ? '' : l10n.t(" Relative paths are resolved against mosquitto's working directory (assumed: {0}).", lx.baseDir);
  lx.add(loc.file, loc.span, 'warning', 'missing-file', `${msg}${rel}`, fixes);
}
