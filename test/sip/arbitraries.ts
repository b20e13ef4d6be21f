import fc from 'fast-check';
import type { Body } from '../../src/bodies/body.js';
import { formatCSeq, formatVia, type Via } from '../../src/sip/header-values.js';
import type { Header, SipRequest, SipResponse } from '../../src/sip/message.js';
import { formatNameAddr, type NameAddr } from '../../src/sip/name-addr.js';
import { quote } from '../../src/sip/syntax.js';
import type { OpaqueUri, Param, SipUri, TelUri, Uri } from '../../src/sip/uri.js';

/** Generators of values the SIP layer can represent, shared by the property tests. */

export const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,10}$/);

const label = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,6}[A-Za-z0-9])?$/);
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
// An all-digit hostname would read as a (possibly invalid) IPv4 address.
const nonNumericHostname = hostname.filter((h) => !/^[0-9.]+$/.test(h));
const ipv4 = fc.tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 255 }))).map((o) => o.join('.'));
const ipv6 = fc.oneof(
  fc.array(fc.stringMatching(/^[0-9a-fA-F]{1,4}$/), { minLength: 8, maxLength: 8 }).map((g) => g.join(':')),
  fc.constantFrom('::1', '::', '2001:db8::10', 'fe80::1:2:3:4', '::ffff:192.0.2.1', '2001:db8:0:0:1::', '1:2:3:4:5:6:7::'),
);
export const host = fc.oneof(nonNumericHostname, ipv4, ipv6.map((a) => `[${a}]`));

const esc = '%[0-9A-Fa-f]{2}';
const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
const paramChars = fc.stringMatching(new RegExp(`^(?:[${UNRESERVED}\\[\\]/:&+$]|${esc}){1,8}$`));

export const uriParams: fc.Arbitrary<Param[]> = fc.array(
  fc.record({ name: paramChars, value: paramChars }, { requiredKeys: ['name'] }),
  { maxLength: 4 },
);

const uriHeaders: fc.Arbitrary<Param[]> = fc.array(
  fc.record({
    name: fc.stringMatching(new RegExp(`^(?:[${UNRESERVED}\\[\\]/?:+$]|${esc}){1,8}$`)),
    value: fc.stringMatching(new RegExp(`^(?:[${UNRESERVED}\\[\\]/?:+$]|${esc}){0,8}$`)),
  }),
  { maxLength: 3 },
);

/** SIP/SIPS URIs; `withHeaders` false for Request-URIs, which may not carry headers (RFC 3261 19.1.1). */
export const sipUri = (withHeaders = true): fc.Arbitrary<SipUri> =>
  fc
    .record(
      {
        scheme: fc.constantFrom('sip' as const, 'sips' as const),
        user: fc.stringMatching(new RegExp(`^(?:[${UNRESERVED}&=+$,;?/]|${esc}){1,10}$`)),
        password: fc.stringMatching(new RegExp(`^(?:[${UNRESERVED}&=+$,]|${esc}){0,8}$`)),
        host,
        port: fc.integer({ min: 0, max: 65535 }),
        params: uriParams.filter((ps) => withHeaders || ps.every((p) => p.name.toLowerCase() !== 'method')),
        headers: withHeaders ? uriHeaders : fc.constant<Param[]>([]),
      },
      { requiredKeys: ['scheme', 'host', 'params', 'headers'] },
    )
    .map(({ password, ...rest }) => (rest.user === undefined || password === undefined ? rest : { ...rest, password }));

export const telUri: fc.Arbitrary<TelUri> = fc.record({
  scheme: fc.constant('tel' as const),
  number: fc.oneof(fc.stringMatching(/^\+[0-9][0-9\-.()]{0,12}$/), fc.stringMatching(/^[0-9A-F*#][0-9A-F*#\-.()]{0,8}$/)),
  params: uriParams,
});

export const opaqueUri: fc.Arbitrary<OpaqueUri> = fc.record({
  scheme: fc.constantFrom('mailto', 'im', 'pres', 'wv', 'urn', 'http', 'Mailto'),
  value: fc.stringMatching(/^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}){1,16}$/),
});

export const uri: fc.Arbitrary<Uri> = fc.oneof(sipUri(), telUri, opaqueUri);

/** Header parameter values: token, host (incl. a bare IPv6 address, RFC 5118 4.5) or quoted string. */
const headerParamValue = fc.oneof(token, host, ipv6, fc.string({ unit: 'grapheme', maxLength: 8 }).filter((s) => !/[\r\n]/.test(s)).map(quote));

export const headerParams: fc.Arbitrary<Param[]> = fc.array(
  fc.record({ name: token, value: headerParamValue }, { requiredKeys: ['name'] }),
  { maxLength: 3 },
);

/** Any text a display name can carry: everything but CR and LF (which no quoted-pair can hold). */
const displayName = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.array(token, { minLength: 1, maxLength: 3 }).map((ts) => ts.join(' ')),
  fc.constantFrom('"', '\\', 'a\\"b', '\u0000\u0007\u007f', '\t', 'Bell, Alexander', 'Анна', '日本 😀'),
).filter((s) => !/[\r\n]/.test(s));

export const nameAddr: fc.Arbitrary<NameAddr> = fc.record(
  { displayName, uri, params: headerParams },
  { requiredKeys: ['uri', 'params'] },
);

export const via: fc.Arbitrary<Via> = fc.record(
  {
    protocol: fc.constant('SIP/2.0'),
    transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'SCTP', 'WS', 'WSS'),
    host,
    port: fc.integer({ min: 0, max: 65535 }),
    params: fc.tuple(token, headerParams).map(([branch, ps]) => [{ name: 'branch', value: `z9hG4bK${branch}` }, ...ps]),
  },
  { requiredKeys: ['protocol', 'transport', 'host', 'params'] },
);

/** Text without CR/LF and without leading/trailing SP/HTAB, as the parser stores header values. */
const headerText = fc
  .string({ unit: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), fc.constantFrom(' ', '\t', 'é', '€', '😀')), maxLength: 20 })
  .map((s) => s.replace(/[\r\n]/g, '').replace(/^[ \t]+|[ \t]+$/g, ''));

const extraHeader: fc.Arbitrary<Header> = fc.record({
  name: fc.oneof(
    fc.constantFrom('Subject', 'Accept', 'Supported', 'User-Agent', 'Allow', 'Route', 'Record-Route', 'P-Asserted-Identity',
      'Conversation-ID', 'Contribution-ID', 'InReplyTo-Contribution-ID', 'Accept-Contact', 'Event', 'WWW-Authenticate'),
    token.map((t) => `X-${t}`),
  ),
  value: headerText,
});

const callId = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]{1,16}(?:@[A-Za-z0-9.\-]{1,10})?$/);

/** text/plain bodies of any Unicode text (non-ASCII and line breaks included); never empty. */
export const textBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('text' as const),
  contentType: fc.constantFrom('text/plain', 'text/plain;charset=UTF-8', 'text/plain; charset=utf-8'),
  text: fc
    .array(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }), fc.constantFrom('\r\n', '\n', '\r\n\r\n', 'ü', '中文', '😀')), { minLength: 1, maxLength: 12 })
    .map((parts) => parts.join('')),
});

const contact = fc.oneof(
  { weight: 5, arbitrary: fc.array(nameAddr, { minLength: 1, maxLength: 3 }).map((nas) => nas.map(formatNameAddr).join(', ')) },
  { weight: 1, arbitrary: fc.constant('*') },
);

/** The mandatory headers plus optional and extension ones, in a random order. */
const headerSet = (method: string): fc.Arbitrary<Header[]> =>
  fc
    .record({
      vias: fc.array(fc.array(via, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }),
      from: nameAddr,
      to: nameAddr,
      callId,
      seq: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      maxForwards: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
      expires: fc.option(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { nil: undefined }),
      contact: fc.option(contact, { nil: undefined }),
      extras: fc.array(extraHeader, { maxLength: 5 }),
    })
    .chain((h) => {
      const list: Header[] = [
        ...h.vias.map((vs) => ({ name: 'Via', value: vs.map(formatVia).join(', ') })),
        { name: 'From', value: formatNameAddr(h.from) },
        { name: 'To', value: formatNameAddr(h.to) },
        { name: 'Call-ID', value: h.callId },
        { name: 'CSeq', value: formatCSeq({ seq: h.seq, method }) },
        ...(h.maxForwards === undefined ? [] : [{ name: 'Max-Forwards', value: String(h.maxForwards) }]),
        ...(h.expires === undefined ? [] : [{ name: 'Expires', value: String(h.expires) }]),
        ...(h.contact === undefined ? [] : [{ name: 'Contact', value: h.contact }]),
        ...h.extras,
      ];
      return fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length });
    });

const requestUri = fc.oneof(sipUri(false), telUri, opaqueUri);

const method = fc.oneof(fc.constantFrom('INVITE', 'MESSAGE', 'REGISTER', 'SUBSCRIBE', 'NOTIFY', 'OPTIONS', 'BYE', 'ACK', 'CANCEL', 'REFER'), token);

export const request: fc.Arbitrary<SipRequest> = method.chain((m) =>
  fc
    .record(
      {
        type: fc.constant('request' as const),
        method: fc.constant(m),
        uri: requestUri,
        headers: headerSet(m),
        body: textBody,
      },
      { requiredKeys: ['type', 'method', 'uri', 'headers'] },
    ),
);

export const response: fc.Arbitrary<SipResponse> = method.chain((m) =>
  fc.record(
    {
      type: fc.constant('response' as const),
      status: fc.integer({ min: 100, max: 699 }),
      reason: fc.oneof(fc.constant(''), headerText, fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !/[\r\n]/.test(s))),
      headers: headerSet(m),
      body: textBody,
    },
    { requiredKeys: ['type', 'status', 'reason', 'headers'] },
  ),
);
