/**
 * The `network.applications:` section (value-added-service applications) and each domain's
 * `application-profile:` (CPM 5.8.1): who the applications are, and what the provider lets them do.
 */
// network.ts reads these sections and this file uses its address helpers: a cycle of functions
// only, called after both modules have loaded.
import { APPLICATION_FUNCTIONS, type ApplicationFunction, type ApplicationGrant, type ApplicationProfile } from '../cpm/conversation-server/application-profile.js';
import { APPLICATION, APPLICATION_GRANT, APPLICATION_PROFILE, fieldNames } from './shape.js';
import { isDomainName, oneOf, splitAddress } from './network.js';
import type { ApplicationSpec, DomainSpec } from './spec.js';
import { hint } from './suggest.js';
import type { Value } from './yaml-reader.js';

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const DEFAULT_VASP = 'vas.example';

/** A domain's Application Profile; `on-behalf-of` names users of that same domain (its own subscribers). */
export function readApplicationProfile(value: Value, domain: string): ApplicationProfile {
  const fields = value.map(fieldNames(APPLICATION_PROFILE));
  const entries = (field: string): Record<string, ApplicationGrant> => {
    const out: Record<string, ApplicationGrant> = {};
    for (const { name, value: grant } of fields.get(field)?.map().entries ?? []) out[name] = readGrant(grant, domain);
    return out;
  };
  return { applications: entries('applications'), providers: entries('providers') };
}

function readGrant(value: Value, domain: string): ApplicationGrant {
  const fields = value.map(fieldNames(APPLICATION_GRANT));
  const functions: ApplicationFunction[] = [];
  for (const item of fields.require('functions').list()) {
    const f = oneOf(item, APPLICATION_FUNCTIONS);
    if (functions.includes(f)) item.fail(`${f} is listed twice`);
    functions.push(f);
  }
  const behalf = fields.get('on-behalf-of')?.oneOrMany().map((item) => {
    const address = item.string();
    const parts = splitAddress(address) ?? item.fail(`'${address}' is not a user address like alice@${domain}`);
    // The provider can let an application speak only for its own subscribers.
    if (parts.domain !== domain) item.fail(`${address} is not a user of ${domain}, whose profile this is`);
    return `sip:${address}`;
  });
  return { functions, ...(behalf !== undefined && { onBehalfOf: behalf }), ...(fields.get('mask-identity')?.boolean() === true && { maskIdentity: true }) };
}

/** The applications, each using a CPM domain's Application Control Function. */
export function readApplications(value: Value, domains: DomainSpec[], users: string[]): ApplicationSpec[] {
  const apps = value.map().entries.map(({ name, keyOffset, value: settings }): ApplicationSpec => {
    const fail = (reason: string): never => value.source.fail(keyOffset, value.path, reason);
    if (!NAME.test(name)) fail(`application '${name}' is not a name of lowercase letters, digits and '-'`);
    const fields = settings.map(fieldNames(APPLICATION));
    const providerValue = fields.require('provider');
    const provider = providerValue.string();
    const domain = domains.find((d) => d.name === provider) ?? providerValue.fail(`unknown domain ${provider}${hint(provider, domains.map((d) => d.name), 'domains are')}`);
    if (!domain.cpm) providerValue.fail(`${provider} has no CPM Conversation Server, whose Application Control Function an application uses (cpm: false)`);
    if (users.includes(`${name}@${provider}`)) fail(`${name}@${provider} is already a user; an application needs an address of its own`);
    const vaspValue = fields.get('vasp');
    const vasp = vaspValue?.string() ?? DEFAULT_VASP;
    if (!isDomainName(vasp)) vaspValue!.fail(`'${vasp}' is not a domain name`);
    if (domains.some((d) => d.name === vasp)) vaspValue!.fail(`${vasp} is a domain of network.domains; an application is outside the operators' networks`);
    const hostValue = fields.get('host');
    const host = hostValue?.string() ?? `${name}.${vasp}`;
    if (!isDomainName(host) || !host.endsWith(`.${vasp}`)) hostValue!.fail(`'${host}' is not a host of ${vasp}, like ${name}.${vasp}`);
    return { name, provider, vasp, host, path: [...value.path, name] };
  });
  const hosts = new Set<string>();
  for (const app of apps) {
    if (hosts.has(app.host)) value.map().require(app.name).fail(`host ${app.host} is another application's`);
    hosts.add(app.host);
  }
  return apps;
}

/** Every entry of a profile names an application that uses that domain, or the provider of one. */
export function checkProfiles(domainsValue: Value | undefined, domains: DomainSpec[], apps: ApplicationSpec[]): void {
  if (domainsValue === undefined || !domainsValue.isMap) return;
  for (const d of domains) {
    if (d.applicationProfile === undefined) continue;
    const profile = domainsValue.map().require(d.name).map().require('application-profile').map();
    const fail = (field: string, keyOffset: number, reason: string): never => domainsValue.source.fail(keyOffset, [...profile.value.path, field], reason);
    const users = apps.filter((a) => a.provider === d.name);
    for (const [field, known, what] of [
      ['applications', users.map((a) => a.name), 'applications using it are'],
      ['providers', [...new Set(users.map((a) => a.vasp))], 'their providers are'],
    ] as const) {
      for (const { name, keyOffset } of profile.get(field)?.map().entries ?? []) {
        if (!known.includes(name)) fail(field, keyOffset, `no application of network.applications uses ${d.name} as ${field === 'applications' ? name : `a provider ${name}`}${hint(name, [...known], what)}`);
      }
    }
  }
}
