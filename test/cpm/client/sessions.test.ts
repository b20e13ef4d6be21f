import { describe, expect, it } from 'vitest';
import type { DeviceSettings } from '../../../src/cpm/session-media.js';
import { createRequest } from '../../../src/sip/builders.js';
import { header } from '../../../src/sip/message.js';
import { sipUri } from '../../../src/sip/uri.js';
import { at, harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';

function oneToOne(bob: (string | DeviceSettings)[] = ['phone']) {
  const h = harness();
  h.net.addDomain('a.example');
  h.net.addDomain('b.example');
  h.net.addUser(ALICE, ['phone']);
  h.net.addUser(BOB, bob);
  h.net.at(0, () => {
    h.net.client(ALICE, 'phone').register();
    for (const d of bob) h.net.client(BOB, typeof d === 'string' ? d : d.name).register();
  });
  const session = { id: '' };
  h.net.at(at(1), () => {
    session.id = h.net.client(ALICE, 'phone').session.invite(BOB, ['message', 'video']);
  });
  return { ...h, session };
}

describe('CPM Client sessions (CPM 5.2.3.1, 5.2.3.8)', () => {
  it('offers the streams asked for and gets the subset the invited device supports', () => {
    const h = oneToOne([{ name: 'phone', media: ['message'] }]);
    h.net.run({ until: at(5) });
    const invite = sent(h.trace, { from: 'phone.alice.a.example', method: 'INVITE' })[0]!;
    expect(invite.payload.body?.kind === 'sdp' && invite.payload.body.sdp.media.map((m) => m.type)).toEqual(['message', 'video']);
    expect(header(invite.payload, 'P-Preferred-Service')).toBe('urn:urn-7:3gpp-service.ims.icsi.oma.cpm.session');
    const ok = sent(h.trace, { to: 'phone.alice.a.example', method: 'INVITE', status: 200 })[0]!;
    // RFC 3264 6: one m-line per offered one, the refused video with port 0.
    expect(ok.payload.body?.kind === 'sdp' && ok.payload.body.sdp.media.map((m) => `${m.type} ${m.port}`)).toEqual(['message 2855', 'video 0']);
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('session established: message');
  });

  it('alerts after the device delay and accepts after the answer delay, both from the invitation', () => {
    const h = oneToOne([{ name: 'phone', alert: at(0.5), answer: { kind: 'accept', after: at(2) } }]);
    h.net.run({ until: at(6) });
    const invited = sent(h.trace, { to: 'phone.bob.b.example', method: 'INVITE' })[0]!.at + 1000;
    expect(sent(h.trace, { from: 'phone.bob.b.example', method: 'INVITE', status: 180 })[0]!.at - invited).toBe(at(0.5));
    expect(sent(h.trace, { from: 'phone.bob.b.example', method: 'INVITE', status: 200 })[0]!.at - invited).toBe(at(2));
  });

  it('declines with 603 and the inviter hears so', () => {
    const h = oneToOne([{ name: 'phone', answer: { kind: 'reject', status: 603 } }]);
    h.net.run({ until: at(5) });
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('invitation refused: 603');
  });

  it('refuses with 488 an invitation offering nothing it supports', () => {
    const h = oneToOne([{ name: 'phone', media: ['audio'] }]);
    h.net.run({ until: at(5) });
    expect(notes(h.trace, 'cs.b.example')).toContain('no client of bob@b.example supports message, video');
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'INVITE', status: 488 })).toHaveLength(1);
  });

  it('leaves a one-to-one session with a BYE that the other device answers', () => {
    const h = oneToOne();
    h.net.at(at(4), () => h.net.client(ALICE, 'phone').session.leave(h.session.id));
    h.net.run({ until: at(10) });
    expect(notes(h.trace, 'phone.bob.b.example')).toContain('released from the session');
    expect(notes(h.trace, 'phone.alice.a.example')).toContain('left the session');
    // The BYE retraces the establishment: both cores twice, both Participating Functions once.
    expect(sent(h.trace, { method: 'BYE' }).map((e) => e.to)).toEqual(['core.a.example', 'cs.a.example', 'core.a.example', 'core.b.example', 'cs.b.example', 'core.b.example', 'phone.bob.b.example']);
  });

  it('answers 481 to a conference NOTIFY for no subscription of its own (RFC 6665 4.1.3)', () => {
    const h = oneToOne();
    const notify = createRequest({
      method: 'NOTIFY',
      uri: sipUri('bob', 'phone.bob.b.example'),
      from: { uri: sipUri('conf-1', 'x.example'), params: [{ name: 'tag', value: 'f1' }] },
      to: { uri: sipUri('bob', 'b.example'), params: [{ name: 'tag', value: 't1' }] },
      callId: 'unknown@x.example',
      cseq: 1,
      extra: [{ name: 'Via', value: 'SIP/2.0/UDP core.b.example;branch=z9hG4bKstray' }, { name: 'Event', value: 'conference' }],
    });
    h.net.at(at(4), () => h.net.net.send('core.b.example', 'phone.bob.b.example', notify));
    h.net.run({ until: at(6) });
    expect(sent(h.trace, { from: 'phone.bob.b.example', method: 'NOTIFY', status: 481 })).toHaveLength(1);
  });

  it('says what it cannot do in a session it is not in', () => {
    const h = oneToOne();
    h.net.at(at(4), () => h.net.client(BOB, 'phone').session.leave('no-such-conversation'));
    h.net.run({ until: at(6) });
    expect(notes(h.trace, 'phone.bob.b.example')).toContain('cannot leave: not in that session');
  });

  it('lets only the first of several accepting devices into the session; the others are cancelled', () => {
    const h = oneToOne([
      { name: 'b1', answer: { kind: 'accept', after: at(1) } },
      { name: 'b2', answer: { kind: 'accept', after: at(2) } },
    ]);
    h.net.run({ until: at(10) });
    expect(sent(h.trace, { to: 'b2.bob.b.example', method: 'CANCEL' })).toHaveLength(1);
    expect(sent(h.trace, { to: 'phone.alice.a.example', method: 'INVITE', status: 200 })).toHaveLength(1);
  });
});
