import { intern } from '../kernel/intern.js';
import type { NameAddr } from './name-addr.js';
import { isSipUri, isTelUri, type OpaqueUri, type Param, type Uri } from './uri.js';

/** The identity strings of SIP values (see kernel/intern.ts), for state kept across messages only. */
export function internOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : intern(text);
}

/** The parameters with interned names and values (an empty list stays the same shared one). */
export function internParams<P extends readonly Param[]>(params: P): P {
  if (params.length === 0) return params;
  return params.map((p) => (p.value === undefined ? { name: intern(p.name) } : { name: intern(p.name), value: intern(p.value) })) as unknown as P;
}

/** A copy of `uri` made of interned strings. */
export function internUri(uri: Uri): Uri {
  if (isSipUri(uri)) {
    const { user, password, port } = uri;
    return {
      scheme: uri.scheme,
      ...(user !== undefined && { user: intern(user) }),
      ...(password !== undefined && { password: intern(password) }),
      host: intern(uri.host),
      ...(port !== undefined && { port }),
      params: internParams(uri.params),
      headers: internParams(uri.headers),
    };
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
