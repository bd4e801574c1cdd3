import assert from 'node:assert/strict';
import {
  checkMessageFile,
  completionContextAt,
  formatTargetUrl,
  HEADER_NAMES,
  parseMessageFile,
  parseTargetUrl,
  resolveBlock,
  resolvePath,
  SYSTEM_VARIABLES,
  type CheckContext,
  type MessageFile,
  type ResolveEnv,
  type ResolvedMessage,
  type ResolveError,
} from '../../src/core/messageFiles';
import { isPublishWebviewMessage } from '../../src/core/protocol/publish';
import { validateDraft } from '../../src/core/publish/validate';

const CONTEXT: CheckContext = {
  connections: [
    { name: 'local', kind: 'mqtt' },
    { name: 'my broker', kind: 'mqtt' },
    { name: 'lab/broker', kind: 'mqtt' },
    { name: 'local-rabbit', kind: 'amqp', vhost: '/' },
    { name: 'rabbit.prod', kind: 'amqp', vhost: 'prod' },
  ],
};

const NOW = new Date('2024-05-01T12:34:56.789Z');

function env(over: Partial<ResolveEnv> = {}): ResolveEnv {
  let n = 0;
  return {
    readFile: (p) => {
      throw new Error(`ENOENT: no such file ${p}`);
    },
    getEnv: (name) => ({ HOME: '/home/ada', TOKEN: 's3cret' })[name],
    now: () => NOW,
    random: () => 0.5,
    uuid: () => `uuid-${++n}`,
    baseDir: '/work/msgs',
    trusted: true,
    ...over,
  };
}

function ok(r: ResolvedMessage | ResolveError): ResolvedMessage {
  if ('error' in r) {
    assert.fail(`expected a message, got error: ${r.error}`);
  }
  return r;
}

function err(r: ResolvedMessage | ResolveError): string {
  assert.ok('error' in r, `expected an error, got ${JSON.stringify(r)}`);
  return r.error;
}

/** Parses, asserts no error-level problems (syntax + semantic), resolves block k. */
function send(text: string, k = 0, e: ResolveEnv = env()): ResolvedMessage {
  const file = parseMessageFile(text);
  const problems = [...file.problems, ...checkMessageFile(file, CONTEXT)].filter((p) => p.severity === 'error');
  assert.deepEqual(problems, [], 'no errors expected');
  const block = file.blocks[k];
  assert.ok(block, `block ${k} exists`);
  return ok(resolveBlock(file, block, e));
}

const codes = (file: MessageFile, ctx: CheckContext = CONTEXT) => [...file.problems, ...checkMessageFile(file, ctx)].map((p) => p.code);

describe('message files', () => {
  describe('the issue\'s illustration', () => {
    const text = [
      '@temp = 21.5',
      '',
      '### Station reading',
      'PUBLISH mqtt://local/weather/station01/temperature',
      'QoS: 1',
      'Retain: false',
      'Content-Type: application/json',
      'User-Property: site=north',
      '',
      '{"temperature": {{temp}}, "ts": "{{$isoTimestamp}}"}',
      '',
    ].join('\n');

    it('parses to one named block with its parts and positions', () => {
      const file = parseMessageFile(text);
      assert.deepEqual(file.problems, []);
      assert.deepEqual(file.variables, [{ name: 'temp', value: '21.5', line: 0, nameSpan: { start: 1, end: 5 }, valueSpan: { start: 8, end: 12 } }]);
      assert.equal(file.blocks.length, 1);
      const b = file.blocks[0]!;
      assert.equal(b.name, 'Station reading');
      assert.deepEqual(b.range, { startLine: 2, endLine: 9 });
      assert.equal(b.requestLine, 3);
      assert.equal(b.verb, 'PUBLISH');
      assert.equal(b.scheme, 'mqtt');
      assert.deepEqual(b.connection, { name: 'local', span: { start: 15, end: 20 }, quoted: false });
      assert.deepEqual(b.target, { text: 'weather/station01/temperature', span: { start: 21, end: 50 }, quoted: false, missing: false });
      assert.deepEqual(
        b.headers.map((h) => [h.canonical, h.value, h.line]),
        [
          ['QoS', '1', 4],
          ['Retain', 'false', 5],
          ['Content-Type', 'application/json', 6],
          ['User-Property', 'site=north', 7],
        ],
      );
      assert.deepEqual(b.headers[0]!.nameSpan, { start: 0, end: 3 });
      assert.deepEqual(b.headers[0]!.valueSpan, { start: 5, end: 6 });
      assert.deepEqual(b.body, { kind: 'inline', text: '{"temperature": {{temp}}, "ts": "{{$isoTimestamp}}"}', startLine: 9 });
      assert.deepEqual(checkMessageFile(file, CONTEXT), []);
    });

    it('resolves to the right draft, which the publish panel would accept', () => {
      const r = send(text);
      assert.deepEqual(r, {
        connection: 'local',
        kind: 'mqtt',
        verb: 'PUBLISH',
        draft: {
          payload: '{"temperature": 21.5, "ts": "2024-05-01T12:34:56.789Z"}',
          format: 'json',
          mqtt: {
            topic: 'weather/station01/temperature',
            qos: 1,
            retain: false,
            contentType: 'application/json',
            userProperties: [{ key: 'site', value: 'north' }],
          },
        },
        repeat: 1,
        intervalMs: 0,
      });
      assert.deepEqual(validateDraft(r.draft), []);
      assert.ok(isPublishWebviewMessage({ type: 'publish/send', id: 1, brokerId: 'b', draft: r.draft }));
    });
  });

  describe('target URLs', () => {
    it('keeps a leading slash: everything after the first "/" is the topic', () => {
      const r = send('PUBLISH mqtt://local//weather/station01/temperature\n\n25.5');
      assert.equal(r.draft!.mqtt!.topic, '/weather/station01/temperature');
      assert.equal(r.draft!.payload, '25.5');
      assert.equal(r.draft!.format, 'text');
    });

    it('takes unicode, spaces, "%" and dots verbatim, with no percent-decoding', () => {
      assert.equal(send('PUBLISH mqtt://local/météo/größe 1/%20 ok/📡').draft!.mqtt!.topic, 'météo/größe 1/%20 ok/📡');
      assert.equal(send('PUBLISH mqtt://local/a.b/c').draft!.mqtt!.topic, 'a.b/c');
    });

    it('ignores trailing spaces, and the quoted form keeps them', () => {
      assert.equal(send('PUBLISH mqtt://local/a/b   \t').draft!.mqtt!.topic, 'a/b');
      assert.equal(send('PUBLISH mqtt://local/"a/b  "').draft!.mqtt!.topic, 'a/b  ');
      assert.equal(send('PUBLISH mqtt://local/"\\"quoted\\" {{not a var}}"').draft!.mqtt!.topic, '"quoted" {{not a var}}');
    });

    it('names connections with spaces bare, and with "/" quoted', () => {
      assert.equal(send('PUBLISH mqtt://my broker/x').connection, 'my broker');
      const r = send('PUBLISH mqtt://"lab/broker"/x/y');
      assert.equal(r.connection, 'lab/broker');
      assert.equal(r.draft!.mqtt!.topic, 'x/y');
    });

    it('formatTargetUrl is the inverse of parsing', () => {
      const cases: [('mqtt' | 'amqp'), string, string][] = [
        ['mqtt', 'local', '/weather/station01/temperature'],
        ['mqtt', 'my broker', 'a b/c'],
        ['mqtt', 'lab/broker', 'x'],
        ['mqtt', ' padded ', ' lead and trail '],
        ['mqtt', '"q"', '"starts with a quote'],
        ['mqtt', 'local', 'has {{braces}}'],
        ['mqtt', 'local', 'tab\there\u0001'],
        ['mqtt', 'local', 'météo/📡/50%/#'],
        ['amqp', 'local-rabbit', ''],
        ['amqp', 'local-rabbit', 'logs/with/slashes'],
        ['amqp', 'rabbit.prod', '(default)'],
      ];
      for (const [kind, conn, target] of cases) {
        const url = formatTargetUrl(kind, conn, target);
        const p = parseTargetUrl(url);
        assert.deepEqual(p.problems.filter((x) => x.severity === 'error'), [], url);
        assert.equal(p.scheme, kind, url);
        assert.equal(p.connection.name, conn, url);
        assert.equal(p.target.text, target, url);
        assert.equal(p.target.quoted || !p.target.text.includes('{{'), true, url);
      }
      assert.equal(formatTargetUrl('mqtt', 'local', '/weather/station01/temperature'), 'mqtt://local//weather/station01/temperature');
      assert.equal(formatTargetUrl('amqp', 'local-rabbit', ''), 'amqp://local-rabbit/');
      assert.equal(formatTargetUrl('mqtt', 'lab/broker', 'x'), 'mqtt://"lab/broker"/x');
    });

    it('says what is wrong with a URL', () => {
      assert.deepEqual(codes(parseMessageFile('PUBLISH mqtts://local/x')), ['unknown-scheme']);
      assert.deepEqual(codes(parseMessageFile('PUBLISH http://local/x')), ['unknown-scheme']);
      assert.deepEqual(codes(parseMessageFile('PUBLISH local/x')), ['bad-url']);
      assert.deepEqual(codes(parseMessageFile('PUBLISH mqtt://local')), ['missing-target']);
      assert.deepEqual(codes(parseMessageFile('PUBLISH mqtt:///x')), ['missing-connection']);
      assert.deepEqual(codes(parseMessageFile('PUBLISH mqtt://local/')), ['empty-topic']);
      assert.deepEqual(codes(parseMessageFile('PUBLISH mqtt://"local/x')), ['bad-connection']);
      assert.deepEqual(codes(parseMessageFile('PUBLISH amqp://local-rabbit')), ['missing-target']);
      const f = parseMessageFile('PUBLISH mqtts://local/x');
      assert.equal(f.problems[0]!.suggestion, 'mqtt');
      assert.deepEqual([f.problems[0]!.start, f.problems[0]!.end], [8, 13]);
    });

    it('rejects wildcards when publishing, accepts them when subscribing', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/weather/+/temperature\n');
      const p = checkMessageFile(f, CONTEXT);
      assert.deepEqual(p.map((x) => [x.code, x.line, x.start, x.end]), [['wildcard-in-topic', 0, 21, 42]]);
      assert.match(err(resolveBlock(f, f.blocks[0]!, env())), /wildcard/);
      assert.deepEqual(codes(parseMessageFile('SUBSCRIBE mqtt://local/weather/#')), []);
      assert.deepEqual(codes(parseMessageFile('SUBSCRIBE mqtt://local/weather/#/x')), ['invalid-filter']);
    });
  });

  describe('connections', () => {
    it('reports unknown connections with did-you-mean, and host names', () => {
      const f = parseMessageFile('PUBLISH mqtt://locla/x\n###\nPUBLISH mqtt://localhost:1883/x\n###\nPUBLISH mqtt://Local/x');
      const p = checkMessageFile(f, CONTEXT);
      assert.deepEqual(p.map((x) => [x.code, x.line, x.start, x.end, x.suggestion]), [
        ['unknown-connection', 0, 15, 20, 'local'],
        ['unknown-connection', 2, 15, 29, 'local'],
        ['unknown-connection', 4, 15, 20, 'local'],
      ]);
      assert.match(p[1]!.message, /looks like a host.*never a host/);
      assert.match(p[2]!.message, /case-sensitive/);
    });

    it('reports a connection of the other kind', () => {
      const f = parseMessageFile('PUBLISH amqp://local/x\nRouting-Key: k');
      assert.deepEqual(checkMessageFile(f, CONTEXT).map((x) => [x.code, x.suggestion]), [['wrong-kind', 'mqtt']]);
    });

    it('a variable can name the connection', () => {
      assert.equal(send('@broker = local\nPUBLISH mqtt://{{broker}}/x').connection, 'local');
      const f = parseMessageFile('@broker = nope\nPUBLISH mqtt://{{broker}}/x');
      assert.deepEqual(checkMessageFile(f, CONTEXT).map((x) => x.code), ['unknown-connection']);
    });
  });

  describe('AMQP', () => {
    it('publishes to an exchange with routing key, headers and properties', () => {
      const r = send(
        [
          'PUBLISH amqp://local-rabbit/logs',
          'Routing-Key: info',
          'Header: x-source=north',
          'Header: "a=b"=c=d',
          'Content-Type: text/plain',
          'Delivery-Mode: persistent',
          'Correlation-Id: {{$uuid}}',
          'Reply-To: replies',
          'Expiration: 30s',
          'Message-Id: m-1',
          'Type: log',
          'Priority: 5',
          'Mandatory: true',
          'Vhost: /',
          '',
          'hello',
        ].join('\r\n'),
      );
      assert.deepEqual(r, {
        connection: 'local-rabbit',
        kind: 'amqp',
        verb: 'PUBLISH',
        vhost: '/',
        draft: {
          payload: 'hello',
          format: 'text',
          amqp: {
            exchange: 'logs',
            routingKey: 'info',
            mandatory: true,
            headers: [
              { key: 'x-source', value: 'north' },
              { key: 'a=b', value: 'c=d' },
            ],
            contentType: 'text/plain',
            deliveryMode: 2,
            correlationId: 'uuid-1',
            replyTo: 'replies',
            expiration: '30000',
            messageId: 'm-1',
            type: 'log',
            priority: 5,
          },
        },
        repeat: 1,
        intervalMs: 0,
      });
      assert.deepEqual(validateDraft(r.draft), []);
    });

    it('expresses the default exchange as an empty exchange, which needs a routing key', () => {
      const r = send('PUBLISH amqp://local-rabbit/\nRouting-Key: orders\n\n{}');
      assert.equal(r.draft!.amqp!.exchange, '');
      assert.equal(r.draft!.amqp!.routingKey, 'orders');
      assert.equal(r.draft!.amqp!.mandatory, true, 'mandatory unless the file says otherwise: unroutable is reported');
      assert.deepEqual(codes(parseMessageFile('PUBLISH amqp://local-rabbit/\n\n{}')), ['missing-routing-key']);
      // "(default)" is just an exchange name: no magic
      assert.equal(send('PUBLISH amqp://local-rabbit/(default)\nRouting-Key: k').draft!.amqp!.exchange, '(default)');
      // exchanges with "/" are fine: everything after the first "/"
      assert.equal(send('PUBLISH amqp://local-rabbit/a/b//c\nRouting-Key: k').draft!.amqp!.exchange, 'a/b//c');
    });

    it('checks Vhost against the connection, and passes it on', () => {
      const f = parseMessageFile('PUBLISH amqp://rabbit.prod/logs\nRouting-Key: k\nVhost: /');
      const p = checkMessageFile(f, CONTEXT);
      assert.deepEqual(p.map((x) => [x.code, x.line, x.start, x.end, x.suggestion]), [['vhost-mismatch', 2, 7, 8, 'prod']]);
      assert.equal(send('PUBLISH amqp://rabbit.prod/logs\nRouting-Key: k\nVhost: prod').vhost, 'prod');
      assert.equal('vhost' in send('PUBLISH amqp://rabbit.prod/logs\nRouting-Key: k'), false);
    });

    it('SUBSCRIBE taps an exchange with the routing key as binding pattern', () => {
      assert.deepEqual(send('SUBSCRIBE amqp://local-rabbit/logs\nRouting-Key: info.#'), {
        connection: 'local-rabbit',
        kind: 'amqp',
        verb: 'SUBSCRIBE',
        exchange: 'logs',
        filter: 'info.#',
        repeat: 1,
        intervalMs: 0,
      });
      assert.equal(send('SUBSCRIBE amqp://local-rabbit/logs').filter, '#');
      assert.deepEqual(codes(parseMessageFile('SUBSCRIBE amqp://local-rabbit/')), ['default-exchange-subscribe']);
    });
  });

  describe('headers', () => {
    it('reads every MQTT header', () => {
      const r = send(
        [
          'PUBLISH mqtt://local/t',
          'qos: 2',
          'RETAIN: TRUE',
          'Content-Type: text/plain; charset=utf-8',
          'Payload-Format-Indicator: utf-8',
          'Response-Topic: replies/1',
          'Correlation-Data: c-1',
          'Message-Expiry-Interval: 5m',
          'Topic-Alias: 3',
          'User-Property: a=1',
          'User-Property: a=2',
          'User-Property: empty=',
          'Repeat: 3',
          'Interval: 250ms',
        ].join('\n'),
      );
      assert.deepEqual(r.draft!.mqtt, {
        topic: 't',
        qos: 2,
        retain: true,
        contentType: 'text/plain; charset=utf-8',
        payloadFormatIndicator: true,
        responseTopic: 'replies/1',
        correlationData: 'c-1',
        messageExpiryInterval: 300,
        topicAlias: 3,
        userProperties: [
          { key: 'a', value: '1' },
          { key: 'a', value: '2' },
          { key: 'empty', value: '' },
        ],
      });
      assert.equal(r.repeat, 3);
      assert.equal(r.intervalMs, 250);
      assert.equal(r.draft!.payload, '');
    });

    it('reports bad values with their position', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/t\nQoS: 3\nRetain: yes\nTopic-Alias: 0\nMessage-Expiry-Interval: 1.5\nUser-Property: novalue\nRepeat: 0\nInterval: soon');
      assert.deepEqual(
        f.problems.map((p) => [p.code, p.line, p.start, p.end]),
        [
          ['bad-qos', 1, 5, 6],
          ['bad-boolean', 2, 8, 11],
          ['bad-value', 3, 13, 14],
          ['bad-value', 4, 25, 28],
          ['bad-value', 5, 15, 22],
          ['bad-value', 6, 8, 9],
          ['bad-value', 7, 10, 14],
        ],
      );
      assert.match(f.problems[0]!.message, /QoS "3" does not exist/);
      assert.match(err(resolveBlock(f, f.blocks[0]!, env())), /^Line 2: QoS "3"/);
    });

    it('warns about unknown headers with did-you-mean, and headers of the other protocol', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/t\nRetian: true\nCorrelation-Id: 1\nPayload-Format: utf-8\nQoS: 1\nQoS: 2');
      assert.deepEqual(
        f.problems.map((p) => [p.code, p.severity, p.line, p.suggestion]),
        [
          ['unknown-header', 'warning', 1, 'Retain'],
          ['header-wrong-kind', 'warning', 2, 'Correlation-Data'],
          ['unknown-header', 'warning', 3, 'Payload-Format-Indicator'],
          ['duplicate-header', 'warning', 5, undefined],
        ],
      );
      const r = ok(resolveBlock(f, f.blocks[0]!, env()));
      assert.equal(r.draft!.mqtt!.qos, 2, 'the last one wins');
      assert.equal(r.draft!.mqtt!.retain, false, 'unknown headers are not sent');
      assert.equal(r.draft!.mqtt!.correlationData, undefined);
    });

    it('every catalog header is documented and accepted for its kind', () => {
      for (const h of HEADER_NAMES) {
        assert.ok(h.doc.length > 20 && h.example.startsWith(h.name + ':'), h.name);
        for (const kind of h.kinds) {
          const verb = h.verbs[0]!;
          const url = kind === 'mqtt' ? 'mqtt://local/t' : 'amqp://local-rabbit/x';
          const f = parseMessageFile(`@temp = 1\n${verb} ${url}\nRouting-Key: k\nTopic-Alias: 1\n${h.example}\nRepeat: 2`);
          assert.deepEqual(
            f.problems.filter((p) => p.code !== 'duplicate-header' && p.code !== 'header-wrong-kind' && p.code !== 'header-not-for-verb'),
            [],
            h.example,
          );
          assert.ok(!f.problems.some((p) => p.line === 4 && p.code !== 'duplicate-header'), h.example);
        }
      }
      assert.deepEqual(SYSTEM_VARIABLES.map((v) => v.name), ['$uuid', '$isoTimestamp', '$timestamp', '$randomInt', '$env']);
    });

    it('a header line among the body is a problem, not a header', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/t\nQoS: 1\n{"a": 1}');
      assert.deepEqual(f.problems.map((p) => [p.code, p.line]), [['malformed-header', 2]]);
      assert.match(f.problems[0]!.message, /empty line/);
    });
  });

  describe('variables', () => {
    it('substitutes file variables, nested ones and system variables', () => {
      const r = send(
        [
          '@site = north',
          '@station = {{site}}-01',
          '@topic = weather/{{station}}',
          '@id = {{$uuid}}',
          'PUBLISH mqtt://local/{{topic}}/t',
          'Correlation-Data: {{id}}',
          'User-Property: n={{$randomInt 10 20}}',
          '',
          '{{id}} {{$uuid}} {{$timestamp}} {{$isoTimestamp}} {{ site }} \\{{literal}}',
        ].join('\n'),
      );
      assert.equal(r.draft!.mqtt!.topic, 'weather/north-01/t');
      assert.equal(r.draft!.mqtt!.correlationData, 'uuid-1');
      assert.deepEqual(r.draft!.mqtt!.userProperties, [{ key: 'n', value: '15' }]);
      // a file variable is evaluated once per message; a direct $uuid is new at each use
      assert.equal(r.draft!.payload, 'uuid-1 uuid-2 1714566896 2024-05-01T12:34:56.789Z north {{literal}}');
    });

    it('$randomInt stays within [MIN, MAX)', () => {
      const at = (x: number) => send('PUBLISH mqtt://local/t\n\n{{$randomInt 0 100}}', 0, env({ random: () => x })).draft!.payload;
      assert.equal(at(0), '0');
      assert.equal(at(0.999999), '99');
      assert.equal(at(1), '99');
    });

    it('a definition applies below it, and redefinitions apply to later blocks', () => {
      const text = '@n = 1\nPUBLISH mqtt://local/t\n\n{{n}}\n### two\n@n = {{n}}2\nPUBLISH mqtt://local/t\n\n{{n}}';
      assert.equal(send(text, 0).draft!.payload, '1');
      assert.equal(send(text, 1).draft!.payload, '12');
    });

    it('an unresolved variable is an error with its position', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/t\nContent-Type: text/plain\n\nvalue: {{temp}} and {{tmep2}}\n###\n@temp = 1');
      const p = checkMessageFile(f, CONTEXT);
      assert.deepEqual(p.map((x) => [x.code, x.line, x.start, x.end]), [
        ['unresolved-variable', 3, 7, 15],
        ['unresolved-variable', 3, 20, 29],
      ]);
      assert.match(p[0]!.message, /defined below \(line 6\)/);
      assert.match(err(resolveBlock(f, f.blocks[0]!, env())), /^Line 4: Variable "temp" is defined below/);
    });

    it('reports unknown system variables, bad arguments, unclosed and bad references', () => {
      const f = parseMessageFile('@a = {{$uid}}\n@b = {{$randomInt 5 1}}\n@c = {{x\n@d = {{no spaces}}\n@e = {{$env}}\n@f = {{}}');
      const all = [...f.problems, ...checkMessageFile(f, CONTEXT)].sort((a, b) => a.line - b.line);
      assert.deepEqual(all.map((p) => [p.code, p.line]), [
        ['unknown-system-variable', 0],
        ['bad-system-variable', 1],
        ['unclosed-variable', 2],
        ['bad-variable', 3],
        ['bad-system-variable', 4],
        ['bad-variable', 5],
      ]);
      assert.equal(all[0]!.suggestion, '$uuid');
      assert.deepEqual(codes(parseMessageFile('@ x = 1\n@1x = 2')), ['malformed-variable', 'malformed-variable']);
    });

    it('{{$env}} reads the injected environment, and an unset one is an error', () => {
      assert.equal(send('PUBLISH mqtt://local/t\n\n{{$env TOKEN}}').draft!.payload, 's3cret');
      const f = parseMessageFile('PUBLISH mqtt://local/t\n\n{{$env NOPE}}');
      assert.match(err(resolveBlock(f, f.blocks[0]!, env())), /NOPE is not set/);
    });

    it('variables are evaluated lazily: an unused $env does not block an untrusted send', () => {
      const r = send('@token = {{$env TOKEN}}\nPUBLISH mqtt://local/t\n\nplain', 0, env({ trusted: false }));
      assert.equal(r.draft!.payload, 'plain');
    });
  });

  describe('file bodies', () => {
    const files: Record<string, Uint8Array> = {
      '/work/msgs/payload.json': new TextEncoder().encode('{"a": 1}\n'),
      '/work/msgs/bin/image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]),
      '/work/shared/template.json': new TextEncoder().encode('{"id": "{{$uuid}}",\r\n "t": {{temp}}}'),
    };
    const fsEnv = (over: Partial<ResolveEnv> = {}) =>
      env({
        readFile: (p) => {
          const f = files[p];
          if (!f) {
            throw new Error(`ENOENT: ${p}`);
          }
          return f;
        },
        ...over,
      });

    it('sends a text file as it is, relative to the message file', () => {
      const text = 'PUBLISH mqtt://local/t\nContent-Type: application/json\n\n< ./payload.json\n';
      const file = parseMessageFile(text);
      assert.deepEqual(file.blocks[0]!.body, { kind: 'file', path: './payload.json', substitute: false, line: 3, span: { start: 2, end: 16 } });
      const r = send(text, 0, fsEnv());
      assert.equal(r.draft!.payload, '{"a": 1}\n');
      assert.equal(r.draft!.format, 'json');
    });

    it('sends a binary file as base64', () => {
      const r = send('PUBLISH mqtt://local/t\n\n< bin/image.png', 0, fsEnv());
      assert.equal(r.draft!.format, 'base64');
      assert.equal(r.draft!.payload, 'iVBORw0KGgoA/w==');
      assert.deepEqual(validateDraft(r.draft!), []);
    });

    it('<@ substitutes variables in a text file', () => {
      const r = send('@temp = 7\nPUBLISH mqtt://local/t\n\n<@ ../shared/template.json', 0, fsEnv());
      assert.equal(r.draft!.payload, '{"id": "uuid-1",\r\n "t": 7}');
    });

    it('reports a missing file and refuses to read files when untrusted', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/t\n\n< ./missing.bin');
      assert.match(err(resolveBlock(f, f.blocks[0]!, fsEnv())), /cannot read \.\/missing\.bin: ENOENT/);
      const g = parseMessageFile('PUBLISH mqtt://local/t\n\n< ./payload.json');
      let read = false;
      const e = err(resolveBlock(g, g.blocks[0]!, fsEnv({ trusted: false, readFile: () => ((read = true), new Uint8Array()) })));
      assert.match(e, /not trusted/);
      assert.equal(read, false, 'the file is never read');
      const h = parseMessageFile('PUBLISH mqtt://local/t\nCorrelation-Data: {{$env TOKEN}}');
      let asked = false;
      assert.match(err(resolveBlock(h, h.blocks[0]!, env({ trusted: false, getEnv: () => ((asked = true), 'x') }))), /not trusted.*environment/);
      assert.equal(asked, false, 'the environment is never read');
    });

    it('"< file" followed by more lines is text, with a warning', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/t\n\n< ./a\nmore');
      assert.deepEqual(f.problems.map((p) => p.code), ['file-body-not-alone']);
      assert.equal(f.blocks[0]!.body!.kind, 'inline');
    });

    it('joins paths', () => {
      assert.equal(resolvePath('/a/b', './c.json'), '/a/b/c.json');
      assert.equal(resolvePath('/a/b', '../c/./d.bin'), '/a/c/d.bin');
      assert.equal(resolvePath('/a/b', '/abs/x'), '/abs/x');
      assert.equal(resolvePath('C:\\work\\msgs', '.\\p.json'), 'C:\\work\\msgs\\p.json');
      assert.equal(resolvePath('C:\\work\\msgs', '../p.json'), 'C:\\work\\p.json');
    });
  });

  describe('JSON bodies', () => {
    it('checks the body after substituting variables and sample values', () => {
      const good = parseMessageFile('@t = 21.5\n@n = x\nPUBLISH mqtt://local/t\nContent-Type: application/json\n\n{"t": {{t}}, "r": {{$randomInt 0 9}}, "s": {{$timestamp}}, "id": "{{$uuid}}", "e": "{{$env X}}", "f": {{$env Y}}, "n": "{{n}}"}');
      assert.deepEqual(checkMessageFile(good, CONTEXT), []);
      const bad = parseMessageFile('PUBLISH mqtt://local/t\nContent-Type: application/vnd.x+json\n\n{\n  "id": {{$uuid}},\n  "a": 1,\n}');
      const p = checkMessageFile(bad, CONTEXT);
      assert.deepEqual(p.map((x) => [x.code, x.line, x.start]), [['invalid-json', 4, 8]]);
      const trailing = parseMessageFile('PUBLISH mqtt://local/t\nContent-Type: application/json\n\n{\n  "a": 1,\n}');
      assert.deepEqual(checkMessageFile(trailing, CONTEXT).map((x) => [x.code, x.line, x.start]), [['invalid-json', 4, 8]], 'at the trailing comma');
      assert.match(err(resolveBlock(trailing, trailing.blocks[0]!, env())), /not JSON/);
    });

    it('a value with a quote breaks a JSON string, and the check says so', () => {
      const f = parseMessageFile('@name = say "hi"\nPUBLISH mqtt://local/t\nContent-Type: application/json\n\n{"n": "{{name}}"}');
      assert.deepEqual(checkMessageFile(f, CONTEXT).map((x) => x.code), ['invalid-json']);
    });

    it('does not check text bodies, nor JSON with unresolved variables twice', () => {
      assert.deepEqual(codes(parseMessageFile('PUBLISH mqtt://local/t\n\n{not json')), []);
      assert.deepEqual(codes(parseMessageFile('PUBLISH mqtt://local/t\nContent-Type: application/json\n\n{"a": {{nope}}}')), ['unresolved-variable']);
    });
  });

  describe('structure', () => {
    it('splits blocks on ###, with comments, CRLF and blocks without a body', () => {
      const text = [
        '# a comment',
        '// another',
        '@v = 1',
        'PUBLISH mqtt://local/a',
        '# a comment among headers',
        'QoS: 1',
        '',
        'body {{v}}',
        'second line # not a comment',
        '',
        '',
        '###   Second one  ',
        '// comment',
        'SUBSCRIBE mqtt://local/weather/#',
        '###',
        'publish mqtt://local/no-body',
        '### empty section',
        '',
      ].join('\r\n');
      const f = parseMessageFile(text);
      assert.deepEqual(f.problems, []);
      assert.equal(f.lineCount, 18);
      assert.deepEqual(
        f.blocks.map((b) => [b.name, b.range.startLine, b.range.endLine, b.requestLine, b.verb]),
        [
          [undefined, 0, 8, 3, 'PUBLISH'],
          ['Second one', 11, 13, 13, 'SUBSCRIBE'],
          [undefined, 14, 15, 15, 'PUBLISH'],
        ],
      );
      assert.deepEqual(f.blocks[0]!.body, { kind: 'inline', text: 'body {{v}}\nsecond line # not a comment', startLine: 7 });
      assert.equal(f.blocks[2]!.body, undefined);
      assert.equal(send(text, 0).draft!.payload, 'body 1\nsecond line # not a comment');
      assert.equal(send(text, 2).draft!.payload, '');
      assert.deepEqual(send(text, 1), { connection: 'local', kind: 'mqtt', verb: 'SUBSCRIBE', filter: 'weather/#', repeat: 1, intervalMs: 0 });
    });

    it('keeps empty lines inside a body and counts lone CR as a line end', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/a\r\r\ra\r\rb\r\r');
      assert.deepEqual(f.blocks[0]!.body, { kind: 'inline', text: 'a\n\nb', startLine: 3 });
    });

    it('unknown verbs and missing verbs are problems; the section is skipped', () => {
      const f = parseMessageFile('PUBLSH mqtt://local/a\nQoS: 1\n###\nmqtt://local/b\n###\nPOST http://x\n###\nPUBLISH mqtt://local/c');
      assert.deepEqual(f.problems.map((p) => [p.code, p.line, p.suggestion]), [
        ['unknown-verb', 0, 'PUBLISH'],
        ['missing-verb', 3, 'PUBLISH mqtt://local/b'],
        ['unknown-verb', 5, undefined],
      ]);
      assert.deepEqual(f.blocks.map((b) => b.target.text), ['c']);
    });

    it('refuses to send a block with syntax errors', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/a\nRetain: maybe');
      assert.match(err(resolveBlock(f, f.blocks[0]!, env())), /^Line 2: Retain must be true or false/);
    });

    it('a variable-looking first body line gets a hint', () => {
      const f = parseMessageFile('PUBLISH mqtt://local/a\n\n@x = 1');
      assert.deepEqual(f.problems.map((p) => [p.code, p.severity]), [['variable-in-body', 'info']]);
    });

    it('warns about a body on SUBSCRIBE and Interval without Repeat', () => {
      assert.deepEqual(codes(parseMessageFile('SUBSCRIBE mqtt://local/a/#\n\nbody')), ['body-ignored']);
      assert.deepEqual(codes(parseMessageFile('PUBLISH mqtt://local/a\nInterval: 1s')), ['interval-without-repeat']);
    });

    it('Repeat and Interval', () => {
      const r = send('PUBLISH mqtt://local/a\nRepeat: 10\nInterval: 2s\n\n{{$uuid}}');
      assert.equal(r.repeat, 10);
      assert.equal(r.intervalMs, 2000);
      assert.equal(send('PUBLISH mqtt://local/a\nRepeat: 2\nInterval: 1.5m').intervalMs, 90000);
      assert.equal(send('PUBLISH mqtt://local/a\nRepeat: 2\nInterval: 40').intervalMs, 40);
    });
  });

  describe('completion context', () => {
    const text = '@temp = 1\nPUBLISH mqtt://local/weather/x\nQo\n\n{"t": {{te';
    const f = parseMessageFile(text);
    const lines = text.split('\n');
    const at = (line: number, ch: number) => completionContextAt(f, lines[line]!, line, ch);
    it('knows where the cursor is', () => {
      assert.deepEqual(at(1, 3), { kind: 'verb', prefix: 'PUB', start: 0 });
      assert.deepEqual(at(1, 17), { kind: 'connection', scheme: 'mqtt', prefix: 'lo', start: 15 });
      const t = at(1, 29);
      assert.equal(t?.kind, 'target');
      assert.equal(t?.kind === 'target' && t.prefix, 'weather/');
      const h = at(2, 2);
      assert.equal(h?.kind === 'headerName' && h.prefix, 'Qo');
      assert.deepEqual(at(4, 10), { kind: 'variable', prefix: 'te', start: 8 });
    });
  });
});
