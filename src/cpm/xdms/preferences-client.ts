import { DEFAULT_PREFERENCES, type UserPreferences } from '../preferences.js';
import { decodePreferences, preferencesPath } from './preferences-document.js';
import type { XcapClient } from './xcap-client.js';

/**
 * C.4.1.2 step 3, "retrieves the recipient's user preferences from preference XDMS": a user's
 * preference document, or the defaults when there is none or the XDMS does not answer (CPM 5.4
 * leaves the absence of a document to the provider: cpmsim's choice).
 */
export function readPreferences(xcap: XcapClient, aor: string, note: (text: string) => void, then: (preferences: UserPreferences) => void): void {
  xcap.get(preferencesPath(aor), (res) => {
    if (res?.status === 200 && res.body !== undefined) return then(decodePreferences(res.body.text));
    if (res !== undefined) note(`XDMS answered ${res.status} for ${aor.replace(/^sip:/, '')}: default preferences`);
    then(DEFAULT_PREFERENCES);
  });
}
