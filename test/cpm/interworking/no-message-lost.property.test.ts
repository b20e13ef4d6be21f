import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpimHeader } from '../../../src/bodies/cpim-codec.js';
import { SECOND } from '../../../src/kernel/time.js';
import { header, type SipMessage } from '../../../src/sip/message.js';
import { harness, notes, sent } from '../harness.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@b.example';

/** Targets Alice may write to: served and unserved numbers and mailboxes, an invalid number, Bob. */
const TARGETS = ['tel:+15559870001', 'tel:+15550000000', 'tel:+12', 'mailto:carol@mail.example', 'mailto:nobody@mail.example', 'mailto:x@nowhere.example', BOB];
/** Addresses Bob may list as his interworking preferences. */
const BOB_ADDRESSES = ['tel:+15559870002', 'tel:+15559870009', 'mailto:bob@mail.example', 'mailto:ghost@mail.example'];

const messageIdOf = (m: SipMessage): string => (m.body?.kind === 'cpim' ? (cpimHeader(m.body.cpim, 'imdn.Message-ID') ?? '') : '');

describe('CPM 5.3: interworking never loses a message', () => {
  it('every message is accepted by a non-CPM system that then has it, delivered, or answered with an error and reported', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ to: fc.constantFrom(...TARGETS), negative: fc.boolean(), long: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        fc.subarray(BOB_ADDRESSES),
        fc.subarray(['sms', 'email'] as const),
        (messages, bobAddresses, services) => {
          const h = harness(5);
          h.net.addDomain('a.example', { policy: { interworking: [...services], smsMaxSegments: 2 } });
          h.net.addDomain('b.example', { policy: { interworking: [...services], smsMaxSegments: 2 } });
          h.net.addNonCpmSystem('sms', 'sms.example', ['tel:+15559870001', 'tel:+15559870002']);
          h.net.addNonCpmSystem('email', 'mail.example', ['mailto:carol@mail.example', 'mailto:bob@mail.example']);
          h.net.addUser(ALICE, ['phone'], { aliases: ['tel:+15551230001'] });
          h.net.addUser(BOB, ['phone'], { preferences: { whenUnavailable: 'interwork', interworking: bobAddresses } });
          h.net.at(0, () => h.net.client(ALICE, 'phone').register());
          messages.forEach((m, i) =>
            h.net.at((1 + i) * SECOND, () =>
              h.net.client(ALICE, 'phone').send({ to: m.to, text: m.long ? 'y'.repeat(400) : `m${i}`, notify: m.negative ? ['negative-delivery'] : [] }),
            ),
          );
          h.net.run({ until: 60 * SECOND });

          // One entry per message: a transaction may retransmit its request (RFC 3261 17.1.2.2).
          const byCallId = new Map(
            sent(h.trace, { from: 'phone.alice.a.example', method: 'MESSAGE' })
              .filter((e) => e.payload.type === 'request' && messageIdOf(e.payload) !== '')
              .map((e) => [header(e.payload, 'Call-ID'), e] as const),
          );
          const fromAlice = [...byCallId.values()];
          expect(fromAlice).toHaveLength(messages.length);
          const finals = new Map<string, number>();
          for (const e of sent(h.trace, { to: 'phone.alice.a.example' })) {
            if (e.payload.type === 'response' && e.payload.status >= 200 && (header(e.payload, 'CSeq') ?? '').endsWith('MESSAGE')) finals.set(header(e.payload, 'Call-ID') ?? '', e.payload.status);
          }
          const failedReports = new Set(
            sent(h.trace, { to: 'phone.alice.a.example', method: 'MESSAGE' }).flatMap((e) => {
              const b = e.payload.body;
              return b?.kind === 'cpim' && b.cpim.content.kind === 'imdn' && b.cpim.content.imdn.notification.status === 'failed' ? [b.cpim.content.imdn.messageId] : [];
            }),
          );
          // What reached a handset or a mailbox of the non-CPM systems.
          const arrived = [...notes(h.trace, 'smsc.sms.example'), ...notes(h.trace, 'mx.mail.example')].filter((n) => /^SMS delivered to |^delivered into the mailbox of /.test(n)).length;
          let twoHundreds = 0;
          for (const m of fromAlice) {
            const status = finals.get(header(m.payload, 'Call-ID') ?? '');
            expect(status).toBeDefined();
            if (status === 202) twoHundreds++;
            const askedNegative = (m.payload.body?.kind === 'cpim' && cpimHeader(m.payload.body.cpim, 'imdn.Disposition-Notification')) === 'negative-delivery';
            if (status !== undefined && status >= 300 && askedNegative) expect(failedReports.has(messageIdOf(m.payload))).toBe(true);
          }
          // A 202 comes only from an Interworking Function whose non-CPM system took the message, and
          // each message it took reached its handset or mailbox, once.
          expect(arrived).toBe(twoHundreds);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40), seed: Number(process.env.PROPERTY_SEED ?? 20081125) },
    );
  });
});
