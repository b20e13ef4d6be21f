import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, type QueuedEvent } from '../../src/kernel/event-queue.js';

const ev = (time: number, seq: number): QueuedEvent => ({ time, seq, action: () => {}, cancelled: false });

const byTimeThenSeq = (a: QueuedEvent, b: QueuedEvent): number => a.time - b.time || a.seq - b.seq;

describe('EventQueue', () => {
  it('is empty at first', () => {
    const q = new EventQueue();
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
  });

  it('pops by time, then by insertion sequence on equal times', () => {
    const q = new EventQueue();
    const items = [ev(5, 0), ev(1, 1), ev(5, 2), ev(3, 3), ev(1, 4), ev(0, 5)];
    for (const e of items) q.push(e);
    expect(q.size).toBe(6);
    const out: QueuedEvent[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
    expect(out.map((e) => [e.time, e.seq])).toEqual([[0, 5], [1, 1], [1, 4], [3, 3], [5, 0], [5, 2]]);
    expect(q.size).toBe(0);
  });

  it('peek shows the next pop without removing it', () => {
    const q = new EventQueue();
    q.push(ev(2, 0));
    q.push(ev(1, 1));
    const top = q.peek();
    expect(top).toMatchObject({ time: 1, seq: 1 });
    expect(q.size).toBe(2);
    expect(q.pop()).toBe(top);
  });

  it('keeps cancelled events in place (the loop skips them when popped)', () => {
    const q = new EventQueue();
    const a = ev(1, 0);
    q.push(a);
    q.push(ev(2, 1));
    a.cancelled = true;
    expect(q.size).toBe(2);
    expect(q.pop()).toBe(a);
  });

  it('property: under random push/pop every pop returns the (time, seq) minimum of what is left', () => {
    // An op is either a push of an event at some time or a pop (null).
    const op = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(null));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new EventQueue();
        const model: QueuedEvent[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o === null) {
            model.sort(byTimeThenSeq);
            const expected = model.shift();
            expect(q.peek()).toBe(expected);
            expect(q.pop()).toBe(expected);
          } else {
            const e = ev(o, seq++);
            q.push(e);
            model.push(e);
          }
          expect(q.size).toBe(model.length);
        }
        // Draining gives the rest in sorted order.
        model.sort(byTimeThenSeq);
        const rest: QueuedEvent[] = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) rest.push(e);
        expect(rest).toEqual(model);
        expect(rest.every((e, i) => model[i] === e)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
