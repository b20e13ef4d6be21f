import type { Micros } from './time.js';

export type Action = () => void;

/**
 * A cancellable event's entry: an object that runs the event (`fire`), with its slot in the queue's
 * pool while it is pending and -1 otherwise (the queue keeps it up to date). The entry can be the
 * owner of the event itself (a registration, a binding), so that an event kept for a long time
 * costs no timer object and no closure.
 */
export interface Cancellable {
  slot: number;
  fire(): void;
}

export type Entry = Action | Cancellable;

/** Initial capacity of the heap, and the least it shrinks to. */
const INITIAL_CAPACITY = 1024;

/**
 * The heap grows by half when full and shrinks by a third below 4/9 full: between resizes it is 4/9
 * to all full (2/3 right after one), where doubling and halving at a quarter left it a quarter to
 * all full. A population's timers are most of what it keeps, and the bands keep a resize a constant
 * cost per event amortized (a third of the capacity changes between two).
 */
const GROWTH = 1.5;
const SHRINK_BELOW = 4 / 9;

/** Cancelled entries are compacted away once they are more than this share of the heap. */
const CANCELLED_SHARE = 1 / 4;

/** Compaction is not worth it below this many entries: skipping a few cancelled ones is cheaper. */
const COMPACT_MIN = 4096;

/**
 * Min-heap on (time, seq), stored as a struct of arrays: the heap holds keys and slot numbers in
 * typed arrays, so a sift compares doubles in contiguous memory and allocates nothing; each event's
 * entry lives in a slot pool, recycled once the event is popped. The entry is the action, or, for
 * an event that can be cancelled, an object that runs it (the simulator's timer, or the event's
 * owner). `cancel` clears its slot at once, so a cancelled entry is not kept alive by the queue;
 * its key leaves the heap when it reaches the top, or earlier when cancelled entries are more than
 * a quarter of the heap (then it is rebuilt without them): a transaction's Timer F, cancelled by
 * its response, would otherwise hold its place for 32 s.
 *
 * When the queue empties below 4/9 of its capacity the heap is rebuilt at two thirds of the size
 * and the pool renumbered: a burst (a million registrations, each arming its transactions' timers)
 * does not leave its peak size allocated for the rest of the run.
 *
 * Keys are unique (the simulator never reuses a sequence number), so the pop order is a total
 * order independent of the heap's shape: rebuilding it cannot change what runs next.
 */
export class EventQueue {
  private times = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private heapSlots = new Int32Array(INITIAL_CAPACITY);
  private length = 0;
  /** The heap shrinks when its length falls below this (4/9 of a grown capacity; never for the initial one). */
  private shrinkBelow = -1;

  /** By slot: the entry, or null for a free slot or a cancelled event still in the heap. */
  private entries: (Entry | null)[] = [];
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

  /** Queues an event: its action, or an entry that `cancel` can remove until it runs (not one already pending). */
  push(time: Micros, seq: number, entry: Entry): void {
    if (this.length === this.times.length) this.resize(Math.ceil(this.length * GROWTH));
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.entries.length;
      this.entries.push(entry);
    } else {
      this.entries[slot] = entry;
    }
    if (typeof entry !== 'function') entry.slot = slot;
    this.siftUp(this.length++, time, seq, slot);
  }

  /** Cancels a pending event; an entry that already ran or was cancelled is ignored. */
  cancel(entry: Cancellable): void {
    if (entry.slot < 0) return;
    this.entries[entry.slot] = null;
    entry.slot = -1;
    this.cancelledInHeap++;
    if (this.length >= COMPACT_MIN && this.cancelledInHeap > this.length * CANCELLED_SHARE) this.compact();
  }

  /**
   * Removes the next live event and returns its entry (its key in `poppedTime`/`poppedSeq`): an
   * action to call, or an entry, no longer pending, to `fire`.
   */
  pop(): Entry | undefined {
    this.dropCancelledTop();
    if (this.length === 0) return undefined;
    const entry = this.entries[this.heapSlots[0]!]!;
    this.poppedTime = this.times[0]!;
    this.poppedSeq = this.seqs[0]!;
    this.removeTop();
    if (typeof entry !== 'function') entry.slot = -1;
    return entry;
  }

  private dropCancelledTop(): void {
    while (this.length > 0 && this.entries[this.heapSlots[0]!] === null) {
      this.removeTop();
      this.cancelledInHeap--;
    }
  }

  private removeTop(): void {
    const slot = this.heapSlots[0]!;
    this.entries[slot] = null;
    this.freeSlots.push(slot);
    const last = --this.length;
    if (last > 0) this.siftDown(0, this.times[last]!, this.seqs[last]!, this.heapSlots[last]!);
    if (last < this.shrinkBelow) this.resize(smaller(this.times.length));
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
      if (this.entries[slot] === null) {
        this.freeSlots.push(slot);
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
    let capacity = this.times.length;
    while (kept < capacity * SHRINK_BELOW && capacity > INITIAL_CAPACITY) capacity = smaller(capacity);
    if (capacity !== this.times.length) this.resize(capacity);
  }

  /** A heap of `capacity`, and when it shrinks a pool of the pending entries alone, in heap order. */
  private resize(capacity: number): void {
    const n = this.length;
    const shrinks = capacity < this.times.length;
    const times = new Float64Array(capacity);
    times.set(this.times.subarray(0, n));
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs.subarray(0, n));
    const slots = new Int32Array(capacity);
    if (shrinks) {
      const entries: (Entry | null)[] = [];
      for (let i = 0; i < n; i++) {
        const entry = this.entries[this.heapSlots[i]!] ?? null;
        if (entry !== null && typeof entry !== 'function') entry.slot = i;
        entries.push(entry);
        slots[i] = i;
      }
      this.entries = entries;
      this.freeSlots = [];
    } else {
      slots.set(this.heapSlots.subarray(0, n));
    }
    this.times = times;
    this.seqs = seqs;
    this.heapSlots = slots;
    this.shrinkBelow = capacity > INITIAL_CAPACITY ? Math.floor(capacity * SHRINK_BELOW) : -1;
  }
}

/** The capacity a heap shrinks to: two thirds, never below the initial one. */
function smaller(capacity: number): number {
  return Math.max(INITIAL_CAPACITY, Math.floor(capacity / GROWTH));
}
