import { Buffer } from 'node:buffer';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inputOf } from '../../src/fuzz/campaign.js';
import { addVectors, type Corpus } from '../../src/fuzz/corpus.js';
import { exercise, TARGETS, targetNamed } from '../../src/fuzz/targets.js';
import { decodePdu, encodePdu, shortMessage } from '../../src/smpp/codec.js';
import { formatExchange, parseExchange, type SmtpExchange } from '../../src/smtp/exchange.js';
import { parseXcap, serializeXcap } from '../../src/xcap/codec.js';
import type { XcapMessage } from '../../src/xcap/message.js';

const runs = Number(process.env.PROPERTY_RUNS ?? 150);
const seed = Number(process.env.PROPERTY_SEED ?? 20261202);

/** What a codec may do with any input: parse it into a value that survives a round trip, or refuse it with its typed error. */
const wellBehaved = (target: (typeof TARGETS)[number], octets: Buffer): void => {
  const { outcome } = exercise(target, octets);
  expect(outcome.kind === 'crashed' ? `${target.name} crashed: ${String(outcome.error)}` : outcome).toMatchObject({ kind: expect.stringMatching(/^(parsed|refused)$/) });
};

const corpus: Corpus = new Map();
addVectors(corpus, fileURLToPath(new URL('../vectors/', import.meta.url)));

describe('every codec gives only its typed error', () => {
  it.each(TARGETS.map((t) => [t.name, t] as const))('%s: arbitrary octets', (_name, target) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (octets) => wellBehaved(target, Buffer.from(octets))), { numRuns: runs, seed });
  });

  it('sip: mutated RFC 4475 and RFC 5118 torture messages', () => {
    const sip = targetNamed('sip')!;
    fc.assert(fc.property(fc.nat(), (index) => wellBehaved(sip, inputOf(corpus, sip, seed, index))), { numRuns: runs, seed });
  });
});

describe('round trips of generated values', () => {
  const digits = fc.stringMatching(/^\+[1-9][0-9]{3,14}$/);
  it('SMPP submit_sm and deliver_sm (SMPP 3.4 4.4.1, 4.6.1)', () => {
    const pdu = fc.record({ from: digits, to: digits, text: fc.string({ maxLength: 400 }), sequence: fc.nat(0x7fffffff), command: fc.constantFrom('submit_sm' as const, 'deliver_sm' as const) });
    fc.assert(
      fc.property(pdu, ({ from, to, text, sequence, command }) => {
        const p = { protocol: 'smpp' as const, command, sequence, message: shortMessage(`tel:${from}`, `tel:${to}`, text) };
        expect(decodePdu(encodePdu(p))).toEqual(p);
      }),
      { numRuns: runs, seed },
    );
  });

  it('SMTP commands, content and replies (RFC 5321 4.1, 4.2, 4.5.2)', () => {
    const line = fc.stringMatching(/^[\x20-\x7e]{1,60}$/);
    type Case = [SmtpExchange, 'commands' | 'content' | 'replies'];
    const exchange: fc.Arbitrary<Case> = fc.oneof(
      fc.array(line, { minLength: 1, maxLength: 5 }).map((commands): Case => [{ protocol: 'smtp', client: 'c', role: 'client', commands }, 'commands']),
      fc.array(fc.stringMatching(/^[\x20-\x7e]{0,60}$/), { maxLength: 5 }).map((lines): Case => [{ protocol: 'smtp', client: 'c', role: 'client', content: lines.map((l) => `${l}\r\n`).join('') || '\r\n' }, 'content']),
      fc
        .array(fc.record({ code: fc.integer({ min: 200, max: 559 }).filter((c) => c % 100 < 60), lines: fc.array(fc.stringMatching(/^[\x20-\x7e]{0,60}$/), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 })
        .map((replies): Case => [{ protocol: 'smtp', client: 'c', role: 'server', replies }, 'replies']),
    );
    fc.assert(
      fc.property(exchange, ([x, reading]) => {
        expect(parseExchange(formatExchange(x), reading, 'c')).toEqual(x);
      }),
      { numRuns: runs, seed },
    );
  });

  it('XCAP requests and responses, quoted values included (RFC 9110 5.6.4)', () => {
    const text = fc.stringMatching(/^[\x20-\x7e]{0,30}$/);
    const message: fc.Arbitrary<XcapMessage> = fc.oneof(
      fc.record({ protocol: fc.constant('xcap' as const), type: fc.constant('xcap-request' as const), method: fc.constant('GET' as const), host: fc.stringMatching(/^[a-z0-9.]{1,20}$/), path: fc.stringMatching(/^\/[\x21-\x7e]{0,30}$/), assertedIdentity: text }),
      fc.record(
        {
          protocol: fc.constant('xcap' as const),
          type: fc.constant('xcap-response' as const),
          status: fc.integer({ min: 100, max: 599 }),
          reason: text.map((r) => r.trim()),
          etag: fc.stringMatching(/^[\x21\x23-\x7e]{0,12}$/),
          body: fc.record({ contentType: fc.constant('application/xml'), text: fc.string({ minLength: 1, maxLength: 40 }) }),
        },
        { requiredKeys: ['protocol', 'type', 'status', 'reason'] },
      ),
    );
    fc.assert(
      fc.property(message, (m) => {
        expect(parseXcap(serializeXcap(m))).toEqual(m);
      }),
      { numRuns: runs, seed },
    );
  });
});
