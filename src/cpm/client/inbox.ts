import type { CpimMessage } from '../../bodies/cpim.js';
import { header, type SipRequest } from '../../sip/message.js';
import { reportedOf, type Reported } from '../notification.js';
import { CONTRIBUTION_ID, CONVERSATION_ID } from '../service.js';

/** What a client keeps of a message it received: enough to reply to it and to report on it. */
export interface Received extends Reported {
  conversationId?: string;
  contributionId?: string;
  read: boolean;
}

export function received(req: SipRequest, cpim: CpimMessage): Received | undefined {
  const reported = reportedOf(cpim);
  if (reported === undefined) return undefined;
  const conversationId = header(req, CONVERSATION_ID);
  const contributionId = header(req, CONTRIBUTION_ID);
  return {
    ...reported,
    ...(conversationId === undefined ? {} : { conversationId }),
    ...(contributionId === undefined ? {} : { contributionId }),
    read: false,
  };
}
