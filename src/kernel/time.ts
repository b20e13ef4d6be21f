/** Virtual time is an integer number of microseconds: integers never drift the way float seconds do. */
export type Micros = number;

export const US = 1;
export const MS = 1_000;
export const SECOND = 1_000_000;

/** `12.345678s`, fixed width after the point so columns line up. */
export function formatTime(us: Micros): string {
  const s = Math.floor(us / SECOND);
  const frac = String(us % SECOND).padStart(6, '0');
  return `${s}.${frac}s`;
}
