import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answer, DeviceSettings } from '../../../src/cpm/session-media.js';
import { SECOND } from '../../../src/kernel/time.js';
import { header } from '../../../src/sip/message.js';
import { harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';
const CAROL = 'sip:carol@c.example';
const GROUP = 'sip:friends@x.example';
const USERS = [ALICE, BOB, CAROL];

type Action =
  | { at: number; kind: 'invite'; user: number; to: 'group' | 'adhoc' | 'user' }
  | { at: number; kind: 'leave' | 'cancel' | 'say' | 'subscribe' | 'modify'; user: number; session: number }
  | { at: number; kind: 'add' | 'remove'; user: number; session: number; target: number };

const at = fc.integer({ min: 1, max: 40 }).map((s) => s * SECOND);
const user = fc.integer({ min: 0, max: 2 });
const session = fc.integer({ min: 0, max: 3 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ at, kind: fc.constant('invite' as const), user, to: fc.constantFrom('group' as const, 'adhoc' as const, 'user' as const) }),
  fc.record({ at, kind: fc.constantFrom('leave' as const, 'cancel' as const, 'say' as const, 'subscribe' as const, 'modify' as const), user, session }),
  fc.record({ at, kind: fc.constantFrom('add' as const, 'remove' as const), user, session, target: user }),
);
const answer: fc.Arbitrary<Answer> = fc.oneof(
  fc.integer({ min: 0, max: 4 }).map((s): Answer => ({ kind: 'accept', after: s * SECOND })),
  fc.constantFrom<Answer>({ kind: 'reject', status: 486 }, { kind: 'reject', status: 603 }, { kind: 'ignore' }),
);

/** Notes that mean an element met something it could not place: none may appear. */
const TROUBLE = /stray|matching no transaction|with nowhere to go|without a Via branch|cannot resolve|malformed/;

describe('CPM Sessions under random users', () => {
  it('answer every INVITE finally, ACK every 2xx, answer every MSRP SEND, and leave no element confused', { timeout: 180_000 }, () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 10 }), fc.array(answer, { minLength: 3, maxLength: 3 }), fc.boolean(), (actions, answers, mediaPath) => {
        const h = harness(5);
        for (const d of ['a.example', 'b.example', 'c.example', 'x.example']) h.net.addDomain(d, mediaPath ? { policy: { mediaPath: 'stay' } } : {});
        USERS.forEach((u, i) => h.net.addUser(u, [{ name: 'phone', answer: answers[i]! } satisfies DeviceSettings]));
        h.net.addGroup(GROUP, { members: USERS });
        h.net.at(0, () => USERS.forEach((u) => h.net.client(u, 'phone').register()));
        const sessions: string[] = [];
        for (const a of actions) {
          h.net.at(a.at, () => {
            const client = h.net.client(USERS[a.user]!, 'phone').session;
            const id = sessions[a.kind === 'invite' ? 0 : a.session % Math.max(1, sessions.length)];
            if (a.kind === 'invite') {
              const others = USERS.filter((_, i) => i !== a.user);
              sessions.push(client.invite(a.to === 'group' ? GROUP : a.to === 'adhoc' ? others : others[0]!, ['message']));
            } else if (id === undefined) {
              return;
            } else if (a.kind === 'leave') client.leave(id);
            else if (a.kind === 'cancel') client.cancel(id);
            else if (a.kind === 'say') client.say(id, 'hello');
            else if (a.kind === 'subscribe') client.subscribeParticipants(id);
            else if (a.kind === 'modify') client.modify(id, ['message', 'audio']);
            else if (a.kind === 'add' || a.kind === 'remove') client.change(id, a.kind, [USERS[a.target]!]);
          });
        }
        // Past Timer C (181 s) of the last invitation, which cancels what only rings.
        h.net.run({ until: 300 * SECOND });
        // Every INVITE a device sent got a final response back.
        const invites = sent(h.trace, { method: 'INVITE' }).filter((e) => e.payload.type === 'request' && e.from.startsWith('phone.'));
        for (const inv of invites) {
          const callId = header(inv.payload, 'Call-ID');
          const cseq = header(inv.payload, 'CSeq');
          const finals = sent(h.trace, { to: inv.from }).filter((e) => e.payload.type === 'response' && e.payload.status >= 200 && header(e.payload, 'Call-ID') === callId && header(e.payload, 'CSeq') === cseq);
          expect(finals.length, `final response to ${cseq} of ${callId}`).toBeGreaterThan(0);
        }
        // Every MSRP SEND was answered on its hop (RFC 4975 7.2), by the transaction id.
        const msrp = h.trace.events.flatMap((e) => (e.type === 'transmit' && 'protocol' in e.payload && e.payload.protocol === 'msrp' ? [e.payload] : []));
        const answered = new Set(msrp.filter((m) => m.type === 'msrp-response').map((m) => m.transactionId));
        expect(msrp.filter((m) => m.type === 'msrp-request' && !answered.has(m.transactionId))).toEqual([]);
        // No 2xx went unacknowledged, and nothing arrived that an element could not place.
        const trouble = notes(h.trace).filter((n) => TROUBLE.test(n) || /^no ACK for/.test(n));
        expect(trouble).toEqual([]);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60), seed: Number(process.env.PROPERTY_SEED ?? 20261201) },
    );
  });
});
