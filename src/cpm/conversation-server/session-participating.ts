import type { RegContact } from '../../bodies/reginfo.js';
import { createResponse } from '../../sip/builders.js';
import { cloneMessage, pushHeader, type SipRequest, type SipResponse } from '../../sip/message.js';
import { createsDialog } from '../../sip/dialog.js';
import { proxyInDialog, proxyRequest } from '../../sip/proxy.js';
import { topRoute } from '../../sip/routing.js';
import type { ServerTransaction } from '../../sip/transactions/server-transaction.js';
import { isSipUri } from '../../sip/uri.js';
import { mediaFeatureTags, type MediaType } from '../session-media.js';
import { mediaTypes, sdpOf } from '../session-sdp.js';
import type { MediaRelay } from './media-relay.js';
import type { RtpRelay } from './rtp-relay.js';
import type { ServerPorts } from './ports.js';
import type { ServicePolicy, UserPreferences } from '../preferences.js';
import { refusedMedia } from './provider-policy.js';

/**
 * The Participating Function's control of CPM Session requests (CPM 5.2.3.1.1, 5.2.3.2.1.1,
 * 5.2.3.2.1.3). It forwards them on towards their target through the SIP/IP Core it got them from,
 * staying in the signalling path (Record-Route), so that requests within the session
 * (leaving, adding, removing, modifying, C.2.2 to C.2.4) pass it again. By the provider's policy
 * it stays out of the media path or in it, as an MSRP relay (C.2.1.1).
 */
export class SessionParticipation {
  constructor(
    private readonly ports: ServerPorts,
    /** The user's active registered contacts, from the reg event (CPM 5.1.1.1), earliest registered first. */
    private readonly contacts: (aor: string) => RegContact[],
    /** The user's preference document, read from the XDMS (CPM 5.4). */
    private readonly preferences: (aor: string, then: (preferences: UserPreferences) => void) => void,
    /** Present when the provider's policy keeps this function in the media path (C.2.1.1). */
    private readonly relay: MediaRelay | undefined,
    /** The provider's policy of session media (CPM 5.2.3.8). */
    private readonly policy: ServicePolicy,
    /** With RTP on and in the media path: the relay of the audio and video streams. */
    private readonly rtpRelay?: RtpRelay,
  ) {}

  /** CPM 5.2.3.1.1.1: originating service control, then on through the core. */
  originating(req: SipRequest, tx: ServerTransaction): void {
    if (this.refusesMedia(req, tx)) return;
    this.forward(req, tx);
  }

  /**
   * A request within a session (leaving, adding, modifying) goes on along its route set; in the
   * media path, a modification's descriptions pass through the relay as the first ones did.
   * Figures 12 and 13 steps 3 to 5: a modification is checked against the provider's policy first.
   */
  withinSession(req: SipRequest, tx: ServerTransaction): void {
    if (this.refusesMedia(req, tx)) return;
    proxyInDialog(this.ports.stack, tx, this.mediaOptions(req));
  }

  /**
   * CPM 5.2.3.8.1 and 5.2.3.8.2 NOTE 3: an offer of a Media Stream Type the provider does not allow
   * is refused 488 with warn-code 304 (RFC 3261 21.4.26, 20.43); a refused modification leaves the
   * session with the streams it had (RFC 3261 14.1). cpmsim refuses the whole offer rather than
   * trimming it to the allowed streams (docs/spec-notes.md).
   */
  private refusesMedia(req: SipRequest, tx: ServerTransaction): boolean {
    const refused = refusedMedia(req, this.policy);
    if (refused.length === 0) return false;
    this.ports.note(`refused an offer of ${refused.join(', ')}: not allowed by the service provider's policy`);
    const warning = `304 ${this.ports.host} "Media type not available: ${refused.join(', ')}"`;
    tx.respond(createResponse(req, 488, { toTag: this.ports.stack.newTag(), extra: [{ name: 'Warning', value: warning }] }));
    return true;
  }

  /**
   * CPM 5.2.3.2.1.3: of the invited user's clients, those that cannot take part in any offered
   * Media Stream, those the user's preferences leave out, and those past the provider's limit are
   * marked not eligible by their Unique User Agent Identifier (RFC 3841 Reject-Contact), and the
   * core forks to the others. The preferences matter only when several clients are registered, so
   * only then are they read from the XDMS. Of the ALERTING responses only the first goes upstream
   * (C.2.1.2.3 step 12).
   */
  terminating(req: SipRequest, tx: ServerTransaction, aor: string): void {
    if (this.refusesMedia(req, tx)) return;
    const devices = this.contacts(aor);
    // No preference can make a client take part in streams it cannot: then there is nothing to read.
    if (req.method !== 'INVITE' || devices.length < 2 || this.capable(req, devices).length === 0) return this.invite(req, tx, aor, devices, undefined);
    this.preferences(aor, (prefs) => this.invite(req, tx, aor, this.contacts(aor), prefs));
  }

  private capable(req: SipRequest, devices: RegContact[]): RegContact[] {
    if (req.method !== 'INVITE') return devices;
    const sdp = sdpOf(req);
    const offered = sdp === undefined ? [] : mediaTypes(sdp);
    return devices.filter((c) => offered.some((m) => canTakePart(c, m)));
  }

  private invite(req: SipRequest, tx: ServerTransaction, aor: string, devices: RegContact[], prefs: UserPreferences | undefined): void {
    const user = aor.replace(/^sip:/, '');
    const capable = this.capable(req, devices);
    if (capable.length === 0) {
      const sdp = sdpOf(req);
      this.ports.note(`no client of ${user} supports ${(sdp === undefined ? [] : mediaTypes(sdp)).join(', ')}`);
      return tx.respond(createResponse(req, 488, { toTag: this.ports.stack.newTag() }));
    }
    const wanted = prefs?.sessionDevices;
    const preferred = wanted === undefined ? capable : capable.filter((c) => wanted.includes(instanceUrn(c) ?? ''));
    if (preferred.length === 0) {
      // The user takes sessions on none of the clients that could take part: unavailable for it.
      this.ports.note(`user preferences (XDMS): ${user} takes sessions on none of ${capable.map(contactName).join(', ')}`);
      return tx.respond(createResponse(req, 480, { toTag: this.ports.stack.newTag() }));
    }
    const limit = this.policy.maxSessionDevices;
    const eligible = limit === undefined ? preferred : preferred.slice(0, limit);
    const out = cloneMessage(req);
    const excluded = devices.filter((c) => !eligible.includes(c));
    for (const c of excluded) {
      const instance = instanceOf(c);
      if (instance !== undefined) pushHeader(out, 'Reject-Contact', `*;+sip.instance=${instance}`);
    }
    if (excluded.length > 0) this.ports.note(`not eligible: ${excluded.map(contactName).join(', ')}`);
    let alerted = false;
    this.forward(out, tx, {
      relayProvisional: (res) => {
        if (res.status !== 180) return true;
        if (alerted) this.ports.note('holds back a second ALERTING');
        const first = !alerted;
        alerted = true;
        return first;
      },
    });
  }

  private forward(req: SipRequest, tx: ServerTransaction, options: { relayProvisional?: (res: SipResponse) => boolean } = {}): void {
    const next = topRoute(req);
    const nextHop = next !== undefined && isSipUri(next) ? next.host : this.ports.coreHost;
    const request = cloneMessage(req);
    proxyRequest(this.ports.stack, tx, [{ request, nextHop }], { ...options, ...this.mediaOptions(request), recordRoute: createsDialog(req.method) });
  }

  /**
   * In the media path, the offer (in the INVITE) and the answer (in its 2xx) name the relay. The
   * request is the copy this element sends on, and a body is replaced, never changed in place.
   */
  private mediaOptions(req: SipRequest): { onFinal?: (res: SipResponse) => boolean } {
    const relay = this.relay;
    if (relay === undefined || req.method !== 'INVITE') return {};
    const body = relay.throughRelay(req.body);
    const rtp = this.rtpRelay?.offer(body);
    if (body !== undefined) req.body = rtp?.body ?? body;
    return {
      onFinal: (res) => {
        const answer = res.status < 300 ? relay.throughRelay(res.body) : undefined;
        if (answer !== undefined) res.body = rtp?.answer(answer) ?? answer;
        return false;
      },
    };
  }
}

/** A device takes part in a stream type when it registered the type's feature tag. */
function canTakePart(contact: RegContact, media: MediaType): boolean {
  const tags = mediaFeatureTags([media]).map((t) => t.name);
  return contact.unknownParams.some((p) => tags.includes(p.name));
}

function instanceOf(contact: RegContact): string | undefined {
  return contact.unknownParams.find((p) => p.name === '+sip.instance')?.value;
}

/** The URN inside the quoted `"<...>"` of the contact's +sip.instance (RFC 5626 4.1). */
function instanceUrn(contact: RegContact): string | undefined {
  return /^"<(.*)>"$/.exec(instanceOf(contact) ?? '')?.[1];
}

function contactName(contact: RegContact): string {
  return contact.uri.replace(/^sip:/, '');
}

