import { intern } from '../kernel/intern.js';
import type { NameAddr } from './name-addr.js';
import { formatUri, isSipUri, isTelUri, type OpaqueUri, type Param, type SipUri, type Uri } from './uri.js';

/** The identity strings of SIP values (see kernel/intern.ts), for state kept across messages only. */
export function internOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : intern(text);
}

/**
 * Parameters repeat from device to device (feature tags, `expires=3600`, `lr`), so a kept parameter
 * is one frozen object shared by all its keepers, up to this many different ones: parameter text
 * comes from the network, and a run fed arbitrary values must not grow the table without end.
 */
const SHARED_PARAMS_MAX = 4096;
const sharedParams = new Map<string, Param>();

/**
 * A parameter made of interned strings: the shared one for its text, but for `+sip.instance`,
 * which names one device (RFC 5626 4.1) and so never repeats.
 */
export function internParam(p: Param): Param {
  if (p.name === '+sip.instance') return p.value === undefined ? { name: intern(p.name) } : { name: intern(p.name), value: intern(p.value) };
  const key = p.value === undefined ? p.name : `${p.name}=${p.value}`;
  let shared = sharedParams.get(key);
  if (shared === undefined) {
    shared = Object.freeze(p.value === undefined ? { name: intern(p.name) } : { name: intern(p.name), value: intern(p.value) });
    if (sharedParams.size < SHARED_PARAMS_MAX) sharedParams.set(intern(key), shared);
  }
  return shared;
}

/** The parameters as kept parameters (internParam); an empty list stays the same shared one. */
export function internParams<P extends readonly Param[]>(params: P): P {
  if (params.length === 0) return params;
  return params.map(internParam) as unknown as P;
}

/**
 * An element's own address (`sip:cs.a.example`, no user part) is kept by a record of every user it
 * serves (a dialog's local URI, a subscription's remote target): one frozen object for its text, up
 * to this many different ones (a URI comes from the network).
 */
const SHARED_HOST_URIS_MAX = 4096;
const sharedHostUris = new Map<string, Uri>();

/** A copy of `uri` made of interned strings; for a SIP URI without a user part, the shared one. */
export function internUri(uri: Uri): Uri {
  if (isSipUri(uri)) {
    const { user, password, port } = uri;
    const hostOnly = user === undefined && password === undefined;
    const text = hostOnly ? formatUri(uri) : '';
    const shared = hostOnly ? sharedHostUris.get(text) : undefined;
    if (shared !== undefined) return shared;
    const copy: SipUri = {
      scheme: uri.scheme,
      ...(user !== undefined && { user: intern(user) }),
      ...(password !== undefined && { password: intern(password) }),
      host: intern(uri.host),
      ...(port !== undefined && { port }),
      params: internParams(uri.params),
      headers: internParams(uri.headers),
    };
    if (!hostOnly || sharedHostUris.size >= SHARED_HOST_URIS_MAX) return copy;
    sharedHostUris.set(intern(text), Object.freeze(copy));
    return copy;
  }
  if (isTelUri(uri)) return { scheme: 'tel', number: intern(uri.number), params: internParams(uri.params) };
  const opaque = uri as OpaqueUri;
  return { scheme: intern(opaque.scheme), value: intern(opaque.value) };
}

/** A copy of `address` made of interned strings. */
export function internNameAddr(address: NameAddr): NameAddr {
  const { displayName } = address;
  return { ...(displayName !== undefined && { displayName: intern(displayName) }), uri: internUri(address.uri), params: internParams(address.params) };
}
