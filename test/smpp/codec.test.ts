import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodePdu, encodePdu, encodeText } from '../../src/smpp/codec.js';
import { DATA_CODING, ESM_CLASS, SMPP_STATUS, telToSmpp, type ShortMessage, type SmppPdu } from '../../src/smpp/pdu.js';
import { formatReceipt, parseReceipt } from '../../src/smpp/receipt.js';

const message = (text: string, dataCoding: number = DATA_CODING.LATIN1): ShortMessage => ({
  source: telToSmpp('tel:+15551230001'),
  destination: telToSmpp('tel:+1-555-987-0001'),
  esmClass: ESM_CLASS.DEFAULT,
  registeredDelivery: 1,
  dataCoding,
  text,
  tlvs: {},
});

const submit = (text: string, dataCoding: number = DATA_CODING.LATIN1): SmppPdu => ({ protocol: 'smpp', command: 'submit_sm', sequence: 7, message: message(text, dataCoding) });

describe('SMPP 3.4 PDU encoding', () => {
  it('writes the header: command_length, command_id, command_status, sequence_number (3.2)', () => {
    const octets = encodePdu(submit('Hi'));
    expect(octets.readUInt32BE(0)).toBe(octets.length);
    expect(octets.readUInt32BE(4)).toBe(0x00000004);
    expect(octets.readUInt32BE(8)).toBe(0);
    expect(octets.readUInt32BE(12)).toBe(7);
  });

  it('writes submit_sm fields in the order of 4.4.1, addresses as digits', () => {
    const body = encodePdu(submit('Hi')).subarray(16);
    expect([...body]).toEqual([
      0, // service_type ""
      1, 1, ...Buffer.from('15551230001'), 0,
      1, 1, ...Buffer.from('15559870001'), 0,
      0, 0, 0, 0, 0, // esm_class, protocol_id, priority_flag, schedule_delivery_time "", validity_period ""
      1, 0, 3, 0, // registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
      2, ...Buffer.from('Hi'),
    ]);
  });

  it('puts text longer than 254 octets in message_payload (5.3.2.32) with sm_length 0', () => {
    const text = 'x'.repeat(300);
    const octets = encodePdu(submit(text));
    const tag = octets.indexOf(Buffer.from([0x04, 0x24]));
    expect(tag).toBeGreaterThan(0);
    expect(octets.readUInt16BE(tag + 2)).toBe(300);
    expect(decodePdu(octets)).toEqual(submit(text));
  });

  it('writes UCS-2 big-endian for data_coding 8', () => {
    expect([...encodeText('Ж€', DATA_CODING.UCS2)]).toEqual([0x04, 0x16, 0x20, 0xac]);
    expect(decodePdu(encodePdu(submit('Привет €', DATA_CODING.UCS2)))).toEqual(submit('Привет €', DATA_CODING.UCS2));
  });

  it('gives a failed submit_sm_resp no body (4.4.2)', () => {
    const octets = encodePdu({ protocol: 'smpp', command: 'submit_sm_resp', sequence: 3, status: SMPP_STATUS.ESME_RINVDSTADR, messageId: '' });
    expect(octets.length).toBe(16);
    expect(octets.readUInt32BE(8)).toBe(0x0b);
  });

  it('round-trips a delivery receipt with its TLVs', () => {
    const pdu: SmppPdu = {
      protocol: 'smpp',
      command: 'deliver_sm',
      sequence: 9,
      message: { ...message('x'), esmClass: ESM_CLASS.SMSC_DELIVERY_RECEIPT, registeredDelivery: 0, text: 'id:1 ...', tlvs: { receiptedMessageId: 'abc', messageState: 2, userMessageReference: 513 } },
    };
    expect(decodePdu(encodePdu(pdu))).toEqual(pdu);
  });

  it('sends enquire_link and its response as the header alone, and refuses them with a body (4.11)', () => {
    const probe: SmppPdu = { protocol: 'smpp', command: 'enquire_link', sequence: 4 };
    const answer: SmppPdu = { protocol: 'smpp', command: 'enquire_link_resp', sequence: 4, status: SMPP_STATUS.ESME_RINVBNDSTS };
    expect([...encodePdu(probe)]).toEqual([0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 4]);
    expect(encodePdu(answer).readUInt32BE(4)).toBe(0x80000015);
    expect(decodePdu(encodePdu(probe))).toEqual(probe);
    expect(decodePdu(encodePdu(answer))).toEqual(answer);
    const padded = Buffer.concat([encodePdu(probe), Buffer.from([0])]);
    padded.writeUInt32BE(17, 0);
    expect(() => decodePdu(padded)).toThrow(/enquire_link has a body/);
  });

  it('refuses a command_length that disagrees with the data', () => {
    const octets = encodePdu(submit('Hi'));
    expect(() => decodePdu(octets.subarray(0, octets.length - 1))).toThrow(/command_length/);
  });
});

describe('SMPP 3.4 Appendix B delivery receipt text', () => {
  it('formats and parses the customary fields', () => {
    const receipt = { messageId: '0a1b2c', submitted: 1, delivered: 1, submitDate: '0806010000', doneDate: '0806010001', state: 'DELIVRD' as const, error: 0, text: 'Dinner at eight? See you' };
    const text = formatReceipt(receipt);
    expect(text).toBe('id:0a1b2c sub:001 dlvrd:001 submit date:0806010000 done date:0806010001 stat:DELIVRD err:000 text:Dinner at eight? See');
    expect(parseReceipt(text)).toEqual({ ...receipt, text: 'Dinner at eight? See' });
    expect(parseReceipt('not a receipt')).toBeUndefined();
  });
});
