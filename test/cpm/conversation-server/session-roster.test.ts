import { describe, expect, it } from 'vitest';
import { SessionRoster } from '../../../src/cpm/conversation-server/session-roster.js';

const MSRP = [{ id: '1', type: 'message', status: 'sendrecv' as const }];

describe('SessionRoster (CPM 5.2.3.6, RFC 4575)', () => {
  it('gives a new subscriber the full state, with the subject and the connected count', () => {
    const roster = new SessionRoster('sip:friends@x.example;session=s1', 'friends');
    roster.set('sip:alice@a.example', 'sip:phone.alice.a.example', { status: 'connected', joiningMethod: 'dialed-in', media: MSRP }, ['participant', 'chairman']);
    roster.set('sip:bob@b.example', 'sip:phone.bob.b.example', { status: 'alerting', joiningMethod: 'dialed-out', media: [] });
    expect(roster.document(0)).toEqual({
      entity: 'sip:friends@x.example;session=s1',
      state: 'full',
      version: 0,
      subject: 'friends',
      userCount: 1,
      users: [
        { entity: 'sip:alice@a.example', state: 'full', roles: ['participant', 'chairman'], endpoints: [{ entity: 'sip:phone.alice.a.example', state: 'full', status: 'connected', joiningMethod: 'dialed-in', media: MSRP }] },
        { entity: 'sip:bob@b.example', state: 'full', roles: ['participant'], endpoints: [{ entity: 'sip:phone.bob.b.example', state: 'full', status: 'alerting', joiningMethod: 'dialed-out', media: [] }] },
      ],
    });
  });

  it('tells a subscriber only of the Participants that changed since it last looked', () => {
    const roster = new SessionRoster('sip:conf@x.example');
    roster.set('sip:alice@a.example', 'sip:pa', { status: 'connected', joiningMethod: 'dialed-in', media: MSRP });
    roster.set('sip:bob@b.example', 'sip:pb', { status: 'alerting', joiningMethod: 'dialed-out', media: [] });
    const seen = roster.current;
    roster.set('sip:bob@b.example', 'sip:pb', { status: 'connected', joiningMethod: 'dialed-out', media: MSRP });
    const partial = roster.document(1, seen);
    expect(partial.state).toBe('partial');
    expect(partial.subject).toBeUndefined();
    expect(partial.users.map((u) => u.entity)).toEqual(['sip:bob@b.example']);
    expect(partial.userCount).toBe(2);
    expect(roster.document(2, roster.current).users).toEqual([]);
  });

  it('keeps a departed device with its disconnection method', () => {
    const roster = new SessionRoster('sip:conf@x.example');
    roster.set('sip:bob@b.example', 'sip:pb', { status: 'connected', joiningMethod: 'dialed-out', media: MSRP });
    roster.set('sip:bob@b.example', 'sip:pb', { status: 'disconnected', joiningMethod: 'dialed-out', disconnectionMethod: 'booted', media: [] });
    expect(roster.connected()).toEqual([]);
    expect(roster.document(0).users[0]?.endpoints[0]).toMatchObject({ status: 'disconnected', disconnectionMethod: 'booted' });
    expect(roster.endpoint('sip:bob@b.example', 'sip:pb')?.status).toBe('disconnected');
  });

  it('shows a Participant who asked for privacy by an anonymous URI of its own to everyone but itself (RFC 4575 5.6, RFC 3323)', () => {
    const roster = new SessionRoster('sip:conf@x.example');
    roster.set('sip:alice@a.example', 'sip:phone.alice.a.example', { status: 'connected', joiningMethod: 'dialed-in', media: MSRP }, ['participant'], true);
    roster.set('sip:carol@c.example', 'sip:phone.carol.c.example', { status: 'connected', joiningMethod: 'dialed-in', media: MSRP }, ['participant'], true);
    roster.set('sip:bob@b.example', 'sip:phone.bob.b.example', { status: 'connected', joiningMethod: 'dialed-out', media: MSRP });
    // A later change of the same Participant keeps the URI it was given.
    roster.set('sip:alice@a.example', 'sip:phone.alice.a.example', { status: 'connected', joiningMethod: 'dialed-in', media: [] });
    const toBob = roster.document(0, undefined, 'sip:bob@b.example');
    expect(toBob.users.map((u) => [u.entity, u.endpoints.map((e) => e.entity)])).toEqual([
      ['sip:anonymous1@anonymous.invalid', ['sip:anonymous1@anonymous.invalid']],
      ['sip:anonymous2@anonymous.invalid', ['sip:anonymous2@anonymous.invalid']],
      ['sip:bob@b.example', ['sip:phone.bob.b.example']],
    ]);
    expect(JSON.stringify(toBob)).not.toContain('alice');
    const toAlice = roster.document(0, undefined, 'sip:alice@a.example');
    expect(toAlice.users.map((u) => u.entity)).toEqual(['sip:alice@a.example', 'sip:anonymous2@anonymous.invalid', 'sip:bob@b.example']);
  });
});
