import { readFile } from 'node:fs/promises';
import { ConnectError } from './connection';
import type { TlsOptions } from './profile';

export interface TlsSocketOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  passphrase?: string;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** A profile's TLS settings with `defaultCaFile` as CA when the profile names none. */
export function withDefaultCa(tls: TlsOptions | undefined, defaultCaFile: string | undefined): TlsOptions | undefined {
  return defaultCaFile && !tls?.caFile ? { ...tls, caFile: defaultCaFile } : tls;
}

/**
 * Node TLS options from a profile's TLS settings. Files are read at each connection, so a renewed
 * certificate applies on reconnect; a file that cannot be read is a plain-words ConnectError.
 */
export async function readTlsOptions(tls: TlsOptions = {}, passphrase?: string): Promise<TlsSocketOptions> {
  const read = async (what: string, file: string | undefined): Promise<Buffer | undefined> => {
    if (!file) {
      return undefined;
    }
    try {
      return await readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConnectError(`Cannot read the ${what} file ${file}${code === 'ENOENT' ? ': it does not exist' : code === 'EACCES' ? ': permission denied' : ''}`, false);
    }
  };
  return {
    ca: await read('CA certificate', tls.caFile),
    cert: await read('client certificate', tls.certFile),
    key: await read('client key', tls.keyFile),
    passphrase: passphrase || undefined,
    rejectUnauthorized: tls.verify !== false,
    servername: tls.servername || undefined,
  };
}
