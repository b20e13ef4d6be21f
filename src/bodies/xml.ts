import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { BodyParseError } from './errors.js';
import { MAX_XML_OCTETS, XML_MAX_DEPTH } from './limits.js';

/** Shared XML plumbing for the XML body formats (message/imdn+xml, application/reginfo+xml). */

const ATTR = '@_';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  // Values stay strings: ids such as "0123" must not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  // Text is kept exactly so encode/decode round trips; indentation shows up only as `#text` of
  // elements with children, which `XmlElement` ignores.
  trimValues: false,
  // Also decodes numeric character references (&#60;), which XML allows anywhere.
  htmlEntities: true,
  // Every element is an array so repeated or missing elements are visible (0, 1 or n).
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
  maxNestedTags: XML_MAX_DEPTH,
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** An element as fast-xml-parser/XMLBuilder represent it: text, or attributes and children. */
export type XmlNode = string | { [key: string]: unknown };

/** Serialises `root` (a single-key object) as an indented UTF-8 XML document. */
export function buildXml(root: Record<string, XmlNode>): string {
  return DECLARATION + builder.build(root);
}

/**
 * A parsed element whose children are looked up by local name in the document's namespace.
 * Prefixes are resolved against the root element's declarations only (the IMDN and reginfo
 * documents put their one namespace there); elements in other namespaces are extensions that
 * both schemas allow and are ignored.
 */
export class XmlElement {
  constructor(
    private readonly contentType: string,
    /** Local name, for error messages. */
    readonly name: string,
    private readonly node: XmlNode,
    private readonly prefix: string,
  ) {}

  private fail(message: string): never {
    throw new BodyParseError(this.contentType, message);
  }

  private qualified(local: string): string {
    return this.prefix === '' ? local : `${this.prefix}:${local}`;
  }

  /** All child elements called `local` in the document namespace, in document order. */
  children(local: string): XmlElement[] {
    if (typeof this.node === 'string') return [];
    const raw = this.node[this.qualified(local)];
    if (raw === undefined) return [];
    return (raw as XmlNode[]).map((n) => new XmlElement(this.contentType, local, n, this.prefix));
  }

  /** Local names of the child elements in the document namespace, in first-seen order. */
  childNames(): string[] {
    if (typeof this.node === 'string') return [];
    const names: string[] = [];
    for (const key of Object.keys(this.node)) {
      if (key.startsWith(ATTR) || key === '#text') continue;
      const colon = key.indexOf(':');
      const keyPrefix = colon < 0 ? '' : key.slice(0, colon);
      if (keyPrefix === this.prefix) names.push(key.slice(colon + 1));
    }
    return names;
  }

  /** The single child `local`; error if absent or repeated. */
  one(local: string): XmlElement {
    const found = this.optional(local);
    if (found === undefined) this.fail(`<${this.name}> is missing required element <${local}>`);
    return found;
  }

  /** The child `local` if present; error if repeated. */
  optional(local: string): XmlElement | undefined {
    const found = this.children(local);
    if (found.length > 1) this.fail(`<${this.name}> has ${found.length} <${local}> elements`);
    return found[0];
  }

  /** Text content; error if the element has child elements. */
  text(): string {
    if (typeof this.node === 'string') return this.node;
    if (Object.keys(this.node).some((k) => !k.startsWith(ATTR) && k !== '#text')) {
      this.fail(`<${this.name}> must contain text only`);
    }
    const text = this.node['#text'];
    return typeof text === 'string' ? text : '';
  }

  /** Unqualified attribute value, if present. */
  attr(name: string): string | undefined {
    if (typeof this.node === 'string') return undefined;
    const v = this.node[ATTR + name];
    return typeof v === 'string' ? v : undefined;
  }

  /** Unqualified attribute that the schema requires. */
  requiredAttr(name: string): string {
    const v = this.attr(name);
    if (v === undefined) this.fail(`<${this.name}> is missing required attribute ${name}`);
    return v;
  }

  /** An attribute restricted to `allowed` values (an XML Schema enumeration). */
  enumAttr<T extends string>(name: string, allowed: readonly T[]): T {
    const v = this.requiredAttr(name);
    const found = allowed.find((a) => a === v);
    if (found === undefined) {
      this.fail(`<${this.name}> attribute ${name}="${v}" is not one of ${allowed.join(', ')}`);
    }
    return found;
  }
}

/**
 * Validates and parses an XML document whose root must be `rootName` in `namespace`.
 * @throws BodyParseError for malformed XML, a missing/extra root, or the wrong root or namespace.
 */
export function parseXml(
  contentType: string,
  text: string,
  rootName: string,
  namespace: string,
): XmlElement {
  if (text.length > MAX_XML_OCTETS) throw new BodyParseError(contentType, `XML body of ${text.length} characters exceeds the limit of ${MAX_XML_OCTETS}`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new BodyParseError(
      contentType,
      `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (e) {
    // The library refuses some well-formed documents with its own untyped Error (nesting deeper
    // than its limit, names such as __proto__, entity expansion limits): the body is refused.
    throw new BodyParseError(contentType, `XML not accepted: ${(e as Error).message}`, { cause: e });
  }
  // Top-level keys are the root element plus prolog items (<?xml ...?>) and stray whitespace.
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && k !== '#text');
  const rootKey = roots[0];
  const rootNodes = rootKey === undefined ? [] : (doc[rootKey] as XmlNode[]);
  const rootNode = rootNodes[0];
  if (roots.length !== 1 || rootKey === undefined || rootNode === undefined || rootNodes.length !== 1) {
    throw new BodyParseError(contentType, 'an XML document must have exactly one root element');
  }
  const colon = rootKey.indexOf(':');
  const prefix = colon < 0 ? '' : rootKey.slice(0, colon);
  const local = rootKey.slice(colon + 1);
  if (local !== rootName) {
    throw new BodyParseError(contentType, `root element is <${rootKey}>, expected <${rootName}>`);
  }
  const ns =
    typeof rootNode === 'string' ? undefined : rootNode[prefix === '' ? `${ATTR}xmlns` : `${ATTR}xmlns:${prefix}`];
  if (ns !== namespace) {
    throw new BodyParseError(
      contentType,
      `root element <${rootKey}> is in namespace ${ns === undefined ? '(none)' : `"${String(ns)}"`}, expected "${namespace}"`,
    );
  }
  return new XmlElement(contentType, rootName, rootNode, prefix);
}
