import { describe, expect, it } from 'vitest';
import { segmentSms, smsEncoding } from '../../../src/cpm/non-cpm/sms-segments.js';

describe('SMS concatenation (3GPP TS 23.038, 23.040)', () => {
  it('chooses GSM 7-bit when every character is in the default alphabet or its extension, else UCS-2', () => {
    expect(smsEncoding('Hello, é ü €[]')).toBe('gsm7');
    expect(smsEncoding('Привет')).toBe('ucs2');
    expect(smsEncoding('ok 😀')).toBe('ucs2');
  });

  it('sends up to 160 GSM characters as one SMS without a header', () => {
    expect(segmentSms('a'.repeat(160), 1).segments).toEqual([{ text: 'a'.repeat(160) }]);
  });

  it('splits 161 to 306 GSM characters into 2 segments of at most 153, more into 3', () => {
    expect(segmentSms('a'.repeat(161), 1).segments.map((s) => s.text.length)).toEqual([153, 8]);
    expect(segmentSms('a'.repeat(306), 1).segments).toHaveLength(2);
    expect(segmentSms('a'.repeat(307), 1).segments.map((s) => s.text.length)).toEqual([153, 153, 1]);
  });

  it('puts the concatenation header in each segment: IEI 0, length 3, reference, count, number', () => {
    const { segments } = segmentSms('b'.repeat(200), 0x1a7);
    expect(segments.map((s) => [...s.udh!])).toEqual([
      [0x05, 0x00, 0x03, 0xa7, 2, 1],
      [0x05, 0x00, 0x03, 0xa7, 2, 2],
    ]);
  });

  it('counts an extension character as two septets and never splits it', () => {
    expect(segmentSms('€'.repeat(80), 1).segments).toHaveLength(1);
    // 152 + 2 + 7 = 161 septets: two segments, and the escape and its character stay together.
    const { segments } = segmentSms('a'.repeat(152) + '€' + 'a'.repeat(7), 1);
    expect(segments.map((s) => s.text)).toEqual(['a'.repeat(152), '€' + 'a'.repeat(7)]);
  });

  it('uses 70 UCS-2 characters for one SMS and 67 per segment, keeping surrogate pairs whole', () => {
    expect(segmentSms('ж'.repeat(70), 1).segments).toHaveLength(1);
    expect(segmentSms('ж'.repeat(71), 1).segments.map((s) => s.text.length)).toEqual([67, 4]);
    const { segments } = segmentSms('ж'.repeat(66) + '😀' + 'ж'.repeat(5), 1);
    expect(segments[0]!.text).toBe('ж'.repeat(66));
    expect(segments[1]!.text.startsWith('😀')).toBe(true);
  });

  it('sends at most 255 segments, the most the header\'s one-octet count can say (TS 23.040 9.2.3.24.1)', () => {
    const { segments } = segmentSms('a'.repeat(255 * 153), 1);
    expect(segments).toHaveLength(255);
    expect(segments.at(-1)!.udh![4]).toBe(255);
    expect(() => segmentSms('a'.repeat(255 * 153 + 1), 1)).toThrow('a text of 39016 units needs more than 255 segments');
  });
});
