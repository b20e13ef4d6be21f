import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../src/sip/errors.js';
import {
  canonicalHeaderName,
  formatCSeq,
  formatVia,
  parseContacts,
  parseCSeq,
  parseVia,
  splitHeaderList,
} from '../../src/sip/header-values.js';
import { via } from './arbitraries.js';

function errorOf(f: () => unknown): SipParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof SipParseError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('splitHeaderList', () => {
  it('splits on commas outside quotes and <>', () => {
    expect(splitHeaderList('"Bell, A." <sip:a@x;p=1,2>, <sip:b@y> ,sip:c@z')).toEqual(['"Bell, A." <sip:a@x;p=1,2>', '<sip:b@y>', 'sip:c@z']);
    expect(splitHeaderList('"a \\" , b", c')).toEqual(['"a \\" , b"', 'c']);
  });

  it('keeps empty elements for the caller to judge and gives nothing for a blank value', () => {
    expect(splitHeaderList('a,,b,')).toEqual(['a', '', 'b', '']);
    expect(splitHeaderList('  ')).toEqual([]);
  });
});

describe('parseVia', () => {
  it('reads every via-parm of a line', () => {
    expect(parseVia('SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK776;rport, SIP/2.0/TCP [2001:db8::1]:5061;received=192.0.2.1')).toStrictEqual([
      { protocol: 'SIP/2.0', transport: 'UDP', host: 'pc33.example.com', port: 5060, params: [{ name: 'branch', value: 'z9hG4bK776' }, { name: 'rport' }] },
      { protocol: 'SIP/2.0', transport: 'TCP', host: '[2001:db8::1]', port: 5061, params: [{ name: 'received', value: '192.0.2.1' }] },
    ]);
  });

  it('allows whitespace around "/" ":" ";" "=" (RFC 3261 25.1 SWS)', () => {
    expect(parseVia('SIP  / 2.0  / TCP     spindle.example.com : 5070  ;  branch  =   z9hG4bK9ikj8')).toStrictEqual([
      { protocol: 'SIP/2.0', transport: 'TCP', host: 'spindle.example.com', port: 5070, params: [{ name: 'branch', value: 'z9hG4bK9ikj8' }] },
    ]);
  });

  it('reads received with an IPv6 address with or without brackets (RFC 5118 4.5)', () => {
    expect(parseVia('SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255')[0]?.params).toEqual([{ name: 'received', value: '2001:db8::9:255' }]);
    expect(parseVia('SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255]')[0]?.params).toEqual([{ name: 'received', value: '[2001:db8::9:255]' }]);
  });

  it.each([
    ['', 'empty Via header'],
    ['SIP/2.0/UDP 192.0.2.15;;,;,,', 'empty parameter'],
    ['SIP/2.0/UDP a.example.com,', 'empty element in Via list'],
    ['SIP/2.0 host.example.com', 'is not "protocol/version/transport host"'],
    ['SIP/2.0/UDP', 'is not "protocol/version/transport host"'],
    ['SIP/2.0/UDP ho_st', "malformed host 'ho_st'"],
    ['SIP/2.0/UDP 2001:db8::1', "malformed host '2001'"],
    ['SIP/2.0/UDP host:99999', "malformed port '99999'"],
    ['SIP/2.0/UDP host junk', "malformed host 'host junk'"],
    // RFC 3261 25.1 sent-by = host [ COLON port ]: before the colon or the first ";" the host is empty.
    ['SIP/2.0/UDP :5060', "malformed host ''"],
    ['SIP/2.0/UDP ;branch=z9hG4bK1', "malformed host ''"],
    // The message names the via-parm at fault, which the 400's 399 warning shows.
    ['SIP/2.0/UDP a.example.com, SIP/2.0/UDP ho_st', "Via 'SIP/2.0/UDP ho_st' has malformed host 'ho_st'"],
  ])('rejects %j', (value, message) => {
    const err = errorOf(() => parseVia(value));
    expect(err.what).toBe('header');
    expect(err.message).toContain(message);
  });

  it('is inverted by formatVia', () => {
    expect(formatVia({ protocol: 'SIP/2.0', transport: 'UDP', host: 'h.example.com', params: [{ name: 'branch', value: 'z9hG4bK1' }] })).toBe(
      'SIP/2.0/UDP h.example.com;branch=z9hG4bK1',
    );
    fc.assert(
      fc.property(fc.array(via, { minLength: 1, maxLength: 3 }), (vias) => {
        expect(parseVia(vias.map(formatVia).join(', '))).toStrictEqual(structuredClone(vias));
      }),
    );
  });
});

describe('parseCSeq', () => {
  it('reads number and method, leading zeros and LWS included', () => {
    expect(parseCSeq('0009 INVITE')).toStrictEqual({ seq: 9, method: 'INVITE' });
    expect(parseCSeq(' 4294967295 \t MESSAGE ')).toStrictEqual({ seq: 4294967295, method: 'MESSAGE' });
    expect(formatCSeq({ seq: 2, method: 'BYE' })).toBe('2 BYE');
  });

  it.each([
    ['INVITE', 'is not "number method"'],
    ['1', 'is not "number method"'],
    ['-1 INVITE', 'is not "number method"'],
    ['1 IN VITE', 'is not "number method"'],
    ['1 INV@ITE', 'is not "number method"'],
    ['4294967296 INVITE', 'CSeq number 4294967296 exceeds 2**32-1'],
  ])('rejects %j', (value, message) => {
    const err = errorOf(() => parseCSeq(value));
    expect(err.what).toBe('header');
    expect(err.message).toContain(message);
  });
});

describe('parseContacts', () => {
  it('reads "*", a list, and nothing from an empty value', () => {
    expect(parseContacts(' * ')).toBe('*');
    expect(parseContacts('"Bell, A." <sip:a@example.com>;expires=60, sip:b@example.com;q=0.5')).toStrictEqual([
      { displayName: 'Bell, A.', uri: { scheme: 'sip', user: 'a', host: 'example.com', params: [], headers: [] }, params: [{ name: 'expires', value: '60' }] },
      { uri: { scheme: 'sip', user: 'b', host: 'example.com', params: [], headers: [] }, params: [{ name: 'q', value: '0.5' }] },
    ]);
    expect(parseContacts('')).toEqual([]);
  });

  it('rejects empty list elements and malformed addresses', () => {
    expect(errorOf(() => parseContacts('<sip:a@x>,,<sip:b@y>')).message).toBe('empty element in Contact list');
    expect(errorOf(() => parseContacts('"Joe" <sip:joe@example.org>;;;;')).message).toBe('empty parameter between semicolons');
  });
});

describe('canonicalHeaderName', () => {
  it.each([
    ['i', 'Call-ID'], ['m', 'Contact'], ['e', 'Content-Encoding'], ['l', 'Content-Length'], ['c', 'Content-Type'],
    ['f', 'From'], ['s', 'Subject'], ['k', 'Supported'], ['t', 'To'], ['v', 'Via'], ['o', 'Event'],
    ['u', 'Allow-Events'], ['r', 'Refer-To'], ['b', 'Referred-By'], ['x', 'Session-Expires'], ['y', 'Identity'],
    ['a', 'Accept-Contact'], ['j', 'Reject-Contact'], ['d', 'Request-Disposition'], ['I', 'Call-ID'], ['V', 'Via'],
  ])('expands compact form %s to %s', (compact, long) => {
    expect(canonicalHeaderName(compact)).toBe(long);
  });

  it.each([
    ['call-id', 'Call-ID'], ['CSEQ', 'CSeq'], ['www-authenticate', 'WWW-Authenticate'], ['MaX-fOrWaRdS', 'Max-Forwards'],
    ['p-asserted-identity', 'P-Asserted-Identity'], ['conversation-id', 'Conversation-ID'], ['CONTRIBUTION-ID', 'Contribution-ID'],
    ['inreplyto-contribution-id', 'InReplyTo-Contribution-ID'], ['accept-contact', 'Accept-Contact'], ['rack', 'RAck'],
    ['sip-etag', 'SIP-ETag'], ['min-se', 'Min-SE'], ['mime-version', 'MIME-Version'],
  ])('spells %s as %s', (name, canonical) => {
    expect(canonicalHeaderName(name)).toBe(canonical);
  });

  it('leaves unknown names as given', () => {
    expect(canonicalHeaderName('x-Custom')).toBe('x-Custom');
    expect(canonicalHeaderName('C%6Fntact')).toBe('C%6Fntact');
    expect(canonicalHeaderName('n')).toBe('n');
  });
});
