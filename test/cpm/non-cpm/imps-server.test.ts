import { describe, expect, it } from 'vitest';
import type { CspPrimitive, ImpsMessage } from '../../../src/imps/message.js';
import { isSip, type WirePayload } from '../../../src/wire/payload.js';
import { at, harness, notes, sent } from '../harness.js';

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
function intruder(h: ReturnType<typeof network>): { send: (primitive: CspPrimitive, sessionId?: string) => void; answers: CspPrimitive[] } {
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
