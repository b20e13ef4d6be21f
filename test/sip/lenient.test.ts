import { describe, expect, it } from 'vitest';
import { readLeniently } from '../../src/sip/lenient.js';

describe('reading what is not valid SIP (RFC 3261 8.2, 16.3: enough to answer it)', () => {
  it('keeps a request start line it cannot parse, the header lines it can find and the bytes as they were', () => {
    const text = 'MESSAGE sip:bob@b.example SIP/9.9\r\nvia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nnot a header\r\n: empty name\r\nCall-ID: c1\r\n\r\n';
    const m = readLeniently(text);
    expect(m).toMatchObject({ type: 'request', method: 'MESSAGE', uri: { scheme: 'unparsed', value: 'sip:bob@b.example' }, wire: text });
    expect(m.headers).toEqual([
      { name: 'Via', value: 'SIP/2.0/UDP a.example;branch=z9hG4bK1' },
      { name: 'Call-ID', value: 'c1' },
    ]);
    expect(m.body).toBeUndefined();
  });

  it('reads a response by its status code and reason', () => {
    const m = readLeniently('SIP/2.0 404 Not Here\r\nCSeq: 1 MESSAGE\r\n\r\n');
    expect(m).toMatchObject({ type: 'response', status: 404, reason: 'Not Here' });
    expect(readLeniently('SIP/2.0 200\r\n\r\n')).toMatchObject({ type: 'response', status: 200, reason: '' });
  });

  it('keeps the body as text under its Content-Type, which with Content-Length is no header of the result', () => {
    const m = readLeniently('MESSAGE sip:b SIP/2.0\nContent-Type: text/plain\ncontent-length: 99\n\nhello\r\n\r\nagain');
    expect(m.headers).toEqual([]);
    expect(m.body).toEqual({ kind: 'text', contentType: 'text/plain', text: 'hello\r\n\r\nagain' });
    expect(readLeniently('X y\r\n\r\nraw').body).toEqual({ kind: 'text', contentType: 'application/octet-stream', text: 'raw' });
  });

  it('reads an empty input as a request of nothing', () => {
    expect(readLeniently('')).toMatchObject({ type: 'request', method: '', uri: { scheme: 'unparsed', value: '' }, headers: [] });
  });

  it('splits header lines at LF alone too, and names a header whatever the space before its colon', () => {
    const m = readLeniently('MESSAGE sip:b SIP/2.0\nCall-ID : c1\nCSeq: 1 MESSAGE\n\n');
    expect(m.headers).toEqual([
      { name: 'Call-ID', value: 'c1' },
      { name: 'CSeq', value: '1 MESSAGE' },
    ]);
  });

  it('takes the media type from a Content-Type line however it is spaced, and only from that header', () => {
    const typeOf = (line: string) => readLeniently(`MESSAGE sip:b SIP/2.0\r\n${line}\r\n\r\nbody`).body;
    expect(typeOf('Content-Type:text/plain')).toMatchObject({ contentType: 'text/plain' });
    expect(typeOf('content-type  :  message/cpim')).toMatchObject({ contentType: 'message/cpim' });
    expect(typeOf('X-Content-Type: text/html')).toMatchObject({ contentType: 'application/octet-stream' });
    // The CR of a CRLF line end (RFC 3261 7) and trailing blanks are no part of the media type.
    expect(typeOf('Content-Type: text/plain \t\r\nContent-Length: 4')).toMatchObject({ contentType: 'text/plain' });
  });

  it('reads a status line only at the start, with any run of spaces, and a request line split on runs of spaces', () => {
    expect(readLeniently('XSIP/2.0 200 OK\r\n\r\n')).toMatchObject({ type: 'request', method: 'XSIP/2.0' });
    expect(readLeniently('SIP/2.0  486  Busy Here\r\n\r\n')).toMatchObject({ type: 'response', status: 486, reason: 'Busy Here' });
    expect(readLeniently('MESSAGE   sip:bob@b.example  SIP/2.0\r\n\r\n')).toMatchObject({ method: 'MESSAGE', uri: { value: 'sip:bob@b.example' } });
  });
});

