import { BodyParseError } from './errors.js';
import type { ContactEvent, RegContact, RegInfo, Registration } from './reginfo.js';
import { buildXml, parseXml } from './xml.js';
import type { XmlElement, XmlNode } from './xml.js';

/** RFC 3680 5.3 namespace of application/reginfo+xml. */
const REGINFO_NS = 'urn:ietf:params:xml:ns:reginfo';

/** Enumerations of the RFC 3680 5.3 schema. */
const DOC_STATES = ['full', 'partial'] as const;
const REG_STATES = ['init', 'active', 'terminated'] as const;
const CONTACT_STATES = ['active', 'terminated'] as const;
const CONTACT_EVENTS: readonly ContactEvent[] = [
  'registered',
  'created',
  'refreshed',
  'shortened',
  'expired',
  'deactivated',
  'probation',
  'unregistered',
  'rejected',
];

function contactNode(c: RegContact): XmlNode {
  const node: Record<string, XmlNode | XmlNode[]> = {
    '@_id': c.id,
    '@_state': c.state,
    '@_event': c.event,
  };
  if (c.expires !== undefined) node['@_expires'] = String(c.expires);
  node['uri'] = c.uri;
  if (c.displayName !== undefined) node['display-name'] = c.displayName;
  // An absent value is written as an empty element (RFC 3680 5.2: a parameter without a value).
  node['unknown-param'] = c.unknownParams.map((p) =>
    p.value === undefined ? { '@_name': p.name } : { '@_name': p.name, '#text': p.value },
  );
  return node;
}

/** Serialises registration state as an indented XML document (RFC 3680 5.3 element order). */
export function encodeReginfo(info: RegInfo): string {
  return buildXml({
    reginfo: {
      '@_xmlns': REGINFO_NS,
      '@_version': String(info.version),
      '@_state': info.state,
      registration: info.registrations.map((r) => ({
        '@_aor': r.aor,
        '@_id': r.id,
        '@_state': r.state,
        contact: r.contacts.map(contactNode),
      })),
    },
  });
}

/** xs:nonNegativeInteger (version, RFC 3680 5.1) and xs:unsignedLong (expires) as a safe integer. */
function nonNegativeInteger(contentType: string, el: XmlElement, name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new BodyParseError(
      contentType,
      `<${el.name}> attribute ${name}="${value}" is not a non-negative integer`,
    );
  }
  return n;
}

function readContact(contentType: string, el: XmlElement): RegContact {
  const contact: RegContact = {
    id: el.requiredAttr('id'),
    state: el.enumAttr('state', CONTACT_STATES),
    event: el.enumAttr('event', CONTACT_EVENTS),
    uri: el.one('uri').text(),
    unknownParams: el.children('unknown-param').map((p) => {
      const value = p.text();
      return value === '' ? { name: p.requiredAttr('name') } : { name: p.requiredAttr('name'), value };
    }),
  };
  const expires = el.attr('expires');
  if (expires !== undefined) contact.expires = nonNegativeInteger(contentType, el, 'expires', expires);
  const displayName = el.optional('display-name')?.text();
  if (displayName !== undefined) contact.displayName = displayName;
  return contact;
}

function readRegistration(contentType: string, el: XmlElement): Registration {
  return {
    aor: el.requiredAttr('aor'),
    id: el.requiredAttr('id'),
    state: el.enumAttr('state', REG_STATES),
    contacts: el.children('contact').map((c) => readContact(contentType, c)),
  };
}

/**
 * Parses an application/reginfo+xml document (RFC 3680 5.3). Attributes and elements the type
 * does not model (duration-registered, q, callid, cseq, extensions) are ignored.
 * @throws BodyParseError for malformed XML, a wrong root or namespace, a missing required
 * attribute or element, an enumeration value outside the schema, or a bad version/expires.
 */
export function decodeReginfo(contentType: string, text: string): RegInfo {
  const root = parseXml(contentType, text, 'reginfo', REGINFO_NS);
  return {
    version: nonNegativeInteger(contentType, root, 'version', root.requiredAttr('version')),
    state: root.enumAttr('state', DOC_STATES),
    registrations: root.children('registration').map((r) => readRegistration(contentType, r)),
  };
}
