import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodyParseError } from '../../src/bodies/errors.js';
import type { ImdnNotification } from '../../src/bodies/imdn.js';
import { buildImdnBody, decodeImdn, encodeImdn } from '../../src/bodies/imdn-codec.js';
import { imdn } from './arbitraries.js';

const CT = 'message/imdn+xml';

/** RFC 5438 7.2.1.1 delivery notification, as this codec writes it. */
const RFC5438_DELIVERY = `<?xml version="1.0" encoding="UTF-8"?>
<imdn xmlns="urn:ietf:params:xml:ns:imdn">
  <message-id>34jk324j</message-id>
  <datetime>2008-04-04T12:16:49-05:00</datetime>
  <recipient-uri>im:bob@example.com</recipient-uri>
  <original-recipient-uri>im:bob@example.com</original-recipient-uri>
  <delivery-notification>
    <status>
      <delivered/>
    </status>
  </delivery-notification>
</imdn>
`;

const delivery: ImdnNotification = {
  messageId: '34jk324j',
  dateTime: '2008-04-04T12:16:49-05:00',
  recipientUri: 'im:bob@example.com',
  originalRecipientUri: 'im:bob@example.com',
  notification: { type: 'delivery', status: 'delivered' },
};

function doc(inner: string, root = '<imdn xmlns="urn:ietf:params:xml:ns:imdn">', close = '</imdn>'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}${inner}${close}`;
}
const HEAD = '<message-id>m1</message-id><datetime>2024-01-01T00:00:00Z</datetime>';

function parseError(text: string): BodyParseError {
  try {
    decodeImdn(CT, text);
  } catch (e) {
    expect(e).toBeInstanceOf(BodyParseError);
    expect((e as BodyParseError).contentType).toBe(CT);
    return e as BodyParseError;
  }
  throw new Error('expected a BodyParseError');
}

describe('message/imdn+xml', () => {
  it('writes the RFC 5438 7.2.1.1 delivery notification exactly', () => {
    expect(encodeImdn(delivery)).toBe(RFC5438_DELIVERY);
  });

  it('decodes the RFC 5438 7.2.1.1 delivery notification', () => {
    expect(decodeImdn(CT, RFC5438_DELIVERY)).toEqual(delivery);
  });

  it('writes display and processing notifications with a subject', () => {
    const n: ImdnNotification = {
      messageId: 'dfjkleriou432333',
      dateTime: '2008-04-04T12:16:49-05:00',
      subject: 'Hi & <bye>',
      notification: { type: 'display', status: 'displayed' },
    };
    expect(encodeImdn(n)).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<imdn xmlns="urn:ietf:params:xml:ns:imdn">
  <message-id>dfjkleriou432333</message-id>
  <datetime>2008-04-04T12:16:49-05:00</datetime>
  <subject>Hi &amp; &lt;bye&gt;</subject>
  <display-notification>
    <status>
      <displayed/>
    </status>
  </display-notification>
</imdn>
`);
    const p: ImdnNotification = { ...n, notification: { type: 'processing', status: 'stored' } };
    expect(decodeImdn(CT, encodeImdn(p))).toEqual(p);
  });

  it('resolves a namespace prefix and ignores elements of other namespaces', () => {
    const text = doc(
      '<i:message-id>m1</i:message-id><i:datetime>d</i:datetime><x:extra>1</x:extra>' +
        '<i:display-notification><i:status><i:error/></i:status></i:display-notification>',
      '<i:imdn xmlns:i="urn:ietf:params:xml:ns:imdn" xmlns:x="urn:example:ext">',
      '</i:imdn>',
    );
    expect(decodeImdn(CT, text)).toEqual({
      messageId: 'm1',
      dateTime: 'd',
      notification: { type: 'display', status: 'error' },
    });
  });

  it('decodes entity and character references', () => {
    const text = doc(
      '<message-id>a&amp;b</message-id><datetime>d</datetime><subject>&#60;x&#x3E; &amp;#60;</subject>' +
        '<delivery-notification><status><failed/></status></delivery-notification>',
    );
    expect(decodeImdn(CT, text)).toMatchObject({ messageId: 'a&b', subject: '<x> &#60;' });
  });

  it('round-trips arbitrary notifications (fast-check)', () => {
    fc.assert(
      fc.property(imdn, (n) => {
        expect(decodeImdn(CT, encodeImdn(n))).toEqual(n);
      }),
      { numRuns: 300 },
    );
  });

  it('buildImdnBody wraps the notification as message/imdn+xml', () => {
    expect(buildImdnBody(delivery)).toEqual({ kind: 'imdn', contentType: 'message/imdn+xml', imdn: delivery });
  });
});

describe('message/imdn+xml errors', () => {
  const status = '<delivery-notification><status><delivered/></status></delivery-notification>';
  const cases: [string, string, RegExp][] = [
    ['non-XML text', 'delivered', /malformed XML at line 1/],
    ['unclosed tags', doc(`${HEAD}${status}`).replace('</imdn>', ''), /malformed XML/],
    ['an empty document', '', /malformed XML/],
    ['two root elements', `${doc(`${HEAD}${status}`)}<imdn/>`, /exactly one root element/],
    ['a wrong root element', doc(HEAD + status, '<notification xmlns="urn:ietf:params:xml:ns:imdn">', '</notification>'), /root element is <notification>, expected <imdn>/],
    ['a missing namespace', doc(HEAD + status, '<imdn>'), /namespace \(none\), expected "urn:ietf:params:xml:ns:imdn"/],
    ['a wrong namespace', doc(HEAD + status, '<imdn xmlns="urn:ietf:params:xml:ns:reginfo">'), /namespace "urn:ietf:params:xml:ns:reginfo"/],
    ['a missing message-id', doc(`<datetime>d</datetime>${status}`), /missing required element <message-id>/],
    ['an empty message-id', doc(`<message-id/><datetime>d</datetime>${status}`), /<message-id> is empty/],
    ['a missing datetime', doc(`<message-id>m</message-id>${status}`), /missing required element <datetime>/],
    ['a repeated message-id', doc(`<message-id>a</message-id>${HEAD}${status}`), /<imdn> has 2 <message-id> elements/],
    ['a repeated subject', doc(`${HEAD}<subject>a</subject><subject>b</subject>${status}`), /2 <subject> elements/],
    ['structured message-id', doc(`<message-id><x/></message-id><datetime>d</datetime>${status}`), /<message-id> must contain text only/],
    ['no notification', doc(HEAD), /exactly one of <delivery-notification>, <display-notification>, <processing-notification>, found 0/],
    ['two notifications', doc(HEAD + status + status), /found 2/],
    [
      'two notification kinds',
      doc(`${HEAD}${status}<display-notification><status><displayed/></status></display-notification>`),
      /found 2/,
    ],
    ['a notification without status', doc(`${HEAD}<delivery-notification/>`), /<delivery-notification> is missing required element <status>/],
    [
      'an empty status',
      doc(`${HEAD}<delivery-notification><status/></delivery-notification>`),
      /must contain exactly one status element, found 0/,
    ],
    [
      'two status values',
      doc(`${HEAD}<delivery-notification><status><delivered/><failed/></status></delivery-notification>`),
      /found 2/,
    ],
    [
      'a display status in a delivery notification',
      doc(`${HEAD}<delivery-notification><status><displayed/></status></delivery-notification>`),
      /<displayed\/> is not a valid delivery status \(expected one of delivered, failed, forbidden, error\)/,
    ],
    [
      'a delivery status in a display notification',
      doc(`${HEAD}<display-notification><status><delivered/></status></display-notification>`),
      /<delivered\/> is not a valid display status/,
    ],
    [
      'stored in a display notification',
      doc(`${HEAD}<display-notification><status><stored/></status></display-notification>`),
      /<stored\/> is not a valid display status/,
    ],
    [
      'an unknown processing status',
      doc(`${HEAD}<processing-notification><status><done/></status></processing-notification>`),
      /<done\/> is not a valid processing status/,
    ],
  ];
  it.each(cases)('rejects %s', (_what, text, message) => {
    expect(parseError(text).message).toMatch(message);
  });
});
