import { describe, expect, it } from 'vitest';
import { headers, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message.js';
import { hostOf, popLastRoute, popRoute, previousHop, popVia, topBranch, topRoute, topVia } from '../../src/sip/routing.js';
import { formatUri, sipUri } from '../../src/sip/uri.js';

const req = (hs: [string, string][]): SipRequest => ({
  type: 'request',
  method: 'MESSAGE',
  uri: sipUri('bob', 'example.com'),
  headers: hs.map(([name, value]) => ({ name, value })),
});

const res = (hs: [string, string][]): SipResponse => ({ type: 'response', status: 200, reason: 'OK', headers: hs.map(([name, value]) => ({ name, value })) });

const vias = (m: SipMessage): string[] => headers(m, 'Via');

describe('topVia', () => {
  it('is the first value of the first Via line, parsed', () => {
    const m = req([
      ['Via', 'SIP/2.0/UDP p1.example.com:5070;branch=z9hG4bKa, SIP/2.0/UDP p2.example.com;branch=z9hG4bKb'],
      ['Via', 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKc'],
    ]);
    expect(topVia(m)).toEqual({ protocol: 'SIP/2.0', transport: 'UDP', host: 'p1.example.com', port: 5070, params: [{ name: 'branch', value: 'z9hG4bKa' }] });
  });

  it('is undefined without Via, and finds a Via line whatever its case', () => {
    expect(topVia(req([['To', '<sip:bob@example.com>']]))).toBeUndefined();
    expect(topVia(req([['via', 'SIP/2.0/UDP h.example.com;branch=z9hG4bKx']]))?.host).toBe('h.example.com');
  });
});

describe('popVia', () => {
  it('removes only the first value of a multi-valued line', () => {
    const m = res([
      ['Via', 'SIP/2.0/UDP p1.example.com;branch=z9hG4bKa, SIP/2.0/UDP p2.example.com;branch=z9hG4bKb'],
      ['Via', 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKc'],
      ['CSeq', '1 MESSAGE'],
    ]);
    popVia(m);
    expect(vias(m)).toEqual(['SIP/2.0/UDP p2.example.com;branch=z9hG4bKb', 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKc']);
    expect(topVia(m)?.host).toBe('p2.example.com');
  });

  it('removes the line when its last value goes, keeping the other headers in place', () => {
    const m = res([
      ['Via', 'SIP/2.0/UDP p2.example.com;branch=z9hG4bKb'],
      ['Via', 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKc'],
      ['CSeq', '1 MESSAGE'],
    ]);
    popVia(m);
    expect(m.headers).toEqual([
      { name: 'Via', value: 'SIP/2.0/UDP ua.example.com;branch=z9hG4bKc' },
      { name: 'CSeq', value: '1 MESSAGE' },
    ]);
    popVia(m);
    expect(m.headers).toEqual([{ name: 'CSeq', value: '1 MESSAGE' }]);
    popVia(m); // nothing left to pop: no change, no error
    expect(m.headers).toEqual([{ name: 'CSeq', value: '1 MESSAGE' }]);
  });

  it('pops a Via line whatever the case of its name (RFC 3261 7.3.5)', () => {
    const m = res([
      ['via', 'SIP/2.0/UDP p2.example.com;branch=z9hG4bKb, SIP/2.0/UDP ua.example.com;branch=z9hG4bKc'],
      ['CSeq', '1 MESSAGE'],
    ]);
    popVia(m);
    expect(vias(m)).toEqual(['SIP/2.0/UDP ua.example.com;branch=z9hG4bKc']);
  });

  it('pops values one by one across a three-valued line', () => {
    const m = res([['Via', 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1,SIP/2.0/UDP b.example.com;branch=z9hG4bK2 , SIP/2.0/UDP c.example.com;branch=z9hG4bK3']]);
    const seen: string[] = [];
    for (let v = topVia(m); v !== undefined; v = topVia(m)) {
      seen.push(v.host);
      popVia(m);
    }
    expect(seen).toEqual(['a.example.com', 'b.example.com', 'c.example.com']);
    expect(vias(m)).toEqual([]);
  });
});

describe('previousHop', () => {
  it('is sent-by of the top Via, or its received parameter when there is one', () => {
    expect(previousHop(res([['Via', 'SIP/2.0/UDP ua.example.com;branch=z9hG4bK1']]))).toBe('ua.example.com');
    expect(previousHop(res([['Via', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=nat.example.com, SIP/2.0/UDP other.example.com;branch=z9hG4bK2']]))).toBe(
      'nat.example.com',
    );
    expect(previousHop(res([['CSeq', '1 MESSAGE']]))).toBeUndefined();
  });
});

describe('topRoute and popRoute', () => {
  const routes = (): SipRequest =>
    req([
      ['Route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr;transport=udp>'],
      ['Route', '"Three" <sip:p3.example.com;lr>'],
      ['Max-Forwards', '70'],
    ]);

  it('topRoute is the URI of the first value of the first Route line', () => {
    const m = routes();
    const uri = topRoute(m);
    expect(uri).toEqual(sipUri(undefined, 'p1.example.com', [{ name: 'lr' }]));
  });

  it('popRoute walks a multi-valued line then the next line, removing emptied lines', () => {
    const m = routes();
    const order: string[] = [];
    for (let uri = topRoute(m); uri !== undefined; uri = topRoute(m)) {
      order.push(formatUri(uri));
      popRoute(m);
    }
    expect(order).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr;transport=udp', 'sip:p3.example.com;lr']);
    expect(m.headers).toEqual([{ name: 'Max-Forwards', value: '70' }]);
  });

  it('popRoute leaves the rest of a line as written', () => {
    const m = routes();
    popRoute(m);
    expect(headers(m, 'Route')).toEqual(['<sip:p2.example.com;lr;transport=udp>', '"Three" <sip:p3.example.com;lr>']);
  });

  it('does not split inside a quoted display name or <...>', () => {
    const m = req([['Route', '"Proxy, the first" <sip:p1.example.com;lr>, <sip:p2.example.com;lr>']]);
    expect(topRoute(m)).toEqual(sipUri(undefined, 'p1.example.com', [{ name: 'lr' }]));
    popRoute(m);
    expect(headers(m, 'Route')).toEqual(['<sip:p2.example.com;lr>']);
  });

  it('without Route: topRoute is undefined and popRoute changes nothing', () => {
    const m = req([['Max-Forwards', '70']]);
    expect(topRoute(m)).toBeUndefined();
    popRoute(m);
    expect(m.headers).toEqual([{ name: 'Max-Forwards', value: '70' }]);
  });

  it('an empty Route line, which the parser lets through, names no route', () => {
    expect(topRoute(req([['Route', ''], ['Route', '<sip:p1.example.com;lr>']]))).toBeUndefined();
  });
});

describe('popLastRoute', () => {
  it('removes the last value of the last Route line and returns its URI', () => {
    const m = req([
      ['Route', '<sip:p1.example.com;lr>'],
      ['Route', '<sip:p2.example.com;lr>, <sip:bob@uas.example.com>'],
    ]);
    expect(popLastRoute(m)).toEqual(sipUri('bob', 'uas.example.com'));
    expect(headers(m, 'Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(formatUri(popLastRoute(m)!)).toBe('sip:p2.example.com;lr');
    expect(headers(m, 'Route')).toEqual(['<sip:p1.example.com;lr>']);
    popLastRoute(m);
    expect(popLastRoute(m)).toBeUndefined();
    expect(m.headers).toEqual([]);
  });

  it('keeps the values before the last as a comma-separated list, and finds a Route line in any case (RFC 3261 7.3.1, 7.3.5)', () => {
    const m = req([
      ['To', '<sip:bob@example.com>'],
      ['route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>, <sip:bob@uas.example.com>'],
    ]);
    expect(popLastRoute(m)).toEqual(sipUri('bob', 'uas.example.com'));
    expect(headers(m, 'Route')).toEqual(['<sip:p1.example.com;lr>, <sip:p2.example.com;lr>']);
  });

  it('takes an empty Route line, which the parser lets through, as no route: nothing to return, the line dropped', () => {
    const m = req([
      ['Route', '<sip:p1.example.com;lr>'],
      ['Route', ''],
    ]);
    expect(popLastRoute(m)).toBeUndefined();
    expect(headers(m, 'Route')).toEqual(['<sip:p1.example.com;lr>']);
  });
});

describe('topBranch and hostOf', () => {
  it('reads the top branch, undefined without one', () => {
    expect(topBranch(req([['Via', 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2']]))).toBe('z9hG4bK1');
    expect(topBranch(req([['Via', 'SIP/2.0/UDP a.example.com']]))).toBeUndefined();
    // RFC 3261 25.1 via-branch = "branch" EQUAL token: a bare `;branch` names no transaction.
    expect(topBranch(req([['Via', 'SIP/2.0/UDP a.example.com;branch']]))).toBeUndefined();
    expect(topBranch(req([]))).toBeUndefined();
  });

  it('is the host of a SIP URI and nothing for a tel URI', () => {
    expect(hostOf(sipUri('bob', 'phone.bob.example.com'))).toBe('phone.bob.example.com');
    expect(hostOf({ scheme: 'tel', number: '+15551234', params: [] })).toBeUndefined();
  });
});
