import { segmentSms } from '../non-cpm/sms-segments.js';
import { normalized, servicesOf, validFor, type InterworkingService } from './addresses.js';

/** One way to reach the recipient: a service and the address to route to in it. */
export interface Candidate {
  service: InterworkingService;
  address: string;
}

/**
 * The largest message MMS takes: 300 kB, the largest content class of the OMA MMS Conformance
 * Document (Content Class "video rich"); a larger one goes by no mobile service.
 */
export const MMS_MAX_OCTETS = 300 * 1024;

export interface SelectionInput {
  /** Addresses to try, in order: the user's interworking preferences, or the request's target. */
  addresses: string[];
  /**
   * CPM 5.3.1.2.4: the service a reply's Non-CPM Communication Service Identifier names; the
   * addresses are judged as addresses of that service instead of by their scheme.
   */
  service?: InterworkingService;
  /** CPM 5.3.1.1: the provider's services, in its order; others are never chosen. */
  allowed: readonly InterworkingService[];
  /** Services with an Interworking Function in this network. */
  available: ReadonlySet<InterworkingService>;
  /** CPM 5.3.1.1: services in which the originator has a routable address. */
  originatorReachable: (service: InterworkingService) => boolean;
  /** The message text, or undefined when its content is not plain text. */
  text: string | undefined;
  /** CPM 5.3.1.1.1 "message size and content": the message's media type and size, for MMS. */
  content?: { type: string; octets: number };
  /** The provider's limit for SMS: longer texts go by another service. */
  smsMaxSegments: number;
  /**
   * CPM 5.3.1: for a CPM Session Invitation, the Media Stream Types it offers. SMS and e-mail take
   * a session by its message stream (each message one SMS or mail), so the text criteria do not
   * apply, and an offer without a message stream has nothing they can carry.
   */
  sessionMedia?: readonly string[];
}

export interface Selection {
  candidates: Candidate[];
  /** Why each address that was not chosen was left out, for the trace. */
  refused: string[];
}

/**
 * CPM 5.3.1.1.1: the Interworking Selection Function picks services by the user's preferences,
 * the provider's policy and the message's size and content. Candidates keep the preference order,
 * so a failure can move on to the next (CPM 5.3.1.1 "MAY attempt ... other Non-CPM Communication
 * Service"). A number is tried by SMS and by MMS where both exist: plain text that fits the
 * provider's SMS limit goes by SMS, multimedia content or a longer text by MMS.
 */
export function selectInterworking(input: SelectionInput): Selection {
  const candidates: Candidate[] = [];
  const refused: string[] = [];
  for (const raw of input.addresses) {
    const services = input.service === undefined ? servicesOf(raw, input.available, input.allowed) : [input.service];
    if (services.length === 0) refused.push(`${raw}: no non-CPM service for this address`);
    const address = normalized(raw);
    for (const service of services) {
      const why = refusal(input, service, address);
      if (why !== undefined) refused.push(`${raw}: ${why}`);
      else if (!candidates.some((c) => c.address === address && c.service === service)) candidates.push({ service, address });
    }
  }
  return { candidates, refused };
}

function refusal(input: SelectionInput, service: InterworkingService, address: string): string | undefined {
  return !input.allowed.includes(service) ? `${service} not allowed by the provider`
    : !input.available.has(service) ? `no ${service} Interworking Function`
    : !validFor(service, address) ? `not a valid ${service} address`
    : !input.originatorReachable(service) ? `the originator has no ${service} address`
    : input.sessionMedia !== undefined ? sessionRefusal(service, input.sessionMedia)
    : service === 'mms' ? (input.content !== undefined && input.content.octets > MMS_MAX_OCTETS ? `larger than ${MMS_MAX_OCTETS} octets for MMS` : undefined)
    : service === 'sms' && input.text === undefined ? 'content is not text'
    : service === 'sms' && segmentSms(input.text!, 0).segments.length > input.smsMaxSegments ? `longer than ${input.smsMaxSegments} SMS`
    : undefined;
}

/** CPM 5.3.1: SMS and e-mail carry a session's message stream; MMS and IMPS have no session form in cpmsim. */
function sessionRefusal(service: InterworkingService, media: readonly string[]): string | undefined {
  if (service === 'mms' || service === 'imps') return `${service.toUpperCase()} takes no sessions`;
  return media.includes('message') ? undefined : 'offers no message stream';
}
