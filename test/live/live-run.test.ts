import { createConnection, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveRun, type LiveResult } from '../../src/live/live-run.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/loader.js';
import { SECOND } from '../../src/kernel/time.js';
import { describeMessage } from '../../src/trace/wire-format.js';
import { UdpClient, cpmMessageText, okFor, registerText, statusOf } from './udp-client.js';
import { stop, until } from './live-waits.js';

const GATEWAY = { host: '127.0.0.1', port: 0, maxPacketsPerSecond: 100, maxMessageOctets: 16 * 1024, durationUs: 60 * SECOND };

const open: { live?: LiveRun; clients: UdpClient[] } = { clients: [] };

afterEach(async () => {
  open.live?.stop();
  if (open.live !== undefined) await open.live.finished;
  for (const c of open.clients) c.close();
  open.live = undefined;
  open.clients = [];
});

async function start(spec: Parameters<typeof LiveRun.start>[0]): Promise<{ live: LiveRun; client: UdpClient }> {
  const live = await LiveRun.start(spec, GATEWAY);
  const client = await UdpClient.open();
  open.live = live;
  open.clients.push(client);
  return { live, client };
}

/** What crossed the network from or to the real host, as the ladder labels it. */
function realMessages(result: LiveResult): string[] {
  return result.run.events.flatMap((e) => (e.type === 'transmit' && (e.from === '127.0.0.1' || e.to === '127.0.0.1') ? [`${e.from} -> ${e.to} ${describeMessage(e.payload)}`] : []));
}

describe('a live run with a real client over UDP (node dgram)', () => {
  it('registers the client in the simulated core, fills in rport (RFC 3581), delivers its CPM Message and returns the delivery notification', async () => {
    const { live, client } = await start(loadScenarioFile('docs/live/pager.yaml'));
    client.send(registerText('alice', 'a.example', client.port, { cpm: true }), live.port);
    const ok = await client.next((t) => t.includes('CSeq: 1 REGISTER'));
    expect(statusOf(ok)).toBe(200);
    expect(ok).toContain(`rport=${client.port}`);
    expect(ok).toMatch(/^P-Associated-URI: <sip:alice@a\.example>/m);

    client.send(cpmMessageText('alice@a.example', 'bob@b.example', client.port, 'Hello from a real client', 'm1'), live.port);
    expect(statusOf(await client.next((t) => t.startsWith('SIP/2.0') && t.includes('CSeq: 1 MESSAGE')))).toBe(200);
    // CPM 5.2.2.3.1: Bob's client returns the delivery notification the message asked for, to the real client.
    const imdn = await client.next((t) => t.startsWith('MESSAGE ') && t.includes('<delivered/>'));
    expect(imdn).toMatch(new RegExp(`^MESSAGE sip:alice@127\\.0\\.0\\.1:${client.port} SIP/2\\.0`));
    client.send(okFor(imdn), live.port);

    const result = await stop(live);
    expect(result.endedBy).toBe('interrupt');
    expect(result.run.passed).toBe(true);
    const shown = result.run.events.find((e) => e.type === 'note' && e.host === 'phone.bob.b.example' && e.text === 'shown to the user');
    expect(shown).toBeDefined();
    expect(realMessages(result)[0]).toBe('127.0.0.1 -> core.a.example REGISTER');
    expect(result.clients).toEqual([`127.0.0.1:${client.port} over udp`]);
  });

  it('subscribes to its own registration state (CPM 5.1.6): the core answers 200 and NOTIFYs the reginfo to the real client', async () => {
    const { live, client } = await start(loadScenarioFile('docs/live/pager.yaml'));
    client.send(registerText('alice', 'a.example', client.port, { cpm: true }), live.port);
    expect(statusOf(await client.next((t) => t.includes('CSeq: 1 REGISTER')))).toBe(200);
    client.send(
      [
        'SUBSCRIBE sip:alice@a.example SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:${client.port};branch=z9hG4bK-sub-1;rport`,
        'Max-Forwards: 70',
        'From: <sip:alice@a.example>;tag=sub1',
        'To: <sip:alice@a.example>',
        'Call-ID: sub-1@127.0.0.1',
        'CSeq: 1 SUBSCRIBE',
        'Event: reg',
        'Accept: application/reginfo+xml',
        `Contact: <sip:alice@127.0.0.1:${client.port}>`,
        'Expires: 600',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      live.port,
    );
    expect(statusOf(await client.next((t) => t.includes('CSeq: 1 SUBSCRIBE')))).toBe(200);
    const notify = await client.next((t) => t.startsWith('NOTIFY '));
    expect(notify).toMatch(/^Content-Type: application\/reginfo\+xml\r$/m);
    expect(notify).toContain(`sip:alice@127.0.0.1:${client.port}`);
    client.send(okFor(notify), live.port);
    await stop(live);
  });

  it('a source that has not registered is refused by the core with 403 (the core identifies senders by where they are)', async () => {
    const { live, client } = await start(loadScenarioFile('docs/live/pager.yaml'));
    client.send(cpmMessageText('alice@a.example', 'bob@b.example', client.port, 'unregistered', 'u1'), live.port);
    const res = await client.next((t) => t.startsWith('SIP/2.0'));
    expect(res).toMatch(/^SIP\/2\.0 403 Not Registered/);
    await stop(live);
  });

  it('a real device and a simulated device of one user coexist: a CPM Message forks to both (Figures 23 and 24)', async () => {
    const spec = loadScenarioText(
      `title: two devices
seed: 1
network:
  domains: [a.example, b.example]
  users:
    alice@a.example: { devices: { phone: null, laptop: { external: true } } }
    bob@b.example: { devices: [phone] }
lifelines:
  Laptop: alice.laptop
  Phone: alice.phone
  Core A: core.a.example
  B: "*@b.example"
timeline:
  - at: 0s
    register: [alice.phone, bob.phone]
  - at: 1s
    send: { from: bob.phone, to: alice@a.example, text: Hello both, id: m1 }
expect:
  steps:
    - { n: 1, from: Laptop, to: Core A, request: REGISTER }
    - { n: 2, from: Core A, to: Laptop, request: MESSAGE, unordered: fork }
    - { n: 3, from: Core A, to: Phone, request: MESSAGE, unordered: fork }
`,
      'two-devices.yaml',
    );
    const { live, client } = await start(spec);
    client.send(registerText('alice', 'a.example', client.port, { cpm: true }), live.port);
    expect(statusOf(await client.next((t) => t.includes('CSeq: 1 REGISTER')))).toBe(200);
    const message = await client.next((t) => t.startsWith('MESSAGE ') && t.includes('Hello both'));
    client.send(okFor(message), live.port);
    await until(() => live.events.some((e) => e.type === 'transmit' && e.from === '127.0.0.1' && describeMessage(e.payload) === '200 OK (MESSAGE)'));
    const result = await stop(live);
    expect(result.run.passed).toBe(true);
    expect(result.run.events.some((e) => e.type === 'note' && e.host === 'phone.alice.a.example' && e.text === 'shown to the user')).toBe(true);
    expect(realMessages(result)).toContain('127.0.0.1 -> core.a.example 200 OK (MESSAGE)');
  });

  it('notes a device declared external: true that registers without the CPM feature tag', async () => {
    const { live, client } = await start(loadScenarioFile('docs/live/pager.yaml'));
    client.send(registerText('alice', 'a.example', client.port, { cpm: false }), live.port);
    expect(statusOf(await client.next((t) => t.includes('CSeq: 1 REGISTER')))).toBe(200);
    const result = await stop(live);
    const notes = result.run.events.flatMap((e) => (e.type === 'note' && e.host === '127.0.0.1' ? [e.text] : []));
    expect(notes).toEqual([`real client at 127.0.0.1:${client.port} over udp`, 'sip:alice@a.example registered without the CPM feature tag: CPM requests will not reach it']);
  });

  it('over TCP: the response comes back on the connection, and a request to a contact with transport=tcp opens one to it (RFC 3261 18.2.2, 18.1.1)', async () => {
    const spec = loadScenarioFile('docs/live/pager.yaml');
    const live = await LiveRun.start({ ...spec, timeline: spec.timeline.map((e) => ({ ...e, atUs: e.atUs === 0 ? 0 : 1 * SECOND })) }, GATEWAY);
    open.live = live;
    // The client's own listening socket, where the contact points.
    const listener = createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const contactPort = (listener.address() as { port: number }).port;
    let inbound = '';
    listener.on('connection', (s: Socket) => s.on('data', (d: Buffer) => (inbound += d.toString('utf8'))));
    const socket = createConnection({ host: '127.0.0.1', port: live.port });
    await once(socket, 'connect');
    let answers = '';
    socket.on('data', (d: Buffer) => (answers += d.toString('utf8')));
    socket.write(
      registerText('alice', 'a.example', contactPort, { cpm: true })
        .replace('SIP/2.0/UDP', 'SIP/2.0/TCP')
        .replace(`<sip:alice@127.0.0.1:${contactPort}>`, `<sip:alice@127.0.0.1:${contactPort};transport=tcp>`),
    );
    await until(() => answers.includes('SIP/2.0 200 OK'));
    expect(answers).toContain('CSeq: 1 REGISTER');
    // Bob's message of the scenario's timeline (moved to 1 s here) goes to the contact over TCP.
    await until(() => inbound.includes('Hello from the simulated network'));
    expect(inbound).toMatch(new RegExp(`^MESSAGE sip:alice@127\\.0\\.0\\.1:${contactPort};transport=tcp SIP/2\\.0\r\nVia: SIP/2\\.0/TCP 127\\.0\\.0\\.1:${live.port};branch=z9hG4bK-gw-`));
    const clientPort = socket.localPort;
    socket.destroy();
    listener.close();
    const result = await stop(live);
    expect(result.clients).toEqual([`127.0.0.1:${clientPort} over tcp`]);
  });
});
