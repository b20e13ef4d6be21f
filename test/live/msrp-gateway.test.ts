import { afterEach, describe, expect, it } from 'vitest';
import { MsrpGateway } from '../../src/live/msrp-gateway.js';
import type { Refusal } from '../../src/live/gateway.js';
import type { MsrpMessage } from '../../src/msrp/message.js';
import { MsrpClient, msrpSend } from './msrp-client.js';

const open: { gateway?: MsrpGateway; clients: MsrpClient[] } = { clients: [] };

afterEach(async () => {
  for (const c of open.clients) c.close();
  await open.gateway?.close();
  open.clients = [];
  open.gateway = undefined;
});

async function start(options: { maxPacketsPerSecond?: number; maxMessageOctets?: number } = {}, now?: () => number) {
  const seen = { messages: [] as MsrpMessage[], refusals: [] as Refusal[], notes: [] as string[] };
  const gateway = await MsrpGateway.open(
    { host: '127.0.0.1', port: 0, maxPacketsPerSecond: options.maxPacketsPerSecond ?? 100, maxMessageOctets: options.maxMessageOctets ?? 16 * 1024 },
    { message: (m) => seen.messages.push(m), refused: (r) => seen.refusals.push(r), note: (_h, t) => seen.notes.push(t), sendFailed: (_t, why) => seen.notes.push(why) },
    now,
  );
  const client = await MsrpClient.listen();
  await client.connect(gateway.port);
  open.gateway = gateway;
  open.clients.push(client);
  return { gateway, client, seen };
}

async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 3000) throw new Error('not within 3 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const to = (port: number) => `msrp://127.0.0.1:${port}/s1;tcp`;
const me = 'msrp://127.0.0.1:5555/mine;tcp';

describe('MsrpGateway: the TCP side of real clients\' message streams (RFC 4975 6)', () => {
  it('parses each chunk with the project\'s codec and binds the connection to the From-Path of its first request', async () => {
    const { gateway, client, seen } = await start();
    client.write(msrpSend('abcd1', to(gateway.port), me, 'alice@a.example', 'bob@b.example', 'hi'));
    await until(() => seen.messages.length === 1);
    expect(seen.messages[0]).toMatchObject({ type: 'msrp-request', method: 'SEND', transactionId: 'abcd1' });
    expect(seen.notes).toEqual([expect.stringMatching(/^MSRP connection from 127\.0\.0\.1:\d+ bound to msrp:\/\/127\.0\.0\.1:5555\/mine;tcp \(RFC 4975 5\.4\)$/)]);
  });

  it('an empty SEND only binds the connection: the gateway answers it 200 and carries nothing (RFC 4975 7.1.1)', async () => {
    const { gateway, client, seen } = await start();
    client.write(`MSRP bind1234 SEND\r\nTo-Path: ${to(gateway.port)}\r\nFrom-Path: ${me}\r\nMessage-ID: b1\r\nByte-Range: 1-0/0\r\n-------bind1234$\r\n`);
    expect(await client.next((t) => t.startsWith('MSRP bind1234 '))).toBe(`MSRP bind1234 200 OK\r\nTo-Path: ${me}\r\nFrom-Path: ${to(gateway.port)}\r\n-------bind1234$\r\n`);
    expect(seen.messages).toEqual([]);
  });

  it('a chunk over the bound is answered 413 (RFC 4975 10.5) and the connection closed; counted', async () => {
    const { gateway, client, seen } = await start({ maxMessageOctets: 300 });
    client.write(msrpSend('big12345', to(gateway.port), me, 'alice@a.example', 'bob@b.example', 'x'.repeat(400)));
    expect(await client.next((t) => t.startsWith('MSRP big12345 '))).toMatch(/^MSRP big12345 413 Message Too Large\r\n/);
    await until(() => !client.connected);
    expect(gateway.counts.oversize).toBe(1);
    expect(seen.refusals).toMatchObject([{ reason: 'oversize', status: 413 }]);
  });

  it('over the rate, the connection is not read until the next second: no chunk is lost, one note says so', async () => {
    let now = 10_000;
    const { gateway, client, seen } = await start({ maxPacketsPerSecond: 2 }, () => now);
    client.write([1, 2, 3, 4].map((n) => msrpSend(`rate${n}abc`, to(gateway.port), me, 'alice@a.example', 'bob@b.example', `m${n}`)).join(''));
    await until(() => seen.messages.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.messages).toHaveLength(2);
    expect(gateway.counts.throttled).toBe(1);
    now = 11_000;
    await until(() => seen.messages.length === 4);
    expect(seen.notes.filter((n) => n.startsWith('throttled MSRP from 127.0.0.1:'))).toEqual([expect.stringMatching(/more than 2 messages in a second$/)]);
  });
});
