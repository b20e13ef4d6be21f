import { describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../../src/sip/builders.js';
import type { SipRequest } from '../../src/sip/message.js';
import { serializeMessage } from '../../src/sip/serializer.js';
import { sipUri } from '../../src/sip/uri.js';
import { fingerprint, GOLDEN_HEADER, goldenEvents, goldenFingerprint, goldenText } from '../../src/trace/golden.js';
import type { TraceEvent } from '../../src/trace/recorder.js';
import type { WirePayload } from '../../src/wire/payload.js';
import { readFileSync } from 'node:fs';
import { FIG16, fig16 } from './fixtures.js';

const events = fig16().events;

function withEvent(i: number, change: (e: TraceEvent) => TraceEvent): TraceEvent[] {
  return events.map((e, k) => (k === i ? change(e) : e));
}

const firstResponse = events.findIndex((e) => e.type === 'transmit' && 'type' in e.payload && e.payload.type === 'response');
const firstNote = events.findIndex((e) => e.type === 'note');

// Each test renders inside itself: Stryker counts what a test covers only while the test runs.
describe('golden event blocks', () => {
  it('replace tags, branches, Call-IDs and UUIDs by names, one name per value', () => {
    const blocks = goldenEvents(events);
    const text = blocks.join('\n');
    expect(text).not.toMatch(/branch=z9hG4bK[0-9a-f]{6,}/);
    expect(text).not.toMatch(/tag=[0-9a-f]{6,}/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    // A response carries its request's Call-ID and From tag, so it gets the request's names.
    const callIdOf = (block: string): string | undefined => /Call-ID: (\S+)/.exec(block)?.[1];
    expect(callIdOf(blocks[firstResponse]!)).toBe(callIdOf(blocks[0]!));
    expect(callIdOf(blocks[0]!)).toBe('<call-id-1>');
  });

  it('start with the virtual time, protocol, sender and receiver, then the first line', () => {
    const blocks = goldenEvents(events);
    expect(blocks[0]!.split('\n').slice(0, 2)).toEqual(['0.000000s sip phone.alice.a.example -> core.a.example (arrives 0.001000s)', '    REGISTER sip:a.example SIP/2.0']);
  });

  it('are the same for the same run', () => {
    expect(goldenText({ title: 't', seed: 7, result: 'r', events: fig16().events })).toBe(goldenText({ title: 't', seed: 7, result: 'r', events }));
  });
});

describe('fingerprint', () => {
  it("is the committed golden file's, and so are the blocks: Figure 16 rerun writes its golden file byte for byte", () => {
    const committed = readFileSync(FIG16.replace(/\.yaml$/, '.golden'), 'utf8');
    const field = (name: string): string => new RegExp(`^# ${name}: (.*)$`, 'm').exec(committed)![1]!;
    const run = fig16();
    expect(Number(field('seed'))).toBe(run.seed);
    expect(goldenText({ title: field('scenario'), seed: run.seed, result: field('result'), events: run.events })).toBe(committed);
  });

  it('is recorded in the golden file', () => {
    const base = fingerprint(events);
    expect(goldenFingerprint(goldenText({ title: 't', seed: 7, result: 'r', events }))).toBe(base);
  });

  it('ignores wording: a note text or a reason phrase', () => {
    const base = fingerprint(events);
    const note = withEvent(firstNote, (e) => ({ ...e, text: 'worded differently' }) as TraceEvent);
    expect(fingerprint(note)).toBe(base);
    const reason = withEvent(firstResponse, (e) => (e.type === 'transmit' ? { ...e, payload: { ...e.payload, reason: 'Fine' } as typeof e.payload } : e));
    expect(fingerprint(reason)).toBe(base);
    expect(goldenEvents(reason)[firstResponse]).not.toBe(goldenEvents(events)[firstResponse]);
  });

  it('follows the trajectory: a time, a host or an event more', () => {
    const base = fingerprint(events);
    expect(fingerprint(withEvent(0, (e) => ({ ...e, at: e.at + 1 })))).not.toBe(base);
    expect(fingerprint(withEvent(0, (e) => (e.type === 'note' ? e : { ...e, to: 'elsewhere.example' })))).not.toBe(base);
    expect(fingerprint(events.slice(1))).not.toBe(base);
  });

  it("follows a message's arrival time, a note's time and host, and whether a message arrived", () => {
    const base = fingerprint(events);
    expect(fingerprint(withEvent(0, (e) => (e.type === 'transmit' ? { ...e, arriveAt: e.arriveAt + 1 } : e)))).not.toBe(base);
    expect(fingerprint(withEvent(firstNote, (e) => ({ ...e, at: e.at + 1 })))).not.toBe(base);
    expect(fingerprint(withEvent(firstNote, (e) => (e.type === 'note' ? { ...e, host: 'elsewhere.example' } : e)))).not.toBe(base);
    const lost = withEvent(0, (e) => (e.type === 'transmit' ? { type: 'undeliverable', id: e.id, at: e.at, from: e.from, to: e.to, payload: e.payload, reason: 'host-down' } : e));
    expect(fingerprint(lost)).not.toBe(base);
  });
});

/** A SIP request as it went on the wire, with `headers` after the RFC 3261 8.1.1 set and an optional text body. */
function sip(method: string, opts: { callId?: string; tag?: string; branch?: string; headers?: string[]; body?: string; user?: string } = {}): SipRequest {
  return createRequest({
    method,
    uri: sipUri(opts.user ?? 'bob', 'b.example'),
    from: { uri: sipUri('alice', 'a.example'), params: [{ name: 'tag', value: opts.tag ?? 'f00dcafe1' }] },
    to: { uri: sipUri('bob', 'b.example'), params: [] },
    callId: opts.callId ?? 'c1',
    cseq: 1,
    via: { protocol: 'SIP/2.0', transport: 'UDP', host: 'phone.alice.a.example', params: [{ name: 'branch', value: `z9hG4bK${opts.branch ?? '1a2b3c'}` }] },
    extra: (opts.headers ?? []).map((h) => ({ name: h.slice(0, h.indexOf(':')), value: h.slice(h.indexOf(':') + 1).trim() })),
    ...(opts.body === undefined ? {} : { body: { kind: 'text', contentType: 'text/plain', text: opts.body } }),
  });
}

const sent = (id: number, payload: WirePayload, at = id * 1000): TraceEvent => ({ type: 'transmit', id, at, arriveAt: at + 500, from: 'phone.alice.a.example', to: 'core.a.example', payload });
/** The lines of one event's block. */
const block = (e: TraceEvent): string[] => goldenEvents([e])[0]!.split('\n');

describe('golden event blocks, line by line', () => {
  it('give the time, protocol, hosts and arrival, then every header but Content-Length, indented', () => {
    const lines = block(sent(1, sip('MESSAGE', { headers: ['Subject: on Content-Length: 5'], body: 'Hello' })));
    expect(lines).toEqual([
      '0.001000s sip phone.alice.a.example -> core.a.example (arrives 0.001500s)',
      '    MESSAGE sip:bob@b.example SIP/2.0',
      '    Via: SIP/2.0/UDP phone.alice.a.example;branch=z9hG4bK<branch-1>',
      '    Max-Forwards: 70',
      '    From: <sip:alice@a.example>;tag=<tag-1>',
      '    To: <sip:bob@b.example>',
      '    Call-ID: <call-id-1>',
      '    CSeq: 1 MESSAGE',
      // Only the header is left out: a line that mentions it stays.
      '    Subject: on Content-Length: 5',
      '    Content-Type: text/plain',
      // The body is summed up, not shown.
      '    body: 5 octets: Hello',
    ]);
  });

  it('sum the body up in one line: its octets and its first non-blank line, with stand-ins', () => {
    // "Grüße": five characters, seven UTF-8 octets.
    expect(block(sent(1, sip('MESSAGE', { body: 'Grüße' }))).at(-1)).toBe('    body: 7 octets: Grüße');
    // Blank lines before the text are skipped, a line of spaces too; the count is the octets sent,
    // CRLFs included: the body's Content-Length (RFC 3261 20.14).
    expect(block(sent(1, sip('MESSAGE', { body: '\r\n   \r\nsecond\r\nthird' }))).at(-1)).toBe('    body: 20 octets: second');
    // A blank line inside the body ends its first line; trailing line ends count too.
    expect(block(sent(1, sip('MESSAGE', { body: 'a\r\n\r\nb' }))).at(-1)).toBe('    body: 6 octets: a');
    expect(block(sent(1, sip('MESSAGE', { body: 'x\r\n\r\n' }))).at(-1)).toBe('    body: 5 octets: x');
    // A body of spaces only is sent, so counted, with no text to show.
    expect(block(sent(1, sip('MESSAGE', { body: '   ' }))).at(-1)).toBe('    body: 3 octets: ');
    for (const body of ['Grüße', 'a\r\n\r\nb', 'x\r\n\r\n', 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n']) {
      const wire = serializeMessage(sip('MESSAGE', { body }));
      const contentLength = Number(/^Content-Length: (\d+)\r$/m.exec(wire)?.[1]);
      expect(block(sent(1, sip('MESSAGE', { body }))).at(-1)).toMatch(new RegExp(`^ {4}body: ${contentLength} octets: `));
    }
    expect(block(sent(1, sip('MESSAGE', { body: 'id 3f9a21bc7 sent' }))).at(-1)).toBe('    body: 17 octets: id <id-1> sent');
    // No body, no body line.
    expect(block(sent(1, sip('OPTIONS'))).filter((l) => l.startsWith('    body:'))).toEqual([]);
  });

  it('cut a body line longer than 72 characters to 71 and an ellipsis', () => {
    const at72 = 'x'.repeat(72);
    expect(block(sent(1, sip('MESSAGE', { body: at72 }))).at(-1)).toBe(`    body: 72 octets: ${at72}`);
    expect(block(sent(1, sip('MESSAGE', { body: `${at72}y` }))).at(-1)).toBe(`    body: 73 octets: ${'x'.repeat(71)}…`);
  });

  it('give a note its host and text, and an undeliverable message the reason', () => {
    const note: TraceEvent = { type: 'note', id: 1, at: 2000, host: 'cs.b.example', text: 'deferred 0f1e2d3c4b for bob' };
    expect(goldenEvents([note])).toEqual(['0.002000s note cs.b.example: deferred <id-1> for bob']);
    const lost: TraceEvent = { type: 'undeliverable', id: 2, at: 3000, from: 'core.a.example', to: 'cs.b.example', payload: sip('BYE'), reason: 'host-down' };
    expect(block(lost)[0]).toBe('0.003000s sip core.a.example -> cs.b.example (undeliverable: host-down)');
    expect(block(lost)[1]).toBe('    BYE sip:bob@b.example SIP/2.0');
  });

  it('show a text with no header/body split line by line, without empty lines', () => {
    const pdu: WirePayload = { protocol: 'smpp', command: 'deliver_sm_resp', sequence: 8, status: 0 };
    expect(block(sent(1, pdu))).toEqual(['0.001000s smpp phone.alice.a.example -> core.a.example (arrives 0.001500s)', '    SMPP deliver_sm_resp (command_length 17, sequence_number 8, command_status 0x00000000)']);
  });

  it('number the stand-ins of each kind in order of first appearance, one per value for the whole trace', () => {
    const text = goldenEvents([
      sent(1, sip('MESSAGE', { callId: 'aaa1', tag: 'ta', branch: 'b1' })),
      sent(2, sip('MESSAGE', { callId: 'bbb2', tag: 'tb', branch: 'b2' })),
      sent(3, sip('MESSAGE', { callId: 'aaa1', tag: 'ta', branch: 'b1' })),
    ]).map((b) => b.split('\n').filter((l) => /Via|From|Call-ID/.test(l)));
    const expected = (n: number): string[] => [
      `    Via: SIP/2.0/UDP phone.alice.a.example;branch=z9hG4bK<branch-${n}>`,
      `    From: <sip:alice@a.example>;tag=<tag-${n}>`,
      `    Call-ID: <call-id-${n}>`,
    ];
    expect(text).toEqual([expected(1), expected(2), expected(1)]);
  });

  it('name a value by the role it has: a tag equal to a Call-ID is still a tag', () => {
    const lines = block(sent(1, sip('MESSAGE', { callId: 'same1', tag: 'same1' })));
    expect(lines).toContain('    From: <sip:alice@a.example>;tag=<tag-1>');
    expect(lines).toContain('    Call-ID: <call-id-1>');
  });

  it('leave a value that is already a stand-in: a UUID Call-ID is named as a UUID', () => {
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const lines = block(sent(1, sip('MESSAGE', { callId: uuid, headers: [`Subject: ${uuid}`] })));
    expect(lines).toContain('    Call-ID: <uuid-1>');
    expect(lines).toContain('    Subject: <uuid-1>');
    expect(lines.join('\n')).not.toContain('call-id-');
  });
});

describe('golden file', () => {
  it('heads the blocks with the scenario, seed, result, event count and fingerprint, blocks a blank line apart', () => {
    const trace = [sent(1, sip('MESSAGE')), { type: 'note', id: 2, at: 2000, host: 'cs.b.example', text: 'shown' } as TraceEvent];
    const text = goldenText({ title: 'Pager', seed: 42, result: '2 steps as in the figure', events: trace });
    const [head, ...blocks] = text.split('\n\n');
    expect(head!.split('\n')).toEqual([
      GOLDEN_HEADER,
      '# scenario: Pager',
      '# seed: 42',
      '# result: 2 steps as in the figure',
      '# events: 2',
      `# fingerprint: ${fingerprint(trace)}`,
    ]);
    expect(fingerprint(trace)).toMatch(/^[0-9a-f]{16}$/);
    expect(blocks).toEqual([goldenEvents(trace)[0], `${goldenEvents(trace)[1]}\n`]);
  });

  it('reads the fingerprint back only from a line of its own', () => {
    expect(goldenFingerprint('# fingerprint: 0123abcd\n')).toBe('0123abcd');
    expect(goldenFingerprint('# scenario: x\n')).toBeUndefined();
    expect(goldenFingerprint('0.1s note h: # fingerprint: 0123abcd\n')).toBeUndefined();
    expect(goldenFingerprint('# fingerprint: 0123abcd (edited)\n')).toBeUndefined();
  });
});

describe('fingerprint of what a message is', () => {
  it('names a BFCP FloorRequestStatus by its request status, not by the numbers of its lines (RFC 4582 5.2.5, 5.3.4)', () => {
    const frs = (floorId: number): WirePayload => ({ protocol: 'bfcp', conferenceId: 1, transactionId: 7, userId: 3, floorId, client: 'phone.alice.a.example', serverPort: 40000, primitive: 'FloorRequestStatus', status: 'Granted' });
    expect(fingerprint([sent(1, frs(100))])).toBe(fingerprint([sent(1, frs(200))]));
    expect(fingerprint([sent(1, frs(100))])).not.toBe(fingerprint([sent(1, { ...frs(100), primitive: 'FloorRequest' } as WirePayload)]));
    // Its outcome is what it is, as a status code is a SIP response's; its ids are not.
    expect(fingerprint([sent(1, frs(1))])).not.toBe(fingerprint([sent(1, { ...frs(1), status: 'Denied' } as WirePayload)]));
    expect(fingerprint([sent(1, { ...frs(1), conferenceId: 100 } as WirePayload)])).toBe(fingerprint([sent(1, { ...frs(1), conferenceId: 200 } as WirePayload)]));
  });

  it('names a request by its method, not its Request-URI', () => {
    expect(fingerprint([sent(1, sip('MESSAGE', { user: '200' }))])).toBe(fingerprint([sent(1, sip('MESSAGE', { user: '404' }))]));
    expect(fingerprint([sent(1, sip('MESSAGE'))])).not.toBe(fingerprint([sent(1, sip('OPTIONS'))]));
  });

  it('names a response by its status, an SMPP response by its command and status', () => {
    const request = sip('MESSAGE');
    expect(fingerprint([sent(1, createResponse(request, 200))])).not.toBe(fingerprint([sent(1, createResponse(request, 202))]));
    const resp = (status: number): WirePayload => ({ protocol: 'smpp', command: 'deliver_sm_resp', sequence: 8, status });
    expect(fingerprint([sent(1, resp(0))])).not.toBe(fingerprint([sent(1, resp(8))]));
  });

  it('tells an undeliverable message by its reason', () => {
    const lost = (reason: 'host-down' | 'unknown-host'): TraceEvent => ({ type: 'undeliverable', id: 1, at: 0, from: 'a', to: 'b', payload: sip('BYE'), reason });
    expect(fingerprint([lost('host-down')])).not.toBe(fingerprint([lost('unknown-host')]));
    expect(fingerprint([lost('host-down')])).not.toBe(fingerprint([{ type: 'transmit', id: 1, at: 0, arriveAt: 0, from: 'a', to: 'b', payload: sip('BYE') }]));
  });
});
