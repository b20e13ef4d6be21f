import type { RandomStreams } from '../../kernel/random.js';
import type { Alarm, Simulator } from '../../kernel/simulator.js';
import { SECOND } from '../../kernel/time.js';
import type { NetAccess } from '../../net/port.js';
import { createRequest } from '../../sip/builders.js';
import { digestCredentials, parseDigest } from '../../sip/digest.js';
import { parseContacts } from '../../sip/header-values.js';
import { header, headers, type Header, type SipResponse } from '../../sip/message.js';
import type { NameAddr } from '../../sip/name-addr.js';
import type { SipStack } from '../../sip/stack.js';
import { formatUri, isSipUri, parseUri, type SipUri } from '../../sip/uri.js';

/** 3GPP TS 24.229 5.1.1.4.1: refresh this long before the registration runs out. */
const REFRESH_MARGIN_SECONDS = 600;

export interface RegistrationPorts {
  stack: SipStack;
  sim: Simulator;
  /** The run's streams: the client nonces come from `<contact host>/cnonce`, made at the first challenge. */
  streams: RandomStreams;
  aor: string;
  registrar: SipUri;
  outboundProxy: string;
  contact: NameAddr;
  /** Where its notes go, under the device's host (its contact's): the device's own network access, not a closure. */
  net: Pick<NetAccess<unknown>, 'note'>;
}

/** The usual answer: no other client registered; one shared list for every device that has it. */
const NO_OTHERS: readonly string[] = Object.freeze([]);

interface Challenge {
  realm: string;
  nonce: string;
  nc: number;
}

/**
 * The client side of CPM 5.1.1.1: register, keep the registration alive by re-registering before
 * it expires, answer a Digest challenge (RFC 3261 22.2), and de-register. It is its own refresh
 * timer (an alarm: `fire` re-registers), so an idle registration keeps no timer or closure.
 */
export class Registration implements Alarm {
  /** The refresh's place in the event queue while it is armed (the simulator keeps it). */
  slot = -1;
  private readonly callId: string;
  private cseq = 0;
  private challenge: Challenge | undefined;
  /** Addresses of the user's other registered clients, from the last 200 OK (CPM C.1.2.2). */
  others: readonly string[] = NO_OTHERS;

  constructor(
    private readonly ports: RegistrationPorts,
    private readonly password: string,
    private readonly seconds: number,
  ) {
    this.callId = ports.stack.newCallId();
  }

  /** `password` overrides the provisioned one, to script a user who types it wrong. */
  register(password = this.password): void {
    this.send(this.seconds, password, false);
  }

  /** The refresh is due. */
  fire(): void {
    this.register();
  }

  deregister(): void {
    this.ports.sim.disarm(this);
    this.send(0, this.password, false);
  }

  private send(expires: number, password: string, afterChallenge: boolean): void {
    const { stack, aor, registrar, contact } = this.ports;
    const extra: Header[] = [{ name: 'Expires', value: String(expires) }];
    const authorization = this.authorization(password);
    if (authorization !== undefined) extra.push({ name: 'Authorization', value: authorization });
    const req = createRequest({
      method: 'REGISTER',
      uri: registrar,
      from: { uri: parseUri(aor), params: [{ name: 'tag', value: stack.newTag() }] },
      to: { uri: parseUri(aor), params: [] },
      callId: this.callId,
      cseq: ++this.cseq,
      contact,
      extra,
    });
    stack.request(req, this.ports.outboundProxy, (res) => this.answered(res, expires, password, afterChallenge));
  }

  private answered(res: SipResponse, expires: number, password: string, afterChallenge: boolean): void {
    if (res.status === 401 && !afterChallenge) {
      const params = parseDigest(header(res, 'WWW-Authenticate') ?? '');
      this.challenge = { realm: params.get('realm') ?? '', nonce: params.get('nonce') ?? '', nc: 0 };
      return this.send(expires, password, true);
    }
    if (res.status >= 300) {
      this.challenge = undefined;
      this.note(`registration failed: ${res.status}`);
      return;
    }
    if (expires === 0) {
      this.note('de-registered');
      return;
    }
    this.others = headers(res, 'Contact')
      .flatMap((value) => {
        const c = parseContacts(value);
        return c === '*' ? [] : c;
      })
      .filter((c) => !isSipUri(c.uri) || !isSipUri(this.ports.contact.uri) || c.uri.host !== this.ports.contact.uri.host)
      .map((c) => formatUri(c.uri));
    if (this.others.length === 0) this.others = NO_OTHERS;
    this.note(`registered (${this.others.length} other clients)`);
    const refreshIn = expires > 2 * REFRESH_MARGIN_SECONDS ? expires - REFRESH_MARGIN_SECONDS : Math.ceil(expires / 2);
    this.ports.sim.arm(this, this.ports.sim.now + refreshIn * SECOND);
  }

  private note(text: string): void {
    this.ports.net.note((this.ports.contact.uri as SipUri).host, text);
  }

  /** RFC 2617 3.2.2: credentials for the last challenge, counting each use of its nonce. */
  private authorization(password: string): string | undefined {
    const c = this.challenge;
    if (c === undefined) return undefined;
    c.nc++;
    const username = this.ports.aor.replace(/^sips?:/, '');
    const uri = formatUri(this.ports.registrar);
    const nc = c.nc.toString(16).padStart(8, '0');
    // The stream is made here, at the first challenge: most devices are never challenged. Its
    // name is the device's host, the host of the contact it registers (a SIP URI).
    const cnonce = this.ports.streams.stream(`${(this.ports.contact.uri as SipUri).host}/cnonce`).hex(16);
    return digestCredentials({ username, realm: c.realm, password, method: 'REGISTER', uri, nonce: c.nonce, nc, cnonce, qop: 'auth' });
  }
}
