import { describe, expect, it } from 'vitest';
import { Registrar, type BindingChange } from '../../../src/cpm/core/registrar.js';
import { Simulator } from '../../../src/kernel/simulator.js';
import { SECOND } from '../../../src/kernel/time.js';
import { parseNameAddr } from '../../../src/sip/name-addr.js';
import { formatUri } from '../../../src/sip/uri.js';

const ALICE = 'sip:alice@a.example';
const BOB = 'sip:bob@a.example';

function registrar(): { sim: Simulator; reg: Registrar; expired: { at: number; aor: string; ids: string[] }[] } {
  const sim = new Simulator();
  const expired: { at: number; aor: string; ids: string[] }[] = [];
  const reg = new Registrar(sim, (aor, changes: BindingChange[]) => expired.push({ at: sim.now, aor, ids: changes.map((c) => `${c.event} ${c.binding.id}`) }));
  return { sim, reg, expired };
}

const contact = (text: string, expires: number) => ({ contact: parseNameAddr(text), expires });

describe('Registrar bindings expire (RFC 3261 10.3)', () => {
  it('a binding expires at its time, and a refresh before then moves its expiry', () => {
    const { sim, reg, expired } = registrar();
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 10)], 'c1', 1, 'phone.a.example');
    sim.at(5 * SECOND, () => reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 10)], 'c1', 2, 'phone.a.example'));
    sim.run({ until: 12 * SECOND });
    expect(expired).toEqual([]);
    expect(reg.bindings(ALICE)).toHaveLength(1);
    sim.run();
    expect(expired).toEqual([{ at: 15 * SECOND, aor: ALICE, ids: ['expired b1'] }]);
    expect(reg.bindings(ALICE)).toEqual([]);
  });

  it('a removed binding (expires=0 or all removed) never expires', () => {
    const { sim, reg, expired } = registrar();
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 10)], 'c1', 1, 'phone.a.example');
    reg.update(BOB, [contact('<sip:bob@phone.a.example>', 10)], 'c2', 1, 'phone.a.example');
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 0)], 'c1', 2, 'phone.a.example');
    reg.removeAll(BOB);
    sim.run();
    expect(expired).toEqual([]);
    expect(sim.eventsRun).toBe(0);
  });

  it('two bindings due at the same time expire in the order they were made', () => {
    const { sim, reg, expired } = registrar();
    reg.update(BOB, [contact('<sip:bob@phone.b.example>', 10)], 'c2', 1, 'phone.b.example');
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 10)], 'c1', 1, 'phone.a.example');
    sim.run();
    expect(expired.map((e) => e.aor)).toEqual([BOB, ALICE]);
  });
});

describe('Registrar: who has a binding at a host', () => {
  it('one AOR at a host, then a second one (in the order they came), then each gone', () => {
    const { reg } = registrar();
    expect([...reg.aorsAt('shared.a.example')]).toEqual([]);
    reg.update(ALICE, [contact('<sip:alice@shared.a.example>', 60)], 'c1', 1, 'shared.a.example');
    expect([...reg.aorsAt('shared.a.example')]).toEqual([ALICE]);
    reg.update(BOB, [contact('<sip:bob@shared.a.example>', 60)], 'c2', 1, 'shared.a.example');
    expect([...reg.aorsAt('shared.a.example')]).toEqual([ALICE, BOB]);
    reg.removeAll(ALICE);
    expect([...reg.aorsAt('shared.a.example')]).toEqual([BOB]);
    reg.removeAll(BOB);
    expect([...reg.aorsAt('shared.a.example')]).toEqual([]);
  });

  it('an AOR with two bindings at one host stays there until both are gone', () => {
    const { reg } = registrar();
    const one = '<sip:alice@pc.a.example>;+sip.instance="<urn:uuid:1>"';
    const two = '<sip:alice@pc.a.example>;+sip.instance="<urn:uuid:2>"';
    reg.update(ALICE, [contact(one, 60), contact(two, 60)], 'c1', 1, 'pc.a.example');
    expect(reg.bindings(ALICE)).toHaveLength(2);
    reg.update(ALICE, [contact(one, 0)], 'c1', 2, 'pc.a.example');
    expect([...reg.aorsAt('pc.a.example')]).toEqual([ALICE]);
    reg.update(ALICE, [contact(two, 0)], 'c1', 3, 'pc.a.example');
    expect([...reg.aorsAt('pc.a.example')]).toEqual([]);
  });
});

describe('Registrar reports what a REGISTER changed (RFC 3680 5.1 contact events)', () => {
  it('a refresh to an earlier expiry is "shortened", to the same or a later one "refreshed"', () => {
    const { reg } = registrar();
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 10)], 'c1', 1, 'phone.a.example');
    expect(reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 10)], 'c1', 2, 'phone.a.example').map((c) => c.event)).toEqual(['refreshed']);
    expect(reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 5)], 'c1', 3, 'phone.a.example').map((c) => c.event)).toEqual(['shortened']);
  });

  it('a changed q or expires parameter is not a change of the feature parameters; a new feature tag is', () => {
    const { reg } = registrar();
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>;q=0.5;expires=10', 10)], 'c1', 1, 'phone.a.example');
    const [lifetime] = reg.update(ALICE, [contact('<sip:alice@phone.a.example>;Q=0.9;EXPIRES=20', 20)], 'c1', 2, 'phone.a.example');
    expect(lifetime?.paramsChanged).toBeUndefined();
    const [feature] = reg.update(ALICE, [contact('<sip:alice@phone.a.example>;+g.oma.sip-im', 20)], 'c1', 3, 'phone.a.example');
    expect(feature?.paramsChanged).toBe(true);
  });

  it('removing all bindings reports each as "unregistered"', () => {
    const { reg } = registrar();
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 10), contact('<sip:alice@pc.a.example>', 10)], 'c1', 1, 'phone.a.example');
    expect(reg.removeAll(ALICE).map((c) => `${c.event} ${formatUri(c.binding.contact.uri)}`)).toEqual([
      'unregistered sip:alice@phone.a.example',
      'unregistered sip:alice@pc.a.example',
    ]);
  });

  it('a +sip.instance without a value does not key the binding: a second REGISTER refreshes it (RFC 5626 4.1)', () => {
    const { reg } = registrar();
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>;+sip.instance', 10)], 'c1', 1, 'phone.a.example');
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>;+sip.instance', 10)], 'c1', 2, 'phone.a.example');
    expect(reg.bindings(ALICE)).toHaveLength(1);
  });

  it('a contact another host registered is one this host may not change (RFC 3261 10.3 step 3)', () => {
    const { reg } = registrar();
    reg.update(ALICE, [contact('<sip:alice@phone.a.example>', 10)], 'c1', 1, 'phone.a.example');
    expect(reg.madeElsewhere(ALICE, [parseNameAddr('<sip:alice@phone.a.example>')], 'mallory.example')).toBeDefined();
    expect(reg.madeElsewhere(ALICE, [parseNameAddr('<sip:alice@phone.a.example>')], 'phone.a.example')).toBeUndefined();
  });
});
