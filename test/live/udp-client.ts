import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';

/**
 * A minimal SIP client over UDP on loopback for the live tests: it sends the text it is given and
 * keeps every packet it receives, so a test can wait for the one it expects.
 */
export class UdpClient {
  readonly received: string[] = [];
  private waiters: { test: (text: string) => boolean; resolve: (text: string) => void }[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (octets) => {
      const text = octets.toString('utf8');
      this.received.push(text);
      this.waiters = this.waiters.filter((w) => !(w.test(text) && (w.resolve(text), true)));
    });
  }

  static async open(): Promise<UdpClient> {
    return UdpClient.openAt(0);
  }

  /** Bound to a given port: the address a client registered from, after the client itself has gone. */
  static async openAt(port: number): Promise<UdpClient> {
    const socket = createSocket('udp4');
    socket.bind(port, '127.0.0.1');
    await once(socket, 'listening');
    return new UdpClient(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(text: string, port: number): void {
    this.socket.send(Buffer.from(text.replace(/\r?\n/g, '\r\n')), port, '127.0.0.1');
  }

  sendOctets(octets: Buffer, port: number): void {
    this.socket.send(octets, port, '127.0.0.1');
  }

  /** The first packet (already received or to come) that passes `test`; rejects after `ms` of real time. */
  next(test: (text: string) => boolean, ms = 5000): Promise<string> {
    const seen = this.received.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no packet matching within ${ms} ms; got:\n${this.received.join('\n---\n')}`)), ms);
      this.waiters.push({ test, resolve: (text) => (clearTimeout(timer), resolve(text)) });
    });
  }

  close(): void {
    this.socket.close();
  }
}

const CPM_TAG = '+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg,urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.session"';

/**
 * A REGISTER as a CPM client at 127.0.0.1:port writes it (with `cpm`, its instance id and feature
 * tag; `media`, the Contact feature tags of the Media Stream Types it takes part in, RFC 3840).
 */
export function registerText(user: string, domain: string, port: number, options: { cpm: boolean; branch?: string; callId?: string; cseq?: number; expires?: number; media?: string }): string {
  const contactParams = (options.cpm ? `;+sip.instance="<urn:uuid:00000000-0000-4000-8000-${String(port).padStart(12, '0')}>";${CPM_TAG}` : '') + (options.media ?? '');
  return [
    `REGISTER sip:${domain} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=${options.branch ?? `z9hG4bK-reg-${port}`};rport`,
    'Max-Forwards: 70',
    `From: <sip:${user}@${domain}>;tag=reg${port}`,
    `To: <sip:${user}@${domain}>`,
    `Call-ID: ${options.callId ?? `reg-${port}`}@127.0.0.1`,
    `CSeq: ${options.cseq ?? 1} REGISTER`,
    `Contact: <sip:${user}@127.0.0.1:${port}>${contactParams}`,
    `Expires: ${options.expires ?? 600}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** A pager-mode CPM Message (CPIM with an IMDN request, CPM 5.2.2.1) from a client at 127.0.0.1:port. */
export function cpmMessageText(from: string, to: string, port: number, text: string, id: string): string {
  const cpim = [`From: <sip:${from}>`, `To: <sip:${to}>`, 'DateTime: 2026-01-01T00:00:00.000Z', 'NS: imdn <urn:ietf:params:imdn>', `imdn.Message-ID: ${id}`, 'imdn.Disposition-Notification: positive-delivery', '', 'Content-Type: text/plain;charset=UTF-8', `Content-Length: ${Buffer.byteLength(text)}`, '', text].join('\r\n');
  return [
    `MESSAGE sip:${to} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-msg-${id};rport`,
    'Max-Forwards: 70',
    `From: <sip:${from}>;tag=msg${id}`,
    `To: <sip:${to}>`,
    `Call-ID: msg-${id}@127.0.0.1`,
    'CSeq: 1 MESSAGE',
    'Accept-Contact: *;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg"',
    'P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg',
    'Content-Type: message/cpim',
    `Content-Length: ${Buffer.byteLength(cpim)}`,
    '',
    cpim,
  ].join('\r\n');
}

export const statusOf = (text: string): number | undefined => {
  const m = /^SIP\/2\.0 (\d{3})/.exec(text);
  return m === null ? undefined : Number(m[1]);
};

/** 200 OK to a request, as a UAS writes it (RFC 3261 8.2.6.2): its Via, From, To (with a tag), Call-ID and CSeq. */
export function okFor(request: string): string {
  const head = request.slice(0, request.indexOf('\r\n\r\n')).split('\r\n');
  const copied = head.filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l)).map((l) => (/^To:/i.test(l) && !l.includes('tag=') ? `${l};tag=uas1` : l));
  return ['SIP/2.0 200 OK', ...copied, 'Content-Length: 0', '', ''].join('\r\n');
}
