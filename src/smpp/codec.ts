import { Buffer } from 'node:buffer';
import { SmppParseError } from './errors.js';
import { COMMAND_IDS, DATA_CODING, ESM_CLASS, telToSmpp, type ShortMessage, type SmppAddress, type SmppCommand, type SmppPdu, type SmppTlvs } from './pdu.js';

/** SMPP 3.4 5.3.2 tags of the optional parameters used here. */
const TAG = { receiptedMessageId: 0x001e, userMessageReference: 0x0204, messagePayload: 0x0424, messageState: 0x0427 } as const;
/** SMPP 3.4 4.4.1: sm_length is one octet, and longer text goes in message_payload (5.3.2.32). */
const SHORT_MESSAGE_MAX = 254;
/** SMPP 3.4 4.1.1 interface_version 3.4. */
const INTERFACE_VERSION = 0x34;
const HEADER_LENGTH = 16;

const COMMAND_NAMES = new Map<number, SmppCommand>(Object.entries(COMMAND_IDS).map(([name, id]) => [id, name as SmppCommand]));

/** The octets of a text in a data_coding: Latin-1, or UCS-2 big-endian (SMPP 3.4 5.2.19). */
export function encodeText(text: string, dataCoding: number): Buffer {
  if (dataCoding !== DATA_CODING.UCS2) return Buffer.from(text, 'latin1');
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

export function decodeText(octets: Buffer, dataCoding: number): string {
  if (dataCoding !== DATA_CODING.UCS2) return octets.toString('latin1');
  const le = Buffer.from(octets);
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le.toString('utf16le');
}

/** The data_coding an SMPP leg uses for a text: Latin-1 when every character has one, else UCS-2. */
export function dataCodingFor(text: string): number {
  return [...text].every((c) => c.codePointAt(0)! <= 0xff) ? DATA_CODING.LATIN1 : DATA_CODING.UCS2;
}

class Writer {
  private readonly parts: Buffer[] = [];
  cString(text: string): this {
    // SMPP 3.4 3.1: a C-Octet String is ASCII/Latin-1 octets ended by the first NUL.
    if (/[^\x01-\xff]/.test(text)) throw new RangeError(`SMPP C-Octet String ${JSON.stringify(text)} holds a NUL or a character above U+00FF`);
    this.parts.push(Buffer.from(text, 'latin1'), Buffer.from([0]));
    return this;
  }
  u8(value: number): this {
    this.parts.push(Buffer.from([value]));
    return this;
  }
  octets(value: Buffer): this {
    this.parts.push(value);
    return this;
  }
  tlv(tag: number, value: Buffer): this {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(tag, 0);
    head.writeUInt16BE(value.length, 2);
    this.parts.push(head, value);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** The PDU as it goes on the wire (SMPP 3.4 3.2): the 16-octet header, then the body. */
export function encodePdu(pdu: SmppPdu): Buffer {
  const body = new Writer();
  switch (pdu.command) {
    case 'bind_transceiver':
      body.cString(pdu.systemId).cString(pdu.password).cString('').u8(INTERFACE_VERSION).u8(0).u8(0).cString('');
      break;
    case 'bind_transceiver_resp':
      body.cString(pdu.systemId);
      break;
    case 'submit_sm':
    case 'deliver_sm':
      writeShortMessage(body, pdu.message);
      break;
    case 'submit_sm_resp':
      // SMPP 3.4 4.4.2: no body when the submission failed.
      if (pdu.status === 0) body.cString(pdu.messageId);
      break;
    case 'deliver_sm_resp':
      // SMPP 3.4 4.6.2: message_id is unused and set to NULL.
      body.cString('');
      break;
    case 'enquire_link':
    case 'enquire_link_resp':
      // SMPP 3.4 4.11.1, 4.11.2: the header alone.
      break;
  }
  const octets = body.done();
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt32BE(HEADER_LENGTH + octets.length, 0);
  header.writeUInt32BE(COMMAND_IDS[pdu.command], 4);
  header.writeUInt32BE('status' in pdu ? pdu.status : 0, 8);
  header.writeUInt32BE(pdu.sequence, 12);
  return Buffer.concat([header, octets]);
}

function writeAddress(w: Writer, a: SmppAddress): void {
  w.u8(a.ton).u8(a.npi).cString(a.address);
}

/** SMPP 3.4 4.4.1 and 4.6.1 share this layout; deliver_sm leaves the scheduling fields NULL. */
function writeShortMessage(w: Writer, m: ShortMessage): void {
  if (m.dataCoding !== DATA_CODING.UCS2 && dataCodingFor(m.text) === DATA_CODING.UCS2) throw new RangeError(`text ${JSON.stringify(m.text)} has characters data_coding ${m.dataCoding} cannot carry`);
  const text = encodeText(m.text, m.dataCoding);
  const inline = text.length <= SHORT_MESSAGE_MAX;
  w.cString('');
  writeAddress(w, m.source);
  writeAddress(w, m.destination);
  w.u8(m.esmClass).u8(0).u8(0).cString('').cString('').u8(m.registeredDelivery).u8(0).u8(m.dataCoding).u8(0);
  w.u8(inline ? text.length : 0).octets(inline ? text : Buffer.alloc(0));
  if (!inline) w.tlv(TAG.messagePayload, text);
  writeTlvs(w, m.tlvs);
}

function writeTlvs(w: Writer, t: SmppTlvs): void {
  if (t.userMessageReference !== undefined) {
    const v = Buffer.alloc(2);
    v.writeUInt16BE(t.userMessageReference, 0);
    w.tlv(TAG.userMessageReference, v);
  }
  if (t.receiptedMessageId !== undefined) w.tlv(TAG.receiptedMessageId, Buffer.from(`${t.receiptedMessageId}\0`, 'latin1'));
  if (t.messageState !== undefined) w.tlv(TAG.messageState, Buffer.from([t.messageState]));
}

class Reader {
  offset = HEADER_LENGTH;
  constructor(private readonly data: Buffer) {}
  get more(): boolean {
    return this.offset < this.data.length;
  }
  cString(): string {
    const end = this.data.indexOf(0, this.offset);
    if (end < 0) throw new SmppParseError('SMPP: unterminated C-Octet String');
    const text = this.data.toString('latin1', this.offset, end);
    this.offset = end + 1;
    return text;
  }
  u8(): number {
    if (this.offset >= this.data.length) throw new SmppParseError('SMPP: PDU too short');
    return this.data[this.offset++]!;
  }
  u16(): number {
    if (this.offset + 2 > this.data.length) throw new SmppParseError('SMPP: PDU too short');
    const v = this.data.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  octets(n: number): Buffer {
    if (this.offset + n > this.data.length) throw new SmppParseError('SMPP: PDU too short');
    const v = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
}

/**
 * Reads one PDU from its octets, for tests and tools; refuses a length that disagrees with the data.
 * @throws SmppParseError naming what is malformed.
 */
export function decodePdu(data: Buffer): SmppPdu {
  if (data.length < HEADER_LENGTH || data.readUInt32BE(0) !== data.length) throw new SmppParseError('SMPP: command_length does not match the PDU');
  const command = COMMAND_NAMES.get(data.readUInt32BE(4));
  if (command === undefined) throw new SmppParseError(`SMPP: unknown command_id 0x${data.readUInt32BE(4).toString(16)}`);
  const status = data.readUInt32BE(8);
  const sequence = data.readUInt32BE(12);
  const r = new Reader(data);
  const base = { protocol: 'smpp' as const, sequence };
  switch (command) {
    case 'bind_transceiver':
      return { ...base, command, systemId: r.cString(), password: r.cString() };
    case 'bind_transceiver_resp':
      return { ...base, command, status, systemId: r.cString() };
    case 'submit_sm':
    case 'deliver_sm':
      return { ...base, command, message: readShortMessage(r) };
    case 'submit_sm_resp':
      // SMPP 3.4 4.4.2: a failed submission returns no message_id; what follows is not one.
      return { ...base, command, status, messageId: status === 0 && r.more ? r.cString() : '' };
    case 'deliver_sm_resp':
      return { ...base, command, status };
    case 'enquire_link':
    case 'enquire_link_resp':
      if (data.length !== HEADER_LENGTH) throw new SmppParseError(`SMPP: ${command} has a body (command_length ${data.length}, SMPP 3.4 4.11: 16)`);
      return command === 'enquire_link' ? { ...base, command } : { ...base, command, status };
  }
}

function readShortMessage(r: Reader): ShortMessage {
  r.cString();
  const source = { ton: r.u8(), npi: r.u8(), address: r.cString() };
  const destination = { ton: r.u8(), npi: r.u8(), address: r.cString() };
  const esmClass = r.u8();
  r.u8();
  r.u8();
  r.cString();
  r.cString();
  const registeredDelivery = r.u8();
  r.u8();
  const dataCoding = r.u8();
  r.u8();
  let text = r.octets(r.u8());
  const tlvs: SmppTlvs = {};
  while (r.more) {
    const tag = r.u16();
    const value = r.octets(r.u16());
    if (tag === TAG.messagePayload) text = value;
    else if (tag === TAG.receiptedMessageId) tlvs.receiptedMessageId = receiptedId(value);
    else if (tag === TAG.messageState) tlvs.messageState = fixedTlv(value, 1).readUInt8(0);
    else if (tag === TAG.userMessageReference) tlvs.userMessageReference = fixedTlv(value, 2).readUInt16BE(0);
  }
  // UCS-2 is two octets per character (SMPP 3.4 5.2.19): an odd count has no text to give back.
  if (dataCoding === DATA_CODING.UCS2 && text.length % 2 !== 0) throw new SmppParseError(`SMPP: UCS-2 short message of ${text.length} octets`);
  return { source, destination, esmClass, registeredDelivery, dataCoding, text: decodeText(text, dataCoding), tlvs };
}

/** SMPP 3.4 5.3.2: message_state is 1 octet, user_message_reference 2. */
function fixedTlv(value: Buffer, length: number): Buffer {
  if (value.length !== length) throw new SmppParseError(`SMPP: a ${length}-octet TLV of ${value.length} octets`);
  return value;
}

/** SMPP 3.4 5.3.2.12: receipted_message_id is a C-Octet String, NUL included. */
function receiptedId(value: Buffer): string {
  if (value.length === 0 || value[value.length - 1] !== 0 || value.indexOf(0) !== value.length - 1) {
    throw new SmppParseError('SMPP: receipted_message_id is not one NUL-terminated string');
  }
  return value.toString('latin1', 0, value.length - 1);
}

/**
 * A short message between two `tel:` numbers, its data coding chosen for its text (SMPP 3.4
 * 5.2.19); `receipt` asks the SMS centre for a delivery receipt (5.2.17).
 */
export function shortMessage(from: string, to: string, text: string, opts: { esmClass?: number; receipt?: boolean; tlvs?: SmppTlvs } = {}): ShortMessage {
  return {
    source: telToSmpp(from),
    destination: telToSmpp(to),
    esmClass: opts.esmClass ?? ESM_CLASS.DEFAULT,
    registeredDelivery: opts.receipt === true ? 1 : 0,
    dataCoding: dataCodingFor(text),
    text,
    tlvs: opts.tlvs ?? {},
  };
}
