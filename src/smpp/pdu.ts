/**
 * SMPP 3.4 PDUs (Short Message Peer-to-Peer, SMS Forum 1999): the ones an External Short Message
 * Entity (here an Interworking Function) and an SMS centre exchange over one transceiver session.
 */

/** SMPP 3.4 5.1.2.1 command_id values. */
export const COMMAND_IDS = {
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
} as const;

export type SmppCommand = keyof typeof COMMAND_IDS;

/** SMPP 3.4 5.1.3 command_status values this simulator sends. */
export const SMPP_STATUS = {
  ESME_ROK: 0x00000000,
  /** Incorrect bind status for the command: the ESME sent it before binding. */
  ESME_RINVBNDSTS: 0x00000004,
  ESME_RINVDSTADR: 0x0000000b,
  ESME_RX_T_APPN: 0x00000064,
  ESME_RX_P_APPN: 0x00000065,
} as const;

/** SMPP 3.4 5.2.12 esm_class, message type bits 5-2. */
export const ESM_CLASS = {
  DEFAULT: 0x00,
  /** deliver_sm: the PDU is an SMSC delivery receipt. */
  SMSC_DELIVERY_RECEIPT: 0x04,
  /** submit_sm: the PDU is the ESME's delivery acknowledgement of a message it received. */
  ESME_DELIVERY_ACK: 0x08,
  MESSAGE_TYPE_MASK: 0x3c,
} as const;

/** SMPP 3.4 5.2.19 data_coding values used here. */
export const DATA_CODING = { LATIN1: 0x03, UCS2: 0x08 } as const;

/** SMPP 3.4 5.3.2.35 message_state values. */
export const MESSAGE_STATE = { DELIVERED: 2, EXPIRED: 3, UNDELIVERABLE: 5, REJECTED: 8 } as const;

/** SMPP 3.4 5.2.5 type of number and 5.2.6 numbering plan: international E.164 numbers only. */
export const TON_INTERNATIONAL = 0x01;
export const NPI_ISDN = 0x01;

export interface SmppAddress {
  ton: number;
  npi: number;
  /** Digits without '+', as SMPP carries them (SMPP 3.4 5.2.8). */
  address: string;
}

/** The optional parameters (SMPP 3.4 5.3) this simulator uses. */
export interface SmppTlvs {
  /** 5.3.2.12: which submitted message a delivery receipt is about. */
  receiptedMessageId?: string;
  /** 5.3.2.35 */
  messageState?: number;
  /** 5.3.2.17: a reference the originator gives; an acknowledgement carries it back. */
  userMessageReference?: number;
}

/** The fields of submit_sm (SMPP 3.4 4.4.1) and deliver_sm (4.6.1) a simulated message needs. */
export interface ShortMessage {
  source: SmppAddress;
  destination: SmppAddress;
  esmClass: number;
  /** 5.2.17: bit 0 set asks for an SMSC delivery receipt on success or failure. */
  registeredDelivery: number;
  dataCoding: number;
  /** The text; the codec writes it in short_message, or message_payload when longer than 254 octets. */
  text: string;
  tlvs: SmppTlvs;
}

interface Header {
  protocol: 'smpp';
  sequence: number;
}

export type SmppPdu =
  | (Header & { command: 'bind_transceiver'; systemId: string; password: string })
  | (Header & { command: 'bind_transceiver_resp'; status: number; systemId: string })
  | (Header & { command: 'submit_sm' | 'deliver_sm'; message: ShortMessage })
  | (Header & { command: 'submit_sm_resp'; status: number; messageId: string })
  | (Header & { command: 'deliver_sm_resp'; status: number })
  /** SMPP 3.4 4.11: a probe of the peer's session, header only; its response too. */
  | (Header & { command: 'enquire_link' })
  | (Header & { command: 'enquire_link_resp'; status: number });

export type SmppResponse = Extract<SmppPdu, { status: number }>;

export function isSmppResponse(pdu: SmppPdu): pdu is SmppResponse {
  return 'status' in pdu;
}

/** E.164 number of a `tel:` URI as an SMPP address: digits only. */
export function telToSmpp(tel: string): SmppAddress {
  return { ton: TON_INTERNATIONAL, npi: NPI_ISDN, address: tel.replace(/^tel:/, '').replace(/[^0-9]/g, '') };
}

export function smppToTel(address: SmppAddress): string {
  return `tel:+${address.address}`;
}
