import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConferenceInfo } from '../../src/bodies/conference-info.js';
import { decodeConferenceInfo, encodeConferenceInfo } from '../../src/bodies/conference-info-codec.js';
import { BodyParseError } from '../../src/bodies/errors.js';
import { str } from './arbitraries.js';

const CT = 'application/conference-info+xml';

/** The shape of the RFC 4575 6.1 example, trimmed to what the type models plus ignored extras. */
const RFC4575_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<conference-info xmlns="urn:ietf:params:xml:ns:conference-info"
    entity="sips:conf233@example.com" state="full" version="1">
  <conference-description>
    <subject>Agenda: This month's goals</subject>
  </conference-description>
  <host-info><uri>http://www.example.com/conf233/</uri></host-info>
  <conference-state>
    <user-count>33</user-count>
  </conference-state>
  <users>
    <user entity="sip:bob@example.com" state="full">
      <display-text>Bob Hoskins</display-text>
      <endpoint entity="sip:bob@pc33.example.com">
        <display-text>Bob's Laptop</display-text>
        <status>disconnected</status>
        <disconnection-method>departed</disconnection-method>
        <disconnection-info><when>2005-03-04T20:00:00Z</when></disconnection-info>
      </endpoint>
    </user>
    <user entity="sip:alice@example.com" state="full">
      <roles><entry>participant</entry></roles>
      <endpoint entity="sip:4kfk4j392jsu@example.com;grid=433kj4j3u">
        <status>connected</status>
        <joining-method>dialed-out</joining-method>
        <media id="1"><type>message</type><label>34567</label><status>sendrecv</status></media>
      </endpoint>
    </user>
  </users>
</conference-info>
`;

const parseError = (text: string): string => {
  try {
    decodeConferenceInfo(CT, text);
  } catch (e) {
    expect(e).toBeInstanceOf(BodyParseError);
    return (e as Error).message;
  }
  throw new Error('accepted');
};

const doc = (inner: string, attrs = 'entity="sip:g@x.example" version="0"'): string =>
  `<conference-info xmlns="urn:ietf:params:xml:ns:conference-info" ${attrs}>${inner}</conference-info>`;

describe('application/conference-info+xml (RFC 4575)', () => {
  it('reads the RFC 4575 example: description, state, users, endpoints and media', () => {
    expect(decodeConferenceInfo(CT, RFC4575_EXAMPLE)).toEqual({
      entity: 'sips:conf233@example.com',
      state: 'full',
      version: 1,
      subject: "Agenda: This month's goals",
      userCount: 33,
      users: [
        {
          entity: 'sip:bob@example.com',
          state: 'full',
          displayText: 'Bob Hoskins',
          roles: [],
          endpoints: [
            { entity: 'sip:bob@pc33.example.com', state: 'full', displayText: "Bob's Laptop", status: 'disconnected', disconnectionMethod: 'departed', media: [] },
          ],
        },
        {
          entity: 'sip:alice@example.com',
          state: 'full',
          roles: ['participant'],
          endpoints: [
            {
              entity: 'sip:4kfk4j392jsu@example.com;grid=433kj4j3u',
              state: 'full',
              status: 'connected',
              joiningMethod: 'dialed-out',
              media: [{ id: '1', type: 'message', status: 'sendrecv' }],
            },
          ],
        },
      ],
    } satisfies ConferenceInfo);
  });

  it('writes the elements in schema order', () => {
    const text = encodeConferenceInfo({
      entity: 'sip:g@x.example',
      state: 'partial',
      version: 3,
      userCount: 1,
      active: true,
      users: [{ entity: 'sip:bob@b.example', state: 'partial', roles: [], endpoints: [{ entity: 'sip:phone.bob.b.example', state: 'partial', status: 'connected', joiningMethod: 'dialed-out', media: [] }] }],
    });
    expect(text).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<conference-info xmlns="urn:ietf:params:xml:ns:conference-info" entity="sip:g@x.example" state="partial" version="3">',
        '  <conference-state>',
        '    <user-count>1</user-count>',
        '    <active>true</active>',
        '  </conference-state>',
        '  <users>',
        '    <user entity="sip:bob@b.example" state="partial">',
        '      <endpoint entity="sip:phone.bob.b.example" state="partial">',
        '        <status>connected</status>',
        '        <joining-method>dialed-out</joining-method>',
        '      </endpoint>',
        '    </user>',
        '  </users>',
        '</conference-info>',
        '',
      ].join('\n'),
    );
  });

  it('round-trips any document it can represent', () => {
    const media = fc.record({ id: fc.stringMatching(/^[a-z0-9]{1,6}$/), type: fc.constantFrom('audio', 'video', 'message'), status: fc.constantFrom('sendrecv', 'inactive' as const) });
    const endpoint = fc.record({
      entity: str(1).map((s) => `sip:${encodeURIComponent(s)}@b.example`),
      state: fc.constantFrom('full', 'partial', 'deleted' as const),
      displayText: str(1),
      status: fc.constantFrom('connected', 'alerting', 'disconnected' as const),
      media: fc.array(media, { maxLength: 2 }),
    });
    const user = fc.record({
      entity: fc.constantFrom('sip:bob@b.example', 'sip:carol@c.example'),
      state: fc.constantFrom('full', 'deleted' as const),
      roles: fc.array(fc.constantFrom('participant', 'chairman'), { maxLength: 2 }),
      endpoints: fc.array(endpoint, { maxLength: 2 }),
    });
    const info = fc.record({
      entity: fc.constant('sip:friends@x.example'),
      state: fc.constantFrom('full', 'partial' as const),
      version: fc.nat(),
      subject: str(1),
      users: fc.array(user, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(info, (i) => {
        expect(decodeConferenceInfo(CT, encodeConferenceInfo(i))).toEqual(i);
      }),
    );
  });

  it('defaults a missing state attribute to full (RFC 4575 5.1)', () => {
    expect(decodeConferenceInfo(CT, doc('<users><user entity="sip:b@b.example"/></users>')).users[0]?.state).toBe('full');
  });

  it('refuses what the schema does not allow', () => {
    expect(parseError(doc('', 'entity="sip:g@x.example"'))).toMatch(/missing required attribute version/);
    expect(parseError(doc('', 'version="1"'))).toMatch(/missing required attribute entity/);
    expect(parseError(doc('<users><user entity="sip:b@b.example"><endpoint entity="e"><status>asleep</status></endpoint></user></users>'))).toMatch(
      /<status> "asleep" is not one of pending/,
    );
    expect(parseError(doc('<conference-state><user-count>many</user-count></conference-state>'))).toMatch(/<user-count> "many" is not a non-negative integer/);
    expect(parseError('<conference-info entity="x" version="1"/>')).toMatch(/namespace \(none\)/);
  });
});
