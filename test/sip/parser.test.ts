import { describe, expect, it } from 'vitest';
import { SipParseError, type SipParseWhat } from '../../src/sip/errors.js';
import { header } from '../../src/sip/message.js';
import { MAX_HEADER_LINES, MAX_LINE_OCTETS, MAX_MESSAGE_OCTETS } from '../../src/sip/limits.js';
import { decodeReceivedBody, parseMessage } from '../../src/sip/parser.js';

const HEAD = [
  'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@example.com>',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 MESSAGE',
];

/** A MESSAGE request with the given extra header lines and body, CRLF line ends. */
const message = (extra: string[] = [], body = '', start = 'MESSAGE sip:bob@example.com SIP/2.0'): string =>
  `${[start, ...HEAD, ...extra].join('\r\n')}\r\n\r\n${body}`;

function parseError(text: string): SipParseError {
  try {
    parseMessage(text);
  } catch (e) {
    if (e instanceof SipParseError) return e;
    throw e;
  }
  throw new Error('message was accepted');
}

describe('parseMessage', () => {
  it('reads a request: method, URI, headers in order, body by Content-Type', () => {
    const m = parseMessage(message(['Content-Type: text/plain', 'Content-Length: 5'], 'hello'));
    expect(m).toStrictEqual({
      type: 'request',
      method: 'MESSAGE',
      uri: { scheme: 'sip', user: 'bob', host: 'example.com', params: [], headers: [] },
      headers: HEAD.map((line) => {
        const [name = '', value = ''] = line.split(': ');
        return { name, value };
      }),
      body: { kind: 'text', contentType: 'text/plain', text: 'hello' },
    });
  });

  it('reads a response, the reason phrase as written and possibly empty', () => {
    const res = (line: string): unknown => parseMessage(message([], '', line));
    expect(res('SIP/2.0 200 OK')).toMatchObject({ type: 'response', status: 200, reason: 'OK' });
    expect(res('SIP/2.0 100 ')).toMatchObject({ status: 100, reason: '' });
    expect(res('SIP/2.0 481 Call/Transaction  Does Not Exist ')).toMatchObject({ reason: 'Call/Transaction  Does Not Exist ' });
    expect(res('sip/2.0 699 Whatever')).toMatchObject({ status: 699 }); // RFC 3261 7.1: version is case-insensitive
  });

  it('accepts bare LF line ends and skips CRLFs before the start line (RFC 3261 7.5)', () => {
    const m = parseMessage(`\r\n\r\n${message(['Content-Type: text/plain'], 'a\nb').replace(/\r\n/g, '\n')}`);
    expect(m.body).toStrictEqual({ kind: 'text', contentType: 'text/plain', text: 'a\nb' });
    expect(header(m, 'CSeq')).toBe('314159 MESSAGE');
    // A bare LF before the start line is skipped as one octet, taking none of the start line with it.
    const afterLf = parseMessage(`\n${message()}`);
    expect(afterLf.type === 'request' && afterLf.method).toBe('MESSAGE');
  });

  it('unfolds continuation lines into one space (RFC 3261 7.3.1)', () => {
    const m = parseMessage(message(['Subject: first', ' \t second  ', '\tthird', 'Accept: a,', '        b', 'Organization: Boxes  ', '\tby Bob']));
    expect(header(m, 'Subject')).toBe('first second third');
    expect(header(m, 'Accept')).toBe('a, b');
    // The LWS ending the folded line is part of the fold too: one SP in all.
    expect(header(m, 'Organization')).toBe('Boxes by Bob');
  });

  it('expands compact forms, canonicalises names, allows whitespace before the colon, trims only SP/HTAB', () => {
    const m = parseMessage(message(['k : timer', 'x-custom:\t\ufeffvalue\u00a0 ', 'conversation-id: c1', 'o: presence', 'u:  reg']));
    expect(m.headers.slice(HEAD.length)).toStrictEqual([
      { name: 'Supported', value: 'timer' },
      { name: 'x-custom', value: '\ufeffvalue\u00a0' },
      { name: 'Conversation-ID', value: 'c1' },
      { name: 'Event', value: 'presence' },
      { name: 'Allow-Events', value: 'reg' },
    ]);
  });

  it('removes Content-Type and Content-Length from the headers, compact forms included', () => {
    const m = parseMessage(message(['c: text/plain;charset=UTF-8', 'l: 2'], 'hi'));
    expect(header(m, 'Content-Type')).toBeUndefined();
    expect(header(m, 'Content-Length')).toBeUndefined();
    expect(m.body).toStrictEqual({ kind: 'text', contentType: 'text/plain;charset=UTF-8', text: 'hi' });
  });

  it('counts Content-Length in UTF-8 octets', () => {
    const m = parseMessage(message(['Content-Type: text/plain', 'Content-Length: 9'], 'Zoë 😀'));
    expect(m.body).toMatchObject({ text: 'Zoë 😀' });
  });

  it('discards octets beyond Content-Length (RFC 3261 18.3)', () => {
    expect(parseMessage(message(['Content-Type: text/plain', 'Content-Length: 2'], 'Zoë and more')).body).toMatchObject({ text: 'Zo' });
    expect(parseMessage(message(['Content-Type: text/plain', 'Content-Length: 4'], 'Zoë and more')).body).toMatchObject({ text: 'Zoë' });
    expect(parseMessage(message(['Content-Type: text/plain', 'Content-Length: 0'], 'ignored')).body).toBeUndefined();
  });

  it('takes the rest as body without Content-Length (datagram), and no body when nothing follows', () => {
    expect(parseMessage(message(['Content-Type: text/plain'], 'rest\r\n')).body).toMatchObject({ text: 'rest\r\n' });
    expect(parseMessage(message(['Content-Type: text/plain'])).body).toBeUndefined();
    expect(parseMessage(message()).body).toBeUndefined();
  });

  it('decodes bodies through the codec', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=message 7394 TCP/MSRP *\r\n';
    expect(parseMessage(message(['Content-Type: application/sdp'], sdp)).body?.kind).toBe('sdp');
  });

  it('keeps a body that is not UTF-8 as opaque octets when bodies are not read (a proxy, RFC 3261 16)', () => {
    const head = Buffer.from(message(['Content-Type: application/octet-stream', 'Content-Length: 3']), 'utf8');
    const m = parseMessage(Buffer.concat([head, Buffer.from([0xff, 0xfe, 0x41])]), 'opaque');
    expect(m.body?.kind).toBe('binary');
    expect(m.body?.kind === 'binary' && [m.body.contentType, [...m.body.octets]]).toEqual(['application/octet-stream', [0xff, 0xfe, 0x41]]);
    // UTF-8 text stays text, undecoded.
    expect(parseMessage(message(['Content-Type: application/sdp'], 'v=0\r\n'), 'opaque').body).toStrictEqual({ kind: 'text', contentType: 'application/sdp', text: 'v=0\r\n' });
  });

  it('decodeReceivedBody decodes a text body a proxy passed on, and returns an opaque or typed body as it is', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=message 7394 TCP/MSRP *\r\n';
    const decoded = decodeReceivedBody({ kind: 'text', contentType: 'application/sdp', text: sdp });
    expect(decoded.kind).toBe('sdp');
    expect(decodeReceivedBody(decoded)).toBe(decoded);
    const binary = { kind: 'binary' as const, contentType: 'application/sdp', octets: new Uint8Array([0xff]) };
    expect(decodeReceivedBody(binary)).toBe(binary);
  });

  it('accepts a request without Max-Forwards', () => {
    expect(() => parseMessage(message().replace('Max-Forwards: 70\r\n', ''))).not.toThrow();
  });
});

describe('parseMessage errors name what is wrong', () => {
  const cases: [string, string, SipParseWhat, string][] = [
    ['SIP/7.0 in the request line', message([], '', 'MESSAGE sip:bob@example.com SIP/7.0'), 'version', 'unsupported SIP version SIP/7.0'],
    ['SIP/7.0 in the status line', message([], '', 'SIP/7.0 200 OK'), 'version', 'unsupported SIP version SIP/7.0'],
    ['garbage version', message([], '', 'MESSAGE sip:bob@example.com HTTP/1.1'), 'start-line', "malformed start line 'MESSAGE sip:bob@example.com HTTP/1.1'"],
    ['non-numeric status', message([], '', 'SIP/2.0 2x0 OK'), 'start-line', "status code '2x0' is not a number in 100..699"],
    ['status below 100', message([], '', 'SIP/2.0 099 Low'), 'start-line', "status code '099'"],
    ['status above 699', message([], '', 'SIP/2.0 700 High'), 'start-line', "status code '700'"],
    ['four-digit status', message([], '', 'SIP/2.0 2000 OK'), 'start-line', "status code '2000'"],
    ['no SP after the status code', message([], '', 'SIP/2.0 200'), 'start-line', "status line 'SIP/2.0 200' lacks the SP"],
    ['space in the Request-URI', message([], '', 'MESSAGE sip:bob @example.com SIP/2.0'), 'start-line', 'is not "Method SP Request-URI SP SIP-Version"'],
    ['Request-URI without scheme', message([], '', 'MESSAGE bob@example.com SIP/2.0'), 'uri', "malformed URI 'bob@example.com': no scheme"],
    ['method param in the Request-URI', message([], '', 'MESSAGE sip:bob@example.com;method=INVITE SIP/2.0'), 'uri', 'carries headers or a method parameter'],
    ['method that is not a token', message([], '', 'MES(SAGE sip:bob@example.com SIP/2.0'), 'start-line', 'is not "Method SP'],
    ['space in a header name', message(['Bad Name: x']), 'header', "invalid header name 'Bad Name'"],
    ['"@" in a header name', message(['Bad@Name: x']), 'header', "invalid header name 'Bad@Name'"],
    ['empty header name', message([': x']), 'header', "invalid header name ''"],
    ['a header line without colon', message(['Foobar roobar']), 'header', "header line 'Foobar roobar' has no colon"],
    ['negative Content-Length', message(['Content-Type: text/plain', 'Content-Length: -1'], 'x'), 'content-length', "Content-Length '-1' is not a non-negative integer"],
    ['non-numeric Content-Length', message(['Content-Length: ten']), 'content-length', "Content-Length 'ten' is not a non-negative integer"],
    ['Content-Length beyond the body', message(['Content-Type: text/plain', 'Content-Length: 120'], 'x'.repeat(97)), 'content-length', 'Content-Length 120 exceeds body length 97'],
    ['Content-Length counted in characters', message(['Content-Type: text/plain', 'Content-Length: 5'], 'Zoë'), 'content-length', 'Content-Length 5 exceeds body length 4'],
    ['Content-Length inside a character', message(['Content-Type: text/plain', 'Content-Length: 3'], 'Zoë'), 'content-length', 'Content-Length 3 ends inside a multi-byte UTF-8 character'],
    ['two Content-Length headers', message(['Content-Length: 0', 'l: 0']), 'content-length', '2 Content-Length headers where one is allowed'],
    ['CSeq method differing from the request method', message([], '', 'OPTIONS sip:bob@example.com SIP/2.0'), 'method-mismatch', 'CSeq method MESSAGE does not match request method OPTIONS'],
    ['missing mandatory headers', message().replace(/^(To|Via|Call-ID): .*\r\n/gm, ''), 'missing-header', 'missing mandatory header(s) To, Call-ID, Via'],
    ['two To headers', message(['t: <sip:carol@example.com>']), 'header', '2 To headers where one is allowed'],
    ['malformed To', message().replace('To: Bob <sip:bob@example.com>', 'To: Bob, Jr. <sip:bob@example.com>'), 'header', "To header: display name 'Bob, Jr.' contains characters that require quoting"],
    ['malformed From', message().replace('From: Alice <sip:alice@example.com>', 'From: <sip:alice@example.com'), 'header', "From header: '<sip:alice@example.com;tag=1928301774' has '<' without matching '>'"],
    ['From URI with a bad host', message().replace('sip:alice@example.com', 'sip:alice@exa mple.com'), 'header', "From header: malformed URI 'sip:alice@exa mple.com'"],
    ['malformed Via', message().replace('SIP/2.0/UDP pc33', 'SIP/2.0 pc33'), 'header', 'Via header: Via '],
    ['malformed CSeq', message().replace('CSeq: 314159 MESSAGE', 'CSeq: MESSAGE'), 'header', `CSeq header: CSeq 'MESSAGE' is not "number method"`],
    ['empty Contact', message(['Contact:']), 'header', 'Contact header: empty Contact header'],
    ['malformed Contact', message(['Contact: <sip:a@b>;;']), 'header', 'Contact header: empty parameter between semicolons'],
    ['Max-Forwards over 255', message().replace('Max-Forwards: 70', 'Max-Forwards: 300'), 'header', "Max-Forwards '300' is not an integer in 0..255"],
    ['Expires beyond 2**32-1', message(['Expires: 4294967296']), 'header', "Expires '4294967296' is not an integer in 0..4294967295"],
    ['empty Call-ID', message().replace('Call-ID: a84b4c76e66710@pc33.example.com', 'Call-ID:'), 'header', "Call-ID '' is not word[@word]"],
    ['a body without Content-Type', message(['Content-Length: 5'], 'hello'), 'body', 'message has a 5-byte body but no Content-Type'],
    ['a body the codec rejects', message(['Content-Type: application/sdp'], 'not sdp'), 'body', 'invalid application/sdp body'],
    ['a continuation line before any header', message().replace('\r\nVia:', '\r\n Via:'), 'header', "continuation line ' Via: SIP/2.0/UDP"],
    ['no empty line after the headers', message().slice(0, -2), 'header', 'header section is not terminated by an empty line'],
    ['an empty text', '', 'header', 'header section is not terminated by an empty line'],
  ];

  it.each(cases)('%s', (_, text, what, text2) => {
    const err = parseError(text);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SipParseError');
    expect(err.what).toBe(what);
    expect(err.message).toContain(text2);
  });

  it('keeps the codec error as the cause of a body error', () => {
    expect(parseError(message(['Content-Type: application/sdp'], 'not sdp')).cause).toHaveProperty('name', 'BodyParseError');
  });
});

describe('parseMessage errors say where the fault is (line and column, 1-based)', () => {
  const where = (text: string): [number | undefined, number | undefined] => {
    const e = parseError(text);
    return [e.line, e.column];
  };
  // Lines of message(): 1 start line, 2-7 HEAD, then the extra lines, then the empty line.

  it('counts the empty lines skipped before the start line, CRLF or LF (RFC 3261 7.5)', () => {
    expect(where(`\r\n\n${message(['Foobar roobar'])}`)).toEqual([10, 1]);
    expect(where(message(['Foobar roobar']))).toEqual([8, 1]);
    // A CR not followed by LF is no empty line: it starts a malformed start line.
    expect(parseError(`\r${message()}`).what).toBe('start-line');
    // Nor is another octet before an LF: only CRLF (or a bare LF) is skipped.
    expect(parseError(`X\n${message()}`).what).toBe('start-line');
    expect(where(`X\n${message()}`)).toEqual([1, 1]);
  });

  it('puts an invalid header name at the start of its line', () => {
    expect(where(message(['Bad Name: x']))).toEqual([8, 1]);
    expect(parseError(message(['Bad Name: x'])).message).toBe("invalid header name 'Bad Name'");
  });

  it('puts a start-line error on the start line, and a continuation before any header on its own line', () => {
    expect(where(`\n${message([], '', 'SIP/2.0 2x0 OK')}`)).toEqual([2, 1]);
    expect(where(message().replace('\r\nVia:', '\r\n Via:'))).toEqual([2, 1]);
  });

  it('puts a value error at the first character of the value, past any spaces and tabs after the colon', () => {
    expect(where(message([]).replace('From: Alice', 'From: \t Alice, Jr.'))).toEqual([5, 9]);
    expect(where(message(['Max-Forwards:256']).replace('Max-Forwards: 70\r\n', ''))).toEqual([7, 14]);
  });

  it('puts a second single header on its own line, a missing header at the empty line, a CSeq mismatch on CSeq', () => {
    expect(where(message(['t: <sip:carol@example.com>']))).toEqual([8, 1]);
    expect(where(message().replace(/^Call-ID: .*\r\n/m, ''))).toEqual([7, 1]);
    expect(where(message([], '', 'OPTIONS sip:bob@example.com SIP/2.0'))).toEqual([7, 7]);
  });

  it('puts a Content-Length error on that header and a body error on the line after the empty line', () => {
    expect(where(message(['Content-Length:  ten']))).toEqual([8, 18]);
    expect(where(message(['Content-Type: application/sdp'], 'not sdp'))).toEqual([10, 1]);
  });

  it('unfolds a continuation at the line of its header, ignoring a continuation of only spaces', () => {
    const m = parseMessage(message(['Subject: one', '   two', ' \t ', '\tthree']));
    expect(header(m, 'Subject')).toBe('one two three');
    expect(where(message(['Subject: one', '  two', 'Foobar roobar']))).toEqual([10, 1]);
  });

  it('tells a SIP version it does not support from a malformed one', () => {
    for (const v of ['SIP/10.0', 'SIP/2.10', 'sip/3.0']) expect(parseError(message([], '', `MESSAGE sip:bob@example.com ${v}`)).what).toBe('version');
    for (const v of ['XSIP/2.0', 'SIP/2.0x', 'SIP/2']) expect(parseError(message([], '', `MESSAGE sip:bob@example.com ${v}`)).what).toBe('start-line');
  });

  it('reads numbers as digits only', () => {
    expect(parseError(message(['Expires: 10s'])).message).toContain("Expires '10s' is not an integer");
    expect(parseError(message(['Expires: x10'])).message).toContain("Expires 'x10' is not an integer");
    expect(parseError(message(['Content-Length: 0x'])).what).toBe('content-length');
  });
});

describe('parseMessage limits (src/sip/limits.ts): up to the limit is read, one past it is refused', () => {
  it(`refuses a message over ${MAX_MESSAGE_OCTETS} octets, whatever it holds`, () => {
    expect(parseError('x'.repeat(MAX_MESSAGE_OCTETS + 1)).message).toContain('exceeds the limit');
    expect(parseError('x'.repeat(MAX_MESSAGE_OCTETS)).message).not.toContain('exceeds the limit');
    const big = message(['Content-Type: text/plain'], '');
    const body = 'a'.repeat(MAX_MESSAGE_OCTETS - Buffer.byteLength(big));
    expect(parseMessage(big + body).body).toMatchObject({ kind: 'text', text: body });
  });

  it(`refuses a line over ${MAX_LINE_OCTETS} octets, at its line`, () => {
    const line = (octets: number) => `Subject: ${'s'.repeat(octets - 'Subject: '.length)}`;
    const lf = (extra: string) => message([extra]).replace(/\r\n/g, '\n');
    expect(header(parseMessage(lf(line(MAX_LINE_OCTETS))), 'Subject')).toHaveLength(MAX_LINE_OCTETS - 'Subject: '.length);
    const e = parseError(lf(line(MAX_LINE_OCTETS + 1)));
    expect([e.message, e.line]).toEqual([`line longer than ${MAX_LINE_OCTETS} octets`, 8]);
  });

  it(`reads ${MAX_HEADER_LINES} header lines and refuses one more, at that line`, () => {
    const extra = (n: number) => Array.from({ length: n - HEAD.length }, (_, i) => `X-H${i}: ${i}`);
    expect(parseMessage(message(extra(MAX_HEADER_LINES))).headers).toHaveLength(MAX_HEADER_LINES);
    const e = parseError(message(extra(MAX_HEADER_LINES + 1)));
    expect([e.message, e.line]).toEqual([`more than ${MAX_HEADER_LINES} header lines`, MAX_HEADER_LINES + 2]);
  });
});

