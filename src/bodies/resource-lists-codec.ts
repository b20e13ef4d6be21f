import type { ResourceEntry, ResourceList } from './resource-lists.js';
import { buildXml, parseXml, type XmlNode } from './xml.js';

/** RFC 4826 3.4.1 namespace. */
const RESOURCE_LISTS_NS = 'urn:ietf:params:xml:ns:resource-lists';

function entryNode(e: ResourceEntry): XmlNode {
  return e.displayName === undefined ? { '@_uri': e.uri } : { '@_uri': e.uri, 'display-name': e.displayName };
}

/** Serialises one `<list>` of entries (RFC 4826 3.4). */
export function encodeResourceList(list: ResourceList): string {
  return buildXml({ 'resource-lists': { '@_xmlns': RESOURCE_LISTS_NS, list: { entry: list.entries.map(entryNode) } } });
}

/**
 * Parses application/resource-lists+xml: the entries of every top-level list, in document order.
 * Nested lists, entry-refs and external references name lists an XDMS would resolve; a request's
 * URI list carries plain entries, so those are ignored.
 * @throws BodyParseError for malformed XML, a wrong root or namespace, or an entry without uri.
 */
export function decodeResourceList(contentType: string, text: string): ResourceList {
  const root = parseXml(contentType, text, 'resource-lists', RESOURCE_LISTS_NS);
  const entries = root.children('list').flatMap((list) =>
    list.children('entry').map((el): ResourceEntry => {
      const displayName = el.optional('display-name')?.text();
      return displayName === undefined ? { uri: el.requiredAttr('uri') } : { uri: el.requiredAttr('uri'), displayName };
    }),
  );
  return { entries };
}
