import { describe, expect, it } from 'vitest';
import { BodyParseError } from '../../src/bodies/errors.js';
import { CSP_NS, TRC_NS, decodeCsp, encodeCsp } from '../../src/imps/csp-codec.js';
import type { CspMessage } from '../../src/imps/message.js';

/** As a client sends it: the server assigns the MessageID. */
const unnumbered = { contentType: 'text/plain', contentSize: 5, recipient: { user: 'wv:bob@imps.example' }, sender: { user: 'wv:alice@a.example' }, dateTime: '20080601T000001Z' };
const info = { messageId: 'm1', ...unnumbered };

const messages: CspMessage[] = [
  { mode: 'Request', transactionId: '1', primitive: { name: 'Login-Request', userId: 'wv:gateway@a.example', clientId: 'wv:iwf@a.example', password: 'cpm' } },
  { mode: 'Response', transactionId: '1', primitive: { name: 'Login-Response', result: { code: 200 }, sessionId: 's1' } },
  { sessionId: 's1', mode: 'Request', transactionId: '2', primitive: { name: 'SendMessage-Request', deliveryReport: true, info: unnumbered, content: 'Hello' } },
  { sessionId: 's1', mode: 'Response', transactionId: '2', primitive: { name: 'SendMessage-Response', result: { code: 531, description: 'Unknown user' } } },
  { sessionId: 's1', mode: 'Request', transactionId: '3', primitive: { name: 'NewMessage', info: { ...info, recipient: { user: 'wv:alice@a.example', group: 'wv:carol/friends@imps.example' } }, content: 'a < b & "c"' } },
  { sessionId: 's1', mode: 'Request', transactionId: '4', primitive: { name: 'MessageDelivered', messageId: 'm1' } },
  { sessionId: 's1', mode: 'Request', transactionId: '5', primitive: { name: 'DeliveryReport-Request', result: { code: 542, description: 'Message has expired' }, info, deliveryTime: '20080601T001000Z' } },
  { sessionId: 's1', mode: 'Request', transactionId: '6', primitive: { name: 'JoinGroup-Request', userId: 'wv:alice@a.example', groupId: 'wv:carol/friends@imps.example', screenName: 'alice' } },
  { sessionId: 's1', mode: 'Response', transactionId: '6', primitive: { name: 'JoinGroup-Response', joined: ['wv:carol@imps.example', 'wv:alice@a.example'] } },
  { sessionId: 's1', mode: 'Response', transactionId: '7', primitive: { name: 'Status', result: { code: 200 } } },
];

describe('WV-CSP 1.2 XML codec', () => {
  it.each(messages.map((m) => [m.primitive.name, m] as const))('round-trips %s', (_name, m) => {
    expect(decodeCsp(encodeCsp(m))).toEqual(m);
  });

  it('writes the CSP message and transaction-content namespaces and the session descriptor', () => {
    const xml = encodeCsp(messages[2]!);
    expect(xml).toContain(`<WV-CSP-Message xmlns="${CSP_NS}">`);
    expect(xml).toContain(`<TransactionContent xmlns="${TRC_NS}">`);
    expect(xml).toMatch(/<SessionType>Inband<\/SessionType>\s*<SessionID>s1<\/SessionID>/);
    expect(xml).toMatch(/<Recipient>\s*<User>\s*<UserID>wv:bob@imps.example<\/UserID>/);
    expect(xml).toContain('<DeliveryReport>T</DeliveryReport>');
    // Before login there is no session: Outband.
    expect(encodeCsp(messages[0]!)).toContain('<SessionType>Outband</SessionType>');
  });

  it('refuses a document in another namespace, a missing element, or two primitives', () => {
    const ok = encodeCsp(messages[9]!);
    expect(() => decodeCsp(ok.replace(CSP_NS, 'urn:other'))).toThrow(BodyParseError);
    expect(() => decodeCsp(ok.replace(TRC_NS, 'urn:other'))).toThrow(/TransactionContent/);
    expect(() => decodeCsp(ok.replace(/<Code>200<\/Code>/, ''))).toThrow(/Code/);
    expect(() => decodeCsp(ok.replace('<Status>', '<Status-Extra/><Status>'))).toThrow(/exactly one primitive/);
    expect(() => decodeCsp(ok.replace(/<Code>200/, '<Code>two hundred'))).toThrow(/not a number/);
  });

  it('refuses a session type that does not fit the session id', () => {
    expect(() => decodeCsp(encodeCsp(messages[9]!).replace('Inband', 'Outband'))).toThrow(/SessionType/);
  });
});
