import { describe, expect, it } from 'vitest';
import { formatPerturbations, parsePerturbations, PerturbationSyntaxError, type Perturbation } from '../../src/explore/perturbation.js';

describe('perturbation lists', () => {
  it('print and read back every kind', () => {
    const list: Perturbation[] = [
      { kind: 'ties' },
      { kind: 'drop', packet: 12 },
      { kind: 'delay', packet: 15, us: 3000 },
      { kind: 'crash', host: 'core.a.example', atUs: 1_000_000, forUs: 2_000_000 },
    ];
    const text = formatPerturbations(list);
    expect(text).toBe('ties,drop@12,delay@15+3000us,crash:core.a.example@1000000us+2000000us');
    expect(parsePerturbations(text)).toEqual(list);
  });

  it('name a packet by its event id or by its place on its link', () => {
    const list: Perturbation[] = [
      { kind: 'drop', packet: 'core.b.example>b2.bob.b.example#2' },
      { kind: 'delay', packet: 'b1.bob.b.example>core.b.example#12', us: 499_925 },
    ];
    const text = formatPerturbations(list);
    expect(text).toBe('drop@core.b.example>b2.bob.b.example#2,delay@b1.bob.b.example>core.b.example#12+499925us');
    expect(parsePerturbations(text)).toEqual(list);
    expect(() => parsePerturbations('drop@a>b#0')).toThrow(PerturbationSyntaxError);
    expect(() => parsePerturbations('drop@a>b')).toThrow(PerturbationSyntaxError);
  });

  it('accept any duration unit and an empty list', () => {
    expect(parsePerturbations('delay@3+1.5ms, crash:cs.b.example@2s+1min')).toEqual([
      { kind: 'delay', packet: 3, us: 1500 },
      { kind: 'crash', host: 'cs.b.example', atUs: 2_000_000, forUs: 60_000_000 },
    ]);
    expect(parsePerturbations('')).toEqual([]);
  });

  it('name the item that cannot be read', () => {
    expect(() => parsePerturbations('drop@1,lose@2')).toThrow(new PerturbationSyntaxError("'lose@2' is not a perturbation; write drop@PACKET, delay@PACKET+DURATION (PACKET: an event id or FROM>TO#N), crash:HOST@TIME+DURATION or ties"));
    expect(() => parsePerturbations('delay@2+3')).toThrow(/in 'delay@2\+3': duration 3 needs a unit/);
  });
});
