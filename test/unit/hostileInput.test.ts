// Hostile input in the pure core (issue 17): each case reproduces a path that was unbounded —
// the work now stops at a limit and says so, whatever the input is made of. No timings: each test
// asserts what comes out (bounded, with the reason), so a regression fails by its result.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatJson, formatJsonPrefix } from '../../src/core/format/json';
import { promptText } from '../../src/core/format/markup';
import { lintConf } from '../../src/core/conf';
import type { ConfFs } from '../../src/core/conf/types';
import { reindent } from '../../src/core/format/jsonReindent';
import { checkMessageFile, parseMessageFile, resolveBlock, type ResolveEnv } from '../../src/core/messageFiles';
import { FileTooLargeError, readFileUpTo } from '../../src/core/messageFiles/readLimited';
import { validateDraft } from '../../src/core/publish/validate';
import { TopicModel } from '../../src/core/mqtt/topicModel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManagementClient, ManagementError, RESPONSE_LIMIT } from '../../src/core/amqp/management';

/** 4,000 levels of nested arrays, repeated: indented, each level adds a line as wide as its depth. */
const NESTED = `[${Array.from({ length: 60 }, () => '['.repeat(4000) + ']'.repeat(4000)).join(',')}]`;

/** `@a0 = xxxxxxxx`, then 24 lines doubling the previous one: 2^24 × 8 characters if expanded. */
function doublingFile(lines = 24): string {
  const defs = ['@a0 = xxxxxxxx', ...Array.from({ length: lines }, (_, i) => `@a${i + 1} = {{a${i}}}{{a${i}}}`)];
  return `${defs.join('\n')}\n\nPUBLISH mqtt://local/t\n\n{{a${lines}}}\n`;
}

function env(over: Partial<ResolveEnv> = {}): ResolveEnv {
  return {
    readFile: () => {
      throw new Error('no files here');
    },
    getEnv: () => undefined,
    now: () => new Date(0),
    random: () => 0.5,
    uuid: () => 'u',
    baseDir: '/work',
    trusted: true,
    ...over,
  };
}

describe('hostile input: bounded work in the core', () => {
  describe('JSON indentation is bounded by its output, not its input', () => {
    it('a tooltip prefix of deeply nested JSON stops at the characters it shows', () => {
      assert.ok(NESTED.length > 400_000);
      const r = formatJsonPrefix(NESTED, 4000);
      assert.ok(r, 'it is JSON');
      assert.ok(r.cut, 'the prefix says it is cut');
      assert.ok(r.text.length <= 4000, `${r.text.length} characters`);
      assert.ok(r.text.startsWith('[\n  [\n    [\n'), 'indented as JSON.stringify(…, null, 2) would start');
    });

    it('the re-indenter stops past maxChars and says truncated; under it, the output is whole', () => {
      const deep = '['.repeat(20_000) + ']'.repeat(20_000);
      const cut = reindent(deep, 2, 100_000);
      assert.equal(cut.truncated, true);
      assert.equal(cut.pretty.length, 100_000);
      const small = reindent('{"a":[1,{"b":null}]}', 2, 1000);
      assert.equal(small.truncated, false);
      assert.equal(small.pretty, JSON.stringify({ a: [1, { b: null }] }, null, 2));
    });

    it('formatJson shows a document that would indent past its limit as sent, and says so', () => {
      // 20 KB of [ would become ~400M characters indented.
      const deep = '['.repeat(20_000) + ']'.repeat(20_000);
      const r = formatJson(deep);
      assert.ok(r.ok);
      assert.equal(r.asSent, true);
      assert.equal(r.pretty, deep);
      const normal = formatJson('{"x": [1, 2]}');
      assert.ok(normal.ok && normal.asSent === undefined && normal.pretty.includes('\n'));
    });

    it('a prefix of text that is not JSON is undefined (the caller shows text)', () => {
      assert.equal(formatJsonPrefix('[[[', 100), undefined);
    });
  });

  describe('message-file variables expand up to the payload limit', () => {
    it('the check reports the expansion at the definition that passes the limit, once', () => {
      const file = parseMessageFile(doublingFile());
      const limit = 1024 * 1024;
      const problems = checkMessageFile(file, { connections: [{ name: 'local', kind: 'mqtt' }], maxPayloadBytes: limit });
      const over = problems.filter((p) => p.code === 'expansion-too-large');
      assert.equal(over.length, 1, JSON.stringify(problems));
      // 8 × 2^17 = 1 MiB fits; a18 is the first value past it (2 MiB), at its second reference.
      assert.equal(over[0]!.line, 18);
      assert.equal(over[0]!.severity, 'error');
      assert.match(over[0]!.message, /more than 1 MB, the limit of brokerExplorer\.limits\.payloadMegabytes/);
    });

    it('with the default limit (16 MB) the 24 doubling lines are refused, not built', () => {
      const file = parseMessageFile(doublingFile());
      const over = checkMessageFile(file, { connections: [{ name: 'local', kind: 'mqtt' }] }).filter((p) => p.code === 'expansion-too-large');
      assert.equal(over.length, 1);
      assert.equal(over[0]!.line, 22, '8 × 2^21 = 16 MiB fits; a22 does not');
    });

    it('sending the block says why nothing is sent', () => {
      const file = parseMessageFile(doublingFile());
      const r = resolveBlock(file, file.blocks[0]!, env({ maxPayloadBytes: 64 * 1024 }));
      assert.ok('error' in r);
      assert.match(r.error, /expand to more than 0\.06 MB/);
    });
  });

  describe('< file bodies are read up to the payload limit', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'be-hostile-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('a regular file larger than the limit is refused from its size', () => {
      const big = join(dir, 'big.bin');
      writeFileSync(big, Buffer.alloc(2048, 1));
      assert.throws(() => readFileUpTo(big, 1024), FileTooLargeError);
      assert.equal(readFileUpTo(big, 4096).length, 2048);
    });

    it('/dev/zero (a device that never ends) is refused once past the limit, not read forever', () => {
      assert.throws(() => readFileUpTo('/dev/zero', 256 * 1024), (e: unknown) => e instanceof FileTooLargeError && /larger than 0\.25 MB/.test(e.message));
    });

    it('a message file that sends < /dev/zero gets a plain-words error at its line', () => {
      const file = parseMessageFile('PUBLISH mqtt://local/t\n\n< /dev/zero\n');
      const r = resolveBlock(file, file.blocks[0]!, env({ readFile: (p) => readFileUpTo(p, 1024 * 1024) }));
      assert.ok('error' in r);
      assert.match(r.error, /^Line 3: cannot read \/dev\/zero: it is larger than 1 MB/);
    });
  });

  describe('the publish payload limit', () => {
    it('a payload over brokerExplorer.limits.payloadMegabytes is a problem of the payload field', () => {
      const draft = { payload: 'x'.repeat(2 * 1024 * 1024), format: 'text' as const, mqtt: { topic: 't', qos: 0 as const, retain: false } };
      assert.deepEqual(validateDraft(draft, 5), []);
      const problems = validateDraft(draft, 5, { maxPayloadBytes: 1024 * 1024 });
      assert.deepEqual(
        problems.map((p) => [p.code, p.field]),
        [['payloadOverLimit', 'payload']],
      );
      assert.match(problems[0]!.message, /2,097,152 bytes, more than the 1 MB of brokerExplorer\.limits\.payloadMegabytes/);
    });
  });

  describe('deep topics are in the memory budget, and walking them never overflows the stack', () => {
    const deepTopic = (levels: number, tag: string) => Array.from({ length: levels }, (_, i) => `${tag}${i}`).join('/');

    it('a tree that would pass its share of the budget counts new topics and does not add them', () => {
      const model = new TopicModel({ totalBytes: 8 * 1024 * 1024, topicShare: 0.5 });
      for (let m = 0; m < 50; m++) {
        model.add(deepTopic(32_000, `m${m}-`), Buffer.from('x'), 0, false, 0);
      }
      assert.ok(model.treeBytes <= 4 * 1024 * 1024, `the tree takes ${model.treeBytes} bytes, at most half of 8 MB`);
      assert.equal(model.topicCount + model.topicsNotShown, 50, 'every topic is either in the tree or counted as not shown');
      assert.ok(model.topicsNotShown > 0);
      assert.equal(model.totalMessages, 50);
      assert.equal(model.messagesNotShown, model.topicsNotShown);
      // Known topics keep arriving; the messages' share shrinks by what the tree takes.
      assert.ok(model.storedBytes + model.treeBytes <= 8 * 1024 * 1024);
    });

    it('walks a 32,000-level topic without recursion (search, Delete Retained Below)', () => {
      const model = new TopicModel({ totalBytes: 4096 * 1024 * 1024, topicShare: 0.9 });
      const topic = deepTopic(32_000, 'l');
      model.add(topic, Buffer.from('retained'), 0, true, 0);
      model.add('a/b', Buffer.from('x'), 0, false, 0);
      assert.equal(model.topicsNotShown, 0, 'the budget holds it');
      const seen: string[] = [];
      model.walkTopics(model.root, (n) => seen.push(n.topic));
      assert.deepEqual(seen, [topic, 'a/b'], 'depth first, in arrival order');
    });

    it('clear() gives the tree its budget back', () => {
      const model = new TopicModel({ totalBytes: 1024 * 1024, topicShare: 0.5 });
      model.add(deepTopic(20_000, 'c'), Buffer.from('x'), 0, false, 0);
      assert.equal(model.topicsNotShown, 1);
      model.clear();
      assert.equal(model.topicsNotShown, 0);
      assert.equal(model.treeBytes, 0);
      model.add('small/topic', Buffer.from('x'), 0, false, 0);
      assert.ok(model.find('small/topic'));
    });
  });

  describe('management API answers are read up to 32 MB', () => {
    let server: Server;
    let url: string;
    let sent = 0;
    before(async () => {
      // An endless JSON array: a broker (or something posing as one) that never stops answering.
      server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        res.write('[');
        const more = (): void => {
          while (sent < 200 * 1024 * 1024 && res.write(chunk)) {
            sent += chunk.length;
          }
          if (sent < 200 * 1024 * 1024) {
            res.once('drain', more);
          } else {
            res.end(']');
          }
        };
        res.on('close', () => res.removeAllListeners('drain'));
        more();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
      server.closeAllConnections(); // fetch keeps its connection alive
      return new Promise<void>((r) => server.close(() => r()));
    });

    it('refuses an answer past the limit in words, without reading the rest', async () => {
      const client = new ManagementClient(url, 'guest', 'guest', 30_000);
      await assert.rejects(client.overview(), (e: unknown) => e instanceof ManagementError && /more than 32 MB for \/overview: not read/.test(e.message));
      assert.ok(sent < 200 * 1024 * 1024, `the server stopped being read (${sent} bytes written of 200 MB)`);
      assert.equal(RESPONSE_LIMIT, 32 * 1024 * 1024);
    });
  });

  describe('prompt texts', () => {
    it('are made inert once, however often they pass through promptText (prompts.ts applies it to every input box)', () => {
      const name = 'x](command:workbench.action.terminal.new) $(alert)';
      const once = promptText(`Password for "${name}"`);
      assert.ok(!once.includes(']('), 'no link syntax left');
      assert.ok(!/(?<!\\)\$\(/.test(once), 'no live icon syntax left');
      assert.equal(promptText(once), once);
    });
  });

  describe('mosquitto.conf paths the linter may look at', () => {
    /** A file system that records every path the linter touches. */
    const recording = () => {
      const touched: string[] = [];
      const fs: ConfFs = {
        stat: (p) => (touched.push(p), undefined),
        readFile: (p) => (touched.push(p), undefined),
        readDir: (p) => (touched.push(p), undefined),
      };
      return { fs, touched };
    };
    const conf = ['password_file \\\\fileserver\\share\\passwd', 'acl_file //fileserver/share/acl', 'include_dir \\\\fileserver\\conf.d', 'persistence_location /var/lib/mosquitto/', 'cafile /work/proj/certs/ca.pem', ''].join('\n');

    it('never touches a network (UNC) path, and says it did not check it', () => {
      const { fs, touched } = recording();
      const r = lintConf(conf, { file: '/work/proj/mosquitto.conf', fs, reach: { trusted: true, roots: ['/work/proj'] } });
      assert.deepEqual(touched.filter((p) => p.startsWith('\\\\') || p.startsWith('//')), []);
      assert.equal(r.diagnostics.filter((d) => d.code === 'not-checked' && /network path/.test(d.message)).length, 3);
      assert.ok(touched.includes('/var/lib/mosquitto/') || touched.some((p) => p.startsWith('/var/lib/mosquitto')), 'trusted: local paths outside the workspace are checked');
    });

    it('in an untrusted folder touches nothing outside the workspace', () => {
      const { fs, touched } = recording();
      const r = lintConf(conf, { file: '/work/proj/mosquitto.conf', fs, reach: { trusted: false, roots: ['/work/proj'] } });
      assert.ok(touched.every((p) => p.startsWith('/work/proj/')), `touched ${touched.join(', ')}`);
      assert.ok(touched.includes('/work/proj/certs/ca.pem'), 'inside the workspace it still checks');
      assert.ok(r.diagnostics.some((d) => d.code === 'not-checked' && /outside the workspace: not checked in an untrusted folder/.test(d.message)));
      // ../ does not escape the check.
      const sneaky = recording();
      lintConf('cafile /work/proj/../../etc/ssl/ca.pem\n', { file: '/work/proj/mosquitto.conf', fs: sneaky.fs, reach: { trusted: false, roots: ['/work/proj'] } });
      assert.deepEqual(sneaky.touched, []);
    });
  });
});
