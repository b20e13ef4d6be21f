import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpimHeader } from '../../../src/bodies/cpim-codec.js';
import { SECOND } from '../../../src/kernel/time.js';
import { header, type SipMessage } from '../../../src/sip/message.js';
import { harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';

type Step =
  | { at: number; kind: 'send'; negative: boolean; expires?: number }
  | { at: number; kind: 'register' | 'deregister' | 'offline' | 'online' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ at: fc.integer({ min: 1, max: 60 }), kind: fc.constant('send' as const), negative: fc.boolean(), expires: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }) }),
  fc.record({ at: fc.integer({ min: 1, max: 60 }), kind: fc.constantFrom('register' as const, 'deregister' as const, 'offline' as const, 'online' as const) }),
);

const messageIdOf = (m: SipMessage): string => (m.body?.kind === 'cpim' ? (cpimHeader(m.body.cpim, 'imdn.Message-ID') ?? '') : '');

describe('CPM 5.2.2.2: no message is ever lost', () => {
  it('every message ends delivered, deferred then delivered/stored/reported, or answered with an error', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.record({
          maxDeferred: fc.integer({ min: 0, max: 3 }),
          maxHold: fc.integer({ min: 5, max: 40 }).map((s) => s * SECOND),
          onExpiry: fc.constantFrom('discard' as const, 'store' as const, 'extend' as const),
        }),
        fc.constantFrom('defer' as const, 'reject' as const),
        (steps, policy, whenUnavailable) => {
          const h = harness(3);
          h.net.addDomain('a.example');
          h.net.addDomain('b.example', { policy });
          h.net.addUser(ALICE, ['phone']);
          h.net.addUser(BOB, ['phone'], { registrationSeconds: 60, preferences: { whenUnavailable } });
          h.net.at(0, () => h.net.client(ALICE, 'phone').register());
          const ids: string[] = [];
          for (const s of steps) {
            h.net.at(s.at * SECOND, () => {
              const bob = h.net.client(BOB, 'phone');
              if (s.kind === 'send') {
                ids.push(h.net.client(ALICE, 'phone').send({ to: BOB, text: 'm', notify: s.negative ? ['negative-delivery'] : [], ...(s.expires === undefined ? {} : { expires: s.expires }) }));
              } else if (s.kind === 'register') bob.register();
              else if (s.kind === 'deregister') bob.deregister();
              else h.net.setOnline(BOB, 'phone', s.kind === 'online');
            });
          }
          // Long enough for every hold time (extended once) and every transaction to end.
          h.net.run({ until: 60 * SECOND + 2 * policy.maxHold + 40 * SECOND });

          // One entry per message: a transaction may retransmit its request (RFC 3261 17.1.2.2).
          const byCallId = new Map(
            sent(h.trace, { from: 'phone.alice.a.example', method: 'MESSAGE' })
              .filter((e) => e.payload.type === 'request' && messageIdOf(e.payload) !== '')
              .map((e) => [header(e.payload, 'Call-ID'), e] as const),
          );
          const aliceMessages = [...byCallId.values()];
          const finals = new Map<string, number>();
          for (const e of sent(h.trace, { to: 'phone.alice.a.example' })) {
            if (e.payload.type === 'response' && e.payload.status >= 200 && (header(e.payload, 'CSeq') ?? '').endsWith('MESSAGE')) finals.set(header(e.payload, 'Call-ID') ?? '', e.payload.status);
          }
          const reachedBob = new Set(sent(h.trace, { to: 'phone.bob.b.example', method: 'MESSAGE' }).filter((e) => e.type === 'transmit' && e.payload.type === 'request').map((e) => messageIdOf(e.payload)));
          const reportedFailed = new Set(
            sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }).flatMap((e) => {
              const b = e.payload.body;
              return b?.kind === 'cpim' && b.cpim.content.kind === 'imdn' && b.cpim.content.imdn.notification.status === 'failed' ? [b.cpim.content.imdn.messageId] : [];
            }),
          );
          const csNotes = notes(h.trace, 'cs.b.example');
          const stored = csNotes.filter((n) => n === 'moved to network storage').length;
          const discarded = csNotes.filter((n) => n === 'discarded on expiry').length;

          expect(aliceMessages.length).toBe(ids.length);
          const deferredNotDelivered = [];
          for (const m of aliceMessages) {
            const status = finals.get(header(m.payload, 'Call-ID') ?? '');
            // Every message is answered: nothing is dropped without a trace.
            expect(status).toBeDefined();
            const id = messageIdOf(m.payload);
            const askedNegative = m.payload.body?.kind === 'cpim' && (cpimHeader(m.payload.body.cpim, 'imdn.Disposition-Notification') ?? '').includes('negative-delivery');
            if (status === 202 && !reachedBob.has(id)) deferredNotDelivered.push({ id, askedNegative });
            // An error answer to a message that asked for negative delivery notification is also reported.
            if (status !== undefined && status >= 300 && askedNegative) expect(reportedFailed.has(id)).toBe(true);
          }
          // A deferred message that never reached Bob was stored or discarded, never dropped; a
          // discarded one was reported to its sender when the sender asked (RFC 5438 forbids otherwise).
          expect(deferredNotDelivered.length).toBe(stored + discarded);
          for (const d of deferredNotDelivered) {
            if (d.askedNegative && policy.onExpiry !== 'store') expect(reportedFailed.has(d.id)).toBe(true);
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60), seed: Number(process.env.PROPERTY_SEED ?? 20081125) },
    );
  });
});
