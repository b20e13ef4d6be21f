/**
 * WV addresses (OMA IMPS CSP, "wv:" URI scheme; CPM 5.1.2.2, 5.1.2.5): `wv:user@domain` names a
 * user, `wv:user/resource@domain` a group (the resource part is the group's name under its
 * owner). The user and resource parts are case-insensitive in WV; cpmsim writes them in lower
 * case and compares them as written.
 */
const PART = '[a-z0-9._%+-]+';
const DOMAIN = '[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+';
const WV_USER = new RegExp(`^wv:${PART}@${DOMAIN}$`);
const WV_GROUP = new RegExp(`^wv:${PART}/${PART}@${DOMAIN}$`);

/** A WV user or group address cpmsim can route to. */
export const isWvAddress = (address: string): boolean => WV_USER.test(address) || WV_GROUP.test(address);

/** A WV group address (CPM 5.1.2.5 Non-CPM Group), `wv:owner/group@domain`. */
export const isWvGroup = (address: string): boolean => WV_GROUP.test(address);

/** The domain of a WV address: the IMPS service it belongs to. */
export const wvDomain = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/**
 * CPM 5.3.1: the address a CPM User has in IMPS, assigned by interworking: its SIP identity's
 * user@host under the wv: scheme (`sip:alice@a.example` is `wv:alice@a.example`), which the IMPS
 * service routes to the Interworking Function of that domain.
 */
export const wvOfSip = (user: string, host: string): string => `wv:${user.toLowerCase()}@${host.toLowerCase()}`;

/** The CPM address behind a WV address assigned by interworking, `wv:alice@a.example` to `sip:alice@a.example`. */
export const sipOfWv = (address: string): string => `sip:${address.slice(3)}`;
