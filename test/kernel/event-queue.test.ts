import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, type Cancellable, type Entry } from '../../src/kernel/event-queue.js';

/** A cancellable entry, as the simulator's timers and alarms are. */
const entry = (fire: () => void = () => {}): Cancellable => ({ fire, slot: -1 });

/** Runs a popped entry, as the simulator does. */
const run = (e: Entry | undefined): void => (typeof e === 'function' ? e() : e!.fire());

interface Popped {
  time: number;
  seq: number;
  label: string;
}

/** Drains the queue, reporting each popped event's key and the label its action records. */
function drain(q: EventQueue, log: string[]): Popped[] {
  const out: Popped[] = [];
  for (let e = q.pop(); e !== undefined; e = q.pop()) {
    run(e);
    out.push({ time: q.poppedTime, seq: q.poppedSeq, label: log[log.length - 1]! });
  }
  return out;
}

describe('EventQueue', () => {
  it('is empty at first', () => {
    const q = new EventQueue();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
  });

  it('pops by time, then by sequence number on equal times', () => {
    const q = new EventQueue();
    const log: string[] = [];
    const keys = [[5, 0], [1, 1], [5, 2], [3, 3], [1, 4], [0, 5]] as const;
    for (const [time, seq] of keys) q.push(time, seq, () => log.push(`${time}/${seq}`));
    expect(q.size).toBe(6);
    expect(drain(q, log).map((p) => [p.time, p.seq])).toEqual([[0, 5], [1, 1], [1, 4], [3, 3], [5, 0], [5, 2]]);
    expect(log).toEqual(['0/5', '1/1', '1/4', '3/3', '5/0', '5/2']);
    expect(q.size).toBe(0);
  });

  it('peekTime shows the next time without removing the event', () => {
    const q = new EventQueue();
    q.push(2, 0, () => {});
    q.push(1, 1, () => {});
    expect(q.peekTime()).toBe(1);
    expect(q.size).toBe(2);
    q.pop();
    expect(q.poppedTime).toBe(1);
    expect(q.peekTime()).toBe(2);
  });

  it('a cancelled event never pops, and peekTime looks past it', () => {
    const q = new EventQueue();
    const a = entry();
    q.push(1, 0, a);
    q.push(2, 1, () => {});
    q.cancel(a);
    expect(q.live).toBe(1);
    expect(q.peekTime()).toBe(2);
    expect(q.pop()).toBeDefined();
    expect(q.poppedSeq).toBe(1);
    expect(q.pop()).toBeUndefined();
  });

  it('cancelling an entry that already ran changes nothing, and twice counts once', () => {
    const q = new EventQueue();
    const log: string[] = [];
    const first = entry(() => log.push('first'));
    q.push(1, 0, first);
    run(q.pop());
    expect(first.slot).toBe(-1);
    const second = entry(() => log.push('second'));
    q.push(2, 1, second);
    q.cancel(first);
    expect(q.live).toBe(1);
    run(q.pop());
    q.push(3, 2, () => log.push('third'));
    const fourth = entry(() => log.push('fourth'));
    q.push(4, 3, fourth);
    q.cancel(fourth);
    q.cancel(fourth);
    expect(q.live).toBe(1);
    drain(q, log);
    expect(log).toEqual(['first', 'second', 'third']);
  });

  it('gives back the memory of a burst: after draining, a large queue is as small as a new one', () => {
    const q = new EventQueue();
    const keyBytes = (): number => (q as unknown as { times: Float64Array }).times.byteLength;
    const small = keyBytes();
    for (let i = 0; i < 100_000; i++) q.push(i, i, () => {});
    expect(keyBytes()).toBeGreaterThanOrEqual(100_000 * 8);
    for (let i = 0; i < 99_000; i++) q.pop();
    // Below 4/9 full it shrinks: never more than 9/4 of what is pending (or the initial size).
    expect(keyBytes()).toBeLessThanOrEqual(Math.max((9 / 4) * 1_000 * 8, small));
    const order: number[] = [];
    while (q.pop() !== undefined) order.push(q.poppedSeq);
    expect(order).toEqual(Array.from({ length: 1_000 }, (_, i) => 99_000 + i));
    expect(keyBytes()).toBe(small);
  });

  it('keeps a drained queue between 4/9 and all full: at most 9/4 of the pending keys', () => {
    const q = new EventQueue();
    const keys = (): number => (q as unknown as { times: Float64Array }).times.length;
    for (let i = 0; i <= 1_024; i++) q.push(i, i, () => {});
    // Full at its initial 1,024, it grows by half.
    expect(keys()).toBe(1_536);
    for (let i = 1_025; i < 100_000; i++) q.push(i, i, () => {});
    let before = keys();
    for (let left = 100_000; left > 1_024; left--) {
      q.pop();
      if (left % 997 === 0) expect(keys()).toBeLessThanOrEqual(Math.ceil((9 / 4) * (left - 1)));
      // It shrinks by a third, not by half: right after, it is 2/3 full, far from growing again.
      if (keys() !== before) expect(keys()).toBe(Math.max(1_024, Math.floor(before / 1.5)));
      before = keys();
    }
  });

  it('cancelled entries are never more than a quarter of a large queue (they are compacted away)', () => {
    const q = new EventQueue();
    const entries = Array.from({ length: 20_000 }, (_, i) => {
      const e = entry();
      q.push(i, i, e);
      return e;
    });
    for (const [i, e] of entries.entries()) {
      if (i % 10 !== 0) q.cancel(e);
      expect(q.size - q.live).toBeLessThanOrEqual(Math.max(q.size / 4, 4096));
    }
    expect(q.live).toBe(2_000);
    // Compacted, the heap shrinks with what is left as a drained one does.
    expect((q as unknown as { times: Float64Array }).times.length).toBeLessThanOrEqual(Math.max((9 / 4) * q.size, 1_024));
    const order: number[] = [];
    while (q.pop() !== undefined) order.push(q.poppedSeq);
    expect(order).toEqual(Array.from({ length: 2_000 }, (_, i) => i * 10));
  });

  it('property: under random push, pop and cancel every pop returns the (time, seq) minimum of what is left', () => {
    // An op pushes at a time, pops (null), or cancels the k-th still-pending event (a string).
    const op = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(null), fc.nat({ max: 50 }).map(String));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const q = new EventQueue();
        const model: { time: number; seq: number; entry: Cancellable }[] = [];
        const byKey = (a: { time: number; seq: number }, b: { time: number; seq: number }): number => a.time - b.time || a.seq - b.seq;
        let seq = 0;
        for (const o of ops) {
          if (o === null) {
            model.sort(byKey);
            const expected = model.shift();
            expect(q.peekTime()).toBe(expected?.time);
            const action = q.pop();
            expect(action === undefined).toBe(expected === undefined);
            if (expected !== undefined) expect([q.poppedTime, q.poppedSeq]).toEqual([expected.time, expected.seq]);
          } else if (typeof o === 'string') {
            const victim = model.splice(Number(o) % Math.max(model.length, 1), 1)[0];
            if (victim !== undefined) q.cancel(victim.entry);
          } else {
            const e = entry();
            q.push(o, seq, e);
            model.push({ time: o, seq: seq++, entry: e });
          }
          expect(q.live).toBe(model.length);
        }
        model.sort(byKey);
        const rest: number[] = [];
        while (q.pop() !== undefined) rest.push(q.poppedSeq);
        expect(rest).toEqual(model.map((e) => e.seq));
      }),
      { numRuns: 300 },
    );
  });
});
