/** Anything attached to the network: addressed by a host name inside a domain. */
export interface NetNode<P> {
  readonly host: string;
  readonly domain: string;
  /** Called by the network when a copy of a payload arrives. */
  receive(payload: P, fromHost: string): void;
}
