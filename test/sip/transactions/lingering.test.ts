import { describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../../../src/sip/builders.js';
import type { Header, SipRequest, SipResponse } from '../../../src/sip/message.js';
import { LingeringClient, LingeringServer, type LingeringOwner } from '../../../src/sip/transactions/lingering.js';
import { sipUri } from '../../../src/sip/uri.js';

const CONTACT = '<sip:alice@phone.example.com>;+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000001>";+g.oma.sip-im';

/** A REGISTER as it arrived at a registrar: its Via on top, a Contact without expires. */
function register(): SipRequest {
  const req = createRequest({
    method: 'REGISTER',
    uri: sipUri(undefined, 'example.com'),
    from: { uri: sipUri('alice', 'example.com'), params: [{ name: 'tag', value: 'f1' }] },
    to: { uri: sipUri('alice', 'example.com'), params: [] },
    callId: 'reg-1@phone.example.com',
    cseq: 1,
    extra: [{ name: 'Contact', value: CONTACT }],
  });
  req.headers = [{ name: 'Via', value: 'SIP/2.0/UDP phone.example.com;branch=z9hG4bKreg1' }, ...req.headers];
  return req;
}

/** RFC 3261 10.3 step 8: the 200 lists the binding with its expires, and adds the To tag (8.2.6.2). */
function registered(req: SipRequest): SipResponse {
  return createResponse(req, 200, {
    toTag: 't9',
    extra: [
      { name: 'Contact', value: `${CONTACT};expires=3600` },
      { name: 'P-Associated-URI', value: '<sip:alice@example.com>' },
    ],
  });
}

const owner = (): LingeringOwner & { told: unknown[] } => {
  const told: unknown[] = [];
  return { told, lingered: (l) => told.push(l) };
};
const lines = (res: SipResponse | undefined): Header[] | undefined => res?.headers.map((h) => ({ name: h.name, value: h.value }));
/** The request again as a retransmission arrives: equal lines, new objects (it was parsed anew). */
const retransmitted = (req: SipRequest): Header[] => req.headers.map((h) => ({ ...h }));

describe('LingeringServer (RFC 3261 17.2.2, Timer J)', () => {
  it('answers a retransmission with the final response it kept, lines extending the request included', () => {
    const req = register();
    const res = registered(req);
    const kept = new LingeringServer(owner(), 'k', res, req.headers);
    const again = kept.last(req.headers);
    expect(again).toMatchObject({ type: 'response', status: 200, reason: 'OK' });
    expect(lines(again)).toEqual(lines(res));
    expect(again?.body).toBeUndefined();
  });

  it('takes the lines it shares from the retransmission, which arrives with the same values', () => {
    const req = register();
    const res = registered(req);
    const kept = new LingeringServer(owner(), 'k', res, req.headers);
    expect(lines(kept.last(retransmitted(req)))).toEqual(lines(res));
  });

  it('keeps a response line that extends no request line of its name as it is', () => {
    // The P-Associated-URI repeats the To's value under another name: it is kept as text, so it
    // does not follow a To of the same length that reuses the branch.
    const req = register();
    const kept = new LingeringServer(owner(), 'k', registered(req), req.headers);
    const other = retransmitted(req).map((h) => (h.name === 'To' ? { name: 'To', value: '<sip:alice@example.org>' } : h));
    expect(kept.last(other)?.headers.find((h) => h.name === 'P-Associated-URI')?.value).toBe('<sip:alice@example.com>');
  });

  it('keeps a line that differs from the request line of its name as it is (another binding listed)', () => {
    // RFC 3261 10.3 step 8: the 200 lists every binding of the AoR, also those of other devices.
    const req = register();
    const res = createResponse(req, 200, { toTag: 't9', extra: [{ name: 'Contact', value: '<sip:alice@laptop.example.com>;expires=60' }, { name: 'Contact', value: `${CONTACT};expires=3600` }] });
    expect(lines(new LingeringServer(owner(), 'k', res, req.headers).last(retransmitted(req)))).toEqual(lines(res));
  });

  it('absorbs (undefined) a request on the branch whose extended line has another length', () => {
    // The Contact of the 200 is the REGISTER's plus ";expires=3600": another REGISTER's Contact
    // would make a 200 listing a binding never registered.
    const req = register();
    const kept = new LingeringServer(owner(), 'k', registered(req), req.headers);
    const other = retransmitted(req).map((h) => (h.name === 'Contact' ? { name: 'Contact', value: '<sip:alice@laptop.example.com>' } : h));
    expect(kept.last(other)).toBeUndefined();
  });

  it('absorbs a request on the branch whose extended line is not where it was, or is another header', () => {
    const req = register();
    const kept = new LingeringServer(owner(), 'k', registered(req), req.headers);
    const at = req.headers.findIndex((h) => h.name === 'Contact');
    const swapped = retransmitted(req);
    swapped[at] = { name: 'Subject', value: swapped[at]!.value };
    expect(kept.last(swapped)).toBeUndefined();
    expect(kept.last(retransmitted(req).slice(0, at))).toBeUndefined();
  });

  it('absorbs a request on the branch whose shared lines have another length (a longer Call-ID)', () => {
    const req = register();
    const kept = new LingeringServer(owner(), 'k', registered(req), req.headers);
    const other = retransmitted(req).map((h) => (h.name === 'Call-ID' ? { name: 'Call-ID', value: 'another-reg@phone.example.com' } : h));
    expect(kept.last(other)).toBeUndefined();
  });

  it('keeps the body of the response', () => {
    const req = register();
    const body = { kind: 'text' as const, contentType: 'text/plain', text: 'kept' };
    const res = createResponse(req, 202, { toTag: 'b', body });
    expect(new LingeringServer(owner(), 'k', res, req.headers).last(req.headers)?.body).toEqual(body);
  });

  it('sends a response with a NUL in a line (a quoted-pair, RFC 3261 25.1) again as it is', () => {
    const req = register();
    const res = createResponse(req, 200, { toTag: 'n', extra: [{ name: 'Subject', value: '"odd \\\0 quoted"' }] });
    const kept = new LingeringServer(owner(), 'k', res, req.headers);
    expect(kept.last(req.headers)).toBe(res);
  });

  it('sends the response to a request of 128 lines or more again as it is', () => {
    // Places are one byte each: up to 127 lines are taken apart, 128 and more kept whole.
    const padded = (total: number): SipRequest => {
      const req = register();
      req.headers = [...req.headers, ...Array.from({ length: total - req.headers.length }, (_, i) => ({ name: 'X-Filler', value: String(i) }))];
      return req;
    };
    const long = padded(128);
    const whole = registered(long);
    expect(new LingeringServer(owner(), 'k', whole, long.headers).last(long.headers)).toBe(whole);
    const apart = padded(127);
    const res = registered(apart);
    const again = new LingeringServer(owner(), 'k', res, apart.headers).last(apart.headers);
    expect(again).not.toBe(res);
    expect(lines(again)).toEqual(lines(res));
  });

  it('sends an injected response byte for byte, to a retransmission of its request only', () => {
    const req = register();
    const res: SipResponse = { ...registered(req), wire: 'SIP/2.0 200 OK\r\n\r\n' };
    const kept = new LingeringServer(owner(), 'k', res, req.headers);
    expect(kept.last(retransmitted(req))).toBe(res);
    const other = retransmitted(req).map((h) => (h.name === 'Call-ID' ? { name: 'Call-ID', value: 'x' } : h));
    expect(kept.last(other)).toBeUndefined();
  });

  it('tells its owner when Timer J runs out', () => {
    const o = owner();
    const req = register();
    const kept = new LingeringServer(o, 'k', registered(req), req.headers);
    kept.fire();
    expect(o.told).toEqual([kept]);
    expect(kept.key).toBe('k');
  });
});

describe('LingeringClient (RFC 3261 17.1.2.2, Timer K)', () => {
  it('tells its owner when Timer K runs out', () => {
    const o = owner();
    const kept = new LingeringClient(o, 'z9hG4bKx|MESSAGE');
    kept.fire();
    expect(o.told).toEqual([kept]);
    expect(kept.key).toBe('z9hG4bKx|MESSAGE');
  });
});
