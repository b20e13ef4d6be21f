/** Host names of the elements of a domain: readable in a trace, and resolvable by the network. */
export const coreHost = (domain: string): string => `core.${domain}`;
export const conversationServerHost = (domain: string): string => `cs.${domain}`;
export const deviceHost = (local: string, device: string, domain: string): string => `${device}.${local}.${domain}`;
/** The public service identity of a domain's deferred messaging function (CPM 5.2.2.2.2). */
export const deferredServiceUri = (domain: string): string => `sip:deferred@${domain}`;
/** CPM 5.3: the Interworking Selection Function and the Interworking Functions of a domain. */
export const isfHost = (domain: string): string => `isf.${domain}`;
export const iwfHost = (service: string, domain: string): string => `iwf-${service}.${domain}`;
/** The element of a non-CPM system the Interworking Functions talk to. */
export const smscHost = (domain: string): string => `smsc.${domain}`;
export const mailHost = (domain: string): string => `mx.${domain}`;
