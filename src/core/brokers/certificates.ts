/**
 * What a TLS server presents, and what is wrong with it, in words a user can act on (issue 23).
 * `probeCertificate` opens one TLS connection that sends nothing (no MQTT CONNECT, no AMQP
 * header, no password), reads the chain and closes; the problem is classified from OpenSSL's
 * verification result against the same CA the connection uses, and from the host-name check.
 */
import * as l10n from '@vscode/l10n';
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import type { Socket } from 'node:net';
import type { TlsSocketOptions } from './tlsFiles';

/**
 * The handshake check of a pinned certificate: anything but that fingerprint is refused before
 * the socket is handed to MQTT or AMQP, so no CONNECT and no password reach it. The host name is
 * not checked: the fingerprint names the one certificate the user looked at and trusted.
 */
export function pinnedIdentityCheck(sha256: string): (host: string, cert: tls.PeerCertificate) => Error | undefined {
  return (_host, cert) => {
    if (cert.fingerprint256 === sha256) {
      return undefined;
    }
    return Object.assign(new Error(pinMismatchMessage(cert.fingerprint256, sha256)), { code: PIN_MISMATCH });
  };
}

export const PIN_MISMATCH = 'ERR_TLS_PINNED_CERT_MISMATCH';

export function pinMismatchMessage(actual: string, expected: string): string {
  return l10n.t(
    "TLS: the server's certificate is not the one trusted for this connection — it presents SHA-256 {0}, the trusted one is {1}. Nothing was sent to it. If the broker's certificate was renewed, look at it (Show Certificate…) and trust it again.",
    actual,
    expected,
  );
}

/** One certificate of the chain, as shown to the user. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** Subject alternative names ("DNS:broker.example.com", "IP Address:127.0.0.1"). */
  readonly altNames: readonly string[];
  readonly validFrom: Date;
  readonly validTo: Date;
  /** SHA-256 fingerprint, upper-case hex pairs joined by ":". */
  readonly fingerprint256: string;
  readonly serialNumber: string;
  /** "RSA 2048 bits", "EC prime256v1". */
  readonly key: string;
  readonly selfIssued: boolean;
  readonly pem: string;
}

export type CertificateProblem =
  | { readonly kind: 'expired'; readonly validTo: Date }
  | { readonly kind: 'notYetValid'; readonly validFrom: Date }
  | { readonly kind: 'hostMismatch'; readonly host: string; readonly altNames: readonly string[]; readonly subject: string }
  | { readonly kind: 'selfSigned'; readonly subject: string }
  | { readonly kind: 'unknownIssuer'; readonly issuer: string }
  /** Not the certificate pinned for this connection (Trust This Certificate). */
  | { readonly kind: 'pinMismatch'; readonly actual: string; readonly expected: string }
  | { readonly kind: 'other'; readonly code: string };

export type CertificateProblemKind = CertificateProblem['kind'];

/** The problems a CA file or a pinned certificate fixes (Choose CA File…, Trust This Certificate). */
export function trustFixes(kind: CertificateProblemKind | undefined): boolean {
  return kind === 'selfSigned' || kind === 'unknownIssuer';
}

/** What Trust This Certificate keeps of the server's certificate: the leaf's fingerprint and PEM. */
export function pinOf(probe: CertificateProbe): { readonly sha256: string; readonly pem: string } | undefined {
  const leaf = probe.chain[0];
  return leaf ? { sha256: leaf.fingerprint256, pem: leaf.pem } : undefined;
}

export interface CertificateProbe {
  /** The server's chain, leaf first (as far as it sent it). */
  readonly chain: readonly CertificateSummary[];
  /** Set when the chain does not verify against the CA used, or the host name does not match. */
  readonly problem?: CertificateProblem;
  /** OpenSSL's / Node's code for the problem, e.g. CERT_HAS_EXPIRED. */
  readonly code?: string;
  /** Negotiated protocol (TLSv1.3) and ALPN protocol, if any. */
  readonly protocol?: string;
  readonly alpnProtocol?: string;
  /** The fingerprint pinned for this connection, if any. */
  readonly pinned?: string;
}

/** Reads the server's certificate chain without sending anything over the connection (over `via`, an open tunnel, when given). */
export function probeCertificate(host: string, port: number, options: Partial<TlsSocketOptions> & { alpnProtocols?: string[] } = {}, timeoutMs = 5000, via?: Socket): Promise<CertificateProbe> {
  const servername = options.servername || (isIp(host) ? undefined : host);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ...(via ? { socket: via } : {}),
      servername,
      ca: options.ca,
      secureContext: options.secureContext,
      allowPartialTrustChain: options.allowPartialTrustChain,
      cert: options.cert,
      key: options.key,
      pfx: options.pfx,
      passphrase: options.passphrase,
      ALPNProtocols: options.ALPNProtocols ?? options.alpnProtocols,
      // Verified below, the way a real connection would be; nothing is sent either way.
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(l10n.t('No TLS answer from {0}:{1} within {2} s', host, port, Math.round(timeoutMs / 1000))));
    }, timeoutMs);
    socket.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      try {
        const chain = chainOf(socket.getPeerCertificate(true));
        const verifyCode = socket.authorized ? undefined : String(socket.authorizationError ?? '');
        const leaf = chain[0];
        const pin = options.pinnedSha256;
        if (pin && leaf) {
          // A pinned connection trusts that certificate only, whatever its chain or names.
          const code = leaf.fingerprint256 !== pin ? PIN_MISMATCH : verifyCode && !PIN_REPLACES.has(verifyCode) ? verifyCode : undefined;
          resolve({
            chain,
            code,
            problem: code === PIN_MISMATCH ? { kind: 'pinMismatch', actual: leaf.fingerprint256, expected: pin } : code ? classify(code, leaf, chain, options.servername || host) : undefined,
            protocol: socket.getProtocol() ?? undefined,
            alpnProtocol: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : undefined,
            pinned: pin,
          });
          return;
        }
        let code = verifyCode;
        // OpenSSL checked the chain; the name is Node's check, which it skips after a chain error.
        if (!code && leaf) {
          const mismatch = tls.checkServerIdentity(options.servername || host, socket.getPeerCertificate());
          code = mismatch ? 'ERR_TLS_CERT_ALTNAME_INVALID' : undefined;
        }
        resolve({
          chain,
          code,
          problem: code && leaf ? classify(code, leaf, chain, options.servername || host) : undefined,
          protocol: socket.getProtocol() ?? undefined,
          alpnProtocol: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : undefined,
        });
      } finally {
        socket.destroy();
      }
    });
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function chainOf(peer: tls.DetailedPeerCertificate): CertificateSummary[] {
  const chain: CertificateSummary[] = [];
  const seen = new Set<string>();
  for (let c: tls.DetailedPeerCertificate | undefined = peer; c?.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    chain.push(summarize(new X509Certificate(c.raw)));
  }
  return chain;
}

/** The user-facing summary of one X.509 certificate. */
export function summarize(x: X509Certificate): CertificateSummary {
  const key = x.publicKey;
  const details = key.asymmetricKeyDetails;
  const keyText =
    key.asymmetricKeyType === 'ec'
      ? `EC ${details?.namedCurve ?? ''}`.trim()
      : `${(key.asymmetricKeyType ?? 'unknown').toUpperCase()}${details?.modulusLength ? ` ${details.modulusLength} bits` : ''}`;
  return {
    subject: oneLine(x.subject),
    issuer: oneLine(x.issuer),
    altNames: (x.subjectAltName ?? '')
      .split(/,\s*/)
      .map((s) => s.trim())
      .filter(Boolean),
    validFrom: new Date(x.validFrom),
    validTo: new Date(x.validTo),
    fingerprint256: x.fingerprint256,
    serialNumber: x.serialNumber,
    key: keyText,
    selfIssued: x.subject === x.issuer,
    pem: x.toString(),
  };
}

/** "CN=localhost, O=Example" from the multi-line form Node gives. */
function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

/** The common name of a distinguished name, else the whole name. */
export function commonName(dn: string): string {
  return /(?:^|, )CN=([^,]+)/.exec(dn)?.[1] ?? dn;
}

function classify(code: string, leaf: CertificateSummary, chain: readonly CertificateSummary[], host: string): CertificateProblem {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return { kind: 'expired', validTo: leaf.validTo };
    case 'CERT_NOT_YET_VALID':
      return { kind: 'notYetValid', validFrom: leaf.validFrom };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { kind: 'hostMismatch', host, altNames: leaf.altNames, subject: leaf.subject };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return { kind: 'selfSigned', subject: leaf.subject };
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      // The issuer the user must trust: the top of what the server sent.
      return { kind: 'unknownIssuer', issuer: (chain.at(-1)?.selfIssued ? chain.at(-1)!.subject : chain.at(-1)?.issuer) ?? leaf.issuer };
    default:
      return { kind: 'other', code };
  }
}

/** One sentence naming the case and the fix. */
export function describeCertificateProblem(problem: CertificateProblem): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  switch (problem.kind) {
    case 'expired':
      return l10n.t("TLS: the server's certificate expired on {0} — the broker needs a renewed certificate", day(problem.validTo));
    case 'notYetValid':
      return l10n.t("TLS: the server's certificate is not valid before {0} — check this machine's clock or the certificate's dates", day(problem.validFrom));
    case 'hostMismatch':
      return problem.altNames.length
        ? l10n.t("TLS: the server's certificate is not valid for {0}; it names {1} — connect by one of those names or set the server name (Edit Broker…)", problem.host, problem.altNames.join(', '))
        : l10n.t("TLS: the server's certificate is not valid for {0}; it has no alternative names, only {1}", problem.host, problem.subject);
    case 'selfSigned':
      return l10n.t("TLS: the server's certificate is self-signed ({0}) and not trusted — choose it as the CA file, or trust this certificate for this connection", commonName(problem.subject));
    case 'unknownIssuer':
      return l10n.t("TLS: the server's certificate was issued by {0}, which this connection does not trust — choose that CA's certificate as the CA file", commonName(problem.issuer));
    case 'pinMismatch':
      return pinMismatchMessage(problem.actual, problem.expected);
    case 'other':
      return l10n.t("TLS: the server's certificate was refused ({0})", problem.code);
  }
}

/** OpenSSL's codes of a chain that does not lead to a CA the connection trusts. */
const UNTRUSTED_CHAIN_CODES = ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'];

/** The checks a pinned certificate stands in for: its chain (the pin is the trust anchor) and its host names. */
const PIN_REPLACES: ReadonlySet<string> = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', ...UNTRUSTED_CHAIN_CODES]);

/** The error codes of a refused server certificate (a probe can tell the case apart). */
export const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  ...UNTRUSTED_CHAIN_CODES,
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  PIN_MISMATCH,
]);

/** A certificate that ends within this many days is warned about on connect. */
export const EXPIRY_WARNING_DAYS = 14;

/** The warning for a server or client certificate that expires soon, or undefined. */
export function expiryWarning(server: Date | undefined, client: Date | undefined, now = Date.now()): string | undefined {
  const soon = (d: Date | undefined) => d !== undefined && !Number.isNaN(d.getTime()) && d.getTime() - now < EXPIRY_WARNING_DAYS * 86_400_000;
  const left = (d: Date) => Math.max(0, Math.floor((d.getTime() - now) / 86_400_000));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const say = (whose: string, d: Date) => (left(d) === 1 ? l10n.t('{0} expires in 1 day ({1})', whose, day(d)) : l10n.t('{0} expires in {1} days ({2})', whose, left(d), day(d)));
  const parts: string[] = [];
  if (soon(server)) {
    parts.push(say(l10n.t("The server's TLS certificate"), server!));
  }
  if (soon(client)) {
    parts.push(say(l10n.t("This connection's client certificate"), client!));
  }
  return parts.length ? `${parts.join('; ')}: ${l10n.t('renew it before then, or connections will be refused')}` : undefined;
}

/** Days until `validTo` (negative once past). */
export function daysLeft(cert: Pick<CertificateSummary, 'validTo'>, now = Date.now()): number {
  return Math.floor((cert.validTo.getTime() - now) / 86_400_000);
}

/** The chain as a plain-text document (Show Server Certificate). Broker data is text only. */
export function formatCertificateReport(endpoint: string, probe: CertificateProbe, now = Date.now()): string {
  const lines: string[] = [];
  lines.push(l10n.t('TLS certificate chain presented by {0}', endpoint));
  if (probe.protocol) {
    lines.push(`${l10n.t('Protocol')}: ${probe.protocol}${probe.alpnProtocol ? ` · ALPN ${probe.alpnProtocol}` : ''}`);
  }
  lines.push(probe.problem ? `${l10n.t('Verdict')}: ${describeCertificateProblem(probe.problem)}` : `${l10n.t('Verdict')}: ${l10n.t('trusted by this connection (chain and host name verified)')}`);
  if (probe.pinned && !probe.problem) {
    lines.push(`${l10n.t('Trust')}: ${l10n.t('this exact certificate is trusted for this connection (SHA-256 {0}); chain and host name are not checked', probe.pinned)}`);
  }
  if (trustFixes(probe.problem?.kind)) {
    lines.push(
      `${l10n.t('Fix')}: ${l10n.t("Choose CA File… (the issuer's certificate) trusts its CA, or Trust This Certificate… trusts this exact certificate (its SHA-256 fingerprint) for this connection — both on this document's title bar")}`,
    );
  } else if (probe.problem?.kind === 'pinMismatch') {
    lines.push(`${l10n.t('Fix')}: ${l10n.t('if this is the broker\'s renewed certificate, Trust This Certificate… (on this document\'s title bar) trusts it instead of the old one')}`);
  }
  probe.chain.forEach((c, i) => {
    lines.push('');
    lines.push(`#${i} ${i === 0 ? l10n.t('server certificate') : c.selfIssued ? l10n.t('root') : l10n.t('intermediate')}`);
    lines.push(`  ${l10n.t('Subject')}:     ${c.subject}`);
    lines.push(`  ${l10n.t('Issuer')}:      ${c.issuer}${c.selfIssued ? ` (${l10n.t('self-issued')})` : ''}`);
    if (c.altNames.length) {
      lines.push(`  ${l10n.t('Names')}:       ${c.altNames.join(', ')}`);
    }
    const left = daysLeft(c, now);
    lines.push(`  ${l10n.t('Valid')}:       ${c.validFrom.toISOString()} → ${c.validTo.toISOString()} (${left < 0 ? l10n.t('expired {0} days ago', -left) : c.validFrom.getTime() > now ? l10n.t('not valid yet') : l10n.t('{0} days left', left)})`);
    lines.push(`  ${l10n.t('Key')}:         ${c.key}`);
    lines.push(`  ${l10n.t('Serial')}:      ${c.serialNumber}`);
    lines.push(`  SHA-256:     ${c.fingerprint256}`);
  });
  lines.push('');
  for (const c of probe.chain) {
    lines.push(c.pem.trim());
  }
  return lines.join('\n') + '\n';
}
