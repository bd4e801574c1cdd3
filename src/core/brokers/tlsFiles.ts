import * as l10n from '@vscode/l10n';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ConnectError } from './connection';
import * as tlsModule from 'node:tls';
import { createSecureContext, type PeerCertificate, type SecureContext } from 'node:tls';
import { pinnedIdentityCheck } from './certificates';
import type { TlsOptions } from './profile';

export interface TlsSocketOptions {
  ca?: Buffer | string[];
  /** The CA file added to the default roots (instead of `ca`, which would replace them). */
  secureContext?: SecureContext;
  cert?: Buffer;
  key?: Buffer;
  /** PKCS#12 (.p12 / .pfx) client certificate and key; `passphrase` opens it. */
  pfx?: Buffer;
  ALPNProtocols?: string[];
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
  const ca = pinned ? undefined : await read(l10n.t('CA certificate'), tls.caFile);
  const pfx = await read(l10n.t('PKCS#12 client certificate'), tls.pfxFile);
  const base = {
    cert: await read(l10n.t('client certificate'), tls.certFile),
    key: await read(l10n.t('client key'), tls.keyFile),
    pfx,
    passphrase: passphrase || undefined,
    // A pin is verification (of one certificate), never off.
    rejectUnauthorized: pinned ? true : tls.verify !== false,
    servername: tls.servername || undefined,
    ...(tls.alpnProtocols?.length ? { ALPNProtocols: [...tls.alpnProtocols] } : {}),
  };
  if (pfx) {
    // A wrong passphrase or a file that is no PKCS#12 is said now, in words (tls.connect would throw deep inside the client).
    secureContextOf(base, tls.pfxFile!);
  }
  if (pinned) {
    // A pinned certificate is the only trust anchor: the CA file and the default roots are not used.
    return { ...base, ca: [pinned.pem], checkServerIdentity: pinnedIdentityCheck(pinned.sha256), allowPartialTrustChain: true, pinnedSha256: pinned.sha256 };
  }
  if (ca && !tls.caOnly) {
    return { ...base, ...addedToDefaultRoots(ca, () => secureContextOf(base, tls.pfxFile ?? tls.certFile ?? '')) };
  }
  return { ...base, ca };
}

type TlsWithStores = typeof tlsModule & { getCACertificates?: (type?: 'default' | 'system' | 'bundled' | 'extra') => string[] };

/**
 * A CA file added to the roots a connection without one trusts. Node 22.15+ (it has
 * tls.getCACertificates): a secure context with Node's default store plus the file, so VS Code's
 * system-certificates patch (which adds the OS certificates only when no `ca` is given) still
 * applies. Node 20, whose added certificates would replace NODE_EXTRA_CA_CERTS: the list itself —
 * Node's bundled roots, NODE_EXTRA_CA_CERTS, the file.
 */
function addedToDefaultRoots(ca: Buffer, context: () => SecureContext): Pick<TlsSocketOptions, 'ca' | 'secureContext'> {
  if ((tlsModule as TlsWithStores).getCACertificates) {
    const secureContext = context();
    const native = secureContext.context as { addCACert?: (pem: Buffer) => void } | undefined;
    if (native?.addCACert) {
      native.addCACert(ca);
      return { secureContext };
    }
  }
  return { ca: [...defaultRoots(), ca.toString('utf8')] };
}

let extraCerts: string | undefined;

/** The roots Node trusts by default: its default store (with NODE_EXTRA_CA_CERTS) and, where Node can read it (22.15+), the OS store. */
export function defaultRoots(): string[] {
  const get = (tlsModule as TlsWithStores).getCACertificates;
  if (get) {
    return [...new Set([...get('default'), ...get('system')])];
  }
  const extraFile = process.env.NODE_EXTRA_CA_CERTS;
  if (extraFile && extraCerts === undefined) {
    try {
      extraCerts = readFileSync(extraFile, 'utf8');
    } catch {
      extraCerts = '';
    }
  }
  return [...tlsModule.rootCertificates, ...(extraCerts ? [extraCerts] : [])];
}

/** A secure context with the client certificate (PEM pair or PKCS#12); a key that cannot be used is a plain-words ConnectError. */
function secureContextOf(options: { cert?: Buffer; key?: Buffer; pfx?: Buffer; passphrase?: string }, file: string): SecureContext {
  try {
    return createSecureContext({ cert: options.cert, key: options.key, pfx: options.pfx, passphrase: options.passphrase });
  } catch (err) {
    const text = String((err as Error).message ?? err);
    throw new ConnectError(
      /mac verify|bad decrypt|passphrase|decrypt/i.test(text)
        ? options.passphrase
          ? l10n.t('Cannot use the client certificate {0}: the saved passphrase does not open it', file)
          : l10n.t('Cannot use the client certificate {0}: it needs a passphrase (Edit Broker…, Key passphrase)', file)
        : l10n.t('Cannot use the client certificate {0}: {1}', file, text),
      false,
    );
  }
}
