import assert from 'node:assert/strict';
import { encodeBody, formatHeaders, parseHeaders } from '../../src/core/amqp/headers';

describe('AMQP message input', () => {
  it('encodes text, JSON and base64 bodies, refusing what is not valid', () => {
    assert.equal((encodeBody('{"message": "System started successfully."}', 'json') as Buffer).toString(), '{"message": "System started successfully."}');
    assert.match(encodeBody('{nope', 'json') as string, /^Not valid JSON: /);
    assert.deepEqual([...(encodeBody('AKX/', 'base64') as Buffer)], [0x00, 0xa5, 0xff]);
    assert.equal(encodeBody('AK X/', 'base64') instanceof Buffer, true, 'whitespace is ignored');
    assert.equal(encodeBody('A', 'base64'), 'Not valid base64');
    assert.equal((encodeBody('plain', 'text') as Buffer).toString(), 'plain');
  });

  it('parses headers with typed values and formats them back', () => {
    assert.deepEqual(parseHeaders('site=north, retries=3, urgent=true, ratio=0.5'), { site: 'north', retries: 3, urgent: true, ratio: 0.5 });
    assert.equal(parseHeaders('nokey'), '"nokey" is not key=value');
    assert.deepEqual(parseHeaders(' , '), {});
    assert.equal(formatHeaders({ site: 'north', retries: 3 }), 'site=north, retries=3');
  });
});
