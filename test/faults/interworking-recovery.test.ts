import { describe, expect, it } from 'vitest';
import type { ScenarioRun } from '../../src/scenario/runner.js';
import { header } from '../../src/sip/message.js';
import { isSip } from '../../src/wire/payload.js';
import { readFileSync } from 'node:fs';
import { loadScenarioText } from '../../src/scenario/loader.js';
import { runScenario } from '../../src/scenario/runner.js';
import { notesOf, runVariant } from './variant.js';

const imdnStatusesTo = (run: ScenarioRun, host: string): string[] =>
  run.events.flatMap((e) => {
    if (e.type !== 'transmit' || e.to !== host || !isSip(e.payload) || e.payload.type !== 'request') return [];
    const body = e.payload.body;
    return body?.kind === 'cpim' && body.cpim.content.kind === 'imdn' ? [body.cpim.content.imdn.notification.status] : [];
  });

describe('interworking exchanges whose packets are lost', () => {
  it('a delivery receipt sent during a short partition arrives late, its TCP segment sent again (RFC 6298), and the sender gets its IMDN', () => {
    // The receipt of C.4.1.1 goes at 601.016 s; the SMSC and the Interworking Function cannot reach each other until 605 s.
    const run = runVariant('scenarios/behaviour/interworking-sms-expired.yaml', '  partitions:\n    - { between: [smsc.sms.example, iwf-sms.a.example], from: 599s, until: 605s }\n');
    const receipts = run.events.filter((e) => e.type !== 'note' && e.from === 'smsc.sms.example' && !isSip(e.payload) && e.payload.protocol === 'smpp' && e.payload.command === 'deliver_sm');
    // Tries at +0, +1 and +3 s fall in the partition; the one at +7 s gets through, 10 ms on.
    expect(receipts.map((e) => (e.type === 'transmit' ? [e.at, e.arriveAt, e.retransmissions] : e.type))).toEqual([[601_016_000, 608_026_000, 3]]);
    expect(imdnStatusesTo(run, 'phone.alice.a.example')).toEqual(['failed']);
  });

  it('an SMSC sends an unanswered delivery receipt again (SMPP 3.4 7.2) while its connection has failed, and the sender gets one IMDN', () => {
    // Cut off from 599 s to 670 s: the first copy's TCP retries (to +63 s) all fall in the cut, and the
    // connection gives up on it (R2); the copy sent at the response timer, 10 s later, gets through at +63 s.
    const run = runVariant('scenarios/behaviour/interworking-sms-expired.yaml', '  partitions:\n    - { between: [smsc.sms.example, iwf-sms.a.example], from: 599s, until: 670s }\n', 'duration: 20min\n');
    const receipts = run.events.filter((e) => e.type !== 'note' && e.from === 'smsc.sms.example' && !isSip(e.payload) && e.payload.protocol === 'smpp' && e.payload.command === 'deliver_sm');
    expect(receipts[0]).toMatchObject({ type: 'undeliverable', at: 601_016_000, reason: 'partitioned' });
    expect(receipts[1]).toMatchObject({ type: 'transmit', at: 611_016_000, arriveAt: 674_026_000, retransmissions: 6 });
    // Copies sent before the first answer came back were already on their way; none is sent after it.
    const answered = run.events.find((e) => e.type === 'transmit' && e.to === 'smsc.sms.example' && !isSip(e.payload) && e.payload.protocol === 'smpp' && e.payload.command === 'deliver_sm_resp');
    if (answered?.type !== 'transmit') throw new Error('the SMSC got no deliver_sm_resp');
    expect(receipts.every((e) => e.at < answered.arriveAt)).toBe(true);
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
    // The DSN's session opens at 1.076 s; its 220 greeting and everything after it is cut off until
    // 100 s, longer than TCP retransmits (to +63 s, R2): the greeting never arrives.
    const run = runVariant(
      'scenarios/behaviour/interworking-email-dsn.yaml',
      '  partitions:\n    - { between: [mx.mail.example, iwf-email.a.example], from: 1077ms, until: 100s }\n',
      'duration: 40min\n',
    );
    const dsnSessions = run.events.filter((e) => e.type === 'transmit' && e.from === 'mx.mail.example' && !isSip(e.payload) && e.payload.protocol === 'smtp' && 'opens' in e.payload);
    // The session at 1.076 s waits 5 min for its 220 (4.5.3.2.1) and is dropped; Carol's mail, queued
    // behind it for the same server, goes then; the DSN is retried 30 min after its failed attempt.
    const failedAt = 1_076_000 + 5 * 60_000_000;
    expect(dsnSessions.map((e) => e.at)).toEqual([1_076_000, failedAt, failedAt + 30 * 60_000_000]);
    expect(imdnStatusesTo(run, 'phone.alice.a.example')).toEqual(['delivered']);
  });

  it('a mail refused after its 202 becomes the negative delivery notification the sender asked for, not a bounce', () => {
    const file = 'scenarios/behaviour/faults-mail-relay-late-bounce.yaml';
    const text = readFileSync(file, 'utf8').replace('text: Are you coming tonight? }', 'text: Are you coming tonight?, notify: [negative-delivery] }');
    const run = runScenario(loadScenarioText(text, file));
    const finals = run.events.flatMap((e) => (e.type === 'transmit' && e.to === 'phone.alice.a.example' && isSip(e.payload) && e.payload.type === 'response' ? [[e.at, e.payload.status]] : []));
    expect(finals).toContainEqual([5_011_000, 202]);
    expect(imdnStatusesTo(run, 'phone.alice.a.example')).toEqual(['failed']);
    expect(notesOf(run, 'iwf-email.a.example')).toContain('maps the relay failure to an IMDN (failed)');
    expect(notesOf(run, 'iwf-email.a.example').some((n) => n.startsWith('bounces'))).toBe(false);
  });

  it('a mail answered 202 survives a crash of the Interworking Function that loses its memory: it is on disk (RFC 5321 6.1)', () => {
    // Answered 202 at 5.006 s; the function crashes at 6 s and restarts at 8 s, before the partition ends.
    const run = runVariant('scenarios/behaviour/faults-mail-relay-late-bounce.yaml', '  crashes:\n    - { node: iwf-email.a.example, at: 6s, restart: 8s, state: lost }\n');
    const notes = notesOf(run, 'iwf-email.a.example');
    expect(notes).toContain('relays a queued mail for dave@mail.example again after a restart');
    expect(notes.filter((n) => n.startsWith('bounces the undelivered mail'))).toHaveLength(1);
    const texts = run.events.flatMap((e) => {
      if (e.type !== 'transmit' || e.to !== 'phone.alice.a.example' || !isSip(e.payload) || e.payload.type !== 'request') return [];
      const body = e.payload.body;
      return body?.kind === 'cpim' && body.cpim.content.kind === 'text' ? [body.cpim.content.text] : [];
    });
    expect(texts).toHaveLength(1);
    expect(texts[0], texts[0]).toMatch(/^Your message to dave@mail\.example could not be delivered: 550 /);
  });
});
