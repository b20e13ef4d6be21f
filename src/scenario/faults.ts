/**
 * The fault model of the `network:` section: link behaviour beyond constant delays (`links:`),
 * `partitions:` over time windows, and `crashes:` of nodes.
 */
import { CRASH, DISTRIBUTION_KINDS, LINKS, NORMAL, PARTITION, RULE, fieldNames } from './shape.js';
import { deviceHost } from '../cpm/naming.js';
import type { DelayDistribution } from '../net/delay-distribution.js';
import type { LinkBehaviour, LinkRule, NodeSelector, Partition } from '../net/link-model.js';
import { oneOf } from './network.js';
import type { Directory } from './refs.js';
import { SERVER_ROLES, type CrashSpec, type FaultsSpec, type NetworkSpec } from './spec.js';
import type { Mapping, Value } from './yaml-reader.js';

export const LINK_FIELDS = fieldNames(LINKS);
const RULE_FIELDS = fieldNames(RULE);
const DEFAULT_REORDER_DELAY = 50_000;

/** The faults the file declares, or undefined when it declares none (constant, perfect links). */
export function readFaults(network: Mapping, spec: NetworkSpec, directory: Directory): FaultsSpec | undefined {
  const links = network.get('links')?.map(LINK_FIELDS);
  const partitionsValue = network.get('partitions');
  const crashesValue = network.get('crashes');
  const random = links !== undefined && LINK_FIELDS.some((f) => f !== 'delay' && f !== 'inter-domain-delay' && links.get(f) !== undefined);
  const distributed = links !== undefined && ['delay', 'inter-domain-delay'].some((f) => links.get(f)?.isMap === true);
  if (!random && !distributed && partitionsValue === undefined && crashesValue === undefined) return undefined;
  const nodes = new Nodes(spec, directory);
  const common = links === undefined ? {} : readBehaviour(links);
  const base = (delay: DelayDistribution): LinkBehaviour => ({ delay, jitter: 0, loss: 0, duplicate: 0, reorder: 0, reorderDelay: DEFAULT_REORDER_DELAY, ...common });
  const delayOf = (field: string, fallback: number): DelayDistribution => {
    const value = links?.get(field);
    return value === undefined ? { kind: 'constant', value: fallback } : readDistribution(value);
  };
  return {
    intraDomain: base(delayOf('delay', spec.links.delayUs)),
    interDomain: base(delayOf('inter-domain-delay', spec.links.interDomainDelayUs)),
    rules: (links?.get('between')?.list() ?? []).map((item) => readRule(item, nodes)),
    partitions: (partitionsValue?.list() ?? []).map((item) => readPartition(item, nodes)),
    crashes: readCrashes(crashesValue, nodes),
  };
}

/** The fields of `links:` or of a rule that set behaviour other than the delay. */
function readBehaviour(fields: Mapping): Partial<LinkBehaviour> {
  const out: Partial<LinkBehaviour> = {};
  const jitter = fields.get('jitter');
  if (jitter) out.jitter = jitter.duration();
  const loss = fields.get('loss');
  if (loss) out.loss = probability(loss);
  const duplicate = fields.get('duplicate');
  if (duplicate) out.duplicate = probability(duplicate);
  const reorder = fields.get('reorder');
  if (reorder) out.reorder = probability(reorder);
  const reorderDelay = fields.get('reorder-delay');
  if (reorderDelay) out.reorderDelay = reorderDelay.duration();
  return out;
}

function readRule(value: Value, nodes: Nodes): LinkRule {
  const fields = value.map(RULE_FIELDS);
  const between = nodes.pair(fields.require('nodes'));
  const behaviour = readBehaviour(fields);
  const delay = fields.get('delay');
  if (delay) behaviour.delay = readDistribution(delay);
  return { between, behaviour };
}

function readPartition(value: Value, nodes: Nodes): Partition {
  const fields = value.map(fieldNames(PARTITION));
  const between = nodes.pair(fields.require('between'));
  const from = fields.require('from').duration();
  const untilValue = fields.require('until');
  const until = untilValue.duration();
  if (until <= from) untilValue.fail('until must be later than from');
  return { between, from, until };
}

function readCrashes(value: Value | undefined, nodes: Nodes): CrashSpec[] {
  const crashes: CrashSpec[] = [];
  for (const item of value?.list() ?? []) {
    const fields = item.map(fieldNames(CRASH));
    const nodeValue = fields.require('node');
    const host = nodes.host(nodeValue);
    const at = fields.require('at').duration();
    const restartValue = fields.get('restart');
    const restart = restartValue?.duration();
    if (restartValue && restart !== undefined && restart <= at) restartValue.fail('restart must be later than the crash (at)');
    const stateValue = fields.get('state');
    const state = stateValue === undefined ? 'lost' : oneOf(stateValue, ['lost', 'kept'] as const);
    const overlapping = crashes.find((c) => c.host === host && at < (c.restartUs ?? Infinity) && c.atUs < (restart ?? Infinity));
    if (overlapping) nodeValue.fail(`${host} is already down then (a crash at ${overlapping.atUs / 1e6}s)`);
    crashes.push({ host, atUs: at, ...(restart === undefined ? {} : { restartUs: restart }), state, path: item.path });
  }
  return crashes;
}

/** A probability as `5%` or `0.05`. */
function probability(value: Value): number {
  const text = value.scalarText() ?? value.expected('a probability like 5% or 0.05');
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const p = percent ? Number(percent[1]) / 100 : /^\d*\.?\d+(e-?\d+)?$/i.test(text) ? Number(text) : NaN;
  if (!(p >= 0 && p <= 1)) value.fail(`'${text}' is not a probability: write one from 0% to 100%, or from 0 to 1`);
  return p;
}

/** `10ms`, or one of `{ uniform: [5ms, 15ms] }`, `{ normal: { mean: 10ms, sd: 2ms } }`, `{ exponential: 10ms }`, `{ empirical: [8ms, 9ms, 30ms] }`. */
function readDistribution(value: Value): DelayDistribution {
  if (!value.isMap) return { kind: 'constant', value: value.duration() };
  const fields = value.map(fieldNames(DISTRIBUTION_KINDS));
  const [entry, extra] = fields.entries;
  if (entry === undefined || extra !== undefined) value.fail('a delay distribution names one of uniform, normal, exponential, empirical');
  const v = entry.value;
  switch (entry.name) {
    case 'uniform': {
      const bounds = v.list();
      if (bounds.length !== 2) v.fail('uniform takes [min, max]');
      const [min, max] = bounds.map((b) => b.duration()) as [number, number];
      if (max < min) bounds[1]!.fail('max must not be below min');
      return { kind: 'uniform', min, max };
    }
    case 'normal': {
      const n = v.map(fieldNames(NORMAL));
      return { kind: 'normal', mean: n.require('mean').duration(), sd: n.require('sd').duration() };
    }
    case 'exponential':
      return { kind: 'exponential', mean: v.duration() };
    default: {
      const values = v.list().map((item) => item.duration());
      if (values.length === 0) v.fail('empirical needs at least one measured delay');
      return { kind: 'empirical', values };
    }
  }
}

/** Resolves the node names of links, partitions and crashes to hosts and domains of the network. */
class Nodes {
  private readonly hosts = new Set<string>();
  private readonly domains: string[];
  private readonly devices: Map<string, string>;

  constructor(
    spec: NetworkSpec,
    private readonly directory: Directory,
  ) {
    this.domains = [...spec.domains.map((d) => d.name), ...(spec.nonCpm ?? []).map((s) => s.domain)];
    const services = (spec.nonCpm ?? []).map((s) => s.service);
    for (const d of spec.domains) {
      this.hosts.add(`core.${d.name}`);
      if (!d.cpm) continue;
      for (const role of ['cs', 'xdms']) this.hosts.add(`${role}.${d.name}`);
      if (services.length > 0) this.hosts.add(`isf.${d.name}`);
      for (const service of services) this.hosts.add(`iwf-${service}.${d.name}`);
    }
    for (const s of spec.nonCpm ?? []) this.hosts.add(`${s.service === 'sms' ? 'smsc' : s.service === 'mms' ? 'mmsc' : s.service === 'imps' ? 'imps' : 'mx'}.${s.domain}`);
    this.devices = new Map(spec.users.flatMap((u) => u.devices.map((d) => [d.id, deviceHost(u.local, d.name, u.domain)] as const)));
  }

  /** `[a, b]`: two domains or nodes. */
  pair(value: Value): [NodeSelector, NodeSelector] {
    const items = value.list();
    if (items.length !== 2) value.fail('names two sides: [a.example, b.example], or nodes such as [core.a.example, alice.phone]');
    return [this.selector(items[0]!), this.selector(items[1]!)];
  }

  selector(value: Value): NodeSelector {
    const ref = value.string();
    return this.domains.includes(ref) ? { domain: ref } : { host: this.host(value) };
  }

  /** A server (`cs.b.example`) or a device (`alice.phone`), as its host name. */
  host(value: Value): string {
    const ref = value.string();
    if (this.hosts.has(ref)) return ref;
    if (this.domains.includes(ref)) value.fail(`${ref} is a domain; name one of its nodes, such as core.${ref}`);
    const role = ref.slice(0, ref.indexOf('.'));
    if ((SERVER_ROLES as readonly string[]).includes(role) && this.domains.includes(ref.slice(role.length + 1))) {
      value.fail(`there is no ${role} in ${ref.slice(role.length + 1)}; its servers are ${[...this.hosts].filter((h) => h.endsWith(ref.slice(role.length))).join(', ')}`);
    }
    return this.devices.get(this.directory.simulatedDevice(value))!;
  }
}
