import { Buffer } from 'node:buffer';
import type { Mm7Content, Mm7Message, Mm7Operation } from './message.js';

const CRLF = '\r\n';
/** SOAP 1.1 envelope namespace (W3C NOTE-SOAP-20000508 4.1.1). */
export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
/** The MM7 schema namespace of 3GPP TS 23.140 Release 6 (REL-6-MM7-1-4), and its MM7Version. */
export const MM7_NS = 'http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4';
export const MM7_VERSION = '6.8.0';
/** The HTTP path an MMS Relay/Server and an Interworking Function take MM7 requests at. */
export const MM7_PATH = '/mm7';
const SOAP_ID = 'mm7-soap';
const CONTENT_ID = 'mm7-content';

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const el = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;
const text = (name: string, value: string): string => el(name, escape(value));
const number = (name: string, value: string): string => el(name, text('Number', value));
const status = (code: number, statusText: string): string => el('Status', text('StatusCode', String(code)) + text('StatusText', statusText));

/** The operation's element of the SOAP body (TS 23.140 8.7.3, in the order of its schema). */
function operationXml(op: Mm7Operation): string {
  const version = text('MM7Version', MM7_VERSION);
  const content = '<Content href="cid:mm7-content"/>';
  switch (op.kind) {
    case 'SubmitReq':
      return version + el('SenderIdentification', text('VASPID', op.vaspId) + number('SenderAddress', op.sender)) + el('Recipients', number('To', op.recipient)) + text('DeliveryReport', String(op.deliveryReport)) + text('Subject', op.subject) + content;
    case 'SubmitRsp':
      return version + status(op.statusCode, op.statusText) + (op.messageId === undefined ? '' : text('MessageID', op.messageId));
    case 'DeliveryReportReq':
      return version + text('MMSRelayServerID', op.relayServerId) + text('MessageID', op.messageId) + number('Recipient', op.recipient) + number('Sender', op.sender) + text('Date', op.date) + text('MMStatus', op.mmStatus);
    case 'DeliverReq':
      return version + text('MMSRelayServerID', op.relayServerId) + text('LinkedID', op.linkedId) + number('Sender', op.sender) + el('Recipients', number('To', op.recipient)) + text('TimeStamp', op.timeStamp) + text('Subject', op.subject) + content;
    case 'DeliveryReportRsp':
    case 'DeliverRsp':
      return version + status(op.statusCode, op.statusText);
  }
}

/** The SOAP envelope: the TransactionID header the receiver must understand, the operation in the body (TS 23.140 8.7.1). */
export function soapEnvelope(transactionId: string, op: Mm7Operation): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>${CRLF}` +
    `<env:Envelope xmlns:env="${SOAP_ENV}">` +
    `<env:Header><mm7:TransactionID xmlns:mm7="${MM7_NS}" env:mustUnderstand="1">${escape(transactionId)}</mm7:TransactionID></env:Header>` +
    `<env:Body><${op.kind} xmlns="${MM7_NS}">${operationXml(op)}</${op.kind}></env:Body>` +
    `</env:Envelope>${CRLF}`
  );
}

const contentOf = (op: Mm7Operation): Mm7Content | undefined => (op.kind === 'SubmitReq' || op.kind === 'DeliverReq' ? op.content : undefined);

/**
 * The HTTP body and its Content-Type: the envelope alone as text/xml, or, with multimedia content,
 * the envelope and the content as a multipart/related SOAP message with attachments (TS 23.140
 * 8.7.2, RFC 2387), the envelope first and the content referenced by its Content-ID.
 */
export function mm7Body(m: Mm7Message, boundary: string): { contentType: string; text: string } {
  const envelope = soapEnvelope(m.transactionId, m.operation);
  const content = contentOf(m.operation);
  if (content === undefined) return { contentType: 'text/xml; charset="utf-8"', text: envelope };
  const part = (type: string, id: string, body: string): string => `--${boundary}${CRLF}Content-Type: ${type}${CRLF}Content-ID: <${id}>${CRLF}${CRLF}${body}${CRLF}`;
  return {
    contentType: `multipart/related; boundary="${boundary}"; type="text/xml"; start="<${SOAP_ID}>"`,
    text: part('text/xml; charset="utf-8"', SOAP_ID, envelope) + part(content.contentType, CONTENT_ID, content.text) + `--${boundary}--${CRLF}`,
  };
}

/** HTTP/1.1 wire text (RFC 9112): a POST of the SOAP message, or its 200 answer. */
export function serializeMm7(m: Mm7Message): string {
  const body = mm7Body(m, `mm7-${m.transactionId}`);
  const length = `Content-Length: ${Buffer.byteLength(body.text, 'utf8')}`;
  const head =
    m.type === 'mm7-request'
      ? [`POST ${MM7_PATH} HTTP/1.1`, `Host: ${m.host}`, `Content-Type: ${body.contentType}`, 'SOAPAction: ""', length]
      : [`HTTP/1.1 ${m.status} ${m.status === 200 ? 'OK' : 'Error'}`, `Content-Type: ${body.contentType}`, length];
  return `${head.join(CRLF)}${CRLF}${CRLF}${body.text}`;
}
