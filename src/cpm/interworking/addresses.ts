import { headers, type SipRequest } from '../../sip/message.js';
import { parseNameAddr } from '../../sip/name-addr.js';
import { aorOf, isSipUri, parseUri, type Uri } from '../../sip/uri.js';
import { isWvAddress, wvOfSip } from './wv-addresses.js';

/** The Non-CPM Communication Services cpmsim interworks with (CPM 5.3). */
export const INTERWORKING_SERVICES = ['sms', 'email', 'mms', 'imps'] as const;
export type InterworkingService = (typeof INTERWORKING_SERVICES)[number];

/**
 * CPM 5.3.2 "Non-CPM Communication Service Identifier" on a CPM Message that came from a non-CPM
 * service. The draft names no header; cpmsim uses this one (docs/spec-notes.md).
 */
export const NON_CPM_SERVICE_HEADER = 'Non-CPM-Service';

/** E.164 in a tel URI: '+' and up to 15 digits (ITU-T E.164 6.1). */
const E164 = /^tel:\+[1-9][0-9]{5,14}$/;
const MAILBOX = /^mailto:[A-Za-z0-9._%+-]+@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** The service an address belongs to by its scheme: telephone numbers take SMS, mailboxes e-mail, WV addresses IMPS. */
export function serviceOf(address: string): InterworkingService | undefined {
  const scheme = address.slice(0, address.indexOf(':')).toLowerCase();
  return scheme === 'tel' ? 'sms' : scheme === 'mailto' ? 'email' : scheme === 'wv' ? 'imps' : undefined;
}

/** CPM 5.3.1.2 NOTE: whether the address can be used for routing in the service at all. */
export function validFor(service: InterworkingService, address: string): boolean {
  return service === 'email' ? MAILBOX.test(address) : service === 'imps' ? isWvAddress(address) : E164.test(normalized(address));
}

/**
 * CPM 5.3.1.2.1-2: a SIP address in a network without CPM (or without a SIP/IP Core) is reached as
 * the same mailbox; undefined for an address that is not a SIP URI with a user part.
 */
export function nonCpmAddress(uri: Uri): string | undefined {
  return isSipUri(uri) && uri.user !== undefined ? `mailto:${uri.user}@${uri.host.toLowerCase()}` : undefined;
}

/** A tel URI without visual separators (RFC 3966 5.1.1), as the routing address. */
export function normalized(address: string): string {
  return serviceOf(address) === 'sms' ? aorOf(parseUri(address)) : address;
}

/**
 * The services an address can be reached by: a telephone number takes SMS, and MMS too where the
 * network has an MMS Interworking Function (3GPP TS 23.140 8.7: MM7 addresses a number);
 * in the provider's order of `allowed` (CPM 5.3.1.1).
 */
export function servicesOf(address: string, available: ReadonlySet<InterworkingService>, allowed: readonly InterworkingService[]): InterworkingService[] {
  const service = serviceOf(address);
  if (service !== 'sms' || !available.has('mms')) return service === undefined ? [] : [service];
  const rank = (s: InterworkingService): number => (allowed.includes(s) ? allowed.indexOf(s) : allowed.length);
  return (['sms', 'mms'] as const).slice().sort((a, b) => rank(a) - rank(b));
}

/**
 * CPM 5.3.1: the originator's routable address in the service, if it has one. Its number is the
 * tel URI its SIP/IP Core asserted (3GPP TS 24.229 allows a SIP and a tel P-Asserted-Identity);
 * its e-mail address is assigned by interworking: the CPM Address without its scheme; its WV
 * address likewise (wv-addresses.ts).
 */
export function originatorAddress(service: InterworkingService, req: SipRequest): string | undefined {
  const asserted = headers(req, 'P-Asserted-Identity').map((value) => parseNameAddr(value).uri);
  if (service === 'sms' || service === 'mms') return asserted.map(aorOf).find((a) => a.startsWith('tel:'));
  const sip = asserted.find(isSipUri);
  if (sip?.user === undefined) return undefined;
  return service === 'imps' ? wvOfSip(sip.user, sip.host) : `mailto:${sip.user}@${sip.host.toLowerCase()}`;
}

/** The originator's SIP identity as its SIP/IP Core asserted it (3GPP TS 24.229 5.4.1.2). */
export function assertedSipIdentity(req: SipRequest): string | undefined {
  const sip = headers(req, 'P-Asserted-Identity').map((value) => parseNameAddr(value).uri).find(isSipUri);
  return sip === undefined ? undefined : aorOf(sip);
}
