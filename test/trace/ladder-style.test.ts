/**
 * A message's wire text under its arrow (src/trace/ladder-style.ts, wireLines): one line per CRLF
 * line of the message (RFC 3261 7), the blank line before the body kept, trailing blank lines
 * dropped, and a line too long for the width hard-wrapped with its continuations two further in.
 */
import { describe, expect, it } from 'vitest';
import { painter, wireLines } from '../../src/trace/ladder-style.js';

const plain = painter(false);
const rendered = (wire: string, width: number): string[] => wireLines(wire, 0, width).map((line) => line.render(plain));

describe('wireLines', () => {
  it('keeps the blank line between the headers and the body, and drops blank lines at the end', () => {
    expect(rendered('MESSAGE sip:bob@b.example SIP/2.0\r\nContent-Length: 2\r\n\r\nhi\r\n   \r\n', 80)).toEqual([
      '    MESSAGE sip:bob@b.example SIP/2.0',
      '    Content-Length: 2',
      '',
      '    hi',
      // The empty line that separates one message's text from the next row.
      '',
    ]);
  });

  it('wraps a long line at the room (the width less the gutter and 4), each continuation 2 narrower and 2 further in', () => {
    // Width 24: room 20 cells; 50 characters take 20, then 18, then 12.
    const line = `${'a'.repeat(20)}${'b'.repeat(18)}${'c'.repeat(12)}`;
    expect(rendered(line, 24)).toEqual([`    ${'a'.repeat(20)}`, `      ${'b'.repeat(18)}`, `      ${'c'.repeat(12)}`, '']);
  });
});
