import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SipParseError, type SipParseWhat } from '../../src/sip/errors.js';
import { parseVia } from '../../src/sip/header-values.js';
import { header, headers, type SipMessage } from '../../src/sip/message.js';
import { parseNameAddr } from '../../src/sip/name-addr.js';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage } from '../../src/sip/serializer.js';

// The corpora are kept byte-exact in the repository (test/vectors/PROVENANCE.txt has their hashes).
const RFC4475 = new URL('../vectors/rfc4475/', import.meta.url);
const RFC5118 = new URL('../vectors/rfc5118/', import.meta.url);

/** The octets of a vector: one (mpart01) has a binary body part that is not UTF-8 text. */
const read = (dir: URL, name: string): Buffer => readFileSync(new URL(name, dir));
const octets = (name: string): Buffer => read(RFC4475, `${name}.dat`);
const vector = (name: string): string => octets(name).toString('utf8');

function parseError(text: string): SipParseError {
  try {
    parseMessage(text);
  } catch (e) {
    if (e instanceof SipParseError) return e;
    throw e;
  }
  throw new Error('message was accepted');
}

const roundTrips = (m: SipMessage): void => {
  expect(parseMessage(serializeMessage(m))).toStrictEqual(m);
};

describe('RFC 4475 torture tests', () => {
  describe('3.1.1: valid messages parse', () => {
    const valid = ['wsinv', 'intmeth', 'esc01', 'escnull', 'esc02', 'lwsdisp', 'longreq', 'dblreq', 'semiuri', 'transports', 'mpart01', 'unreason', 'noreason'];
    it.each(valid)('%s', (name) => {
      const m = parseMessage(octets(name));
      if (name !== 'mpart01') roundTrips(m); // mpart01: opaque octets have no text form; see below
    });

    it('wsinv: folding, odd spacing and case in names, compact forms', () => {
      const m = parseMessage(vector('wsinv'));
      expect(header(m, 'Max-Forwards')).toBe('0068');
      expect(header(m, 'CSeq')).toBe('0009 INVITE');
      expect(header(m, 'Subject')).toBe('');
      expect(header(m, 'NewFangledHeader')).toBe('newfangled value continued newfangled value');
      expect(parseNameAddr(header(m, 'From') ?? '').displayName).toBe('J Rosenberg \\"');
      expect(parseNameAddr(header(m, 'To') ?? '').params).toEqual([{ name: 'tag', value: '1918181833n' }]);
      expect(headers(m, 'Via').flatMap(parseVia).map((v) => `${v.transport} ${v.host}`)).toEqual([
        'UDP 192.0.2.2',
        'TCP spindle.example.com',
        'UDP 192.168.255.111',
      ]);
      expect(parseNameAddr(header(m, 'Contact') ?? '').params).toEqual([
        { name: 'newparam', value: 'newvalue' },
        { name: 'secondparam' },
        { name: 'q', value: '0.33' },
      ]);
      expect(m.body?.kind).toBe('sdp');
    });

    it('intmeth: token characters in method, header name and parameters; escaped controls in a quoted string', () => {
      const m = parseMessage(vector('intmeth'));
      expect(m.type === 'request' && m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
      expect(m.type === 'request' && m.uri).toMatchObject({
        user: "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
        password: "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)",
        host: 'example.com',
      });
      expect(parseNameAddr(header(m, 'To') ?? '').displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
      expect(header(m, "extensionHeader-!.%*+_`'~")).toBe('\ufeff大停電');
    });

    it('esc02: escapes are not decoded in the method or header names', () => {
      const m = parseMessage(vector('esc02'));
      expect(m.type === 'request' && m.method).toBe('RE%47IST%45R');
      expect(headers(m, 'Contact')).toHaveLength(2);
      expect(header(m, 'C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    });

    it('dblreq: Content-Length 0 ends the message; the second request is discarded (RFC 3261 18.3)', () => {
      const m = parseMessage(vector('dblreq'));
      expect(m.type === 'request' && m.method).toBe('REGISTER');
      expect(m.body).toBeUndefined();
    });

    it('noreason and unreason: empty and non-ASCII reason phrases', () => {
      expect(parseMessage(vector('noreason'))).toMatchObject({ status: 100, reason: '' });
      expect(parseMessage(vector('unreason'))).toMatchObject({ status: 200, reason: '= 2**3 * 5**2 но сто девяносто девять - простое' });
    });

    it('mpart01: the text part is decoded, the binary S/MIME part kept as its exact octets', () => {
      const raw = octets('mpart01');
      const m = parseMessage(raw);
      expect(m.body?.contentType).toBe('multipart/mixed;boundary=7a9cbec02ceef655');
      if (m.body?.kind !== 'multipart') throw new Error(`body is ${m.body?.kind}`);
      const [text, signature] = m.body.parts;
      expect(text?.content).toEqual({ kind: 'text', contentType: 'text/plain', text: 'Hello' });
      expect(text?.contentHeaders).toEqual([{ name: 'Content-Transfer-Encoding', value: 'binary' }]);
      if (signature?.content.kind !== 'binary') throw new Error(`second part is ${signature?.content.kind}`);
      expect(signature.content.contentType).toBe('application/octet-stream');
      // The DER signature runs from the blank line after the part headers to the CRLF before the
      // closing delimiter: its first octets are an ASN.1 SEQUENCE (0x30 0x82) of 0x0152 + 4 octets.
      const start = raw.indexOf('binary\r\n\r\n', raw.indexOf('application/octet-stream')) + 'binary\r\n\r\n'.length;
      const end = raw.lastIndexOf('\r\n--7a9cbec02ceef655--');
      expect(Buffer.from(signature.content.octets)).toEqual(raw.subarray(start, end));
      expect(signature.content.octets.length).toBe(0x152 + 4);
    });
  });

  describe('3.1.2: malformed messages are rejected', () => {
    const invalid: Record<string, [SipParseWhat, string]> = {
      badinv01: ['header', 'Via header: empty parameter'],
      clerr: ['content-length', 'Content-Length 9999 exceeds body length 154'],
      ncl: ['content-length', "Content-Length '-999' is not a non-negative integer"],
      scalar02: ['header', 'CSeq number 36893488147419103232 exceeds 2**32-1'],
      scalarlg: ['header', 'CSeq number 9292394834772304023312 exceeds 2**32-1'],
      quotbal: ['header', 'To header: unterminated quoted string'],
      ltgtruri: ['uri', "malformed URI '<sip:user@example.com>'"],
      lwsruri: ['start-line', "request line 'INVITE sip:user@example.com; lr SIP/2.0'"],
      lwsstart: ['start-line', "request line 'INVITE  sip:user@example.com  SIP/2.0'"],
      trws: ['start-line', "request line 'OPTIONS sip:remote-target@example.com SIP/2.0  '"],
      escruri: ['uri', 'carries headers'],
      regbadct: ['header', 'must be enclosed in <>'],
      badaspec: ['header', "To header: malformed URI ' sip:t.watson@example.org '"],
      baddn: ['header', "From header: display name 'Bell, Alexander' contains characters that require quoting"],
      badvers: ['version', 'unsupported SIP version SIP/7.0'],
      mismatch01: ['method-mismatch', 'CSeq method INVITE does not match request method OPTIONS'],
      mismatch02: ['method-mismatch', 'CSeq method INVITE does not match request method NEWMETHOD'],
      bigcode: ['start-line', "status code '4294967301' is not a number in 100..699"],
    };
    /** Vectors whose archived bytes need a repair to exhibit the defect the RFC describes. */
    const repaired: Record<string, (text: string) => string> = {
      // The archived baddn.dat ends after "l: 0" CRLF, without the empty line closing the header
      // section; unrepaired it is rejected for that instead of for its display name.
      baddn: (text) => `${text}\r\n`,
    };
    it.each(Object.entries(invalid))('%s', (name, [what, message]) => {
      const err = parseError((repaired[name] ?? ((t: string) => t))(vector(name)));
      expect(err.what).toBe(what);
      expect(err.message).toContain(message);
    });

    it('baddn as archived lacks the empty line ending the headers', () => {
      expect(parseError(vector('baddn')).message).toBe('header section is not terminated by an empty line');
    });

    /** Defects this layer deliberately accepts, each with the reason. Keep short. */
    const tolerated: Record<string, string> = {
      baddate:
        'Date (RFC 3261 20.17) must be GMT; its syntax is not checked by the parser because no CPM ' +
        'entity reads Date, and the rest of the message is well-formed.',
    };
    it.each(Object.entries(tolerated))('%s is tolerated: %s', (name) => {
      expect(() => parseMessage(vector(name))).not.toThrow();
    });
  });

  describe('3.2-3.4: syntactically valid or left to higher layers; this parser decides as listed', () => {
    const outcomes: Record<string, SipParseWhat | 'parses'> = {
      badbranch: 'parses', // a bare magic cookie is a transaction-layer matter
      insuf: 'missing-header', // lacks To, From, Call-ID (RFC 3261 8.1.1)
      unkscm: 'parses', // unknown Request-URI scheme kept opaque, answered 416 above
      novelsc: 'parses',
      unksm2: 'parses', // isbn: and http: in To/From
      bext01: 'parses', // unknown Require options are answered 420 above
      invut: 'parses', // unknown body type kept as text, answered 415 above
      regaut01: 'parses',
      multi01: 'header', // duplicate To/From/Call-ID/CSeq (RFC 3261 7.3.1)
      mcl01: 'content-length', // two Content-Length headers
      bcast: 'parses',
      zeromf: 'parses',
      cparam01: 'parses',
      cparam02: 'parses',
      regescrt: 'parses',
      sdp01: 'parses',
      inv2543: 'parses', // RFC 2543 style: no branch, no Max-Forwards, no Content-Length
    };
    it.each(Object.entries(outcomes))('%s: %s', (name, outcome) => {
      if (outcome === 'parses') roundTrips(parseMessage(vector(name)));
      else expect(parseError(vector(name)).what).toBe(outcome);
    });

    it('cparam01/cparam02: parameters after an addr-spec belong to the header, inside <> to the URI', () => {
      const c1 = parseNameAddr(header(parseMessage(vector('cparam01')), 'Contact') ?? '');
      const c2 = parseNameAddr(header(parseMessage(vector('cparam02')), 'Contact') ?? '');
      expect([c1.params, c1.uri]).toMatchObject([[{ name: 'unknownparam' }], { params: [] }]);
      expect([c2.params, c2.uri]).toMatchObject([[], { params: [{ name: 'unknownparam' }] }]);
    });

    it('inv2543: without Content-Length the body is the rest of the message', () => {
      expect(parseMessage(vector('inv2543')).body?.kind).toBe('sdp');
    });
  });
});

describe('RFC 5118 IPv6 torture tests', () => {
  /** The archive ships bare LF; the two 4.10 files also lack the empty line that ends the headers. */
  const wire = (name: string): string => {
    const text = read(RFC5118, name).toString('utf8').replace(/\n/g, '\r\n');
    return text.includes('\r\n\r\n') ? text : `${text}\r\n`;
  };
  const valid = [
    'ipv6-good', // 4.1
    'port-ambiguous', // 4.3
    'port-unambiguous', // 4.4
    'via-received-param-with-delim', // 4.5
    'via-received-param-no-delim', // 4.5
    'mult-ip-in-header', // 4.7
    'mult-ip-in-sdp', // 4.8; Content-Length 181 < 189 CRLF octets: the SDP tail is cut (RFC 3261 18.3)
    'ipv4-mapped-ipv6', // 4.9
    'ipv6-bug-abnf-3-colons', // 4.10: RFC 3261's original ABNF allowed ":::"; tolerated
    'ipv6-correct-abnf-2-colons', // 4.10
  ];
  it.each(valid)('%s parses', (name) => {
    roundTrips(parseMessage(wire(name)));
  });

  it('ipv6-bad (4.2): an IPv6 address without brackets is rejected', () => {
    const err = parseError(wire('ipv6-bad'));
    expect(err.what).toBe('uri');
    expect(err.message).toContain("malformed URI 'sip:2001:db8::10'");
  });

  it('ipv6-in-sdp (4.6): parses once its Content-Length matches its body', () => {
    // Vector defect: Content-Length says 268 but the body is 242 octets with LF and 251 with CRLF.
    const text = wire('ipv6-in-sdp');
    expect(parseError(text).message).toBe('Content-Length 268 exceeds body length 251');
    const m = parseMessage(text.replace('Content-Length: 268', 'Content-Length: 251'));
    expect(m.body?.kind).toBe('sdp');
  });

  it('brackets decide where the port is (4.3, 4.4)', () => {
    const ambiguous = parseMessage(wire('port-ambiguous'));
    expect(ambiguous).toMatchObject({ uri: { host: '[2001:db8::10:5070]', params: [] } });
    expect(ambiguous.type === 'request' && ambiguous.uri).not.toHaveProperty('port');
    expect(parseMessage(wire('port-unambiguous'))).toMatchObject({ uri: { host: '[2001:db8::10]', port: 5070 } });
  });

  it('Via received takes an IPv6 address with or without brackets (4.5)', () => {
    const received = (name: string): unknown => parseVia(header(parseMessage(wire(name)), 'Via') ?? '')[0]?.params;
    expect(received('via-received-param-with-delim')).toContainEqual({ name: 'received', value: '[2001:db8::9:255]' });
    expect(received('via-received-param-no-delim')).toContainEqual({ name: 'received', value: '2001:db8::9:255' });
  });

  it('mult-ip-in-header (4.7): Via hosts of both families', () => {
    const hosts = headers(parseMessage(wire('mult-ip-in-header')), 'Via').flatMap(parseVia).map((v) => [v.host, v.port]);
    expect(hosts).toEqual([['[2001:db8::9:1]', 6050], ['192.0.2.1', undefined], ['[2001:db8::9:255]', undefined]]);
  });
});
