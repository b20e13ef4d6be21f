import type { RandomStreams } from '../../kernel/random.js';
import { digestCredentials, parseDigest } from '../../sip/digest.js';
import { SipParseError } from '../../sip/errors.js';
import { cloneMessage, header, removeHeaders, setHeader, type SipRequest, type SipResponse } from '../../sip/message.js';
import { formatUri } from '../../sip/uri.js';

/**
 * RFC 3261 22.3: a UAC whose request a proxy answers 407 re-originates it with credentials for
 * that proxy's realm (CPM 5.1.1.3: the SIP/IP Core authenticates requests where the operator asks
 * it). Each request is answered once; a second 407 for the retry reaches the caller.
 */
export class ProxyCredentials {
  constructor(
    private readonly aor: string,
    private readonly password: string,
    /** The run's streams and the device's host: the client nonces come from `<host>/proxy-cnonce`, made at the first challenge. */
    private readonly streams: RandomStreams,
    private readonly host: string,
  ) {}

  /** The request to send again with Proxy-Authorization, when `res` is a challenge to `sent`. */
  retry(sent: SipRequest, res: SipResponse): SipRequest | undefined {
    if (res.status !== 407 || header(sent, 'Proxy-Authorization') !== undefined) return undefined;
    let challenge: Map<string, string>;
    try {
      challenge = parseDigest(header(res, 'Proxy-Authenticate') ?? '');
    } catch (e) {
      if (e instanceof SipParseError) return undefined;
      throw e;
    }
    const realm = challenge.get('realm') ?? '';
    const nonce = challenge.get('nonce') ?? '';
    const retry = cloneMessage(sent);
    // A new request of the same call (RFC 3261 8.1.3.5): our stack writes a fresh Via, the CSeq grows.
    removeHeaders(retry, 'Via');
    const [seq, method] = (header(sent, 'CSeq') ?? `1 ${sent.method}`).split(' ');
    setHeader(retry, 'CSeq', `${Number(seq) + 1} ${method}`);
    const username = this.aor.replace(/^sips?:/, '');
    const uri = formatUri(sent.uri);
    const nc = '00000001';
    const cnonce = this.streams.stream(`${this.host}/proxy-cnonce`).hex(16);
    setHeader(retry, 'Proxy-Authorization', digestCredentials({ username, realm, password: this.password, method: sent.method, uri, nonce, nc, cnonce, qop: 'auth' }));
    return retry;
  }
}
