/** Host names of the elements of a domain: readable in a trace, and resolvable by the network. */
export const coreHost = (domain: string): string => `core.${domain}`;
export const conversationServerHost = (domain: string): string => `cs.${domain}`;
export const deviceHost = (local: string, device: string, domain: string): string => `${device}.${local}.${domain}`;
/** The public service identity of a domain's deferred messaging function (CPM 5.2.2.2.2). */
export const deferredServiceUri = (domain: string): string => `sip:deferred@${domain}`;
