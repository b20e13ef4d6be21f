/** RFC 3680 application/reginfo+xml. */
export interface RegInfo {
  version: number;
  state: 'full' | 'partial';
  registrations: Registration[];
}

export interface Registration {
  aor: string;
  id: string;
  state: 'init' | 'active' | 'terminated';
  contacts: RegContact[];
}

export type ContactEvent =
  | 'registered'
  | 'created'
  | 'refreshed'
  | 'shortened'
  | 'expired'
  | 'deactivated'
  | 'probation'
  | 'unregistered'
  | 'rejected';

export interface RegContact {
  id: string;
  state: 'active' | 'terminated';
  event: ContactEvent;
  expires?: number;
  uri: string;
  displayName?: string;
  /** Contact header parameters such as +sip.instance and feature tags (RFC 3680 5.2). */
  unknownParams: { name: string; value?: string }[];
}
