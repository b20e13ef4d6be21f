import fc from 'fast-check';
import type { Body } from '../../src/bodies/body.js';
import type { CpimMessage } from '../../src/bodies/cpim.js';
import type { Field } from '../../src/bodies/field.js';
import type { ImdnNotification, ImdnStatus } from '../../src/bodies/imdn.js';
import type { RegContact, RegInfo } from '../../src/bodies/reginfo.js';

/** Generators for bodies the codecs can represent, shared by the property tests. */

/** Printable ASCII (includes XML/CPIM metacharacters such as < & " ; :) plus some non-ASCII. */
const char = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('é', '€', '日', '😀', '\u00a0') },
);
export const str = (minLength = 0): fc.Arbitrary<string> =>
  fc.array(char, { minLength, maxLength: 20 }).map((cs) => cs.join(''));

/** Text payloads may contain line breaks, including CRLF CRLF (it must not confuse CPIM). */
const payload = fc
  .array(fc.oneof(char, fc.constantFrom('\r\n', '\n', '\r\n\r\n', '\t')), { maxLength: 40 })
  .map((cs) => cs.join(''));

const headerName = fc
  .array(fc.constantFrom(...'abcXYZ019-_.+!~'.split('')), { minLength: 1, maxLength: 12 })
  .map((cs) => cs.join(''));

/** Any header value without line breaks (RFC 3862 3.1: one line per header). */
const field: fc.Arbitrary<Field> = fc.record({ name: headerName, value: str() });

/** MIME header names other than the derived Content-Type / Content-Length. */
const contentField: fc.Arbitrary<Field> = fc.record({
  name: headerName.filter((n) => !['content-type', 'content-length'].includes(n.toLowerCase())),
  value: str(),
});

export const textBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('text' as const),
  contentType: fc.constantFrom(
    'text/plain',
    'text/plain; charset=UTF-8',
    'Text/Plain;charset="utf-8"',
    'application/xcap-diff+xml',
    'application/vnd.gsma.rcs-ft-http+xml',
  ),
  text: payload,
});

const status: fc.Arbitrary<ImdnStatus> = fc.oneof(
  fc.record({
    type: fc.constant('delivery' as const),
    status: fc.constantFrom('delivered' as const, 'failed' as const, 'forbidden' as const, 'error' as const),
  }),
  fc.record({
    type: fc.constant('display' as const),
    status: fc.constantFrom('displayed' as const, 'forbidden' as const, 'error' as const),
  }),
  fc.record({
    type: fc.constant('processing' as const),
    status: fc.constantFrom('processed' as const, 'stored' as const, 'forbidden' as const, 'error' as const),
  }),
);

export const imdn: fc.Arbitrary<ImdnNotification> = fc.record(
  {
    messageId: str(1),
    dateTime: str(),
    recipientUri: str(),
    originalRecipientUri: str(),
    subject: str(),
    notification: status,
  },
  { requiredKeys: ['messageId', 'dateTime', 'notification'] },
);

export const imdnBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('imdn' as const),
  contentType: fc.constantFrom('message/imdn+xml', 'Message/IMDN+XML'),
  imdn,
});

const contact: fc.Arbitrary<RegContact> = fc.record(
  {
    id: str(),
    state: fc.constantFrom('active' as const, 'terminated' as const),
    event: fc.constantFrom(
      'registered' as const,
      'created' as const,
      'refreshed' as const,
      'shortened' as const,
      'expired' as const,
      'deactivated' as const,
      'probation' as const,
      'unregistered' as const,
      'rejected' as const,
    ),
    expires: fc.nat(),
    uri: str(),
    displayName: str(),
    // An empty value is indistinguishable from no value in XML, so values are non-empty.
    unknownParams: fc.array(fc.record({ name: str(), value: str(1) }, { requiredKeys: ['name'] }), {
      maxLength: 3,
    }),
  },
  { requiredKeys: ['id', 'state', 'event', 'uri', 'unknownParams'] },
);

export const reginfo: fc.Arbitrary<RegInfo> = fc.record({
  version: fc.nat(),
  state: fc.constantFrom('full' as const, 'partial' as const),
  registrations: fc.array(
    fc.record({
      aor: str(),
      id: str(),
      state: fc.constantFrom('init' as const, 'active' as const, 'terminated' as const),
      contacts: fc.array(contact, { maxLength: 3 }),
    }),
    { maxLength: 3 },
  ),
});

/** CPIM messages whose content is text, an IMDN, or (one level down) another CPIM message. */
export const cpim: fc.Arbitrary<CpimMessage> = fc.letrec<{ msg: CpimMessage; content: Body }>((tie) => ({
  msg: fc.record({
    headers: fc.array(field, { maxLength: 6 }),
    contentHeaders: fc.array(contentField, { maxLength: 3 }),
    content: tie('content'),
  }),
  content: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textBody,
    imdnBody,
    fc.record({
      kind: fc.constant('cpim' as const),
      contentType: fc.constantFrom('message/cpim', 'Message/CPIM'),
      cpim: tie('msg') as fc.Arbitrary<CpimMessage>,
    }),
  ),
})).msg;

export const cpimBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('cpim' as const),
  contentType: fc.constant('message/cpim'),
  cpim,
});
