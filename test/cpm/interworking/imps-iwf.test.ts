import { describe, expect, it } from 'vitest';
import { cpimHeader } from '../../../src/bodies/cpim-codec.js';
import type { ImpsMessage } from '../../../src/imps/message.js';
import { header } from '../../../src/sip/message.js';
import { isSip } from '../../../src/wire/payload.js';
import type { TraceRecorder } from '../../../src/trace/recorder.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const IWF = 'iwf-imps.a.example';
const SERVER = 'imps.imps.example';

function network(groups: { id: string; access: 'open' | 'restricted'; members: string[] }[] = [], loggedOut: string[] = []) {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addNonCpmSystem('imps', 'imps.example', ['wv:bob@imps.example', 'wv:carol@imps.example'], {}, { groups, loggedOut });
  h.net.addUser(ALICE, ['phone']);
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  return h;
}

/** The CSP transactions on the wire, in order. */
function csp(trace: TraceRecorder): ImpsMessage[] {
  return trace.events.flatMap((e) => (e.type === 'transmit' && !isSip(e.payload) && e.payload.protocol === 'imps' ? [e.payload] : []));
}

describe('IMPS Interworking Function', () => {
  it('logs in as the gateway of its domain and sends the CPM Message as a SendMessage-Request in that session', () => {
    const { net, trace } = network();
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'wv:bob@imps.example', text: 'Hi Bob' }));
    net.run({ until: at(10) });
    const [login, loginAnswer, send] = csp(trace);
    expect(login?.type === 'imps-request' && login.csp.primitive).toMatchObject({ name: 'Login-Request', userId: 'wv:gateway@a.example' });
    const session = loginAnswer?.csp?.primitive.name === 'Login-Response' ? loginAnswer.csp.primitive.sessionId : undefined;
    expect(session).toBeDefined();
    expect(send?.type === 'imps-request' && send.csp.sessionId).toBe(session);
    expect(send?.type === 'imps-request' && send.csp.primitive).toMatchObject({
      name: 'SendMessage-Request',
      deliveryReport: false,
      content: 'Hi Bob',
      info: { recipient: { user: 'wv:bob@imps.example' }, sender: { user: 'wv:alice@a.example' }, contentSize: 6 },
    });
    expect(sent(trace, { to: 'phone.alice.a.example', status: 202 })).toHaveLength(1);
  });

  it('maps the delivery report to a delivered IMDN from the WV user, about the CPM Message', () => {
    const { net, trace } = network();
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: 'wv:bob@imps.example', text: 'Hi', notify: ['positive-delivery'] })));
    net.run({ until: at(10) });
    const imdn = sent(trace, { from: IWF, method: 'MESSAGE' })[0]!.payload;
    const body = imdn.body;
    expect(body?.kind === 'cpim' && body.cpim.content.kind === 'imdn' && body.cpim.content.imdn).toMatchObject({ messageId: id, notification: { type: 'delivery', status: 'delivered' } });
    expect(header(imdn, 'P-Asserted-Identity')).toBe('<wv:bob@imps.example>');
  });

  it('asks the server for a delivery report of a negative-only message, and on a delivery tells the sender nothing (RFC 5438)', () => {
    const { net, trace } = network();
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: 'wv:bob@imps.example', text: 'Hi', notify: ['negative-delivery'] })));
    net.run({ until: at(10) });
    const send = csp(trace).find((m) => m.type === 'imps-request' && m.csp.primitive.name === 'SendMessage-Request');
    expect(send?.type === 'imps-request' && send.csp.primitive).toMatchObject({ deliveryReport: true });
    expect(sent(trace, { from: IWF, method: 'MESSAGE' })).toHaveLength(0);
    const note = trace.events.find((e) => e.type === 'note' && e.host === IWF && e.text === 'the IMPS message to wv:bob@imps.example was delivered; no notification was asked for');
    expect(note?.type === 'note' && note.message).toBe(id);
  });

  it('on a failure tells a positive-only sender nothing, and notes the failure against the CPM Message (RFC 5438)', () => {
    // Bob is not logged in: the server keeps the message 10 min, then reports it expired.
    const { net, trace } = network([], ['wv:bob@imps.example']);
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: 'wv:bob@imps.example', text: 'Hi', notify: ['positive-delivery'] })));
    net.run({ until: at(900) });
    expect(sent(trace, { from: IWF, method: 'MESSAGE' })).toHaveLength(0);
    const note = trace.events.find((e) => e.type === 'note' && e.host === IWF && e.text === 'the IMPS message to wv:bob@imps.example failed; no notification was asked for');
    expect(note?.type === 'note' && note.message).toBe(id);
  });

  it('when no report comes at all, notes the failure it does not report to a positive-only sender', () => {
    // The server accepts, then crashes and forgets the report it owed; the function waits 15 min.
    const { net, trace } = network([], ['wv:bob@imps.example']);
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: 'wv:bob@imps.example', text: 'Hi', notify: ['positive-delivery'] })));
    net.at(at(2), () => net.crash(SERVER, 'lost'));
    net.run({ until: at(1000) });
    expect(sent(trace, { from: IWF, method: 'MESSAGE' })).toHaveLength(0);
    expect(notes(trace, IWF)).toContain('no delivery report from the IMPS server for the message to wv:bob@imps.example: reports it failed');
    const note = trace.events.find((e) => e.type === 'note' && e.host === IWF && e.text === 'the IMPS message to wv:bob@imps.example failed; no notification was asked for');
    expect(note?.type === 'note' && note.message).toBe(id);
  });

  it('answers 404 for an unknown IMPS user and 403 for a restricted group the sender may not join', () => {
    const { net, trace } = network([{ id: 'wv:carol/staff@imps.example', access: 'restricted', members: ['wv:carol@imps.example'] }]);
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'wv:nobody@imps.example', text: 'Hi' }));
    net.at(at(2), () => net.client(ALICE, 'phone').send({ to: 'wv:carol/staff@imps.example', text: 'Hi' }));
    net.at(at(3), () => net.client(ALICE, 'phone').send({ to: 'wv:carol/none@imps.example', text: 'Hi' }));
    net.run({ until: at(10) });
    expect(sent(trace, { to: 'phone.alice.a.example', method: undefined }).filter((s) => s.payload.type === 'response' && s.payload.status >= 300).map((s) => s.payload.type === 'response' && `${s.payload.status} ${s.payload.reason}`)).toEqual([
      '404 Unknown IMPS User',
      '403 Not A Member Of The IMPS Group',
      '404 No Such IMPS Group',
    ]);
  });

  it('joins an open group once, then sends to the group', () => {
    const { net, trace } = network([{ id: 'wv:carol/friends@imps.example', access: 'open', members: ['wv:carol@imps.example'] }]);
    net.at(at(1), () => net.client(ALICE, 'phone').send({ to: 'wv:carol/friends@imps.example', text: 'One' }));
    net.at(at(2), () => net.client(ALICE, 'phone').send({ to: 'wv:carol/friends@imps.example', text: 'Two' }));
    net.run({ until: at(10) });
    const requests = csp(trace).flatMap((m) => (m.type === 'imps-request' && m.client === IWF ? [m.csp.primitive.name] : []));
    expect(requests).toEqual(['Login-Request', 'JoinGroup-Request', 'SendMessage-Request', 'SendMessage-Request']);
    expect(notes(trace, SERVER)).toContain('the client of wv:carol@imps.example got the message and answered MessageDelivered');
  });

  it('asks no delivery report of a message to a group, and says in the trace why no notification comes', () => {
    const { net, trace } = network([{ id: 'wv:carol/friends@imps.example', access: 'open', members: ['wv:carol@imps.example'] }]);
    let id = '';
    net.at(at(1), () => (id = net.client(ALICE, 'phone').send({ to: 'wv:carol/friends@imps.example', text: 'One', notify: ['positive-delivery', 'negative-delivery'] })));
    net.run({ until: at(1000) });
    const send = csp(trace).find((m) => m.type === 'imps-request' && m.csp.primitive.name === 'SendMessage-Request');
    expect(send?.type === 'imps-request' && send.csp.primitive).toMatchObject({ deliveryReport: false, info: { recipient: { group: 'wv:carol/friends@imps.example' } } });
    expect(sent(trace, { to: 'phone.alice.a.example', status: 202 })).toHaveLength(1);
    expect(sent(trace, { from: IWF, method: 'MESSAGE' })).toHaveLength(0);
    const note = trace.events.find((e) => e.type === 'note' && e.host === IWF && e.text === 'the IMPS group wv:carol/friends@imps.example reports no deliveries; no notification will come');
    expect(note?.type === 'note' && note.message).toBe(id);
  });

  it("turns a group's message into a CPM Message from the group, written by the member (CPM 5.1.2.5)", () => {
    const { net, trace } = network([{ id: 'wv:carol/friends@imps.example', access: 'open', members: ['wv:carol@imps.example', 'wv:alice@a.example'] }]);
    net.at(at(1), () => net.sendFromNonCpm('wv:carol@imps.example', 'wv:carol/friends@imps.example', 'Hello group', false));
    net.run({ until: at(10) });
    const message = sent(trace, { from: IWF, method: 'MESSAGE' })[0]!.payload;
    expect(header(message, 'From')).toMatch(/^<wv:carol\/friends@imps\.example>;tag=/);
    expect(header(message, 'P-Asserted-Identity')).toBe('<wv:carol/friends@imps.example>');
    expect(header(message, 'Non-CPM-Service')).toBe('imps');
    expect(message.body?.kind === 'cpim' && cpimHeader(message.body.cpim, 'From')).toBe('<wv:carol@imps.example>');
    // No delivery notification is asked of a group's copy: IMPS reports delivery to users only.
    expect(message.body?.kind === 'cpim' && cpimHeader(message.body.cpim, 'imdn.Disposition-Notification')).toBeUndefined();
  });

  it('answers 504 when the IMPS server does not answer within its transaction timer', () => {
    const { net, trace } = network();
    net.at(at(1), () => net.crash(SERVER, 'kept'));
    net.at(at(2), () => net.client(ALICE, 'phone').send({ to: 'wv:bob@imps.example', text: 'Hi' }));
    net.run({ until: at(20) });
    expect(notes(trace, IWF)).toContain('no answer from the IMPS server to SendMessage-Request');
    expect(sent(trace, { to: 'phone.alice.a.example', status: 504 })).toHaveLength(1);
  });
});
