/**
 * How an SMS centre sends a text over the air (3GPP TS 23.038, 23.040): in the GSM 7-bit default
 * alphabet when every character has a code there, else in UCS-2; a text longer than one SMS goes
 * as concatenated segments, each with a User Data Header naming its reference, count and number
 * (TS 23.040 9.2.3.24.1), which leaves 153 septets or 67 UCS-2 characters per segment.
 */

/** TS 23.038 6.2.1: the default alphabet. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** TS 23.038 6.2.1.1: the extension table, each character an escape plus one septet. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

export type SmsEncoding = 'gsm7' | 'ucs2';

const SINGLE = { gsm7: 160, ucs2: 70 } as const;
const PER_SEGMENT = { gsm7: 153, ucs2: 67 } as const;

export interface SmsSegment {
  /** The User Data Header, absent for a text that fits one SMS. */
  udh?: Uint8Array;
  /** The characters this segment carries. */
  text: string;
}

export function smsEncoding(text: string): SmsEncoding {
  return [...text].every((c) => GSM_BASIC.includes(c) || GSM_EXTENSION.includes(c)) ? 'gsm7' : 'ucs2';
}

/** Septets (GSM 7-bit) or UTF-16 code units (UCS-2) of one character. */
function units(c: string, encoding: SmsEncoding): number {
  if (encoding === 'ucs2') return c.length;
  return GSM_EXTENSION.includes(c) ? 2 : 1;
}

/**
 * The segments of a text. A character is never split across segments: neither an escaped
 * GSM character nor a UTF-16 surrogate pair (TS 23.040 9.2.3.24.1 leaves that to the sender).
 * `reference` is the concatenated message's 8-bit reference number.
 */
export function segmentSms(text: string, reference: number): { encoding: SmsEncoding; segments: SmsSegment[] } {
  const encoding = smsEncoding(text);
  const chars = [...text];
  const total = chars.reduce((n, c) => n + units(c, encoding), 0);
  if (total <= SINGLE[encoding]) return { encoding, segments: [{ text }] };
  const pieces: string[] = [];
  let current = '';
  let used = 0;
  for (const c of chars) {
    const n = units(c, encoding);
    if (used + n > PER_SEGMENT[encoding]) {
      pieces.push(current);
      current = '';
      used = 0;
    }
    current += c;
    used += n;
  }
  pieces.push(current);
  if (pieces.length > 255) throw new Error(`a text of ${total} units needs more than 255 segments`);
  const segments = pieces.map((piece, i) => ({
    // IEI 0x00: concatenated short messages, 8-bit reference; IEDL 3.
    udh: Uint8Array.from([0x05, 0x00, 0x03, reference & 0xff, pieces.length, i + 1]),
    text: piece,
  }));
  return { encoding, segments };
}
