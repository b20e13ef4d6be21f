import { describe, expect, it } from 'vitest';
import type { ActorContext } from '../../src/cpm/actor.js';
import { Rebootable } from '../../src/cpm/rebootable.js';

/** An element that records what it was made from and provisioned with. */
class Recorder {
  readonly log: string[] = [];
  constructor(readonly made: string) {}
}

// Rebootable only hands the context on (its network wrapped in a port).
const ctx = { net: {} } as unknown as ActorContext;

const makeRecorder = (_ctx: ActorContext, made: string): Recorder => new Recorder(made);
const addUser = (r: Recorder, aor: string, password: string): void => void r.log.push(`${aor}:${password}`);

describe('Rebootable provisioning', () => {
  it('is made from its value again on restart, and every step is replayed in order with its values', () => {
    const element = Rebootable.from(ctx, makeRecorder, 'config-1');
    element.provision(addUser, 'sip:alice@a.example', 'pw1');
    element.configure((r) => r.log.push('trusted host'));
    element.provision(addUser, 'sip:bob@a.example', 'pw2');
    const first = element.current;
    expect(first.log).toEqual(['sip:alice@a.example:pw1', 'trusted host', 'sip:bob@a.example:pw2']);
    element.restart();
    expect(element.current).not.toBe(first);
    expect(element.current.made).toBe('config-1');
    expect(element.current.log).toEqual(first.log);
  });

  it('an element without provisioning restarts afresh', () => {
    const element = Rebootable.of(ctx, () => new Recorder('plain'));
    element.restart();
    expect(element.current.log).toEqual([]);
    expect(element.current.made).toBe('plain');
  });
});
