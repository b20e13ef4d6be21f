/**
 * How trace events become the rows of a figure (src/trace/projection.ts): each host belongs to the
 * lifeline that names it, else to one whose domain it is in; a message is drawn between two
 * different lifelines, sent at or after the figure's start; nodes no lifeline names are transparent,
 * so a message through them is one arrow from where it entered to where it left.
 */
import { describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../../src/sip/builders.js';
import type { SipMessage, SipRequest } from '../../src/sip/message.js';
import { sipUri } from '../../src/sip/uri.js';
import { project, type Lifeline } from '../../src/trace/projection.js';
import type { TraceEvent } from '../../src/trace/recorder.js';

const message = (callId = 'c1'): SipRequest =>
  createRequest({ method: 'MESSAGE', uri: sipUri('bob', 'b.example'), from: { uri: sipUri('alice', 'a.example'), params: [{ name: 'tag', value: 't' }] }, to: { uri: sipUri('bob', 'b.example'), params: [] }, callId, cseq: 1 });

/** 0 Alice's phone, 1 the core of A, 2 anything in b.example but Bob's phone, 3 Bob's phone. */
const LIFELINES: Lifeline[] = [
  { name: 'CPM Client A', hosts: ['phone.alice.a.example'], domains: [] },
  { name: 'SIP/IP Core A', hosts: ['core.a.example'], domains: [] },
  { name: 'CPM System B', hosts: [], domains: ['b.example'] },
  { name: 'CPM Client B', hosts: ['phone.bob.b.example'], domains: [] },
];
const ALICE = 'phone.alice.a.example';
const CORE = 'core.a.example';
const BOB = 'phone.bob.b.example';
/** Hosts no lifeline names: transparent. */
const RELAY = 'relay.example';
const RELAY2 = 'relay2.example';

let id = 0;
const send = (at: number, from: string, to: string, payload: SipMessage = message()): TraceEvent => ({ type: 'transmit', id: ++id, at, arriveAt: at + 10, from, to, payload });
const note = (at: number, host: string, text: string): TraceEvent => ({ type: 'note', id: ++id, at, host, text });

/** The drawn arrows as `from>to@at`. */
const arrows = (events: TraceEvent[], from = 0, lifelines = LIFELINES): string[] => project(events, lifelines, from).messages.map((m) => `${m.from}>${m.to}@${m.at}`);

describe('which lifeline a host belongs to', () => {
  it('the one naming it exactly, before one whose domain holds it', () => {
    expect(arrows([send(1, ALICE, BOB)])).toEqual(['0>3@1']);
    expect(arrows([send(1, ALICE, 'cs.b.example')])).toEqual(['0>2@1']);
    // The domain's lifeline comes first in the list; the exact name still wins.
    const domainFirst: Lifeline[] = [LIFELINES[2]!, LIFELINES[0]!, LIFELINES[3]!];
    expect(arrows([send(1, ALICE, BOB)], 0, domainFirst)).toEqual(['1>2@1']);
  });

  it('a domain holds itself and the hosts under it, not a host that only ends in the same letters', () => {
    expect(arrows([send(1, ALICE, 'b.example')])).toEqual(['0>2@1']);
    expect(arrows([send(1, ALICE, 'deep.cs.b.example')])).toEqual(['0>2@1']);
    expect(arrows([send(1, ALICE, 'xb.example')])).toEqual([]);
    expect(arrows([send(1, ALICE, 'b.example.org')])).toEqual([]);
  });
});

describe('which messages are drawn', () => {
  it('between two different lifelines, with the event, the time and the message sent', () => {
    const m = message();
    const e = send(5, ALICE, CORE, m);
    expect(project([e], LIFELINES, 0).messages).toEqual([{ eventId: e.id, at: 5, from: 0, to: 1, message: m }]);
  });

  it('not inside one lifeline (two hosts of CPM System B)', () => {
    expect(arrows([send(1, 'cs.b.example', 'core.b.example'), send(2, 'core.b.example', BOB)])).toEqual(['2>3@2']);
  });

  it('from the figure\'s start on: a message sent at the start is drawn, one before it is not', () => {
    expect(arrows([send(99, ALICE, CORE), send(100, CORE, BOB, createResponse(message(), 200)), send(101, BOB, CORE)], 100)).toEqual(['1>3@100', '3>1@101']);
  });

  it('only what was transmitted: a message the network could not deliver is not drawn', () => {
    const lost: TraceEvent = { type: 'undeliverable', id: ++id, at: 1, from: ALICE, to: CORE, payload: message(), reason: 'host-down' };
    expect(arrows([lost])).toEqual([]);
  });
});

describe('nodes no lifeline names are transparent', () => {
  it('a message through one is one arrow from the lifeline it left to the one it reached, at the time it left', () => {
    const e = send(2, RELAY, BOB);
    const drawn = project([send(1, ALICE, RELAY), e], LIFELINES, 0).messages;
    expect(drawn.map((m) => `${m.from}>${m.to}@${m.at}#${m.eventId}`)).toEqual([`0>3@1#${e.id}`]);
  });

  it('through several in a row', () => {
    expect(arrows([send(1, ALICE, RELAY), send(2, RELAY, RELAY2), send(3, RELAY2, BOB)])).toEqual(['0>3@1']);
  });

  it('the same message only: another one leaving the node, or one leaving another node, was not carried', () => {
    expect(arrows([send(1, ALICE, RELAY, message('c1')), send(2, RELAY, BOB, message('c2'))])).toEqual([]);
    expect(arrows([send(1, ALICE, RELAY), send(2, RELAY2, BOB)])).toEqual([]);
    expect(arrows([send(2, RELAY, BOB)])).toEqual([]);
  });

  it('each copy it sends on is drawn (a forking proxy), from where the message entered', () => {
    expect(arrows([send(1, ALICE, RELAY), send(2, RELAY, BOB), send(3, RELAY, 'cs.b.example')])).toEqual(['0>3@1', '0>2@1']);
  });

  it('holds several messages at once, each with where it entered', () => {
    expect(arrows([send(1, ALICE, RELAY, message('c1')), send(2, CORE, RELAY, message('c2')), send(3, RELAY, BOB, message('c1')), send(4, RELAY, BOB, message('c2'))])).toEqual(['0>3@1', '1>3@2']);
  });

  it('the latest entry of a message counts', () => {
    expect(arrows([send(1, ALICE, RELAY), send(2, CORE, RELAY), send(3, RELAY, BOB)])).toEqual(['1>3@2']);
  });

  it('back to the lifeline it came from, or entered before the figure\'s start, it is not drawn', () => {
    expect(arrows([send(1, ALICE, RELAY), send(2, RELAY, ALICE)])).toEqual([]);
    expect(arrows([send(99, ALICE, RELAY), send(100, RELAY, BOB)], 100)).toEqual([]);
  });
});

describe('notes', () => {
  it('on the lifeline of their host, from the figure\'s start on; none for a host no lifeline holds', () => {
    const kept = note(100, 'cs.b.example', 'stored for later delivery');
    const notes = project([note(99, ALICE, 'early'), kept, note(101, RELAY, 'unseen'), note(102, CORE, 'routed')], LIFELINES, 100).notes;
    expect(notes).toEqual([
      { eventId: kept.id, at: 100, lifeline: 2, text: 'stored for later delivery' },
      { eventId: id, at: 102, lifeline: 1, text: 'routed' },
    ]);
    expect(project([send(1, ALICE, CORE)], LIFELINES, 0).notes).toEqual([]);
  });
});
