/**
 * The perturbations of one explored run, as an explicit list: what `--replay` runs again and what
 * shrinking takes away from. A packet is named by its trace event id (`id` in the JSON lines).
 */
import type { Micros } from '../kernel/time.js';
import { DurationError, parseDuration } from '../scenario/duration.js';

export type Perturbation =
  | { kind: 'drop'; packet: number }
  | { kind: 'delay'; packet: number; us: Micros }
  | { kind: 'crash'; host: string; atUs: Micros; forUs: Micros }
  /** Events due at the same virtual time run in an order drawn from the stream `kernel/ties`. */
  | { kind: 'ties' };

export class PerturbationSyntaxError extends Error {
  override readonly name = 'PerturbationSyntaxError';
}

/** `drop@12,delay@15+3000us,crash:core.a.example@1000000us+2000000us,ties` */
export function formatPerturbations(list: readonly Perturbation[]): string {
  return list
    .map((p) => {
      switch (p.kind) {
        case 'drop':
          return `drop@${p.packet}`;
        case 'delay':
          return `delay@${p.packet}+${p.us}us`;
        case 'crash':
          return `crash:${p.host}@${p.atUs}us+${p.forUs}us`;
        case 'ties':
          return 'ties';
      }
    })
    .join(',');
}

const DROP = /^drop@(\d+)$/;
const DELAY = /^delay@(\d+)\+(.+)$/;
const CRASH = /^crash:([^@]+)@([^+]+)\+(.+)$/;

export function parsePerturbations(text: string): Perturbation[] {
  if (text.trim() === '') return [];
  return text.split(',').map((raw) => {
    const item = raw.trim();
    if (item === 'ties') return { kind: 'ties' };
    const drop = DROP.exec(item);
    if (drop) return { kind: 'drop', packet: Number(drop[1]) };
    const delay = DELAY.exec(item);
    if (delay) return { kind: 'delay', packet: Number(delay[1]), us: duration(delay[2]!, item) };
    const crash = CRASH.exec(item);
    if (crash) return { kind: 'crash', host: crash[1]!, atUs: duration(crash[2]!, item), forUs: duration(crash[3]!, item) };
    throw new PerturbationSyntaxError(`'${item}' is not a perturbation; write drop@ID, delay@ID+DURATION, crash:HOST@TIME+DURATION or ties`);
  });
}

function duration(text: string, item: string): Micros {
  try {
    return parseDuration(text);
  } catch (e) {
    if (e instanceof DurationError) throw new PerturbationSyntaxError(`in '${item}': ${e.message}`);
    throw e;
  }
}
