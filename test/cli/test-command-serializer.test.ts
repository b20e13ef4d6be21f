/** Done-when of issue 9: one header changed in the SIP serializer makes `cpmsim test` fail, naming the scenario and the first diverging event. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

vi.mock('../../src/sip/serializer.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/sip/serializer.js')>();
  return { ...original, serializeMessage: (msg: Parameters<typeof original.serializeMessage>[0]) => original.serializeMessage(msg).replace('Max-Forwards: 70', 'Max-Forwards: 69') };
});

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('a serializer that writes one header differently', () => {
  it('fails the bundled golden file at the first message that carries it', async () => {
    let out = '';
    const code = await main(['test', 'scenarios/appendix-c/c-1-1-client-registering.yaml'], { stdout: (t) => (out += t), stderr: () => undefined, color: false, columns: 120, cwd: root });
    expect(code).toBe(1);
    expect(out).toContain('✗ scenarios/appendix-c/c-1-1-client-registering.yaml: CPM Client Registering — C.1.1, Figure 1');
    expect(out).toContain('trace differs from scenarios/appendix-c/c-1-1-client-registering.golden at event 1: 0.000000s sip phone.alice.a.example -> core.a.example');
    expect(out).toContain('-    Max-Forwards: 70');
    expect(out).toContain('+    Max-Forwards: 69');
    // The fingerprint follows the trajectory, not the wording: it has not moved.
    expect(out).not.toContain('in the golden file,');
  });
});
