import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import { ConnectError } from './connection';
import type { PeerCertificate } from 'node:tls';
import { pinnedIdentityCheck } from './certificates';
import type { TlsOptions } from './profile';

export interface TlsSocketOptions {
  ca?: Buffer | string[];
  cert?: Buffer;
  key?: Buffer;
  passphrase?: string;
  rejectUnauthorized: boolean;
  servername?: string;
  /** Set with a pinned certificate: refuses every other certificate during the handshake. */
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
  /** With a pinned certificate that is not self-signed: it is the trust anchor itself. */
  allowPartialTrustChain?: boolean;
  /** The pinned fingerprint (for the probe's verdict; tls.connect ignores it). */
  pinnedSha256?: string;
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
      throw new ConnectError(
        code === 'ENOENT'
          ? l10n.t('Cannot read the {0} file {1}: it does not exist', what, file)
          : code === 'EACCES'
            ? l10n.t('Cannot read the {0} file {1}: permission denied', what, file)
            : l10n.t('Cannot read the {0} file {1}', what, file),
        false,
      );
    }
  };
  const pinned = tls.pinned;
  return {
    // A pinned certificate is the only trust anchor: the CA file and the default roots are not used.
    ca: pinned ? [pinned.pem] : await read(l10n.t('CA certificate'), tls.caFile),
    cert: await read(l10n.t('client certificate'), tls.certFile),
    key: await read(l10n.t('client key'), tls.keyFile),
    passphrase: passphrase || undefined,
    // A pin is verification (of one certificate), never off.
    rejectUnauthorized: pinned ? true : tls.verify !== false,
    servername: tls.servername || undefined,
    ...(pinned ? { checkServerIdentity: pinnedIdentityCheck(pinned.sha256), allowPartialTrustChain: true, pinnedSha256: pinned.sha256 } : {}),
  };
}
