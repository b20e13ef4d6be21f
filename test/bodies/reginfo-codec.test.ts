import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodyParseError } from '../../src/bodies/errors.js';
import type { RegInfo } from '../../src/bodies/reginfo.js';
import { decodeReginfo, encodeReginfo } from '../../src/bodies/reginfo-codec.js';
import { reginfo } from './arbitraries.js';

const CT = 'application/reginfo+xml';

/** The RFC 3680 section 6 example NOTIFY body (attributes the type does not model are ignored). */
const RFC3680_EXAMPLE = `<?xml version="1.0"?>
<reginfo xmlns="urn:ietf:params:xml:ns:reginfo"
         version="0" state="full">
  <registration aor="sip:user@example.com" id="as9"
                state="active">
    <contact id="76" state="active" event="registered"
             duration-registered="7322"
             q="0.8">
      <uri>sip:user@pc887.example.com</uri>
    </contact>
    <contact id="77" state="terminated" event="expired"
             duration-registered="3600"
             q="0.5">
      <uri>sip:user@university.edu</uri>
    </contact>
  </registration>
</reginfo>
`;

/** What the S-CSCF of the simulator notifies: one contact with its +sip.instance (RFC 3680 5.2). */
const CPM_EXAMPLE: RegInfo = {
  version: 0,
  state: 'full',
  registrations: [
    {
      aor: 'sip:alice@example.com',
      id: 'reg1',
      state: 'active',
      contacts: [
        {
          id: 'c1',
          state: 'active',
          event: 'registered',
          expires: 3600,
          uri: 'sip:alice@192.0.2.1:5060;transport=tcp',
          displayName: 'Alice',
          unknownParams: [
            { name: '+sip.instance', value: '<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>' },
            { name: '+g.oma.sip-im' },
          ],
        },
      ],
    },
  ],
};

const CPM_EXAMPLE_WIRE = `<?xml version="1.0" encoding="UTF-8"?>
<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="0" state="full">
  <registration aor="sip:alice@example.com" id="reg1" state="active">
    <contact id="c1" state="active" event="registered" expires="3600">
      <uri>sip:alice@192.0.2.1:5060;transport=tcp</uri>
      <display-name>Alice</display-name>
      <unknown-param name="+sip.instance">&lt;urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6&gt;</unknown-param>
      <unknown-param name="+g.oma.sip-im"/>
    </contact>
  </registration>
</reginfo>
`;

const NS = 'xmlns="urn:ietf:params:xml:ns:reginfo"';
function doc(inner: string, rootAttrs = `${NS} version="0" state="full"`): string {
  return `<reginfo ${rootAttrs}>${inner}</reginfo>`;
}
function reg(contacts: string, attrs = 'aor="sip:a@x" id="r" state="active"'): string {
  return doc(`<registration ${attrs}>${contacts}</registration>`);
}
const CONTACT_OK = '<contact id="c" state="active" event="registered"><uri>sip:a@h</uri></contact>';

function parseError(text: string): BodyParseError {
  try {
    decodeReginfo(CT, text);
  } catch (e) {
    expect(e).toBeInstanceOf(BodyParseError);
    expect((e as BodyParseError).contentType).toBe(CT);
    return e as BodyParseError;
  }
  throw new Error('expected a BodyParseError');
}

describe('application/reginfo+xml', () => {
  it('decodes the RFC 3680 section 6 example', () => {
    expect(decodeReginfo(CT, RFC3680_EXAMPLE)).toEqual({
      version: 0,
      state: 'full',
      registrations: [
        {
          aor: 'sip:user@example.com',
          id: 'as9',
          state: 'active',
          contacts: [
            { id: '76', state: 'active', event: 'registered', uri: 'sip:user@pc887.example.com', unknownParams: [] },
            { id: '77', state: 'terminated', event: 'expired', uri: 'sip:user@university.edu', unknownParams: [] },
          ],
        },
      ],
    });
  });

  it('writes registration state exactly', () => {
    expect(encodeReginfo(CPM_EXAMPLE)).toBe(CPM_EXAMPLE_WIRE);
    expect(decodeReginfo(CT, CPM_EXAMPLE_WIRE)).toEqual(CPM_EXAMPLE);
  });

  it('escapes attributes and text so URIs with ; < > " & round-trip', () => {
    const info: RegInfo = {
      version: 7,
      state: 'partial',
      registrations: [
        {
          aor: `sip:bob@example.com;x="<a&b>";y='z'`,
          id: '"r"',
          state: 'terminated',
          contacts: [
            {
              id: 'c<1>',
              state: 'terminated',
              event: 'unregistered',
              uri: '<sip:bob@h;lr>;q="0.5"&x',
              displayName: '"Bob" <b&b>',
              unknownParams: [{ name: 'p;"q"', value: '"<v>"' }],
            },
          ],
        },
      ],
    };
    const wire = encodeReginfo(info);
    expect(wire).toContain('aor="sip:bob@example.com;x=&quot;&lt;a&amp;b&gt;&quot;;y=&apos;z&apos;"');
    expect(decodeReginfo(CT, wire)).toEqual(info);
  });

  it('keeps zero- and one-element lists as arrays', () => {
    const none: RegInfo = { version: 1, state: 'full', registrations: [] };
    expect(encodeReginfo(none)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<reginfo ${NS} version="1" state="full"/>\n`,
    );
    expect(decodeReginfo(CT, encodeReginfo(none))).toEqual(none);
    expect(decodeReginfo(CT, reg(''))).toEqual({
      version: 0,
      state: 'full',
      registrations: [{ aor: 'sip:a@x', id: 'r', state: 'active', contacts: [] }],
    });
    const one = decodeReginfo(CT, reg(CONTACT_OK));
    expect(one.registrations[0]?.contacts).toEqual([
      { id: 'c', state: 'active', event: 'registered', uri: 'sip:a@h', unknownParams: [] },
    ]);
  });

  it('decodes a prefixed namespace and numeric character references', () => {
    const text =
      '<r:reginfo xmlns:r="urn:ietf:params:xml:ns:reginfo" version="3" state="partial">' +
      '<r:registration aor="sip:a@x&#59;lr" id="r" state="init"/></r:reginfo>';
    expect(decodeReginfo(CT, text)).toEqual({
      version: 3,
      state: 'partial',
      registrations: [{ aor: 'sip:a@x;lr', id: 'r', state: 'init', contacts: [] }],
    });
  });

  it('round-trips arbitrary registration state (fast-check)', () => {
    fc.assert(
      fc.property(reginfo, (info) => {
        expect(decodeReginfo(CT, encodeReginfo(info))).toEqual(info);
      }),
      { numRuns: 200 },
    );
  });
});

describe('application/reginfo+xml errors', () => {
  const cases: [string, string, RegExp][] = [
    ['malformed XML', '<reginfo', /malformed XML/],
    ['a wrong root element', `<registration ${NS}/>`, /root element is <registration>, expected <reginfo>/],
    ['a wrong namespace', '<reginfo xmlns="urn:ietf:params:xml:ns:imdn" version="0" state="full"/>', /expected "urn:ietf:params:xml:ns:reginfo"/],
    ['a missing version', doc('', `${NS} state="full"`), /<reginfo> is missing required attribute version/],
    ['a negative version', doc('', `${NS} version="-1" state="full"`), /version="-1" is not a non-negative integer/],
    ['a fractional version', doc('', `${NS} version="1.5" state="full"`), /version="1.5" is not a non-negative integer/],
    ['a non-numeric version', doc('', `${NS} version="x" state="full"`), /version="x" is not a non-negative integer/],
    ['a bad document state', doc('', `${NS} version="0" state="complete"`), /<reginfo> attribute state="complete" is not one of full, partial/],
    ['a missing document state', doc('', `${NS} version="0"`), /<reginfo> is missing required attribute state/],
    ['a missing aor', reg('', 'id="r" state="active"'), /<registration> is missing required attribute aor/],
    ['a missing registration id', reg('', 'aor="sip:a@x" state="active"'), /<registration> is missing required attribute id/],
    ['a bad registration state', reg('', 'aor="sip:a@x" id="r" state="registered"'), /<registration> attribute state="registered" is not one of init, active, terminated/],
    ['a bad contact state', reg('<contact id="c" state="init" event="registered"><uri>u</uri></contact>'), /<contact> attribute state="init" is not one of active, terminated/],
    ['a bad contact event', reg('<contact id="c" state="active" event="deleted"><uri>u</uri></contact>'), /<contact> attribute event="deleted" is not one of registered, created/],
    ['a missing contact event', reg('<contact id="c" state="active"><uri>u</uri></contact>'), /<contact> is missing required attribute event/],
    ['a missing contact id', reg('<contact state="active" event="created"><uri>u</uri></contact>'), /<contact> is missing required attribute id/],
    ['a bad expires', reg('<contact id="c" state="active" event="created" expires="soon"><uri>u</uri></contact>'), /<contact> attribute expires="soon" is not a non-negative integer/],
    ['a missing uri', reg('<contact id="c" state="active" event="created"/>'), /<contact> is missing required element <uri>/],
    ['two uris', reg('<contact id="c" state="active" event="created"><uri>a</uri><uri>b</uri></contact>'), /<contact> has 2 <uri> elements/],
    ['an unknown-param without name', reg('<contact id="c" state="active" event="created"><uri>u</uri><unknown-param>v</unknown-param></contact>'), /<unknown-param> is missing required attribute name/],
  ];
  it.each(cases)('rejects %s', (_what, text, message) => {
    expect(parseError(text).message).toMatch(message);
  });
});
