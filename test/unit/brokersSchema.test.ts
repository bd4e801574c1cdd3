import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkspaceBrokers } from '../../src/core/brokers/workspaceBrokers';

const ROOT = join(__dirname, '../../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/brokers.schema.json'), 'utf8')) as {
  $schema: string;
  definitions: Record<string, { properties: Record<string, unknown>; required?: string[] }>;
};
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { jsonValidation?: { fileMatch: string; url: string }[] };
  capabilities: { untrustedWorkspaces: { supported: string; description: string } };
};

interface AjvLike {
  validate(schema: object, data: unknown): boolean;
  errors?: { message?: string; instancePath: string; params: object }[] | null;
  addVocabulary(keywords: string[]): void;
}

/** ajv 8 comes with the dev tools (vsce); without it the schema checks below are skipped. */
function loadAjv(): AjvLike | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('ajv') as { default: new (o: object) => AjvLike };
    const ajv = new mod.default({ allErrors: true });
    ajv.addVocabulary(['markdownDescription', 'enumDescriptions', 'defaultSnippets', 'errorMessage', 'deprecationMessage']);
    return ajv;
  } catch {
    return undefined;
  }
}

const folder = { path: '/work/project', name: 'project' };

const samples = {
  valid: {
    brokers: [
      { name: 'team mosquitto', kind: 'mqtt', host: '127.0.0.1', port: 1883, autoConnect: true, subscriptions: [{ filter: 'sensors/#', qos: 1 }] },
      { name: 'tls', kind: 'mqtt', host: 'broker.example', protocol: 'mqtts', tls: { caFile: 'certs/ca.pem', verify: true, servername: 'broker' } },
      { name: 'rabbit', kind: 'amqp', host: 'rabbit', username: 'guest', vhost: '/', managementUrl: 'http://rabbit:15672', protocol: 'amqps' },
      { name: 'cluster', kind: 'mqtt', host: 'node1', endpoints: ['node2:1883', 'node3', '[::1]:1884'] },
      { name: 'behind socks', kind: 'mqtt', host: 'plant', proxy: 'socks5://alice@proxy.corp:1080' },
      { name: 'behind http', kind: 'amqp', host: 'rabbit', proxy: 'http://[::1]:3128' },
      { name: 'direct', kind: 'mqtt', host: 'plant', proxy: 'none' },
    ],
  },
  proxyPasswordInUrl: { brokers: [{ name: 'x', kind: 'mqtt', host: 'h', proxy: 'socks5://alice:secret@proxy:1080' }] },
  proxyWithoutPort: { brokers: [{ name: 'x', kind: 'mqtt', host: 'h', proxy: 'http://proxy' }] },
  proxyPassword: { brokers: [{ name: 'x', kind: 'mqtt', host: 'h', proxy: 'socks5://a@proxy:1080', proxyPassword: 'p' }] },
  badEndpoint: { brokers: [{ name: 'x', kind: 'mqtt', host: 'h', endpoints: ['mqtt://node2:1883'] }] },
  endpointNotAList: { brokers: [{ name: 'x', kind: 'amqp', host: 'h', endpoints: 'node2:5672' }] },
  password: { brokers: [{ name: 'x', kind: 'amqp', host: 'h', username: 'u', password: 'p' }] },
  passphrase: { brokers: [{ name: 'x', kind: 'mqtt', host: 'h', tls: { keyFile: 'k', passphrase: 'p' } }] },
  badKind: { brokers: [{ name: 'x', kind: 'kafka', host: 'h' }] },
  badPort: { brokers: [{ name: 'x', kind: 'mqtt', host: 'h', port: 0 }] },
  noHost: { brokers: [{ name: 'x', kind: 'mqtt' }] },
  wrongProtocol: { brokers: [{ name: 'x', kind: 'amqp', host: 'h', protocol: 'wss' }] },
};

describe('schemas/brokers.schema.json', () => {
  it('is draft-07 with the expected settings and no secret among them', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const broker = schema.definitions.broker!;
    assert.deepEqual(
      Object.keys(broker.properties).sort(),
      [
        'autoConnect',
        'clientId',
        'endpoints',
        'host',
        'keepalive',
        'kind',
        'managementUrl',
        'managementUsername',
        'name',
        'path',
        'port',
        'protocol',
        'protocolVersion',
        'proxy',
        'receiveMaximum',
        'subscriptions',
        'tls',
        'topicAliasMaximum',
        'username',
        'vhost',
      ],
    );
    assert.deepEqual(broker.required, ['name', 'kind', 'host']);
    assert.deepEqual(Object.keys(schema.definitions.tls!.properties).sort(), ['alpnProtocols', 'caFile', 'caOnly', 'certFile', 'keyFile', 'pfxFile', 'servername', 'verify']);
    for (const def of Object.values(schema.definitions)) {
      assert.ok(!Object.keys(def.properties).some((k) => /password|passphrase|secret/i.test(k)));
    }
  });

  it('is contributed for .vscode/brokers.json and the untrusted-workspace note mentions it', () => {
    assert.deepEqual(
      manifest.contributes.jsonValidation?.find((j) => j.fileMatch === '.vscode/brokers.json'),
      { fileMatch: '.vscode/brokers.json', url: './schemas/brokers.schema.json' },
    );
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(manifest.capabilities.untrustedWorkspaces.description, /brokers\.json/);
    assert.match(readFileSync(join(ROOT, '.vscodeignore'), 'utf8'), /^!schemas\/\*\*$/m);
  });

  it('agrees with the parser on sample files', function () {
    const ajv = loadAjv();
    if (!ajv) {
      this.skip();
    }
    for (const [name, sample] of Object.entries(samples)) {
      const valid = ajv.validate(schema, sample);
      const parsed = parseWorkspaceBrokers(JSON.stringify(sample), folder);
      const parserValid = parsed.problems.length === 0 && parsed.profiles.length === sample.brokers.length;
      assert.equal(valid, name === 'valid', `${name}: ${JSON.stringify(ajv.errors)}`);
      assert.equal(parserValid, valid, `${name}: parser and schema agree (${parsed.problems.join('; ')})`);
    }
  });

  it('fails a password key with the secret-storage message', function () {
    const ajv = loadAjv();
    if (!ajv) {
      this.skip();
    }
    for (const sample of [samples.password, samples.passphrase]) {
      assert.equal(ajv.validate(schema, sample), false);
      // ajv reports `must NOT be valid` on the `not` branch; VS Code shows that branch's errorMessage.
      assert.ok(ajv.errors?.some((e) => e.message === 'must NOT be valid'));
    }
    const notBranches = JSON.stringify(schema).match(/"errorMessage":"Passwords are never read from brokers\.json[^"]*secret storage/g) ?? [];
    assert.equal(notBranches.length, 5, 'password, passphrase and managementPassword on a broker; passphrase and password in tls');
  });
});
