import type { RandomStreams } from '../kernel/random.js';
import { intern } from '../kernel/intern.js';

/**
 * A device's Unique User Agent Identifier (CPM 5.1.2.3, RFC 5626 4.1): a UUID URN drawn from the
 * device's own stream, so it is the same across reboots, and the network can name it in the user's
 * preference document before the device runs. Interned, as the device's host: several elements keep
 * them for as long as the device is registered.
 */
export const deviceInstance = (streams: RandomStreams, host: string): string => intern(`urn:uuid:${streams.once(`${host}/instance`).uuid()}`);

/** Host names of the elements of a domain: readable in a trace, and resolvable by the network. */
export const coreHost = (domain: string): string => `core.${domain}`;
export const conversationServerHost = (domain: string): string => `cs.${domain}`;
export const deviceHost = (local: string, device: string, domain: string): string => intern(`${device}.${local}.${domain}`);
/** The public service identity of a domain's deferred messaging function (CPM 5.2.2.2.2). */
export const DEFERRED_SERVICE_USER = 'deferred';
export const deferredServiceUri = (domain: string): string => `sip:${DEFERRED_SERVICE_USER}@${domain}`;
/** CPM 5.3: the Interworking Selection Function and the Interworking Functions of a domain. */
export const isfHost = (domain: string): string => `isf.${domain}`;
export const iwfHost = (service: string, domain: string): string => `iwf-${service}.${domain}`;
/** The element of a non-CPM system the Interworking Functions talk to. */
export const smscHost = (domain: string): string => `smsc.${domain}`;
export const mailHost = (domain: string): string => `mx.${domain}`;
/** The MMS Relay/Server of an MMS network (3GPP TS 23.140 6.1). */
export const mmsHost = (domain: string): string => `mmsc.${domain}`;
export const impsHost = (domain: string): string => `imps.${domain}`;

/**
 * The conference factory of a domain (3GPP TS 24.147 5.3.1.3.1): the PSI a client invites, with a
 * list of users, to have its Conversation Server host an Ad-hoc Group session (CPM 5.2.3.2.1.1).
 */
export function conferenceFactoryUri(domain: string): string {
  return `sip:conference-factory@${domain}`;
}

/** The XDMS of a domain (CPM 5.4): the user preference documents. */
export const xdmsHost = (domain: string): string => `xdms.${domain}`;
