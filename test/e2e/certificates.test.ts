// Issue 23, certificates made visible: a TLS broker of .vscode/brokers.json behind a private
// mosquitto that presents a three-level chain (server certificate, intermediate CA, root CA),
// opened with "Show Server Certificate" from the command palette as a user would. The screenshot
// is the README's certificates image. Packaged .vsix, code-server, Chromium.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { makeTestPki } from '../support/tls';
import { activityBarItem, runCommand, sidebarRow } from '../support/workbench';
import { openPackagedWorkbench, shot, type PackagedWorkbench } from './packaged';

/** Root CA (the test PKI's) → "Plant Intermediate CA" → a server certificate for 127.0.0.1; the chain file mosquitto presents. */
function makeChain(): { root: string; chain: string; key: string } {
  const pki = makeTestPki();
  const f = (name: string) => join(pki.dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki.dir, stdio: 'pipe' });
  writeFileSync(f('int.ext'), 'basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/O=Acme Plant/CN=Plant Intermediate CA', '-keyout', f('int.key'), '-out', f('int.csr'));
  ssl('x509', '-req', '-in', f('int.csr'), '-CA', pki.ca, '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '30', '-extfile', f('int.ext'), '-out', f('int.crt'));
  writeFileSync(f('leaf.ext'), 'subjectAltName=DNS:broker.plant.local,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/O=Acme Plant/CN=broker.plant.local', '-keyout', f('leaf.key'), '-out', f('leaf.csr'));
  ssl('x509', '-req', '-in', f('leaf.csr'), '-CA', f('int.crt'), '-CAkey', f('int.key'), '-CAcreateserial', '-days', '20', '-extfile', f('leaf.ext'), '-out', f('leaf.crt'));
  writeFileSync(f('chain.crt'), [f('leaf.crt'), f('int.crt'), pki.ca].map((p) => readFileSync(p, 'utf8')).join(''));
  return { root: pki.ca, chain: f('chain.crt'), key: f('leaf.key') };
}

describe('Server certificate chain of a TLS broker (packaged .vsix, Chromium)', function () {
  this.timeout(180_000);
  let workbench: PackagedWorkbench | undefined;
  let page: Page;
  let broker: PrivateBroker | undefined;

  before(async () => {
    const chain = makeChain();
    broker = await startPrivateMosquitto({ tls: { ca: chain.root, cert: chain.chain, key: chain.key } });
    workbench = await openPackagedWorkbench('be-e2e-cert-');
    page = workbench.page;
    // The minimap would cover the end of the fingerprints: off, in the user settings the workbench watches.
    const settings = join(workbench.runDir, 'ud', 'User', 'settings.json');
    writeFileSync(settings, JSON.stringify({ ...(JSON.parse(readFileSync(settings, 'utf8')) as object), 'editor.minimap.enabled': false }, null, 2));
    // The team's brokers.json names the broker and its root CA (a file of the repository).
    mkdirSync(join(workbench.workspace, 'certs'), { recursive: true });
    copyFileSync(chain.root, join(workbench.workspace, 'certs', 'plant-root-ca.pem'));
    mkdirSync(join(workbench.workspace, '.vscode'), { recursive: true });
    writeFileSync(
      join(workbench.workspace, '.vscode', 'brokers.json'),
      JSON.stringify({ brokers: [{ name: 'plant broker (TLS)', kind: 'mqtt', host: '127.0.0.1', port: broker.tlsPort, protocol: 'mqtts', autoConnect: true, tls: { caFile: 'certs/plant-root-ca.pem' } }] }, null, 2),
    );
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await shot(page, `failure-certificate-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`, false).catch(() => {});
    }
  });

  after(async () => {
    await workbench?.close();
    await broker?.dispose();
  });

  it('Show Server Certificate opens the chain the broker presents: server certificate, intermediate and root, each with its names, validity and fingerprint', async () => {
    const item = activityBarItem(page, 'Brokers');
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    const row = sidebarRow(page, 'plant broker (TLS)');
    await row.waitFor({ timeout: 40_000 });
    await row.filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });

    await runCommand(page, 'Broker Explorer: Show Server Certificate');
    // One TLS broker: the pick lists it.
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'plant broker (TLS)' });
    await pick.waitFor({ timeout: 20_000 });
    await pick.click();
    const editor = page.locator('.editor-instance .view-lines');
    await editor.filter({ hasText: 'TLS certificate chain presented by 127.0.0.1' }).waitFor({ timeout: 30_000 });
    const tab = page.locator('.tabs-container .tab', { hasText: 'certificate.txt' });
    await tab.waitFor({ timeout: 10_000 });
    const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /Verdict: trusted by this connection \(chain and host name verified\)/);
    assert.match(text, /#0 server certificate\s+Subject:\s+O=Acme Plant\s+CN=broker\.plant\.local|#0 server certificate[\s\S]*broker\.plant\.local/);
    assert.match(text, /#1 intermediate[\s\S]*Plant Intermediate CA/);
    assert.match(text, /#2 root[\s\S]*Broker Explorer Test CA/);
    assert.match(text, /Names:\s+DNS:broker\.plant\.local, DNS:localhost, IP Address:127\.0\.0\.1/);
    assert.match(text, /SHA-256:\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    await page.mouse.move(900, 700);
    await page.waitForTimeout(300);
    await shot(page, 'certificate-chain');
  });
});
