import { describe, expect, it } from 'vitest';
import { checkActions } from '../../src/trace/expectations.js';
import { NOTE_KINDS, isNoteKind, kindsOf, noteIs } from '../../src/trace/note-kinds.js';
import type { ProjectedNote } from '../../src/trace/projection.js';

/** Notes as the entities word them (src/cpm/), one or more per kind. */
const SAMPLES: Record<string, string[]> = {
  registered: ['registered (0 other clients)', 'registered (1 other client)'],
  deferred: ['deferred (1 held)', 'deferred (12 held)'],
  'deferred-discarded': ['discarded on expiry'],
  shown: ['shown to the user'],
  notification: ['delivery: failed', 'delivery: delivered (bob@b.example)', 'display: displayed'],
  'selects-iwf': ['selects the sms Interworking Function for tel:+15559870002', 'selects the email Interworking Function for mailto:bob@mail.example'],
  'no-sip-core': ['no SIP/IP Core in mail.example'],
  'interworks-by-policy': ['no SIP/IP Core in the target network: interworks by policy'],
  'refused-registration': ['refused sip:bob@a.example: bad credentials'],
  'refused-sender': ['refused carol@c.example: not a member of friends@x.example'],
  left: ['left the session'],
  'participant-left': ['alice@a.example left'],
  'sms-delivered': ['SMS delivered to tel:+15559870001 in 3 segments (GSM 7-bit)', 'status report delivered to tel:+15551230001 in 1 segment (GSM 7-bit)'],
  'sms-retry': ['tel:+15559870001 is not reachable; retries in 120 s'],
  crashed: ['crashed (state lost)', 'crashed (state kept)'],
  restarted: ['restarted afresh', 'restarted'],
  'converts-from-mail': ['converts the mail from carol@mail.example to a CPM Message', 'converts the mail from carol@mail.example to the list team@mail.example to a CPM Message'],
  'list-expanded': ['expands the list team@mail.example to 2 members', 'expands the list team@mail.example to 1 member'],
  'list-mail': ['list mail to alice@a.example accepted', 'list mail to alice@a.example refused: 550'],
  'distribution-list-expanded': ['expands the distribution list tel:+15550100 to 2 members'],
  'no-mail-exchanger': ['no mail exchanger for bob@b.example'],
  'reg-subscription-ended': ['reg-event subscription for sip:alice@a.example terminated: noresource'],
  'reg-subscription-refused': ['reg-event refresh for sip:alice@a.example refused: 481', 'reg-event subscription for sip:alice@a.example refused: 403'],
};

describe('note kinds', () => {
  it('have distinct names', () => {
    expect(new Set(NOTE_KINDS.map((k) => k.kind)).size).toBe(NOTE_KINDS.length);
  });

  it.each(Object.entries(SAMPLES))('%s matches its notes and no other kind does', (kind, texts) => {
    for (const text of texts) expect(kindsOf(text)).toEqual([kind]);
  });

  it('match the whole note, never a part of it', () => {
    expect(noteIs('deferred', 'deferred (1 held)')).toBe(true);
    expect(noteIs('deferred', 'deferred-message notice failed: 408')).toBe(false);
    expect(noteIs('shown', 'shown to the user twice')).toBe(false);
    expect(isNoteKind('e')).toBe(false);
    expect(noteIs('e', 'deferred (1 held)')).toBe(false);
  });
});

describe('action steps', () => {
  const note = (eventId: number, text: string, lifeline = 1): ProjectedNote => ({ eventId, at: eventId, lifeline, text });
  const notes = [note(1, 'registered (0 other clients)'), note(5, 'selects the sms Interworking Function for tel:+15559870002'), note(6, 'deferred (1 held)', 2)];

  it('find a note of the kind at the lifeline', () => {
    const [check] = checkActions([{ n: 1, lifeline: 1, action: 'selects-iwf' }], notes, []);
    expect(check?.found?.eventId).toBe(5);
  });

  it('with a text, need exactly that text', () => {
    const exact = checkActions([{ n: 1, lifeline: 1, action: 'selects-iwf', text: 'selects the sms Interworking Function for tel:+15559870002' }], notes, []);
    expect(exact[0]?.found?.eventId).toBe(5);
    const other = checkActions([{ n: 1, lifeline: 1, action: 'selects-iwf', text: 'selects the sms Interworking Function for tel:+1' }], notes, []);
    expect(other[0]?.found).toBeUndefined();
  });

  it('do not find a note of the kind at another lifeline', () => {
    expect(checkActions([{ n: 1, lifeline: 1, action: 'deferred' }], notes, [])[0]?.found).toBeUndefined();
  });
});
