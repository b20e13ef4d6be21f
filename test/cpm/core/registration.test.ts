import { describe, expect, it } from 'vitest';
import { header, headers, type SipRequest } from '../../../src/sip/message.js';
import { serializeMessage } from '../../../src/sip/serializer.js';
import { digestResponse, formatDigest, parseDigest } from '../../../src/sip/digest.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';

function twoDevices(options: Parameters<ReturnType<typeof harness>['net']['addUser']>[2] = {}) {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addUser(ALICE, ['phone', 'laptop'], options);
  return h;
}

const contactsOf = (e: { payload: Parameters<typeof headers>[0] }) => headers(e.payload, 'Contact');

describe('CPM 5.1.1.1 registration at the SIP/IP Core', () => {
  it('binds one contact per Unique User Agent Identifier and returns all bindings', () => {
    const { net, trace } = twoDevices();
    net.at(0, () => net.client(ALICE, 'phone').register());
    net.at(at(1), () => net.client(ALICE, 'laptop').register());
    net.run({ until: at(5) });
    const oks = sent(trace, { from: 'core.a.example', method: 'REGISTER', status: 200 }).filter((e) => e.to.endsWith('alice.a.example'));
    expect(oks.map(contactsOf)).toHaveLength(2);
    expect(contactsOf(oks[0]!)).toHaveLength(1);
    expect(contactsOf(oks[1]!)).toHaveLength(2);
    for (const c of contactsOf(oks[1]!)) expect(c).toMatch(/\+sip\.instance="<urn:uuid:[0-9a-f-]{36}>"/);
  });

  it('refreshes a binding on re-registration instead of adding one', () => {
    const { net, trace } = twoDevices();
    net.at(0, () => net.client(ALICE, 'phone').register());
    net.at(at(1), () => net.client(ALICE, 'phone').register());
    net.run({ until: at(5) });
    const oks = sent(trace, { to: 'phone.alice.a.example', status: 200 });
    expect(oks).toHaveLength(2);
    expect(contactsOf(oks[1]!)).toHaveLength(1);
    expect(contactsOf(oks[1]!)[0]).toMatch(/;expires=3600$/);
  });

  it('removes a binding that expires, and tells the Conversation Server and subscribers', () => {
    const { net, trace } = twoDevices({ registrationSeconds: 60 });
    net.at(0, () => net.client(ALICE, 'phone').register());
    net.at(0, () => net.client(ALICE, 'laptop').register());
    net.at(at(1), () => net.client(ALICE, 'laptop').subscribeRegistrations());
    // The phone loses its connection before its refresh at 30 s: its binding runs out at 60 s.
    net.at(at(10), () => net.setOnline(ALICE, 'phone', false));
    net.run({ until: at(70) });
    const toLaptop = sent(trace, { from: 'core.a.example', to: 'laptop.alice.a.example', method: 'NOTIFY' });
    const last = toLaptop.at(-1)!;
    // The binding was made when the REGISTER reached the core, one link delay after 0 s.
    expect(last.at).toBe(at(60.001));
    const body = last.payload.body;
    expect(body?.kind).toBe('reginfo');
    const contacts = body?.kind === 'reginfo' ? body.reginfo.registrations[0]!.contacts : [];
    expect(contacts.filter((c) => c.state === 'active')).toHaveLength(1);
    expect(contacts.find((c) => c.state === 'terminated')?.event).toBe('expired');
    expect(notes(trace, 'laptop.alice.a.example')).toContain('registered clients: 1');
    // The Conversation Server hears at once, with the time left on the laptop's binding.
    const thirdParty = sent(trace, { from: 'core.a.example', to: 'cs.a.example', method: 'REGISTER', after: at(59) })[0]!;
    expect(thirdParty.at).toBe(at(60.001));
    // Refreshed at 30.003 s for 60 s: 30.002 s left, rounded up (RFC 3261 counts whole seconds).
    expect(headers(thirdParty.payload, 'Expires')).toEqual(['31']);
  });

  it('de-registers: the binding goes and the Conversation Server gets Expires 0', () => {
    const { net, trace } = twoDevices();
    net.at(0, () => net.client(ALICE, 'phone').register());
    net.at(at(1), () => net.client(ALICE, 'phone').deregister());
    net.run({ until: at(5) });
    const ok = sent(trace, { to: 'phone.alice.a.example', status: 200, after: at(1) });
    expect(contactsOf(ok[0]!)).toEqual([]);
    const thirdParty = sent(trace, { to: 'cs.a.example', method: 'REGISTER', after: at(1) });
    expect(thirdParty.map((e) => headers(e.payload, 'Expires')[0])).toEqual(['0']);
    expect(notes(trace, 'phone.alice.a.example')).toContain('de-registered');
  });

  it('reports implicitly registered addresses in P-Associated-URI and routes them to the user', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addDomain('b.example');
    h.net.addUser(ALICE, ['phone'], { aliases: ['tel:+15551230001'] });
    h.net.addUser('sip:bob@b.example', ['phone']);
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(0, () => h.net.client('sip:bob@b.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:bob@b.example', 'phone').send({ to: 'tel:+15551230001', text: 'by number' }));
    h.net.run({ until: at(5) });
    const ok = sent(h.trace, { to: 'phone.alice.a.example', status: 200 })[0]!;
    expect(headers(ok.payload, 'P-Associated-URI')).toEqual(['<sip:alice@a.example>, <tel:+15551230001>']);
    const delivered = sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' });
    expect(delivered).toHaveLength(1);
    expect(sent(h.trace, { to: 'phone.bob.b.example', status: 200, method: 'MESSAGE' })).toHaveLength(1);
  });

  it('the Conversation Server subscribes to the reg event once per user', () => {
    const { net, trace } = twoDevices();
    net.at(0, () => net.client(ALICE, 'phone').register());
    net.at(at(1), () => net.client(ALICE, 'laptop').register());
    net.at(at(2), () => net.client(ALICE, 'phone').register());
    net.run({ until: at(5) });
    expect(sent(trace, { from: 'cs.a.example', to: 'core.a.example', method: 'REGISTER', status: 200 })).toHaveLength(3);
    expect(sent(trace, { from: 'cs.a.example', method: 'SUBSCRIBE' })).toHaveLength(1);
  });

  it('answers 404 to a request for an unknown user of its domain', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').send({ to: 'sip:nobody@a.example', text: 'hello?' }));
    h.net.run({ until: at(5) });
    expect(sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', status: 404 })).toHaveLength(1);
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE', status: 404 })).toHaveLength(1);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('message failed: 404');
  });
});

describe('digest authentication', () => {
  it('challenges, then binds on correct credentials; refuses wrong ones and binds nothing', () => {
    const h = harness();
    h.net.addDomain('a.example', { auth: 'digest' });
    h.net.addUser(ALICE, ['phone', 'laptop'], { password: 'pw' });
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(at(1), () => h.net.client(ALICE, 'laptop').register({ password: 'nope' }));
    h.net.at(at(2), () => h.net.client(ALICE, 'phone').register());
    h.net.run({ until: at(5) });
    const toPhone = sent(h.trace, { to: 'phone.alice.a.example' }).map((e) => (e.payload.type === 'response' ? e.payload.status : 0));
    expect(toPhone).toEqual([401, 200, 200]);
    const toLaptop = sent(h.trace, { to: 'laptop.alice.a.example' }).map((e) => (e.payload.type === 'response' ? e.payload.status : 0));
    expect(toLaptop).toEqual([401, 403]);
    const refresh = sent(h.trace, { to: 'phone.alice.a.example', status: 200, after: at(2) })[0]!;
    expect(contactsOf(refresh)).toHaveLength(1);
    const challenge = sent(h.trace, { to: 'phone.alice.a.example', status: 401 })[0]!;
    expect(headers(challenge.payload, 'WWW-Authenticate')[0]).toMatch(/^Digest realm="a\.example", nonce="[0-9a-f]{24}", algorithm=MD5, qop="auth"$/);
  });
});

describe('registration without digest (auth: none)', () => {
  const wipe = (aor: string): string =>
    [`REGISTER sip:a.example SIP/2.0`, 'Max-Forwards: 70', `From: <${aor}>;tag=w`, `To: <${aor}>`, 'Call-ID: wipe@a.example', 'CSeq: 1 REGISTER', 'Contact: *', 'Expires: 0', 'Content-Length: 0', '', ''].join('\r\n');

  it("refuses a device that is not the subscriber's, and a wildcard over another device's binding", () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone', 'laptop']);
    h.net.addUser('sip:mallory@a.example', ['phone']);
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(0, () => h.net.client('sip:mallory@a.example', 'phone').register());
    h.net.at(at(1), () => h.net.client('sip:mallory@a.example', 'phone').inject(wipe(ALICE)));
    h.net.at(at(2), () => h.net.client(ALICE, 'laptop').inject(wipe(ALICE)));
    h.net.at(at(3), () => h.net.client('sip:mallory@a.example', 'phone').send({ to: ALICE, text: 'still there?' }));
    h.net.run({ until: at(6) });
    const refusals = sent(h.trace, { from: 'core.a.example', method: 'REGISTER', status: 403 });
    expect(refusals.map((e) => [e.to, e.payload.type === 'response' ? e.payload.reason : ''])).toEqual([
      ['phone.mallory.a.example', 'Not A Device Of This Subscriber'],
      ['laptop.alice.a.example', 'Binding Made By Another Device'],
    ]);
    // Alice's phone keeps its binding: the message reaches it rather than being deferred.
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' })).toHaveLength(1);
  });

  it('refuses a contact on another host (a third-party registration) and a wildcard without Expires: 0', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone', 'laptop']);
    const register = (contact: string, expires?: string): string =>
      [`REGISTER sip:a.example SIP/2.0`, 'Max-Forwards: 70', `From: <${ALICE}>;tag=t`, `To: <${ALICE}>`, `Call-ID: ${contact.length}${expires ?? ''}@a.example`, 'CSeq: 1 REGISTER', `Contact: ${contact}`, ...(expires === undefined ? [] : [`Expires: ${expires}`]), 'Content-Length: 0', '', ''].join('\r\n');
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(at(1), () => h.net.client(ALICE, 'phone').inject(register('<sip:alice@laptop.alice.a.example>')));
    h.net.at(at(2), () => h.net.client(ALICE, 'phone').inject(register('*', '60')));
    h.net.run({ until: at(4) });
    const answers = sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example', after: at(1) }).filter((e) => e.payload.type === 'response' && e.payload.status >= 300);
    expect(answers.map((e) => (e.payload.type === 'response' ? [e.payload.status, e.payload.reason] : []))).toEqual([
      [403, 'Contact Is Not The Registering Device'],
      [400, 'Wildcard Contact Needs Expires 0'],
    ]);
  });
});

describe('refusals at the core', () => {
  const lines = (...l: string[]): string => [...l, 'Content-Length: 0', '', ''].join('\r\n');

  it("refuses a SUBSCRIBE to another user's reg event (RFC 3680 6) and a REGISTER for a foreign domain", () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addDomain('b.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.addUser('sip:mallory@a.example', ['phone']);
    h.net.addUser('sip:bob@b.example', ['phone']);
    const mallory = () => h.net.client('sip:mallory@a.example', 'phone');
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(0, () => mallory().register());
    h.net.at(at(1), () => mallory().inject(lines('SUBSCRIBE sip:alice@a.example SIP/2.0', 'From: <sip:mallory@a.example>;tag=1', `To: <${ALICE}>`, 'Call-ID: s@a', 'CSeq: 1 SUBSCRIBE', 'Event: reg', 'Contact: <sip:phone.mallory.a.example>')));
    h.net.at(at(2), () => mallory().inject(lines('REGISTER sip:b.example SIP/2.0', 'From: <sip:bob@b.example>;tag=2', 'To: <sip:bob@b.example>', 'Call-ID: r@a', 'CSeq: 1 REGISTER', 'Contact: <sip:phone.mallory.a.example>')));
    h.net.run({ until: at(5) });
    const answers = sent(h.trace, { from: 'core.a.example', to: 'phone.mallory.a.example', after: at(1) });
    expect(answers.map((e) => (e.payload.type === 'response' ? [e.payload.status, e.payload.reason] : []))).toEqual([
      [403, 'Forbidden'],
      [403, 'Not Our Domain'],
    ]);
    expect(sent(h.trace, { from: 'core.a.example', to: 'phone.mallory.a.example', method: 'NOTIFY' })).toEqual([]);
  });

  it("knows a reg-event subscriber by the host it sends from: a device writing another user's From is refused (TS 24.229 5.4.2.1.1)", () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.addUser('sip:mallory@a.example', ['phone']);
    const mallory = () => h.net.client('sip:mallory@a.example', 'phone');
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.at(0, () => mallory().register());
    // Mallory's registered device claims to be Alice subscribing to her own registrations.
    h.net.at(at(1), () => mallory().inject(lines('SUBSCRIBE sip:alice@a.example SIP/2.0', `From: <${ALICE}>;tag=1`, `To: <${ALICE}>`, 'Call-ID: s@a', 'CSeq: 1 SUBSCRIBE', 'Event: reg', 'Contact: <sip:phone.mallory.a.example>')));
    h.net.run({ until: at(3) });
    const answers = sent(h.trace, { from: 'core.a.example', to: 'phone.mallory.a.example', after: at(1) });
    expect(answers.map((e) => (e.payload.type === 'response' ? e.payload.status : e.payload.method))).toEqual([403]);
  });

  it('answers 480 to a reg-event SUBSCRIBE for a user with no registration (TS 24.229 5.4.2.1.1 step 0)', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone', 'laptop']);
    // The laptop subscribes before any of Alice's devices has registered, then after the phone has.
    h.net.at(at(1), () => h.net.client(ALICE, 'laptop').subscribeRegistrations());
    h.net.at(at(2), () => h.net.client(ALICE, 'phone').register());
    h.net.at(at(3), () => h.net.client(ALICE, 'laptop').register());
    h.net.at(at(4), () => h.net.client(ALICE, 'laptop').subscribeRegistrations());
    h.net.run({ until: at(6) });
    const answers = sent(h.trace, { from: 'core.a.example', to: 'laptop.alice.a.example' }).flatMap((e) =>
      e.payload.type === 'response' && header(e.payload, 'CSeq')?.endsWith('SUBSCRIBE') === true ? [e.payload.status] : [],
    );
    expect(answers).toEqual([480, 200]);
  });

  it('re-challenges a replayed REGISTER (same nonce and nonce-count) with stale=TRUE', () => {
    const h = harness();
    h.net.addDomain('a.example', { auth: 'digest' });
    h.net.addUser(ALICE, ['phone'], { password: 'pw' });
    h.net.addUser('sip:mallory@a.example', ['phone'], { password: 'pw2' });
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    // Mallory captured Alice's authenticated REGISTER and sends it again from her own device.
    h.net.at(at(1), () => {
      const [, answered] = sent(h.trace, { from: 'phone.alice.a.example', method: 'REGISTER' });
      const replay = { ...(answered!.payload as SipRequest) };
      replay.headers = replay.headers.filter((x) => x.name !== 'Via');
      h.net.client('sip:mallory@a.example', 'phone').inject(serializeMessage(replay));
    });
    h.net.run({ until: at(5) });
    const [answer] = sent(h.trace, { from: 'core.a.example', to: 'phone.mallory.a.example' });
    expect(answer?.payload.type === 'response' && answer.payload.status).toBe(401);
    expect(headers(answer!.payload, 'WWW-Authenticate')[0]).toMatch(/stale=TRUE/);
  });
});

describe('nonce lifetime (RFC 2617 3.2.1)', () => {
  it('re-challenges with stale=TRUE a refresh whose nonce is older than its lifetime, then binds', () => {
    const h = harness();
    h.net.addDomain('a.example', { auth: 'digest' });
    // The phone refreshes its hour-long registration before it runs out, each time with the nonce
    // it was given at 0 s: the first refresh is within the nonce's lifetime, the second is not.
    h.net.addUser(ALICE, ['phone'], { password: 'pw' });
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    h.net.run({ until: at(2 * 3600) });
    const toPhone = sent(h.trace, { from: 'core.a.example', to: 'phone.alice.a.example' });
    expect(toPhone.map((e) => (e.payload.type === 'response' ? e.payload.status : 0))).toEqual([401, 200, 200, 401, 200]);
    expect(toPhone[2]!.at).toBeLessThan(at(3600));
    expect(headers(toPhone[3]!.payload, 'WWW-Authenticate')[0]).toMatch(/stale=TRUE/);
    expect(toPhone[3]!.at).toBeGreaterThanOrEqual(at(3600));
  });
});

describe('capabilities updated by re-registration (CPM 5.1.1.1)', () => {
  function bobRegisters() {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addDomain('b.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.addUser('sip:bob@b.example', [{ name: 'phone', media: ['message'] }]);
    h.net.at(0, () => {
      h.net.client(ALICE, 'phone').register();
      h.net.client('sip:bob@b.example', 'phone').register();
    });
    return h;
  }
  const toServer = (h: ReturnType<typeof harness>, after: number) => sent(h.trace, { from: 'core.b.example', to: 'cs.b.example', method: 'NOTIFY', after });
  const bob = (h: ReturnType<typeof harness>) => h.net.client('sip:bob@b.example', 'phone');

  it('a refresh with new feature tags is a change the Conversation Server is notified of (RFC 3680 refreshed)', () => {
    const h = bobRegisters();
    h.net.at(at(5), () => bob(h).register({ media: ['message', 'video'] }));
    h.net.run({ until: at(7) });
    const register = sent(h.trace, { from: 'phone.bob.b.example', method: 'REGISTER', after: at(5) })[0]!;
    expect(headers(register.payload, 'Contact')[0]).toMatch(/;\+g\.oma\.sip-im;video$/);
    const [notify] = toServer(h, at(5));
    const contact = notify?.payload.body?.kind === 'reginfo' ? notify.payload.body.reginfo.registrations[0]!.contacts[0] : undefined;
    expect(contact?.event).toBe('refreshed');
    expect(contact?.unknownParams.map((p) => p.name)).toContain('video');
  });

  it('a refresh that changes nothing is not notified', () => {
    const h = bobRegisters();
    h.net.at(at(5), () => bob(h).register());
    h.net.at(at(6), () => bob(h).register({ media: ['message'] }));
    h.net.run({ until: at(8) });
    expect(toServer(h, at(5))).toEqual([]);
  });

  it('the Conversation Server then invites the client by its new capabilities', () => {
    const h = bobRegisters();
    h.net.at(at(2), () => h.net.client(ALICE, 'phone').session.invite('sip:bob@b.example', ['video']));
    h.net.at(at(5), () => bob(h).register({ media: ['message', 'video'] }));
    h.net.at(at(8), () => h.net.client(ALICE, 'phone').session.invite('sip:bob@b.example', ['video']));
    h.net.run({ until: at(12) });
    expect(notes(h.trace, 'cs.b.example')).toContain('no client of bob@b.example supports video');
    expect(notes(h.trace, 'phone.bob.b.example')).toEqual(expect.arrayContaining(['capabilities: message, video', 'accepted: video']));
    expect(notes(h.trace, 'phone.alice.a.example')).toEqual(['registered (0 other clients)', 'invitation refused: 488', 'alerting', 'session established: video']);
  });
});

describe('the client side of digest authentication', () => {

  it('a device makes its client-nonce stream at the first challenge only (RFC 2617 3.2.2): without digest it never has one', () => {
    const cnonce = 'phone.alice.a.example/cnonce';
    const plain = twoDevices();
    plain.net.at(0, () => plain.net.client(ALICE, 'phone').register());
    plain.net.run({ until: at(5) });
    // A name taken for one use cannot be a running stream: this succeeds only if none was made.
    expect(() => plain.net.streams.once(cnonce)).not.toThrow();
    const digest = harness();
    digest.net.addDomain('a.example', { auth: 'digest' });
    digest.net.addUser(ALICE, ['phone']);
    digest.net.at(0, () => digest.net.client(ALICE, 'phone').register());
    digest.net.run({ until: at(5) });
    expect(notes(digest.trace, 'phone.alice.a.example')).toContain('registered (0 other clients)');
    expect(() => digest.net.streams.once(cnonce)).toThrow(/already in use/);
  });
});

describe('the contacts of a REGISTER (RFC 3261 10.3 steps 3-8)', () => {
  /** A REGISTER for `aor` (Alice's by default) with the given extra header lines, as a device writes it. */
  const register = (callId: string, lines: string[], aor = ALICE): string =>
    ['REGISTER sip:a.example SIP/2.0', 'Max-Forwards: 70', `From: <${aor}>;tag=r`, `To: <${aor}>`, `Call-ID: ${callId}@a.example`, 'CSeq: 1 REGISTER', ...lines, 'Content-Length: 0', '', ''].join('\r\n');
  const answersTo = (h: ReturnType<typeof harness>, host: string, after: number) =>
    sent(h.trace, { from: 'core.a.example', to: host, after }).flatMap((e) => (e.payload.type === 'response' ? [[e.payload.status, e.payload.reason]] : []));

  it("binds a contact for its own expires parameter, not the request's Expires (10.2.1.1)", () => {
    const { net, trace } = twoDevices();
    net.at(at(1), () => net.client(ALICE, 'phone').inject(register('own', ['Contact: <sip:alice@phone.alice.a.example>;expires=60', 'Expires: 600'])));
    net.run({ until: at(3) });
    const [ok] = sent(trace, { from: 'core.a.example', to: 'phone.alice.a.example', status: 200 });
    expect(contactsOf(ok!)).toEqual(['<sip:alice@phone.alice.a.example>;expires=60']);
  });

  it('removes every binding for Contact: * with Expires: 0 (10.3 step 6), and tells the Conversation Server', () => {
    const { net, trace } = twoDevices();
    net.at(0, () => net.client(ALICE, 'phone').register());
    net.at(at(2), () => net.client(ALICE, 'phone').inject(register('all', ['Contact: *', 'Expires: 0'])));
    net.run({ until: at(4) });
    const [ok] = sent(trace, { from: 'core.a.example', to: 'phone.alice.a.example', status: 200, after: at(2) });
    expect(ok).toBeDefined();
    expect(contactsOf(ok!)).toEqual([]);
    const told = sent(trace, { from: 'core.a.example', to: 'cs.a.example', method: 'REGISTER', after: at(2) }).filter((e) => e.payload.type === 'request');
    expect(told.map((e) => header(e.payload, 'Expires'))).toEqual(['0']);
  });

  it('refuses a REGISTER of a binding\'s Call-ID whose CSeq is not above the binding\'s, and changes nothing (10.3 steps 6 and 7)', () => {
    // A REGISTER that arrived out of order: its update must be aborted and the request fail.
    const { net, trace } = twoDevices();
    const inOrder = (cseq: number, lines: string[]): string =>
      ['REGISTER sip:a.example SIP/2.0', 'Max-Forwards: 70', `From: <${ALICE}>;tag=o${cseq}`, `To: <${ALICE}>`, 'Call-ID: order@a.example', `CSeq: ${cseq} REGISTER`, ...lines, 'Content-Length: 0', '', ''].join('\r\n');
    const phone = (): ReturnType<typeof net.client> => net.client(ALICE, 'phone');
    const contact = 'Contact: <sip:alice@phone.alice.a.example>';
    net.at(at(1), () => phone().inject(inOrder(5, [contact, 'Expires: 600'])));
    net.at(at(2), () => phone().inject(inOrder(3, [contact, 'Expires: 0'])));
    net.at(at(3), () => phone().inject(inOrder(5, [contact, 'Expires: 0'])));
    net.at(at(4), () => phone().inject(inOrder(4, ['Contact: *', 'Expires: 0'])));
    // Another Call-ID (the device rebooted) updates the binding whatever its CSeq (step 7).
    net.at(at(4.5), () => phone().inject(inOrder(1, [contact, 'Expires: 600']).replace('Call-ID: order@', 'Call-ID: reboot@')));
    net.at(at(5), () => phone().inject(inOrder(6, [contact, 'Expires: 0'])));
    net.run({ until: at(7) });
    expect(answersTo({ net, trace }, 'phone.alice.a.example', at(1))).toEqual([
      [200, 'OK'],
      [400, 'CSeq Out Of Order'],
      [400, 'CSeq Out Of Order'],
      [400, 'CSeq Out Of Order'],
      [200, 'OK'],
      [200, 'OK'],
    ]);
    const oks = sent(trace, { from: 'core.a.example', to: 'phone.alice.a.example', status: 200, after: at(1) });
    expect(oks.map((e) => contactsOf(e).length)).toEqual([1, 1, 0]);
    expect(notes(trace, 'core.a.example')).toContain('refused REGISTER of sip:alice@a.example: CSeq 3 not above its binding\'s for Call-ID order@a.example');
  });

  it('adds a new contact of a REGISTER with a lower CSeq of the same Call-ID: only the bindings it changes are compared (10.3 step 7)', () => {
    const { net, trace } = twoDevices();
    const reg = (cseq: number, contact: string): string =>
      ['REGISTER sip:a.example SIP/2.0', 'Max-Forwards: 70', `From: <${ALICE}>;tag=n${cseq}`, `To: <${ALICE}>`, 'Call-ID: lines@a.example', `CSeq: ${cseq} REGISTER`, `Contact: ${contact}`, 'Content-Length: 0', '', ''].join('\r\n');
    net.at(at(1), () => net.client(ALICE, 'phone').inject(reg(5, '<sip:alice@phone.alice.a.example>')));
    net.at(at(2), () => net.client(ALICE, 'phone').inject(reg(3, '<sip:line2@phone.alice.a.example>')));
    net.run({ until: at(4) });
    expect(answersTo({ net, trace }, 'phone.alice.a.example', at(1))).toEqual([
      [200, 'OK'],
      [200, 'OK'],
    ]);
    const [, second] = sent(trace, { from: 'core.a.example', to: 'phone.alice.a.example', status: 200, after: at(1) });
    expect(contactsOf(second!)).toHaveLength(2);
  });

  it('refuses, without digest, a REGISTER one of whose several contacts is on another host', () => {
    const { net, trace } = twoDevices();
    net.at(at(1), () => net.client(ALICE, 'phone').inject(register('two', ['Contact: <sip:alice@phone.alice.a.example>, <sip:alice@laptop.alice.a.example>'])));
    net.run({ until: at(3) });
    // docs/security.md, refusal paths: a third-party registration needs authentication.
    expect(answersTo({ net, trace }, 'phone.alice.a.example', at(1))).toEqual([[403, 'Contact Is Not The Registering Device']]);
  });

  it('answers 404 to a REGISTER for an address the HSS does not hold (RFC 3261 10.3 step 3, 21.4.5)', () => {
    const { net, trace } = twoDevices();
    net.at(at(1), () => net.client(ALICE, 'phone').inject(register('nobody', ['Contact: <sip:nobody@phone.alice.a.example>'], 'sip:nobody@a.example')));
    net.run({ until: at(3) });
    expect(answersTo({ net, trace }, 'phone.alice.a.example', at(1)).map(([status]) => status)).toEqual([404]);
  });

  it('notes why it refused a device that is not the subscriber\u2019s', () => {
    const h = harness();
    h.net.addDomain('a.example');
    h.net.addUser(ALICE, ['phone']);
    h.net.addUser('sip:mallory@a.example', ['phone']);
    h.net.at(at(1), () => h.net.client('sip:mallory@a.example', 'phone').inject(register('other', ['Contact: <sip:alice@phone.mallory.a.example>'])));
    h.net.run({ until: at(3) });
    expect(answersTo(h, 'phone.mallory.a.example', at(1))).toEqual([[403, 'Not A Device Of This Subscriber']]);
    expect(notes(h.trace, 'core.a.example')).toContain(`refused REGISTER of ${ALICE} from phone.mallory.a.example: not a device of this subscriber`);
  });
});

describe('digest authentication of a REGISTER (RFC 3261 22.4)', () => {
  function digestDomain() {
    const h = harness();
    h.net.addDomain('a.example', { auth: 'digest' });
    h.net.addUser(ALICE, ['phone', 'laptop'], { password: 'pw' });
    return h;
  }

  it('refuses wrong credentials with the reason, and notes it', () => {
    const h = digestDomain();
    h.net.at(0, () => h.net.client(ALICE, 'laptop').register({ password: 'nope' }));
    h.net.run({ until: at(2) });
    const refused = sent(h.trace, { from: 'core.a.example', to: 'laptop.alice.a.example', status: 403 });
    // docs/security.md, refusal paths: 403 Bad Credentials.
    expect(refused.map((e) => (e.payload.type === 'response' ? e.payload.reason : ''))).toEqual(['Bad Credentials']);
    expect(notes(h.trace, 'core.a.example')).toContain(`refused ${ALICE}: bad credentials`);
  });

  /**
   * Alice's laptop sends a REGISTER with `lines` at `t` s, is challenged, and sends it again at
   * `t + 1` s with the right credentials (RFC 2617 3.2.2, qop=auth).
   */
  function registerWithCredentials(h: ReturnType<typeof digestDomain>, lines: string[], t: number): void {
    const register = (authorization: string[]): string =>
      ['REGISTER sip:a.example SIP/2.0', 'Max-Forwards: 70', `From: <${ALICE}>;tag=w`, `To: <${ALICE}>`, 'Call-ID: laptop@a.example', `CSeq: ${authorization.length + 1} REGISTER`, ...lines, ...authorization, 'Content-Length: 0', '', ''].join('\r\n');
    h.net.at(at(t), () => h.net.client(ALICE, 'laptop').inject(register([])));
    h.net.at(at(t + 1), () => {
      const challenge = sent(h.trace, { from: 'core.a.example', to: 'laptop.alice.a.example', status: 401 })[0]!.payload;
      const nonce = parseDigest(header(challenge, 'WWW-Authenticate')!).get('nonce')!;
      const uri = 'sip:a.example';
      const response = digestResponse({ username: 'alice@a.example', realm: 'a.example', password: 'pw', method: 'REGISTER', uri, nonce, nc: '00000001', cnonce: 'ab12', qop: 'auth' });
      const credentials = formatDigest([['username', 'alice@a.example'], ['realm', 'a.example'], ['nonce', nonce], ['uri', uri], ['response', response], ['cnonce', 'ab12'], ['qop', 'auth'], ['nc', '00000001']]);
      h.net.client(ALICE, 'laptop').inject(register([`Authorization: ${credentials}`]));
    });
  }

  it('lets an authenticated device remove the bindings another device made: the credentials, not the host, authorize (10.3 step 3)', () => {
    const h = digestDomain();
    h.net.at(0, () => h.net.client(ALICE, 'phone').register());
    registerWithCredentials(h, ['Contact: *', 'Expires: 0'], 1);
    h.net.run({ until: at(4) });
    const answers = sent(h.trace, { from: 'core.a.example', to: 'laptop.alice.a.example' }).map((e) => (e.payload.type === 'response' ? e.payload.status : 0));
    expect(answers).toEqual([401, 200]);
    // The phone's binding is gone: the Conversation Server hears Alice is registered nowhere.
    const told = sent(h.trace, { from: 'core.a.example', to: 'cs.a.example', method: 'REGISTER', after: at(2) }).filter((e) => e.payload.type === 'request');
    expect(told.map((e) => header(e.payload, 'Expires'))).toEqual(['0']);
  });

  it('binds a tel: contact (RFC 3261 10.2.1: any URI scheme), and forks no request to it: the core reaches SIP contacts only, so 480', () => {
    const h = digestDomain();
    h.net.addUser('sip:bob@a.example', ['phone'], { password: 'pw' });
    h.net.at(0, () => h.net.client('sip:bob@a.example', 'phone').register());
    registerWithCredentials(h, ['Contact: <tel:+15551230001>'], 1);
    // A MESSAGE without the CPM Service indication, which no feature tag filters.
    const plain = ['MESSAGE sip:alice@a.example SIP/2.0', 'Max-Forwards: 70', 'From: <sip:bob@a.example>;tag=m', `To: <${ALICE}>`, 'Call-ID: to-tel@a.example', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain', 'Content-Length: 2', '', 'hi'].join('\r\n');
    h.net.at(at(3), () => h.net.client('sip:bob@a.example', 'phone').inject(plain));
    h.net.run({ until: at(5) });
    const [bound] = sent(h.trace, { from: 'core.a.example', to: 'laptop.alice.a.example', status: 200 });
    expect(contactsOf(bound!)).toEqual([expect.stringMatching(/^<tel:\+15551230001>;expires=\d+$/)]);
    expect(notes(h.trace, 'phone.bob.a.example')).toContain('injected MESSAGE: 480');
    expect(sent(h.trace, { from: 'core.a.example', method: 'MESSAGE', after: at(3) }).filter((e) => e.payload.type === 'request')).toEqual([]);
  });
});
