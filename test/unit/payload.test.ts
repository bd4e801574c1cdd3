import assert from 'node:assert/strict';
import { classifyPayload, formatBytes, hexPreview, previewPayload } from '../../src/core/mqtt/payload';

const b = (s: string) => Buffer.from(s);

describe('payload previews', () => {
  it('recognises JSON, text, binary and empty payloads', () => {
    assert.equal(classifyPayload(b('{"temperature": 25.5}')), 'json');
    assert.equal(classifyPayload(b('[1,2]')), 'json');
    assert.equal(classifyPayload(b('{not json')), 'text');
    assert.equal(classifyPayload(b('online')), 'text');
    assert.equal(classifyPayload(b('température 25 °C')), 'text');
    assert.equal(classifyPayload(Buffer.from([0xa5, 0x00, 0xff])), 'binary');
    assert.equal(classifyPayload(Buffer.from([0xc3])), 'binary'); // invalid UTF-8
    assert.equal(classifyPayload(new Uint8Array(0)), 'empty');
  });

  it('previews the first 80 characters on one line', () => {
    const long = 'x'.repeat(200);
    const p = previewPayload(b(long));
    assert.equal(p.text.length, 80);
    assert.ok(p.text.endsWith('…'));
    assert.equal(previewPayload(b('{\n  "a": 1\n}')).text, '{ "a": 1 }');
  });

  it('shows binary payloads as hex', () => {
    const p = previewPayload(Buffer.from([0, 1, 0xa5, 0xff]));
    assert.deepEqual(p, { kind: 'binary', text: '00 01 a5 ff' });
    assert.equal(hexPreview(Buffer.alloc(40, 1), 3), '01 01 01 …');
  });

  it('treats a truncated prefix cut inside a UTF-8 character as text', () => {
    const full = b('température');
    const cut = full.subarray(0, 5); // "temp" + the first byte of "é"
    assert.equal(classifyPayload(cut, true), 'text');
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(2 * 1024 * 1024), '2.0 MB');
  });
});
