import type { Timer } from '../../kernel/simulator.js';
import { SECOND, type Micros } from '../../kernel/time.js';
import { MM7_STATUS, mm7ToTel, telToMm7, type Mm7Content, type Mm7Message, type Mm7Request, type Mm7Response } from '../../mm7/message.js';
import { MM7_RESPONSE_TIMER } from '../../mm7/timers.js';
import type { NetNode } from '../../net/node.js';
import { isSip, type WirePayload } from '../../wire/payload.js';
import type { ActorContext } from '../actor.js';
import { iwfHost, mmsHost } from '../naming.js';

/** A multimedia message as a handset of the MMS network retrieved it. */
export interface RetrievedMms {
  from: string;
  content: Mm7Content;
}

/** How long the relay keeps trying to deliver a message or a report (its default expiry, TS 23.140 7.1.2.1). */
const VALIDITY: Micros = 600 * SECOND;

/** A request this relay sent and is waiting on, with the response timer of its latest copy. */
interface Outgoing {
  to: string;
  request: Mm7Request;
  until: Micros;
  timer?: Timer;
}

/**
 * An MMS Relay/Server (3GPP TS 23.140 6.1) with its subscribers' handsets, reached by Interworking
 * Functions over MM7 as value-added services. It takes a submission (SubmitRsp, with the MessageID
 * it gave it, or 2002 for a number it does not serve), has the handset retrieve it, and sends the
 * delivery report asked for (DeliveryReportReq, TS 23.140 8.7.3.2). A handset's MMS to a CPM user's
 * number goes to the Interworking Function of that user's domain, found through ENUM
 * (DeliverReq). A request not answered within the response timer is sent again until the
 * message's expiry: the relay stores and forwards.
 */
export class MmsRelay implements NetNode<WirePayload> {
  readonly host: string;
  /** Each handset's retrieved messages, by number (`tel:+1555...`). */
  readonly handsets = new Map<string, RetrievedMms[]>();
  private readonly outgoing = new Map<string, Outgoing>();
  private readonly ids;

  constructor(
    readonly domain: string,
    numbers: string[],
    private readonly ctx: ActorContext,
    /** How long a handset takes to retrieve a message after its notification. */
    private readonly retrieval: Micros = 2 * SECOND,
  ) {
    this.host = mmsHost(domain);
    for (const n of numbers) this.handsets.set(n, []);
    this.ids = ctx.streams.stream(`${this.host}/ids`);
    ctx.net.attach(this);
  }

  serves(number: string): boolean {
    return this.handsets.has(number);
  }

  receive(payload: WirePayload, fromHost: string): void {
    if (isSip(payload) || payload.protocol !== 'mm7') return this.note(`ignored a non-MM7 message from ${fromHost}`);
    if (payload.type === 'mm7-response') return this.answered(payload);
    const op = payload.operation;
    if (op.kind !== 'SubmitReq') return this.respond(fromHost, payload, { kind: op.kind === 'DeliverReq' ? 'DeliverRsp' : 'DeliveryReportRsp', statusCode: MM7_STATUS.CLIENT_ERROR, statusText: 'Operation not supported by an MMS Relay/Server' });
    const to = mm7ToTel(op.recipient);
    if (!this.serves(to)) {
      this.note(`refused an MMS to unknown number ${to}`);
      return this.respond(fromHost, payload, { kind: 'SubmitRsp', statusCode: MM7_STATUS.ADDRESS_ERROR, statusText: 'Address Error' });
    }
    const messageId = this.ids.hex(10);
    this.respond(fromHost, payload, { kind: 'SubmitRsp', statusCode: MM7_STATUS.SUCCESS, statusText: 'Success', messageId });
    this.ctx.sim.schedule(this.retrieval, () => {
      this.handsets.get(to)!.push({ from: mm7ToTel(op.sender), content: op.content });
      this.note(`MMS retrieved by ${to} (${op.content.contentType.split(';')[0]})`);
      if (!op.deliveryReport) return;
      // TS 23.140 8.7.3.2: the report goes to the value-added service that submitted the message.
      this.request(fromHost, {
        kind: 'DeliveryReportReq',
        relayServerId: this.host,
        messageId,
        recipient: op.recipient,
        sender: op.sender,
        date: this.date(),
        mmStatus: 'Retrieved',
      });
    });
  }

  /** A subscriber sends an MMS from its handset to a CPM user's number (C.4.2 step 1). */
  originate(from: string, to: string, text: string): void {
    const aor = this.ctx.directory.enum.get(to);
    const domain = aor?.slice(aor.indexOf('@') + 1);
    const iwf = domain === undefined ? undefined : iwfHost('mms', domain);
    if (iwf === undefined || !this.ctx.net.has(iwf)) return this.note(`no route for an MMS to ${to}`);
    this.request(iwf, {
      kind: 'DeliverReq',
      relayServerId: this.host,
      linkedId: this.ids.hex(10),
      sender: telToMm7(from),
      recipient: telToMm7(to),
      timeStamp: this.date(),
      subject: text.slice(0, 40),
      content: { contentType: 'text/plain;charset=UTF-8', text },
    });
  }

  private request(to: string, operation: Mm7Request['operation']): void {
    const request: Mm7Request = { protocol: 'mm7', type: 'mm7-request', client: this.host, host: to, transactionId: this.ids.hex(12), operation };
    const outgoing: Outgoing = { to, request, until: this.ctx.sim.now + VALIDITY };
    this.outgoing.set(request.transactionId, outgoing);
    this.sendCopy(outgoing);
  }

  /** The request again after the response timer, until the expiry (store and forward, TS 23.140 7.1.2.1). */
  private sendCopy(o: Outgoing): void {
    o.timer = this.ctx.sim.schedule(MM7_RESPONSE_TIMER, () => {
      if (this.ctx.sim.now + MM7_RESPONSE_TIMER <= o.until) return this.sendCopy(o);
      this.outgoing.delete(o.request.transactionId);
      this.note(`no ${o.request.operation.kind === 'DeliverReq' ? 'DeliverRsp' : 'DeliveryReportRsp'} from ${o.to} before the expiry: gives up`);
    });
    this.send(o.to, o.request);
  }

  private answered(res: Mm7Response): void {
    const o = this.outgoing.get(res.transactionId);
    if (o === undefined) return;
    this.outgoing.delete(res.transactionId);
    o.timer?.cancel();
    if ('statusCode' in res.operation && res.operation.statusCode !== MM7_STATUS.SUCCESS) this.note(`${res.operation.kind} ${res.operation.statusCode} from ${o.to}`);
  }

  private respond(to: string, req: Mm7Request, operation: Mm7Response['operation']): void {
    this.send(to, { protocol: 'mm7', type: 'mm7-response', client: req.client, status: 200, transactionId: req.transactionId, operation });
  }

  private send(to: string, m: Mm7Message): void {
    this.ctx.net.send(this.host, to, m);
  }

  /** TS 23.140 8.7: dates as XML Schema dateTime. */
  private date(): string {
    return new Date(this.ctx.epochMs + Math.floor(this.ctx.sim.now / 1000)).toISOString();
  }

  private note(text: string): void {
    this.ctx.net.note(this.host, text);
  }
}
