import type { RandomStream } from '../../kernel/random.js';
import { SECOND, type Micros } from '../../kernel/time.js';
import { digestResponse, formatDigest, parseDigest } from '../../sip/digest.js';
import { SipParseError } from '../../sip/errors.js';
import { header, type SipRequest } from '../../sip/message.js';
import { formatUri } from '../../sip/uri.js';

/** How long a nonce is accepted: one default registration period (RFC 3261 10.2.1.1, 3600 s). */
export const NONCE_LIFETIME = 3600 * SECOND;

export type AuthOutcome =
  | { kind: 'ok' }
  /** Send a 401 with this WWW-Authenticate value (a 407 with it as Proxy-Authenticate). */
  | { kind: 'challenge'; wwwAuthenticate: string }
  /** Credentials were checked and are wrong, nothing is bound: 403 with `reason`, or 400 when they are for another resource (RFC 2617 3.2.2.5). */
  | { kind: 'refused'; reason: string; status?: 400 };

/**
 * CPM 5.1.1.1 "the SIP/IP Core authenticates the CPM User", with the SIP authentication framework
 * of RFC 3261 22 (Digest, MD5, qop=auth). The username is the user's address without scheme, as an
 * IMS private user identity is.
 */
export class DigestAuthenticator {
  /**
   * Nonces issued, in the order issued, with the highest nonce-count seen (RFC 2617 3.2.2 replay
   * protection) and when each was issued; one past its lifetime is forgotten.
   */
  private readonly nonces = new Map<string, { count: number; issuedAt: Micros }>();

  constructor(
    private readonly realm: string,
    private readonly rng: RandomStream,
    private readonly passwordOf: (aor: string) => string | undefined,
    private readonly now: () => Micros,
  ) {}

  /** `credentials`: Authorization for a registrar (RFC 3261 22.4), Proxy-Authorization for a proxy (22.3). */
  check(req: SipRequest, aor: string, credentials: 'Authorization' | 'Proxy-Authorization' = 'Authorization'): AuthOutcome {
    this.forgetExpired();
    const value = header(req, credentials);
    if (value === undefined) return this.challenge(false);
    let creds: Map<string, string>;
    try {
      creds = parseDigest(value);
    } catch (e) {
      if (e instanceof SipParseError) return { kind: 'refused', reason: 'Malformed Credentials' };
      throw e;
    }
    // RFC 2617 3.2.2.5: credentials for another resource than the Request-Line's SHOULD get a 400,
    // or a response sniffed from one request could be replayed on another.
    const uri = formatUri(req.uri);
    if (creds.has('uri') && creds.get('uri') !== uri) return { kind: 'refused', reason: 'Credentials For Another URI', status: 400 };
    const nonce = creds.get('nonce') ?? '';
    const issued = this.nonces.get(nonce);
    if (creds.get('realm') !== this.realm || issued === undefined) return this.challenge(true);
    const nc = parseInt(creds.get('nc') ?? '0', 16);
    if (!(nc > issued.count)) return this.challenge(true);
    const password = this.passwordOf(aor);
    const username = aor.replace(/^sips?:/, '');
    const expected =
      password === undefined
        ? undefined
        : digestResponse({
            username,
            realm: this.realm,
            password,
            method: req.method,
            uri,
            nonce,
            nc: creds.get('nc') ?? '',
            cnonce: creds.get('cnonce') ?? '',
            qop: creds.get('qop') ?? '',
          });
    if (creds.get('username') !== username || creds.get('response') !== expected) {
      return { kind: 'refused', reason: 'Bad Credentials' };
    }
    issued.count = nc;
    return { kind: 'ok' };
  }

  /**
   * RFC 2617 3.2.1: the server chooses how long a nonce is good for; past that, credentials for it
   * are challenged again with stale=TRUE. Issued in time order, so the expired ones are the first.
   */
  private forgetExpired(): void {
    for (const [nonce, { issuedAt }] of this.nonces) {
      if (this.now() - issuedAt < NONCE_LIFETIME) return;
      this.nonces.delete(nonce);
    }
  }

  private challenge(stale: boolean): AuthOutcome {
    const nonce = this.rng.hex(24);
    this.nonces.set(nonce, { count: 0, issuedAt: this.now() });
    const params: [string, string][] = [
      ['realm', this.realm],
      ['nonce', nonce],
      ['algorithm', 'MD5'],
      ['qop', 'auth'],
    ];
    if (stale) params.push(['stale', 'TRUE']);
    return { kind: 'challenge', wwwAuthenticate: formatDigest(params) };
  }
}
