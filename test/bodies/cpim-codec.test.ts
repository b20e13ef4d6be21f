import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Body } from '../../src/bodies/body.js';
import {
  buildCpim,
  cpimHeader,
  decodeCpim,
  encodeCpim,
  parseDispositionNotification,
} from '../../src/bodies/cpim-codec.js';
import { BodyParseError } from '../../src/bodies/errors.js';
import { buildImdnBody, encodeImdn } from '../../src/bodies/imdn-codec.js';
import { cpim } from './arbitraries.js';
import { parseError } from './body-errors.js';

const CT = 'message/cpim';
const text = (t: string, contentType = 'text/plain'): Body => ({ kind: 'text', contentType, text: t });

function crlf(lines: string[]): string {
  return lines.join('\r\n');
}


describe('message/cpim wire format', () => {
  // RFC 3862 section 6 example (the outer MIME "m:" headers belong to the carrying protocol).
  const rfc3862 = crlf([
    'From: MR SANDERS <im:piglet@100akerwood.com>',
    'To: Depressed Donkey <im:eeyore@100akerwood.com>',
    'DateTime: 2000-12-13T13:40:00-08:00',
    'Subject: the weather will be fine today',
    "Subject:;lang=fr beau temps prevu pour aujourd'hui",
    'NS: MyFeatures <mid:MessageFeatures@id.foo.com>',
    'Require: MyFeatures.VitalMessageOption',
    'MyFeatures.VitalMessageOption: Confirmation-requested',
    'MyFeatures.WackyMessageOption: Use-silly-font',
    '',
    'Content-Type: text/xml; charset=utf-8',
    'Content-ID: <1234567890@foo.com>',
    'Content-Length: 50',
    '',
    '<body>',
    'Here is the text of my message.',
    '</body>',
    '',
  ]);

  it('decodes the RFC 3862 section 6 example', () => {
    const msg = decodeCpim(CT, rfc3862);
    expect(msg.headers).toEqual([
      { name: 'From', value: 'MR SANDERS <im:piglet@100akerwood.com>' },
      { name: 'To', value: 'Depressed Donkey <im:eeyore@100akerwood.com>' },
      { name: 'DateTime', value: '2000-12-13T13:40:00-08:00' },
      { name: 'Subject', value: 'the weather will be fine today' },
      { name: 'Subject', value: ";lang=fr beau temps prevu pour aujourd'hui" },
      { name: 'NS', value: 'MyFeatures <mid:MessageFeatures@id.foo.com>' },
      { name: 'Require', value: 'MyFeatures.VitalMessageOption' },
      { name: 'MyFeatures.VitalMessageOption', value: 'Confirmation-requested' },
      { name: 'MyFeatures.WackyMessageOption', value: 'Use-silly-font' },
    ]);
    expect(msg.contentHeaders).toEqual([{ name: 'Content-ID', value: '<1234567890@foo.com>' }]);
    expect(msg.content).toEqual(
      text('<body>\r\nHere is the text of my message.\r\n</body>\r\n', 'text/xml; charset=utf-8'),
    );
  });

  it('re-encodes the RFC 3862 example byte for byte (header parameters keep their form)', () => {
    expect(encodeCpim(decodeCpim(CT, rfc3862))).toBe(rfc3862);
  });

  it('writes the RFC 5438 7.1.1 IM with buildCpim', () => {
    const msg = buildCpim({
      from: 'im:alice@example.com',
      to: 'im:bob@example.com',
      dateTime: '2006-04-04T12:16:49-05:00',
      messageId: '34jk324j',
      dispositionNotification: ['positive-delivery', 'display'],
      content: text('Hello World!'),
    });
    expect(encodeCpim(msg)).toBe(
      crlf([
        'From: <im:alice@example.com>',
        'To: <im:bob@example.com>',
        'DateTime: 2006-04-04T12:16:49-05:00',
        'NS: imdn <urn:ietf:params:imdn>',
        'imdn.Message-ID: 34jk324j',
        'imdn.Disposition-Notification: positive-delivery, display',
        '',
        'Content-Type: text/plain',
        'Content-Length: 12',
        '',
        'Hello World!',
      ]),
    );
  });

  it('carries an IMDN with Content-Disposition: notification (RFC 5438 7.2.1.1)', () => {
    const n = {
      messageId: '34jk324j',
      dateTime: '2008-04-04T12:16:49-05:00',
      recipientUri: 'im:bob@example.com',
      notification: { type: 'delivery', status: 'delivered' },
    } as const;
    const msg = buildCpim({
      from: 'im:bob@example.com',
      to: 'im:alice@example.com',
      dateTime: '2008-04-04T12:16:49-05:00',
      messageId: 'dfjkleriou432333',
      content: buildImdnBody(n),
      contentHeaders: [{ name: 'Content-Disposition', value: 'notification' }],
    });
    const xml = encodeImdn(n);
    const wire = encodeCpim(msg);
    expect(wire).toBe(
      crlf([
        'From: <im:bob@example.com>',
        'To: <im:alice@example.com>',
        'DateTime: 2008-04-04T12:16:49-05:00',
        'NS: imdn <urn:ietf:params:imdn>',
        'imdn.Message-ID: dfjkleriou432333',
        '',
        'Content-Type: message/imdn+xml',
        'Content-Disposition: notification',
        `Content-Length: ${Buffer.byteLength(xml)}`,
        '',
        xml,
      ]),
    );
    expect(decodeCpim(CT, wire)).toEqual(msg);
  });

  it('counts Content-Length in UTF-8 bytes', () => {
    const wire = encodeCpim({ headers: [], contentHeaders: [], content: text('héllo €😀') });
    // 5 ASCII characters + é (2 bytes) + € (3) + 😀 (4).
    expect(wire).toBe('\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n\r\nhéllo €😀');
    expect(decodeCpim(CT, wire).content).toEqual(text('héllo €😀'));
  });

  it('keeps the content verbatim even when it contains blank lines', () => {
    const body = 'a\r\n\r\nb: c\r\n\r\n';
    expect(decodeCpim(CT, encodeCpim({ headers: [], contentHeaders: [], content: text(body) })).content).toEqual(
      text(body),
    );
  });

  it('accepts bare LF line ends, a missing Content-Length and any MIME header case', () => {
    const msg = decodeCpim(CT, 'From: <im:a@x>\n\ncontent-type: text/plain\nCONTENT-ID: <1@x>\n\nhi\n');
    expect(msg).toEqual({
      headers: [{ name: 'From', value: '<im:a@x>' }],
      contentHeaders: [{ name: 'CONTENT-ID', value: '<1@x>' }],
      content: text('hi\n'),
    });
  });

  it('decodes the encapsulated content through the codec', () => {
    const inner = encodeCpim(buildCpim({ from: 'a', to: 'b', dateTime: 'd', content: text('x') }));
    const outer = `From: <sip:relay>\r\n\r\nContent-Type: Message/CPIM\r\n\r\n${inner}`;
    const msg = decodeCpim(CT, outer);
    expect(msg.content.kind).toBe('cpim');
    expect(msg.content.contentType).toBe('Message/CPIM');
  });

  it('round-trips arbitrary messages (fast-check)', () => {
    fc.assert(
      fc.property(cpim, (msg) => {
        expect(decodeCpim(CT, encodeCpim(msg))).toEqual(msg);
      }),
      { numRuns: 300 },
    );
  });
});

describe('message/cpim errors', () => {
  const cases: [string, string, RegExp][] = [
    ['no blank line at all', 'From: <a>\r\nTo: <b>', /missing blank line after the message headers/],
    ['empty text', '', /missing blank line after the message headers/],
    [
      'no blank line after the MIME headers',
      'From: <a>\r\n\r\nContent-Type: text/plain\r\nhello',
      /missing blank line after the MIME content headers/,
    ],
    ['header line without colon', 'From <a>\r\n\r\nContent-Type: text/plain\r\n\r\nx', /"From <a>" in the message headers has no colon/],
    ['folded header line', 'Subject: a\r\n b\r\n\r\nContent-Type: text/plain\r\n\r\nx', /" b" in the message headers has no colon/],
    [
      'MIME line without colon',
      'From: <a>\r\n\r\nContent-Type: text/plain\r\nbogus\r\n\r\nx',
      /"bogus" in the MIME content headers has no colon/,
    ],
    ['empty header name', ': x\r\n\r\nContent-Type: text/plain\r\n\r\nx', /invalid header name "" in the message headers/],
    ['header name with a space', 'Da te: x\r\n\r\nContent-Type: text/plain\r\n\r\nx', /invalid header name "Da te"/],
    ['missing inner Content-Type', 'From: <a>\r\n\r\nContent-ID: <1@x>\r\n\r\nx', /missing Content-Type/],
    ['empty inner Content-Type', 'From: <a>\r\n\r\nContent-Type: \r\n\r\nx', /missing Content-Type/],
    [
      'duplicate inner Content-Type',
      'From: <a>\r\n\r\nContent-Type: text/plain\r\ncontent-type: text/html\r\n\r\nx',
      /duplicate content-type/,
    ],
    [
      'Content-Length mismatch',
      'From: <a>\r\n\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhéllo',
      /Content-Length 5 does not match the 6-byte encapsulated content/,
    ],
    [
      'non-numeric Content-Length',
      'From: <a>\r\n\r\nContent-Type: text/plain\r\nContent-Length: five\r\n\r\nhello',
      /invalid Content-Length "five"/,
    ],
    [
      'invalid encapsulated IMDN',
      'From: <a>\r\n\r\nContent-Type: message/imdn+xml\r\n\r\n<imdn',
      /encapsulated content: invalid message\/imdn\+xml body: malformed XML/,
    ],
  ];
  it.each(cases)('rejects %s', (_what, wire, message) => {
    const err = parseError(() => decodeCpim(CT, wire));
    expect(err.message).toMatch(message);
    expect(err.contentType).toBe(CT);
  });

  it('keeps the inner error as the cause', () => {
    const err = parseError(() => decodeCpim(CT, '\r\nContent-Type: application/sdp\r\n\r\nnot sdp'));
    expect(err.cause).toBeInstanceOf(BodyParseError);
    expect((err.cause as BodyParseError).contentType).toBe('application/sdp');
  });

  it('refuses to encode what it could not decode back', () => {
    const content = text('x');
    expect(() =>
      encodeCpim({ headers: [], contentHeaders: [{ name: 'content-length', value: '1' }], content }),
    ).toThrow(/must not contain content-length/);
    expect(() =>
      encodeCpim({ headers: [], contentHeaders: [{ name: 'Content-Type', value: 'a/b' }], content }),
    ).toThrow(/must not contain Content-Type/);
    expect(() => encodeCpim({ headers: [{ name: 'Subject', value: 'a\r\nb' }], contentHeaders: [], content })).toThrow(
      /Subject value contains a line break/,
    );
    expect(() => encodeCpim({ headers: [{ name: 'Bad Name', value: 'x' }], contentHeaders: [], content })).toThrow(
      /invalid CPIM\/MIME header name "Bad Name"/,
    );
  });
});

describe('CPIM helpers', () => {
  it('cpimHeader matches names case-sensitively (RFC 3862 3.1)', () => {
    const msg = buildCpim({ from: 'a', to: 'b', dateTime: 'd', messageId: 'm1', content: text('x') });
    expect(cpimHeader(msg, 'imdn.Message-ID')).toBe('m1');
    expect(cpimHeader(msg, 'imdn.message-id')).toBeUndefined();
    expect(cpimHeader(msg, 'From')).toBe('<a>');
    expect(cpimHeader(msg, 'Subject')).toBeUndefined();
  });

  it('cpimHeader returns the first of repeated headers', () => {
    const msg = decodeCpim(CT, 'Subject: one\r\nSubject: two\r\n\r\nContent-Type: text/plain\r\n\r\n');
    expect(cpimHeader(msg, 'Subject')).toBe('one');
  });

  it('buildCpim without messageId writes only From, To and DateTime', () => {
    const msg = buildCpim({ from: 'sip:a@x', to: 'sip:b@x', dateTime: '2024-01-01T00:00:00Z', content: text('x') });
    expect(msg).toEqual({
      headers: [
        { name: 'From', value: '<sip:a@x>' },
        { name: 'To', value: '<sip:b@x>' },
        { name: 'DateTime', value: '2024-01-01T00:00:00Z' },
      ],
      contentHeaders: [],
      content: text('x'),
    });
  });

  it('buildCpim with messageId but no dispositions omits imdn.Disposition-Notification', () => {
    const msg = buildCpim({ from: 'a', to: 'b', dateTime: 'd', messageId: 'm', dispositionNotification: [], content: text('x') });
    expect(msg.headers.map((h) => h.name)).toEqual(['From', 'To', 'DateTime', 'NS', 'imdn.Message-ID']);
  });

  it('buildCpim refuses dispositions without a message id (RFC 5438 6.3)', () => {
    expect(() =>
      buildCpim({ from: 'a', to: 'b', dateTime: 'd', dispositionNotification: ['display'], content: text('x') }),
    ).toThrow(/requires a messageId/);
  });

  it('parseDispositionNotification reads the comma-separated list', () => {
    expect(parseDispositionNotification('positive-delivery, display')).toEqual(['positive-delivery', 'display']);
    expect(parseDispositionNotification('Negative-Delivery,processing')).toEqual(['negative-delivery', 'processing']);
  });

  it('parseDispositionNotification round-trips what buildCpim writes', () => {
    const all = ['positive-delivery', 'negative-delivery', 'display', 'processing'] as const;
    const msg = buildCpim({ from: 'a', to: 'b', dateTime: 'd', messageId: 'm', dispositionNotification: [...all], content: text('') });
    expect(parseDispositionNotification(cpimHeader(msg, 'imdn.Disposition-Notification') ?? '')).toEqual(all);
  });

  it.each([
    ['positive-delivery, read', /unknown imdn.Disposition-Notification value "read"/],
    ['', /unknown imdn.Disposition-Notification value ""/],
    ['display,,processing', /unknown imdn.Disposition-Notification value ""/],
  ])('parseDispositionNotification rejects %j', (value, message) => {
    expect(parseError(() => parseDispositionNotification(value)).message).toMatch(message);
  });
});
