import type {
  ConferenceEndpoint,
  ConferenceInfo,
  ConferenceMedia,
  ConferenceUser,
  DisconnectionMethod,
  EndpointStatus,
  JoiningMethod,
} from '../../bodies/conference-info.js';

/** What the Controlling Function knows of one Participant's device in a CPM Session. */
export interface EndpointState {
  status: EndpointStatus;
  joiningMethod: JoiningMethod;
  disconnectionMethod?: DisconnectionMethod;
  media: ConferenceMedia[];
}

interface Participant {
  roles: string[];
  endpoints: Map<string, EndpointState>;
  /** The anonymous URI others see for a Participant who asked for privacy (RFC 3323, RFC 4575 5.6). */
  anonymous?: string;
}

/**
 * The Participant Information of one CPM Session (CPM 5.2.3.6) as the Controlling Function keeps
 * it, and the RFC 4575 documents that describe it: a full document for a new subscription, then
 * partial ones naming only the Participants that changed since the subscriber's last notification.
 */
export class SessionRoster {
  private readonly participants = new Map<string, Participant>();
  /** How often each Participant has changed, so a subscriber sees what changed since it last looked. */
  private readonly revisions = new Map<string, number>();
  private revision = 0;
  private anonymousUsers = 0;

  constructor(
    /** The CPM Session Identity (CPM 5.1.2.6), the conference URI. */
    readonly identity: string,
    private readonly subject?: string,
  ) {}

  /**
   * Sets one device's state; `roles` apply to the Participant when first seen. A Participant who
   * asked for privacy (`anonymous`) is shown to the others by an anonymous URI of its own, unique
   * within the session (RFC 4575 5.6, RFC 3323 4.1.1.3).
   */
  set(aor: string, endpoint: string, state: EndpointState, roles: string[] = ['participant'], anonymous = false): void {
    const participant = this.participants.get(aor) ?? { roles, endpoints: new Map<string, EndpointState>() };
    if (anonymous && participant.anonymous === undefined) participant.anonymous = `sip:anonymous${++this.anonymousUsers}@anonymous.invalid`;
    participant.endpoints.set(endpoint, state);
    this.participants.set(aor, participant);
    this.revisions.set(aor, ++this.revision);
  }

  /** The device's state, if it is part of the session (connected or on its way). */
  endpoint(aor: string, endpoint: string): EndpointState | undefined {
    return this.participants.get(aor)?.endpoints.get(endpoint);
  }

  /** Participants with at least one connected device. */
  connected(): string[] {
    return [...this.participants].filter(([, p]) => [...p.endpoints.values()].some((e) => e.status === 'connected')).map(([aor]) => aor);
  }

  /** The current revision: a subscriber that was sent this has seen every change so far. */
  get current(): number {
    return this.revision;
  }

  /**
   * The document for `viewer`, a subscriber that last saw `since` (undefined: a new subscription,
   * which gets the full state, RFC 4575 4.1), numbered `version`. An anonymous Participant's
   * address and devices reach no one but itself.
   */
  document(version: number, since?: number, viewer?: string): ConferenceInfo {
    const users = [...this.participants]
      .filter(([aor]) => since === undefined || (this.revisions.get(aor) ?? 0) > since)
      .map(([aor, p]): ConferenceUser => {
        const hidden = p.anonymous !== undefined && aor !== viewer ? p.anonymous : undefined;
        return { entity: hidden ?? aor, state: 'full', roles: p.roles, endpoints: [...p.endpoints].map(([entity, e]) => endpointOf(hidden ?? entity, e)) };
      });
    const info: ConferenceInfo = { entity: this.identity, state: since === undefined ? 'full' : 'partial', version, userCount: this.connected().length, users };
    if (since === undefined && this.subject !== undefined) info.subject = this.subject;
    return info;
  }
}

function endpointOf(entity: string, e: EndpointState): ConferenceEndpoint {
  const endpoint: ConferenceEndpoint = { entity, state: 'full', status: e.status, joiningMethod: e.joiningMethod, media: e.media };
  if (e.disconnectionMethod !== undefined) endpoint.disconnectionMethod = e.disconnectionMethod;
  return endpoint;
}
