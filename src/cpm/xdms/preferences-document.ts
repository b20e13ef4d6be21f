import { BodyParseError } from '../../bodies/errors.js';
import { parsedByText } from '../../bodies/parsed-text.js';
import { buildXml, parseXml, type XmlElement } from '../../bodies/xml.js';
import type { UserPreferences } from '../preferences.js';

/**
 * The XCAP application usage of CPM user preferences (CPM 5.4). The 2008 draft defines no schema,
 * so cpmsim writes one of its own, one element a preference, in a namespace of its own.
 */
export const PREFERENCES_AUID = 'org.openmobilealliance.cpm-user-prefs';
export const PREFERENCES_TYPE = 'application/vnd.cpmsim.cpm-user-prefs+xml';
const PREFERENCES_NS = 'urn:cpmsim:params:xml:ns:cpm-user-prefs';
const DOCUMENT = 'index';

/** RFC 4825 6: the XCAP URI path of a user's document, in its user tree (XUI the SIP address). */
export function preferencesPath(aor: string): string {
  return `/${PREFERENCES_AUID}/users/${encodeURIComponent(aor)}/${DOCUMENT}`;
}

export function encodePreferences(p: UserPreferences): string {
  return buildXml({
    'cpm-user-prefs': {
      '@_xmlns': PREFERENCES_NS,
      'when-unavailable': p.whenUnavailable,
      ...(p.interworking.length > 0 && { interworking: { address: p.interworking } }),
      'deferred-delivery': p.deferredDelivery,
      'delivery-notifications': String(p.deliveryNotifications),
      'read-reports': String(p.readReports),
      'notification-devices': p.notificationDevices,
      ...(p.sessionDevices !== undefined && { 'session-devices': { instance: p.sessionDevices } }),
    },
  });
}

/**
 * The document text of these preferences, built once per distinct set: a population's users mostly
 * share the defaults, so most provisioning builds no XML at all.
 */
const textByPreferences = parsedByText((key: string) => encodePreferences(JSON.parse(key) as UserPreferences), 256);

export function preferencesText(p: UserPreferences): string {
  return textByPreferences(JSON.stringify(p));
}

function choice<T extends string>(el: XmlElement, name: string, allowed: readonly T[]): T {
  const text = el.one(name).text().trim();
  const found = allowed.find((a) => a === text);
  if (found === undefined) throw new BodyParseError(PREFERENCES_TYPE, `<${name}> "${text}" is not one of ${allowed.join(', ')}`);
  return found;
}

/**
 * @throws BodyParseError for a document that is not a preferences document. Most users keep the
 * same few documents (the defaults above all), and an element reads one for nearly every message it
 * serves, so each distinct text is decoded once (parsing each copy anew was a sixth of what a
 * message allocated); the values are frozen, shared by every reader.
 */
export const decodePreferences: (text: string) => Readonly<UserPreferences> = parsedByText((text) => {
  const prefs = parse(text);
  Object.freeze(prefs.interworking);
  if (prefs.sessionDevices !== undefined) Object.freeze(prefs.sessionDevices);
  return Object.freeze(prefs);
}, 256);

function parse(text: string): UserPreferences {
  const root = parseXml(PREFERENCES_TYPE, text, 'cpm-user-prefs', PREFERENCES_NS);
  const sessionDevices = root.optional('session-devices')?.children('instance').map((i) => i.text().trim());
  return {
    whenUnavailable: choice(root, 'when-unavailable', ['defer', 'reject', 'interwork'] as const),
    interworking: root.optional('interworking')?.children('address').map((a) => a.text().trim()) ?? [],
    deferredDelivery: choice(root, 'deferred-delivery', ['push', 'notify'] as const),
    deliveryNotifications: choice(root, 'delivery-notifications', ['true', 'false'] as const) === 'true',
    readReports: choice(root, 'read-reports', ['true', 'false'] as const) === 'true',
    notificationDevices: choice(root, 'notification-devices', ['sending', 'all'] as const),
    ...(sessionDevices !== undefined && { sessionDevices }),
  };
}
