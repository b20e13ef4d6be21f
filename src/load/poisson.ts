/**
 * Per-user Poisson processes. N users each acting at rate 1/T together act at rate N/T, and each
 * act is any one of them with equal chance (superposition of Poisson processes), so a population
 * needs one pending event per model, not one per user.
 */
import type { RandomStream } from '../kernel/random.js';
import type { Simulator } from '../kernel/simulator.js';
import type { Micros } from '../kernel/time.js';

/** An exponentially distributed gap of mean `meanUs`, in whole microseconds (inverse transform). */
export function exponentialGap(rng: RandomStream, meanUs: number): Micros {
  return Math.round(-Math.log(1 - rng.next()) * meanUs);
}

/**
 * Calls `act(user)` at the instants of `users` independent Poisson processes of mean interval
 * `everyUs`, in [startUs, endUs); the gaps and the users come from `rng`.
 */
export function poissonUsers(sim: Simulator, rng: RandomStream, users: number, everyUs: Micros, startUs: Micros, endUs: Micros, act: (user: number) => void): void {
  const meanGap = everyUs / users;
  const next = (from: Micros): void => {
    const at = from + exponentialGap(rng, meanGap);
    if (at >= endUs) return;
    sim.at(at, () => {
      act(rng.int(users));
      next(at);
    });
  };
  next(startUs);
}
