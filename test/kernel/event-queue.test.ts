import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/kernel/event-queue.js';

interface Popped {
  time: number;
  seq: number;
  label: string;
}

/** Drains the queue, reporting each popped event's key and the label its action records. */
function drain(q: EventQueue, log: string[]): Popped[] {
  const out: Popped[] = [];
  for (let action = q.pop(); action !== undefined; action = q.pop()) {
    action();
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
    const a = q.push(1, 0, () => {});
    q.push(2, 1, () => {});
    q.cancel(a, q.generation(a));
    expect(q.live).toBe(1);
    expect(q.peekTime()).toBe(2);
    expect(q.pop()).toBeDefined();
    expect(q.poppedSeq).toBe(1);
    expect(q.pop()).toBeUndefined();
  });

  it('a stale name (the event ran, its slot reused) cancels nothing', () => {
    const q = new EventQueue();
    const log: string[] = [];
    const first = q.push(1, 0, () => log.push('first'));
    const generation = q.generation(first);
    q.pop()!();
    const second = q.push(2, 1, () => log.push('second'));
    expect(second).toBe(first);
    q.cancel(first, generation);
    q.pop()!();
    expect(log).toEqual(['first', 'second']);
  });

  it('cancelled entries never outnumber live ones in a large queue (they are compacted away)', () => {
    const q = new EventQueue();
    const slots = Array.from({ length: 20_000 }, (_, i) => q.push(i, i, () => {}));
    for (const [i, slot] of slots.entries()) {
      if (i % 10 !== 0) q.cancel(slot, q.generation(slot));
      expect(q.size - q.live).toBeLessThanOrEqual(Math.max(q.live, 4096));
    }
    expect(q.live).toBe(2_000);
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
        const model: { time: number; seq: number; slot: number; generation: number }[] = [];
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
            if (victim !== undefined) q.cancel(victim.slot, victim.generation);
          } else {
            const slot = q.push(o, seq, () => {});
            model.push({ time: o, seq: seq++, slot, generation: q.generation(slot) });
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
