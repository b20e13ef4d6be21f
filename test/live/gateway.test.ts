import { Buffer } from 'node:buffer';
import { createConnection } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Gateway, GatewayError, checkListenHost, type Refusal } from '../../src/live/gateway.js';
import type { SipMessage } from '../../src/sip/message.js';
import { UdpClient, registerText, statusOf } from './udp-client.js';

const open: { gateway?: Gateway; client?: UdpClient } = {};
afterEach(async () => {
  await open.gateway?.close();
  open.client?.close();
  open.gateway = undefined;
  open.client = undefined;
});

/** A gateway whose clock stands still (every packet falls in one second), and what it reported. */
async function gateway(options: { rate?: number; max?: number } = {}) {
  const seen: { messages: SipMessage[]; refusals: Refusal[] } = { messages: [], refusals: [] };
  const gw = await Gateway.open(
    { host: '127.0.0.1', port: 0, maxPacketsPerSecond: options.rate ?? 100, maxMessageOctets: options.max ?? 4096 },
    { message: (msg) => seen.messages.push(msg), refused: (r) => seen.refusals.push(r), sendFailed: () => undefined },
    () => 5_000,
  );
  const client = await UdpClient.open();
  open.gateway = gw;
  open.client = client;
  return { gw, client, seen };
}

describe('the live gateway', () => {
  it('hands on a message that parses, its wire text the octets sent with rport filled in (RFC 3581 4)', async () => {
    const { gw, client, seen } = await gateway();
    client.send(registerText('alice', 'a.example', client.port, { cpm: false }), gw.port);
    await until(() => seen.messages.length === 1);
    expect(seen.messages[0]!.wire).toContain(`Via: SIP/2.0/UDP 127.0.0.1:${client.port};branch=z9hG4bK-reg-${client.port};rport=${client.port}\r\n`);
    expect(gw.counts).toMatchObject({ received: 1, malformed: 0 });
  });

  it('answers a malformed request 400 with the parser\'s reason in a Warning (RFC 3261 8.2, 20.43), and counts it', async () => {
    const { gw, client, seen } = await gateway();
    client.send(registerText('alice', 'a.example', client.port, { cpm: false }).replace('CSeq: 1 REGISTER', 'CSeq: one REGISTER'), gw.port);
    const answer = await client.next((t) => t.startsWith('SIP/2.0'));
    expect(statusOf(answer)).toBe(400);
    expect(answer).toMatch(/^Warning: 399 cpmsim-live ".+"/m);
    expect(answer).toContain('Call-ID: reg-');
    expect(seen.messages).toEqual([]);
    expect(seen.refusals).toMatchObject([{ reason: 'malformed', status: 400 }]);
    expect(gw.counts.malformed).toBe(1);
  });

  it('counts bytes that are no SIP at all without answering them: there is no Via to answer along', async () => {
    const { gw, client, seen } = await gateway();
    client.sendOctets(Buffer.from([0xde, 0xad, 0xbe, 0xef]), gw.port);
    await until(() => seen.refusals.length === 1);
    expect(seen.refusals[0]).toMatchObject({ reason: 'malformed' });
    expect(seen.refusals[0]!.status).toBeUndefined();
  });

  it('answers a datagram over the size bound 513 Message Too Large (RFC 3261 21.5.7)', async () => {
    const { gw, client, seen } = await gateway({ max: 600 });
    client.send(registerText('alice', 'a.example', client.port, { cpm: false }).replace('Content-Length: 0', `Subject: ${'x'.repeat(700)}\r\nContent-Length: 0`), gw.port);
    expect(statusOf(await client.next((t) => t.startsWith('SIP/2.0')))).toBe(513);
    expect(seen.refusals).toMatchObject([{ reason: 'oversize', status: 513 }]);
    expect(seen.messages).toEqual([]);
  });

  it('past the per-source rate answers the first request 503 with Retry-After (RFC 3261 21.5.4) and counts the rest', async () => {
    const { gw, client, seen } = await gateway({ rate: 3 });
    for (let i = 1; i <= 6; i++) client.send(registerText('alice', 'a.example', client.port, { cpm: false, cseq: i, branch: `z9hG4bK-${i}` }), gw.port);
    await until(() => gw.counts.received === 6);
    expect(seen.messages.map((m) => m.wire?.match(/CSeq: (\d)/)?.[1])).toEqual(['1', '2', '3']);
    expect(seen.refusals).toMatchObject([{ reason: 'rate-limited', status: 503 }]);
    const busy = await client.next((t) => statusOf(t) === 503);
    expect(busy).toMatch(/^CSeq: 4 REGISTER\r$/m);
    expect(busy).toMatch(/^Retry-After: 1\r$/m);
    expect(gw.counts.rateLimited).toBe(3);
    expect(client.received.filter((t) => statusOf(t) === 503)).toHaveLength(1);
  });

  it('frames messages on a TCP connection by Content-Length and answers an unframeable one 400 before closing it', async () => {
    const { gw, seen } = await gateway();
    const socket = createConnection({ host: '127.0.0.1', port: gw.port });
    await once(socket, 'connect');
    const reg = registerText('alice', 'a.example', 5070, { cpm: false }).replace('SIP/2.0/UDP', 'SIP/2.0/TCP');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
    socket.write(reg + reg.replace('Content-Length: 0\r\n', ''));
    await until(() => seen.messages.length === 1 && seen.refusals.length === 1);
    expect(seen.refusals[0]).toMatchObject({ reason: 'malformed', status: 400, detail: 'no Content-Length on a stream (RFC 3261 18.3)' });
    await until(() => answer.includes('SIP/2.0 400'));
    socket.destroy();
  });

  it('binds only an address it is given, never the wildcard', () => {
    expect(() => checkListenHost('0.0.0.0')).toThrow(GatewayError);
    expect(() => checkListenHost('::')).toThrow(/name one address/);
    expect(() => checkListenHost('localhost')).toThrow(/needs an IP address/);
    expect(() => checkListenHost('127.0.0.1')).not.toThrow();
  });
});

async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 5000) throw new Error('the gateway did not get there within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
