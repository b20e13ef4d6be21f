import type { Micros } from './time.js';

export type Action = () => void;

/** Initial capacity; both the heap and the slot pool double when full. */
const INITIAL_CAPACITY = 1024;

/** Compaction is not worth it below this many entries: skipping a few cancelled ones is cheaper. */
const COMPACT_MIN = 4096;

/**
 * Min-heap on (time, seq), stored as a struct of arrays: the heap holds keys and slot numbers in
 * typed arrays, so a sift compares doubles in contiguous memory and allocates nothing; the action
 * of each pending event lives in a slot pool, recycled once the event is popped. A slot and its
 * generation name an event for cancellation, which clears its slot at once; the entry
 * leaves the heap when it reaches the top, or earlier when cancelled entries outnumber live ones
 * (then the heap is rebuilt without them), so cancelled timers never make up most of the queue.
 *
 * Keys are unique (the simulator never reuses a sequence number), so the pop order is a total
 * order independent of the heap's shape: rebuilding it cannot change what runs next.
 */
export class EventQueue {
  private times = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private heapSlots = new Int32Array(INITIAL_CAPACITY);
  private length = 0;

  private actions: (Action | null)[] = [];
  private generations = new Uint32Array(INITIAL_CAPACITY);
  private freeSlots: number[] = [];
  private cancelledInHeap = 0;

  /** The popped event's time and sequence number, valid after `pop` returned an action. */
  poppedTime: Micros = 0;
  poppedSeq = 0;

  /** Pending events, cancelled ones included until they leave the heap. */
  get size(): number {
    return this.length;
  }

  /** Events that will still run. */
  get live(): number {
    return this.length - this.cancelledInHeap;
  }

  /** Time of the next live event, or undefined when none is left. */
  peekTime(): Micros | undefined {
    this.dropCancelledTop();
    return this.length === 0 ? undefined : this.times[0];
  }

  /** Queues an action and returns its slot; with `generation(slot)`, it names the event for `cancel`. */
  push(time: Micros, seq: number, action: Action): number {
    const slot = this.allocSlot(action);
    if (this.length === this.times.length) this.growHeap();
    this.siftUp(this.length++, time, seq, slot);
    return slot;
  }

  generation(slot: number): number {
    return this.generations[slot]!;
  }

  /** Cancels a pending event; the name of an event that already ran or was cancelled is ignored. */
  cancel(slot: number, generation: number): void {
    if (this.generations[slot] !== generation || this.actions[slot] === null) return;
    this.actions[slot] = null;
    this.cancelledInHeap++;
    if (this.length >= COMPACT_MIN && this.cancelledInHeap * 2 > this.length) this.compact();
  }

  /** Removes the next live event and returns its action (its key in `poppedTime`/`poppedSeq`). */
  pop(): Action | undefined {
    this.dropCancelledTop();
    if (this.length === 0) return undefined;
    const slot = this.heapSlots[0]!;
    this.poppedTime = this.times[0]!;
    this.poppedSeq = this.seqs[0]!;
    const action = this.actions[slot]!;
    this.removeTop();
    this.freeSlot(slot);
    return action;
  }

  private dropCancelledTop(): void {
    while (this.length > 0 && this.actions[this.heapSlots[0]!] === null) {
      const slot = this.heapSlots[0]!;
      this.removeTop();
      this.freeSlot(slot);
      this.cancelledInHeap--;
    }
  }

  private removeTop(): void {
    const last = --this.length;
    if (last > 0) this.siftDown(0, this.times[last]!, this.seqs[last]!, this.heapSlots[last]!);
  }

  private siftUp(at: number, time: number, seq: number, slot: number): void {
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.heapSlots;
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      slots[i] = slots[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    slots[i] = slot;
  }

  private siftDown(at: number, time: number, seq: number, slot: number): void {
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.heapSlots;
    const n = this.length;
    let i = at;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const lt = times[child]!;
        const rt = times[right]!;
        if (rt < lt || (rt === lt && seqs[right]! < seqs[child]!)) child = right;
      }
      const ct = times[child]!;
      if (time < ct || (time === ct && seq < seqs[child]!)) break;
      times[i] = ct;
      seqs[i] = seqs[child]!;
      slots[i] = slots[child]!;
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /** Drops every cancelled entry and rebuilds the heap bottom-up (Floyd), in linear time. */
  private compact(): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const slot = this.heapSlots[i]!;
      if (this.actions[slot] === null) {
        this.freeSlot(slot);
        continue;
      }
      this.times[kept] = this.times[i]!;
      this.seqs[kept] = this.seqs[i]!;
      this.heapSlots[kept] = slot;
      kept++;
    }
    this.length = kept;
    this.cancelledInHeap = 0;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i, this.times[i]!, this.seqs[i]!, this.heapSlots[i]!);
  }

  private allocSlot(action: Action): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) {
      this.actions[reused] = action;
      return reused;
    }
    const slot = this.actions.length;
    this.actions.push(action);
    if (slot === this.generations.length) {
      const grown = new Uint32Array(slot * 2);
      grown.set(this.generations);
      this.generations = grown;
    }
    return slot;
  }

  /** A slot is reused with the next generation, so an old name can no longer cancel its event. */
  private freeSlot(slot: number): void {
    this.actions[slot] = null;
    this.generations[slot] = (this.generations[slot]! + 1) >>> 0;
    this.freeSlots.push(slot);
  }

  private growHeap(): void {
    const n = this.times.length * 2;
    const times = new Float64Array(n);
    times.set(this.times);
    const seqs = new Float64Array(n);
    seqs.set(this.seqs);
    const slots = new Int32Array(n);
    slots.set(this.heapSlots);
    this.times = times;
    this.seqs = seqs;
    this.heapSlots = slots;
  }
}
