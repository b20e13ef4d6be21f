import type { Body } from './body.js';
import { BodyParseError } from './errors.js';
import type { ImdnNotification, ImdnStatus } from './imdn.js';
import { buildXml, parseXml } from './xml.js';
import type { XmlElement, XmlNode } from './xml.js';

/** RFC 5438 7.2.1 namespace of the message/imdn+xml document. */
const IMDN_NS = 'urn:ietf:params:xml:ns:imdn';

/** Status values each notification element allows, from the RFC 5438 7.2.1 schema. */
const STATUS_VALUES = {
  delivery: ['delivered', 'failed', 'forbidden', 'error'],
  display: ['displayed', 'forbidden', 'error'],
  processing: ['processed', 'stored', 'forbidden', 'error'],
} as const;

const TYPES = ['delivery', 'display', 'processing'] as const;

/** Serialises an IMDN as an indented XML document in the RFC 5438 7.2.1.1 element order. */
export function encodeImdn(n: ImdnNotification): string {
  const imdn: Record<string, XmlNode> = {
    '@_xmlns': IMDN_NS,
    'message-id': n.messageId,
    datetime: n.dateTime,
  };
  if (n.recipientUri !== undefined) imdn['recipient-uri'] = n.recipientUri;
  if (n.originalRecipientUri !== undefined) imdn['original-recipient-uri'] = n.originalRecipientUri;
  if (n.subject !== undefined) imdn['subject'] = n.subject;
  imdn[`${n.notification.type}-notification`] = { status: { [n.notification.status]: '' } };
  return buildXml({ imdn });
}

/** Reads the `<status>` child of a notification element: exactly one value valid for `type`. */
function readStatus(contentType: string, notification: XmlElement, type: ImdnStatus['type']): ImdnStatus {
  const values = notification.one('status').childNames();
  const [value] = values;
  if (value === undefined || values.length !== 1) {
    throw new BodyParseError(
      contentType,
      `<status> of <${type}-notification> must contain exactly one status element, found ${values.length}`,
    );
  }
  const allowed: readonly string[] = STATUS_VALUES[type];
  if (!allowed.includes(value)) {
    throw new BodyParseError(
      contentType,
      `<${value}/> is not a valid ${type} status (expected one of ${allowed.join(', ')})`,
    );
  }
  // `value` is one of STATUS_VALUES[type], so the pair is a valid ImdnStatus.
  return { type, status: value } as ImdnStatus;
}

/**
 * Parses a message/imdn+xml document (RFC 5438 7.2.1). Elements from other namespaces are
 * ignored, as the schema's extension points allow.
 * @throws BodyParseError for malformed XML, a wrong root or namespace, a missing or repeated
 * element, not exactly one notification element, or a status its notification does not allow.
 */
export function decodeImdn(contentType: string, text: string): ImdnNotification {
  const root = parseXml(contentType, text, 'imdn', IMDN_NS);
  const messageId = root.one('message-id').text();
  if (messageId === '') throw new BodyParseError(contentType, '<message-id> is empty');
  const notifications = TYPES.flatMap((type) =>
    root.children(`${type}-notification`).map((el) => ({ type, el })),
  );
  const [notification] = notifications;
  if (notification === undefined || notifications.length !== 1) {
    throw new BodyParseError(
      contentType,
      `expected exactly one of <delivery-notification>, <display-notification>, <processing-notification>, found ${notifications.length}`,
    );
  }
  const result: ImdnNotification = {
    messageId,
    dateTime: root.one('datetime').text(),
    notification: readStatus(contentType, notification.el, notification.type),
  };
  const recipientUri = root.optional('recipient-uri')?.text();
  if (recipientUri !== undefined) result.recipientUri = recipientUri;
  const originalRecipientUri = root.optional('original-recipient-uri')?.text();
  if (originalRecipientUri !== undefined) result.originalRecipientUri = originalRecipientUri;
  const subject = root.optional('subject')?.text();
  if (subject !== undefined) result.subject = subject;
  return result;
}

/** Wraps an IMDN as a message/imdn+xml body (to be carried in CPIM, RFC 5438 7.2.1.1). */
export function buildImdnBody(n: ImdnNotification): Body {
  return { kind: 'imdn', contentType: 'message/imdn+xml', imdn: n };
}
