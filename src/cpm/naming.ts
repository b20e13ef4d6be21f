/** Host names of the elements of a domain: readable in a trace, and resolvable by the network. */
export const coreHost = (domain: string): string => `core.${domain}`;
export const conversationServerHost = (domain: string): string => `cs.${domain}`;
export const deviceHost = (local: string, device: string, domain: string): string => `${device}.${local}.${domain}`;
