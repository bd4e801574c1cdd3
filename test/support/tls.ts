import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/**
 * A throw-away CA with a server certificate for localhost / 127.0.0.1 and a client certificate,
 * made with openssl.
 */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'be-pki-'));
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Broker Explorer Test CA', '-keyout', f('ca.key'), '-out', f('ca.crt'));
  writeFileSync(f('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', f('server.key'), '-out', f('server.csr'));
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('server.ext'), '-out', f('server.crt'));
  writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=sensor-client', '-keyout', f('client.key'), '-out', f('client.csr'));
  ssl('x509', '-req', '-in', f('client.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('client.ext'), '-out', f('client.crt'));
  return { dir, ca: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'), clientCert: f('client.crt'), clientKey: f('client.key') };
}

export interface BadCertificates {
  /** Signed by the test CA, valid for 127.0.0.1, but expired in 2020. */
  readonly expiredCert: string;
  /** Signed by the test CA, current, but for another host name only. */
  readonly wrongNameCert: string;
  /** For 127.0.0.1, current, signed by a CA the client does not know. */
  readonly unknownCaCert: string;
  /** The key of all three. */
  readonly key: string;
}

/** Server certificates that a TLS client must refuse, one reason each. */
export function makeBadCertificates(pki: TestPki): BadCertificates {
  const dir = pki.dir;
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=bad', '-keyout', f('bad.key'), '-out', f('bad.csr'));
  // `openssl ca` can back-date a certificate (x509 -req cannot on OpenSSL 3.0).
  writeFileSync(f('index.txt'), '');
  writeFileSync(f('serial'), '1000\n');
  writeFileSync(
    f('ca.cnf'),
    ['[ca]', 'default_ca = test', '[test]', `database = ${f('index.txt')}`, `new_certs_dir = ${dir}`, `serial = ${f('serial')}`, 'default_md = sha256', 'policy = any', 'unique_subject = no', '[any]', 'commonName = supplied', ''].join('\n'),
  );
  ssl('ca', '-batch', '-config', f('ca.cnf'), '-cert', pki.ca, '-keyfile', f('ca.key'), '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-extfile', f('server.ext'), '-in', f('bad.csr'), '-out', f('expired.crt'));
  writeFileSync(f('wrong.ext'), 'subjectAltName=DNS:broker.example.com\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', f('bad.csr'), '-CA', pki.ca, '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('wrong.ext'), '-out', f('wrong-name.crt'));
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Somebody Else CA', '-keyout', f('other-ca.key'), '-out', f('other-ca.crt'));
  ssl('x509', '-req', '-in', f('bad.csr'), '-CA', f('other-ca.crt'), '-CAkey', f('other-ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('server.ext'), '-out', f('unknown-ca.crt'));
  return { expiredCert: f('expired.crt'), wrongNameCert: f('wrong-name.crt'), unknownCaCert: f('unknown-ca.crt'), key: f('bad.key') };
}

/** The test PKI's client certificate and key as a PKCS#12 file (.p12) locked with `passphrase`. */
export function makeClientP12(pki: TestPki, passphrase: string): string {
  const out = join(pki.dir, 'client.p12');
  execFileSync('openssl', ['pkcs12', '-export', '-in', pki.clientCert, '-inkey', pki.clientKey, '-name', 'sensor-client', '-passout', `pass:${passphrase}`, '-out', out], { stdio: 'pipe' });
  return out;
}
