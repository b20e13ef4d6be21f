/**
 * The Application Profile (CPM 5.8.1): per Application or per Value Added Service Provider, which of
 * the functionalities the Conversation Server exposes an application may use. CPM leaves its format
 * out of scope; cpmsim's is the provider's provisioning, read by the Application Control Function.
 */

/** What the Conversation Server exposes through its Application Control Function. */
export const APPLICATION_FUNCTIONS = ['send-message', 'receive-messages'] as const;
export type ApplicationFunction = (typeof APPLICATION_FUNCTIONS)[number];

/** One entry of the profile: an application's, or a Value Added Service Provider's for its applications. */
export interface ApplicationGrant {
  functions: readonly ApplicationFunction[];
  /** CPM Users (`sip:alice@a.example`) the application may send as; none by default. */
  onBehalfOf?: readonly string[];
  /** CPM 5.8.1 "masquerade a CPM User's identity": the application sees pseudonyms, never addresses. */
  maskIdentity?: boolean;
}

export interface ApplicationProfile {
  /** By application name. */
  applications: Readonly<Record<string, ApplicationGrant>>;
  /** By Value Added Service Provider (a domain name). */
  providers: Readonly<Record<string, ApplicationGrant>>;
}

export const NO_APPLICATIONS: ApplicationProfile = { applications: {}, providers: {} };

/** An application the operator knows: where its requests come from and the address it is reached at. */
export interface KnownApplication {
  name: string;
  host: string;
  /** Its public service identity, hosted by the Conversation Server (`sip:weather@a.example`). */
  uri: string;
  provider?: string;
}

/** The application's own entry, else its provider's: CPM 5.8.1 "per Application or per Value Added Service Provider". */
export function grantOf(profile: ApplicationProfile, app: KnownApplication): ApplicationGrant | undefined {
  return profile.applications[app.name] ?? (app.provider === undefined ? undefined : profile.providers[app.provider]);
}

/**
 * May the application send a CPM Message as `from` (its own address, or a user's)? Undefined when
 * it may, else the reason phrase of the 403.
 */
export function sendRefusal(grant: ApplicationGrant, app: KnownApplication, from: string): string | undefined {
  if (!grant.functions.includes('send-message')) return 'Not Allowed By The Application Profile';
  if (from === app.uri) return undefined;
  return grant.onBehalfOf?.includes(from) === true ? undefined : 'Not Allowed On Behalf Of This User';
}

/** May a user's CPM Message to the application's address reach it (an event towards the application)? */
export function receiveRefusal(grant: ApplicationGrant | undefined): string | undefined {
  return grant?.functions.includes('receive-messages') === true ? undefined : 'Application Does Not Receive Messages';
}
