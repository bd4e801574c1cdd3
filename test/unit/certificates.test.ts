import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { describeCertificateProblem, expiryWarning, formatCertificateReport, PIN_MISMATCH, pinOf, probeCertificate } from '../../src/core/brokers/certificates';
import { readTlsOptions } from '../../src/core/brokers/tlsFiles';
import { execFile } from 'node:child_process';
import { makeBadCertificates, makeClientP12, makeTestPki, type BadCertificates, type TestPki } from '../support/tls';

/** A real TLS server on 127.0.0.1 presenting `cert`; counts the bytes clients send it. */
async function serve(cert: string, key: string): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = tls.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (socket) => {
    socket.on('data', (d: Buffer) => (received += d.length));
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, received: () => received, close: () => new Promise((r) => server.close(() => r())) };
}

describe('server certificates: probe, the case named, the chain shown (real TLS servers, openssl certificates)', function () {
  this.timeout(30_000);
  let pki: TestPki;
  let bad: BadCertificates;
  let notYetValid: string;
  before(() => {
    pki = makeTestPki();
    bad = makeBadCertificates(pki);
    notYetValid = join(pki.dir, 'future.crt');
    execFileSync(
      'openssl',
      ['ca', '-batch', '-config', join(pki.dir, 'ca.cnf'), '-cert', pki.ca, '-keyfile', join(pki.dir, 'ca.key'), '-startdate', '20400101000000Z', '-enddate', '20400102000000Z', '-extfile', join(pki.dir, 'server.ext'), '-in', join(pki.dir, 'bad.csr'), '-out', notYetValid],
      { stdio: 'pipe' },
    );
  });

  const probe = async (cert: string, key: string, ca = pki.ca) => {
    const server = await serve(cert, key);
    try {
      const result = await probeCertificate('127.0.0.1', server.port, { ca: readFileSync(ca) });
      await new Promise((r) => setTimeout(r, 50));
      return { result, sent: server.received() };
    } finally {
      await server.close();
    }
  };

  it('reads a trusted chain without sending a byte, with names, dates, key and fingerprint', async () => {
    const { result, sent } = await probe(pki.serverCert, pki.serverKey);
    assert.equal(sent, 0, 'no CONNECT, no password: nothing at all is written');
    assert.equal(result.problem, undefined);
    const leaf = result.chain[0]!;
    assert.match(leaf.subject, /CN=localhost/);
    assert.match(leaf.issuer, /CN=Broker Explorer Test CA/);
    assert.deepEqual(leaf.altNames, ['DNS:localhost', 'IP Address:127.0.0.1']);
    assert.equal(leaf.key, 'RSA 2048 bits');
    const openssl = execFileSync('openssl', ['x509', '-in', pki.serverCert, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    assert.equal(leaf.fingerprint256, openssl.trim().split('=')[1]);
    const report = formatCertificateReport('127.0.0.1:8883', result);
    assert.match(report, /trusted by this connection/);
    assert.ok(report.includes(leaf.fingerprint256));
    assert.match(report, /-----BEGIN CERTIFICATE-----/);
  });

  it('names an expired certificate with its end date', async () => {
    const { result } = await probe(bad.expiredCert, bad.key);
    assert.equal(result.code, 'CERT_HAS_EXPIRED');
    assert.equal(result.problem?.kind, 'expired');
    assert.match(describeCertificateProblem(result.problem), /expired on 2020-01-02/);
  });

  it('names a certificate that is not valid yet with its start date', async () => {
    const { result } = await probe(notYetValid, bad.key);
    assert.equal(result.problem?.kind, 'notYetValid');
    assert.match(describeCertificateProblem(result.problem), /not valid before 2040-01-01/);
  });

  it('lists the names a certificate for another host has', async () => {
    const { result } = await probe(bad.wrongNameCert, bad.key);
    assert.equal(result.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
    assert.match(describeCertificateProblem(result.problem!), /not valid for 127\.0\.0\.1; it names DNS:broker\.example\.com/);
  });

  it('names the issuer nobody trusts', async () => {
    const { result } = await probe(bad.unknownCaCert, bad.key);
    assert.equal(result.problem?.kind, 'unknownIssuer');
    assert.match(describeCertificateProblem(result.problem), /issued by Somebody Else CA, which this connection does not trust/);
  });

  it('tells a self-signed certificate apart', async () => {
    const { result } = await probe(join(pki.dir, 'other-ca.crt'), join(pki.dir, 'other-ca.key'));
    assert.equal(result.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.match(describeCertificateProblem(result.problem!), /self-signed \(Somebody Else CA\)/);
    assert.equal(result.chain[0]!.selfIssued, true);
  });

  it('a pinned certificate: trusted alone (no chain, no host name), anything else refused in the handshake before a byte is written', async () => {
    const selfSigned = join(pki.dir, 'other-ca.crt');
    const pin = { sha256: new X509Certificate(readFileSync(selfSigned)).fingerprint256, pem: readFileSync(selfSigned, 'utf8') };
    const options = await readTlsOptions({ caFile: pki.ca, verify: false, pinned: pin });
    assert.deepEqual(options.ca, [pin.pem], 'the pin is the only trust anchor: not the CA file');
    assert.equal(options.rejectUnauthorized, true, 'a pin never turns verification off');
    for (const [cert, key, accepted] of [
      [selfSigned, join(pki.dir, 'other-ca.key'), true],
      [pki.serverCert, pki.serverKey, false],
      [join(pki.dir, 'ca.crt'), join(pki.dir, 'ca.key'), false],
    ] as const) {
      const server = await serve(cert, key);
      try {
        const socket = tls.connect({ host: '127.0.0.1', port: server.port, ...options });
        socket.write('CONNECT with a password');
        const outcome = await new Promise<string>((r) => {
          socket.once('secureConnect', () => r('connected'));
          socket.once('error', (e: Error & { code?: string }) => r(e.code ?? e.message));
        });
        await new Promise((r) => setTimeout(r, 100));
        socket.destroy();
        assert.equal(outcome === 'connected', accepted, `${cert}: ${outcome}`);
        assert.equal(server.received() > 0, accepted, 'bytes reach only the pinned certificate');
        const probed = await probeCertificate('127.0.0.1', server.port, options);
        if (accepted) {
          assert.equal(probed.problem, undefined, 'no host-name complaint: the pin names the certificate');
          assert.match(formatCertificateReport('x', probed), new RegExp(`^Trust: this exact certificate is trusted for this connection \\(SHA-256 ${pin.sha256}\\)`, 'm'));
        } else {
          assert.equal(probed.code, PIN_MISMATCH);
          assert.equal(probed.problem?.kind, 'pinMismatch');
          assert.match(describeCertificateProblem(probed.problem), new RegExp(`presents SHA-256 ${probed.chain[0]!.fingerprint256}, the trusted one is ${pin.sha256}\\. Nothing was sent to it`));
        }
      } finally {
        await server.close();
      }
    }
    assert.deepEqual(pinOf({ chain: [] }), undefined);
  });

  it('a CA file adds to the default roots unless "only this CA" (a Node whose default store holds the test CA via NODE_EXTRA_CA_CERTS)', async () => {
    const server = await serve(pki.serverCert, pki.serverKey);
    try {
      // Another Node, so its default store can be given the test CA; the connection's CA file is an unrelated CA.
      const script = `
        const tls = require('node:tls');
        const { readTlsOptions } = require(${JSON.stringify(require.resolve('../../src/core/brokers/tlsFiles'))});
        (async () => {
          for (const caOnly of [false, true]) {
            const o = await readTlsOptions({ caFile: ${JSON.stringify(join(pki.dir, 'other-ca.crt'))}, caOnly });
            const r = await new Promise((res) => {
              const s = tls.connect({ host: '127.0.0.1', port: ${server.port}, ...o }, () => { res('connected'); s.destroy(); });
              s.on('error', (e) => res(e.code || e.message));
            });
            console.log((caOnly ? 'only ' : 'added ') + r);
          }
        })();`;
      // Not spawnSync: this process's server must answer the child's handshakes meanwhile.
      const r = await new Promise<{ stdout: string; stderr: string }>((res) => {
        execFile(process.execPath, ['-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: pki.ca }, timeout: 20_000 }, (_err, stdout, stderr) => res({ stdout, stderr }));
      });
      assert.deepEqual(r.stdout.trim().split('\n'), ['added connected', 'only UNABLE_TO_VERIFY_LEAF_SIGNATURE'], r.stderr);
    } finally {
      await server.close();
    }
    // The CA file itself is trusted either way.
    for (const caOnly of [false, true]) {
      const server2 = await serve(pki.serverCert, pki.serverKey);
      try {
        const probed = await probeCertificate('127.0.0.1', server2.port, await readTlsOptions({ caFile: pki.ca, caOnly }));
        assert.equal(probed.problem, undefined, `caOnly ${caOnly}`);
      } finally {
        await server2.close();
      }
    }
  });

  it('a PKCS#12 client certificate: opened with its passphrase, a wrong or missing one said in words', async () => {
    const p12 = makeClientP12(pki, 'p12-secret');
    const options = await readTlsOptions({ pfxFile: p12 }, 'p12-secret');
    assert.ok(options.pfx?.length);
    await assert.rejects(readTlsOptions({ pfxFile: p12 }, 'wrong'), /Cannot use the client certificate .*client\.p12: the saved passphrase does not open it/);
    await assert.rejects(readTlsOptions({ pfxFile: p12 }), /client\.p12: (it needs a passphrase|the saved passphrase does not open it)|Cannot use the client certificate/);
    await assert.rejects(readTlsOptions({ pfxFile: join(pki.dir, 'nope.p12') }, 'x'), /Cannot read the PKCS#12 client certificate file .*nope\.p12: it does not exist/);
    assert.deepEqual((await readTlsOptions({ alpnProtocols: ['x-amzn-mqtt-ca'] })).ALPNProtocols, ['x-amzn-mqtt-ca']);
  });

  it('says in words when nothing answers', async () => {
    await assert.rejects(probeCertificate('127.0.0.1', 9, {}, 2000), /ECONNREFUSED|No TLS answer/);
  });
});

describe('certificate expiry warning on connect', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  const inDays = (d: number) => new Date(now + d * 86_400_000);
  it('says a server or client certificate ends within 14 days, with the date', () => {
    assert.equal(expiryWarning(inDays(30), inDays(15), now), undefined);
    assert.equal(expiryWarning(undefined, undefined, now), undefined);
    assert.equal(expiryWarning(inDays(5.25), undefined, now), "The server's TLS certificate expires in 5 days (2026-12-07): renew it before then, or connections will be refused");
    assert.equal(
      expiryWarning(inDays(1.2), inDays(13.9), now),
      "The server's TLS certificate expires in 1 day (2026-12-03); This connection's client certificate expires in 13 days (2026-12-16): renew it before then, or connections will be refused",
    );
  });
});
