import type { NetNode } from './node.js';

/** What an element uses of the network: its attachment, sending, notes, and name lookups. */
export interface NetAccess<P> {
  attach(node: NetNode<P>): void;
  send(fromHost: string, toHost: string, payload: P): void;
  /** `message`: the pager message the note is about (src/cpm/message-identity.ts), where it is about one. */
  note(host: string, text: string, message?: string): void;
  has(host: string): boolean;
  domainOf(host: string): string | undefined;
  isUp(host: string): boolean;
}

/**
 * One incarnation's access to the network. A crash closes it: the old process is gone, so what
 * its still-scheduled timers would send or note never reaches the network.
 */
export class NetPort<P> implements NetAccess<P> {
  private open = true;

  constructor(private readonly net: NetAccess<P>) {}

  close(): void {
    this.open = false;
  }

  attach(node: NetNode<P>): void {
    this.net.attach(node);
  }

  send(fromHost: string, toHost: string, payload: P): void {
    if (this.open) this.net.send(fromHost, toHost, payload);
  }

  note(host: string, text: string, message?: string): void {
    if (this.open) this.net.note(host, text, message);
  }

  has(host: string): boolean {
    return this.net.has(host);
  }

  domainOf(host: string): string | undefined {
    return this.net.domainOf(host);
  }

  isUp(host: string): boolean {
    return this.net.isUp(host);
  }
}
