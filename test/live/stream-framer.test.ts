import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { StreamFramer } from '../../src/live/stream-framer.js';

const message = (body: string, lengthLine = `Content-Length: ${Buffer.byteLength(body)}`) => `MESSAGE sip:bob@b.example SIP/2.0\r\nCall-ID: x\r\n${lengthLine}\r\n\r\n${body}`;
const texts = (frames: ReturnType<StreamFramer['push']>) => frames.map((f) => (f.kind === 'message' ? f.octets.toString('utf8') : f.kind));

describe('StreamFramer (RFC 3261 18.3)', () => {
  it('cuts two messages that arrive in one chunk at their Content-Length', () => {
    const framer = new StreamFramer(10_000);
    expect(texts(framer.push(Buffer.from(message('hello') + message('world!'))))).toEqual([message('hello'), message('world!')]);
  });

  it('waits for the rest of a message split across chunks, the body counted in octets', () => {
    const framer = new StreamFramer(10_000);
    const whole = Buffer.from(message('héllo'));
    expect(framer.push(whole.subarray(0, 20))).toEqual([]);
    expect(framer.push(whole.subarray(20, whole.length - 1))).toEqual([]);
    expect(texts(framer.push(whole.subarray(whole.length - 1)))).toEqual([message('héllo')]);
  });

  it('reads the compact form l: (RFC 3261 7.3.3) and skips CRLF keep-alives between messages (RFC 5626 3.5.1)', () => {
    const framer = new StreamFramer(10_000);
    expect(texts(framer.push(Buffer.from(`\r\n\r\n${message('abc', 'l: 3')}\r\n\r\n`)))).toEqual([message('abc', 'l: 3')]);
  });

  it('refuses a message without Content-Length, and frames nothing after it', () => {
    const framer = new StreamFramer(10_000);
    const frames = framer.push(Buffer.from('OPTIONS sip:a.example SIP/2.0\r\nCall-ID: y\r\n\r\n'));
    expect(frames).toMatchObject([{ kind: 'unframeable', reason: 'no Content-Length on a stream (RFC 3261 18.3)' }]);
    expect(framer.push(Buffer.from(message('later')))).toEqual([]);
  });

  it('reports a message whose Content-Length takes it over the bound, with its head to answer 513', () => {
    const framer = new StreamFramer(100);
    const frames = framer.push(Buffer.from(message('x'.repeat(200))));
    expect(frames).toMatchObject([{ kind: 'oversize', octets: Buffer.byteLength(message('x'.repeat(200))) }]);
    expect(frames[0]!.kind === 'oversize' && frames[0]!.head).toContain('Call-ID: x');
  });

  it('reports a head that grows past the bound without ending', () => {
    const framer = new StreamFramer(64);
    expect(texts(framer.push(Buffer.from(`MESSAGE sip:b SIP/2.0\r\nSubject: ${'y'.repeat(80)}`)))).toEqual(['oversize']);
  });
});
