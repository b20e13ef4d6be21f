/**
 * The perturbations of one explored run, as an explicit list: what `--replay` runs again and what
 * shrinking takes away from. A packet is named by its trace event id (`id` in the JSON lines), or
 * by its place on its link, `FROM>TO#N` (the Nth packet FROM sent TO). Event ids count every
 * packet of the network in send order, so taking one delay away renumbers every packet sent after
 * the one it held back; the place on a link moves only when that link's own traffic changes, so
 * shrinking names packets that way (see shrink.ts).
 */
import type { Micros } from '../kernel/time.js';
import { DurationError, parseDuration } from '../scenario/duration.js';

/** A trace event id, or `FROM>TO#N`. */
export type PacketName = number | string;

export type Perturbation =
  | { kind: 'drop'; packet: PacketName }
  | { kind: 'delay'; packet: PacketName; us: Micros }
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

const PACKET = String.raw`(\d+|[^@>+,#\s]+>[^@>+,#\s]+#[1-9]\d*)`;
const DROP = new RegExp(`^drop@${PACKET}$`);
const DELAY = new RegExp(`^delay@${PACKET}\\+(.+)$`);

/** The name of the `n`th packet (from 1) that `from` sent to `to`. */
export function linkPacket(from: string, to: string, n: number): string {
  return `${from}>${to}#${n}`;
}

function packetName(text: string): PacketName {
  return /^\d+$/.test(text) ? Number(text) : text;
}
const CRASH = /^crash:([^@]+)@([^+]+)\+(.+)$/;

export function parsePerturbations(text: string): Perturbation[] {
  if (text.trim() === '') return [];
  return text.split(',').map((raw) => {
    const item = raw.trim();
    if (item === 'ties') return { kind: 'ties' };
    const drop = DROP.exec(item);
    if (drop) return { kind: 'drop', packet: packetName(drop[1]!) };
    const delay = DELAY.exec(item);
    if (delay) return { kind: 'delay', packet: packetName(delay[1]!), us: duration(delay[2]!, item) };
    const crash = CRASH.exec(item);
    if (crash) return { kind: 'crash', host: crash[1]!, atUs: duration(crash[2]!, item), forUs: duration(crash[3]!, item) };
    throw new PerturbationSyntaxError(`'${item}' is not a perturbation; write drop@PACKET, delay@PACKET+DURATION (PACKET: an event id or FROM>TO#N), crash:HOST@TIME+DURATION or ties`);
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
