import { describe, expect, it } from 'vitest';
import { MsrpParseError } from '../../src/msrp/errors.js';
import { formatMsrpUri, parseMsrpUri, sameMsrpUri } from '../../src/msrp/uri.js';

describe('MSRP URI (RFC 4975 9)', () => {
  it('reads scheme, host, port, session id and transport, and writes them back', () => {
    const uri = parseMsrpUri('msrps://Atlanta.example.com:7654/jshA7weztas;TCP');
    expect(uri).toEqual({ secure: true, host: 'Atlanta.example.com', port: 7654, sessionId: 'jshA7weztas', transport: 'tcp' });
    expect(formatMsrpUri(uri)).toBe('msrps://Atlanta.example.com:7654/jshA7weztas;tcp');
    expect(parseMsrpUri('msrp://cs.a.example/x;tcp').port).toBeUndefined();
  });

  it('compares hosts case-insensitively and session ids exactly (RFC 4975 6.1)', () => {
    const a = parseMsrpUri('msrp://a.example:1/ABC;tcp');
    expect(sameMsrpUri(a, parseMsrpUri('msrp://A.EXAMPLE:1/ABC;tcp'))).toBe(true);
    expect(sameMsrpUri(a, parseMsrpUri('msrp://a.example:1/abc;tcp'))).toBe(false);
    expect(sameMsrpUri(a, parseMsrpUri('msrp://a.example:2/ABC;tcp'))).toBe(false);
  });

  it('refuses a URI without session id or transport', () => {
    expect(() => parseMsrpUri('msrp://a.example:1;tcp')).toThrow(MsrpParseError);
    expect(() => parseMsrpUri('msrp://a.example:1/s')).toThrow(/malformed MSRP URI/);
  });
});
