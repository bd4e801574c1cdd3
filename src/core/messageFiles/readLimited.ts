// Reading a `< path` body with a limit: a regular file larger than the limit is refused from its
// size, and anything else (a device such as /dev/zero, a FIFO, a file still growing) is read in
// chunks and refused as soon as it passes the limit — never read whole.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { formatMegabytes } from '../format/bytes';

const CHUNK = 64 * 1024;

export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly limit: number,
  ) {
    super(l10n.t('it is larger than {0} MB, the limit of brokerExplorer.limits.payloadMegabytes, so it is not read', formatMegabytes(limit)));
    this.name = 'FileTooLargeError';
  }
}

/** The file's bytes, at most `limit` of them; throws FileTooLargeError past it (and fs errors as they come). */
export function readFileUpTo(path: string, limit: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > limit) {
      throw new FileTooLargeError(path, limit);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) {
        break;
      }
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > limit) {
        throw new FileTooLargeError(path, limit);
      }
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
