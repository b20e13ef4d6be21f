import type { SessionDescription } from 'sdp-transform';
import type { Body } from '../../bodies/body.js';
import type { MsrpMessage, MsrpRequest } from '../../msrp/message.js';
import { msrpMediaLine, readMsrpMedia } from '../../msrp/sdp.js';
import { sameMsrpUri, type MsrpUri } from '../../msrp/uri.js';
import { failureReport, MsrpSends, wantsFailureReport } from '../../msrp/transactions.js';
import { sendResponse } from '../session-msrp.js';
import { oversizeSend } from './provider-policy.js';
import type { ServerPorts } from './ports.js';

/**
 * A Participating Function in the media path of its users' sessions (C.2.1.1, CPM 5.2.3.9), as
 * an MSRP relay (RFC 4976): every session description it forwards gets its relay URI in front of
 * the a=path of the message stream, so both ends send through it; it takes each SEND off its hop
 * (answering it, RFC 4975 7.2) and sends it on to the next URI of the To-Path, itself added to the
 * From-Path.
 */
export class MediaRelay {
  private readonly own: MsrpUri[] = [];
  /** SENDs sent on, with the SEND as it came in (whose sender a failure is reported to). */
  private readonly sends: MsrpSends<{ received: MsrpRequest; self: MsrpUri }>;

  constructor(
    private readonly ports: ServerPorts,
    /** The provider's maximum size of a message (ServicePolicy.maxMessageSize), which the relay enforces in sessions. */
    private readonly maxMessageSize?: number,
  ) {
    this.sends = new MsrpSends(ports.sim);
  }

  /** The body with this relay in the message stream's path, or the body as it was. */
  throughRelay(body: Body | undefined): Body | undefined {
    if (body?.kind !== 'sdp') return body;
    const sdp: SessionDescription = {
      ...body.sdp,
      media: body.sdp.media.map((m) => {
        const msrp = m.port === 0 ? undefined : readMsrpMedia(m);
        if (msrp === undefined) return m;
        const hop: MsrpUri = { secure: false, host: this.ports.host, port: 2855, sessionId: this.ports.rng.hex(10), transport: 'tcp' };
        this.own.push(hop);
        // RFC 4975 8.6: the relay refuses messages over the provider's maximum, so the path it
        // offers takes no larger ones, whatever the end behind it would.
        const maxSize = this.maxMessageSize === undefined ? msrp.maxSize : Math.min(msrp.maxSize ?? this.maxMessageSize, this.maxMessageSize);
        const line = msrpMediaLine({ ...msrp, path: [hop, ...msrp.path], ...(maxSize !== undefined && { maxSize }) });
        // RFC 4975 8.1: the m-line keeps the endpoint's port; the path says where to connect.
        return { ...line, port: m.port };
      }),
    };
    return { ...body, sdp };
  }

  /** Whether an MSRP message is on a hop of this relay. */
  relays(msg: MsrpMessage): boolean {
    const next = msg.toPath[0];
    return next !== undefined && this.own.some((u) => sameMsrpUri(u, next));
  }

  /**
   * RFC 4976 7.1: answer the hop, then send the request on; a response ends at this hop. A REPORT
   * is never answered (RFC 4975 7.1.2), only sent on.
   */
  forward(msg: MsrpMessage, fromHost: string): void {
    if (msg.type === 'msrp-response') {
      const sent = this.sends.answered(msg);
      if (msg.status < 300) return;
      this.ports.note(`next MSRP hop answered ${msg.status}`);
      if (sent !== undefined) this.reportFailure(sent.received, sent.self, msg.status);
      return;
    }
    const [self, next, ...rest] = msg.toPath;
    const report = msg.method === 'REPORT';
    if (next === undefined) return report ? undefined : this.ports.sendMedia(fromHost, sendResponse(msg, 481, 'No Next Hop'));
    // RFC 4975 10.5: a message over the size the relay advertised (the provider's maximum) goes no further.
    const size = report ? undefined : oversizeSend(msg, this.maxMessageSize);
    if (size !== undefined) {
      this.ports.note(`refused a session message of ${size} octets: the service provider's maximum is ${this.maxMessageSize}`);
      return this.ports.sendMedia(fromHost, sendResponse(msg, 413, 'Message Too Large'));
    }
    if (!report) this.ports.sendMedia(fromHost, sendResponse(msg, 200, 'OK'));
    const onward: MsrpRequest = { ...msg, transactionId: this.ports.rng.hex(12), toPath: [next, ...rest], fromPath: [self!, ...msg.fromPath] };
    if (!report) {
      this.sends.sent(onward, { received: msg, self: self! }, ({ received }) => {
        this.ports.note(`no MSRP response from ${next.host} within 30 s`);
        this.reportFailure(received, self!, 408);
      });
    }
    this.ports.sendMedia(next.host, onward);
  }

  /** RFC 4975 7.1.2: the relay took the SEND (200), so its failure further on goes back as a REPORT. */
  private reportFailure(received: MsrpRequest, self: MsrpUri, status: number): void {
    if (received.method !== 'SEND' || !wantsFailureReport(received)) return;
    this.ports.sendMedia(received.fromPath[0]!.host, failureReport(this.ports.rng, received, self, status));
  }
}
