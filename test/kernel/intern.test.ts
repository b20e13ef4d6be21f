import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flat, intern } from '../../src/kernel/intern.js';

describe('intern', () => {
  it('gives back the same text for any string, property-like or not', () => {
    for (const text of ['', 'sip:alice@a.example', '__proto__', 'constructor', '123', '-1', '0x10', 'a'.repeat(5000), 'ümlaut ☃', '\u0000nul'])
      expect(intern(text)).toBe(text);
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => intern(text) === text));
  });

  it('gives back the text of a rope and of a slice', () => {
    const header = '<sip:alice@phone.alice.a.example>;+sip.instance="<urn:uuid:1>"';
    const n = header.length;
    expect(intern(header.slice(1, 32))).toBe('sip:alice@phone.alice.a.example');
    expect(intern(`sip:${'alice'}@${'a.example'}/${n}`)).toBe(`sip:alice@a.example/${n}`);
  });
});

describe('flat', () => {
  it('gives back the same text, empty, short, concatenated or sliced', () => {
    const branch = 'z9hG4bK' + 'a1b2c3d4e5f6';
    for (const text of ['', 'x', branch, `${branch}|pcscf.a.example|MESSAGE`, branch.slice(3, 9)]) expect(flat(text)).toBe(text);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => flat(a + b) === a + b));
  });
});
