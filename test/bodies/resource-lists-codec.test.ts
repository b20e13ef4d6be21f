import { describe, expect, it } from 'vitest';
import { decodeBody, encodeBody } from '../../src/bodies/codec.js';
import { BodyParseError } from '../../src/bodies/errors.js';
import { decodeResourceList, encodeResourceList } from '../../src/bodies/resource-lists-codec.js';

const CT = 'application/resource-lists+xml';

describe('application/resource-lists+xml (RFC 4826, as a URI list of RFC 5366)', () => {
  it('reads the entries of an RFC 5366 style list, ignoring copy-control attributes', () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:cp="urn:ietf:params:xml:ns:copycontrol">
  <list>
    <entry uri="sip:bill@example.com" cp:copyControl="to"/>
    <entry uri="sip:joe@example.org" cp:copyControl="cc"><display-name>Joe</display-name></entry>
  </list>
</resource-lists>`;
    expect(decodeResourceList(CT, text)).toEqual({ entries: [{ uri: 'sip:bill@example.com' }, { uri: 'sip:joe@example.org', displayName: 'Joe' }] });
  });

  it('writes one list and reads it back through the body codec', () => {
    const body = { kind: 'resource-lists' as const, contentType: CT, list: { entries: [{ uri: 'sip:carol@c.example' }, { uri: 'sip:dave@d.example', displayName: 'Dave & co' }] } };
    const text = encodeBody(body);
    expect(text).toContain('<entry uri="sip:carol@c.example"');
    expect(text).toContain('<display-name>Dave &amp; co</display-name>');
    expect(decodeBody(CT, text)).toEqual(body);
    expect(encodeResourceList(body.list)).toBe(text);
  });

  it('refuses an entry without a uri', () => {
    expect(() => decodeResourceList(CT, '<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list><entry/></list></resource-lists>')).toThrow(BodyParseError);
  });
});
