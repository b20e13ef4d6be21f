import { describe, expect, it } from 'vitest';
import { parseXcap, serializeXcap, XcapParseError } from '../../src/xcap/codec.js';
import type { XcapMessage } from '../../src/xcap/message.js';

describe('XCAP over HTTP/1.1 (RFC 4825, RFC 9112)', () => {
  const get: XcapMessage = { protocol: 'xcap', type: 'xcap-request', method: 'GET', host: 'xdms.b.example', path: '/org.openmobilealliance.cpm-user-prefs/users/sip%3Abob%40b.example/index', assertedIdentity: 'cs.b.example' };

  it('writes a GET with Host and the asserted identity, and reads it back', () => {
    expect(serializeXcap(get)).toBe('GET /org.openmobilealliance.cpm-user-prefs/users/sip%3Abob%40b.example/index HTTP/1.1\r\nHost: xdms.b.example\r\nX-XCAP-Asserted-Identity: "cs.b.example"\r\n\r\n');
    expect(parseXcap(serializeXcap(get))).toEqual(get);
  });

  it('writes a response with its entity tag and a body counted in octets', () => {
    const ok: XcapMessage = { protocol: 'xcap', type: 'xcap-response', status: 200, reason: 'OK', etag: 'ab12', body: { contentType: 'application/xml', text: '<é/>' } };
    expect(serializeXcap(ok)).toBe('HTTP/1.1 200 OK\r\nETag: "ab12"\r\nContent-Type: application/xml\r\nContent-Length: 5\r\n\r\n<é/>');
    expect(parseXcap(serializeXcap(ok))).toEqual(ok);
    const missing: XcapMessage = { protocol: 'xcap', type: 'xcap-response', status: 404, reason: 'Not Found' };
    expect(parseXcap(serializeXcap(missing))).toEqual(missing);
  });

  it('refuses what it does not speak, saying why', () => {
    expect(() => parseXcap('PUT /x HTTP/1.1\r\nHost: h\r\n\r\n')).toThrow(XcapParseError);
    expect(() => parseXcap('GET /x HTTP/1.1\r\nHost: h\r\n\r\n')).toThrow(/needs Host and X-XCAP-Asserted-Identity/);
    expect(() => parseXcap('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort')).toThrow(/Content-Length 9 does not match the 5-octet body/);
  });

  it('refuses a control character in the start line, which it could not write back (fuzz seed 20261203, index 94285)', () => {
    expect(() => parseXcap('HTTP/1.1 200 O\x0eK\r\n\r\n')).toThrow(/start line .* holds a control character/);
    expect(() => parseXcap('GET /x\x01y HTTP/1.1\r\nHost: h\r\nX-XCAP-Asserted-Identity: "sip:a@a.example"\r\n\r\n')).toThrow(XcapParseError);
    // HTAB and obs-text may be in a reason phrase (RFC 9112 4), and are written back as they are.
    const response = parseXcap('HTTP/1.1 200 O\tK \u00e9\r\n\r\n');
    expect(serializeXcap(response)).toContain('HTTP/1.1 200 O\tK \u00e9\r\n');
  });
});
