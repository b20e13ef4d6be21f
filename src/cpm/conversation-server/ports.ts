import type { RandomStream } from '../../kernel/random.js';
import type { Simulator } from '../../kernel/simulator.js';
import type { MsrpMessage } from '../../msrp/message.js';
import type { SipStack } from '../../sip/stack.js';

/** What the Conversation Server's functions share of their server: one stack, one clock, one trace. */
export interface ServerPorts {
  host: string;
  domain: string;
  coreHost: string;
  sim: Simulator;
  stack: SipStack;
  rng: RandomStream;
  /** `message`: the pager message the note is about (src/cpm/message-identity.ts). */
  note(text: string, message?: string): void;
  dateTime(): string;
  /** Sends a message of another protocol than SIP (MSRP of the sessions the focus hosts). */
  sendMedia(toHost: string, msg: MsrpMessage): void;
}
