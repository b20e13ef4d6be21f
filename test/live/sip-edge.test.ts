import { describe, expect, it } from 'vitest';
import { dropFirstValue, fillRport } from '../../src/live/sip-edge.js';

const head = (...lines: string[]) => `${lines.join('\r\n')}\r\n\r\nbody`;

describe('fillRport (RFC 3581 4)', () => {
  it('fills an empty rport of the top Via value only', () => {
    expect(fillRport(head('MESSAGE sip:b SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:5070;rport;branch=z9hG4bK1, SIP/2.0/UDP x;rport', 'CSeq: 1 MESSAGE'), 40000)).toBe(
      head('MESSAGE sip:b SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:5070;rport=40000;branch=z9hG4bK1, SIP/2.0/UDP x;rport', 'CSeq: 1 MESSAGE'),
    );
  });

  it('leaves a Via without rport, or with a value, as written', () => {
    const none = head('OPTIONS sip:b SIP/2.0', 'v: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1');
    expect(fillRport(none, 1)).toBe(none);
    const valued = head('OPTIONS sip:b SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1;rport=9');
    expect(fillRport(valued, 1)).toBe(valued);
  });
});

describe('dropFirstValue', () => {
  it('removes a line holding one value', () => {
    expect(dropFirstValue(head('SIP/2.0 200 OK', 'Via: SIP/2.0/UDP gw:5060;branch=z9hG4bK-gw-1', 'Via: SIP/2.0/UDP core.a.example;branch=z9hG4bK1', 'CSeq: 1 MESSAGE'), 'via|v')).toBe(
      head('SIP/2.0 200 OK', 'Via: SIP/2.0/UDP core.a.example;branch=z9hG4bK1', 'CSeq: 1 MESSAGE'),
    );
  });

  it('removes the first of several values on a line', () => {
    expect(dropFirstValue(head('MESSAGE sip:b SIP/2.0', 'Route: <sip:127.0.0.1:5060;lr>, <sip:core.a.example;lr>', 'CSeq: 1 MESSAGE'), 'route')).toBe(
      head('MESSAGE sip:b SIP/2.0', 'Route: <sip:core.a.example;lr>', 'CSeq: 1 MESSAGE'),
    );
  });

  it('removes the last header line without leaving an empty line in the head', () => {
    expect(dropFirstValue(head('MESSAGE sip:b SIP/2.0', 'CSeq: 1 MESSAGE', 'Route: <sip:127.0.0.1:5060;lr>'), 'route')).toBe(head('MESSAGE sip:b SIP/2.0', 'CSeq: 1 MESSAGE'));
  });
});
