import { describe, expect, it } from 'vitest';
import { createResponse } from '../../src/sip/builders.js';
import { createDialogResponse, createsDialog, Dialog, inDialog } from '../../src/sip/dialog.js';
import { cloneMessage, header, headers, pushHeader, type SipRequest, type SipResponse } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parser.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { formatUri, sipUri } from '../../src/sip/uri.js';
import { invite } from './transactions/sip-net.js';

/** Round trip of the message as the stack sends it (a request gets its Via there). */
const roundTrips = (m: SipRequest | SipResponse): void => {
  const wire = cloneMessage(m);
  if (wire.type === 'request') pushHeader(wire, 'Via', 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKrt');
  expect(parseMessage(serializeMessage(wire))).toEqual(wire);
};

/** The INVITE as it reached the UAS through p1 then p2, each having record-routed. */
function arrivedInvite(): SipRequest {
  const req = invite({ cseq: 4 });
  req.headers = [{ name: 'Via', value: 'SIP/2.0/UDP p2.example.com;branch=z9hG4bK2' },
    { name: 'Via', value: 'SIP/2.0/UDP p1.example.com;branch=z9hG4bK1' },
    { name: 'Via', value: 'SIP/2.0/UDP uac.example.com;branch=z9hG4bK0' },
    { name: 'Record-Route', value: '<sip:p2.example.com;lr>' },
    { name: 'Record-Route', value: '<sip:p1.example.com;lr>' }, ...req.headers];
  return req;
}

const bobContact = { uri: sipUri('bob', 'uas.example.com'), params: [] };

describe('Dialog as UAS (RFC 3261 12.1.1)', () => {
  it('a dialog response copies Record-Route in order and carries the Contact', () => {
    const res = createDialogResponse(arrivedInvite(), 200, { toTag: 'b1', contact: bobContact });
    expect(headers(res, 'Record-Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    expect(header(res, 'Contact')).toBe('<sip:bob@uas.example.com>');
    expect(header(res, 'To')).toBe('<sip:bob@example.com>;tag=b1');
    roundTrips(res);
  });

  it('a dialog response carries the reason phrase it is given, else the default one (RFC 3261 21.1.2)', () => {
    expect(createDialogResponse(arrivedInvite(), 183, { toTag: 'b1', contact: bobContact, reason: 'Early Media' }).reason).toBe('Early Media');
    expect(createDialogResponse(arrivedInvite(), 180, { toTag: 'b1', contact: bobContact }).reason).toBe('Ringing');
  });

  it('takes the route set in order, the remote target from the request Contact, the remote CSeq', () => {
    const req = arrivedInvite();
    const dialog = Dialog.asUas(req, createDialogResponse(req, 180, { toTag: 'b1', contact: bobContact }));
    expect(dialog.state).toBe('early');
    expect(dialog.id).toEqual({ callId: 'inv-1@example.com', localTag: 'b1', remoteTag: 'a1' });
    expect(dialog.routeSet.map((r) => formatUri(r.uri))).toEqual(['sip:p2.example.com;lr', 'sip:p1.example.com;lr']);
    expect(formatUri(dialog.remoteTarget)).toBe('sip:alice@uac.example.com');
    expect(dialog.remoteSeq).toBe(4);
    expect(dialog.localSeq).toBeUndefined();
    expect(formatUri(dialog.localUri)).toBe('sip:bob@example.com');
    expect(formatUri(dialog.remoteUri)).toBe('sip:alice@example.com');
  });

  it('its first request (a BYE) starts the local CSeq at 1 and goes to the first route', () => {
    const req = arrivedInvite();
    const dialog = Dialog.asUas(req, createDialogResponse(req, 200, { toTag: 'b1', contact: bobContact }));
    const bye = dialog.createRequest('BYE');
    expect(bye.uri).toEqual(sipUri('alice', 'uac.example.com'));
    expect(header(bye, 'From')).toBe('<sip:bob@example.com>;tag=b1');
    expect(header(bye, 'To')).toBe('<sip:alice@example.com>;tag=a1');
    expect(header(bye, 'CSeq')).toBe('1 BYE');
    expect(headers(bye, 'Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    expect(headers(bye, 'Via')).toEqual([]);
    expect(dialog.nextHop()).toBe('p2.example.com');
    roundTrips(bye);
  });

  it('rejects a request with a lower CSeq than the last with 500, and takes a target refresh', () => {
    const req = arrivedInvite();
    const dialog = Dialog.asUas(req, createDialogResponse(req, 200, { toTag: 'b1', contact: bobContact }));
    const inDialog = (method: string, cseq: number, contactHost?: string): SipRequest => {
      const r = invite({ cseq, ...(contactHost !== undefined && { contactHost }) });
      r.method = method;
      r.headers = r.headers.map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: `${cseq} ${method}` } : h));
      return r;
    };
    expect(dialog.receiveRequest(inDialog('ACK', 4))).toBeUndefined();
    expect(dialog.receiveRequest(inDialog('INFO', 3))).toBe(500);
    expect(dialog.remoteSeq).toBe(4);
    expect(dialog.receiveRequest(inDialog('INVITE', 5, 'moved.example.com'))).toBeUndefined();
    expect(dialog.remoteSeq).toBe(5);
    expect(formatUri(dialog.remoteTarget)).toBe('sip:alice@moved.example.com');
    expect(dialog.receiveRequest(inDialog('BYE', 9, 'ignored.example.com'))).toBeUndefined();
    expect(dialog.remoteSeq).toBe(9);
    expect(formatUri(dialog.remoteTarget)).toBe('sip:alice@moved.example.com');
    expect(dialog.receiveRequest(inDialog('BYE', 8))).toBe(500);
  });

  it('matches requests by Call-ID and both tags', () => {
    const req = arrivedInvite();
    const dialog = Dialog.asUas(req, createDialogResponse(req, 200, { toTag: 'b1', contact: bobContact }));
    const bye = invite();
    bye.headers = bye.headers.map((h) => (h.name === 'To' ? { name: 'To', value: '<sip:bob@example.com>;tag=b1' } : h));
    expect(dialog.matches(bye)).toBe(true);
    expect(dialog.matches(invite())).toBe(false);
  });
});

describe('Dialog as UAC (RFC 3261 12.1.2)', () => {
  /** The 2xx as it reaches the UAC: Record-Route copied by the UAS, p2 on top. */
  function ok(): SipResponse {
    return createDialogResponse(arrivedInvite(), 200, { toTag: 'b1', contact: bobContact });
  }

  it('reverses Record-Route into the route set and targets the response Contact', () => {
    const req = invite({ cseq: 4 });
    const dialog = Dialog.asUac(req, ok());
    expect(dialog.state).toBe('confirmed');
    expect(dialog.id).toEqual({ callId: 'inv-1@example.com', localTag: 'a1', remoteTag: 'b1' });
    expect(dialog.routeSet.map((r) => formatUri(r.uri))).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@uas.example.com');
    expect(dialog.localSeq).toBe(4);
    expect(dialog.remoteSeq).toBeUndefined();
    expect(dialog.nextHop()).toBe('p1.example.com');
  });

  it('builds a BYE with the next CSeq, the remote target as Request-URI and the route set as Route (12.2.1.1)', () => {
    const req = invite({ cseq: 4 });
    const dialog = Dialog.asUac(req, ok());
    const bye = dialog.createRequest('BYE', { extra: [{ name: 'Reason', value: 'SIP;cause=200' }] });
    expect(bye.method).toBe('BYE');
    expect(formatUri(bye.uri)).toBe('sip:bob@uas.example.com');
    expect(header(bye, 'From')).toBe('<sip:alice@example.com>;tag=a1');
    expect(header(bye, 'To')).toBe('<sip:bob@example.com>;tag=b1');
    expect(header(bye, 'Call-ID')).toBe('inv-1@example.com');
    expect(header(bye, 'CSeq')).toBe('5 BYE');
    expect(header(bye, 'Max-Forwards')).toBe('70');
    expect(headers(bye, 'Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(header(bye, 'Reason')).toBe('SIP;cause=200');
    expect(header(dialog.createRequest('INFO'), 'CSeq')).toBe('6 INFO');
    roundTrips(bye);
  });

  it('builds the ACK for a 2xx with the INVITE CSeq number and without Via (13.2.2.4)', () => {
    const req = invite({ cseq: 4 });
    const okRes = ok();
    const dialog = Dialog.asUac(req, okRes);
    const ack = dialog.createAck(okRes);
    expect(ack.method).toBe('ACK');
    expect(formatUri(ack.uri)).toBe('sip:bob@uas.example.com');
    expect(header(ack, 'CSeq')).toBe('4 ACK');
    expect(headers(ack, 'Via')).toEqual([]);
    expect(headers(ack, 'Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(dialog.localSeq).toBe(4);
    expect(() => dialog.createRequest('ACK')).toThrow(/createAck/);
    roundTrips(ack);
  });

  it('an early dialog from a 1xx with a tag is confirmed by the 2xx, whose Record-Route and Contact win', () => {
    const req = invite({ cseq: 1 });
    const ringing = createResponse(req, 180, {
      toTag: 'b1',
      extra: [
        { name: 'Record-Route', value: '<sip:early.example.com;lr>' },
        { name: 'Contact', value: '<sip:bob@early-ua.example.com>' },
      ],
    });
    const dialog = Dialog.asUac(req, ringing);
    expect(dialog.state).toBe('early');
    expect(dialog.nextHop()).toBe('early.example.com');
    dialog.confirm(ok());
    expect(dialog.state).toBe('confirmed');
    expect(dialog.routeSet.map((r) => formatUri(r.uri))).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
    expect(formatUri(dialog.remoteTarget)).toBe('sip:bob@uas.example.com');
  });

  it('without Record-Route sends in-dialog requests straight to the remote target', () => {
    const req = invite();
    const ok = createResponse(req, 200, { toTag: 'b1', extra: [{ name: 'Contact', value: '<sip:bob@uas.example.com>' }] });
    const dialog = Dialog.asUac(req, ok);
    const bye = dialog.createRequest('BYE');
    expect(headers(bye, 'Route')).toEqual([]);
    expect(dialog.nextHop()).toBe('uas.example.com');
  });

  it('with a strict router first puts that route in the Request-URI and the remote target last in Route', () => {
    const req = invite();
    const ok = createResponse(req, 200, {
      toTag: 'b1',
      extra: [
        { name: 'Record-Route', value: '<sip:p2.example.com;lr>, <sip:strict.example.com>' },
        { name: 'Contact', value: '<sip:bob@uas.example.com>' },
      ],
    });
    const dialog = Dialog.asUac(req, ok);
    const bye = dialog.createRequest('BYE');
    expect(formatUri(bye.uri)).toBe('sip:strict.example.com');
    expect(headers(bye, 'Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:bob@uas.example.com>']);
    expect(dialog.nextHop()).toBe('strict.example.com');
  });

  it('refuses to make a dialog from a response without To tag or Contact', () => {
    const req = invite();
    expect(() => Dialog.asUac(req, createResponse(req, 200))).toThrow(/To tag/);
    expect(() => Dialog.asUac(req, createResponse(req, 200, { toTag: 'x' }))).toThrow(/Contact/);
  });

  it('refuses to make a dialog, UAC or UAS side, from a request whose From has no tag (RFC 3261 8.1.1.3)', () => {
    const req = invite();
    req.headers = req.headers.map((h) => (h.name === 'From' ? { name: h.name, value: '"Alice" <sip:alice@example.com>' } : h));
    const res = createDialogResponse(req, 200, { toTag: 'b1', contact: bobContact });
    expect(() => Dialog.asUac(req, res)).toThrow('a dialog needs a From tag and a To tag');
    expect(() => Dialog.asUas(req, res)).toThrow('a dialog needs a From tag and a To tag');
  });

  it('refuses to make a UAS dialog from a response without To tag', () => {
    const req = invite();
    expect(() => Dialog.asUas(req, createResponse(req, 200, { extra: [{ name: 'Contact', value: '<sip:bob@uas.example.com>' }] }))).toThrow('a dialog needs a From tag and a To tag');
  });
});

describe('Dialog for SUBSCRIBE/NOTIFY (RFC 6665)', () => {
  it('is made from the 2xx to a SUBSCRIBE, counts NOTIFYs and takes their Contact as target refresh', () => {
    const subscribe = invite({ cseq: 3 });
    subscribe.method = 'SUBSCRIBE';
    subscribe.headers = subscribe.headers.map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: '3 SUBSCRIBE' } : h));
    const ok = createResponse(subscribe, 202, { toTag: 'n1', extra: [{ name: 'Contact', value: '<sip:presence@notifier.example.com>' }] });
    const dialog = Dialog.asUac(subscribe, ok);
    const notify = (seq: number, contactHost: string): SipRequest => {
      const n = invite({ cseq: seq, contactHost });
      n.method = 'NOTIFY';
      n.headers = n.headers.map((h) =>
        h.name === 'CSeq'
          ? { name: 'CSeq', value: `${seq} NOTIFY` }
          : h.name === 'From'
            ? { name: 'From', value: '<sip:bob@example.com>;tag=n1' }
            : h.name === 'To'
              ? { name: 'To', value: '<sip:alice@example.com>;tag=a1' }
              : h,
      );
      return n;
    };
    expect(dialog.matches(notify(1, 'x.example.com'))).toBe(true);
    expect(dialog.receiveRequest(notify(1, 'moved.example.com'))).toBeUndefined();
    expect(dialog.receiveRequest(notify(2, 'moved.example.com'))).toBeUndefined();
    expect(dialog.receiveRequest(notify(1, 'old.example.com'))).toBe(500);
    const refresh = dialog.createRequest('SUBSCRIBE', { extra: [{ name: 'Event', value: 'presence' }, { name: 'Expires', value: '0' }] });
    expect(formatUri(refresh.uri)).toBe('sip:alice@moved.example.com');
    expect(header(refresh, 'CSeq')).toBe('4 SUBSCRIBE');
    expect(dialog.nextHop()).toBe('moved.example.com');
    roundTrips(refresh);
  });
});

const TEXT = { kind: 'text' as const, contentType: 'text/plain', text: 'hi' };

/** A request of the dialog the UAS side of `invite()` made, as the UAC sends it. */
function inDialogRequest(method: string, cseq: number, change: { callId?: string; fromTag?: string; toTag?: string } = {}): SipRequest {
  const r = invite({ cseq, ...(change.callId !== undefined && { callId: change.callId }) });
  r.method = method;
  r.headers = r.headers.map((h) =>
    h.name === 'CSeq' ? { name: 'CSeq', value: `${cseq} ${method}` }
    : h.name === 'To' ? { name: 'To', value: `<sip:bob@example.com>;tag=${change.toTag ?? 'b1'}` }
    : h.name === 'From' ? { name: 'From', value: `<sip:alice@example.com>;tag=${change.fromTag ?? 'a1'}` }
    : h,
  );
  return r;
}

const uasDialog = (status = 200): Dialog => {
  const req = invite({ cseq: 4 });
  return Dialog.asUas(req, createDialogResponse(req, status, { toTag: 'b1', contact: bobContact }));
};

describe('which requests make and belong to dialogs (RFC 3261 12.1, 12.2; RFC 6665 4.1)', () => {
  it('INVITE and SUBSCRIBE create dialogs; MESSAGE, REGISTER, OPTIONS do not', () => {
    expect(['INVITE', 'SUBSCRIBE', 'MESSAGE', 'REGISTER', 'OPTIONS'].map(createsDialog)).toEqual([true, true, false, false, false]);
  });

  it('a request is in a dialog when its To has a tag', () => {
    expect(inDialog(invite())).toBe(false);
    expect(inDialog(inDialogRequest('BYE', 5))).toBe(true);
    const noTo = invite();
    noTo.headers = noTo.headers.filter((h) => h.name !== 'To');
    expect(inDialog(noTo)).toBe(false);
  });
});

describe('a dialog as requests and responses change it', () => {
  it('is confirmed at once when the UAS sends a 2xx, early after a 1xx', () => {
    expect(uasDialog(200).state).toBe('confirmed');
    expect(uasDialog(183).state).toBe('early');
  });

  it('is matched by Call-ID, its local tag in To and its remote tag in From, each of them', () => {
    const d = uasDialog();
    expect(d.matches(inDialogRequest('BYE', 5))).toBe(true);
    expect(d.matches(inDialogRequest('BYE', 5, { callId: 'other@example.com' }))).toBe(false);
    expect(d.matches(inDialogRequest('BYE', 5, { toTag: 'b2' }))).toBe(false);
    expect(d.matches(inDialogRequest('BYE', 5, { fromTag: 'a2' }))).toBe(false);
  });

  it('takes a request whose CSeq equals the remote sequence number; only a lower one is out of order (12.2.2)', () => {
    const d = uasDialog();
    expect(d.receiveRequest(inDialogRequest('INFO', 4))).toBeUndefined();
    expect(d.receiveRequest(inDialogRequest('INFO', 3))).toBe(500);
  });

  it('never counts ACK or CANCEL, which carry the INVITE number, even after later requests', () => {
    const d = uasDialog();
    expect(d.receiveRequest(inDialogRequest('INVITE', 5))).toBeUndefined();
    expect(d.receiveRequest(inDialogRequest('INFO', 6))).toBeUndefined();
    expect(d.receiveRequest(inDialogRequest('ACK', 5))).toBeUndefined();
    expect(d.receiveRequest(inDialogRequest('CANCEL', 5))).toBeUndefined();
    expect(d.remoteSeq).toBe(6);
  });

  it('a UAC dialog is confirmed by the first 2xx only: a provisional, an error or a second 2xx changes nothing (13.2.2.4)', () => {
    const req = invite({ cseq: 1 });
    const early = (status: number, host: string) => createResponse(req, status, { toTag: 'b1', extra: [{ name: 'Contact', value: `<sip:bob@${host}>` }] });
    const d = Dialog.asUac(req, early(180, 'early.example.com'));
    d.confirm(early(183, 'provisional.example.com'));
    d.confirm(early(300, 'moved.example.com'));
    d.confirm(early(486, 'busy.example.com'));
    expect(d.state).toBe('early');
    expect(formatUri(d.remoteTarget)).toBe('sip:bob@early.example.com');
    d.confirm(early(200, 'first.example.com'));
    d.confirm(early(200, 'second.example.com'));
    expect(d.state).toBe('confirmed');
    expect(formatUri(d.remoteTarget)).toBe('sip:bob@first.example.com');
  });

  it('puts Contact and body in an in-dialog request only when given, and refuses to make CANCEL itself', () => {
    const d = uasDialog();
    const plain = d.createRequest('INFO');
    expect(header(plain, 'Contact')).toBeUndefined();
    expect(plain.body).toBeUndefined();
    const full = d.createRequest('UPDATE', { contact: bobContact, body: TEXT });
    expect(header(full, 'Contact')).toBe('<sip:bob@uas.example.com>');
    expect(full.body).toEqual(TEXT);
    expect(() => d.createRequest('CANCEL')).toThrow(/CANCEL takes the INVITE's CSeq/);
  });

  it('refuses a next hop that is not a SIP URI, and a dialog-creating request without a usable Contact', () => {
    const req = invite();
    const tel = createResponse(req, 200, { toTag: 'b1', extra: [{ name: 'Contact', value: '<tel:+15551230001>' }] });
    expect(() => Dialog.asUac(req, tel).nextHop()).toThrow(/must be a SIP URI/);
    const star = invite();
    star.headers = star.headers.map((h) => (h.name === 'Contact' ? { name: 'Contact', value: '*' } : h));
    expect(() => Dialog.asUas(star, createResponse(star, 200, { toTag: 'b1' }))).toThrow(/INVITE that creates a dialog needs a Contact/);
    const untagged = invite();
    untagged.headers = untagged.headers.map((h) => (h.name === 'From' ? { name: 'From', value: '<sip:alice@example.com>' } : h));
    expect(() => Dialog.asUas(untagged, createResponse(untagged, 200, { toTag: 'b1' }))).toThrow(/From tag and a To tag/);
  });

  it('a dialog response carries the reason and body given, and none when not', () => {
    const req = invite();
    const given = createDialogResponse(req, 183, { toTag: 'b1', contact: bobContact, reason: 'Session Progress', body: TEXT });
    expect(given).toMatchObject({ status: 183, reason: 'Session Progress', body: TEXT });
    const bare = createDialogResponse(req, 200, { toTag: 'b1', contact: bobContact });
    expect(bare.reason).toBe('OK');
    expect(bare.body).toBeUndefined();
  });
});
