import { Buffer } from 'node:buffer';
import { BodyParseError } from '../bodies/errors.js';
import { buildXml, parseXml, type XmlElement, type XmlNode } from '../bodies/xml.js';
import type { CspMessage, CspParty, CspPrimitive, CspResult, MessageInfo } from './message.js';

/** WV-CSP 1.2 media type of the XML encoding, and its two namespaces (message and transaction content). */
export const CSP_CONTENT_TYPE = 'application/vnd.wv.csp.xml';
export const CSP_NS = 'http://www.openmobilealliance.org/DTD/WV-CSP1.2';
export const TRC_NS = 'http://www.openmobilealliance.org/DTD/WV-TRC1.2';

const bool = (b: boolean): string => (b ? 'T' : 'F');

function result(r: CspResult): XmlNode {
  return { Code: String(r.code), ...(r.description === undefined ? {} : { Description: r.description }) };
}

function party(p: CspParty): XmlNode {
  return {
    ...(p.user === undefined ? {} : { User: { UserID: p.user } }),
    ...(p.group === undefined ? {} : { Group: { GroupID: p.group } }),
    ...(p.screenName === undefined ? {} : { ScreenName: { SName: p.screenName, ...(p.group === undefined ? {} : { GroupID: p.group }) } }),
  };
}

function info(i: MessageInfo): XmlNode {
  return {
    ...(i.messageId === undefined ? {} : { MessageID: i.messageId }),
    ContentType: i.contentType,
    ContentSize: String(i.contentSize),
    Recipient: party(i.recipient),
    Sender: party(i.sender),
    DateTime: i.dateTime,
  };
}

function content(p: CspPrimitive): XmlNode {
  switch (p.name) {
    case 'Login-Request':
      return { UserID: p.userId, ClientID: { URL: p.clientId }, Password: p.password, TimeToLive: '86400' };
    case 'Login-Response':
      return { Result: result(p.result), ...(p.sessionId === undefined ? {} : { SessionID: p.sessionId }) };
    case 'SendMessage-Request':
      return { DeliveryReport: bool(p.deliveryReport), MessageInfo: info(p.info), ContentData: p.content };
    case 'SendMessage-Response':
      return { Result: result(p.result), ...(p.messageId === undefined ? {} : { MessageID: p.messageId }) };
    case 'NewMessage':
      return { MessageInfo: info(p.info), ContentData: p.content };
    case 'MessageDelivered':
      return { MessageID: p.messageId };
    case 'DeliveryReport-Request':
      return { Result: result(p.result), MessageInfo: info(p.info), ...(p.deliveryTime === undefined ? {} : { DeliveryTime: p.deliveryTime }) };
    case 'JoinGroup-Request':
      return { UserID: p.userId, GroupID: p.groupId, ScreenName: { SName: p.screenName, GroupID: p.groupId }, JoinedRequest: 'T' };
    case 'JoinGroup-Response':
      return { Joined: { UserList: { User: p.joined.map((u) => ({ UserID: u })) } } };
    case 'Status':
      return { Result: result(p.result) };
  }
}

/** A CSP message as the XML document WV-CSP 1.2 defines (WV-CSP-Message, Session, Transaction). */
export function encodeCsp(m: CspMessage): string {
  return buildXml({
    'WV-CSP-Message': {
      '@_xmlns': CSP_NS,
      Session: {
        SessionDescriptor: m.sessionId === undefined ? { SessionType: 'Outband' } : { SessionType: 'Inband', SessionID: m.sessionId },
        Transaction: {
          TransactionDescriptor: { TransactionMode: m.mode, TransactionID: m.transactionId },
          TransactionContent: { '@_xmlns': TRC_NS, [m.primitive.name]: content(m.primitive) },
        },
      },
    },
  });
}

const fail = (message: string): never => {
  throw new BodyParseError(CSP_CONTENT_TYPE, message);
};

function integer(e: XmlElement, what: string): number {
  const t = e.text().trim();
  if (!/^\d{1,9}$/.test(t)) fail(`<${what}> "${t}" is not a number`);
  return Number(t);
}

function readResult(e: XmlElement): CspResult {
  const description = e.optional('Description')?.text();
  return { code: integer(e.one('Code'), 'Code'), ...(description === undefined ? {} : { description }) };
}

function readParty(e: XmlElement): CspParty {
  const user = e.optional('User');
  const group = e.optional('Group');
  const screenName = e.optional('ScreenName')?.one('SName').text();
  if (user === undefined && group === undefined) fail(`<${e.name}> must name a User or a Group`);
  return {
    ...(user === undefined ? {} : { user: user.one('UserID').text() }),
    ...(group === undefined ? {} : { group: group.one('GroupID').text() }),
    ...(screenName === undefined ? {} : { screenName }),
  };
}

function readInfo(e: XmlElement): MessageInfo {
  const messageId = e.optional('MessageID')?.text();
  return {
    ...(messageId === undefined ? {} : { messageId }),
    contentType: e.one('ContentType').text(),
    contentSize: integer(e.one('ContentSize'), 'ContentSize'),
    recipient: readParty(e.one('Recipient')),
    sender: readParty(e.one('Sender')),
    dateTime: e.one('DateTime').text(),
  };
}

function withId(i: MessageInfo): MessageInfo & { messageId: string } {
  return i.messageId === undefined ? fail('<MessageInfo> is missing its <MessageID>') : { ...i, messageId: i.messageId };
}

function readBool(e: XmlElement): boolean {
  const t = e.text();
  return t === 'T' ? true : t === 'F' ? false : fail(`<${e.name}> "${t}" is neither T nor F`);
}

function readPrimitive(name: string, e: XmlElement): CspPrimitive {
  switch (name) {
    case 'Login-Request':
      return { name, userId: e.one('UserID').text(), clientId: e.one('ClientID').one('URL').text(), password: e.one('Password').text() };
    case 'Login-Response': {
      const sessionId = e.optional('SessionID')?.text();
      return { name, result: readResult(e.one('Result')), ...(sessionId === undefined ? {} : { sessionId }) };
    }
    case 'SendMessage-Request':
      return { name, deliveryReport: readBool(e.one('DeliveryReport')), info: readInfo(e.one('MessageInfo')), content: e.one('ContentData').text() };
    case 'SendMessage-Response': {
      const messageId = e.optional('MessageID')?.text();
      return { name, result: readResult(e.one('Result')), ...(messageId === undefined ? {} : { messageId }) };
    }
    case 'NewMessage':
      return { name, info: withId(readInfo(e.one('MessageInfo'))), content: e.one('ContentData').text() };
    case 'MessageDelivered':
      return { name, messageId: e.one('MessageID').text() };
    case 'DeliveryReport-Request': {
      const deliveryTime = e.optional('DeliveryTime')?.text();
      return { name, result: readResult(e.one('Result')), info: withId(readInfo(e.one('MessageInfo'))), ...(deliveryTime === undefined ? {} : { deliveryTime }) };
    }
    case 'JoinGroup-Request':
      return { name, userId: e.one('UserID').text(), groupId: e.one('GroupID').text(), screenName: e.one('ScreenName').one('SName').text() };
    case 'JoinGroup-Response':
      return { name, joined: (e.optional('Joined')?.optional('UserList')?.children('User') ?? []).map((u) => u.one('UserID').text()) };
    case 'Status':
      return { name, result: readResult(e.one('Result')) };
    default:
      return fail(`<${name}> is not a primitive cpmsim's IMPS elements speak`);
  }
}

/**
 * Reads a WV-CSP-Message document back.
 * @throws BodyParseError for malformed XML, wrong namespaces, a missing element, or a primitive
 * other than those cpmsim speaks.
 */
export function decodeCsp(text: string): CspMessage {
  const root = parseXml(CSP_CONTENT_TYPE, text, 'WV-CSP-Message', CSP_NS);
  const session = root.one('Session');
  const descriptor = session.one('SessionDescriptor');
  const type = descriptor.one('SessionType').text();
  const sessionId = descriptor.optional('SessionID')?.text();
  if (type !== (sessionId === undefined ? 'Outband' : 'Inband')) fail(`SessionType ${type} does not fit a session ${sessionId === undefined ? 'without' : 'with'} a SessionID`);
  const transaction = session.one('Transaction');
  const td = transaction.one('TransactionDescriptor');
  const mode = td.one('TransactionMode').text();
  if (mode !== 'Request' && mode !== 'Response') fail(`TransactionMode ${mode} is neither Request nor Response`);
  const tc = transaction.one('TransactionContent');
  if (tc.attr('xmlns') !== TRC_NS) fail(`<TransactionContent> is not in namespace "${TRC_NS}"`);
  const names = tc.childNames();
  if (names.length !== 1) fail(`<TransactionContent> must hold exactly one primitive, found ${names.length}`);
  const name = names[0]!;
  return { ...(sessionId === undefined ? {} : { sessionId }), mode: mode as CspMessage['mode'], transactionId: td.one('TransactionID').text(), primitive: readPrimitive(name, tc.one(name)) };
}

/** Octets of ContentData as MessageInfo's ContentSize counts them (UTF-8). */
export const contentSize = (text: string): number => Buffer.byteLength(text, 'utf8');
