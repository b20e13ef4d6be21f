import { describe, expect, it } from 'vitest';
import { isSip } from '../../src/wire/payload.js';
import { notesOf, runVariant } from './variant.js';

describe('a session message whose SEND is lost', () => {
  it('fails after 30 s at the focus (RFC 4975 7.1.1), and the sender gets a failure REPORT (7.1.2)', () => {
    // Alice says something at 5 s; the focus's copy to Bob is cut off for 100 s, longer than TCP
    // retransmits it (to +63 s, R2), so it never arrives; the one to Carol arrives.
    const run = runVariant('scenarios/behaviour/session-messages.yaml', '  partitions:\n    - { between: [cs.x.example, bob.phone], from: 5s, until: 105s }\n');
    expect(notesOf(run, 'cs.x.example')).toContain('no MSRP response from bob@b.example within 30 s');
    const reports = run.events.filter((e) => {
      if (e.type !== 'transmit' || e.to !== 'phone.alice.a.example' || isSip(e.payload)) return false;
      return e.payload.protocol === 'msrp' && e.payload.type === 'msrp-request' && e.payload.method === 'REPORT';
    });
    expect(reports).toHaveLength(1);
    expect(notesOf(run, 'phone.alice.a.example')).toContain('session message not delivered: 000 408 Request Timeout');
    // Carol had it: only Bob's copy failed.
    expect(notesOf(run, 'phone.carol.c.example')).toContain('session message: Shall we say eight?');
  });
});
