import type { Micros } from './time.js';

export interface QueuedEvent {
  readonly time: Micros;
  /** Insertion order (equal times run in the order they were scheduled), or a random key when ties are shuffled. */
  readonly seq: number;
  readonly action: () => void;
  cancelled: boolean;
}

const before = (a: QueuedEvent, b: QueuedEvent): boolean =>
  a.time < b.time || (a.time === b.time && a.seq < b.seq);

/** Binary min-heap on (time, seq). Cancelled events stay in place and are skipped when popped. */
export class EventQueue {
  private readonly heap: QueuedEvent[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(event: QueuedEvent): void {
    const h = this.heap;
    h.push(event);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  peek(): QueuedEvent | undefined {
    return this.heap[0];
  }

  pop(): QueuedEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < h.length && before(h[l]!, h[min]!)) min = l;
      if (r < h.length && before(h[r]!, h[min]!)) min = r;
      if (min === i) break;
      [h[i], h[min]] = [h[min]!, h[i]!];
      i = min;
    }
    return top;
  }
}
