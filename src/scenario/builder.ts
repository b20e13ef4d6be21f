import { CpmNetwork } from '../cpm/cpm-network.js';
import { deviceHost } from '../cpm/naming.js';
import { constantLinks } from '../net/links.js';
import type { ExpectedStep } from '../trace/expectations.js';
import type { Lifeline } from '../trace/projection.js';
import type { Action, ScenarioSpec } from './spec.js';

export interface BuiltScenario {
  network: CpmNetwork;
  lifelines: Lifeline[];
  steps: ExpectedStep[];
  /** Virtual time of the last timeline action. */
  lastActionAt: number;
}

/** Turns a validated scenario into a network with its timeline scheduled. */
export function buildScenario(spec: ScenarioSpec, seed: number): BuiltScenario {
  const { links } = spec.network;
  const network = new CpmNetwork({ seed, links: constantLinks(links.delayUs, links.interDomainDelayUs) });
  for (const d of spec.network.domains) network.addDomain(d.name, { cpm: d.cpm, auth: d.auth });
  const devices = new Map<string, { aor: string; device: string; host: string }>();
  for (const u of spec.network.users) {
    const aor = `sip:${u.address}`;
    network.addUser(
      aor,
      u.devices.map((d) => d.name),
      { aliases: u.aliases, ...(u.password === undefined ? {} : { password: u.password }) },
    );
    for (const d of u.devices) devices.set(d.id, { aor, device: d.name, host: deviceHost(u.local, d.name, u.domain) });
  }
  const client = (id: string) => {
    const d = devices.get(id)!;
    return network.client(d.aor, d.device);
  };
  for (const entry of spec.timeline) network.at(entry.atUs, () => perform(entry.action, client));

  const lifelines: Lifeline[] = spec.lifelines.map((l) => ({
    name: l.name,
    hosts: l.refs.filter((r) => !r.startsWith('*@')).map((r) => devices.get(r)?.host ?? r),
    domains: l.refs.filter((r) => r.startsWith('*@')).map((r) => r.slice(2)),
  }));
  const column = new Map(spec.lifelines.map((l, i) => [l.name, i]));
  const steps: ExpectedStep[] = spec.expect.steps.map((s) => ({
    n: s.n,
    from: column.get(s.from)!,
    to: column.get(s.to)!,
    ...(s.request === undefined ? {} : { request: s.request }),
    ...(s.response === undefined ? {} : { response: s.response }),
    ...(s.body === undefined ? {} : { body: s.body }),
    ...(s.note === undefined ? {} : { note: s.note }),
  }));
  const lastActionAt = spec.timeline.reduce((max, e) => Math.max(max, e.atUs), 0);
  return { network, lifelines, steps, lastActionAt };
}

function perform(action: Action, client: (id: string) => ReturnType<CpmNetwork['client']>): void {
  switch (action.kind) {
    case 'register':
      for (const d of action.devices) client(d).register(action.password === undefined ? {} : { password: action.password });
      return;
    case 'subscribe-reg':
      for (const d of action.devices) client(d).subscribeRegistrations();
      return;
    case 'deregister':
      for (const d of action.devices) client(d).deregister();
      return;
    case 'send':
      client(action.from).send({ to: action.to, text: action.text, notify: action.notify });
      return;
  }
}
