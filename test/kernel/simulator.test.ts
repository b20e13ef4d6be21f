import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulationLimitError, Simulator } from '../../src/kernel/simulator.js';
import { SECOND } from '../../src/kernel/time.js';
import { RandomStreams } from '../../src/kernel/random.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Simulator ordering', () => {
  it('starts at time 0 with nothing run', () => {
    const sim = new Simulator();
    expect(sim.now).toBe(0);
    expect(sim.eventsRun).toBe(0);
    sim.run();
    expect(sim.now).toBe(0);
  });

  it('runs events by time and equal times in the order they were scheduled', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(30, () => log.push('c@30'));
    sim.schedule(10, () => log.push('a@10'));
    sim.schedule(20, () => log.push('b1@20'));
    sim.at(20, () => log.push('b2@20'));
    sim.schedule(20, () => log.push('b3@20'));
    sim.schedule(0, () => log.push('z@0'));
    sim.run();
    expect(log).toEqual(['z@0', 'a@10', 'b1@20', 'b2@20', 'b3@20', 'c@30']);
    expect(sim.now).toBe(30);
    expect(sim.eventsRun).toBe(6);
  });

  it('sets now to the event time while the action runs', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    for (const t of [7, 3, 11]) sim.schedule(t, () => seen.push(sim.now));
    sim.run();
    expect(seen).toEqual([3, 7, 11]);
  });

  it('runs an event scheduled with delay 0 from an action after the events already due at that time', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(5, () => {
      log.push('first');
      sim.schedule(0, () => log.push('nested'));
    });
    sim.schedule(5, () => log.push('second'));
    sim.run();
    expect(log).toEqual(['first', 'second', 'nested']);
  });

  it('schedules relative to now when called from inside an action', () => {
    const sim = new Simulator();
    const times: number[] = [];
    sim.schedule(100, () => sim.schedule(50, () => times.push(sim.now)));
    sim.run();
    expect(times).toEqual([150]);
  });
});

describe('Simulator cancel', () => {
  it('skips a cancelled event and does not count it as run', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(1, () => log.push('a'));
    const b = sim.schedule(2, () => log.push('b'));
    sim.schedule(3, () => log.push('c'));
    expect(b.time).toBe(2);
    b.cancel();
    sim.run();
    expect(log).toEqual(['a', 'c']);
    expect(sim.eventsRun).toBe(2);
  });

  it('can be cancelled by an earlier event during the run', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const late = sim.schedule(10, () => log.push('late'));
    sim.schedule(5, () => {
      log.push('canceller');
      late.cancel();
    });
    sim.run();
    expect(log).toEqual(['canceller']);
  });

  it('is harmless after the event ran, and when repeated', () => {
    const sim = new Simulator();
    let runs = 0;
    const t = sim.schedule(1, () => runs++);
    sim.run();
    t.cancel();
    t.cancel();
    sim.run();
    expect(runs).toBe(1);
  });

  it('forgets a cancelled event: it no longer counts as pending', () => {
    const sim = new Simulator();
    const timers = Array.from({ length: 50 }, (_, i) => sim.schedule(i + 1, () => {}));
    let ran = false;
    const victim = sim.schedule(25, () => {
      ran = true;
    });
    expect(sim.pending).toBe(51);
    victim.cancel();
    expect(sim.pending).toBe(50);
    sim.run();
    expect(ran).toBe(false);
    expect(sim.eventsRun).toBe(timers.length);
    expect(sim.pending).toBe(0);
  });
});

/** An alarm that logs its name each time it fires. */
const alarm = (name: string, log: string[]): { slot: number; fire(): void } => ({ slot: -1, fire: () => log.push(name) });

describe('Simulator alarms (an owner as its own queue entry)', () => {
  it('ties at the same time run in the order armed or scheduled, alarms and timers alike', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.at(20, () => log.push('t1'));
    sim.arm(alarm('a1', log), 20);
    sim.schedule(20, () => log.push('t2'));
    sim.arm(alarm('a2', log), 20);
    sim.arm(alarm('early', log), 10);
    sim.run();
    expect(log).toEqual(['early', 't1', 'a1', 't2', 'a2']);
    expect(sim.eventsRun).toBe(5);
  });

  it('arming a pending alarm again moves it: it fires once, at the new time, ordered as of the new arming', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const refreshed = alarm('refreshed', log);
    sim.arm(refreshed, 10);
    sim.at(30, () => log.push('before'));
    sim.arm(refreshed, 30);
    sim.at(30, () => log.push('after'));
    expect(sim.pending).toBe(3);
    sim.run();
    expect(log).toEqual(['before', 'refreshed', 'after']);
    expect(refreshed.slot).toBe(-1);
  });

  it('a disarmed alarm never fires and no longer counts as pending; disarming again, or after it fired, is harmless', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const cancelled = alarm('cancelled', log);
    const fired = alarm('fired', log);
    sim.arm(cancelled, 5);
    sim.arm(fired, 5);
    sim.disarm(cancelled);
    sim.disarm(cancelled);
    expect(sim.pending).toBe(1);
    sim.run();
    sim.disarm(fired);
    expect(log).toEqual(['fired']);
    expect(sim.eventsRun).toBe(1);
  });

  it('an alarm that fired can be armed again, from its own firing too', () => {
    const sim = new Simulator();
    const times: number[] = [];
    const periodic = {
      slot: -1,
      fire(): void {
        times.push(sim.now);
        if (times.length < 3) sim.arm(periodic, sim.now + 7);
      },
    };
    sim.arm(periodic, 7);
    sim.run();
    expect(times).toEqual([7, 14, 21]);
  });

  it('arm() rejects the past and non-integers, leaving the alarm as it was', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const a = alarm('a', log);
    sim.schedule(10, () => {
      expect(() => sim.arm(a, 9)).toThrow(RangeError);
      expect(() => sim.arm(a, 10.5)).toThrow(RangeError);
    });
    sim.arm(a, 20);
    sim.run();
    expect(log).toEqual(['a']);
  });
});

describe('Simulator argument checks', () => {
  it.each([-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, -0.1])('schedule(%s) throws RangeError', (delay) => {
    const sim = new Simulator();
    expect(() => sim.schedule(delay, () => {})).toThrow(RangeError);
  });

  it('at() accepts now and later, rejects the past and non-integers', () => {
    const sim = new Simulator();
    sim.schedule(100, () => {});
    sim.run();
    expect(sim.now).toBe(100);
    expect(() => sim.at(99, () => {})).toThrow(RangeError);
    expect(() => sim.at(0, () => {})).toThrow(/now is 100us/);
    expect(() => sim.at(150.5, () => {})).toThrow(RangeError);
    let ran = 0;
    expect(sim.at(100, () => ran++).time).toBe(100);
    expect(sim.at(200, () => ran++).time).toBe(200);
    sim.run();
    expect(ran).toBe(2);
    expect(sim.now).toBe(200);
  });

  it('a rejected schedule leaves nothing queued', () => {
    const sim = new Simulator();
    let ran = false;
    expect(() =>
      sim.schedule(-5, () => {
        ran = true;
      }),
    ).toThrow(RangeError);
    sim.run();
    expect(ran).toBe(false);
    expect(sim.eventsRun).toBe(0);
  });
});

describe('Simulator run limits', () => {
  it('run({until}) runs events at until, stops before later ones and leaves now === until', () => {
    const sim = new Simulator();
    const log: number[] = [];
    for (const t of [10, 20, 30]) sim.schedule(t, () => log.push(t));
    sim.run({ until: 20 });
    expect(log).toEqual([10, 20]);
    expect(sim.now).toBe(20);
    sim.run({ until: 25 });
    expect(log).toEqual([10, 20]);
    expect(sim.now).toBe(25);
    sim.run();
    expect(log).toEqual([10, 20, 30]);
    expect(sim.now).toBe(30);
  });

  it('run({until}) advances an idle simulator to until and never moves time back', () => {
    const sim = new Simulator();
    sim.run({ until: 5 * SECOND });
    expect(sim.now).toBe(5 * SECOND);
    sim.run({ until: SECOND });
    expect(sim.now).toBe(5 * SECOND);
  });

  it('run({until}) keeps later events for the next run', () => {
    const sim = new Simulator();
    let ran = false;
    sim.schedule(1_000, () => {
      ran = true;
    });
    sim.run({ until: 999 });
    expect(ran).toBe(false);
    expect(sim.now).toBe(999);
    sim.run({ until: 1_000 });
    expect(ran).toBe(true);
  });

  it('run({maxEvents}) throws SimulationLimitError naming the limit when a run does not settle', () => {
    const sim = new Simulator();
    const tick = (): void => {
      sim.schedule(1, tick);
    };
    sim.schedule(0, tick);
    let error: unknown;
    try {
      sim.run({ maxEvents: 100 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationLimitError);
    expect(error).toBeInstanceOf(Error);
    const err = error as SimulationLimitError;
    expect(err.name).toBe('SimulationLimitError');
    expect(err.message).toContain('more than 100 events');
    expect(err.message).toContain('0.000099s');
    expect(sim.eventsRun).toBe(100);
  });

  it('run({maxEvents}) allows exactly maxEvents events, and cancelled ones do not count', () => {
    const sim = new Simulator();
    for (let i = 0; i < 5; i++) sim.schedule(i, () => {});
    for (let i = 0; i < 5; i++) sim.schedule(i, () => {}).cancel();
    expect(() => sim.run({ maxEvents: 5 })).not.toThrow();
    expect(sim.eventsRun).toBe(5);
  });
});

describe('Simulator properties', () => {
  const plan = fc.array(fc.record({ time: fc.integer({ min: 0, max: 30 }), cancel: fc.boolean(), viaAt: fc.boolean() }), {
    maxLength: 120,
  });

  it('executes the non-cancelled events in the order of a stable sort by time', () => {
    fc.assert(
      fc.property(plan, (events) => {
        const sim = new Simulator();
        const executed: number[] = [];
        events.forEach((e, i) => {
          const action = (): void => {
            expect(sim.now).toBe(e.time);
            executed.push(i);
          };
          const timer = e.viaAt ? sim.at(e.time, action) : sim.schedule(e.time, action);
          if (e.cancel) timer.cancel();
        });
        sim.run();
        const expected = events
          .map((e, i) => ({ ...e, i }))
          .filter((e) => !e.cancel)
          .sort((a, b) => a.time - b.time) // Array.prototype.sort is stable
          .map((e) => e.i);
        expect(executed).toEqual(expected);
        expect(sim.eventsRun).toBe(expected.length);
      }),
      { numRuns: 300 },
    );
  });

  it('with events scheduled and cancelled during the run, time never goes back and ties keep creation order', () => {
    // Each event, when run, schedules children (delays) and may cancel an earlier-created event.
    const node = fc.record({
      children: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
      cancelIndex: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 10 }), fc.array(node, { maxLength: 60 }), (roots, behaviours) => {
        const sim = new Simulator();
        type Rec = { id: number; time: number; cancelled: boolean; ran: boolean; cancel: () => void };
        const all: Rec[] = [];
        const order: Rec[] = [];
        const create = (delay: number): void => {
          const id = all.length;
          const rec: Rec = { id, time: sim.now + delay, cancelled: false, ran: false, cancel: () => {} };
          all.push(rec);
          const timer = sim.schedule(delay, () => {
            expect(rec.cancelled).toBe(false);
            expect(sim.now).toBe(rec.time);
            rec.ran = true;
            order.push(rec);
            const b = behaviours[id];
            if (b === undefined) return;
            if (b.cancelIndex !== undefined && all.length > 0) {
              const target = all[b.cancelIndex % all.length]!;
              if (!target.ran) target.cancelled = true;
              target.cancel();
            }
            for (const d of b.children) create(d);
          });
          rec.cancel = () => timer.cancel();
        };
        for (const r of roots) create(r);
        sim.run({ maxEvents: 10_000 });
        for (let k = 1; k < order.length; k++) {
          const prev = order[k - 1]!;
          const cur = order[k]!;
          expect(cur.time >= prev.time).toBe(true);
          if (cur.time === prev.time) expect(cur.id > prev.id).toBe(true);
        }
        // Everything not cancelled ran, exactly once.
        expect(all.filter((r) => !r.cancelled).every((r) => r.ran)).toBe(true);
        expect(new Set(order.map((r) => r.id)).size).toBe(order.length);
        expect(sim.eventsRun).toBe(order.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Simulator with shuffled ties', () => {
  const orderOf = (seed: number): string[] => {
    const sim = new Simulator({ shuffleTies: new RandomStreams(seed).stream('kernel/ties') });
    const log: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) sim.schedule(10, () => log.push(name));
    sim.schedule(5, () => log.push('early'));
    sim.schedule(20, () => log.push('late'));
    sim.run();
    return log;
  };

  it('permutes only events due at the same time, the same way for the same seed', () => {
    for (const seed of [1, 2, 3]) {
      const log = orderOf(seed);
      expect(log[0]).toBe('early');
      expect(log[6]).toBe('late');
      expect([...log.slice(1, 6)].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(orderOf(seed)).toEqual(log);
    }
  });

  it('gives other orders for other seeds', () => {
    const orders = new Set(Array.from({ length: 20 }, (_, seed) => orderOf(seed).join()));
    expect(orders.size).toBeGreaterThan(5);
  });
});

describe('Simulator.post', () => {
  it('queues like schedule, in the same order with it', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.post(10, () => log.push('posted'));
    sim.schedule(10, () => log.push('scheduled'));
    sim.post(5, () => log.push('first'));
    sim.run();
    expect(log).toEqual(['first', 'posted', 'scheduled']);
  });

  it.each([-1, 0.5, Number.NaN])('post(%s) throws RangeError', (delay) => {
    expect(() => new Simulator().post(delay, () => {})).toThrow(RangeError);
  });
});

describe('Simulator run({pauseAfter})', () => {
  it('returns false after that many events and resumes where it stopped, ending as one run would', () => {
    const sim = new Simulator();
    const log: number[] = [];
    for (let i = 0; i < 10; i++) sim.schedule(i * 10, () => log.push(i));
    expect(sim.run({ until: 1000, pauseAfter: 4 })).toBe(false);
    expect(log).toEqual([0, 1, 2, 3]);
    expect(sim.now).toBe(30);
    expect(sim.run({ until: 1000, pauseAfter: 4 })).toBe(false);
    expect(sim.run({ until: 1000, pauseAfter: 4 })).toBe(true);
    expect(log).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sim.now).toBe(1000);
  });
});
