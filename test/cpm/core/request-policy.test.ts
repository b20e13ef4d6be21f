import { describe, expect, it } from 'vitest';
import { digestResponse, formatDigest, parseDigest } from '../../../src/sip/digest.js';
import { header, type SipRequest } from '../../../src/sip/message.js';
import { parseUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@a.example';

function network(core: { challengeRequests?: string[]; floodLimit?: { requests: number; per: number } }, auth: 'digest' | 'none' = 'digest'): ReturnType<typeof harness> {
  const h = harness();
  h.net.addDomain('a.example', { auth, core });
  h.net.addUser(ALICE, ['phone'], { password: 'wonderland' });
  h.net.addUser(BOB, ['phone'], { password: 'builder' });
  h.net.at(0, () => h.net.client(ALICE, 'phone').register());
  h.net.at(0, () => h.net.client(BOB, 'phone').register());
  return h;
}

describe('digest for requests other than REGISTER (CPM 5.1.1.3, RFC 3261 22.3)', () => {
  it('challenges a MESSAGE with 407, and delivers the retry that carries credentials', () => {
    const h = network({ challengeRequests: ['MESSAGE'] });
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'hi' }));
    h.net.run({ until: at(3) });
    const challenges = sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', method: 'MESSAGE', status: 407 });
    expect(challenges).toHaveLength(1);
    expect(header(challenges[0]!.payload, 'Proxy-Authenticate')).toMatch(/^Digest realm="a\.example", nonce="[0-9a-f]+", algorithm=MD5, qop="auth"$/);
    const fromAlice = sent(h.trace, { from: 'phone.alice.a.example', method: 'MESSAGE' });
    expect(fromAlice.map((e) => header(e.payload, 'CSeq'))).toEqual(['1 MESSAGE', '2 MESSAGE']);
    expect(header(fromAlice[1]!.payload, 'Proxy-Authorization')).toMatch(/^Digest username="alice@a\.example", realm="a\.example"/);
    const delivered = sent(h.trace, { to: 'phone.bob.a.example', method: 'MESSAGE' });
    expect(delivered).toHaveLength(1);
    // Consumed by the proxy that asked for them: Bob never sees Alice's credentials.
    expect(header(delivered[0]!.payload, 'Proxy-Authorization')).toBeUndefined();
  });

  it('challenges an INVITE, and the session is set up by the retry', () => {
    const h = network({ challengeRequests: ['INVITE'] });
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').session.invite(BOB, ['message']));
    h.net.run({ until: at(5) });
    expect(sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', method: 'INVITE', status: 407 })).toHaveLength(1);
    expect(sent(h.trace, { to: 'phone.bob.a.example', method: 'INVITE' })).toHaveLength(1);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('session established: message');
  });

  it('challenges a SUBSCRIBE to the Participant Information of a session, and the retry subscribes', () => {
    const h = network({ challengeRequests: ['SUBSCRIBE'] });
    h.net.addGroup('sip:friends@a.example', { members: [ALICE, BOB] });
    let id = '';
    h.net.at(at(1), () => (id = h.net.client(ALICE, 'phone').session.invite('sip:friends@a.example', ['message'])));
    h.net.at(at(5), () => h.net.client(ALICE, 'phone').session.subscribeParticipants(id));
    h.net.run({ until: at(8) });
    expect(sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', method: 'SUBSCRIBE', status: 407 })).toHaveLength(1);
    const subscribes = sent(h.trace, { from: 'phone.alice.a.example', method: 'SUBSCRIBE' });
    expect(subscribes.map((e) => header(e.payload, 'CSeq'))).toEqual(['1 SUBSCRIBE', '2 SUBSCRIBE']);
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'SUBSCRIBE', status: 200 })).toHaveLength(1);
    expect(notes(h.trace, 'phone.alice.a.example').some((n) => n.startsWith('participants: '))).toBe(true);
  });

  /** A MESSAGE from Alice's device to Bob answering the core's 407 with credentials computed over `uri` with `password`. */
  const answerChallenge = (h: ReturnType<typeof network>, password: string, uri: string): void => {
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'hi' }));
    h.net.run({ until: at(2) });
    const challenge = sent(h.trace, { status: 407 })[0]!.payload;
    const nonce = parseDigest(header(challenge, 'Proxy-Authenticate')!).get('nonce')!;
    const credentials = formatDigest([
      ['username', 'alice@a.example'],
      ['realm', 'a.example'],
      ['nonce', nonce],
      ['uri', uri],
      ['response', digestResponse({ username: 'alice@a.example', realm: 'a.example', password, method: 'MESSAGE', uri, nonce, nc: '00000002', cnonce: 'c0ffee', qop: 'auth' })],
      ['cnonce', 'c0ffee'],
      ['qop', 'auth'],
      ['nc', '00000002'],
    ]);
    const forged: SipRequest = {
      type: 'request',
      method: 'MESSAGE',
      uri: parseUri(BOB),
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP phone.alice.a.example;branch=z9hG4bKguess' },
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: `<${ALICE}>;tag=9` },
        { name: 'To', value: `<${BOB}>` },
        { name: 'Call-ID', value: 'guess@a.example' },
        { name: 'CSeq', value: '1 MESSAGE' },
        { name: 'Proxy-Authorization', value: credentials },
      ],
      body: { kind: 'text', contentType: 'text/plain', text: 'hi' },
    };
    h.net.at(at(3), () => h.net.net.send('phone.alice.a.example', 'core.a.example', forged));
    h.net.run({ until: at(5) });
  };

  it('refuses 403 credentials for an issued nonce computed with a wrong password, and forwards nothing', () => {
    const h = network({ challengeRequests: ['MESSAGE'] });
    answerChallenge(h, 'guessed', BOB);
    const refused = sent(h.trace, { from: 'core.a.example', status: 403 });
    expect(refused.map((e) => (e.payload.type === 'response' ? e.payload.reason : ''))).toEqual(['Bad Credentials']);
    expect(notes(h.trace, 'core.a.example')).toContain('refused MESSAGE of sip:alice@a.example: bad credentials');
    expect(sent(h.trace, { to: 'phone.bob.a.example', method: 'MESSAGE' })).toHaveLength(1);
  });

  it('answers 400 to credentials computed for another URI than the Request-URI (RFC 2617 3.2.2.5), and forwards nothing', () => {
    const h = network({ challengeRequests: ['MESSAGE'] });
    answerChallenge(h, 'guessed', 'sip:carol@a.example');
    const refused = sent(h.trace, { from: 'core.a.example', status: 400 });
    expect(refused.map((e) => (e.payload.type === 'response' ? e.payload.reason : ''))).toEqual(['Credentials For Another URI']);
    expect(notes(h.trace, 'core.a.example')).toContain('refused MESSAGE of sip:alice@a.example: credentials for another uri');
    expect(sent(h.trace, { to: 'phone.bob.a.example', method: 'MESSAGE' })).toHaveLength(1);
  });

  it('lets a MESSAGE through unchallenged where the operator does not ask it', () => {
    const h = network({ challengeRequests: ['INVITE'] });
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'hi' }));
    h.net.run({ until: at(3) });
    expect(sent(h.trace, { status: 407 })).toHaveLength(0);
    expect(sent(h.trace, { to: 'phone.bob.a.example', method: 'MESSAGE' })).toHaveLength(1);
  });
});

describe('flood limit (RFC 3261 21.5.4)', () => {
  it('answers 503 with Retry-After past the limit, and serves the sender again once the window has passed', () => {
    // The REGISTER at 0 s is the first request of Alice's window, which ends at 10 s.
    const h = network({ floodLimit: { requests: 3, per: at(10) } }, 'none');
    for (const text of ['one', 'two', 'three']) h.net.at(at(5), () => h.net.client(ALICE, 'phone').send({ to: BOB, text }));
    h.net.at(at(16), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'four' }));
    h.net.run({ until: at(18) });
    const refused = sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', method: 'MESSAGE', status: 503 });
    expect(refused).toHaveLength(1);
    // docs/security.md, refusal paths: 503 Flood Limit with Retry-After.
    expect(refused[0]!.payload.type === 'response' && refused[0]!.payload.reason).toBe('Flood Limit');
    expect(header(refused[0]!.payload, 'Retry-After')).toBe('5');
    expect(sent(h.trace, { to: 'phone.bob.a.example', method: 'MESSAGE' })).toHaveLength(3);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('message failed: 503');
  });

  it('counts each source apart: Bob is served while Alice is limited', () => {
    const h = network({ floodLimit: { requests: 1, per: at(10) } }, 'none');
    h.net.at(at(11), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'one' }));
    h.net.at(at(11), () => h.net.client(ALICE, 'phone').send({ to: BOB, text: 'two' }));
    h.net.at(at(11), () => h.net.client(BOB, 'phone').send({ to: ALICE, text: 'hello' }));
    h.net.run({ until: at(13) });
    expect(sent(h.trace, { status: 503 }).map((e) => e.to)).toEqual(['phone.alice.a.example']);
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).toHaveLength(1);
  });
});

// docs/architecture.md: one random stream per name, "so adding an actor does not change what the
// others draw": the nonces a core issues do not depend on another core's challenges.
describe('the nonces of a core are its own (RFC 2617 3.2.1: the server makes them)', () => {
  /** Bob in b.example registers at 1 s and then sends Carol a MESSAGE; with `busyA`, a.example challenges Alice first. */
  const nonces = (busyA: boolean): string[] => {
    const h = harness();
    const core = { challengeRequests: ['MESSAGE'] };
    if (busyA) h.net.addDomain('a.example', { auth: 'digest', core });
    h.net.addDomain('b.example', { auth: 'digest', core });
    h.net.addUser('sip:bob@b.example', ['phone']);
    h.net.addUser('sip:carol@b.example', ['phone']);
    if (busyA) {
      h.net.addUser(ALICE, ['phone']);
      h.net.at(0, () => h.net.client(ALICE, 'phone').register());
      h.net.at(at(0.5), () => h.net.client(ALICE, 'phone').send({ to: 'sip:bob@b.example', text: 'first' }));
    }
    h.net.at(at(1), () => h.net.client('sip:bob@b.example', 'phone').register());
    h.net.at(at(2), () => h.net.client('sip:bob@b.example', 'phone').send({ to: 'sip:carol@b.example', text: 'hi' }));
    h.net.run({ until: at(4) });
    const challenges = sent(h.trace, { from: 'core.b.example', to: 'phone.bob.b.example' }).filter((e) => e.payload.type === 'response' && (e.payload.status === 401 || e.payload.status === 407));
    return challenges.map((e) => parseDigest(header(e.payload, e.payload.type === 'response' && e.payload.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate')!).get('nonce')!);
  };

  it("are the same whether or not another domain's core challenged its users first", () => {
    const alone = nonces(false);
    expect(alone).toHaveLength(2);
    expect(nonces(true)).toEqual(alone);
  });
});
