import { describe, expect, it } from 'vitest';
import { encodeBfcp } from '../../src/bfcp/codec.js';
import type { BfcpMessage } from '../../src/bfcp/message.js';

const base = { protocol: 'bfcp', conferenceId: 0x01020304, transactionId: 7, userId: 3, floorId: 1, client: 'phone.alice.a.example', serverPort: 40000 } as const;

describe('BFCP messages (RFC 4582 5)', () => {
  it('FloorRequest: the common header and a FLOOR-ID attribute with the M bit', () => {
    const octets = [...encodeBfcp({ ...base, primitive: 'FloorRequest' } satisfies BfcpMessage)];
    // Version 1 in the top three bits; primitive 1; payload of one 32-bit word.
    expect(octets.slice(0, 12)).toEqual([0x20, 1, 0, 1, 1, 2, 3, 4, 0, 7, 0, 3]);
    // Type 2 shifted over the M bit, length 4, floor 1.
    expect(octets.slice(12)).toEqual([(2 << 1) | 1, 4, 0, 1]);
  });

  it('FloorRequestStatus: FLOOR-REQUEST-INFORMATION grouping the overall and the floor status', () => {
    const octets = [...encodeBfcp({ ...base, transactionId: 0, primitive: 'FloorRequestStatus', floorRequestId: 9, status: 'Pending', queuePosition: 2 })];
    expect(octets[1]).toBe(4);
    expect(octets.slice(12)).toEqual([
      ...[(15 << 1) | 1, 16, 0, 9], // FLOOR-REQUEST-INFORMATION, request 9
      ...[(17 << 1) | 1, 8, 0, 9], // OVERALL-REQUEST-STATUS, request 9
      ...[(5 << 1) | 1, 4, 1, 2], // REQUEST-STATUS: Pending, queue position 2
      ...[(16 << 1) | 1, 4, 0, 1], // FLOOR-REQUEST-STATUS, floor 1
    ]);
    expect(octets[2]! * 256 + octets[3]!).toBe(4);
  });
});
