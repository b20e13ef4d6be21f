import { describe, expect, it } from 'vitest';
import type { ScenarioRun } from '../../src/scenario/runner.js';
import { header } from '../../src/sip/message.js';
import { isSip } from '../../src/wire/payload.js';
import { runVariant } from './variant.js';

const imdnStatusesTo = (run: ScenarioRun, host: string): string[] =>
  run.events.flatMap((e) => {
    if (e.type !== 'transmit' || e.to !== host || !isSip(e.payload) || e.payload.type !== 'request') return [];
    const body = e.payload.body;
    return body?.kind === 'cpim' && body.cpim.content.kind === 'imdn' ? [body.cpim.content.imdn.notification.status] : [];
  });

describe('interworking exchanges whose packets are lost', () => {
  it('an SMSC sends an unanswered delivery receipt again (SMPP 3.4 7.2), so the sender still gets its IMDN', () => {
    // The receipt of C.4.1.1 falls at 600 s; the SMSC and the Interworking Function cannot reach each other for 5 s.
    const run = runVariant('scenarios/behaviour/interworking-sms-expired.yaml', '  partitions:\n    - { between: [smsc.sms.example, iwf-sms.a.example], from: 599s, until: 605s }\n');
    const receipts = run.events.filter((e) => e.type !== 'note' && e.from === 'smsc.sms.example' && !isSip(e.payload) && e.payload.protocol === 'smpp' && e.payload.command === 'deliver_sm');
    expect(receipts.map((e) => e.type)).toEqual(['undeliverable', 'transmit']);
    expect(imdnStatusesTo(run, 'phone.alice.a.example')).toEqual(['failed']);
  });

  it('an unanswered submit_sm is a failure the CPM sender hears of (504), not a silence', () => {
    const run = runVariant('scenarios/behaviour/interworking-sms-expired.yaml', '  partitions:\n    - { between: [smsc.sms.example, iwf-sms.a.example], from: 1s, until: 20s }\n');
    const finals = run.events.flatMap((e) =>
      e.type === 'transmit' && e.to === 'phone.alice.a.example' && isSip(e.payload) && e.payload.type === 'response' && e.payload.status >= 200 && header(e.payload, 'CSeq')?.endsWith('MESSAGE')
        ? [e.payload.status]
        : [],
    );
    expect(finals).toEqual([504]);
  });

  it('a mail system retries a DSN whose session timed out (RFC 5321 4.5.3.2, 4.5.4.1), so the sender gets its IMDN', () => {
    // The DSN's session opens at 1.076 s; its 220 greeting and everything after it is lost until 1.2 s.
    const run = runVariant(
      'scenarios/behaviour/interworking-email-dsn.yaml',
      '  partitions:\n    - { between: [mx.mail.example, iwf-email.a.example], from: 1077ms, until: 1200ms }\n',
      'duration: 40min\n',
    );
    const dsnSessions = run.events.filter((e) => e.type === 'transmit' && e.from === 'mx.mail.example' && !isSip(e.payload) && e.payload.protocol === 'smtp' && 'opens' in e.payload);
    // The session at 1.076 s waits 5 min for its 220 (4.5.3.2.1) and is dropped; Carol's mail, queued
    // behind it for the same server, goes then; the DSN is retried 30 min after its failed attempt.
    const failedAt = 1_076_000 + 5 * 60_000_000;
    expect(dsnSessions.map((e) => e.at)).toEqual([1_076_000, failedAt, failedAt + 30 * 60_000_000]);
    expect(imdnStatusesTo(run, 'phone.alice.a.example')).toEqual(['delivered']);
  });
});
