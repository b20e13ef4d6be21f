import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exploreRun } from '../../../src/explore/explore-run.js';
import { findScenarioFiles } from '../../../src/scenario/discover.js';
import { loadScenarioFile } from '../../../src/scenario/loader.js';
import { runScenario } from '../../../src/scenario/runner.js';
import { BUILTIN_MONITORS } from '../../../src/trace/monitors/builtin.js';
import type { MonitorInput } from '../../../src/trace/monitors/monitor.js';
import { noMediaAfterRelease } from '../../../src/trace/monitors/no-media-after-release.js';
import { noMessageLost } from '../../../src/trace/monitors/no-message-lost.js';
import { messageIdOf } from '../../../src/trace/monitors/sip-facts.js';
import { oneNotification } from '../../../src/trace/monitors/one-notification.js';
import { transactionsAnswered } from '../../../src/trace/monitors/transactions-answered.js';
import { isSip } from '../../../src/wire/payload.js';
import { setHeader } from '../../../src/sip/message.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function input(file: string): MonitorInput {
  let clients = new Map<string, string>();
  let endUs = 0;
  const run = runScenario(loadScenarioFile(join(root, file)), {
    prepare: (built, end) => {
      clients = built.clients;
      endUs = end;
    },
  });
  return { events: run.events, clients, endUs };
}

describe('the built-in monitors', () => {
  // Runs every bundled scenario: its time grows with the bundle, past the 5 s default on a loaded machine.
  it('hold on every bundled scenario run as it is, with time to settle', () => {
    for (const file of findScenarioFiles([join(root, 'scenarios')])) {
      const run = exploreRun(loadScenarioFile(file), loadScenarioFile(file).seed, { kind: 'replay', perturbations: [] });
      expect({ file, violations: run.violations }).toEqual({ file, violations: [] });
    }
  }, 60_000);

  it("no-media-after-release: an RTP packet to a released device's port after its BYE is reported", () => {
    const full = input('scenarios/behaviour/media-released-participant.yaml');
    expect(noMediaAfterRelease.check(full)).toEqual([]);
    const mix = full.events.find((e) => e.type === 'transmit' && e.to === 'phone.carol.a.example' && 'protocol' in e.payload && e.payload.protocol === 'rtp' && e.payload.type === 'rtp');
    const end = full.events.at(-1)!;
    const late = { ...mix!, id: end.id + 1, at: end.at + 1, arriveAt: end.at + 2 } as (typeof full.events)[number];
    const [v] = noMediaAfterRelease.check({ ...full, events: [...full.events, late] });
    expect(v).toMatchObject({ monitor: 'no-media-after-release', eventId: end.id + 1 });
  });

  it('no-message-lost: a message that stops at the first hop is reported at its sending', () => {
    const full = input('scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');
    const first = full.events.findIndex((e) => e.type === 'transmit' && isSip(e.payload) && e.payload.type === 'request' && e.payload.method === 'MESSAGE');
    const cut = { ...full, events: full.events.slice(0, first + 1) };
    expect(noMessageLost.check(full)).toEqual([]);
    const [v] = noMessageLost.check(cut);
    expect(v).toMatchObject({ monitor: 'no-message-lost', eventId: full.events[first]!.id });
    expect(v!.message).toMatch(/from phone\.alice\.a\.example was neither delivered, deferred, handed over nor reported as failed/);
  });

  it('no-message-lost: a deferral settles the message it names, never an earlier one whose own outcome is missing', () => {
    const full = input('scenarios/behaviour/deferred-notify-then-retrieve.yaml');
    expect(noMessageLost.check(full)).toEqual([]);
    const deferrals = full.events.filter((e) => e.type === 'note' && e.text.startsWith('deferred ('));
    expect(deferrals).toHaveLength(2);
    // The run up to the second deferral (before either is retrieved), without the first one: the
    // second deferral must not be counted for the first message, which is then lost.
    const [first, second] = deferrals.map((d) => (d.type === 'note' ? d.message : undefined));
    expect(first).toBeDefined();
    expect(second).not.toBe(first);
    const cut = { ...full, events: full.events.slice(0, full.events.indexOf(deferrals[1]!) + 1).filter((e) => e !== deferrals[0]) };
    const sending = full.events.find((e) => e.type === 'transmit' && isSip(e.payload) && e.payload.type === 'request' && e.payload.method === 'MESSAGE' && messageIdOf(e.payload.body) === first);
    const violations = noMessageLost.check(cut);
    expect(violations.map((v) => v.eventId)).toEqual([sending!.id]);
    expect(violations[0]!.message).toContain(first);
  });

  it('one-notification-per-kind: a second delivered notification in a new transaction is one too many; a retransmission is not', () => {
    const base = input('scenarios/appendix-c/c-3-1-4-4-recipient-multiple-devices.yaml');
    const last = [...base.events].reverse().find((e) => e.type === 'transmit' && e.to === 'phone.alice.a.example' && isSip(e.payload) && e.payload.type === 'request')!;
    if (last.type !== 'transmit' || !isSip(last.payload)) throw new Error('no notification to Alice');
    const retransmitted = { ...last, id: 9001 };
    const copy = structuredClone(last.payload);
    setHeader(copy, 'Call-ID', 'another@cs.b.example');
    const second = { ...last, id: 9002, payload: copy };
    expect(oneNotification.check({ ...base, events: [...base.events, retransmitted] })).toEqual([]);
    const found = oneNotification.check({ ...base, events: [...base.events, retransmitted, second] });
    expect(found.map((v) => v.eventId)).toEqual([9002]);
    expect(found[0]!.message).toMatch(/phone\.alice\.a\.example got a second delivery notification \(delivered\)/);
  });

  it('transactions-end: a request is owed an answer only once the element had Timer F to give it', () => {
    const full = input('scenarios/appendix-c/c-3-1-1-1-pager-to-user-originating.yaml');
    const noAnswers = full.events.filter((e) => !(e.type === 'transmit' && isSip(e.payload) && e.payload.type === 'response' && e.from === 'core.b.example'));
    const unanswered = transactionsAnswered.check({ ...full, events: noAnswers });
    expect(unanswered.length).toBeGreaterThan(0);
    expect(unanswered.every((v) => /^core\.b\.example never answered/.test(v.message))).toBe(true);
    expect(transactionsAnswered.check({ ...full, events: noAnswers, endUs: 1_500_000 })).toEqual([]);
  });

  it('no-media-after-release: a Participant that leaves has left once its BYE reached the focus', () => {
    const base = input('scenarios/behaviour/session-messages.yaml');
    const bye = base.events.filter((e) => e.type === 'transmit' && isSip(e.payload) && e.payload.type === 'request' && e.payload.method === 'BYE');
    const send = base.events.find((e) => e.type === 'transmit' && e.to === 'phone.carol.c.example' && 'protocol' in e.payload && e.payload.protocol === 'msrp');
    const sent = bye[0];
    const reached = bye.at(-1);
    if (send?.type !== 'transmit' || sent?.type !== 'transmit' || reached?.type !== 'transmit') throw new Error('the scenario has no SEND to Carol and BYE from her');
    expect(sent.from).toBe('phone.carol.c.example');
    expect(reached.to).toBe('cs.x.example');
    const relayedAt = (id: number, at: number) => ({ ...send, id, at, arriveAt: at + 10_000 });
    // Relayed while her BYE was on its way: the focus could not know yet.
    const inFlight = relayedAt(9001, (sent.at + reached.arriveAt) / 2);
    const afterward = relayedAt(9002, reached.arriveAt + 1_000);
    expect(noMediaAfterRelease.check(base)).toEqual([]);
    expect(noMediaAfterRelease.check({ ...base, events: [...base.events, inFlight] })).toEqual([]);
    const found = noMediaAfterRelease.check({ ...base, events: [...base.events, inFlight, afterward] });
    expect(found.map((v) => v.eventId)).toEqual([9002]);
    expect(found[0]!.message).toMatch(/phone\.carol\.c\.example was sent session media after its session/);
  });

  it('each has a distinct name and says what holds', () => {
    expect(new Set(BUILTIN_MONITORS.map((m) => m.name)).size).toBe(BUILTIN_MONITORS.length);
    for (const m of BUILTIN_MONITORS) expect(m.holds.length).toBeGreaterThan(20);
  });
});
