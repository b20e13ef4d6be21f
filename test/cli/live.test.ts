import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root } from './run-cli.js';
import { parseListen } from '../../src/cli/live-command.js';

describe('cpmsim live', () => {
  it('refuses to bind the wildcard address (exit 2): the user names one address', async () => {
    const r = await cli(['live', 'docs/live/pager.yaml', '--listen', '0.0.0.0:5060']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('cpmsim: --listen 0.0.0.0 would take packets from every network: name one address (127.0.0.1 for this machine only)\n');
  });

  it('refuses a scenario with no external device (exit 2)', async () => {
    const r = await cli(['live', join(root, 'scenarios/appendix-c/c-1-1-client-registering.yaml'), '--listen', '127.0.0.1:0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no device is external; mark the one a real client plays with external: true/);
  });

  it('stops after --duration with the summary, and fails (exit 1) when no real client did what the scenario expects', async () => {
    const r = await cli(['live', 'docs/live/pager.yaml', '--listen', '127.0.0.1:0', '--duration', '200ms']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/listening on udp and tcp 127\.0\.0\.1:\d+ \(MSRP on tcp 127\.0\.0\.1:\d+\) since \d{4}-\d\d-\d\dT[\d:.]+Z, time 0 of the trace \(Ctrl-C to stop\)/);
    expect(r.err).toMatch(/cpmsim live: stopped after 0\.200000s: the scenario duration ended\n {2}real clients: none\n {2}gateway: 0 received, 0 sent.*\n {2}MSRP: 0 received, 0 sent; refused 0 malformed \(400\), 0 oversize \(413\); throttled 0 times; 0 could not be sent\n {2}RTP: 0 received, 0 sent; dropped 0 malformed, 0 oversize, 0 over the rate; 0 without a gateway port/);
    expect(r.out).toMatch(/missing step 1: Alice \(real client\) -> SIP\/IP Core A REGISTER/);
  });

  it('reads --listen as address:port, [v6]:port, or an address alone on port 5060', () => {
    expect(parseListen('127.0.0.1:5070')).toEqual({ host: '127.0.0.1', port: 5070 });
    expect(parseListen('[::1]:5070')).toEqual({ host: '::1', port: 5070 });
    expect(parseListen('127.0.0.2')).toEqual({ host: '127.0.0.2', port: 5060 });
    expect(() => parseListen('127.0.0.1:99999')).toThrow(/expected ADDRESS:PORT/);
  });
});
