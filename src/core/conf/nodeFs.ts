// The real file system for the linter (CLI and extension host). Every failure reads as "not there".

import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { ConfFs } from './types';

export const nodeFs: ConfFs = {
  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  stat(path: string): 'file' | 'dir' | undefined {
    try {
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) {
        return undefined;
      }
      return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  readDir(path: string): string[] | undefined {
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  },
};
