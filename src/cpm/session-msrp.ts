import { buildCpim } from '../bodies/cpim-codec.js';
import type { Body } from '../bodies/body.js';
import type { RandomStream } from '../kernel/random.js';
import { contentOctets } from '../msrp/codec.js';
import { formatByteRange, type MsrpRequest, type MsrpResponse } from '../msrp/message.js';
import type { MsrpUri } from '../msrp/uri.js';

/**
 * A SEND of one whole message in one chunk (RFC 4975 7.1): a new transaction and Message-ID, the
 * Byte-Range of the whole, a failure report asked for (the default) and no success report.
 */
export function sendRequest(rng: RandomStream, to: MsrpUri[], from: MsrpUri[], body: Body): MsrpRequest {
  const send: MsrpRequest = {
    protocol: 'msrp',
    type: 'msrp-request',
    transactionId: rng.hex(12),
    method: 'SEND',
    toPath: to,
    fromPath: from,
    headers: [{ name: 'Message-ID', value: rng.hex(12) }],
    body,
    continuation: '$',
  };
  const octets = contentOctets(send);
  send.headers.push({ name: 'Byte-Range', value: formatByteRange({ start: 1, end: octets, total: octets }) });
  return send;
}

/**
 * RFC 4975 7.2: responses are hop by hop: the To-Path is the first URI of the request's From-Path
 * (the previous hop) and the From-Path the URI of the one answering (the request's first To-Path).
 */
export function sendResponse(req: MsrpRequest, status: number, comment: string): MsrpResponse {
  return {
    protocol: 'msrp',
    type: 'msrp-response',
    transactionId: req.transactionId,
    status,
    comment,
    toPath: req.fromPath.slice(0, 1),
    fromPath: req.toPath.slice(0, 1),
    headers: [],
  };
}

/** CPM 5.2.3.9: a message of the session's message stream, in CPIM (RFC 3862). */
export function sessionMessage(from: string, to: string, dateTime: string, text: string): Body {
  return { kind: 'cpim', contentType: 'message/cpim', cpim: buildCpim({ from, to, dateTime, content: { kind: 'text', contentType: 'text/plain;charset=UTF-8', text } }) };
}

/** The text of a session message, for the trace's notes. */
export function messageText(req: MsrpRequest): string {
  const content = req.body?.kind === 'cpim' ? req.body.cpim.content : req.body;
  return content?.kind === 'text' ? content.text : `(${content?.contentType ?? 'empty'})`;
}
