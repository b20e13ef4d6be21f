/**
 * How explore perturbs a run. A run is either generated from its seed and the fault options,
 * recording every perturbation it drew, or replays such a record exactly: the same list on the
 * same seed gives the same trace, since packets are numbered in the order they are sent.
 */
import { RandomStreams } from '../kernel/random.js';
import type { Micros } from '../kernel/time.js';
import type { PacketFate } from '../net/events.js';
import type { BuiltScenario } from '../scenario/builder.js';
import { linkPacket, type PacketName, type Perturbation } from './perturbation.js';

export interface FaultOptions {
  /** Probability that a packet is lost, drawn per packet from the stream `explore/loss`. */
  loss: number;
  /** Up to this much extra delay per packet, uniform, from the stream `explore/jitter`. */
  jitterUs: Micros;
  /** One node, drawn from `explore/crash`, goes down for this long at a drawn time; 0: none. */
  crashUs: Micros;
  /** Host names a crash may pick (empty: any node). */
  crashHosts: string[];
  /** Events of the same virtual time in a random order (`kernel/ties`). */
  ties: boolean;
}

export const NO_FAULTS: FaultOptions = { loss: 0, jitterUs: 0, crashUs: 0, crashHosts: [], ties: false };

export type Plan = { kind: 'generate'; faults: FaultOptions } | { kind: 'replay'; perturbations: readonly Perturbation[] };

/** Installs the plan's faults on a built network; returns the list of perturbations the run applies (filled as it runs when generating). */
export function installFaults(built: BuiltScenario, endUs: Micros, seed: number, plan: Plan): Perturbation[] {
  const net = built.network.net;
  const sim = built.network.sim;
  const applied: Perturbation[] = [];
  const crash = (p: Extract<Perturbation, { kind: 'crash' }>): void => {
    sim.at(p.atUs, () => net.setUp(p.host, false));
    sim.at(p.atUs + p.forUs, () => net.setUp(p.host, true));
  };
  if (plan.kind === 'replay') return replayPerturbations(net, plan.perturbations, crash);
  const { faults } = plan;
  if (faults.ties) applied.push({ kind: 'ties' });
  const streams = new RandomStreams(seed);
  if (faults.crashUs > 0) {
    const pick = streams.stream('explore/crash');
    const hosts = faults.crashHosts.length > 0 ? faults.crashHosts : net.hosts();
    const p = { kind: 'crash', host: hosts[pick.int(hosts.length)]!, atUs: pick.int(Math.max(1, endUs)), forUs: faults.crashUs } as const;
    applied.push(p);
    crash(p);
  }
  if (faults.loss > 0 || faults.jitterUs > 0) {
    const loss = streams.stream('explore/loss');
    const jitter = streams.stream('explore/jitter');
    net.perturb(({ id }) => {
      if (faults.loss > 0 && loss.next() < faults.loss) {
        applied.push({ kind: 'drop', packet: id });
        return { drop: true };
      }
      if (faults.jitterUs === 0) return undefined;
      const us = jitter.int(faults.jitterUs + 1);
      if (us === 0) return undefined;
      applied.push({ kind: 'delay', packet: id, us });
      return { extraDelay: us };
    });
  }
  return applied;
}

/**
 * Applies a recorded list. The list it returns is filled as the run goes, as generating fills its
 * own: the crashes and ties first, then each packet's entries as the packet is sent, named by the
 * packet's place on its link (`FROM>TO#N`) whichever way the list named it, so a shrinker working
 * on it does not see its names shift; an entry that names no packet of this run did nothing and is
 * left out.
 */
function replayPerturbations(
  net: BuiltScenario['network']['net'],
  list: readonly Perturbation[],
  crash: (p: Extract<Perturbation, { kind: 'crash' }>) => void,
): Perturbation[] {
  const applied: Perturbation[] = [];
  const byPacket = new Map<PacketName, Extract<Perturbation, { packet: PacketName }>[]>();
  for (const p of list) {
    if (p.kind === 'drop' || p.kind === 'delay') byPacket.set(p.packet, [...(byPacket.get(p.packet) ?? []), p]);
    else {
      applied.push(p);
      if (p.kind === 'crash') crash(p);
    }
  }
  if (byPacket.size === 0) return applied;
  const sent = new Map<string, number>();
  net.perturb(({ id, from, to }) => {
    const link = `${from}>${to}`;
    const n = (sent.get(link) ?? 0) + 1;
    sent.set(link, n);
    const name = linkPacket(from, to, n);
    const entries = [...(byPacket.get(id) ?? []), ...(byPacket.get(name) ?? [])];
    if (entries.length === 0) return undefined;
    const fate: PacketFate = {};
    for (const p of entries) {
      applied.push({ ...p, packet: name });
      if (p.kind === 'drop') fate.drop = true;
      else fate.extraDelay = (fate.extraDelay ?? 0) + p.us;
    }
    return fate;
  });
  return applied;
}

/** Whether the plan shuffles ties; the kernel needs to know before the network is built. */
export function shufflesTies(plan: Plan): boolean {
  return plan.kind === 'generate' ? plan.faults.ties : plan.perturbations.some((p) => p.kind === 'ties');
}
