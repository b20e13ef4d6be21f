import { describe, expect, it } from 'vitest';
import type { CspMessage, CspParty, CspPrimitive, ImpsMessage } from '../../../src/imps/message.js';
import { isSip, type WirePayload } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';
import { facingScript } from './fixtures.js';

const ALICE = 'sip:alice@a.example';
const SERVER = 'imps.imps.example';

function network(loggedOut: string[] = []) {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('imps', 'imps.example', ['wv:bob@imps.example', 'wv:erin@imps.example'], {}, { loggedOut });
  h.net.addUser(ALICE, ['phone']);
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

/** A host that is no gateway of the server, and the answers it gets. */
function intruder(h: Pick<ReturnType<typeof network>, 'net'>): { send: (primitive: CspPrimitive, sessionId?: string) => void; answers: CspPrimitive[] } {
  const answers: CspPrimitive[] = [];
  h.net.net.attach({
    host: 'intruder.example',
    domain: 'example',
    receive: (p: WirePayload) => {
      if (!isSip(p) && p.protocol === 'imps' && p.csp !== undefined) answers.push(p.csp.primitive);
    },
  });
  let n = 0;
  const send = (primitive: CspPrimitive, sessionId?: string): void => {
    n += 1;
    const m: ImpsMessage = { protocol: 'imps', type: 'imps-request', client: 'intruder.example', host: SERVER, path: '/wv-csp', csp: { ...(sessionId === undefined ? {} : { sessionId }), mode: 'Request', transactionId: String(n), primitive } };
    h.net.net.send('intruder.example', SERVER, m);
  };
  return { send, answers };
}

describe('IMPS server', () => {
  it('logs in only the gateways of CPM domains, and refuses a transaction outside their sessions', () => {
    const h = network();
    const { send, answers } = intruder(h);
    h.net.at(at(1), () => send({ name: 'Login-Request', userId: 'wv:gateway@a.example', clientId: 'wv:x', password: 'cpm' }));
    h.net.at(at(2), () => send({ name: 'MessageDelivered', messageId: 'm1' }, 'guessed'));
    h.net.run({ until: at(5) });
    expect(answers.map((a) => ('result' in a ? `${a.name} ${a.result.code}` : a.name))).toEqual(['Login-Response 409', 'Status 604']);
    expect(notes(h.trace, SERVER)).toEqual(['logs in the gateway of a.example']);
  });

  it('keeps a message for a user who is logged out, and reports it expired when its time is up', () => {
    const h = network(['wv:erin@imps.example']);
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: 'wv:erin@imps.example', text: 'Call me', notify: ['positive-delivery', 'negative-delivery'] }));
    h.net.run({ until: at(700) });
    expect(notes(h.trace, SERVER)).toContain('wv:erin@imps.example is not logged in: keeps the message');
    expect(notes(h.trace, SERVER)).toContain('the message to wv:erin@imps.example expired');
    const imdn = sent(h.trace, { from: 'iwf-imps.a.example', method: 'MESSAGE' })[0]!.payload;
    expect(imdn.body?.kind === 'cpim' && imdn.body.cpim.content.kind === 'imdn' && imdn.body.cpim.content.imdn.notification).toEqual({ type: 'delivery', status: 'failed' });
  });

  it("delivers an IMPS user's message to a CPM user through the gateway of the user's domain", () => {
    const h = network();
    h.net.at(at(1), () => h.net.sendFromNonCpm('wv:bob@imps.example', 'sip:alice@a.example', 'Hi Alice', true));
    h.net.run({ until: at(5) });
    const message = sent(h.trace, { from: 'iwf-imps.a.example', method: 'MESSAGE' })[0]!.payload;
    expect(message.body?.kind === 'cpim' && message.body.cpim.content.kind === 'text' && message.body.cpim.content.text).toBe('Hi Alice');
    // The recipient's delivery notification came back as MessageDelivered: the server reports it to Bob.
    expect(notes(h.trace, SERVER)).toContain('reports the delivery to the client of wv:bob@imps.example');
  });
});

const BOB = 'wv:bob@imps.example';
const ERIN = 'wv:erin@imps.example';
const FAY = 'wv:fay@imps.example';
const ALICE_WV = 'wv:alice@a.example';
const FRIENDS = 'wv:bob/friends@imps.example';
const STAFF = 'wv:bob/staff@imps.example';

/**
 * imps.example (Bob, Fay, Erin logged out, the open group of Bob with Bob, Alice and a user at c.example, a domain with no
 * gateway, and Bob's restricted group of Bob alone) facing a script at a.example's gateway address; b.example's Interworking Function is
 * the real one and logs in at 0 s. `answer` is the script's answer to each request of the server
 * (none: it stays silent).
 */
function gateway(answer: (p: CspPrimitive) => CspPrimitive | undefined = () => ({ name: 'Status', result: { code: 200 } })) {
  const s = facingScript({
    service: 'imps',
    domain: 'imps.example',
    users: [BOB, ERIN, FAY],
    replaceIwf: true,
    hosted: { loggedOut: [ERIN], groups: [{ id: FRIENDS, access: 'open', members: [BOB, ALICE_WV, 'wv:carl@c.example'] }, { id: STAFF, access: 'restricted', members: [BOB] }] },
    reply: (p, send) => {
      if (!('protocol' in p) || p.protocol !== 'imps' || p.type !== 'imps-request') return;
      const primitive = answer(p.csp.primitive);
      if (primitive !== undefined) send({ protocol: 'imps', type: 'imps-response', client: SERVER, status: 200, reason: 'OK', csp: { ...(p.csp.sessionId === undefined ? {} : { sessionId: p.csp.sessionId }), mode: 'Response', transactionId: p.csp.transactionId, primitive } });
    },
  });
  const imps = (): ImpsMessage[] => s.received.flatMap((p) => ('protocol' in p && p.protocol === 'imps' ? [p] : []));
  /** The session of the script's latest successful login. */
  const session = (): string | undefined =>
    imps()
      .flatMap((m) => (m.type === 'imps-response' && m.csp?.primitive.name === 'Login-Response' && m.csp.primitive.sessionId !== undefined ? [m.csp.primitive.sessionId] : []))
      .at(-1);
  let n = 0;
  /** The script's request, in its current session unless given another. */
  const request = (primitive: CspPrimitive, sessionId: string | undefined = session()): void =>
    s.sendTo(SERVER, { protocol: 'imps', type: 'imps-request', client: s.host, host: SERVER, path: '/wv-csp', csp: { ...(sessionId === undefined ? {} : { sessionId }), mode: 'Request', transactionId: `s${++n}`, primitive } });
  const login = (userId = 'wv:gateway@a.example'): void => request({ name: 'Login-Request', userId, clientId: 'wv:iwf@a.example', password: 'cpm' }, undefined);
  /** The answers the script got, as `name code` (or the name alone). */
  const answers = (): string[] => imps().flatMap((m) => (m.type === 'imps-response' && m.csp !== undefined ? [m.csp.primitive] : [])).map((a) => ('result' in a ? `${a.name} ${a.result.code}` : a.name));
  /** The requests the server sent the script, with their session. */
  const requests = (): CspMessage[] => imps().flatMap((m) => (m.type === 'imps-request' ? [m.csp] : []));
  const message = (sender: string, recipient: CspParty, deliveryReport = false): CspPrimitive => ({
    name: 'SendMessage-Request',
    deliveryReport,
    info: { contentType: 'text/plain', contentSize: 2, recipient, sender: { user: sender }, dateTime: '20261207T235900Z' },
    content: 'Hi',
  });
  return { ...s, imps, session, request, login, answers, requests, message };
}

describe('IMPS server on the wire, facing a scripted gateway (WV-CSP 1.2)', () => {
  it('answers nothing to what is not CSP, and notes it', () => {
    const g = gateway();
    g.net.at(0, () => g.sendTo(SERVER, { protocol: 'smpp', command: 'enquire_link', sequence: 1 }));
    g.net.run({ until: at(1) });
    expect(g.received).toEqual([]);
    expect(notes(g.trace, SERVER)).toEqual(['logs in the gateway of b.example', `ignored a non-CSP message from ${g.host}`]);
  });

  it("refuses a gateway's login as another user than its own gateway user, and an unknown host's as 'wv:gateway@undefined' (409)", () => {
    const g = gateway();
    const { send, answers } = intruder(g);
    g.net.at(at(1), () => g.login('wv:alice@a.example'));
    g.net.at(at(1), () => send({ name: 'Login-Request', userId: 'wv:gateway@undefined', clientId: 'wv:x', password: 'cpm' }));
    g.net.run({ until: at(2) });
    expect(g.answers()).toEqual(['Login-Response 409']);
    expect(answers.map((a) => ('result' in a ? `${a.name} ${a.result.code}` : a.name))).toEqual(['Login-Response 409']);
  });

  it("ends a gateway's earlier session when it logs in again, and no other gateway's", () => {
    const g = gateway();
    let first: string | undefined;
    g.net.at(at(1), () => g.login());
    g.net.at(at(2), () => (first = g.session()));
    g.net.at(at(2), () => g.login());
    g.net.at(at(3), () => g.request(g.message(ALICE_WV, { user: BOB }), first));
    g.net.at(at(4), () => g.request(g.message(ALICE_WV, { user: BOB })));
    // b.example's Interworking Function logged in at 0 s: its session still holds.
    g.net.at(at(5), () => g.net.client('sip:bob@b.example', 'phone').send({ to: BOB, text: 'From b' }));
    g.net.at(at(4.5), () => g.net.client('sip:bob@b.example', 'phone').register());
    g.net.run({ until: at(10) });
    expect(g.answers()).toEqual(['Login-Response 200', 'Login-Response 200', 'Status 604', 'SendMessage-Response 200']);
    const toB = g.trace.events.flatMap((e) => (e.type === 'transmit' && e.from === SERVER && e.to === 'iwf-imps.b.example' && !isSip(e.payload) && e.payload.protocol === 'imps' && e.payload.csp !== undefined ? [e.payload.csp.primitive] : []));
    expect(toB.map((a) => ('result' in a ? `${a.name} ${a.result.code}` : a.name))).toEqual(['Login-Response 200', 'SendMessage-Response 200']);
  });

  it('refuses a request that is no client request with 402, and a MessageDelivered for no message it delivered with 426 (Invalid MessageID)', () => {
    const g = gateway();
    g.net.at(at(1), () => g.login());
    g.net.at(at(2), () => g.request({ name: 'NewMessage', info: { messageId: 'm1', contentType: 'text/plain', contentSize: 2, recipient: { user: BOB }, sender: { user: ALICE_WV }, dateTime: '20261207T235900Z' }, content: 'Hi' }));
    g.net.at(at(3), () => g.request({ name: 'MessageDelivered', messageId: 'never-sent' }));
    g.net.run({ until: at(4) });
    expect(g.answers()).toEqual(['Login-Response 200', 'Status 402', 'Status 426']);
  });

  it('accepts a message only from a user of the gateway\'s own domain (402), to a user it can reach (not 200 without recipient), to a group the sender joined (808; 801 for no group)', () => {
    const g = gateway();
    g.net.at(at(1), () => g.login());
    g.net.at(at(2), () => g.request(g.message('wv:bob@b.example', { user: BOB })));
    g.net.at(at(2.1), () => g.request({ ...g.message(ALICE_WV, { user: BOB }), info: { contentType: 'text/plain', contentSize: 2, recipient: { user: BOB }, sender: {}, dateTime: '20261207T235900Z' } } as CspPrimitive));
    g.net.at(at(2.2), () => g.request(g.message('wv:dora@a.example', { group: FRIENDS })));
    g.net.at(at(2.3), () => g.request(g.message(ALICE_WV, { group: 'wv:bob/none@imps.example' })));
    g.net.at(at(2.4), () => g.request(g.message(ALICE_WV, {})));
    g.net.run({ until: at(3) });
    const [login, otherDomain, noSender, notJoined, noGroup, noRecipient] = g.answers();
    expect([login, otherDomain, noSender, notJoined, noGroup]).toEqual(['Login-Response 200', 'SendMessage-Response 402', 'SendMessage-Response 402', 'SendMessage-Response 808', 'SendMessage-Response 801']);
    expect(noRecipient).toMatch(/^SendMessage-Response /);
    expect(noRecipient).not.toBe('SendMessage-Response 200');
  });

  it("sends an IMPS user's message to a CPM user as NewMessage in the gateway's session: text/plain, DateTime in ISO 8601 basic format", () => {
    const g = gateway();
    g.net.at(at(1), () => g.login());
    g.net.at(at(61), () => g.net.sendFromNonCpm(BOB, 'sip:alice@a.example', 'Hi Alice', false));
    g.net.run({ until: at(70) });
    const [newMessage, ...more] = g.requests();
    expect(more).toEqual([]);
    expect(newMessage!.sessionId).toBe(g.session());
    // 61 s after 23:59:00 on 7 December 2026.
    expect(newMessage!.primitive).toMatchObject({ name: 'NewMessage', content: 'Hi Alice', info: { contentType: 'text/plain', recipient: { user: ALICE_WV }, sender: { user: BOB }, dateTime: '20261208T000001Z' } });
    expect(notes(g.trace, SERVER).slice(2)).toEqual([]);
  });

  it('notes a NewMessage the gateway refused, and forgets the message: its MessageDelivered is then 426', () => {
    const g = gateway(() => ({ name: 'Status', result: { code: 531 } }));
    g.net.at(at(1), () => g.login());
    g.net.at(at(2), () => g.net.sendFromNonCpm(BOB, 'sip:alice@a.example', 'Hi', true));
    g.net.at(at(3), () => {
      const info = g.requests()[0]!.primitive;
      if (info.name === 'NewMessage') g.request({ name: 'MessageDelivered', messageId: info.info.messageId });
    });
    g.net.run({ until: at(5) });
    expect(notes(g.trace, SERVER).slice(2)).toEqual([`${g.host} could not deliver the message to ${ALICE_WV}: 531`]);
    expect(g.answers()).toEqual(['Login-Response 200', 'Status 426']);
  });

  it('notes a NewMessage nobody answered within its transaction timeout', () => {
    const g = gateway(() => undefined);
    g.net.at(at(1), () => g.login());
    g.net.at(at(2), () => g.net.sendFromNonCpm(BOB, 'sip:alice@a.example', 'Hi', false));
    g.net.run({ until: at(20) });
    expect(notes(g.trace, SERVER).slice(2)).toEqual([`no answer from ${g.host} to NewMessage`]);
  });

  it('delivers nothing to a gateway that has not logged in, nor to a domain without gateway, and says so', () => {
    const g = gateway();
    g.net.at(at(2), () => g.net.sendFromNonCpm(BOB, 'sip:alice@a.example', 'Hi', false));
    g.net.at(at(3), () => g.net.sendFromNonCpm(BOB, 'sip:carl@c.example', 'Hi', false));
    g.net.run({ until: at(5) });
    expect(notes(g.trace, SERVER).slice(1)).toEqual([`the gateway ${g.host} is not logged in: the message to ${ALICE_WV} is not delivered`, `no user wv:carl@c.example: the message of ${BOB} is not delivered`]);
    expect(g.requests()).toEqual([]);
  });

  it("delivers an IMPS user's message to another of its users' clients, and reports it to the sender's client, not over the wire", () => {
    const g = gateway();
    g.net.at(at(1), () => g.net.sendFromNonCpm(BOB, FAY, 'Hi', true));
    g.net.run({ until: at(5) });
    expect(notes(g.trace, SERVER).slice(1)).toEqual([`the client of ${FAY} got the message and answered MessageDelivered`, `reports the delivery to the client of ${BOB}`]);
    expect(g.trace.events.filter((e) => e.type !== 'note' && e.from === SERVER && e.at > at(1))).toEqual([]);
  });

  it("reports the delivery to a CPM sender's gateway in its session, and notes when the gateway does not answer", () => {
    const answering = gateway();
    answering.net.at(at(1), () => answering.login());
    answering.net.at(at(2), () => answering.request(answering.message(ALICE_WV, { user: BOB }, true)));
    answering.net.run({ until: at(20) });
    const [report, ...more] = answering.requests();
    expect(more).toEqual([]);
    expect(report!.sessionId).toBe(answering.session());
    expect(report!.primitive).toMatchObject({ name: 'DeliveryReport-Request', result: { code: 200 }, info: { recipient: { user: BOB }, sender: { user: ALICE_WV } } });
    expect(notes(answering.trace, SERVER).slice(2)).toEqual([`the client of ${BOB} got the message and answered MessageDelivered`]);
    const silent = gateway(() => undefined);
    silent.net.at(at(1), () => silent.login());
    silent.net.at(at(2), () => silent.request(silent.message(ALICE_WV, { user: BOB }, true)));
    silent.net.run({ until: at(20) });
    expect(notes(silent.trace, SERVER).slice(2)).toEqual([`the client of ${BOB} got the message and answered MessageDelivered`, `no answer from ${silent.host} to the delivery report`]);
  });

  it('sends no delivery report when none was asked for: not for an expired message, not on MessageDelivered', () => {
    const g = gateway();
    g.net.at(at(1), () => g.login());
    g.net.at(at(2), () => g.request(g.message(ALICE_WV, { user: ERIN })));
    g.net.at(at(3), () => g.net.sendFromNonCpm(BOB, 'sip:alice@a.example', 'Hi', false));
    g.net.at(at(4), () => {
      const m = g.requests()[0]!.primitive;
      if (m.name === 'NewMessage') g.request({ name: 'MessageDelivered', messageId: m.info.messageId });
    });
    g.net.run({ until: at(700) });
    expect(g.requests().map((r) => r.primitive.name)).toEqual(['NewMessage']);
    expect(g.answers()).toEqual(['Login-Response 200', 'SendMessage-Response 200', 'Status 200']);
    expect(notes(g.trace, SERVER).slice(2)).toEqual([`${ERIN} is not logged in: keeps the message`, `the message to ${ERIN} expired`]);
  });

  it("joins a user of the gateway's domain to an open group and answers with who has joined; refuses another domain's user (402) and no group (801)", () => {
    const g = gateway();
    g.net.at(at(1), () => g.login());
    g.net.at(at(2), () => g.request({ name: 'JoinGroup-Request', userId: 'wv:dora@a.example', groupId: FRIENDS, screenName: 'Dora' }));
    g.net.at(at(3), () => g.request({ name: 'JoinGroup-Request', userId: 'wv:bob@b.example', groupId: FRIENDS, screenName: 'Bob' }));
    g.net.at(at(4), () => g.request({ name: 'JoinGroup-Request', userId: 'wv:dora@a.example', groupId: 'wv:bob/none@imps.example', screenName: 'Dora' }));
    g.net.run({ until: at(5) });
    expect(g.answers()).toEqual(['Login-Response 200', 'JoinGroup-Response', 'Status 402', 'Status 801']);
    const joined = g.received.flatMap((p) => ('protocol' in p && p.protocol === 'imps' && p.type === 'imps-response' && p.csp?.primitive.name === 'JoinGroup-Response' ? p.csp.primitive.joined : []));
    expect([...joined].sort()).toEqual([BOB, ALICE_WV, 'wv:carl@c.example', 'wv:dora@a.example'].sort());
  });

  it("relays a joined member's message to the group's other members, the one behind the gateway as text/plain NewMessage; refuses a user who has not joined and a group that does not exist", () => {
    const g = gateway();
    g.net.at(at(1), () => g.login());
    g.net.at(at(2), () => g.net.sendFromNonCpm(BOB, FRIENDS, 'Hi all', false));
    g.net.at(at(3), () => g.net.sendFromNonCpm(ERIN, FRIENDS, 'Me too', false));
    g.net.at(at(4), () => g.net.sendFromNonCpm(BOB, 'wv:bob/none@imps.example', 'Anyone?', false));
    g.net.run({ until: at(5) });
    expect(g.requests().map((r) => r.primitive)).toEqual([expect.objectContaining({ name: 'NewMessage', content: 'Hi all', info: expect.objectContaining({ contentType: 'text/plain', recipient: { user: ALICE_WV, group: FRIENDS } }) })]);
    expect(notes(g.trace, SERVER).slice(2)).toEqual([`relays the message of ${BOB} to the members of ${FRIENDS}`, `${ERIN} has not joined ${FRIENDS}`, 'no group wv:bob/none@imps.example']);
  });

  it('says in words what went wrong: every error Result it sends has a Description (WV-CSP 1.2 Result)', () => {
    const g = gateway();
    g.net.at(at(1), () => g.login('wv:alice@a.example'));
    g.net.at(at(1.5), () => g.request(g.message(ALICE_WV, { user: BOB }), 'guessed'));
    g.net.at(at(2), () => g.login());
    g.net.at(at(3), () => g.request({ name: 'NewMessage', info: { messageId: 'm1', contentType: 'text/plain', contentSize: 2, recipient: { user: BOB }, sender: { user: ALICE_WV }, dateTime: '20261207T235900Z' }, content: 'Hi' }));
    g.net.at(at(3.1), () => g.request({ name: 'MessageDelivered', messageId: 'never-sent' }));
    g.net.at(at(3.2), () => g.request(g.message('wv:bob@b.example', { user: BOB })));
    g.net.at(at(3.3), () => g.request(g.message(ALICE_WV, { user: 'wv:nobody@imps.example' })));
    g.net.at(at(3.4), () => g.request({ name: 'JoinGroup-Request', userId: 'wv:bob@b.example', groupId: FRIENDS, screenName: 'Bob' }));
    g.net.at(at(3.5), () => g.request({ name: 'JoinGroup-Request', userId: ALICE_WV, groupId: 'wv:bob/none@imps.example', screenName: 'Alice' }));
    g.net.at(at(3.6), () => g.request({ name: 'JoinGroup-Request', userId: ALICE_WV, groupId: STAFF, screenName: 'Alice' }));
    g.net.at(at(4), () => g.request(g.message(ALICE_WV, { user: ERIN }, true)));
    g.net.run({ until: at(700) });
    const results = g.imps().flatMap((m) => (m.csp !== undefined && 'result' in m.csp.primitive ? [m.csp.primitive.result] : []));
    const errors = results.filter((r) => r.code !== 200);
    expect(errors.map((r) => r.code)).toEqual([409, 604, 402, 426, 402, 531, 402, 801, 808, 542]);
    for (const r of errors) expect(r.description ?? '').not.toBe('');
  });
});
