import type { CpimMessage } from '../../bodies/cpim.js';
import { header, type SipRequest } from '../../sip/message.js';
import { reportedOf, type Reported } from '../notification.js';
import { NON_CPM_SERVICE_HEADER } from '../interworking/addresses.js';
import { CONTRIBUTION_ID, CONVERSATION_ID } from '../service.js';

/** What a client keeps of a message it received: enough to reply to it and to report on it. */
export interface Received extends Reported {
  conversationId?: string;
  contributionId?: string;
  /** CPM 5.3.2: the Non-CPM Communication Service a message from a non-CPM User came through; kept from the user (5.2.2.1 NOTE 2). */
  nonCpmService?: string;
  read: boolean;
}

export function received(req: SipRequest, cpim: CpimMessage): Received | undefined {
  const reported = reportedOf(cpim);
  if (reported === undefined) return undefined;
  const conversationId = header(req, CONVERSATION_ID);
  const contributionId = header(req, CONTRIBUTION_ID);
  const nonCpmService = header(req, NON_CPM_SERVICE_HEADER);
  return {
    ...reported,
    ...(conversationId === undefined ? {} : { conversationId }),
    ...(contributionId === undefined ? {} : { contributionId }),
    ...(nonCpmService === undefined ? {} : { nonCpmService }),
    read: false,
  };
}
